// The 128-integer bit-packing codec, checked against a bit-by-bit reference of the on-disk
// layout documented in codec/bitpack.h.

#include "codec/bitpack.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

namespace tim::codec {
namespace {

using Block = std::vector<std::uint32_t>;
using Bytes = std::vector<std::uint8_t>;

std::uint32_t Mask(unsigned bits) {
  return bits == 32 ? 0xFFFFFFFFu : (std::uint32_t{1} << bits) - 1;
}

// The reference layout, one bit at a time: bit b of value i is stream bit k = i * bits + b,
// which is bit k % 8 of byte k / 8.
Bytes ReferencePack(const Block& in, unsigned bits) {
  Bytes out(PackedBytes(bits), 0);
  for (std::size_t i = 0; i < kBlockSize; ++i) {
    for (unsigned b = 0; b < bits; ++b) {
      const std::size_t k = i * bits + b;
      if ((in[i] >> b) & 1) out[k / 8] |= static_cast<std::uint8_t>(1u << (k % 8));
    }
  }
  return out;
}

Block ReferenceUnpack(const Bytes& in, unsigned bits) {
  Block out(kBlockSize, 0);
  for (std::size_t i = 0; i < kBlockSize; ++i) {
    for (unsigned b = 0; b < bits; ++b) {
      const std::size_t k = i * bits + b;
      if ((in[k / 8] >> (k % 8)) & 1) out[i] |= std::uint32_t{1} << b;
    }
  }
  return out;
}

// Random values below 2^bits, with the top bit forced in a few of them so that the block has
// exactly that width.
Block RandomBlock(unsigned bits, std::mt19937* rng) {
  Block block(kBlockSize);
  for (std::uint32_t& v : block) v = static_cast<std::uint32_t>((*rng)()) & Mask(bits);
  if (bits > 0) {
    const std::uint32_t top = std::uint32_t{1} << (bits - 1);
    block[0] |= top;
    block[kBlockSize / 2] |= top;
    block[kBlockSize - 1] |= top;
  }
  return block;
}

Bytes Pack(const Block& in, unsigned bits) {
  Bytes out(PackedBytes(bits), 0);
  Pack128(in.data(), bits, out.data());
  return out;
}

Block Unpack(const Bytes& in, unsigned bits) {
  Block out(kBlockSize, 0xDEADBEEF);
  Unpack128(in.data(), bits, out.data());
  return out;
}

Block ReferencePrefixSum(const Block& deltas, std::uint32_t base) {
  Block out(kBlockSize);
  std::uint32_t sum = base;
  for (std::size_t i = 0; i < kBlockSize; ++i) out[i] = sum += deltas[i];
  return out;
}

TEST(Bitpack, PackedBytes) {
  EXPECT_EQ(PackedBytes(0), 0u);
  EXPECT_EQ(PackedBytes(1), 16u);
  EXPECT_EQ(PackedBytes(32), 512u);
  for (unsigned bits = 0; bits <= 32; ++bits) EXPECT_EQ(PackedBytes(bits) * 8, kBlockSize * bits);
}

TEST(Bitpack, MaxBits) {
  const Block zeros(kBlockSize, 0);
  EXPECT_EQ(MaxBits(zeros.data(), zeros.size()), 0u);
  EXPECT_EQ(MaxBits(zeros.data(), 0), 0u);
  for (unsigned bits = 1; bits <= 32; ++bits) {
    // A single maximal value, at either end, decides the width.
    Block block(kBlockSize, 0);
    block[kBlockSize - 1] = Mask(bits);
    EXPECT_EQ(MaxBits(block.data(), block.size()), bits);
    block[kBlockSize - 1] = 0;
    block[0] = std::uint32_t{1} << (bits - 1);
    EXPECT_EQ(MaxBits(block.data(), block.size()), bits);
    // Only in[0, n) counts.
    EXPECT_EQ(MaxBits(block.data() + 1, block.size() - 1), 0u);
  }
  const std::uint32_t all_ones = 0xFFFFFFFF;
  EXPECT_EQ(MaxBits(&all_ones, 1), 32u);
  const Block mixed = {1, 2, 3, 0x10, 5};
  EXPECT_EQ(MaxBits(mixed.data(), mixed.size()), 5u);
}

// The example in bitpack.h, by hand.
TEST(Bitpack, DocumentedExample) {
  Block block(kBlockSize, 0);
  block[0] = 5;
  block[1] = 1;
  block[2] = 6;
  const Bytes packed = Pack(block, 3);
  ASSERT_EQ(packed.size(), 48u);
  EXPECT_EQ(packed[0], 0x8D);
  EXPECT_EQ(packed[1], 0x01);
  for (std::size_t i = 2; i < packed.size(); ++i) EXPECT_EQ(packed[i], 0) << i;
  EXPECT_EQ(Unpack(packed, 3), block);
}

// Pack128's bytes are the on-disk format: they must equal the reference bit stream exactly.
TEST(Bitpack, PackMatchesReferenceLayout) {
  std::mt19937 rng(42);
  for (unsigned bits = 0; bits <= 32; ++bits) {
    for (int round = 0; round < 20; ++round) {
      const Block block = RandomBlock(bits, &rng);
      ASSERT_EQ(Pack(block, bits), ReferencePack(block, bits)) << "bits " << bits;
    }
  }
}

TEST(Bitpack, UnpackMatchesReference) {
  std::mt19937 rng(7);
  for (unsigned bits = 0; bits <= 32; ++bits) {
    for (int round = 0; round < 20; ++round) {
      // Any byte string is a valid block: decode random bytes, not only Pack128's output.
      Bytes bytes(PackedBytes(bits));
      for (std::uint8_t& b : bytes) b = static_cast<std::uint8_t>(rng());
      ASSERT_EQ(Unpack(bytes, bits), ReferenceUnpack(bytes, bits)) << "bits " << bits;
    }
  }
}

TEST(Bitpack, RoundTripRandom) {
  std::mt19937 rng(1);
  for (unsigned bits = 0; bits <= 32; ++bits) {
    for (int round = 0; round < 50; ++round) {
      const Block block = RandomBlock(bits, &rng);
      ASSERT_EQ(MaxBits(block.data(), block.size()), bits);
      ASSERT_EQ(Unpack(Pack(block, bits), bits), block) << "bits " << bits;
    }
  }
}

TEST(Bitpack, RoundTripMaxValues) {
  for (unsigned bits = 0; bits <= 32; ++bits) {
    const Block block(kBlockSize, Mask(bits));
    const Bytes packed = Pack(block, bits);
    // All ones in, all ones out: every byte of the block is 0xFF.
    for (std::uint8_t b : packed) ASSERT_EQ(b, 0xFF) << "bits " << bits;
    EXPECT_EQ(Unpack(packed, bits), block) << "bits " << bits;
  }
}

// Alternating 0 and max catches values that leak into their neighbours.
TEST(Bitpack, RoundTripAlternating) {
  for (unsigned bits = 1; bits <= 32; ++bits) {
    Block block(kBlockSize);
    for (std::size_t i = 0; i < kBlockSize; ++i) block[i] = i % 2 == 0 ? 0 : Mask(bits);
    EXPECT_EQ(Unpack(Pack(block, bits), bits), block) << "bits " << bits;
    for (std::size_t i = 0; i < kBlockSize; ++i) block[i] = i % 2 == 1 ? 0 : Mask(bits);
    EXPECT_EQ(Unpack(Pack(block, bits), bits), block) << "bits " << bits;
  }
}

TEST(Bitpack, UnpackDelta) {
  std::mt19937 rng(3);
  for (unsigned bits = 0; bits <= 32; ++bits) {
    const Block deltas = RandomBlock(bits, &rng);
    const Bytes packed = Pack(deltas, bits);
    for (std::uint32_t base : {0u, 1u, 1000000u, 0xFFFFFF00u}) {
      Block out(kBlockSize, 0xDEADBEEF);
      UnpackDelta128(packed.data(), bits, base, out.data());
      ASSERT_EQ(out, ReferencePrefixSum(deltas, base)) << "bits " << bits << " base " << base;
    }
  }
}

TEST(Bitpack, UnpackDeltaWrapsAround) {
  // Deltas of 2^31 + 1: the sum wraps past 2^32 every other value.
  const Block deltas(kBlockSize, 0x80000001u);
  const Bytes packed = Pack(deltas, 32);
  Block out(kBlockSize);
  UnpackDelta128(packed.data(), 32, 0xFFFFFFFFu, out.data());
  EXPECT_EQ(out[0], 0x80000000u);
  EXPECT_EQ(out[1], 0x00000001u);
  EXPECT_EQ(out[2], 0x80000002u);
  EXPECT_EQ(out, ReferencePrefixSum(deltas, 0xFFFFFFFFu));

  // Small widths wrap too when the base is near the top.
  const Block ones(kBlockSize, 1);
  UnpackDelta128(Pack(ones, 1).data(), 1, 0xFFFFFFF0u, out.data());
  EXPECT_EQ(out[14], 0xFFFFFFFFu);
  EXPECT_EQ(out[15], 0u);
  EXPECT_EQ(out[127], 112u);
}

// Width 0 reads nothing at all: a null input must do.
TEST(Bitpack, WidthZeroReadsNothing) {
  Block out(kBlockSize, 0xDEADBEEF);
  Unpack128(nullptr, 0, out.data());
  EXPECT_EQ(out, Block(kBlockSize, 0));
  UnpackDelta128(nullptr, 0, 77, out.data());
  EXPECT_EQ(out, Block(kBlockSize, 77));
  Pack128(Block(kBlockSize, 0).data(), 0, nullptr);
}

// A block at the very end of a heap allocation of exactly PackedBytes(bits) bytes, as at the end
// of a mapped file: AddressSanitizer reports any read past it. Also checks that Pack128 writes
// into exactly that allocation.
TEST(Bitpack, NeverTouchesBytesPastTheBlock) {
  std::mt19937 rng(11);
  for (unsigned bits = 1; bits <= 32; ++bits) {
    const Block block = RandomBlock(bits, &rng);
    const auto exact = std::make_unique<std::uint8_t[]>(PackedBytes(bits));
    Pack128(block.data(), bits, exact.get());
    Block out(kBlockSize);
    Unpack128(exact.get(), bits, out.data());
    EXPECT_EQ(out, block) << "bits " << bits;
    UnpackDelta128(exact.get(), bits, 5, out.data());
    EXPECT_EQ(out, ReferencePrefixSum(block, 5)) << "bits " << bits;
  }
}

// Without a sanitizer: Pack128 writes no byte around its output, and the bytes around the input
// of Unpack128 do not change its result. Also covers unaligned input and output.
TEST(Bitpack, GuardBytesAndAlignment) {
  std::mt19937 rng(5);
  constexpr std::size_t kGuard = 16;
  for (unsigned bits = 0; bits <= 32; ++bits) {
    const Block block = RandomBlock(bits, &rng);
    const Bytes expected = ReferencePack(block, bits);
    for (std::size_t offset = 0; offset < 8; ++offset) {
      for (std::uint8_t guard : {0x00, 0xFF}) {
        Bytes buffer(offset + PackedBytes(bits) + kGuard, guard);
        std::uint8_t* start = buffer.data() + offset;
        Pack128(block.data(), bits, start);
        for (std::size_t i = 0; i < offset; ++i) ASSERT_EQ(buffer[i], guard);
        ASSERT_EQ(Bytes(start, start + PackedBytes(bits)), expected) << "bits " << bits;
        for (std::size_t i = offset + PackedBytes(bits); i < buffer.size(); ++i) {
          ASSERT_EQ(buffer[i], guard) << "bits " << bits << " wrote byte " << i - offset;
        }
        Block out(kBlockSize + 1, 0xDEADBEEF);
        Unpack128(start, bits, out.data() + 1);  // unaligned output
        ASSERT_EQ(Block(out.begin() + 1, out.end()), block) << "bits " << bits;
        ASSERT_EQ(out[0], 0xDEADBEEF);
      }
    }
  }
}

}  // namespace
}  // namespace tim::codec
