// TIM_HIDDEN keeps a type out of libtim.so's exports. The private parts of an
// exported class (its Rep) would otherwise be exported with it.

#ifndef TIM_UTIL_HIDDEN_H_
#define TIM_UTIL_HIDDEN_H_

#define TIM_HIDDEN __attribute__((visibility("hidden")))

#endif  // TIM_UTIL_HIDDEN_H_
