// Sorted tables (index/sorted_table.h) written through a FileBuilder to a
// real file and read back from its memory map: iteration, Seek, Get, block
// aux, and damaged bodies.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "codec/file_format.h"
#include "codec/varint.h"
#include "index/sorted_table.h"
#include "test_util.h"
#include "tim/file_system.h"
#include "tim/status.h"

namespace tim::index {
namespace {

using testing::IsOk;
using testing::Rng;
using testing::Uniform;

// Bytes from a small alphabet, so that keys share prefixes, with the
// extremes 0x00 and 0xff and bytes >= 0x80.
std::string RandomBytes(Rng& rng, std::size_t n) {
  static const char kAlphabet[] = {'\x00', '\x01', 'a', 'b', 'c', '\x7f', '\x80', '\xc3', '\xff'};
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(Uniform(rng, 0, 3) == 0 ? static_cast<char>(Uniform(rng, 0, 255))
                                        : kAlphabet[Uniform(rng, 0, sizeof(kAlphabet) - 1)]);
  }
  return s;
}

// n sorted unique non-empty keys, many of them prefixes of others.
std::vector<std::string> RandomKeys(Rng& rng, std::size_t n) {
  std::set<std::string> keys;
  while (keys.size() < n) {
    std::string k = RandomBytes(rng, Uniform(rng, 1, Uniform(rng, 0, 4) == 0 ? 40 : 6));
    keys.insert(k);
    if (keys.size() < n && k.size() > 1 && Uniform(rng, 0, 2) == 0) {
      keys.insert(k.substr(0, Uniform(rng, 1, k.size() - 1)));  // a prefix
    }
    if (keys.size() < n && Uniform(rng, 0, 3) == 0) keys.insert(k + RandomBytes(rng, 1));
  }
  return std::vector<std::string>(keys.begin(), keys.end());
}

struct Entry {
  std::string key, value;
  std::size_t block = 0, index_in_block = 0;  // where the writer put it
};

std::string Describe(std::string_view key) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : key) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out.empty() ? "(empty)" : out;
}

// A fresh directory under /tmp (removed at the end), the table files
// written there, and the expectations about them.
class Harness {
 public:
  Harness() = default;
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  // Writes `entries` (setting where each went) with random aux bytes given
  // at each block start, and junk aux elsewhere (which must be ignored).
  void Write(const std::string& name, std::vector<Entry>* entries, std::size_t block_entries,
             std::size_t block_bytes, Rng& rng) {
    codec::FileBuilder file;
    ASSERT_TRUE(IsOk(file.Open(fs, Path(name), codec::FileKind::kTermDict)));
    SortedTableWriter w(&file, block_entries, block_bytes);
    block_auxes.clear();
    std::size_t in_block = 0;
    for (Entry& e : *entries) {
      std::string aux;
      if (w.AtBlockStart()) {
        aux = Uniform(rng, 0, 3) == 0 ? std::string() : RandomBytes(rng, Uniform(rng, 1, 12));
        block_auxes.push_back(aux);
        in_block = 0;
      } else {
        aux = "ignored";
        ++in_block;
      }
      e.block = block_auxes.size() - 1;
      e.index_in_block = in_block;
      ASSERT_TRUE(IsOk(w.Add(e.key, e.value, aux)));
    }
    EXPECT_EQ(w.entries(), entries->size());
    ASSERT_TRUE(IsOk(w.Finish()));
    ASSERT_TRUE(IsOk(file.Finish()));
  }

  // Maps the file, checks its frame and opens the table.
  void Open(const std::string& name) {
    ASSERT_TRUE(IsOk(fs->MapFile(Path(name), &map)));
    std::string_view body;
    ASSERT_TRUE(
        IsOk(codec::CheckFrame(name, map->view(), codec::FileKind::kTermDict, true, &body)));
    ASSERT_TRUE(IsOk(SortedTable::Open(name, map->view(), &table)));
    EXPECT_EQ(table.name(), name);
  }

  std::string Path(const std::string& name) const { return dir.Sub(name); }

  // Expects the iterator at entries[i] (or invalid when i == size).
  void ExpectAt(const SortedTable::Iterator& it, const std::vector<Entry>& entries, std::size_t i) {
    ASSERT_TRUE(IsOk(it.status()));
    if (i == entries.size()) {
      ASSERT_FALSE(it.Valid());
      return;
    }
    ASSERT_TRUE(it.Valid()) << "expected " << Describe(entries[i].key);
    ASSERT_EQ(Describe(it.key()), Describe(entries[i].key));
    ASSERT_EQ(it.value(), entries[i].value);
    ASSERT_EQ(it.index_in_block(), entries[i].index_in_block);
    ASSERT_EQ(it.block_aux(), block_auxes[entries[i].block]);
  }

  void CheckTable(const std::vector<Entry>& entries, Rng& rng);

  FileSystem* const fs = FileSystem::Default();
  testing::TempDir dir;
  std::vector<std::string> block_auxes;  // the aux given to each block
  std::unique_ptr<MappedFile> map;
  SortedTable table;
};

void Harness::CheckTable(const std::vector<Entry>& entries, Rng& rng) {
  EXPECT_EQ(table.entries(), entries.size());
  std::vector<std::string> keys;
  for (const Entry& e : entries) keys.push_back(e.key);

  // Iteration in key order.
  {
    SortedTable::Iterator it(&table);
    it.SeekToFirst();
    for (std::size_t i = 0; i < entries.size(); ++i) {
      ASSERT_NO_FATAL_FAILURE(ExpectAt(it, entries, i));
      it.Next();
    }
    ASSERT_NO_FATAL_FAILURE(ExpectAt(it, entries, entries.size()));
    it.Next();
    EXPECT_FALSE(it.Valid());
    EXPECT_TRUE(IsOk(it.status()));
  }

  // Seek to every key (or a sample), Get it, and step on a little.
  const std::size_t step = entries.size() > 1000 ? 3 : 1;
  for (std::size_t i = 0; i < entries.size(); i += step) {
    SortedTable::Iterator it(&table);
    it.Seek(entries[i].key);
    ASSERT_NO_FATAL_FAILURE(ExpectAt(it, entries, i));
    for (std::size_t j = i + 1; j <= std::min(entries.size(), i + 2); ++j) {
      it.Next();
      ASSERT_NO_FATAL_FAILURE(ExpectAt(it, entries, j));
    }
    std::string_view value;
    bool found = false;
    ASSERT_TRUE(IsOk(table.Get(entries[i].key, &value, &found)));
    ASSERT_TRUE(found) << Describe(entries[i].key);
    ASSERT_EQ(value, entries[i].value);
  }

  // Seek and Get of random targets: between keys, before the first, after
  // the last, prefixes and extensions of keys.
  std::vector<std::string> targets = {std::string(), std::string(1, '\0'), std::string(50, '\xff')};
  if (!keys.empty()) {
    targets.push_back(keys.back() + '\0');
    targets.push_back(keys.back() + "\xff");
    targets.push_back(keys.front().substr(0, keys.front().size() - 1));
  }
  for (int i = 0; i < 600; ++i) {
    if (keys.empty() || Uniform(rng, 0, 2) == 0) {
      targets.push_back(RandomBytes(rng, Uniform(rng, 0, 8)));
      continue;
    }
    std::string t = keys[Uniform(rng, 0, keys.size() - 1)];
    switch (Uniform(rng, 0, 3)) {
      case 0: t.push_back(static_cast<char>(Uniform(rng, 0, 255))); break;
      case 1: t.pop_back(); break;
      case 2: t.back() = static_cast<char>(static_cast<unsigned char>(t.back()) + 1); break;
      default: t.back() = static_cast<char>(static_cast<unsigned char>(t.back()) - 1); break;
    }
    targets.push_back(t);
  }
  for (const std::string& t : targets) {
    SCOPED_TRACE("target " + Describe(t));
    const std::size_t want =
        static_cast<std::size_t>(std::lower_bound(keys.begin(), keys.end(), t) - keys.begin());
    SortedTable::Iterator it(&table);
    it.Seek(t);
    ASSERT_NO_FATAL_FAILURE(ExpectAt(it, entries, want));
    if (want < entries.size()) {
      it.Next();
      ASSERT_NO_FATAL_FAILURE(ExpectAt(it, entries, want + 1));
    }
    std::string_view value;
    bool found = true;
    ASSERT_TRUE(IsOk(table.Get(t, &value, &found)));
    const bool exists = want < keys.size() && keys[want] == t;
    ASSERT_EQ(found, exists);
    if (exists) {
      ASSERT_EQ(value, entries[want].value);
    }

    // SeekToBlockOf: the first entry of the block whose range holds t.
    it.SeekToBlockOf(t);
    if (entries.empty()) {
      ASSERT_FALSE(it.Valid());
      continue;
    }
    std::size_t block = 0;
    for (std::size_t e = 0; e < entries.size() && entries[e].key <= t; ++e) {
      block = entries[e].block;
    }
    std::size_t first = 0;
    while (entries[first].block != block) ++first;
    ASSERT_NO_FATAL_FAILURE(ExpectAt(it, entries, first));
    ASSERT_EQ(it.index_in_block(), 0u);
  }
}

TEST(SortedTable, RoundTrip) {
  Harness h;
  Rng rng(1);
  int file = 0;
  for (std::size_t n : {0, 1, 31, 32, 33, 5000}) {
    for (std::size_t block_entries : {1, 4, 32}) {
      for (std::size_t block_bytes : {std::size_t{48}, std::size_t{4096}}) {
        SCOPED_TRACE(std::to_string(n) + " entries, blocks of " + std::to_string(block_entries) +
                     " entries / " + std::to_string(block_bytes) + " bytes");
        std::vector<Entry> entries;
        for (std::string& k : RandomKeys(rng, n)) {
          Entry e;
          e.key = std::move(k);
          const std::size_t len =
              Uniform(rng, 0, 9) == 0 ? Uniform(rng, 0, 300) : Uniform(rng, 0, 6);
          e.value = RandomBytes(rng, len);
          entries.push_back(std::move(e));
        }
        const std::string name = "t" + std::to_string(file++) + ".tim";
        ASSERT_NO_FATAL_FAILURE(h.Write(name, &entries, block_entries, block_bytes, rng));
        ASSERT_NO_FATAL_FAILURE(h.Open(name));
        if (n > 0) {
          EXPECT_GE(h.block_auxes.size(), (n + block_entries - 1) / block_entries);
          if (block_entries == 1) {
            EXPECT_EQ(h.block_auxes.size(), n);
          }
        } else {
          EXPECT_TRUE(h.block_auxes.empty());
        }
        ASSERT_NO_FATAL_FAILURE(h.CheckTable(entries, rng));
        h.map.reset();
      }
    }
  }
}

// A block ends once its bytes reach block_bytes, whatever block_entries says.
TEST(SortedTable, LargeValuesEndBlocks) {
  Harness h;
  Rng rng(2);
  std::vector<Entry> entries;
  for (std::string& k : RandomKeys(rng, 40)) {
    Entry e;
    e.key = std::move(k);
    e.value = RandomBytes(rng, entries.size() % 3 == 0 ? 3000 : 10);
    entries.push_back(std::move(e));
  }
  ASSERT_NO_FATAL_FAILURE(h.Write("big.tim", &entries, 32, 1024, rng));
  for (const Entry& e : entries) {
    if (e.value.size() >= 1024 && &e != &entries.back()) {
      EXPECT_EQ((&e + 1)->index_in_block, 0u) << "no block cut after " << Describe(e.key);
    }
  }
  ASSERT_NO_FATAL_FAILURE(h.Open("big.tim"));
  ASSERT_NO_FATAL_FAILURE(h.CheckTable(entries, rng));
}

TEST(SortedTable, AddOutOfOrderIsInvalidArgument) {
  Harness h;
  Rng rng(3);
  codec::FileBuilder file;
  ASSERT_TRUE(IsOk(file.Open(h.fs, h.Path("order.tim"), codec::FileKind::kTermDict)));
  SortedTableWriter w(&file, 4, 4096);
  ASSERT_TRUE(IsOk(w.Add("b", "1")));
  ASSERT_TRUE(IsOk(w.Add("bb", "2")));
  EXPECT_TRUE(w.Add("bb", "dup").IsInvalidArgument());
  EXPECT_TRUE(w.Add("b", "smaller").IsInvalidArgument());
  EXPECT_TRUE(w.Add("a", "smaller").IsInvalidArgument());
  EXPECT_TRUE(w.Add("ba\xff", "smaller").IsInvalidArgument());
  EXPECT_TRUE(w.Add(std::string_view(), "empty").IsInvalidArgument());
  // 0x80 sorts after 'c': bytes compare unsigned.
  ASSERT_TRUE(IsOk(w.Add("bc", "3")));
  ASSERT_TRUE(IsOk(w.Add("b\x80", "4")));
  EXPECT_TRUE(w.Add("bz", "smaller than b\\x80").IsInvalidArgument());
  EXPECT_EQ(w.entries(), 4u);
  ASSERT_TRUE(IsOk(w.Finish()));
  ASSERT_TRUE(IsOk(file.Finish()));

  // The rejected keys left no trace.
  ASSERT_NO_FATAL_FAILURE(h.Open("order.tim"));
  h.block_auxes = {""};
  std::vector<Entry> want = {
      {"b", "1", 0, 0}, {"bb", "2", 0, 1}, {"bc", "3", 0, 2}, {"b\x80", "4", 0, 3}};
  ASSERT_NO_FATAL_FAILURE(h.CheckTable(want, rng));
}

// The empty key sorts first; the writer accepts it, so the reader must
// read it back (or the writer must refuse it).
TEST(SortedTable, EmptyKey) {
  Harness h;
  Rng rng(4);
  codec::FileBuilder file;
  ASSERT_TRUE(IsOk(file.Open(h.fs, h.Path("empty.tim"), codec::FileKind::kTermDict)));
  SortedTableWriter w(&file, 4, 4096);
  const Status s = w.Add(std::string_view(), "v0", "aux");
  if (!s.ok()) {
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
    return;
  }
  ASSERT_TRUE(IsOk(w.Add("a", "v1")));
  ASSERT_TRUE(IsOk(w.Finish()));
  ASSERT_TRUE(IsOk(file.Finish()));
  ASSERT_NO_FATAL_FAILURE(h.Open("empty.tim"));
  h.block_auxes = {"aux"};
  std::vector<Entry> want = {{"", "v0", 0, 0}, {"a", "v1", 0, 1}};
  ASSERT_NO_FATAL_FAILURE(h.CheckTable(want, rng));
}

// The index's entry count of a block must match the block's bytes: a
// table whose index (and trailer) say one entry less or more than the block
// holds is corrupt, found while iterating.
// The version 6 layout from docs/format.md: the block index is records of
// 28 bytes (offset, key prefix, entries, block checksum, record checksum),
// then a 32-byte trailer (index offset, entries, blocks, its checksum).
constexpr std::size_t kRecord = 28, kTrailer = 32;

std::uint32_t Low32(std::string_view bytes) {
  return static_cast<std::uint32_t>(XXH3_64bits(bytes.data(), bytes.size()));
}

TEST(SortedTable, EntryCountsMustMatchTheBlocks) {
  Harness h;
  Rng rng(6);
  std::vector<Entry> entries = {{"a", "1", 0, 0}, {"b", "2", 0, 1}, {"c", "3", 0, 2}};
  ASSERT_NO_FATAL_FAILURE(h.Write("count.tim", &entries, 32, 4096, rng));
  ASSERT_TRUE(IsOk(h.fs->MapFile(h.Path("count.tim"), &h.map)));
  const std::string original(h.map->view());
  const std::size_t trailer = original.size() - codec::kFooterSize - kTrailer;
  const std::uint64_t index_offset = codec::DecodeFixed64(original.data() + trailer);
  ASSERT_EQ(index_offset + kRecord, trailer);  // one block
  ASSERT_EQ(codec::DecodeFixed64(original.data() + index_offset), codec::kHeaderSize);
  ASSERT_EQ(codec::DecodeFixed64(original.data() + index_offset + 8),
            std::uint64_t{'a'} << 56);  // "a" zero-padded, big-endian
  ASSERT_EQ(codec::DecodeFixed32(original.data() + index_offset + 16), 3u);
  ASSERT_EQ(codec::DecodeFixed64(original.data() + trailer + 8), 3u);
  ASSERT_EQ(codec::DecodeFixed64(original.data() + trailer + 16), 1u);

  for (std::uint32_t wrong : {2u, 4u}) {
    SCOPED_TRACE("entry count " + std::to_string(wrong));
    std::string file = original;
    // The counts changed and their checksums made again: the test is about
    // the counts.
    std::string fixed;
    codec::PutFixed32(&fixed, wrong);
    file.replace(index_offset + 16, 4, fixed);
    fixed.clear();
    codec::PutFixed32(&fixed, Low32(std::string_view(file).substr(index_offset, 24)));
    file.replace(index_offset + 24, 4, fixed);
    fixed.clear();
    codec::PutFixed64(&fixed, wrong);
    file.replace(trailer + 8, 8, fixed);
    fixed.clear();
    codec::PutFixed64(&fixed, XXH3_64bits(file.data() + trailer, 24));
    file.replace(trailer + 24, 8, fixed);
    SortedTable table;
    ASSERT_TRUE(IsOk(SortedTable::Open("count.tim", file, &table)));
    EXPECT_EQ(table.entries(), wrong);
    SortedTable::Iterator it(&table);
    it.SeekToFirst();
    std::size_t n = 0;
    for (; it.Valid() && n < 10; ++n) it.Next();
    EXPECT_FALSE(it.Valid());
    EXPECT_EQ(n, std::min<std::size_t>(3, wrong));
    EXPECT_TRUE(it.status().IsCorruption()) << it.status().ToString();
  }
}

// Opening reads the trailer only; a damaged byte anywhere in the block
// index is found when a lookup reads its record: a lookup returns the
// right value or Corruption naming the file, never "not found" or another
// value. Ids share their first eight bytes, so every probe reads a block.
TEST(SortedTable, DamagedIndexRecordsAreCorruptionNeverAWrongAnswer) {
  Harness h;
  Rng rng(7);
  std::vector<Entry> entries;
  for (int i = 0; i < 400; ++i) {
    char id[32];
    std::snprintf(id, sizeof(id), "tài-liệu-%06d", i * 7);
    entries.push_back({id, std::to_string(i), 0, 0});
  }
  ASSERT_NO_FATAL_FAILURE(h.Write("ids.tim", &entries, 4, 1024, rng));
  ASSERT_TRUE(IsOk(h.fs->MapFile(h.Path("ids.tim"), &h.map)));
  const std::string original(h.map->view());
  const std::size_t trailer = original.size() - codec::kFooterSize - kTrailer;
  const std::uint64_t index_offset = codec::DecodeFixed64(original.data() + trailer);
  ASSERT_EQ((trailer - index_offset) % kRecord, 0u);
  ASSERT_EQ((trailer - index_offset) / kRecord, 100u);
  int corrupt = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string file = original;
    const std::size_t at = Uniform(rng, index_offset, trailer - 1);
    file[at] = static_cast<char>(file[at] ^ (1 << Uniform(rng, 0, 7)));
    SortedTable table;
    ASSERT_TRUE(IsOk(SortedTable::Open("ids.tim", file, &table))) << "byte " << at;
    for (const Entry& e : entries) {
      std::string_view value;
      bool found = false;
      const Status s = table.Get(e.key, &value, &found);
      if (!s.ok()) {
        ASSERT_TRUE(s.IsCorruption()) << s.ToString();
        ASSERT_NE(s.message().find("ids.tim"), std::string::npos) << s.ToString();
        ++corrupt;
        continue;
      }
      ASSERT_TRUE(found) << "byte " << at << ": " << e.key << " lost";
      ASSERT_EQ(value, e.value) << "byte " << at;
    }
  }
  EXPECT_GT(corrupt, 0);
}

// ---------------------------------------------------------------- damage

using FileCopy = testing::FramedCopy;

// Opens and reads a possibly damaged table; everything must stop by itself
// and report Corruption or data.
void ReadDamaged(std::string_view file, Rng& rng, const std::vector<std::string>& probes) {
  SortedTable table;
  const Status open = SortedTable::Open("d.tim", file, &table);
  if (!open.ok()) {
    ASSERT_TRUE(open.IsCorruption()) << open.ToString();
    return;
  }
  // Each entry takes at least 3 bytes of the body.
  const std::size_t bound = file.size() / 3 + 2;
  SortedTable::Iterator it(&table);
  it.SeekToFirst();
  std::size_t n = 0;
  for (; it.Valid() && n <= bound; ++n) {
    (void)it.key();
    (void)it.value();
    (void)it.block_aux();
    it.Next();
  }
  ASSERT_FALSE(it.Valid()) << "iteration did not end after " << bound << " entries";
  ASSERT_TRUE(it.status().ok() || it.status().IsCorruption()) << it.status().ToString();
  if (it.status().ok()) {
    EXPECT_EQ(n, table.entries());
  }
  for (int i = 0; i < 8; ++i) {
    const std::string& target = probes[Uniform(rng, 0, probes.size() - 1)];
    SortedTable::Iterator seek(&table);
    seek.Seek(target);
    ASSERT_TRUE(seek.status().ok() || seek.status().IsCorruption());
    std::size_t steps = 0;
    for (; seek.Valid() && steps <= bound; ++steps) seek.Next();
    ASSERT_FALSE(seek.Valid());
    std::string_view value;
    bool found;
    const Status get = table.Get(target, &value, &found);
    ASSERT_TRUE(get.ok() || get.IsCorruption()) << get.ToString();
  }
}

TEST(SortedTable, DamagedBodiesNeverCrash) {
  Harness h;
  Rng rng(5);
  for (std::size_t block_entries : {4, 32}) {
    SCOPED_TRACE("blocks of " + std::to_string(block_entries));
    std::vector<Entry> entries;
    for (std::string& k : RandomKeys(rng, 300)) {
      Entry e;
      e.key = std::move(k);
      e.value = RandomBytes(rng, Uniform(rng, 0, 8));
      entries.push_back(std::move(e));
    }
    const std::string name = "d" + std::to_string(block_entries) + ".tim";
    ASSERT_NO_FATAL_FAILURE(h.Write(name, &entries, block_entries, 256, rng));
    ASSERT_TRUE(IsOk(h.fs->MapFile(h.Path(name), &h.map)));
    std::vector<std::string> probes;
    for (const Entry& e : entries) probes.push_back(e.key);
    probes.push_back("");
    probes.push_back(std::string(9, '\xff'));

    FileCopy copy(h.map->view());
    const std::size_t size = h.map->view().size();
    int corrupt = 0, flips = 0;
    // Random single flips everywhere in the body, and every byte of the
    // block index and trailer (the last ~1/4 of the file).
    std::vector<std::size_t> where;
    for (int i = 0; i < 700; ++i) {
      where.push_back(Uniform(rng, codec::kHeaderSize, size - codec::kFooterSize - 1));
    }
    for (std::size_t at = size - codec::kFooterSize - std::min<std::size_t>(size / 4, 1500);
         at < size - codec::kFooterSize; ++at) {
      where.push_back(at);
    }
    for (std::size_t at : where) {
      const char old = copy.data()[at];
      const char mask = static_cast<char>(Uniform(rng, 1, 255));
      copy.data()[at] = static_cast<char>(old ^ mask);
      std::string_view body;
      ASSERT_TRUE(
          IsOk(codec::CheckFrame(name, copy.view(), codec::FileKind::kTermDict, false, &body)));
      EXPECT_FALSE(
          codec::CheckFrame(name, copy.view(), codec::FileKind::kTermDict, true, &body).ok());
      copy.PoisonFrame();
      SortedTable check;
      if (!SortedTable::Open(name, copy.view(), &check).ok()) ++corrupt;
      ++flips;
      ASSERT_NO_FATAL_FAILURE(ReadDamaged(copy.view(), rng, probes))
          << "byte " << at << " ^ " << (mask & 0xFF);
      copy.UnpoisonFrame();
      copy.data()[at] = old;
    }
    // Open notices some of it by itself.
    EXPECT_GT(corrupt, 0) << flips << " flips";

    // Truncated bodies: the frame moved forward.
    for (std::size_t cut = 1; cut < size - codec::kHeaderSize - codec::kFooterSize; cut += 7) {
      std::string shorter(h.map->view().substr(0, size - codec::kFooterSize - cut));
      shorter.append(h.map->view().substr(size - codec::kFooterSize));
      FileCopy c(shorter);
      ASSERT_NO_FATAL_FAILURE(ReadDamaged(c.view(), rng, probes)) << "cut " << cut;
    }
    h.map.reset();
  }
}

}  // namespace
}  // namespace tim::index
