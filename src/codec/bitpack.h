// Bit packing of blocks of 128 unsigned 32-bit integers, the block codec of the posting lists
// (doc id deltas, term frequencies, position deltas).
//
// On-disk layout (part of the file format; changing it needs a new format version):
//
//   A block packed with width `bits` (0..32) is exactly PackedBytes(bits) = 16 * bits bytes,
//   with no header: the width is stored by the caller. Read the bytes as one little-endian bit
//   stream, where bit k of the stream is bit (k % 8) of byte k / 8. Value i (0..127) occupies
//   stream bits [i * bits, (i + 1) * bits), its least significant bit first. 128 * bits is a
//   multiple of 8, so the block ends on a byte boundary with no padding; a width of 0 takes no
//   bytes and decodes to 128 zeros.
//
//   Example, bits = 3, values 5, 1, 6, 0, ...: value 0 is bits 0-2 of byte 0, value 1 bits 3-5,
//   value 2 bits 6-7 of byte 0 and bit 0 of byte 1. So byte 0 = 0b10'001'101 = 0x8D (the two low
//   bits of 6, then 1, then 5) and byte 1 = 0x01 (the high bit of 6).
//
// This is the "horizontal" layout of FastPFor's scalar packers, so on little-endian machines
// the block also reads as 4 * bits little-endian 32-bit words with value i starting at word
// (i * bits) / 32.

#ifndef TIM_CODEC_BITPACK_H_
#define TIM_CODEC_BITPACK_H_

#include <cstddef>
#include <cstdint>

namespace tim::codec {

constexpr std::size_t kBlockSize = 128;

// Smallest bit width (0..32) that holds every value of in[0, n): 0 when all are zero (or n is 0).
unsigned MaxBits(const std::uint32_t* in, std::size_t n);

// Bytes Pack128 writes for `bits`: 16 * bits.
constexpr std::size_t PackedBytes(unsigned bits) { return 16u * bits; }

// Packs in[0, 128), each < 2^bits (bits 0..32; the caller guarantees that the values fit, e.g.
// with MaxBits), into out[0, PackedBytes(bits)) in the layout above. Writes no other byte of
// `out`. A value that does not fit is a bug: debug builds assert, release builds keep its low
// `bits` bits so that at least its neighbours stay intact.
void Pack128(const std::uint32_t* in, unsigned bits, std::uint8_t* out);

// Inverse of Pack128: writes out[0, 128). Reads exactly PackedBytes(bits) bytes of `in` and never
// past them (so a block may end exactly at the end of a mapped file); `in` need not be aligned.
// A reader must check a width read from disk first: bits > 32 asserts in debug builds and
// decodes 128 zeros (reading nothing) in release builds.
void Unpack128(const std::uint8_t* in, unsigned bits, std::uint32_t* out);

// Unpack128 followed by an inclusive prefix sum starting from `base`: out[0] = base + d0,
// out[i] = out[i - 1] + d_i, in uint32 (wrap-around) arithmetic. For doc id deltas, `base` is the
// last doc id of the previous block.
void UnpackDelta128(const std::uint8_t* in, unsigned bits, std::uint32_t base, std::uint32_t* out);

}  // namespace tim::codec

#endif  // TIM_CODEC_BITPACK_H_
