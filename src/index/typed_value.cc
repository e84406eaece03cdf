#include "index/typed_value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace tim::index {
namespace {

constexpr double kTwo63 = 9223372036854775808.0;  // 2^63, exact as a double

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Days since 1970-01-01 of a proleptic Gregorian date (valid y, m, d).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, std::int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<std::int64_t>(yoe) + era * 400 + (*m <= 2 ? 1 : 0);
}

unsigned DaysInMonth(std::int64_t y, unsigned m) {
  static const unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at *p.
bool Digits(std::string_view s, std::size_t* p, std::size_t n, unsigned* out) {
  if (*p + n > s.size()) return false;
  unsigned v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[*p + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  *p += n;
  *out = v;
  return true;
}

// The first and the last millisecond of years 0001..9999.
constexpr std::int64_t kMinMillis = -62135596800000;
constexpr std::int64_t kMaxMillis = 253402300799999;

}  // namespace

Number Number::Double(double v) {
  if (v == 0) return Int(0);  // -0.0 too
  if (v >= -kTwo63 && v < kTwo63 && std::trunc(v) == v) return Int(static_cast<std::int64_t>(v));
  Number n;
  n.is_double = true;
  n.d = v;
  return n;
}

int CompareNumbers(const Number& a, const Number& b) {
  if (!a.is_double && !b.is_double) return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
  if (a.is_double && b.is_double) return a.d < b.d ? -1 : (a.d > b.d ? 1 : 0);
  // One integer i, one double d: compare i with d exactly.
  const bool a_int = !a.is_double;
  const std::int64_t i = a_int ? a.i : b.i;
  const double d = a_int ? b.d : a.d;
  int c;  // i against d
  if (d >= kTwo63) {
    c = -1;
  } else if (d < -kTwo63) {
    c = 1;
  } else {
    const double t = std::trunc(d);
    const auto ti = static_cast<std::int64_t>(t);
    if (i != ti) {
      c = i < ti ? -1 : 1;
    } else {
      c = d > t ? -1 : (d < t ? 1 : 0);
    }
  }
  return a_int ? c : -c;
}

bool ParseNumber(std::string_view text, Number* out) {
  // The syntax first: [+-]digits[.digits][(e|E)[+-]digits], digits on at
  // least one side of the point.
  std::size_t p = 0;
  if (p < text.size() && (text[p] == '+' || text[p] == '-')) ++p;
  const std::size_t int_start = p;
  while (p < text.size() && IsDigit(text[p])) ++p;
  bool integral = p > int_start;
  std::size_t digits = p - int_start;
  if (p < text.size() && text[p] == '.') {
    ++p;
    const std::size_t frac_start = p;
    while (p < text.size() && IsDigit(text[p])) ++p;
    digits += p - frac_start;
    integral = false;
  }
  if (digits == 0) return false;
  if (p < text.size() && (text[p] == 'e' || text[p] == 'E')) {
    ++p;
    if (p < text.size() && (text[p] == '+' || text[p] == '-')) ++p;
    const std::size_t exp_start = p;
    while (p < text.size() && IsDigit(text[p])) ++p;
    if (p == exp_start) return false;
    integral = false;
  }
  if (p != text.size()) return false;
  const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
  const char* end = text.data() + text.size();
  if (integral) {
    std::int64_t v = 0;
    const auto r = std::from_chars(begin, end, v);
    if (r.ec == std::errc() && r.ptr == end) {
      *out = Number::Int(v);
      return true;
    }
  }
  double d = 0;
  const auto r = std::from_chars(begin, end, d);
  if (r.ec != std::errc() || r.ptr != end || !std::isfinite(d)) return false;
  *out = Number::Double(d);
  return true;
}

std::string FormatNumber(const Number& n) {
  if (!n.is_double) return std::to_string(n.i);
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof(buf), n.d);
  return std::string(buf, r.ptr);
}

bool ParseDate(std::string_view s, std::int64_t* millis) {
  // Whole seconds since the epoch.
  std::size_t digits_from = s.size() > 0 && s[0] == '-' ? 1 : 0;
  bool all_digits = s.size() > digits_from;
  for (std::size_t i = digits_from; i < s.size() && all_digits; ++i) all_digits = IsDigit(s[i]);
  if (all_digits && digits_from == 0 && s.size() == 4) {
    // A year alone ("2017") is its first day, not 2017 seconds.
    unsigned year = 0;
    std::size_t p = 0;
    if (!Digits(s, &p, 4, &year) || year < 1) return false;
    *millis = DaysFromCivil(year, 1, 1) * 86400000;
    return true;
  }
  if (all_digits && s.size() - digits_from <= 12) {
    std::int64_t seconds = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), seconds);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return false;
    const std::int64_t ms = seconds * 1000;
    if (ms < kMinMillis || ms > kMaxMillis) return false;
    *millis = ms;
    return true;
  }
  std::size_t p = 0;
  unsigned year, month, day, hour = 0, minute = 0, second = 0, ms = 0;
  if (!Digits(s, &p, 4, &year) || p >= s.size() || s[p++] != '-' || !Digits(s, &p, 2, &month)) {
    return false;
  }
  if (p == s.size()) {
    day = 1;  // a month alone ("2017-02") is its first day
  } else if (s[p++] != '-' || !Digits(s, &p, 2, &day)) {
    return false;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return false;
  }
  std::int64_t offset_minutes = 0;
  if (p < s.size()) {
    if (s[p] != 'T' && s[p] != 't' && s[p] != ' ') return false;
    ++p;
    if (!Digits(s, &p, 2, &hour) || p >= s.size() || s[p++] != ':' || !Digits(s, &p, 2, &minute)) {
      return false;
    }
    if (p < s.size() && s[p] == ':') {
      ++p;
      if (!Digits(s, &p, 2, &second)) return false;
      if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
        ++p;
        const std::size_t start = p;
        unsigned scale = 100;
        while (p < s.size() && IsDigit(s[p])) {
          ms += static_cast<unsigned>(s[p] - '0') * scale;  // digits past the third are cut
          scale /= 10;
          ++p;
        }
        if (p == start || p - start > 9) return false;
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return false;
    if (p < s.size()) {
      if (s[p] == 'Z' || s[p] == 'z') {
        ++p;
      } else if (s[p] == '+' || s[p] == '-') {
        const std::int64_t sign = s[p] == '-' ? -1 : 1;
        ++p;
        unsigned oh, om = 0;
        if (!Digits(s, &p, 2, &oh)) return false;
        if (p < s.size() && s[p] == ':') ++p;
        if (p < s.size() && !Digits(s, &p, 2, &om)) return false;
        if (oh > 23 || om > 59) return false;
        offset_minutes = sign * (oh * 60 + om);
      } else {
        return false;
      }
    }
    if (p != s.size()) return false;
  }
  const std::int64_t days = DaysFromCivil(year, month, day);
  const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second;
  const std::int64_t result = (seconds - offset_minutes * 60) * 1000 + ms;
  if (result < kMinMillis || result > kMaxMillis) return false;
  *millis = result;
  return true;
}

std::string FormatDate(std::int64_t millis) {
  std::int64_t days = millis / 86400000;
  std::int64_t rest = millis % 86400000;
  if (rest < 0) {
    rest += 86400000;
    --days;
  }
  std::int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[64];
  if (rest == 0) {
    std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    return buf;
  }
  const auto secs = static_cast<unsigned>(rest / 1000);
  const auto ms = static_cast<unsigned>(rest % 1000);
  int n = std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02u:%02u:%02u",
                        static_cast<long long>(y), m, d, secs / 3600, secs / 60 % 60, secs % 60);
  if (ms != 0) n += std::snprintf(buf + n, sizeof(buf) - n, ".%03u", ms);
  std::snprintf(buf + n, sizeof(buf) - n, "Z");
  return buf;
}

std::uint64_t DoubleKey(double v) {
  if (v == 0) v = 0;  // -0.0
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}

double DoubleFromKey(std::uint64_t k) {
  const std::uint64_t bits = (k >> 63) != 0 ? k & ~(std::uint64_t{1} << 63) : ~k;
  double v;
  std::memcpy(&v, &bits, sizeof(v));
  return v;
}

}  // namespace tim::index
