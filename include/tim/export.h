/* TIM_EXPORT marks what libtim.so exports: the public API, nothing else.
 * The library is built with -fvisibility=hidden, so a declaration without it
 * stays inside the library. Applications never need to define anything. */
#ifndef TIM_EXPORT_H_
#define TIM_EXPORT_H_

#if defined(_WIN32)
#define TIM_EXPORT
#elif defined(__cplusplus)
/* The standard attribute form, so it combines with [[nodiscard]]. */
#define TIM_EXPORT [[gnu::visibility("default")]]
#else
#define TIM_EXPORT __attribute__((visibility("default")))
#endif

#endif /* TIM_EXPORT_H_ */
