// Property tests of the postings codec (index/postings.h): int lists, term
// values and block aux, PostingsWriter -> PostingsCursor round trips, and
// cursors over damaged bytes.
//
// The cursor reads views of whole framed files. The tests wrap the writer's
// bytes in a fake frame (8 bytes of header, 12 of footer) held in a heap block
// of exactly that size; under ASan the header and footer are poisoned, so a
// read outside the term's bytes is reported as well as one past the file.

#include <gtest/gtest.h>
#include <sanitizer/asan_interface.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "codec/file_format.h"
#include "index/postings.h"
#include "test_util.h"
#include "tim/status.h"

namespace tim::index {
namespace {

using testing::IsOk;
using testing::Rng;
using testing::Uniform;

// A value of `width` random bits (0..32), its top bit set when width > 0.
std::uint32_t RandomOfWidth(Rng& rng, unsigned width) {
  if (width == 0) return 0;
  const std::uint64_t top = std::uint64_t{1} << (width - 1);
  return static_cast<std::uint32_t>(top | (rng() & (top - 1)));
}

// Header padding | body | footer padding, in a heap block of exactly that
// size, padding poisoned under ASan.
class FakeFile {
 public:
  explicit FakeFile(std::string_view body)
      : body_size_(body.size()),
        size_(codec::kHeaderSize + body.size() + codec::kFooterSize),
        buf_(std::make_unique<char[]>(size_)) {
    std::memset(buf_.get(), 'H', codec::kHeaderSize);
    if (!body.empty()) std::memcpy(buf_.get() + codec::kHeaderSize, body.data(), body.size());
    std::memset(buf_.get() + codec::kHeaderSize + body.size(), 'F', codec::kFooterSize);
    ASAN_POISON_MEMORY_REGION(buf_.get(), codec::kHeaderSize);
    ASAN_POISON_MEMORY_REGION(buf_.get() + codec::kHeaderSize + body.size(), codec::kFooterSize);
  }
  ~FakeFile() { ASAN_UNPOISON_MEMORY_REGION(buf_.get(), size_); }
  FakeFile(const FakeFile&) = delete;
  FakeFile& operator=(const FakeFile&) = delete;

  std::string_view view() const { return std::string_view(buf_.get(), size_); }
  char* body() { return buf_.get() + codec::kHeaderSize; }
  std::size_t body_size() const { return body_size_; }

 private:
  std::size_t body_size_, size_;
  std::unique_ptr<char[]> buf_;
};

// One document of a reference list.
struct Posting {
  std::uint32_t doc = 0, tf = 0, len = 0;
  std::vector<std::uint32_t> pos;  // tf strictly increasing positions
};

// tf strictly increasing positions starting anywhere in [0, 30), and a field
// length larger than the last of them (so >= tf).
void FillPositions(Rng& rng, std::uint32_t tf, Posting* p) {
  p->tf = tf;
  p->pos.clear();
  std::uint32_t at = static_cast<std::uint32_t>(Uniform(rng, 0, 29));
  for (std::uint32_t i = 0; i < tf; ++i) {
    p->pos.push_back(at);
    at += static_cast<std::uint32_t>(Uniform(rng, 1, Uniform(rng, 0, 3) == 0 ? 5000 : 40));
  }
  p->len = p->pos.back() + 1 + static_cast<std::uint32_t>(Uniform(rng, 0, 100));
}

// A list of the given doc ids with random tf 1..20 (mostly 1 when `mostly_one`),
// positions and field lengths.
std::vector<Posting> MakeList(Rng& rng, const std::vector<std::uint32_t>& docs, bool mostly_one) {
  std::vector<Posting> list(docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    list[i].doc = docs[i];
    const std::uint32_t tf =
        mostly_one && Uniform(rng, 0, 3) != 0 ? 1 : static_cast<std::uint32_t>(Uniform(rng, 1, 20));
    FillPositions(rng, tf, &list[i]);
  }
  return list;
}

// n strictly increasing doc ids with gaps of random widths; *max_doc is set
// just above the last (0 to 5 ids above it).
std::vector<std::uint32_t> RandomDocs(Rng& rng, std::size_t n, std::uint32_t* max_doc) {
  std::vector<std::uint32_t> docs;
  std::uint64_t doc = Uniform(rng, 0, 3) == 0 ? 0 : Uniform(rng, 0, 1000);
  for (std::size_t i = 0; i < n; ++i) {
    docs.push_back(static_cast<std::uint32_t>(doc));
    const unsigned width =
        static_cast<unsigned>(Uniform(rng, 0, 3) == 0 ? Uniform(rng, 1, 16) : Uniform(rng, 1, 3));
    doc += std::max<std::uint32_t>(1, RandomOfWidth(rng, width));
  }
  *max_doc = static_cast<std::uint32_t>(docs.empty() ? 1 : docs.back() + 1 + Uniform(rng, 0, 5));
  return docs;
}

// The writer's output for one or more terms, in fake frames.
struct Built {
  std::vector<TermInfo> infos;
  std::unique_ptr<FakeFile> doc, pos;
  std::uint32_t max_doc = 0;

  PostingsSource Source() const {
    PostingsSource src;
    src.doc_name = "t.doc";
    src.pos_name = "t.pos";
    src.doc_file = doc->view();
    src.pos_file = pos->view();
    src.max_doc = max_doc;
    return src;
  }
};

Built Build(const std::vector<std::vector<Posting>>& terms, bool positions, std::uint32_t max_doc) {
  PostingsWriter w;
  Built b;
  b.max_doc = max_doc;
  for (const auto& list : terms) {
    w.StartTerm(positions);
    for (const Posting& p : list) {
      w.AddDoc(p.doc, p.tf, p.len, positions ? p.pos.data() : nullptr);
    }
    EXPECT_EQ(w.pending_docs(), list.size());
    TermInfo info;
    w.FinishTerm(codec::kHeaderSize, codec::kHeaderSize, &info);
    b.infos.push_back(info);
  }
  b.doc = std::make_unique<FakeFile>(*w.doc_out());
  b.pos = std::make_unique<FakeFile>(*w.pos_out());
  return b;
}

// What block_*() must report for the document at index i of a list with a
// skip table: exactly the writer's block bounds.
struct BlockBounds {
  std::uint32_t last_doc, max_tf, min_len;
};
BlockBounds BoundsOf(const std::vector<Posting>& list, std::size_t i) {
  const std::size_t begin = i / kPostingsBlock * kPostingsBlock;
  const std::size_t end = std::min(list.size(), begin + kPostingsBlock);
  BlockBounds b{list[end - 1].doc, 0, kNoMoreDocs};
  for (std::size_t j = begin; j < end; ++j) {
    b.max_tf = std::max(b.max_tf, list[j].tf);
    b.min_len = std::min(b.min_len, list[j].len);
  }
  return b;
}

// Checks the cursor's current document against list[i]; its positions too
// when `check_positions` (a cursor without positions must refuse them).
void ExpectAt(PostingsCursor* c, const std::vector<Posting>& list, std::size_t i, bool positions,
              bool check_positions = true) {
  ASSERT_LT(i, list.size());
  const Posting& p = list[i];
  ASSERT_EQ(c->doc(), p.doc) << "index " << i;
  ASSERT_EQ(c->freq(), p.tf) << "doc " << p.doc;
  EXPECT_GE(c->block_last_doc(), c->doc()) << "doc " << p.doc;
  EXPECT_GE(c->block_max_tf(), c->freq()) << "doc " << p.doc;
  EXPECT_LE(c->block_min_len(), p.len) << "doc " << p.doc;
  if (list.size() > kPostingsBlock) {
    const BlockBounds b = BoundsOf(list, i);
    EXPECT_EQ(c->block_last_doc(), b.last_doc) << "doc " << p.doc;
    EXPECT_EQ(c->block_max_tf(), b.max_tf) << "doc " << p.doc;
    EXPECT_EQ(c->block_min_len(), b.min_len) << "doc " << p.doc;
  }
  std::vector<std::uint32_t> got;
  if (!check_positions) return;
  if (positions) {
    ASSERT_TRUE(IsOk(c->Positions(&got))) << "doc " << p.doc;
    ASSERT_EQ(got, p.pos) << "doc " << p.doc;
  } else {
    EXPECT_TRUE(c->Positions(&got).IsInvalidArgument());
  }
}

// Everything a cursor can say about the term `info` locates in `src`, against
// `list`.
void CheckTerm(Rng& rng, const PostingsSource& src, const TermInfo& info,
               const std::vector<Posting>& list, bool positions) {
  ASSERT_EQ(info.doc_freq, list.size());
  std::uint64_t total = 0;
  for (const Posting& p : list) total += p.tf;
  EXPECT_EQ(info.total_freq, total);
  if (list.size() == 1) {
    EXPECT_EQ(info.single_doc, list[0].doc);
    EXPECT_EQ(info.doc_bytes, 0u);
  } else {
    EXPECT_GT(info.doc_bytes, 0u);
  }
  if (positions) {
    EXPECT_GT(info.pos_bytes, 0u);
  } else {
    EXPECT_EQ(info.pos_bytes, 0u);
  }

  // Next() through the whole list, positions of every document.
  {
    PostingsCursor c;
    ASSERT_TRUE(IsOk(c.Init(src, info, positions)));
    EXPECT_EQ(c.doc_freq(), list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      ASSERT_NO_FATAL_FAILURE(ExpectAt(&c, list, i, positions));
      c.Next();
    }
    EXPECT_EQ(c.doc(), kNoMoreDocs);
    c.Next();
    EXPECT_EQ(c.doc(), kNoMoreDocs);
    EXPECT_TRUE(IsOk(c.status()));
  }

  // Next() asking for the positions of only some documents (decoded lazily
  // per block, so the first asked for need not be a block's first).
  if (positions) {
    PostingsCursor c;
    ASSERT_TRUE(IsOk(c.Init(src, info, positions)));
    for (std::size_t i = 0; i < list.size(); ++i) {
      ASSERT_EQ(c.doc(), list[i].doc);
      if (Uniform(rng, 0, 4) == 0) {
        std::vector<std::uint32_t> got;
        ASSERT_TRUE(IsOk(c.Positions(&got)));
        ASSERT_EQ(got, list[i].pos) << "doc " << list[i].doc;
      }
      c.Next();
    }
    EXPECT_EQ(c.doc(), kNoMoreDocs);
  }

  // NextGeq to random targets (mixed with Next), against lower_bound.
  std::vector<std::uint32_t> docs;
  for (const Posting& p : list) docs.push_back(p.doc);
  for (int pass = 0; pass < 4; ++pass) {
    PostingsCursor c;
    ASSERT_TRUE(IsOk(c.Init(src, info, positions)));
    std::size_t at = 0;  // index of the reference's current doc
    for (int step = 0; step < 64 && at < docs.size(); ++step) {
      std::uint32_t target;
      const auto kind = Uniform(rng, 0, 9);
      if (kind == 0) {
        c.Next();
        ++at;
      } else {
        if (kind == 1) {
          target = docs[Uniform(rng, 0, at)];  // behind or at the current doc
        } else if (kind <= 4) {
          target = docs[Uniform(rng, at, std::min(docs.size() - 1, at + 300))];
        } else if (kind <= 8) {
          const std::uint64_t from = docs[at];
          const std::uint64_t to =
              std::min<std::uint64_t>(docs[std::min(docs.size() - 1, at + 300)] + 2, kNoMoreDocs);
          target = static_cast<std::uint32_t>(Uniform(rng, from, to));
        } else {
          target = static_cast<std::uint32_t>(Uniform(rng, docs.back(), kNoMoreDocs));
        }
        const std::uint32_t before = c.doc();
        c.NextGeq(target);
        if (docs[at] < target) {
          at = static_cast<std::size_t>(std::lower_bound(docs.begin(), docs.end(), target) -
                                        docs.begin());
        }
        ASSERT_GE(c.doc(), before) << "NextGeq(" << target << ") went backwards";
      }
      if (at == docs.size()) {
        ASSERT_EQ(c.doc(), kNoMoreDocs);
      } else {
        ASSERT_NO_FATAL_FAILURE(ExpectAt(&c, list, at, positions, Uniform(rng, 0, 1) == 0));
      }
    }
    c.NextGeq(kNoMoreDocs);
    EXPECT_EQ(c.doc(), kNoMoreDocs);
    EXPECT_TRUE(IsOk(c.status()));
  }
}

void RoundTrip(Rng& rng, const std::vector<Posting>& list, bool positions, std::uint32_t max_doc) {
  const Built b = Build({list}, positions, max_doc);
  if (list.size() > 1) {
    EXPECT_EQ(b.infos[0].doc_offset, codec::kHeaderSize);
    EXPECT_EQ(b.infos[0].doc_bytes, b.doc->body_size());
  }
  EXPECT_EQ(b.infos[0].pos_offset, codec::kHeaderSize);
  EXPECT_EQ(b.infos[0].pos_bytes, b.pos->body_size());
  CheckTerm(rng, b.Source(), b.infos[0], list, positions);
}

// ---------------------------------------------------------------- int lists

TEST(Postings, IntsRoundTripAndTruncation) {
  Rng rng(101);
  for (std::size_t n : {0, 1, 127, 128, 129, 256, 1000}) {
    for (int trial = 0; trial < 6; ++trial) {
      SCOPED_TRACE("n " + std::to_string(n) + " trial " + std::to_string(trial));
      std::vector<std::uint32_t> values(n);
      // Trials: one width for all, a width per value, a width per chunk.
      unsigned width = static_cast<unsigned>(Uniform(rng, 0, 32));
      for (std::size_t i = 0; i < n; ++i) {
        if (trial % 3 == 1) width = static_cast<unsigned>(Uniform(rng, 0, 32));
        if (trial % 3 == 2 && i % 128 == 0) width = static_cast<unsigned>(Uniform(rng, 0, 32));
        if (width == 0) {
          values[i] = 0;
        } else {
          values[i] = trial % 3 == 0 ? RandomOfWidth(rng, width)
                                     : static_cast<std::uint32_t>(rng() >> (64 - width));
        }
      }
      std::string enc;
      EncodeInts(values.data(), n, &enc);

      // Exact buffers, so that ASan reports any read or write past them.
      auto in = std::make_unique<char[]>(enc.size() + 1);
      std::memcpy(in.get(), enc.data(), enc.size());
      std::vector<std::uint32_t> out(n, 0xDEADBEEF);
      const char* end = DecodeInts(in.get(), in.get() + enc.size(), n, out.data());
      ASSERT_EQ(end, in.get() + enc.size());
      ASSERT_EQ(out, values);

      // Followed by other bytes: stops after the list.
      in[enc.size()] = '\x7f';
      end = DecodeInts(in.get(), in.get() + enc.size() + 1, n, out.data());
      ASSERT_EQ(end, in.get() + enc.size());

      // Every truncation fails (each value needs its last byte), reading
      // nothing past the limit.
      const std::size_t step = enc.size() > 600 ? 7 : 1;
      for (std::size_t k = 0; k < enc.size(); k += (k + step < enc.size() ? step : 1)) {
        auto cut = std::make_unique<char[]>(k);
        if (k > 0) std::memcpy(cut.get(), enc.data(), k);
        std::vector<std::uint32_t> scratch(n);
        const char* r = DecodeInts(cut.get(), cut.get() + k, n, scratch.data());
        ASSERT_EQ(r, nullptr) << "truncated to " << k << " of " << enc.size();
      }
    }
  }
}

TEST(Postings, IntsRejectBadWidths) {
  for (unsigned width = 33; width < 256; ++width) {
    std::string enc(1, static_cast<char>(width));
    enc.append(16 * 40, '\0');
    std::vector<std::uint32_t> out(128);
    EXPECT_EQ(DecodeInts(enc.data(), enc.data() + enc.size(), 128, out.data()), nullptr) << width;
  }
  // A width whose packed bytes do not fit.
  std::string enc(1, '\x05');
  enc.append(16 * 5 - 1, '\0');
  std::vector<std::uint32_t> out(128);
  EXPECT_EQ(DecodeInts(enc.data(), enc.data() + enc.size(), 128, out.data()), nullptr);
  enc.push_back('\0');
  EXPECT_EQ(DecodeInts(enc.data(), enc.data() + enc.size(), 128, out.data()),
            enc.data() + enc.size());
}

// ---------------------------------------------------------------- term values

TermInfo RandomTermInfo(Rng& rng, bool positions) {
  TermInfo info;
  info.doc_freq =
      Uniform(rng, 0, 2) == 0 ? 1 : static_cast<std::uint32_t>(Uniform(rng, 2, 1u << 31));
  info.total_freq =
      info.doc_freq + Uniform(rng, 0, Uniform(rng, 0, 1) ? 10 : std::uint64_t{1} << 40);
  if (info.doc_freq == 1) {
    info.single_doc = static_cast<std::uint32_t>(Uniform(rng, 0, kNoMoreDocs - 1));
  } else {
    info.doc_bytes = Uniform(rng, 1, Uniform(rng, 0, 1) ? 300 : std::uint64_t{1} << 40);
  }
  if (positions)
    info.pos_bytes = Uniform(rng, 0, Uniform(rng, 0, 1) ? 300 : std::uint64_t{1} << 40);
  return info;
}

void ExpectSameInfo(const TermInfo& a, const TermInfo& b) {
  EXPECT_EQ(a.doc_freq, b.doc_freq);
  EXPECT_EQ(a.total_freq, b.total_freq);
  EXPECT_EQ(a.doc_offset, b.doc_offset);
  EXPECT_EQ(a.doc_bytes, b.doc_bytes);
  EXPECT_EQ(a.pos_offset, b.pos_offset);
  EXPECT_EQ(a.pos_bytes, b.pos_bytes);
  if (a.doc_freq == 1) {
    EXPECT_EQ(a.single_doc, b.single_doc);
  }
}

TEST(Postings, TermValuesRoundTripWithBlockOffsets) {
  Rng rng(202);
  for (int trial = 0; trial < 2000; ++trial) {
    const bool positions = trial % 2 == 0;
    TermInfo t1 = RandomTermInfo(rng, positions), t2 = RandomTermInfo(rng, positions);
    // Two consecutive terms of a block: the aux holds t1's offsets, t2's
    // follow t1's lists.
    t1.doc_offset = Uniform(rng, codec::kHeaderSize, std::uint64_t{1} << 42);
    t1.pos_offset = Uniform(rng, codec::kHeaderSize, std::uint64_t{1} << 42);
    t2.doc_offset = t1.doc_offset + t1.doc_bytes;
    t2.pos_offset = t1.pos_offset + t1.pos_bytes;
    std::string aux, v1, v2;
    EncodeBlockAux(t1.doc_offset, t1.pos_offset, &aux);
    EncodeTermValue(t1, positions, &v1);
    EncodeTermValue(t2, positions, &v2);

    std::uint64_t offsets[2] = {7, 7};
    ASSERT_TRUE(DecodeBlockAux(aux, offsets));
    EXPECT_EQ(offsets[0], t1.doc_offset);
    EXPECT_EQ(offsets[1], t1.pos_offset);
    TermInfo d1, d2;
    ASSERT_TRUE(DecodeTermValue(v1, positions, offsets, &d1));
    ExpectSameInfo(t1, d1);
    ASSERT_TRUE(DecodeTermValue(v2, positions, offsets, &d2));
    ExpectSameInfo(t2, d2);
    EXPECT_EQ(offsets[0], t2.doc_offset + t2.doc_bytes);
    EXPECT_EQ(offsets[1], t2.pos_offset + t2.pos_bytes);

    // Every truncation, and one byte more, is rejected.
    for (const std::string& v : {v1, v2}) {
      for (std::size_t k = 0; k < v.size(); ++k) {
        std::uint64_t o[2] = {8, 8};
        TermInfo d;
        auto cut = std::make_unique<char[]>(k);
        if (k > 0) std::memcpy(cut.get(), v.data(), k);
        EXPECT_FALSE(DecodeTermValue(std::string_view(cut.get(), k), positions, o, &d))
            << "truncated to " << k;
        EXPECT_EQ(o[0], 8u);
        EXPECT_EQ(o[1], 8u);
      }
      std::uint64_t o[2] = {8, 8};
      TermInfo d;
      EXPECT_FALSE(DecodeTermValue(v + '\0', positions, o, &d));
    }
    for (std::size_t k = 0; k < aux.size(); ++k) {
      std::uint64_t o[2];
      EXPECT_FALSE(DecodeBlockAux(std::string_view(aux).substr(0, k), o));
    }
  }
}

TEST(Postings, TermValuesRejectImpossibleValues) {
  std::uint64_t offsets[2] = {8, 8};
  TermInfo info;
  std::string v;
  // doc_freq 0.
  v = std::string("\x00\x00\x05", 3);
  EXPECT_FALSE(DecodeTermValue(v, false, offsets, &info));
  // total_freq - doc_freq > 2^40.
  TermInfo big;
  big.doc_freq = 3;
  big.total_freq = 3 + (std::uint64_t{1} << 40) + 1;
  big.doc_bytes = 10;
  v.clear();
  EncodeTermValue(big, false, &v);
  EXPECT_FALSE(DecodeTermValue(v, false, offsets, &info));
  big.total_freq -= 1;
  v.clear();
  EncodeTermValue(big, false, &v);
  EXPECT_TRUE(DecodeTermValue(v, false, offsets, &info));
  // An inline doc of kNoMoreDocs.
  TermInfo one;
  one.doc_freq = 1;
  one.total_freq = 1;
  one.single_doc = kNoMoreDocs;
  v.clear();
  EncodeTermValue(one, false, &v);
  EXPECT_FALSE(DecodeTermValue(v, false, offsets, &info));
  one.single_doc = kNoMoreDocs - 1;
  v.clear();
  EncodeTermValue(one, false, &v);
  std::uint64_t o[2] = {100, 200};
  ASSERT_TRUE(DecodeTermValue(v, false, o, &info));
  EXPECT_EQ(info.single_doc, kNoMoreDocs - 1);
  EXPECT_EQ(o[0], 100u);  // an inline posting adds nothing to the doc offset
  EXPECT_EQ(o[1], 200u);
  // A value written with positions read without them has a varint too many.
  TermInfo pos;
  pos.doc_freq = 2;
  pos.total_freq = 4;
  pos.doc_bytes = 3;
  pos.pos_bytes = 5;
  v.clear();
  EncodeTermValue(pos, true, &v);
  EXPECT_FALSE(DecodeTermValue(v, false, offsets, &info));
}

// ---------------------------------------------------------------- round trips

TEST(Postings, RoundTripRandomLists) {
  Rng rng(303);
  for (std::size_t n : {1, 2, 127, 128, 129, 255, 256, 257, 1000}) {
    for (bool positions : {false, true}) {
      for (bool mostly_one : {false, true}) {
        SCOPED_TRACE("n " + std::to_string(n) + (positions ? " with" : " without") + " positions" +
                     (mostly_one ? ", mostly tf 1" : ""));
        std::uint32_t max_doc;
        const std::vector<std::uint32_t> docs = RandomDocs(rng, n, &max_doc);
        RoundTrip(rng, MakeList(rng, docs, mostly_one), positions, max_doc);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

TEST(Postings, RoundTripDenseAndHugeGaps) {
  Rng rng(404);
  for (bool positions : {false, true}) {
    SCOPED_TRACE(positions ? "with positions" : "without positions");
    // Consecutive doc ids (deltas of 0 width after the first).
    std::vector<std::uint32_t> dense(700);
    for (std::size_t i = 0; i < dense.size(); ++i) dense[i] = static_cast<std::uint32_t>(i);
    RoundTrip(rng, MakeList(rng, dense, true), positions, 700);
    // Doc 0, then doc 4,000,000,000.
    RoundTrip(rng, MakeList(rng, {0, 4'000'000'000u}, false), positions, 4'000'000'001u);
    // The same gap inside a full block and in the tail, of a list with a
    // skip table.
    std::vector<std::uint32_t> gaps = {0, 4'000'000'000u};
    for (std::uint32_t i = 1; gaps.size() < 300; ++i) gaps.push_back(4'000'000'000u + i);
    gaps[200] = gaps[199] + 100'000'000u;
    for (std::size_t i = 201; i < gaps.size(); ++i) gaps[i] = gaps[i - 1] + 1;
    RoundTrip(rng, MakeList(rng, gaps, false), positions, gaps.back() + 1);
  }
}

TEST(Postings, RoundTripLargestDocId) {
  Rng rng(505);
  const std::uint32_t last = kNoMoreDocs - 1;
  for (bool positions : {false, true}) {
    SCOPED_TRACE(positions ? "with positions" : "without positions");
    RoundTrip(rng, MakeList(rng, {last}, false), positions, kNoMoreDocs);     // inline
    RoundTrip(rng, MakeList(rng, {0, last}, false), positions, kNoMoreDocs);  // tail
    for (std::size_t n : {128, 129, 256, 300}) {  // full blocks, skip tables
      std::vector<std::uint32_t> docs(n);
      for (std::size_t i = 0; i < n; ++i) docs[i] = static_cast<std::uint32_t>(last - (n - 1 - i));
      RoundTrip(rng, MakeList(rng, docs, false), positions, kNoMoreDocs);
      docs[0] = 0;
      RoundTrip(rng, MakeList(rng, docs, true), positions, kNoMoreDocs);
    }
  }
}

TEST(Postings, RoundTripLargeFrequencies) {
  Rng rng(606);
  for (bool positions : {false, true}) {
    std::vector<Posting> list;
    for (std::uint32_t d = 0; d < 300; ++d) {
      Posting p;
      p.doc = d * 3;
      FillPositions(rng, d == 7 || d == 200 ? 3000 : static_cast<std::uint32_t>(1 + d % 5), &p);
      list.push_back(std::move(p));
    }
    RoundTrip(rng, list, positions, 900);
    RoundTrip(rng, {list[7]}, positions, 900);
  }
}

// Several terms written one after the other share the two files; their term
// values, decoded from one block's aux, find each list.
TEST(Postings, SeveralTermsShareTheFiles) {
  Rng rng(707);
  for (bool positions : {false, true}) {
    SCOPED_TRACE(positions ? "with positions" : "without positions");
    std::vector<std::vector<Posting>> terms;
    std::uint32_t max_doc = 1;
    for (std::size_t n : {5, 1, 300, 1, 128, 2, 1000, 129}) {
      std::uint32_t m;
      terms.push_back(MakeList(rng, RandomDocs(rng, n, &m), false));
      max_doc = std::max(max_doc, m);
    }
    const Built b = Build(terms, positions, max_doc);
    std::string aux;
    EncodeBlockAux(b.infos[0].doc_offset, b.infos[0].pos_offset, &aux);
    std::uint64_t offsets[2];
    ASSERT_TRUE(DecodeBlockAux(aux, offsets));
    std::uint64_t doc_end = codec::kHeaderSize, pos_end = codec::kHeaderSize;
    for (std::size_t t = 0; t < terms.size(); ++t) {
      SCOPED_TRACE("term " + std::to_string(t));
      const TermInfo& info = b.infos[t];
      EXPECT_EQ(info.doc_offset, doc_end);
      EXPECT_EQ(info.pos_offset, pos_end);
      doc_end += info.doc_bytes;
      pos_end += info.pos_bytes;
      std::string value;
      EncodeTermValue(info, positions, &value);
      TermInfo decoded;
      ASSERT_TRUE(DecodeTermValue(value, positions, offsets, &decoded));
      if (info.doc_freq > 1) {
        EXPECT_EQ(decoded.doc_offset, info.doc_offset);
      }
      EXPECT_EQ(decoded.pos_offset, info.pos_offset);
      EXPECT_EQ(decoded.doc_bytes, info.doc_bytes);
      EXPECT_EQ(decoded.pos_bytes, info.pos_bytes);
      CheckTerm(rng, b.Source(), decoded, terms[t], positions);
    }
    EXPECT_EQ(doc_end, codec::kHeaderSize + b.doc->body_size());
    EXPECT_EQ(pos_end, codec::kHeaderSize + b.pos->body_size());
  }
}

TEST(Postings, InitRejectsOutOfRangeLists) {
  Rng rng(808);
  std::uint32_t max_doc;
  const std::vector<Posting> list = MakeList(rng, RandomDocs(rng, 300, &max_doc), false);
  const Built b = Build({list}, true, max_doc);
  const PostingsSource src = b.Source();
  auto expect_corrupt = [&](TermInfo info, const char* what) {
    PostingsCursor c;
    EXPECT_TRUE(c.Init(src, info, true).IsCorruption()) << what;
    EXPECT_TRUE(c.status().IsCorruption()) << what;
    EXPECT_EQ(c.doc(), kNoMoreDocs) << what;
  };
  TermInfo info = b.infos[0];
  info.doc_offset = 7;
  expect_corrupt(info, "doc_offset in the header");
  info = b.infos[0];
  info.doc_bytes += 1;
  expect_corrupt(info, "doc_bytes into the footer");
  info = b.infos[0];
  info.doc_offset += 1;
  expect_corrupt(info, "doc list moved");
  info = b.infos[0];
  info.pos_offset = 0;
  expect_corrupt(info, "pos_offset in the header");
  info = b.infos[0];
  info.pos_bytes += 1;
  expect_corrupt(info, "pos_bytes into the footer");
  info = b.infos[0];
  info.doc_offset = ~std::uint64_t{0} - 3;
  expect_corrupt(info, "doc_offset huge");
  info = b.infos[0];
  info.doc_bytes = ~std::uint64_t{0} - 3;
  expect_corrupt(info, "doc_bytes huge");
  info = b.infos[0];
  info.pos_bytes = ~std::uint64_t{0} - 3;
  expect_corrupt(info, "pos_bytes huge");
  info = b.infos[0];
  info.doc_freq = 0xFFFFFFFFu;
  expect_corrupt(info, "doc_freq huge");
  // Inline postings out of range.
  TermInfo one;
  one.doc_freq = 1;
  one.total_freq = 1;
  one.single_doc = max_doc;
  one.pos_offset = codec::kHeaderSize;
  expect_corrupt(one, "inline doc = max_doc");
  one.single_doc = 0;
  one.total_freq = std::uint64_t{1} << 32;
  expect_corrupt(one, "inline frequency >= 2^32");
  // Out of range doc ids for the segment.
  PostingsCursor c;
  PostingsSource small = src;
  small.max_doc = list.back().doc;
  EXPECT_TRUE(c.Init(small, b.infos[0], true).IsCorruption());
}

// ---------------------------------------------------------------- damage

struct Walk {
  std::vector<std::uint32_t> docs;
  bool ended = false;
};

// Runs a cursor over possibly damaged bytes: Next() for at most 2 * doc_freq
// steps, positions of every document, then NextGeq over a fresh cursor. The
// cursor must stop by itself and either report Corruption or yield strictly
// increasing documents below max_doc, with freq() positions each.
void WalkDamaged(const PostingsSource& src, const TermInfo& info, bool positions, Rng& rng,
                 const std::string& what) {
  SCOPED_TRACE(what);
  const std::size_t bound = 2 * std::size_t{info.doc_freq} + 2;
  {
    PostingsCursor c;
    const Status init = c.Init(src, info, positions);
    ASSERT_TRUE(init.ok() || init.IsCorruption()) << init.ToString();
    std::vector<std::uint32_t> docs;
    std::size_t steps = 0;
    while (c.doc() != kNoMoreDocs && steps < bound) {
      docs.push_back(c.doc());
      ASSERT_GE(c.freq(), 1u);
      if (positions) {
        std::vector<std::uint32_t> pos;
        const Status s = c.Positions(&pos);
        if (s.ok()) {
          ASSERT_EQ(pos.size(), c.freq()) << "doc " << c.doc();
          for (std::size_t i = 1; i < pos.size(); ++i) ASSERT_LT(pos[i - 1], pos[i]);
        } else {
          ASSERT_TRUE(s.IsCorruption()) << s.ToString();
          // A failed Positions() ends the cursor.
          ASSERT_TRUE(c.status().IsCorruption());
          ASSERT_EQ(c.doc(), kNoMoreDocs);
          break;
        }
      }
      c.Next();
      ++steps;
    }
    ASSERT_EQ(c.doc(), kNoMoreDocs) << "cursor did not stop within " << bound << " steps";
    ASSERT_TRUE(c.status().ok() || c.status().IsCorruption()) << c.status().ToString();
    if (c.status().ok()) {
      ASSERT_LE(docs.size(), info.doc_freq);
      for (std::size_t i = 0; i < docs.size(); ++i) {
        ASSERT_LT(docs[i], src.max_doc);
        if (i > 0) {
          ASSERT_LT(docs[i - 1], docs[i]);
        }
      }
    }
  }
  {
    PostingsCursor c;
    // Damage may be caught at once; then it must be called corruption.
    if (const tim::Status init = c.Init(src, info, positions); !init.ok()) {
      EXPECT_TRUE(init.IsCorruption()) << init.ToString();
      return;
    }
    std::uint32_t prev = 0;
    bool first = true;
    for (std::size_t steps = 0; c.doc() != kNoMoreDocs && steps < bound; ++steps) {
      const std::uint32_t d = c.doc();
      if (!first) {
        ASSERT_LT(prev, d);
      }
      ASSERT_LT(d, src.max_doc);
      first = false;
      prev = d;
      c.NextGeq(static_cast<std::uint32_t>(
          std::min<std::uint64_t>(kNoMoreDocs, std::uint64_t{d} + Uniform(rng, 1, 3000))));
      if (c.doc() != kNoMoreDocs) {  // callable on damaged lists too
        (void)c.block_last_doc();
        (void)c.block_max_tf();
        (void)c.block_min_len();
      }
    }
    ASSERT_EQ(c.doc(), kNoMoreDocs);
    ASSERT_TRUE(c.status().ok() || c.status().IsCorruption()) << c.status().ToString();
  }
}

void DamageList(Rng& rng, std::size_t n, std::size_t flips) {
  SCOPED_TRACE(std::to_string(n) + " docs");
  std::uint32_t max_doc;
  const std::vector<Posting> list = MakeList(rng, RandomDocs(rng, n, &max_doc), false);
  Built b = Build({list}, true, max_doc);
  const TermInfo info = b.infos[0];
  const PostingsSource src = b.Source();
  WalkDamaged(src, info, true, rng, "undamaged");
  for (FakeFile* file : {b.doc.get(), b.pos.get()}) {
    const std::size_t size = file->body_size();
    const bool every = size <= flips;
    for (std::size_t k = 0; k < (every ? size : flips); ++k) {
      const std::size_t at = every ? k : Uniform(rng, 0, size - 1);
      const char old = file->body()[at];
      const char mask = static_cast<char>(Uniform(rng, 1, 255));
      file->body()[at] = static_cast<char>(old ^ mask);
      WalkDamaged(src, info, true, rng,
                  std::string(file == b.doc.get() ? "doc" : "pos") + " byte " + std::to_string(at) +
                      " ^ " + std::to_string(mask & 0xFF));
      file->body()[at] = old;
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
  // Truncated lists: always noticed (the skip table or the block no longer
  // adds up, or the positions end early).
  for (int which = 0; which < 2; ++which) {
    const std::uint64_t bytes = which == 0 ? info.doc_bytes : info.pos_bytes;
    for (std::uint64_t cut = 1; cut <= bytes; cut += (cut < 40 ? 1 : 1 + bytes / 30)) {
      TermInfo t = info;
      (which == 0 ? t.doc_bytes : t.pos_bytes) = bytes - cut;
      const std::string what =
          std::string(which == 0 ? "doc_bytes" : "pos_bytes") + " - " + std::to_string(cut);
      WalkDamaged(src, t, true, rng, what);
      if (::testing::Test::HasFatalFailure()) return;
      PostingsCursor c;
      if (const tim::Status init = c.Init(src, t, true); !init.ok()) {
        EXPECT_TRUE(init.IsCorruption()) << what << ": " << init.ToString();
        continue;
      }
      std::vector<std::uint32_t> pos;
      for (std::size_t steps = 0; c.doc() != kNoMoreDocs && steps <= n; ++steps) {
        if (!c.Positions(&pos).ok()) break;
        c.Next();
      }
      EXPECT_TRUE(c.status().IsCorruption()) << what << ": " << c.status().ToString();
    }
  }
}

// Positions whose deltas add up past 2^32 - 1 would wrap around to a
// smaller position: damage, not a position.
TEST(Postings, PositionsThatWrapAreCorruption) {
  Posting p;
  p.doc = 3;
  p.tf = 2;
  p.len = 5;
  p.pos = {0x7FFFFFFFu, 0xFFFFFFFEu};  // deltas 0x7FFFFFFF twice: 5-byte varints
  Built b = Build({{p}}, true, 10);
  ASSERT_EQ(b.pos->body_size(), 10u);
  {
    PostingsCursor c;
    ASSERT_TRUE(c.Init(b.Source(), b.infos[0], true).ok());
    std::vector<std::uint32_t> pos;
    ASSERT_TRUE(c.Positions(&pos).ok());
    EXPECT_EQ(pos, p.pos);
  }
  b.pos->body()[9] = 0x0F;  // the second delta becomes 0xFFFFFFFF
  PostingsCursor c;
  ASSERT_TRUE(c.Init(b.Source(), b.infos[0], true).ok());
  std::vector<std::uint32_t> pos;
  const Status s = c.Positions(&pos);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("t.pos"), std::string::npos) << s.ToString();
}

TEST(Postings, DamagedBytesNeverCrash) {
  Rng rng(909);
  DamageList(rng, 1000, 300);  // skip table, full blocks and a tail
  DamageList(rng, 128, 300);   // one full block, no skip table
  DamageList(rng, 100, 300);   // one tail block
}

}  // namespace
}  // namespace tim::index
