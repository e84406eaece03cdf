// UTF-8 decoding and encoding with the Unicode rules for ill-formed input.

#ifndef TIM_UTIL_UTF8_H_
#define TIM_UTIL_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace tim::utf8 {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point starting at p (p < end) into *cp and returns the
// number of bytes consumed (1..4). An ill-formed sequence (truncated, overlong,
// a surrogate, above U+10FFFF, a stray continuation byte) sets *cp to
// U+FFFD, sets *valid to false and consumes its maximal subpart, so the
// caller substitutes exactly one U+FFFD per maximal subpart (Unicode 15,
// section 3.9, "U+FFFD Substitution of Maximal Subparts").
inline std::size_t Decode(const unsigned char* p, const unsigned char* end, char32_t* cp,
                          bool* valid) {
  const unsigned char b0 = p[0];
  *valid = true;
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  // Per lead byte: total length and the allowed range of the second byte
  // (Unicode Table 3-7); later bytes are always 80..BF.
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  char32_t value;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    value = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    value = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // no overlongs
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    value = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // no overlongs
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    *cp = kReplacement;
    *valid = false;
    return 1;
  }
  std::size_t i = 1;
  for (; i < len; ++i) {
    if (p + i >= end) break;
    const unsigned char b = p[i];
    if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) break;
    value = (value << 6) | (b & 0x3F);
  }
  if (i != len) {
    *cp = kReplacement;
    *valid = false;
    return i;
  }
  *cp = value;
  return len;
}

// Byte offset of the first ill-formed sequence in s, or s.size() when s is
// valid UTF-8.
inline std::size_t FirstInvalid(std::string_view s) {
  const auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = begin + s.size();
  for (const unsigned char* p = begin; p < end;) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    char32_t cp;
    bool valid;
    const std::size_t n = Decode(p, end, &cp, &valid);
    if (!valid) return static_cast<std::size_t>(p - begin);
    p += n;
  }
  return s.size();
}

// Appends the UTF-8 encoding of a valid scalar value.
inline void Append(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Whether byte offset `off` of s is a character boundary of valid UTF-8 (the
// end counts; an offset past the end does not).
inline bool IsBoundary(std::string_view s, std::size_t off) {
  return off == s.size() || (off < s.size() && (static_cast<unsigned char>(s[off]) & 0xC0) != 0x80);
}

// Length of the longest prefix of s[0, limit) that ends on a character
// boundary of the valid UTF-8 string s.
inline std::size_t BoundaryAtOrBefore(const char* s, std::size_t size, std::size_t limit) {
  if (limit >= size) return size;
  while (limit > 0 && (static_cast<unsigned char>(s[limit]) & 0xC0) == 0x80) --limit;
  return limit;
}

}  // namespace tim::utf8

#endif  // TIM_UTIL_UTF8_H_
