// tim::Version(): the version this library was built as (include/tim/version.h).

#include "tim/version.h"

#define TIM_STRINGIFY_(x) #x
#define TIM_STRINGIFY(x) TIM_STRINGIFY_(x)

namespace tim {

const char* Version() {
  return TIM_STRINGIFY(TIM_VERSION_MAJOR) "." TIM_STRINGIFY(TIM_VERSION_MINOR) "." TIM_STRINGIFY(
      TIM_VERSION_PATCH);
}

}  // namespace tim
