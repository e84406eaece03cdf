// The values of typed fields (include/tim/schema.h): reading them from the
// text a document or a filter gives, writing them back, and comparing them
// exactly. The one place that knows what a number or a date may look like.

#ifndef TIM_INDEX_TYPED_VALUE_H_
#define TIM_INDEX_TYPED_VALUE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace tim::index {

// A number field's value: a 64-bit integer, or a finite double that is not
// an integer of that range (ParseNumber keeps "3.0" and "1e6" as integers).
struct Number {
  bool is_double = false;
  std::int64_t i = 0;
  double d = 0;
  static Number Int(std::int64_t v) { return {false, v, 0}; }
  static Number Double(double v);  // an integral v in range becomes Int
};

// Negative, zero or positive as a < b, a == b, a > b, exactly (an integer
// beyond 2^53 and the double nearest to it compare as different numbers).
int CompareNumbers(const Number& a, const Number& b);

// False when `text` is not a number: optional sign, digits, optional
// fraction and exponent, nothing else (no spaces, no "inf", "nan", hex).
bool ParseNumber(std::string_view text, Number* out);
// "-42", "3.5", "1e+300": the shortest text that reads back as the value.
std::string FormatNumber(const Number& n);

// Milliseconds since 1970-01-01T00:00:00Z of an ISO 8601 date or date-time
// or of whole seconds since the epoch (include/tim/schema.h lists the
// forms); false for anything else, a day or time out of range, or a year
// outside 0001..9999.
bool ParseDate(std::string_view text, std::int64_t* millis);
// "2017-02-06" at midnight UTC, else "2017-02-06T10:30:00Z" (with ".250"
// when there are milliseconds).
std::string FormatDate(std::int64_t millis);

// Order-preserving 64-bit keys: a < b exactly when Key(a) < Key(b)
// (unsigned). Columns store values as keys.
inline std::uint64_t IntKey(std::int64_t v) {
  return static_cast<std::uint64_t>(v) ^ (std::uint64_t{1} << 63);
}
inline std::int64_t IntFromKey(std::uint64_t k) {
  return static_cast<std::int64_t>(k ^ (std::uint64_t{1} << 63));
}
std::uint64_t DoubleKey(double v);  // -0.0 keys as 0.0
double DoubleFromKey(std::uint64_t k);

}  // namespace tim::index

#endif  // TIM_INDEX_TYPED_VALUE_H_
