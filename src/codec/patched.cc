#include "codec/patched.h"

#include <algorithm>

#include "codec/bitpack.h"
#include "codec/varint.h"

namespace tim::codec {
namespace {

constexpr unsigned kExceptionsBit = 0x80;

unsigned Bits(std::uint32_t v) { return v == 0 ? 0 : 32 - __builtin_clz(v); }

// Reads the head, count, packed part and indices, leaving p at the
// exceptions' varints. Returns false when damaged.
bool ReadHead(const char*& p, const char* limit, unsigned* bits, unsigned* count,
              const std::uint8_t** packed, const std::uint8_t** indices) {
  if (p >= limit) return false;
  const unsigned head = static_cast<std::uint8_t>(*p++);
  *bits = head & ~kExceptionsBit;
  *count = 0;
  if (*bits > 32) return false;
  if ((head & kExceptionsBit) != 0) {
    if (p >= limit) return false;
    *count = static_cast<std::uint8_t>(*p++);
    if (*count == 0 || *count > kBlockSize || *bits == 32) return false;
  }
  if (PackedBytes(*bits) + *count > static_cast<std::size_t>(limit - p)) return false;
  *packed = reinterpret_cast<const std::uint8_t*>(p);
  p += PackedBytes(*bits);
  *indices = reinterpret_cast<const std::uint8_t*>(p);
  for (unsigned i = 0; i < *count; ++i) {
    if ((*indices)[i] >= kBlockSize || (i > 0 && (*indices)[i] <= (*indices)[i - 1])) return false;
  }
  p += *count;
  return true;
}

// Applies the exceptions' high parts to out.
const char* Patch(const char* p, const char* limit, unsigned bits, unsigned count,
                  const std::uint8_t* indices, std::uint32_t* out) {
  for (unsigned i = 0; i < count; ++i) {
    std::uint32_t high;
    p = GetVarint32(p, limit, &high);
    if (p == nullptr || high == 0 || Bits(high) + bits > 32) return nullptr;
    out[indices[i]] |= high << bits;
  }
  return p;
}

}  // namespace

void EncodePatched128(const std::uint32_t* in, std::string* out) {
  // Values by bit length, then the cost of each width: the packed part plus,
  // for the values that do not fit, an index byte and their high bits.
  std::size_t of_length[33] = {};
  for (std::size_t i = 0; i < kBlockSize; ++i) ++of_length[Bits(in[i])];
  unsigned max_bits = 32;
  while (max_bits > 0 && of_length[max_bits] == 0) --max_bits;
  unsigned best = max_bits;
  std::size_t best_cost = PackedBytes(max_bits);
  for (unsigned b = 0; b < max_bits; ++b) {
    std::size_t cost = PackedBytes(b) + 1, count = 0;
    for (unsigned len = b + 1; len <= max_bits; ++len) {
      count += of_length[len];
      cost += of_length[len] * (1 + (len - b + 6) / 7);
    }
    if (count <= kBlockSize && cost < best_cost) {
      best = b;
      best_cost = cost;
    }
  }
  std::uint32_t low[kBlockSize];
  std::uint8_t indices[kBlockSize];
  unsigned count = 0;
  const std::uint32_t mask = best == 32 ? ~std::uint32_t{0} : (std::uint32_t{1} << best) - 1;
  for (std::size_t i = 0; i < kBlockSize; ++i) {
    low[i] = in[i] & mask;
    if (Bits(in[i]) > best) indices[count++] = static_cast<std::uint8_t>(i);
  }
  out->push_back(static_cast<char>(best | (count > 0 ? kExceptionsBit : 0)));
  if (count > 0) out->push_back(static_cast<char>(count));
  const std::size_t at = out->size();
  out->resize(at + PackedBytes(best));
  Pack128(low, best, reinterpret_cast<std::uint8_t*>(&(*out)[at]));
  out->append(reinterpret_cast<const char*>(indices), count);
  for (unsigned i = 0; i < count; ++i) PutVarint32(out, in[indices[i]] >> best);
}

const char* DecodePatched128(const char* p, const char* limit, std::uint32_t* out) {
  unsigned bits, count;
  const std::uint8_t *packed, *indices;
  if (!ReadHead(p, limit, &bits, &count, &packed, &indices)) return nullptr;
  Unpack128(packed, bits, out);
  return Patch(p, limit, bits, count, indices, out);
}

const char* DecodePatchedDelta128(const char* p, const char* limit, std::uint32_t base,
                                  std::uint32_t* out) {
  unsigned bits, count;
  const std::uint8_t *packed, *indices;
  if (!ReadHead(p, limit, &bits, &count, &packed, &indices)) return nullptr;
  if (count == 0) {
    UnpackDelta128(packed, bits, base, out);
    return p;
  }
  Unpack128(packed, bits, out);
  p = Patch(p, limit, bits, count, indices, out);
  if (p == nullptr) return nullptr;
  // Pairs halve the chain of dependent additions (as UnpackDelta128 does).
  std::uint32_t sum = base;
  for (std::size_t i = 0; i < kBlockSize; i += 2) {
    const std::uint32_t a = out[i], b = out[i + 1];
    out[i] = sum + a;
    sum += a + b;
    out[i + 1] = sum;
  }
  return p;
}

}  // namespace tim::codec
