// Speed: Unpack128 decodes every posting list block, so each width has its own fully unrolled
// decoder (Unpack<B>), chosen once per block from a table. Inside one, every shift, mask and
// byte offset is a compile-time constant, so a value costs one unaligned 64-bit load, a shift,
// an AND and a store, with no loop-carried state besides the prefix sum of UnpackDelta128.
// The unrolling is done by a fold expression over std::index_sequence rather than by a pragma,
// so it does not depend on the compiler's unrolling heuristics. The price is code size, about
// 170 KB at -O3 for 33 widths times two decoders, of which a query touches only a few widths.

#include "codec/bitpack.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>
#include <utility>

namespace tim::codec {
namespace {

constexpr unsigned kMaxBits = 32;

// Little-endian loads and stores through memcpy: no alignment requirement and no aliasing
// problem; compilers turn them into single moves.
inline std::uint64_t Load64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

inline void Store32(std::uint8_t* p, std::uint32_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap32(v);
#endif
  std::memcpy(p, &v, sizeof v);
}

template <unsigned B>
constexpr std::uint32_t LowMask() {
  // 1 << 32 would be undefined, hence the special case.
  return B == 32 ? ~std::uint32_t{0} : (std::uint32_t{1} << B) - 1;
}

// Value I of a block packed with width B (1..32).
//
// Reads the 8 bytes starting at the value's first byte, except near the end of the block where
// those 8 bytes would run past it: there it reads the block's last 8 bytes instead (a block of
// width >= 1 has at least 16). The value lies inside the window either way: from its first
// byte it needs at most 7 + 32 = 39 bits, and it ends at or before bit 128 * B, the end of the
// block and so of the last window. This is the "safe tail" that keeps every read inside
// PackedBytes(B), at no cost: the choice is made at compile time.
template <unsigned B, std::size_t I>
inline std::uint32_t Get(const std::uint8_t* in) {
  static_assert(B >= 1 && B <= kMaxBits && I < kBlockSize);
  constexpr std::size_t kBit = I * B;
  constexpr std::size_t kStart = std::min(kBit / 8, PackedBytes(B) - 8);
  constexpr std::size_t kShift = kBit - 8 * kStart;
  static_assert(kShift + B <= 64, "the value must lie inside the 64-bit window");
  return static_cast<std::uint32_t>(Load64(in + kStart) >> kShift) & LowMask<B>();
}

template <unsigned B, std::size_t... I>
inline void UnpackAll(const std::uint8_t* in, std::uint32_t* out, std::index_sequence<I...>) {
  ((out[I] = Get<B, I>(in)), ...);
}

// Deltas 2K and 2K + 1. The running sum is the only loop-carried dependency, and one add per
// value on it would cap the speed at one value per cycle (measured 3.5 G values/s, against 5-6
// for Unpack128). Adding the pair's sum to it instead halves that chain; the first value of the
// pair is computed off it. Measured +10% to +60% depending on the width.
template <unsigned B, std::size_t K>
inline void UnpackDeltaPair(const std::uint8_t* in, std::uint32_t* sum, std::uint32_t* out) {
  const std::uint32_t a = Get<B, 2 * K>(in);
  const std::uint32_t b = Get<B, 2 * K + 1>(in);
  out[2 * K] = *sum + a;
  *sum += a + b;
  out[2 * K + 1] = *sum;
}

template <unsigned B, std::size_t... K>
inline void UnpackDeltaAll(const std::uint8_t* in, std::uint32_t sum, std::uint32_t* out,
                           std::index_sequence<K...>) {
  // The comma fold runs the pairs in order, so `sum` is base plus all deltas before pair K.
  (UnpackDeltaPair<B, K>(in, &sum, out), ...);
}

// Width 0 has no bytes (`in` may be null and must not be touched): 128 zeros.
template <unsigned B>
void Unpack(const std::uint8_t* in, std::uint32_t* out) {
  if constexpr (B == 0) {
    std::fill_n(out, kBlockSize, 0u);
  } else {
    UnpackAll<B>(in, out, std::make_index_sequence<kBlockSize>());
  }
}

template <unsigned B>
void UnpackDelta(const std::uint8_t* in, std::uint32_t base, std::uint32_t* out) {
  if constexpr (B == 0) {
    std::fill_n(out, kBlockSize, base);
  } else {
    UnpackDeltaAll<B>(in, base, out, std::make_index_sequence<kBlockSize / 2>());
  }
}

// Packing runs once per block at indexing time, so a plain loop suffices: `acc` holds the
// `fill` (< 32) stream bits not yet written, and every full 32 bits go out as one
// little-endian word. 128 * B bits are exactly 4 * B words, so nothing is left at the end.
template <unsigned B>
void Pack(const std::uint32_t* in, std::uint8_t* out) {
  if constexpr (B > 0) {
    std::uint64_t acc = 0;
    unsigned fill = 0;
    for (std::size_t i = 0; i < kBlockSize; ++i) {
      assert(in[i] <= LowMask<B>() && "value does not fit in `bits`");
      // The mask keeps a too-wide value (a caller bug) from spilling into its neighbours.
      acc |= static_cast<std::uint64_t>(in[i] & LowMask<B>()) << fill;
      fill += B;
      if (fill >= 32) {
        Store32(out, static_cast<std::uint32_t>(acc));
        out += 4;
        acc >>= 32;
        fill -= 32;
      }
    }
  }
}

using UnpackFn = void (*)(const std::uint8_t*, std::uint32_t*);
using UnpackDeltaFn = void (*)(const std::uint8_t*, std::uint32_t, std::uint32_t*);
using PackFn = void (*)(const std::uint32_t*, std::uint8_t*);

template <std::size_t... B>
constexpr std::array<UnpackFn, sizeof...(B)> MakeUnpackTable(std::index_sequence<B...>) {
  return {&Unpack<B>...};
}
template <std::size_t... B>
constexpr std::array<UnpackDeltaFn, sizeof...(B)> MakeUnpackDeltaTable(std::index_sequence<B...>) {
  return {&UnpackDelta<B>...};
}
template <std::size_t... B>
constexpr std::array<PackFn, sizeof...(B)> MakePackTable(std::index_sequence<B...>) {
  return {&Pack<B>...};
}

// Indexed by width, 0..32.
constexpr auto kWidths = std::make_index_sequence<kMaxBits + 1>();
constexpr auto kUnpack = MakeUnpackTable(kWidths);
constexpr auto kUnpackDelta = MakeUnpackDeltaTable(kWidths);
constexpr auto kPack = MakePackTable(kWidths);

}  // namespace

unsigned MaxBits(const std::uint32_t* in, std::size_t n) {
  // OR first (a loop the compiler vectorizes), then one bit scan: the width of the OR is the
  // width of the largest value.
  std::uint32_t acc = 0;
  for (std::size_t i = 0; i < n; ++i) acc |= in[i];
  if (acc == 0) return 0;
#if defined(__GNUC__)
  return 32 - static_cast<unsigned>(__builtin_clz(acc));
#else
  unsigned bits = 0;
  for (; acc != 0; acc >>= 1) ++bits;
  return bits;
#endif
}

// A width above 32 is a caller bug (a reader must validate widths read from disk). Debug builds
// stop on it; release builds write nothing (Pack128) or zeros (Unpack128), so even then no memory
// outside the block is touched.

void Pack128(const std::uint32_t* in, unsigned bits, std::uint8_t* out) {
  assert(bits <= kMaxBits);
  if (bits <= kMaxBits) kPack[bits](in, out);
}

void Unpack128(const std::uint8_t* in, unsigned bits, std::uint32_t* out) {
  assert(bits <= kMaxBits);
  kUnpack[bits <= kMaxBits ? bits : 0](in, out);
}

void UnpackDelta128(const std::uint8_t* in, unsigned bits, std::uint32_t base, std::uint32_t* out) {
  assert(bits <= kMaxBits);
  kUnpackDelta[bits <= kMaxBits ? bits : 0](in, base, out);
}

}  // namespace tim::codec
