// Patched bit-packed blocks of 128 values (PFor with exceptions): the block
// codec of full postings blocks (doc id deltas, frequencies) and of position
// chunks since format version 4 (docs/format.md, "Patched blocks").
//
// On-disk layout:
//
//   u8              head: width b (0..32) in bits 0-6; bit 7 set when the
//                   block has exceptions
//   u8              count (1..128), only when bit 7 is set
//   16 * b bytes    the low b bits of each of the 128 values (bitpack.h)
//   count bytes     the exceptions' value indices, strictly increasing, < 128
//   count varint32  each exception's high bits, value >> b, >= 1
//
// A block without exceptions is exactly the version 3 layout "u8 b | 16*b
// bytes", so version 3 blocks read unchanged. The writer picks the width
// that makes the block smallest: a few large values (a document's first
// position, a long gap between documents) no longer widen all 128.

#ifndef TIM_CODEC_PATCHED_H_
#define TIM_CODEC_PATCHED_H_

#include <cstdint>
#include <string>

namespace tim::codec {

// Appends the block of in[0, 128) to *out.
void EncodePatched128(const std::uint32_t* in, std::string* out);

// Decodes a block from [p, limit) into out[0, 128); returns the byte after
// it, or nullptr when the block is damaged: a width above 32, a count of 0,
// bytes past `limit`, indices out of order or >= 128, a high part of 0 or
// one that does not fit 32 bits with the low ones. Never reads past limit.
const char* DecodePatched128(const char* p, const char* limit, std::uint32_t* out);

// The same, then out[i] = base + d0 + ... + di (doc ids from deltas).
const char* DecodePatchedDelta128(const char* p, const char* limit, std::uint32_t base,
                                  std::uint32_t* out);

}  // namespace tim::codec

#endif  // TIM_CODEC_PATCHED_H_
