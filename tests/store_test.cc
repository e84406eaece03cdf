// Stored documents (store/doc_store.h) written through a FileBuilder to a
// real file and read back from its memory map: every document by Get and by
// ReadBlock, with and without a zstd dictionary, and damaged bodies.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <xxhash.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codec/file_format.h"
#include "codec/varint.h"
#include "store/doc_store.h"
#include "test_util.h"
#include "tim/file_system.h"
#include "tim/status.h"

namespace tim::store {
namespace {

using testing::IsOk;
using testing::Rng;
using testing::Uniform;

const char* const kWords[] = {
    "Hà Nội",    "thủy lợi",  "người",     "Đà Nẵng",    "quốc gia",    "giữa",        "Việt Nam",
    "sông",      "Hồng",      "đồng bằng", "nước",       "mưa",         "bão",         "của",
    "và",        "những",     "được",      "trong",      "năm",         "thành phố",   "tỉnh",
    "huyện",     "xã",        "đường",     "cầu",        "chợ",         "trường",      "học sinh",
    "giáo viên", "bệnh viện", "kinh tế",   "phát triển", "nông nghiệp", "lúa",         "gạo",
    "cà phê",    "Huế",       "Sài Gòn",   "Cần Thơ",    "Hải Phòng",   "ĐẮK LẮK",     "Nghệ An",
    "tiếng",     "chữ",       "ngữ",       "văn hóa",    "lịch sử",     "chiến tranh", "hòa bình",
    "1945",      "2024",      "3,5%",      "(",          ")",           "—",           "«",
    "»",         ".",         ",",         "ả",          "ỹ",           "ợ",           "ự",
};

std::string RandomText(Rng& rng, std::size_t words) {
  std::string s;
  for (std::size_t i = 0; i < words; ++i) {
    if (i > 0) s += Uniform(rng, 0, 15) == 0 ? "\n" : " ";
    s += kWords[Uniform(rng, 0, std::size(kWords) - 1)];
  }
  return s;
}

StoredDoc RandomDoc(Rng& rng, std::size_t i, std::size_t mean_words) {
  StoredDoc d;
  d.id = Uniform(rng, 0, 9) == 0 ? RandomText(rng, 2) + "#" + std::to_string(i)
                                 : "vn-" + std::to_string(i * 7919);
  const std::size_t nfields = Uniform(rng, 0, 10) == 0 ? 0 : Uniform(rng, 1, 3);
  for (std::size_t f = 0; f < nfields; ++f) {
    const std::uint32_t field =
        Uniform(rng, 0, 20) == 0 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(Uniform(rng, 0, 4));
    const std::size_t words = Uniform(rng, 0, 12) == 0 ? 0 : Uniform(rng, 1, 2 * mean_words);
    d.fields.emplace_back(field, RandomText(rng, words));
  }
  return d;
}

std::string Serialize(const StoredDoc& d) {
  std::vector<std::pair<std::uint32_t, std::string_view>> fields;
  for (const auto& [f, text] : d.fields) fields.emplace_back(f, text);
  std::string out;
  SerializeDoc(d.id, fields, &out);
  return out;
}

void ExpectSameDoc(const StoredDoc& got, const StoredDoc& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.fields, want.fields) << "doc " << want.id;
}

using testing::TempDir;

// Writes `docs` to a framed .sto file at `path`.
void WriteStore(const std::string& path, const std::vector<StoredDoc>& docs,
                const StoreOptions& options) {
  codec::FileBuilder file;
  ASSERT_TRUE(IsOk(file.Open(FileSystem::Default(), path, codec::FileKind::kStore)));
  StoreWriter w(&file, options);
  for (const StoredDoc& d : docs) ASSERT_TRUE(IsOk(w.Add(Serialize(d))));
  EXPECT_EQ(w.docs(), docs.size());
  ASSERT_TRUE(IsOk(w.Finish()));
  ASSERT_TRUE(IsOk(file.Finish()));
}

void MapStore(const std::string& path, std::unique_ptr<MappedFile>* map) {
  ASSERT_TRUE(IsOk(FileSystem::Default()->MapFile(path, map)));
  std::string_view body;
  ASSERT_TRUE(IsOk(codec::CheckFrame(path, (*map)->view(), codec::FileKind::kStore, true, &body)));
}

// Every document through ReadBlock, and every `get_step`-th through Get.
void CheckReader(const StoreReader& r, const std::vector<StoredDoc>& docs,
                 std::uint32_t get_step = 1) {
  ASSERT_EQ(r.doc_count(), docs.size());
  for (std::uint32_t i = 0; i < docs.size(); i += get_step) {
    StoredDoc got;
    ASSERT_TRUE(IsOk(r.Get(i, &got))) << "doc " << i;
    ASSERT_NO_FATAL_FAILURE(ExpectSameDoc(got, docs[i]));
  }
  StoredDoc ignored;
  EXPECT_TRUE(r.Get(static_cast<std::uint32_t>(docs.size()), &ignored).IsInvalidArgument());
  EXPECT_TRUE(r.Get(0xFFFFFFFFu, &ignored).IsInvalidArgument());

  std::uint32_t next = 0;
  std::string raw;
  std::vector<std::string_view> spans;
  for (std::size_t b = 0; b < r.blocks(); ++b) {
    std::uint32_t first = 0;
    ASSERT_TRUE(IsOk(r.ReadBlock(b, &raw, &spans, &first))) << "block " << b;
    ASSERT_EQ(first, next) << "block " << b;
    ASSERT_FALSE(spans.empty()) << "block " << b;
    std::size_t covered = 0;
    for (std::string_view span : spans) covered += span.size();
    EXPECT_EQ(covered, raw.size()) << "block " << b;
    for (std::string_view span : spans) {
      ASSERT_LT(next, docs.size());
      StoredDoc got;
      ASSERT_TRUE(ParseDoc(&span, &got)) << "doc " << next;
      EXPECT_TRUE(span.empty()) << "doc " << next << ": span longer than the document";
      ASSERT_NO_FATAL_FAILURE(ExpectSameDoc(got, docs[next]));
      ++next;
    }
  }
  EXPECT_EQ(next, docs.size());
}

struct Config {
  const char* name;
  std::size_t dict_training_bytes;
  bool want_dictionary;  // for the 1000 documents
  std::uint32_t get_step;
};

TEST(Store, RoundTrip) {
  TempDir dir;
  Rng rng(1);
  // About 1.2 MiB of text in 1000 documents: a dictionary is trained when
  // the training sample reaches 1 MiB and 64 documents (docs/format.md,
  // "Stored documents"), so a 64 KiB sample gives none.
  std::vector<StoredDoc> all;
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < 1000; ++i) {
    all.push_back(RandomDoc(rng, i, 100));
    bytes += Serialize(all.back()).size();
  }
  ASSERT_GT(bytes, std::size_t{1} << 20);
  const Config configs[] = {
      {"no dictionary", 0, false, 1},
      {"64 KiB sample", 64 << 10, false, 10},
      {"1 MiB sample", 1 << 20, true, 1},
  };
  int file = 0;
  for (const Config& config : configs) {
    for (std::size_t n : {0, 1, 1000}) {
      SCOPED_TRACE(std::string(config.name) + ", " + std::to_string(n) + " docs");
      const std::vector<StoredDoc> docs(all.begin(), all.begin() + n);
      StoreOptions options;
      options.zstd_level = 3;
      options.block_bytes = 4 << 10;
      options.dict_training_bytes = config.dict_training_bytes;
      const std::string path = dir.Sub("s" + std::to_string(file++) + ".sto");
      ASSERT_NO_FATAL_FAILURE(WriteStore(path, docs, options));
      std::unique_ptr<MappedFile> map;
      ASSERT_NO_FATAL_FAILURE(MapStore(path, &map));
      StoreReader r;
      ASSERT_TRUE(IsOk(r.Open(path, map->view(), static_cast<std::uint32_t>(n))));
      EXPECT_EQ(r.has_dictionary(), config.want_dictionary && n == 1000);
      if (n == 0) {
        EXPECT_EQ(r.blocks(), 0u);
      } else if (n == 1) {
        EXPECT_EQ(r.blocks(), 1u);
      } else {
        EXPECT_GT(r.blocks(), 200u);  // 4 KiB blocks
      }
      ASSERT_NO_FATAL_FAILURE(CheckReader(r, docs, config.get_step));

      // The document count is the segment's, and must match the file's.
      const std::uint32_t count = static_cast<std::uint32_t>(n);
      for (std::uint32_t wrong : {count + 1, count - 1, count + 1000}) {
        StoreReader bad;
        const Status s = bad.Open(path, map->view(), wrong);
        EXPECT_TRUE(s.IsCorruption()) << wrong << ": " << s.ToString();
      }
    }
  }
}

// Blocks of one document each, and documents larger than a block.
TEST(Store, BlockSizes) {
  TempDir dir;
  Rng rng(2);
  std::vector<StoredDoc> docs;
  for (std::size_t i = 0; i < 60; ++i) docs.push_back(RandomDoc(rng, i, i % 10 == 0 ? 2000 : 20));
  for (std::size_t block_bytes : {std::size_t{1}, std::size_t{500}, std::size_t{1} << 20}) {
    SCOPED_TRACE("block_bytes " + std::to_string(block_bytes));
    StoreOptions options;
    options.zstd_level = 1;
    options.block_bytes = block_bytes;
    options.dict_training_bytes = 0;
    const std::string path = dir.Sub("b" + std::to_string(block_bytes) + ".sto");
    ASSERT_NO_FATAL_FAILURE(WriteStore(path, docs, options));
    std::unique_ptr<MappedFile> map;
    ASSERT_NO_FATAL_FAILURE(MapStore(path, &map));
    StoreReader r;
    ASSERT_TRUE(IsOk(r.Open(path, map->view(), static_cast<std::uint32_t>(docs.size()))));
    if (block_bytes == 1) {
      EXPECT_EQ(r.blocks(), docs.size());
    } else if (block_bytes == std::size_t{1} << 20) {
      EXPECT_EQ(r.blocks(), 1u);
    }
    ASSERT_NO_FATAL_FAILURE(CheckReader(r, docs));
  }
}

TEST(Store, SerializedDocuments) {
  Rng rng(3);
  std::vector<StoredDoc> docs = {StoredDoc{}, StoredDoc{"", {{0, ""}}},
                                 StoredDoc{"Hà Nội", {{0xFFFFFFFFu, "thủy lợi"}, {0, ""}}}};
  for (std::size_t i = 0; i < 300; ++i) docs.push_back(RandomDoc(rng, i, 5));
  std::string all;
  for (const StoredDoc& d : docs) {
    const std::string s = Serialize(d);
    all += s;
    // Round trip, with a byte after it left unread.
    std::string more = s + 'x';
    std::string_view in(more);
    StoredDoc got;
    ASSERT_TRUE(ParseDoc(&in, &got));
    ASSERT_NO_FATAL_FAILURE(ExpectSameDoc(got, d));
    EXPECT_EQ(in, "x");
    // Every truncation fails, reading only its bytes.
    for (std::size_t k = 0; k < s.size(); k += (s.size() > 200 ? 13 : 1)) {
      auto cut = std::make_unique<char[]>(k);
      if (k > 0) std::memcpy(cut.get(), s.data(), k);
      std::string_view t(cut.get(), k);
      StoredDoc scratch;
      EXPECT_FALSE(ParseDoc(&t, &scratch)) << "truncated to " << k << " of " << s.size();
    }
  }
  // Back to back, as in a block.
  std::string_view in(all);
  for (const StoredDoc& d : docs) {
    StoredDoc got;
    ASSERT_TRUE(ParseDoc(&in, &got));
    ASSERT_NO_FATAL_FAILURE(ExpectSameDoc(got, d));
  }
  EXPECT_TRUE(in.empty());
  // A field count larger than the bytes left.
  std::string huge;
  huge += '\x01';
  huge += 'a';
  huge += "\xff\xff\xff\xff\x0f";
  std::string_view h(huge);
  StoredDoc scratch;
  EXPECT_FALSE(ParseDoc(&h, &scratch));
}

// A .sto file made by hand from docs/format.md ("File frame", "Stored
// documents"): one zstd block holding `raw`, whose documents the index says
// have sizes `sizes` (version 5; version 6 stores no sizes, only their count
// in the trailer).
std::string HandMadeStore(const std::string& raw, const std::vector<std::uint32_t>& sizes,
                          std::uint32_t version = 5) {
  std::string z(ZSTD_compressBound(raw.size()), '\0');
  const std::size_t n = ZSTD_compress(z.data(), z.size(), raw.data(), raw.size(), 1);
  EXPECT_FALSE(ZSTD_isError(n));
  z.resize(n);
  std::string file = "timS";
  codec::PutFixed32(&file, version);
  file += z;
  const std::uint64_t dict_offset = file.size();
  if (version >= 6) {
    const std::size_t record = file.size();
    codec::PutFixed32(&file, 0);  // first doc
    codec::PutFixed32(&file, static_cast<std::uint32_t>(raw.size()));
    codec::PutFixed64(&file, 8);  // the block's offset: right after the header
    codec::PutFixed32(&file, static_cast<std::uint32_t>(XXH3_64bits(file.data() + record, 16)));
  } else {
    codec::PutVarint64(&file, 1);  // blocks
    codec::PutVarint32(&file, static_cast<std::uint32_t>(sizes.size()));
    codec::PutVarint64(&file, z.size());
    codec::PutVarint64(&file, raw.size());
    for (std::uint32_t size : sizes) codec::PutVarint32(&file, size);
  }
  const std::size_t trailer = file.size();
  codec::PutFixed64(&file, dict_offset);
  codec::PutFixed64(&file, 0);  // no dictionary
  codec::PutFixed64(&file, dict_offset);
  codec::PutFixed32(&file, static_cast<std::uint32_t>(sizes.size()));
  if (version >= 6) {
    codec::PutFixed64(&file, 1);  // blocks
    codec::PutFixed64(&file, XXH3_64bits(file.data() + trailer, 36));
  }
  codec::PutFixed64(&file, XXH3_64bits(file.data(), file.size()));
  file += "TIM!";
  return file;
}

TEST(Store, HandMadeFile) {
  const StoredDoc d0{"Hà Nội", {{0, "thủy lợi"}, {3, "người"}}};
  const StoredDoc d1{"Đà Nẵng", {}};
  const std::string s0 = Serialize(d0), s1 = Serialize(d1);
  const std::uint32_t size0 = static_cast<std::uint32_t>(s0.size());
  const std::uint32_t size1 = static_cast<std::uint32_t>(s1.size());
  {
    const std::string file = HandMadeStore(s0 + s1, {size0, size1});
    std::string_view body;
    ASSERT_TRUE(IsOk(codec::CheckFrame("h.sto", file, codec::FileKind::kStore, true, &body)));
    StoreReader r;
    ASSERT_TRUE(IsOk(r.Open("h.sto", file, 2, 5)));
    EXPECT_FALSE(r.has_dictionary());
    ASSERT_NO_FATAL_FAILURE(CheckReader(r, {d0, d1}));
  }
  {
    // A block with a byte after its last document.
    const std::string file = HandMadeStore(s0 + s1 + '\0', {size0, size1 + 1});
    StoreReader r;
    ASSERT_TRUE(IsOk(r.Open("h.sto", file, 2, 5)));
    StoredDoc d;
    EXPECT_TRUE(r.Get(0, &d).IsCorruption());
    std::string raw;
    std::vector<std::string_view> spans;
    EXPECT_TRUE(r.ReadBlock(0, &raw, &spans).IsCorruption());
  }
  {
    // A block with a document less than its index says.
    const std::string file = HandMadeStore(s0 + s1, {size0, size1, 0});
    StoreReader r;
    ASSERT_TRUE(IsOk(r.Open("h.sto", file, 3, 5)));
    StoredDoc d;
    EXPECT_TRUE(r.Get(2, &d).IsCorruption());
  }
  {
    // Sizes that do not add up to the block's.
    const std::string file = HandMadeStore(s0 + s1, {size0, size1 + 1});
    StoreReader r;
    EXPECT_TRUE(r.Open("h.sto", file, 2, 5).IsCorruption());
  }
}

// Version 6: the block index is fixed-width records read in place.
TEST(Store, HandMadeVersion6File) {
  const StoredDoc d0{"Hà Nội", {{0, "thủy lợi"}, {3, "người"}}};
  const StoredDoc d1{"Đà Nẵng", {{1, "quốc gia"}}};
  const std::string s0 = Serialize(d0), s1 = Serialize(d1);
  const std::string file = HandMadeStore(s0 + s1, {0, 0}, 6);
  {
    std::string_view body;
    ASSERT_TRUE(IsOk(codec::CheckFrame("h.sto", file, codec::FileKind::kStore, true, &body)));
    StoreReader r;
    ASSERT_TRUE(IsOk(r.Open("h.sto", file, 2, 6)));
    EXPECT_EQ(r.blocks(), 1u);
    ASSERT_NO_FATAL_FAILURE(CheckReader(r, {d0, d1}));
    // Read as version 5, the same bytes are a bad index.
    StoreReader old;
    EXPECT_TRUE(old.Open("h.sto", file, 2, 5).IsCorruption());
  }
  {
    // The trailer's document count must be the segment's.
    StoreReader r;
    EXPECT_TRUE(r.Open("h.sto", file, 3, 6).IsCorruption());
  }
  // Any flipped byte of the record or the trailer is Corruption: at open
  // (trailer) or on the first read (record), never another document.
  const std::size_t footer = file.size() - codec::kFooterSize;
  const std::size_t record = footer - 44 - 20;
  for (std::size_t at = record; at < footer; ++at) {
    std::string bad = file;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    StoreReader r;
    const Status open = r.Open("h.sto", bad, 2, 6);
    if (!open.ok()) {
      EXPECT_TRUE(open.IsCorruption()) << at << ": " << open.ToString();
      EXPECT_GE(at, footer - 44) << "a record byte failed the open";
      continue;
    }
    EXPECT_LT(at, footer - 44) << "a trailer byte passed the open";
    StoredDoc d;
    const Status got = r.Get(1, &d);
    EXPECT_TRUE(got.IsCorruption()) << at << ": " << got.ToString();
    EXPECT_NE(got.message().find("h.sto"), std::string::npos) << got.ToString();
  }
}

// ---------------------------------------------------------------- damage

using FileCopy = testing::FramedCopy;

struct Outcome {
  int open_corrupt = 0, read_corrupt = 0, clean = 0;
};

// Opens and reads a possibly damaged store (every `doc_step`-th document by
// Get, every `block_step`-th block by ReadBlock): every call reports
// Corruption or returns documents.
void ReadDamaged(std::string_view file, std::uint32_t doc_count, std::size_t doc_step,
                 std::size_t block_step, Outcome* outcome) {
  StoreReader r;
  const Status open = r.Open("d.sto", file, doc_count);
  if (!open.ok()) {
    ASSERT_TRUE(open.IsCorruption()) << open.ToString();
    ++outcome->open_corrupt;
    return;
  }
  bool corrupt = false;
  for (std::uint32_t i = 0; i < doc_count; i += static_cast<std::uint32_t>(doc_step)) {
    StoredDoc d;
    const Status s = r.Get(i, &d);
    ASSERT_TRUE(s.ok() || s.IsCorruption()) << "doc " << i << ": " << s.ToString();
    corrupt |= !s.ok();
  }
  std::string raw;
  std::vector<std::string_view> spans;
  std::uint32_t total = 0, expected_first = 0;
  for (std::size_t b = 0; b < r.blocks(); b += block_step) {
    std::uint32_t first = 0;
    const Status s = r.ReadBlock(b, &raw, &spans, &first);
    ASSERT_TRUE(s.ok() || s.IsCorruption()) << "block " << b << ": " << s.ToString();
    if (!s.ok()) {
      corrupt = true;
      continue;
    }
    // A block read whole holds documents of this segment, after the
    // previous block's (when every block is read and none failed).
    const std::uint32_t ndocs = static_cast<std::uint32_t>(spans.size());
    ASSERT_GE(ndocs, 1u) << "block " << b;
    ASSERT_LE(first + std::uint64_t{ndocs}, doc_count) << "block " << b;
    if (block_step == 1 && !corrupt) {
      ASSERT_EQ(first, expected_first) << "block " << b;
    }
    expected_first = first + ndocs;
    // The spans cover the block's bytes exactly, back to back.
    const char* at = raw.data();
    for (std::string_view span : spans) {
      ASSERT_EQ(span.data(), at) << "block " << b;
      at += span.size();
    }
    ASSERT_EQ(at, raw.data() + raw.size()) << "block " << b;
    total += ndocs;
    for (std::string_view span : spans) {
      StoredDoc d;
      ASSERT_TRUE(ParseDoc(&span, &d));
    }
  }
  if (!corrupt && block_step == 1) {
    ASSERT_EQ(total, doc_count);
  }
  ++(corrupt ? outcome->read_corrupt : outcome->clean);
}

void DamageStore(const std::string& path, std::uint32_t doc_count, int flips, std::size_t doc_step,
                 std::size_t block_step, Rng& rng) {
  std::unique_ptr<MappedFile> map;
  ASSERT_NO_FATAL_FAILURE(MapStore(path, &map));
  FileCopy copy(map->view());
  const std::size_t size = copy.view().size();
  Outcome outcome;
  std::vector<std::size_t> where;
  for (int i = 0; i < flips; ++i) {
    where.push_back(Uniform(rng, codec::kHeaderSize, size - codec::kFooterSize - 1));
  }
  // And the index and trailer, where damage is best detected.
  for (std::size_t i = 1; i <= std::min<std::size_t>(100, size - 20); ++i) {
    where.push_back(size - codec::kFooterSize - i);
  }
  for (std::size_t at : where) {
    const char old = copy.data()[at];
    const char mask = static_cast<char>(Uniform(rng, 1, 255));
    copy.data()[at] = static_cast<char>(old ^ mask);
    std::string_view body;
    ASSERT_TRUE(IsOk(codec::CheckFrame(path, copy.view(), codec::FileKind::kStore, false, &body)));
    copy.PoisonFrame();
    ASSERT_NO_FATAL_FAILURE(ReadDamaged(copy.view(), doc_count, doc_step, block_step, &outcome))
        << "byte " << at << " ^ " << (mask & 0xFF);
    copy.UnpoisonFrame();
    copy.data()[at] = old;
  }
  // Much of the damage is noticed (not all: zstd frames carry no checksum).
  EXPECT_GT(outcome.open_corrupt, 0);
  EXPECT_GT(outcome.read_corrupt, 0);
  // Truncated bodies, the footer moved forward.
  const std::string_view orig = map->view();
  for (std::size_t cut = 1; cut + 20 < size; cut += 1 + cut / 2) {
    std::string shorter(orig.substr(0, size - codec::kFooterSize - cut));
    shorter.append(orig.substr(size - codec::kFooterSize));
    FileCopy c(shorter);
    ASSERT_NO_FATAL_FAILURE(ReadDamaged(c.view(), doc_count, doc_step, block_step, &outcome))
        << "cut " << cut;
  }
}

TEST(Store, DamagedBodiesNeverCrash) {
  TempDir dir;
  Rng rng(4);
  {
    SCOPED_TRACE("no dictionary");
    std::vector<StoredDoc> docs;
    for (std::size_t i = 0; i < 200; ++i) docs.push_back(RandomDoc(rng, i, 10));
    StoreOptions options;
    options.zstd_level = 3;
    options.block_bytes = 4 << 10;
    options.dict_training_bytes = 0;
    const std::string path = dir.Sub("plain.sto");
    ASSERT_NO_FATAL_FAILURE(WriteStore(path, docs, options));
    DamageStore(path, 200, 150, 50, 1, rng);
  }
  {
    SCOPED_TRACE("dictionary");
    std::vector<StoredDoc> docs;
    for (std::size_t i = 0; i < 400; ++i) docs.push_back(RandomDoc(rng, i, 300));
    StoreOptions options;
    options.zstd_level = 3;
    options.block_bytes = 64 << 10;
    options.dict_training_bytes = 64 << 20;  // more than the segment: trained by Finish()
    const std::string path = dir.Sub("dict.sto");
    ASSERT_NO_FATAL_FAILURE(WriteStore(path, docs, options));
    std::unique_ptr<MappedFile> map;
    ASSERT_NO_FATAL_FAILURE(MapStore(path, &map));
    StoreReader r;
    ASSERT_TRUE(IsOk(r.Open(path, map->view(), 400)));
    ASSERT_TRUE(r.has_dictionary());
    DamageStore(path, 400, 40, 100, 5, rng);
  }
}

}  // namespace
}  // namespace tim::store
