// Writing JSON strings for the CLI's --json output.

#ifndef TIM_TOOLS_JSON_OUT_H_
#define TIM_TOOLS_JSON_OUT_H_

#include <string>
#include <string_view>

namespace tim::cli {

// Appends s as a quoted JSON string. Control characters are escaped; other
// bytes are copied, so valid UTF-8 stays valid UTF-8.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace tim::cli

#endif  // TIM_TOOLS_JSON_OUT_H_
