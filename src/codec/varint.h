// LEB128 varints: 7 bits a byte, low bits first, high bit set on every byte
// but the last. Decoders are bounds-checked: they never read at or past
// `limit` and return nullptr for a truncated or over-long varint, so damaged
// bytes on disk become a Corruption status instead of a crash.

#ifndef TIM_CODEC_VARINT_H_
#define TIM_CODEC_VARINT_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tim::codec {

inline void PutVarint64(std::string* dst, std::uint64_t v) {
  char buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  dst->append(buf, n);
}

inline void PutVarint32(std::string* dst, std::uint32_t v) { PutVarint64(dst, v); }

inline const char* GetVarint64(const char* p, const char* limit, std::uint64_t* v) {
  std::uint64_t result = 0;
  for (int shift = 0; shift <= 63 && p < limit; shift += 7) {
    const std::uint64_t byte = static_cast<unsigned char>(*p++);
    if (shift == 63 && byte > 1) return nullptr;  // would overflow 64 bits
    result |= (byte & 0x7F) << shift;
    if (byte < 0x80) {
      *v = result;
      return p;
    }
  }
  return nullptr;
}

inline const char* GetVarint32(const char* p, const char* limit, std::uint32_t* v) {
  // Fast path: one byte, the common case for deltas and frequencies.
  if (p < limit && static_cast<unsigned char>(*p) < 0x80) {
    *v = static_cast<unsigned char>(*p);
    return p + 1;
  }
  std::uint64_t wide;
  p = GetVarint64(p, limit, &wide);
  if (p == nullptr || wide > 0xFFFFFFFFu) return nullptr;
  *v = static_cast<std::uint32_t>(wide);
  return p;
}

inline void PutFixed32(std::string* dst, std::uint32_t v) {
  char buf[4];
  for (int i = 0; i < 4; ++i) buf[i] = static_cast<char>(v >> (8 * i));
  dst->append(buf, 4);
}

inline void PutFixed64(std::string* dst, std::uint64_t v) {
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(v >> (8 * i));
  dst->append(buf, 8);
}

// Little-endian loads; the caller has checked that the bytes exist.
inline std::uint32_t DecodeFixed32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

inline std::uint64_t DecodeFixed64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// Appends a varint length and then the bytes.
inline void PutLengthPrefixed(std::string* dst, std::string_view s) {
  PutVarint64(dst, s.size());
  dst->append(s.data(), s.size());
}

inline const char* GetLengthPrefixed(const char* p, const char* limit, std::string_view* out) {
  std::uint64_t n;
  p = GetVarint64(p, limit, &n);
  if (p == nullptr || n > static_cast<std::uint64_t>(limit - p)) return nullptr;
  *out = std::string_view(p, n);
  return p + n;
}

}  // namespace tim::codec

#endif  // TIM_CODEC_VARINT_H_
