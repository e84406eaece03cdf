// Patched blocks (codec/patched.h): round trips over value shapes the
// postings produce, the bytes of a block written out by hand from the
// documented layout, the width the writer picks, and every kind of damage
// refused without reading past the block.

#include "codec/patched.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace tim::codec {
namespace {

using Block = std::vector<std::uint32_t>;

Block RoundTrip(const Block& in, std::string* bytes) {
  bytes->clear();
  EncodePatched128(in.data(), bytes);
  Block out(128, 0xDEADBEEF);
  const char* end = bytes->data() + bytes->size();
  EXPECT_EQ(DecodePatched128(bytes->data(), end, out.data()), end);
  return out;
}

TEST(Patched, RoundTripsEveryShape) {
  std::mt19937 rng(7);
  std::string bytes;
  for (int trial = 0; trial < 2000; ++trial) {
    Block in(128);
    const unsigned base_bits = rng() % 33;
    for (auto& v : in) v = base_bits == 0 ? 0 : rng() >> (32 - base_bits);
    // A few outliers, as a document's first position or a long doc gap.
    for (int e = rng() % 6; e > 0; --e) in[rng() % 128] = rng() >> (rng() % 32);
    if (trial % 7 == 0) in[rng() % 128] = 0xFFFFFFFFu;
    EXPECT_EQ(RoundTrip(in, &bytes), in) << trial;
    // Deltas: the prefix sums from a base.
    Block sums(128);
    std::uint32_t s = 1000;
    for (int i = 0; i < 128; ++i) sums[i] = s += in[i];
    Block out(128);
    const char* end = bytes.data() + bytes.size();
    EXPECT_EQ(DecodePatchedDelta128(bytes.data(), end, 1000, out.data()), end);
    EXPECT_EQ(out, sums) << trial;
  }
}

TEST(Patched, OutliersNoLongerWidenTheBlock) {
  // 127 values of 3 bits and one of 20: 16*20 = 320 bytes packed plainly;
  // with the outlier as an exception, 2 + 48 + 1 + 3 = 54 bytes.
  Block in(128, 5);
  in[9] = 700000;
  std::string bytes;
  EXPECT_EQ(RoundTrip(in, &bytes), in);
  EXPECT_EQ(bytes.size(), 54u);
  EXPECT_EQ(static_cast<std::uint8_t>(bytes[0]), 0x80 | 3);  // width 3, with exceptions
  EXPECT_EQ(static_cast<std::uint8_t>(bytes[1]), 1);         // one exception
  EXPECT_EQ(static_cast<std::uint8_t>(bytes[50]), 9);        // at index 9
  // 700000 >> 3 = 87500 = varint 0xCC 0xAB 0x05.
  EXPECT_EQ(bytes.substr(51), std::string("\xCC\xAB\x05", 3));
  // Values alike: no exception, the version 3 layout (width byte + packed).
  Block flat(128, 5);
  EXPECT_EQ(RoundTrip(flat, &bytes), flat);
  EXPECT_EQ(bytes.size(), 1u + 48u);
  EXPECT_EQ(bytes[0], 3);
  Block zeros(128, 0);
  EXPECT_EQ(RoundTrip(zeros, &bytes), zeros);
  EXPECT_EQ(bytes, std::string(1, '\0'));
}

TEST(Patched, ReadsABlockWrittenByHand) {
  // Width 1, exceptions at 0 and 127: values 1, 0, 1, 0, ... with value 0
  // = 1 | 5 << 1 = 11 and value 127 = 0 | 1 << 1 = 2.
  std::string b = {static_cast<char>(0x81), 2};
  b += std::string(16, '\x55');  // bits 1, 0, 1, 0, ...
  b += std::string("\x00\x7F", 2);
  b += std::string("\x05\x01", 2);
  Block out(128);
  ASSERT_EQ(DecodePatched128(b.data(), b.data() + b.size(), out.data()), b.data() + b.size());
  EXPECT_EQ(out[0], 11u);
  EXPECT_EQ(out[1], 0u);
  EXPECT_EQ(out[2], 1u);
  EXPECT_EQ(out[126], 1u);
  EXPECT_EQ(out[127], 2u);
}

TEST(Patched, DamageIsRefused) {
  Block in(128, 5);
  in[9] = 700000;
  in[100] = 90000;
  std::string good;
  EncodePatched128(in.data(), &good);
  Block out(128);
  auto refused = [&](std::string bytes, const char* what) {
    // Copied to a buffer of exactly its size: a read past it is an ASan error.
    std::vector<char> buf(bytes.begin(), bytes.end());
    const char* end = buf.data() + buf.size();
    EXPECT_EQ(DecodePatched128(buf.data(), end, out.data()), nullptr) << what;
    EXPECT_EQ(DecodePatchedDelta128(buf.data(), end, 0, out.data()), nullptr) << what;
  };
  for (std::size_t cut = 0; cut < good.size(); ++cut) refused(good.substr(0, cut), "truncated");
  std::string b = good;
  b[0] = static_cast<char>(0x80 | 33);
  refused(b, "width 33");
  b = good;
  b[1] = 0;
  refused(b, "count 0");
  b = good;
  b[1] = static_cast<char>(129);
  refused(b, "count above 128");
  const std::size_t indices = 2 + 16 * 3;
  b = good;
  std::swap(b[indices], b[indices + 1]);
  refused(b, "indices out of order");
  b = good;
  b[indices + 1] = static_cast<char>(128);
  refused(b, "index 128");
  b = good;
  b[indices + 2] = 0;  // the first high part: 0
  refused(b, "high part 0");
  // A high part that does not fit 32 bits with the 3 low ones.
  std::string wide = {static_cast<char>(0x80 | 3), 1};
  wide += std::string(48, '\0');
  wide += std::string(1, '\0');
  wide += std::string("\xFF\x0F", 2);  // 2047: 11 bits; 3 low ones + 11 fit
  std::vector<char> fits(wide.begin(), wide.end());
  EXPECT_NE(DecodePatched128(fits.data(), fits.data() + fits.size(), out.data()), nullptr);
  wide.resize(wide.size() - 2);
  wide += std::string("\xFF\xFF\xFF\xFF\x0F", 5);  // 2^32 - 1: 32 bits, 35 with the low ones
  refused(wide, "high part too wide");
  std::string thirty_two = {static_cast<char>(0x80 | 32), 1};
  thirty_two += std::string(512, '\0') + std::string("\x00\x01", 2);
  refused(thirty_two, "exceptions at width 32");
}

}  // namespace
}  // namespace tim::codec
