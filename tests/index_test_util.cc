#include "index_test_util.h"

#include <gtest/gtest.h>

#include "index/segment.h"
#include "index/snapshot.h"
#include "test_util.h"
#include "tim/analyzer.h"

namespace tim::testing {

namespace {
const char* const kWords[] = {
    "Hà",   "Nội",   "hoà",   "hòa",    "bình",  "thuỷ",     "thủy",   "lợi",  "đô",
    "thị",  "thông", "minh",  "gi",     "già",   "giữa",     "quá",    "quốc", "gia",
    "thuở", "khuơ",  "người", "trường", "Đà",    "Nẵng",     "ĐẠI",    "Ðông", "ma",
    "má",   "mà",    "mã",    "mạ",     "mả",    "COVID-19", "TP.HCM", "2026", "Việt",
    "Nam",  "kinh",  "tế",    "phát",   "triển", "xã",       "hội",    "của",  "và",
    "các",  "những", "được",  "trong",  "với",   "năm",      "HÒA",    "NHỊP", "khoẻ",
    "khỏe", "tuỳ",   "tùy",   "smart",  "city",  "ươ",       "uơ",     "Quy",  "hoạch"};
}  // namespace

std::string DocGenerator::Text(int min_words, int max_words) {
  std::uniform_int_distribution<int> len(min_words, max_words);
  std::uniform_int_distribution<std::size_t> word(0, std::size(kWords) - 1);
  std::uniform_int_distribution<int> pct(0, 99);
  std::string text;
  const int n = len(rng_);
  for (int i = 0; i < n; ++i) {
    if (i > 0) text += pct(rng_) < 10 ? ", " : (pct(rng_) < 5 ? ".\n" : " ");
    std::string w = kWords[word(rng_)];
    if (pct(rng_) < 5) w = Nfd(w);  // decomposed input
    text += w;
  }
  return text;
}

Document DocGenerator::Make(const std::string& id) {
  Document d;
  d.id = id;
  d.fields.emplace_back("title", Text(0, 8));
  d.fields.emplace_back("body", Text(0, 120));
  if (std::uniform_int_distribution<int>(0, 3)(rng_) == 0)
    d.fields.emplace_back("tags", Text(1, 3));
  return d;
}

namespace {

std::string Key(const std::string& field, index::TermKind kind, std::string_view term) {
  std::string key = field;
  key.push_back('\0');
  key.push_back(static_cast<char>('0' + static_cast<int>(kind)));
  key.append(term);
  return key;
}

}  // namespace

ReferenceIndex BuildReference(const std::map<std::string, Document>& live) {
  ReferenceIndex ref;
  ref.docs = live;
  Analyzer analyzer;
  Analysis a;
  for (const auto& [id, doc] : live) {
    std::map<std::string, std::uint32_t> base;  // a field name repeated continues its positions
    for (const auto& [field, text] : doc.fields) {
      EXPECT_TRUE(analyzer.Analyze(text, &a).ok());
      const std::uint32_t offset = base[field];
      for (const Token& t : a.tokens()) {
        const std::uint32_t pos = offset + t.position;
        // Two tokens of one term at one position count once.
        auto add = [&](index::TermKind kind, std::string_view term) {
          auto& p = ref.postings[Key(field, kind, term)][id];
          if (p.second.empty() || p.second.back() < pos) p.second.push_back(pos);
        };
        if (t.kind == TokenKind::kBigram) {
          add(index::TermKind::kBigram, a.folded(t));
        } else {
          add(index::TermKind::kFolded, a.folded(t));
          add(index::TermKind::kExact, a.exact(t));
        }
      }
      base[field] += a.word_count();
      ref.lengths[id][field] = base[field];
    }
  }
  // Frequencies are the positions counted; only folded terms keep positions.
  for (auto& [key, docs] : ref.postings) {
    const bool positions = key[key.find('\0') + 1] == '0';
    for (auto& [id, p] : docs) {
      p.first = static_cast<std::uint32_t>(p.second.size());
      if (!positions) p.second.clear();
    }
  }
  return ref;
}

ReferenceIndex ReadBack(const IndexReader& reader) {
  ReferenceIndex out;
  const internal::Snapshot& snap = internal::SnapshotOf(reader);
  const std::vector<std::string>& fields = snap.manifest.fields;
  for (const internal::SegmentView& seg : snap.segments) {
    const index::SegmentReader& r = *seg.reader;
    std::vector<std::string> ids(r.doc_count());
    for (std::uint32_t d = 0; d < r.doc_count(); ++d) {
      if (seg.IsDeleted(d)) continue;
      store::StoredDoc stored;
      EXPECT_TRUE(r.store().Get(d, &stored).ok());
      ids[d] = stored.id;
      Document& doc = out.docs[stored.id];
      EXPECT_TRUE(doc.id.empty()) << "id " << stored.id << " live twice";
      doc.id = stored.id;
      for (auto& [f, text] : stored.fields) doc.fields.emplace_back(fields.at(f), text);
      for (const index::FieldStats& fs : r.info().fields) {
        const std::uint32_t len = r.FieldLength(fs.field, d);
        bool present = false;
        for (const auto& [f, text] : stored.fields) present |= f == fs.field;
        if (present) out.lengths[stored.id][fields.at(fs.field)] = len;
      }
    }
    index::SegmentReader::TermIterator it(&r);
    index::PostingsCursor cursor;
    std::vector<std::uint32_t> positions;
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      const std::string_view key = it.key();
      const index::TermKeyParts& parts = it.parts();
      const std::string name = Key(fields.at(parts.field), parts.kind, std::string(parts.term));
      EXPECT_TRUE(r.OpenCursor(key, it.info(), &cursor).ok());
      for (; cursor.doc() != index::kNoMoreDocs; cursor.Next()) {
        if (seg.IsDeleted(cursor.doc())) continue;
        auto& p = out.postings[name][ids[cursor.doc()]];
        p.first = cursor.freq();
        if (index::HasPositions(parts.kind)) {
          EXPECT_TRUE(cursor.Positions(&positions).ok());
          p.second = positions;
        }
      }
      EXPECT_TRUE(cursor.status().ok()) << cursor.status().ToString();
    }
    EXPECT_TRUE(it.status().ok()) << it.status().ToString();
  }
  return out;
}

}  // namespace tim::testing
