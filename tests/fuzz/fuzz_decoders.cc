// Every on-disk decoder fed directly, the first byte choosing which:
//   0 postings and skip blocks, with positions   5 language model
//   1 sorted tables: term dictionary, id map     6 position chunks (DecodeInts)
//   2 stored-document blocks, ids by document    7 one serialised stored document
//   3 manifest                                   8 the messages of a sharded search:
//   4 deletion bitmaps                             collection statistics, shard answer
//   9 columns of typed fields (.col), with filters, sorting and facets over them
// Framed files are framed here with a correct checksum (and checksums are
// ignored anyway, fuzz_util.h), so mutations reach the structures. A decoder
// returns an error or values within the bounds its caller relies on.
#include <algorithm>
#include <string>
#include <vector>

#include "codec/file_format.h"
#include "fuzz/fuzz_text.h"
#include "fuzz/fuzz_util.h"
#include "index/columns.h"
#include "index/doc_ids.h"
#include "index/language_model.h"
#include "index/manifest.h"
#include "index/postings.h"
#include "index/segment.h"
#include "index/sorted_table.h"
#include "query/collect.h"
#include "query/filter.h"
#include "store/doc_store.h"
#include "tim/index.h"
#include "tim/search.h"
#include "tim/shards.h"

namespace tim::fuzz {

namespace {

std::string Body(std::string_view file) {
  if (file.size() < codec::kHeaderSize + codec::kFooterSize) return {};
  return std::string(
      file.substr(codec::kHeaderSize, file.size() - codec::kHeaderSize - codec::kFooterSize));
}

void PutU32(std::string* out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

}  // namespace

std::vector<std::string> Seeds() {
  std::vector<std::string> out;
  for (const bool many : {false, true}) {
    const std::map<std::string, std::string> files = SampleIndexFiles(many);
    MemFileSystem fs;
    for (const auto& [name, bytes] : files) fs.files["idx/" + name] = bytes;
    for (const auto& [name, bytes] : files) {
      const std::string ext = name.substr(std::min(name.size(), name.rfind('.')));
      // The byte after the decoder's picks the version: 3 + byte % 4 (6).
      if (ext == ".tim" || ext == ".ids") out.push_back(std::string("\x01\x03", 2) + Body(bytes));
      if (ext == ".lm") out.push_back(std::string("\x05\x03", 2) + Body(bytes));
      if (ext == ".sto" || ext == ".did") {
        for (const std::uint32_t count : {2u, 4u, 301u}) {
          std::string seed = ext == ".sto" ? std::string("\x02\x00\x03", 3) : "\x02\x01";
          PutU32(&seed, count);
          out.push_back(seed + Body(bytes));
        }
      }
      if (name.rfind(index::ManifestFileName(0).substr(0, 4), 0) == 0)
        out.push_back("\x03" + bytes);
      if (ext == ".del") {
        std::string seed = "\x04";
        PutU32(&seed, many ? 300 : 4);
        PutU32(&seed, 1);
        out.push_back(seed + bytes);
      }
      if (ext != ".seg") continue;
      // Postings: a few lists of each length class, as TermInfo + bytes.
      std::shared_ptr<const index::SegmentReader> segment;
      if (!index::SegmentReader::Open(&fs, "idx", name.substr(0, name.size() - 4), false, &segment)
               .ok()) {
        continue;
      }
      const index::PostingsSource& src = segment->postings();
      index::SegmentReader::TermIterator it(segment.get());
      std::size_t short_lists = 0, long_lists = 0;
      for (it.SeekToFirst(); it.Valid(); it.Next()) {
        const index::TermInfo& info = it.info();
        if (info.doc_freq < 2) continue;
        std::size_t& taken = info.doc_freq > index::kPostingsBlock ? long_lists : short_lists;
        if (taken >= 3 || info.doc_bytes > 20000) continue;
        ++taken;
        const bool positions = index::HasPositions(it.parts().kind);
        std::string seed(1, '\0');
        seed.push_back(positions ? 1 : 0);
        PutU32(&seed, info.doc_freq);
        PutU32(&seed, src.max_doc);
        PutU32(&seed, static_cast<std::uint32_t>(info.total_freq));
        PutU32(&seed, static_cast<std::uint32_t>(info.doc_bytes));
        seed.append(src.doc_file.substr(info.doc_offset, info.doc_bytes));
        if (positions) seed.append(src.pos_file.substr(info.pos_offset, info.pos_bytes));
        out.push_back(seed);
      }
    }
  }
  // Columns: keywords single- and multi-valued, integers, doubles, dates.
  for (const std::uint32_t docs : {3u, 300u}) {
    index::ColumnBuilder columns;
    for (std::uint32_t d = 0; d < docs; ++d) {
      if (d % 3 != 1) columns.AddKeyword(0, d, d % 2 == 0 ? "Thể thao" : "Kinh tế");
      if (d % 4 == 0) columns.AddKeyword(1, d, "bóng đá");
      if (d % 4 == 0) columns.AddKeyword(1, d, "giá vàng");
      columns.AddNumber(2, d, index::Number::Int(static_cast<std::int64_t>(d) * 1000 - 5));
      if (d % 5 != 0) columns.AddNumber(3, d, index::Number::Double(d + 0.5));
      columns.AddDate(4, d, 1486339200000 + std::int64_t{d} * 86400000);
    }
    std::string seed = "\x09";
    PutU32(&seed, docs);
    if (columns.Write(docs, &seed).ok()) out.push_back(seed);
  }
  // Position chunks: 130 increasing positions (one packed chunk and a tail).
  std::vector<std::uint32_t> positions(130);
  for (std::size_t i = 0; i < positions.size(); ++i)
    positions[i] = static_cast<std::uint32_t>(i % 5 + 1);
  std::string chunk = "\x06";
  PutU32(&chunk, 130);
  index::EncodeInts(positions.data(), positions.size(), &chunk);
  out.push_back(chunk);
  // A stored document.
  std::string doc = "\x07";
  store::SerializeDoc("Đà Nẵng", {{0, "Thành phố Huế"}, {1, "người ướt mưa"}}, &doc);
  out.push_back(doc);
  // The messages of a sharded search, from a search of the sample index.
  MemFileSystem fs;
  for (const auto& [name, bytes] : SampleIndexFiles(false)) fs.files["idx/" + name] = bytes;
  ReaderOptions ro;
  ro.file_system = &fs;
  std::unique_ptr<IndexReader> reader;
  std::unique_ptr<Searcher> searcher;
  if (IndexReader::Open("idx", ro, &reader).ok() &&
      Searcher::Open(reader.get(), RankingOptions(), &searcher).ok()) {
    SearchOptions so;
    so.default_operator = DefaultOperator::kAnd;
    for (const char* q : {"thành phố Huế", "tha* gyeongju", "ddoo thij"}) {
      CollectionStats stats;
      ShardAnswer answer;
      if (!searcher->GatherStats(q, so, &stats).ok()) continue;
      out.push_back("\x08" + stats.Serialize());
      for (const bool dressed : {false, true}) {
        so.snippets = dressed;
        if (searcher->SearchShard(q, so, stats, &answer).ok()) {
          out.push_back("\x08" + answer.Serialize());
        }
      }
    }
  }
  return out;
}

}  // namespace tim::fuzz

namespace {

using namespace tim;
using tim::fuzz::Check;
using tim::fuzz::TakeU32;
using tim::fuzz::TakeU8;

void Postings(std::string_view in) {
  const std::uint8_t flags = TakeU8(&in);
  index::TermInfo info;
  info.doc_freq = TakeU32(&in);
  const std::uint32_t max_doc = TakeU32(&in);
  info.total_freq = TakeU32(&in);
  info.single_doc = static_cast<std::uint32_t>(info.total_freq % (std::uint64_t{max_doc} + 1));
  const std::uint32_t asked = TakeU32(&in);  // before in.size(): TakeU32 shortens `in`
  const auto doc_bytes = static_cast<std::uint32_t>(std::min<std::size_t>(asked, in.size()));
  const bool positions = flags & 1;
  const std::string doc_file = fuzz::Frame('D', codec::kFormatVersion, in.substr(0, doc_bytes));
  const std::string pos_file = fuzz::Frame('P', codec::kFormatVersion, in.substr(doc_bytes));
  info.doc_offset = codec::kHeaderSize;
  info.doc_bytes = doc_bytes;
  info.pos_offset = codec::kHeaderSize;
  info.pos_bytes = in.size() - doc_bytes;
  index::PostingsSource src{"x.doc", "x.pos", doc_file, pos_file, max_doc};
  index::PostingsCursor cursor;
  if (!cursor.Init(src, info, positions).ok()) return;
  std::uint32_t last = 0, seen = 0;
  bool first = true;
  std::vector<std::uint32_t> pos;
  // Walks the list; flags choose skipping (NextGeq, ShallowSeek) and reading
  // frequencies and positions.
  for (int step = 0; step < 200000 && cursor.doc() != index::kNoMoreDocs; ++step) {
    const std::uint32_t doc = cursor.doc();
    Check(doc < max_doc, "documents below max_doc");
    Check(first || doc > last, "documents increase");
    Check(cursor.block_last_doc() >= doc, "the block's last doc bounds the doc");
    first = false;
    last = doc;
    ++seen;
    if (flags & 2) {
      const std::uint32_t tf = cursor.freq();
      Check(tf >= 1, "frequencies are at least 1");
      if (positions && (flags & 4) && cursor.Positions(&pos).ok()) {
        Check(pos.size() == tf, "freq() positions");
        for (std::size_t i = 1; i < pos.size(); ++i)
          Check(pos[i] > pos[i - 1], "positions increase");
      }
    }
    // Targets past the current doc, without wrapping past 2^32 - 1.
    const std::uint64_t target = std::uint64_t{doc} + (flags >> 4) * 37 + 1;
    if ((flags & 8) && step % 3 == 0 && target < index::kNoMoreDocs) {
      cursor.ShallowSeek(static_cast<std::uint32_t>(std::min<std::uint64_t>(doc + 200ull, target)));
      cursor.NextGeq(static_cast<std::uint32_t>(target));
    } else {
      cursor.Next();
    }
  }
  Check(seen <= info.doc_freq || !cursor.status().ok(), "no more documents than doc_freq");
}

void Table(std::string_view in) {
  const std::uint32_t version = codec::kOldestReadableVersion + TakeU8(&in) % 4;
  const std::string file = fuzz::Frame('T', version, in);
  index::SortedTable table;
  if (!index::SortedTable::Open("x.tim", file, version, &table).ok()) return;
  index::SortedTable::Iterator it(&table);
  std::string last;
  std::vector<std::string> keys;
  std::uint64_t n = 0;
  for (it.SeekToFirst(); it.Valid() && n < 1000000; it.Next(), ++n) {
    Check(n == 0 || std::string(it.key()) > last, "keys increase");
    last = std::string(it.key());
    if (keys.size() < 16) keys.push_back(last);
    // The entry read as a term dictionary's value.
    std::uint64_t offsets[2];
    index::TermInfo info;
    if (index::DecodeBlockAux(it.block_aux(), offsets)) {
      (void)index::DecodeTermValue(it.value(), true, offsets, &info);
    }
    index::TermKeyParts parts;
    (void)index::ParseTermKey(it.key(), &parts);
  }
  Check(!it.status().ok() || n == table.entries() || n == 1000000, "entries() entries");
  keys.push_back(std::string(in.substr(0, 12)));
  for (const std::string& key : keys) {
    std::string_view value;
    bool found = false;
    if (table.Get(key, &value, &found).ok() && found) {
      it.Seek(key);
      Check(it.Valid() && it.key() == key, "Get and Seek agree");
    }
  }
}

void Store(std::string_view in) {
  const std::uint32_t version = codec::kOldestReadableVersion + TakeU8(&in) % 4;
  const std::uint32_t count = TakeU32(&in) % 100000;
  const std::string file = fuzz::Frame('S', version, in);
  store::StoreReader reader;
  if (!reader.Open("x.sto", file, count, version).ok()) return;
  store::StoredDoc doc;
  for (std::uint32_t d = 0; d < std::min<std::uint32_t>(count, 2000); ++d) {
    if (!reader.Get(d, &doc).ok()) break;
  }
  std::string raw;
  std::vector<std::string_view> docs;
  std::uint32_t first = 0;
  for (std::size_t b = 0; b < std::min<std::uint64_t>(reader.blocks(), 64); ++b) {
    if (reader.ReadBlock(b, &raw, &docs, &first).ok()) {
      Check(first + std::uint64_t{docs.size()} <= count, "blocks hold the segment's documents");
    }
  }
}

void DocIds(std::string_view in) {
  const std::uint32_t count = TakeU32(&in) % 100000;
  const std::string file = fuzz::Frame('R', codec::kFormatVersion, in);
  index::DocIdsReader reader;
  if (!reader.Open("x.did", file, count).ok()) return;
  std::string id;
  for (std::uint32_t d = 0; d < std::min<std::uint32_t>(count, 2000); ++d) {
    if (reader.Get(d, &id).ok()) Check(!id.empty() && id.size() <= index::kMaxIdBytes, "id size");
  }
}

void StoreFiles(std::string_view in) {
  if (TakeU8(&in) % 2 == 0) {
    Store(in);
  } else {
    DocIds(in);
  }
}

void ManifestFile(std::string_view in) {
  fuzz::MemFileSystem fs;
  fs.files["d/" + index::ManifestFileName(1)] = std::string(in);
  index::Manifest m;
  if (!index::ReadManifest(&fs, "d", 1, &m).ok()) return;
  for (const index::ManifestSegment& s : m.segments) {
    Check(s.del_count <= s.doc_count, "deletions within the segment");
  }
}

void Deletes(std::string_view in) {
  const std::uint32_t doc_count = TakeU32(&in);
  const std::uint32_t expected = TakeU32(&in);
  fuzz::MemFileSystem fs;
  fs.files["d/x.del"] = std::string(in);
  Roaring bitmap;
  if (!index::ReadDeletes(&fs, "d", "x.del", doc_count, expected, &bitmap).ok()) return;
  Check(bitmap.cardinality() == expected, "the expected count");
  Check(bitmap.isEmpty() || bitmap.maximum() < doc_count, "deletions below doc_count");
}

void Model(std::string_view in) {
  const std::uint32_t version = codec::kOldestReadableVersion + TakeU8(&in) % 4;
  const std::string file = fuzz::Frame('L', version, in);
  index::LanguageModelReader lm;
  if (!lm.Open("x.lm", file, version).ok()) return;
  (void)lm.Verify();
  std::vector<index::LmVariant> variants;
  index::LanguageModelReader::SpellingCache cache;
  for (const char* ngram : {"ha", "ha noi", "thanh pho hue", "nguoi", "da nang"}) {
    (void)lm.Lookup(ngram, &variants, &cache);
  }
  index::SortedTable::Iterator it(&lm.table());
  int n = 0;
  for (it.SeekToFirst(); it.Valid() && n < 64; it.Next(), ++n) {
    (void)lm.Lookup(it.key(), &variants, &cache);
  }
}

void Ints(std::string_view in) {
  const std::size_t n = TakeU32(&in) % 4096;
  std::vector<std::uint32_t> out(n);
  const char* end = index::DecodeInts(in.data(), in.data() + in.size(), n, out.data());
  Check(end == nullptr || (end >= in.data() && end <= in.data() + in.size()),
        "DecodeInts stays in its bytes");
}

void StoredDocument(std::string_view in) {
  store::StoredDoc doc;
  for (int i = 0; i < 1000 && !in.empty(); ++i) {
    const std::size_t before = in.size();
    if (!store::ParseDoc(&in, &doc)) break;
    Check(in.size() < before, "ParseDoc advances");
  }
}

}  // namespace

// A message that parses serializes to bytes that parse to the same bytes;
// an answer merges without breaking the merge's promises.
void Messages(std::string_view in) {
  CollectionStats stats;
  if (CollectionStats::Parse(in, &stats).ok()) {
    const std::string bytes = stats.Serialize();
    CollectionStats again;
    Check(CollectionStats::Parse(bytes, &again).ok() && again.Serialize() == bytes,
          "statistics round-trip");
    stats.Merge(again);
  }
  ShardAnswer answer;
  if (!ShardAnswer::Parse(in, &answer).ok()) return;
  const std::string bytes = answer.Serialize();
  ShardAnswer again;
  Check(ShardAnswer::Parse(bytes, &again).ok() && again.Serialize() == bytes, "answer round-trip");
  Check(answer.results.hits.size() <= answer.requested, "no more hits than requested");
  SearchOptions options;
  options.default_operator = DefaultOperator::kAnd;
  options.k = std::min<std::size_t>(answer.requested, 10000);
  SearchResults merged;
  std::vector<std::size_t> from;
  if (MergeShards({answer, again}, options, &merged, &from).ok()) {
    Check(merged.hits.size() <= options.k && from.size() == merged.hits.size(),
          "at most k hits, each with its shard");
    for (std::size_t i = 1; i < merged.hits.size(); ++i) {
      Check(!RanksBefore(merged.hits[i], merged.hits[i - 1]), "merged hits in order");
    }
  }
}

// A .col body for `doc_count` documents: opened, verified, read by
// document, filtered, sorted and counted.
void Columns(std::string_view in) {
  const std::uint32_t doc_count = TakeU32(&in) % 100000;
  index::ColumnReader reader;
  if (!reader.Open("x.col", in, codec::kHeaderSize, doc_count).ok()) return;
  (void)reader.Verify();
  std::vector<std::uint32_t> ords;
  index::Manifest m;
  for (const index::Column& c : reader.columns()) {
    Check(c.field() < 255, "field numbers below 255");
    while (m.fields.size() <= c.field()) {
      m.fields.push_back("f" + std::to_string(m.fields.size()));
      m.field_types.push_back(FieldType::kText);
    }
    m.field_types[c.field()] = index::TypeOfColumn(c.kind());
    for (std::uint32_t d = 0; d < std::min<std::uint32_t>(doc_count, 2000); ++d) {
      if (c.keyword()) {
        if (c.Ords(d, &ords)) {
          for (std::uint32_t o : ords) Check(o < c.value_count(), "ordinals within the dictionary");
        }
      } else if (c.Has(d)) {
        (void)c.NumberOf(c.Key(d));
      }
    }
    if (c.keyword()) {
      for (std::uint32_t o = 0; o < std::min<std::uint32_t>(c.value_count(), 50); ++o) {
        Roaring docs;
        if (c.AddDocs(o, &docs).ok()) {
          Check(docs.isEmpty() || docs.maximum() < doc_count, "lists within the segment");
        }
      }
    }
  }
  const query::FoldFn fold = [](std::string_view s) { return std::string(s); };
  for (const char* text : {"f0 = \"Thể thao\" OR f1 IN [\"bóng đá\"]", "f2 >= 100 AND f3 < 50.5",
                           "f4 >= 2017-02 AND NOT f4 = 2017-02-10", "f0 ~ \"the thao\"",
                           "f1 EXISTS", "f2 -5 TO 7000"}) {
    query::FilterNode node;
    if (!query::ParseFilter(text, m, &node).ok()) continue;
    Roaring pass;
    if (query::EvaluateFilter(node, reader, doc_count, fold, &pass).ok()) {
      Check(pass.isEmpty() || pass.maximum() < doc_count, "filters pass documents of the segment");
    }
  }
  std::vector<query::SortPart> sort;
  std::vector<query::FacetPart> facets;
  std::vector<SortField> sort_fields;
  for (std::size_t f = 0; f < m.fields.size(); ++f) {
    if (m.TypeOf(static_cast<std::uint32_t>(f)) == FieldType::kText) continue;
    sort_fields.push_back({m.fields[f], f % 2 == 0});
  }
  if (!query::ResolveSort(sort_fields, m, &sort).ok()) return;
  const query::CompareIds ids = [](std::uint64_t a, std::uint64_t b) {
    return a < b ? -1 : (a > b ? 1 : 0);
  };
  query::Collector collector(sort, facets, 10, &ids);
  if (!collector.BeginSegment(reader, 0, true).ok()) return;
  for (std::uint32_t d = 0; d < std::min<std::uint32_t>(doc_count, 2000); ++d) {
    if (!collector.Add(d, 1.0f).ok()) return;
  }
  collector.EndSegment();
  std::vector<std::vector<std::string>> values;
  Check(collector.Top(&values).size() <= 10, "at most k sorted hits");
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  switch (TakeU8(&in) % 10) {
    case 0: Postings(in); break;
    case 1: Table(in); break;
    case 2: StoreFiles(in); break;
    case 3: ManifestFile(in); break;
    case 4: Deletes(in); break;
    case 5: Model(in); break;
    case 6: Ints(in); break;
    case 7: StoredDocument(in); break;
    case 8: Messages(in); break;
    case 9: Columns(in); break;
  }
  return 0;
}
