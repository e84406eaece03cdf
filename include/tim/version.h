/* tim's version, at compile time and at run time. C and C++.
 *
 * Versions follow semantic versioning (docs/api.md): PATCH fixes bugs, MINOR
 * adds API, MAJOR breaks it. Before 1.0, MINOR may break the ABI, so the
 * shared library's SONAME is libtim.so.0.MINOR; from 1.0 on it is
 * libtim.so.MAJOR. This file is the one place the version is written:
 * CMakeLists.txt reads it from here. */
#ifndef TIM_VERSION_H_
#define TIM_VERSION_H_

#define TIM_VERSION_MAJOR 0
#define TIM_VERSION_MINOR 3
#define TIM_VERSION_PATCH 0

/* One number that orders versions: 10000 * MAJOR + 100 * MINOR + PATCH. */
#define TIM_VERSION_NUMBER (TIM_VERSION_MAJOR * 10000 + TIM_VERSION_MINOR * 100 + TIM_VERSION_PATCH)

/* True when the headers are of version a.b.c or later:
 *   #if TIM_VERSION_AT_LEAST(0, 2, 0) ... #endif */
#define TIM_VERSION_AT_LEAST(a, b, c) (TIM_VERSION_NUMBER >= (a)*10000 + (b)*100 + (c))

#ifdef __cplusplus
#include "tim/export.h"

namespace tim {

/* The version of the library the program runs with, "0.3.0". It may be newer
 * than the headers it was compiled with (TIM_VERSION_*) when the shared
 * library was upgraded; never older within one SONAME. */
TIM_EXPORT const char* Version();

}  // namespace tim
#endif

#endif /* TIM_VERSION_H_ */
