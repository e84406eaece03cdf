// Typed fields (include/tim/schema.h): values, schemas, columns, filters,
// sorting and facets. The randomized tests check every search against an
// oracle that evaluates the same filter, order and counts straight from the
// documents the test made, without the index's columns.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "index/columns.h"
#include "index/set_cache.h"
#include "index/typed_value.h"
#include "test_util.h"
#include "tim/index.h"
#include "tim/jsonl.h"
#include "tim/search.h"
#include "tim/shards.h"

namespace tim {
namespace {

using index::Number;
using testing::TempDir;

// ---- Values ----

TEST(TypedValue, DatesReadAsIso8601OrEpochSeconds) {
  std::int64_t ms = 0;
  ASSERT_TRUE(index::ParseDate("2017-02-06", &ms));
  EXPECT_EQ(ms, 1486339200000);  // date -u -d 2017-02-06 +%s
  ASSERT_TRUE(index::ParseDate("2017-02-06T10:30:00Z", &ms));
  EXPECT_EQ(ms, 1486339200000 + 37800000);
  ASSERT_TRUE(index::ParseDate("2017-02-06 10:30:00.250+07:00", &ms));
  EXPECT_EQ(ms, 1486339200000 + 37800000 - 7 * 3600000 + 250);
  ASSERT_TRUE(index::ParseDate("1486339200", &ms));
  EXPECT_EQ(ms, 1486339200000);
  ASSERT_TRUE(index::ParseDate("2017", &ms));  // a year alone: its first day
  EXPECT_EQ(ms, 1483228800000);
  ASSERT_TRUE(index::ParseDate("2016-02", &ms));
  EXPECT_EQ(ms, 1454284800000);
  ASSERT_TRUE(index::ParseDate("1969-12-31", &ms));
  EXPECT_EQ(ms, -86400000);
  ASSERT_TRUE(index::ParseDate("2000-02-29", &ms));  // a leap day
  for (const char* bad :
       {"2017-02-30", "2019-02-29", "2017-13-01", "2017-1-5", "06/02/2017", "2017-02-06T25:00",
        "2017-02-06T10:30:00 UTC", "", "ngày 6/2", "0000-01-01", "2017-02-06T", "1e9"}) {
    EXPECT_FALSE(index::ParseDate(bad, &ms)) << bad;
  }
  EXPECT_EQ(index::FormatDate(1486339200000), "2017-02-06");
  EXPECT_EQ(index::FormatDate(1486339200000 + 37800250), "2017-02-06T10:30:00.250Z");
  EXPECT_EQ(index::FormatDate(-1), "1969-12-31T23:59:59.999Z");
}

TEST(TypedValue, NumbersAreIntegersOrDoublesComparedExactly) {
  Number n;
  ASSERT_TRUE(index::ParseNumber("120000", &n));
  EXPECT_FALSE(n.is_double);
  EXPECT_EQ(n.i, 120000);
  ASSERT_TRUE(index::ParseNumber("1e6", &n));  // integral: kept as an integer
  EXPECT_FALSE(n.is_double);
  EXPECT_EQ(n.i, 1000000);
  ASSERT_TRUE(index::ParseNumber("-3.5", &n));
  EXPECT_TRUE(n.is_double);
  EXPECT_EQ(index::FormatNumber(n), "-3.5");
  ASSERT_TRUE(index::ParseNumber("9223372036854775807", &n));
  EXPECT_EQ(n.i, INT64_MAX);
  for (const char* bad :
       {"", "abc", "1,5", "12 000", "inf", "nan", "0x10", "1e", ".", "-", "1.2.3"}) {
    EXPECT_FALSE(index::ParseNumber(bad, &n)) << bad;
  }
  // 2^53 + 1 as an integer is not the double 2^53.
  EXPECT_LT(
      index::CompareNumbers(Number::Double(9007199254740992.0), Number::Int(9007199254740993)), 0);
  EXPECT_GT(index::CompareNumbers(Number::Double(2.5), Number::Int(2)), 0);
  EXPECT_LT(index::CompareNumbers(Number::Double(-2.5), Number::Int(-2)), 0);
  // Keys keep the order.
  const double ds[] = {-1e300, -2.5, -0.0, 0.0, 1e-300, 2.5, 1e300};
  for (std::size_t i = 1; i < std::size(ds); ++i) {
    EXPECT_LE(index::DoubleKey(ds[i - 1]), index::DoubleKey(ds[i]));
    EXPECT_EQ(index::DoubleFromKey(index::DoubleKey(ds[i])), ds[i]);
  }
  EXPECT_LT(index::IntKey(-5), index::IntKey(3));
  EXPECT_EQ(index::IntFromKey(index::IntKey(INT64_MIN)), INT64_MIN);
}

// ---- Keyword columns ----

// A value 1 in 32 documents or more hold keeps no document list (its
// ordinals say it); a rarer one keeps its list. Both give the same
// documents, alone or together, in single- and multi-valued columns.
std::set<std::uint32_t> SetOf(const Roaring& r) {
  std::set<std::uint32_t> out;
  for (const std::uint32_t d : r) out.insert(d);
  return out;
}

TEST(KeywordColumn, ListsOnlyForRareValuesAndBothReadAlike) {
  constexpr std::uint32_t kDocs = 640;
  index::ColumnBuilder b;
  std::map<std::string, std::set<std::uint32_t>> want_cat, want_tag;
  for (std::uint32_t d = 0; d < kDocs; ++d) {
    // category: "Thể thao" on every other document (frequent), "Giáo dục"
    // on 3 (rare: 3 × 32 < 640), "Đời sống" on 20 (exactly 1 in 32).
    std::string cat;
    if (d % 2 == 0) cat = "Thể thao";
    if (d == 5 || d == 301 || d == 639) cat = "Giáo dục";
    if (d % 32 == 7) cat = "Đời sống";
    if (!cat.empty()) {
      b.AddKeyword(0, d, cat);
      want_cat[cat].insert(d);
    }
    // tags, several per document: "quốc hội" frequent, "gia đình" rare.
    for (const char* tag : {"quốc hội", "gia đình", "ươm mầm"}) {
      const bool has = std::string(tag) == "quốc hội"   ? d % 3 == 0
                       : std::string(tag) == "gia đình" ? d % 97 == 1
                                                        : d % 5 == 0;
      if (!has) continue;
      b.AddKeyword(1, d, tag);
      want_tag[tag].insert(d);
    }
  }
  std::string body;
  ASSERT_TRUE(b.Write(kDocs, &body).ok());
  index::ColumnReader r;
  ASSERT_TRUE(r.Open("t.col", body, 8, kDocs).ok());
  ASSERT_TRUE(r.Verify().ok());
  const auto check = [&](std::uint32_t field,
                         const std::map<std::string, std::set<std::uint32_t>>& want) {
    const index::Column* c = r.Find(field);
    ASSERT_NE(c, nullptr);
    std::vector<std::uint32_t> all;
    std::set<std::uint32_t> union_want;
    for (const auto& [value, docs] : want) {
      std::uint32_t o = 0;
      ASSERT_TRUE(c->Find(value, &o)) << value;
      EXPECT_EQ(c->HasList(o), docs.size() * index::kListDensity < kDocs) << value;
      EXPECT_EQ(c->DocsWith(o), docs.size()) << value;
      Roaring got;
      ASSERT_TRUE(c->AddDocs(o, &got).ok());
      EXPECT_EQ(SetOf(got), docs) << value;
      all.push_back(o);
      union_want.insert(docs.begin(), docs.end());
    }
    Roaring got;
    ASSERT_TRUE(c->AddDocs(all, &got).ok());
    EXPECT_EQ(SetOf(got), union_want);
  };
  check(0, want_cat);
  check(1, want_tag);
  // Both kinds of value occur: the test covers the list and the walk.
  std::uint32_t o = 0;
  ASSERT_TRUE(r.Find(0)->Find("Thể thao", &o));
  EXPECT_FALSE(r.Find(0)->HasList(o));
  ASSERT_TRUE(r.Find(0)->Find("Giáo dục", &o));
  EXPECT_TRUE(r.Find(0)->HasList(o));
}

// The cache of filter sets: least recently used out first, within its
// budget and entry count.
TEST(SetCache, KeepsTheRecentWithinItsBudget) {
  index::SetCache cache(index::SetCache::BudgetFor(1000));
  const auto set = [](std::uint32_t from, std::uint32_t to) {
    auto r = std::make_shared<Roaring>();
    r->addRange(from, to);
    return std::shared_ptr<const Roaring>(std::move(r));
  };
  cache.Insert("category = \"Thể thao\"", set(0, 10));
  cache.Insert("published >= 2017", set(5, 50));
  ASSERT_NE(cache.Find("category = \"Thể thao\""), nullptr);
  EXPECT_EQ(cache.Find("category = \"Thể thao\"")->cardinality(), 10u);
  EXPECT_EQ(cache.Find("category = \"the thao\""), nullptr);
  // Replacing keeps one entry.
  cache.Insert("published >= 2017", set(5, 60));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find("published >= 2017")->cardinality(), 55u);
  // Past kMaxEntries, the least recently used go.
  cache.Find("category = \"Thể thao\"");
  for (std::size_t i = 0; i < index::SetCache::kMaxEntries; ++i) {
    cache.Insert("price > " + std::to_string(i), set(0, 1));
    if (i == 0) cache.Find("category = \"Thể thao\"");
  }
  EXPECT_EQ(cache.size(), index::SetCache::kMaxEntries);
  EXPECT_EQ(cache.Find("published >= 2017"), nullptr);
  EXPECT_LE(cache.bytes(), index::SetCache::BudgetFor(1000));
  // A set larger than the whole budget is not kept; a held one stays valid.
  std::shared_ptr<const Roaring> held = cache.Find("price > 5");
  ASSERT_NE(held, nullptr);
  auto big = std::make_shared<Roaring>();
  for (std::uint32_t i = 0; i < 600000; ++i) big->add(i * 7);  // > 256 KB
  cache.Insert("words > 1", big);
  EXPECT_EQ(cache.Find("words > 1"), nullptr);
  for (std::size_t i = 0; i < index::SetCache::kMaxEntries; ++i)
    cache.Insert("x" + std::to_string(i), set(0, 2));
  EXPECT_EQ(cache.Find("price > 5"), nullptr);
  EXPECT_EQ(held->cardinality(), 1u);
}

// ---- Schemas ----

Schema NewsSchema() {
  return {{"category", FieldType::kKeyword},
          {"tags", FieldType::kKeyword},
          {"price", FieldType::kNumber},
          {"published", FieldType::kDate}};
}

Document Doc(const std::string& id, std::vector<std::pair<std::string, std::string>> fields) {
  Document d;
  d.id = id;
  d.fields = std::move(fields);
  return d;
}

TEST(Schema, StoredWithTheIndexExtendedNeverRetyped) {
  TempDir dir;
  const std::string path = dir.Sub("idx");
  {
    IndexOptions o;
    o.schema = NewsSchema();
    std::unique_ptr<IndexWriter> w;
    ASSERT_TRUE(IndexWriter::Open(path, o, &w).ok());
    ASSERT_TRUE(w->AddDocument(Doc("1", {{"title", "Hà Nội"}, {"category", "Thời sự"}})).ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  std::unique_ptr<IndexReader> r;
  ASSERT_TRUE(IndexReader::Open(path, {}, &r).ok());
  EXPECT_EQ(r->schema(), NewsSchema());
  {
    IndexOptions o;  // no schema: the index's holds
    std::unique_ptr<IndexWriter> w;
    ASSERT_TRUE(IndexWriter::Open(path, o, &w).ok());
    EXPECT_EQ(w->schema(), NewsSchema());
  }
  {
    IndexOptions o;
    o.schema = {{"price", FieldType::kKeyword}};
    std::unique_ptr<IndexWriter> w;
    const Status s = IndexWriter::Open(path, o, &w);
    EXPECT_TRUE(s.IsInvalidArgument());
    EXPECT_NE(s.message().find("\"price\" is number"), std::string::npos) << s.ToString();
  }
  {
    IndexOptions o;
    o.schema = {{"title", FieldType::kKeyword}};  // a text field already
    std::unique_ptr<IndexWriter> w;
    EXPECT_TRUE(IndexWriter::Open(path, o, &w).IsInvalidArgument());
    o.schema = {{"views", FieldType::kNumber}, {"views", FieldType::kDate}};
    EXPECT_TRUE(IndexWriter::Open(path, o, &w).IsInvalidArgument());
    o.schema = {{"", FieldType::kNumber}};
    EXPECT_TRUE(IndexWriter::Open(path, o, &w).IsInvalidArgument());
  }
  {
    IndexOptions o;
    o.schema = {{"views", FieldType::kNumber}};  // a new field joins
    std::unique_ptr<IndexWriter> w;
    ASSERT_TRUE(IndexWriter::Open(path, o, &w).ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  ASSERT_TRUE(IndexReader::Open(path, {}, &r).ok());
  Schema want = NewsSchema();
  want.emplace_back("views", FieldType::kNumber);
  EXPECT_EQ(r->schema(), want);
}

TEST(Schema, ParsedFromJson) {
  Schema s;
  ASSERT_TRUE(ParseSchemaJson(R"({"fields": {"category": "keyword", "giá": "number",
                                   "published": "date", "body": "text"}})",
                              &s)
                  .ok());
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[1], (std::pair<std::string, FieldType>("giá", FieldType::kNumber)));
  for (const char* bad : {"", "{", "[]", R"({"fields": []})", R"({"fields": {"a": "int"}})",
                          R"({"fields": {"a": 3}})", R"({"field": {}})",
                          R"({"fields": {"a": "date", "a": "date"}})"}) {
    EXPECT_TRUE(ParseSchemaJson(bad, &s).IsInvalidArgument()) << bad;
  }
}

TEST(Schema, ValuesThatDoNotFitAreRefusedNamingThem) {
  TempDir dir;
  IndexOptions o;
  o.schema = NewsSchema();
  std::unique_ptr<IndexWriter> w;
  ASSERT_TRUE(IndexWriter::Open(dir.Sub("idx"), o, &w).ok());
  Status s = w->AddDocument(Doc("a", {{"price", "mười nghìn"}, {"nguồn", "VnExpress"}}));
  ASSERT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("\"price\""), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("mười nghìn"), std::string::npos) << s.message();
  s = w->AddDocument(Doc("b", {{"published", "ngày 6/2/2017"}}));
  EXPECT_TRUE(s.IsInvalidArgument());
  s = w->AddDocument(Doc("c", {{"price", "1"}, {"price", "2"}}));
  EXPECT_TRUE(s.IsInvalidArgument());
  s = w->AddDocument(Doc("d", {{"category", std::string(kMaxKeywordBytes + 1, 'x')}}));
  EXPECT_TRUE(s.IsInvalidArgument());
  ASSERT_TRUE(w->AddDocument(Doc("e", {{"title", "Đà Nẵng"}, {"price", "5"}})).ok());
  ASSERT_TRUE(w->Commit().ok());
  std::unique_ptr<IndexReader> r;
  ASSERT_TRUE(IndexReader::Open(dir.Sub("idx"), {}, &r).ok());
  EXPECT_EQ(r->num_docs(), 1u);
  IndexStats stats;
  ASSERT_TRUE(r->GetStats(&stats).ok());
  // A refused document leaves no field name behind.
  EXPECT_EQ(std::count(stats.fields.begin(), stats.fields.end(), "nguồn"), 0);
  Document got;
  ASSERT_TRUE(r->GetDocument("e", &got).ok());
  EXPECT_EQ(got.Field("price"), "5");  // stored as given
}

TEST(Schema, JsonLinesGiveNumbersAndArraysToTypedFields) {
  Document d;
  const Schema schema = NewsSchema();
  ASSERT_TRUE(ParseJsonDocument(
                  R"({"id": 7, "title": "Giá xăng", "price": 23450.5, "views": 12,
                      "tags": ["xăng dầu", "giá cả", 95], "published": 1486339200, "category": null})",
                  schema, &d)
                  .ok());
  std::vector<std::pair<std::string, std::string>> want = {
      {"title", "Giá xăng"}, {"price", "23450.5"}, {"tags", "xăng dầu"},
      {"tags", "giá cả"},    {"tags", "95"},       {"published", "1486339200"}};
  EXPECT_EQ(d.fields, want);  // "views" is not typed: skipped as before
  EXPECT_TRUE(ParseJsonDocument(R"({"id": 1, "tags": [["a"]]})", schema, &d).IsInvalidArgument());
}

// ---- The randomized oracle ----

const char* const kCategories[] = {"Thể thao", "thể thao", "Kinh tế",  "Xã hội",
                                   "Giáo dục", "Sức khỏe", "Sức khoẻ", "Đời sống"};
const char* const kTags[] = {"bóng đá", "giá vàng", "Hà Nội", "quốc hội",
                             "giữa kỳ", "Đà Nẵng",  "thuế",   "ươm mầm"};

struct Values {
  std::string category;  // "" when absent
  std::vector<std::string> tags;
  bool has_price = false;
  Number price;
  bool has_date = false;
  std::int64_t date = 0;
};

// One condition of a random filter, with its text and its oracle.
struct Cond {
  std::string text;
  std::function<bool(const Values&)> holds;
};

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

Cond RandomLeaf(testing::Rng& rng) {
  const auto pick = [&](std::uint64_t n) { return testing::Uniform(rng, 0, n - 1); };
  const std::string cat = kCategories[pick(std::size(kCategories))];
  const std::string tag = kTags[pick(std::size(kTags))];
  const std::int64_t p = static_cast<std::int64_t>(pick(2000)) - 500;
  const std::int64_t year = 2014 + static_cast<std::int64_t>(pick(6));
  std::int64_t year_start = 0, next_year = 0;
  index::ParseDate(std::to_string(year), &year_start);
  index::ParseDate(std::to_string(year + 1), &next_year);
  const Number half = Number::Double(static_cast<double>(p) + 0.5);
  switch (pick(12)) {
    case 0:
      return {"category = " + Quote(cat), [cat](const Values& v) { return v.category == cat; }};
    case 1:
      return {"category != " + Quote(cat), [cat](const Values& v) { return v.category != cat; }};
    case 2:
      return {"tags = " + Quote(tag),
              [tag](const Values& v) { return std::count(v.tags.begin(), v.tags.end(), tag) > 0; }};
    case 3:
      return {"tags IN [" + Quote(tag) + ", " + Quote(kTags[0]) + "]", [tag](const Values& v) {
                return std::count(v.tags.begin(), v.tags.end(), tag) +
                           std::count(v.tags.begin(), v.tags.end(), std::string(kTags[0])) >
                       0;
              }};
    case 4:
      return {"price >= " + std::to_string(p), [p](const Values& v) {
                return v.has_price && index::CompareNumbers(v.price, Number::Int(p)) >= 0;
              }};
    case 5:
      return {"price < " + index::FormatNumber(half), [half](const Values& v) {
                return v.has_price && index::CompareNumbers(v.price, half) < 0;
              }};
    case 6:
      return {"price " + std::to_string(p) + " TO " + std::to_string(p + 300),
              [p](const Values& v) {
                return v.has_price && index::CompareNumbers(v.price, Number::Int(p)) >= 0 &&
                       index::CompareNumbers(v.price, Number::Int(p + 300)) <= 0;
              }};
    case 7:
      return {"published = " + std::to_string(year), [=](const Values& v) {
                return v.has_date && v.date >= year_start && v.date < next_year;
              }};
    case 8:
      return {"published > " + std::to_string(year),
              [=](const Values& v) { return v.has_date && v.date >= next_year; }};
    case 9: return {"published EXISTS", [](const Values& v) { return v.has_date; }};
    case 10:
      return {"category ~ \"the thao\"",
              [](const Values& v) { return v.category == "Thể thao" || v.category == "thể thao"; }};
    default:
      return {"tags NOT IN [" + Quote(tag) + "]", [tag](const Values& v) {
                return std::count(v.tags.begin(), v.tags.end(), tag) == 0;
              }};
  }
}

Cond RandomFilter(testing::Rng& rng, int depth) {
  if (depth == 0 || testing::Uniform(rng, 0, 2) == 0) return RandomLeaf(rng);
  Cond a = RandomFilter(rng, depth - 1), b = RandomFilter(rng, depth - 1);
  switch (testing::Uniform(rng, 0, 2)) {
    case 0:
      return {"(" + a.text + ") AND (" + b.text + ")",
              [a, b](const Values& v) { return a.holds(v) && b.holds(v); }};
    case 1:
      return {"(" + a.text + " OR " + b.text + ")",
              [a, b](const Values& v) { return a.holds(v) || b.holds(v); }};
    default: return {"NOT (" + a.text + ")", [a](const Values& v) { return !a.holds(v); }};
  }
}

class TypedIndex : public ::testing::Test {
 protected:
  void Build(std::uint32_t seed, int docs) {
    testing::Rng rng(seed);
    const auto pick = [&](std::uint64_t n) { return testing::Uniform(rng, 0, n - 1); };
    IndexOptions o;
    o.schema = NewsSchema();
    o.threads = 2;
    o.merge_factor = 3;
    o.merge_floor_docs = 40;
    std::unique_ptr<IndexWriter> w;
    ASSERT_TRUE(IndexWriter::Open(dir_.Sub("idx"), o, &w).ok());
    const char* words[] = {"bóng đá", "giá vàng", "hà nội", "quốc hội", "thời tiết", "học sinh"};
    for (int i = 0; i < docs; ++i) {
      char id[32];
      std::snprintf(id, sizeof(id), "doc-%05d", static_cast<int>(pick(docs * 2)));  // replaces some
      Values v;
      Document d;
      d.id = id;
      d.fields.emplace_back("title", std::string(words[pick(6)]) + " " + words[pick(6)]);
      if (pick(5) > 0) {
        v.category = kCategories[pick(std::size(kCategories))];
        d.fields.emplace_back("category", v.category);
      }
      for (std::uint64_t t = pick(4); t > 0; --t) {
        v.tags.push_back(kTags[pick(std::size(kTags))]);
        d.fields.emplace_back("tags", v.tags.back());
      }
      d.fields.emplace_back("body", std::string(words[pick(6)]) + " tin tức " + words[pick(6)]);
      if (pick(4) > 0) {
        v.has_price = true;
        const bool dbl = pick(3) == 0;
        const std::int64_t p = static_cast<std::int64_t>(pick(2000)) - 500;
        v.price = dbl ? Number::Double(static_cast<double>(p) + 0.25) : Number::Int(p);
        d.fields.emplace_back("price", index::FormatNumber(v.price));
      }
      if (pick(5) > 0) {
        v.has_date = true;
        v.date = 1388534400000 + static_cast<std::int64_t>(pick(6 * 365)) * 86400000 +
                 static_cast<std::int64_t>(pick(86400)) * 1000;
        d.fields.emplace_back(
            "published", pick(2) == 0 ? index::FormatDate(v.date) : std::to_string(v.date / 1000));
      }
      ASSERT_TRUE(w->AddDocument(d).ok()) << d.id;
      values_[d.id] = v;
      if (pick(10) == 0) {
        ASSERT_TRUE(w->Commit().ok());
      }
      if (pick(25) == 0) {
        const std::string gone = values_.begin()->first;
        ASSERT_TRUE(w->DeleteDocument(gone).ok());
        values_.erase(gone);
      }
    }
    ASSERT_TRUE(w->Commit().ok());
    ASSERT_TRUE(IndexReader::Open(dir_.Sub("idx"), {}, &reader_).ok());
    ASSERT_TRUE(Searcher::Open(reader_.get(), {}, &searcher_).ok());
  }

  // Every match of `query` with its score (the oracle of which documents
  // match and how they score, without filters).
  std::map<std::string, float> Matches(const std::string& query) {
    std::map<std::string, float> out;
    EXPECT_TRUE(searcher_
                    ->ForEachMatch(searcher_->Parse(query), DefaultOperator::kOr,
                                   [&](std::string_view id, float score) {
                                     out[std::string(id)] = score;
                                     return true;
                                   })
                    .ok());
    return out;
  }

  TempDir dir_;
  std::map<std::string, Values> values_;
  std::unique_ptr<IndexReader> reader_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(TypedIndex, FiltersEqualTheOracle) {
  Build(11, 700);
  ASSERT_GT(reader_->num_docs(), 300u);
  testing::Rng rng(5);
  for (int round = 0; round < 150; ++round) {
    const Cond f = RandomFilter(rng, 2);
    const std::string query = round % 3 == 0 ? "" : (round % 3 == 1 ? "bóng đá" : "ha noi");
    std::set<std::string> want;
    if (query.empty()) {
      for (const auto& [id, v] : values_) {
        if (f.holds(v)) want.insert(id);
      }
    } else {
      for (const auto& [id, score] : Matches(query)) {
        if (f.holds(values_.at(id))) want.insert(id);
      }
    }
    SearchOptions o;
    o.k = 10000;
    o.snippets = false;
    o.suggest = false;
    o.filters = {f.text};
    SearchResults r;
    const Status s = searcher_->Search(query, o, &r);
    ASSERT_TRUE(s.ok()) << f.text << ": " << s.ToString();
    std::set<std::string> got;
    for (const Hit& h : r.hits) got.insert(h.id);
    ASSERT_EQ(got, want) << "filter " << f.text << ", query '" << query << "'";
    EXPECT_EQ(r.total_hits, want.size());
    // The same filter in the query, typed in braces or built, searches alike.
    SearchOptions plain = o;
    plain.filters.clear();
    SearchResults typed, built;
    ASSERT_TRUE(searcher_->Search(query + " {" + f.text + "}", plain, &typed).ok()) << f.text;
    ASSERT_TRUE(
        searcher_->Search(Query::Text(query).Must(Query::Filter(f.text)), plain, &built).ok());
    for (const SearchResults* other : {&typed, &built}) {
      ASSERT_EQ(other->hits.size(), r.hits.size()) << f.text;
      for (std::size_t i = 0; i < r.hits.size(); ++i) {
        EXPECT_EQ(other->hits[i].id, r.hits[i].id) << f.text;
        EXPECT_EQ(other->hits[i].score, r.hits[i].score) << f.text;
      }
    }
    // Excluded: -{...} keeps what the filter does not pass.
    if (!query.empty()) {
      std::set<std::string> rest;
      for (const auto& [id, score] : Matches(query)) {
        if (!f.holds(values_.at(id))) rest.insert(id);
      }
      SearchResults excluded;
      ASSERT_TRUE(searcher_->Search(query + " -{" + f.text + "}", plain, &excluded).ok());
      std::set<std::string> got_rest;
      for (const Hit& h : excluded.hits) got_rest.insert(h.id);
      EXPECT_EQ(got_rest, rest) << "-{" << f.text << "}";
    }
  }
}

TEST_F(TypedIndex, FiltersInQueriesStandBesideTheWords) {
  Build(12, 200);
  SearchOptions o;
  o.snippets = false;
  SearchResults r;
  // Beside the words, after AND, +, - or NOT: fine.
  for (const char* q : {"bóng đá {price > 0}", "{price > 0} bóng đá", "bóng đá AND {price > 0}",
                        "bóng đá +{price > 0}", "bóng đá AND NOT {price > 0}",
                        "bóng đá {price > 0} {category = \"Kinh tế\"}", "{price > 0}"}) {
    const Status s = searcher_->Search(q, o, &r);
    EXPECT_TRUE(s.ok()) << q << ": " << s.ToString();
  }
  // Inside parentheses or as an OR alternative: the filter would not
  // narrow the whole query.
  for (const char* q : {"bóng đá OR {price > 0}", "(bóng đá {price > 0}) hà nội",
                        "hà nội OR (bóng đá AND {price > 0})"}) {
    const Status s = searcher_->Search(q, o, &r);
    EXPECT_TRUE(s.IsInvalidArgument()) << q;
    EXPECT_NE(s.message().find("{price > 0}"), std::string::npos) << s.message();
  }
  EXPECT_TRUE(searcher_->Search(Query::Or({Query::Word("bóng"), Query::Filter("price > 0")}), o, &r)
                  .IsInvalidArgument());
  // A bad filter in braces names what is wrong, as SearchOptions::filters do.
  Status s = searcher_->Search("bóng đá {giá > 5}", o, &r);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("unknown field \"giá\""), std::string::npos) << s.message();
  // Parse and ToString keep a filter, quotes, braces and all.
  const Query q = searcher_->Parse("bóng đá -{category IN [\"Thể thao\", 'a}b']} +{price > 5}");
  EXPECT_EQ(q.ToString(), "bóng đá -{category IN [\"Thể thao\", 'a}b']} +{price > 5}");
  EXPECT_EQ(searcher_->Parse(q.ToString()).ToString(), q.ToString());
  ASSERT_EQ(q.clauses.size(), 4u);
  EXPECT_EQ(q.clauses[2].second.kind, Query::Kind::kFilter);
  EXPECT_EQ(q.clauses[2].first, Occur::kMustNot);
  EXPECT_EQ(q.clauses[2].second.text, "category IN [\"Thể thao\", 'a}b']");
  EXPECT_EQ(Query::Filter("price > 5").ToString(), "{price > 5}");
  // Raw text quoted as plain words reads no filter; a brace inside a word
  // is a character of it.
  EXPECT_EQ(QuoteText("bóng đá {price > 5}"), "bóng đá price > 5");
  EXPECT_EQ(searcher_->Parse("a{b}").clauses.size(), 0u);
  EXPECT_EQ(searcher_->Parse("a{b}").kind, Query::Kind::kWord);
  // Malformed input around a filter is still noted.
  ASSERT_TRUE(searcher_->Search("bóng \"đá {price > 0}", o, &r).ok());
  EXPECT_EQ(r.notes.size(), 1u);
  ASSERT_TRUE(searcher_->Search("bóng đá {price > 0", o, &r).ok());
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("unbalanced '{'"), std::string::npos) << r.notes[0];
  // A suggestion keeps the filters.
  o.suggest = true;
  ASSERT_TRUE(searcher_->Search("bong da {price > 0}", o, &r).ok());
  EXPECT_EQ(r.suggestion, "bóng đá {price > 0}");
  // Filters alone list; ForEachMatch honours them.
  std::set<std::string> want, listed, visited;
  for (const auto& [id, v] : values_) {
    if (v.has_price && index::CompareNumbers(v.price, Number::Int(1000)) > 0) want.insert(id);
  }
  o.k = 1000;
  ASSERT_TRUE(searcher_->Search("{price > 1000}", o, &r).ok());
  for (const Hit& h : r.hits) listed.insert(h.id);
  EXPECT_EQ(listed, want);
  ASSERT_TRUE(searcher_
                  ->ForEachMatch(Query::Filter("price > 1000"), DefaultOperator::kOr,
                                 [&](std::string_view id, float) {
                                   visited.insert(std::string(id));
                                   return true;
                                 })
                  .ok());
  EXPECT_EQ(visited, want);
  std::set<std::string> scored;
  for (const auto& [id, score] : Matches("bóng đá {price > 1000}")) scored.insert(id);
  std::set<std::string> want_scored;
  for (const auto& [id, score] : Matches("bóng đá")) {
    if (want.count(id) != 0) want_scored.insert(id);
  }
  EXPECT_EQ(scored, want_scored);
}

// A filter's set is cached per segment; a later search of a newer
// snapshot, where documents it passed were deleted, must not return them.
TEST_F(TypedIndex, CachedFiltersHonourLaterDeletions) {
  Build(13, 300);
  SearchOptions o;
  o.k = 1000;
  o.snippets = false;
  o.filters = {"price >= 0"};
  SearchResults before;
  ASSERT_TRUE(searcher_->Search("", o, &before).ok());
  ASSERT_GT(before.hits.size(), 10u);
  ASSERT_TRUE(searcher_->Search("", o, &before).ok());  // now from the cache
  const std::string gone = before.hits[3].id;
  {
    IndexOptions wo;
    std::unique_ptr<IndexWriter> w;
    ASSERT_TRUE(IndexWriter::Open(dir_.Sub("idx"), wo, &w).ok());
    ASSERT_TRUE(w->DeleteDocument(gone).ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  std::unique_ptr<IndexReader> newer;
  ASSERT_TRUE(reader_->Reopen(&newer).ok());
  std::unique_ptr<Searcher> s;
  ASSERT_TRUE(Searcher::Open(newer ? newer.get() : reader_.get(), {}, &s).ok());
  SearchResults after;
  ASSERT_TRUE(s->Search("", o, &after).ok());
  EXPECT_EQ(after.hits.size(), before.hits.size() - 1);
  for (const Hit& h : after.hits) EXPECT_NE(h.id, gone);
  // The old searcher still sees its own snapshot.
  ASSERT_TRUE(searcher_->Search("", o, &before).ok());
  EXPECT_EQ(after.hits.size() + 1, before.hits.size());
}

TEST_F(TypedIndex, SortedAndFacetedEqualTheOracle) {
  Build(23, 600);
  testing::Rng rng(9);
  for (int round = 0; round < 60; ++round) {
    const std::string query = round % 2 == 0 ? "bóng đá" : "";
    const Cond f = RandomFilter(rng, 1);
    std::map<std::string, float> scores;
    if (query.empty()) {
      for (const auto& [id, v] : values_) scores[id] = 0;
    } else {
      scores = Matches(query);
    }
    std::vector<std::string> ids;
    for (const auto& [id, score] : scores) {
      if (f.holds(values_.at(id))) ids.push_back(id);
    }
    // The oracle's order: -published (missing last), then price, then score, then id.
    const auto before = [&](const std::string& a, const std::string& b) {
      const Values& x = values_.at(a);
      const Values& y = values_.at(b);
      if (x.has_date != y.has_date) return x.has_date;
      if (x.has_date && x.date != y.date) return x.date > y.date;
      if (x.has_price != y.has_price) return x.has_price;
      if (x.has_price) {
        const int c = index::CompareNumbers(x.price, y.price);
        if (c != 0) return c < 0;
      }
      if (scores[a] != scores[b]) return scores[a] > scores[b];
      return a < b;
    };
    std::sort(ids.begin(), ids.end(), before);
    const std::size_t k = 1 + round % 25;
    std::map<std::string, std::uint64_t> categories;
    std::uint64_t cheap = 0, dear = 0;
    for (const std::string& id : ids) {
      const Values& v = values_.at(id);
      if (!v.category.empty()) ++categories[v.category];
      if (v.has_price && index::CompareNumbers(v.price, Number::Int(0)) < 0) ++cheap;
      if (v.has_price && index::CompareNumbers(v.price, Number::Int(0)) >= 0 &&
          index::CompareNumbers(v.price, Number::Int(1000)) < 0) {
        ++dear;
      }
    }
    SearchOptions o;
    o.k = k;
    o.offset = round % 3;
    o.snippets = false;
    o.suggest = false;
    o.filters = {f.text};
    ASSERT_TRUE(ParseSortSpec("-published, price", &o.sort).ok());
    FacetRequest cat;
    ASSERT_TRUE(ParseFacetSpec("category:3", &cat).ok());
    FacetRequest price;
    ASSERT_TRUE(ParseFacetSpec("price:* TO 0,0 TO 1000", &price).ok());
    o.facets = {cat, price};
    SearchResults r;
    const Status s = searcher_->Search(query, o, &r);
    ASSERT_TRUE(s.ok()) << s.ToString();
    std::vector<std::string> got, want;
    for (const Hit& h : r.hits) got.push_back(h.id);
    for (std::size_t i = o.offset; i < std::min(ids.size(), o.offset + k); ++i)
      want.push_back(ids[i]);
    ASSERT_EQ(got, want) << "filter " << f.text << ", query '" << query << "'";
    for (const Hit& h : r.hits) {
      const Values& v = values_.at(h.id);
      ASSERT_EQ(h.sort_values.size(), 2u);
      EXPECT_EQ(h.sort_values[0], v.has_date ? index::FormatDate(v.date) : "");
    }
    ASSERT_EQ(r.facets.size(), 2u);
    std::vector<std::pair<std::string, std::uint64_t>> top(categories.begin(), categories.end());
    std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (top.size() > 3) top.resize(3);
    std::vector<std::pair<std::string, std::uint64_t>> got_top;
    for (const FacetCount& c : r.facets[0].counts) got_top.emplace_back(c.value, c.count);
    EXPECT_EQ(got_top, top) << f.text;
    ASSERT_EQ(r.facets[1].counts.size(), 2u);
    EXPECT_EQ(r.facets[1].counts[0].value, "* TO 0");
    EXPECT_EQ(r.facets[1].counts[0].count, cheap) << f.text;
    EXPECT_EQ(r.facets[1].counts[1].count, dear) << f.text;
    EXPECT_EQ(r.total_hits, ids.size());
  }
  // The columns survive a merge down to one segment, and verify.
  {
    IndexOptions o;
    std::unique_ptr<IndexWriter> w;
    ASSERT_TRUE(IndexWriter::Open(dir_.Sub("idx"), o, &w).ok());
    ASSERT_TRUE(w->ForceMerge(1).ok());
  }
  std::unique_ptr<IndexReader> merged;
  ASSERT_TRUE(IndexReader::Open(dir_.Sub("idx"), {}, &merged).ok());
  ASSERT_TRUE(merged->Verify().ok());
  std::unique_ptr<Searcher> searcher;
  ASSERT_TRUE(Searcher::Open(merged.get(), {}, &searcher).ok());
  SearchOptions o;
  o.k = 10000;
  o.filters = {"price >= 0 AND category = \"Kinh tế\""};
  SearchResults r;
  ASSERT_TRUE(searcher->Search("", o, &r).ok());
  std::set<std::string> got, want;
  for (const Hit& h : r.hits) got.insert(h.id);
  for (const auto& [id, v] : values_) {
    if (v.category == "Kinh tế" && v.has_price &&
        index::CompareNumbers(v.price, Number::Int(0)) >= 0) {
      want.insert(id);
    }
  }
  EXPECT_EQ(got, want);
}

// The same documents split over three shards, searched in the three rounds
// (statistics, query, fetch) with answers sent as bytes, give the single
// index's hits, order, sort values, totals and facet counts.
TEST_F(TypedIndex, ShardsSortAndCountAsOneIndex) {
  Build(31, 400);
  TempDir shard_dir;
  // Shards 0..2 and, as 3, one index of all their documents (no deletions,
  // so that its statistics are the shards' merged).
  std::vector<std::unique_ptr<IndexReader>> readers(4);
  std::vector<std::unique_ptr<Searcher>> searchers(4);
  {
    std::vector<std::unique_ptr<IndexWriter>> writers(4);
    IndexOptions o;
    o.schema = NewsSchema();
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(IndexWriter::Open(shard_dir.Sub(std::to_string(i)), o, &writers[i]).ok());
    }
    int n = 0;
    for (const auto& [id, v] : values_) {
      Document d;
      ASSERT_TRUE(reader_->GetDocument(id, &d).ok());
      ASSERT_TRUE(writers[n++ % 3]->AddDocument(d).ok());
      ASSERT_TRUE(writers[3]->AddDocument(d).ok());
    }
    for (auto& w : writers) ASSERT_TRUE(w->Commit().ok());
  }
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(IndexReader::Open(shard_dir.Sub(std::to_string(i)), {}, &readers[i]).ok());
    ASSERT_TRUE(Searcher::Open(readers[i].get(), {}, &searchers[i]).ok());
  }
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bóng đá", "-published"}, {"hà nội", "price,-_score"}, {"", "-price"},
      {"quốc hội", "category"},  {"", "tags,-published"},     {"học sinh", ""}};
  for (const auto& [query, sort] : cases) {
    for (const bool snippets : {false, true}) {
      SearchOptions o;
      o.k = 7;
      o.offset = 2;
      o.snippets = snippets;
      o.filters = {"price > -400 OR category EXISTS"};
      if (!sort.empty()) {
        ASSERT_TRUE(ParseSortSpec(sort, &o.sort).ok());
      }
      FacetRequest cat{"category", 4, {}};
      FacetRequest tags{"tags", 100, {}};
      FacetRequest when{"published", 10, {"* TO 2016", "2016 TO 2018", "2018 TO *"}};
      o.facets = {cat, tags, when};
      SearchResults single;
      ASSERT_TRUE(searchers[3]->Search(query, o, &single).ok());
      CollectionStats all;
      for (int i = 0; i < 3; ++i) {
        const std::unique_ptr<Searcher>& sh = searchers[i];
        CollectionStats one;
        ASSERT_TRUE(sh->GatherStats(query, o, &one).ok()) << query;
        all.Merge(one);
      }
      std::vector<ShardAnswer> answers(3);
      for (int i = 0; i < 3; ++i) {
        ShardAnswer a;
        const Status s = searchers[i]->SearchShard(query, o, all, &a);
        ASSERT_TRUE(s.ok()) << s.ToString();
        ASSERT_TRUE(ShardAnswer::Parse(a.Serialize(), &answers[i]).ok());
      }
      SearchResults merged;
      std::vector<std::size_t> from;
      ASSERT_TRUE(MergeShards(answers, o, &merged, &from).ok());
      if (!snippets) {
        for (std::size_t i = 0; i < merged.hits.size(); ++i) {
          std::vector<Hit> one = {merged.hits[i]};
          ASSERT_TRUE(searchers[from[i]]->Fetch(query, o, all, merged.relaxed, &one).ok());
          merged.hits[i] = one[0];
        }
      }
      const std::string what = "'" + query + "' sorted by " + sort;
      ASSERT_EQ(merged.hits.size(), single.hits.size()) << what;
      for (std::size_t i = 0; i < single.hits.size(); ++i) {
        EXPECT_EQ(merged.hits[i].id, single.hits[i].id) << what << " hit " << i;
        EXPECT_EQ(merged.hits[i].score, single.hits[i].score) << what;
        EXPECT_EQ(merged.hits[i].sort_values, single.hits[i].sort_values) << what;
        EXPECT_EQ(merged.hits[i].title, single.hits[i].title) << what;
      }
      EXPECT_EQ(merged.total_hits, single.total_hits) << what;
      ASSERT_EQ(merged.facets.size(), single.facets.size());
      for (std::size_t f = 0; f < single.facets.size(); ++f) {
        ASSERT_EQ(merged.facets[f].counts.size(), single.facets[f].counts.size()) << what;
        for (std::size_t c = 0; c < single.facets[f].counts.size(); ++c) {
          EXPECT_EQ(merged.facets[f].counts[c].value, single.facets[f].counts[c].value) << what;
          EXPECT_EQ(merged.facets[f].counts[c].count, single.facets[f].counts[c].count) << what;
        }
      }
    }
  }
}

TEST_F(TypedIndex, BadFiltersSortsAndFacetsNameWhatIsWrong) {
  Build(3, 50);
  const auto fails = [&](SearchOptions o, const std::string& expect) {
    SearchResults r;
    const Status s = searcher_->Search("bóng đá", o, &r);
    EXPECT_TRUE(s.IsInvalidArgument()) << expect;
    EXPECT_NE(s.message().find(expect), std::string::npos) << s.message();
  };
  SearchOptions o;
  o.filters = {"giá > 5"};
  fails(o, "unknown field \"giá\"");
  o.filters = {"title = \"Hà Nội\""};
  fails(o, "is text");
  o.filters = {"price > mười"};
  fails(o, "is not a number");
  o.filters = {"published >= 6/2/2017"};
  fails(o, "is not a date");
  o.filters = {"price ~ 5"};
  fails(o, "~ compares folded keywords");
  o.filters = {"category = \"Thể thao"};
  fails(o, "never closed");
  o.filters = {"(category = a"};
  fails(o, "expected ')'");
  o.filters = {"category IN [a, b"};
  fails(o, "expected ',' or ']'");
  o.filters = {""};
  fails(o, "empty");
  o.filters = {std::string(200, '(') + "price > 1" + std::string(200, ')')};
  fails(o, "deeper than 64");
  o.filters.clear();
  ASSERT_TRUE(ParseSortSpec("-body", &o.sort).ok());
  fails(o, "is text");
  o.sort.clear();
  o.facets = {FacetRequest{"price", 10, {}}};
  fails(o, "counts ranges");
  o.facets = {FacetRequest{"category", 10, {"a TO b"}}};
  fails(o, "not ranges");
  o.facets = {FacetRequest{"price", 10, {"1 - 5"}}};
  fails(o, "is not \"A TO B\"");
  std::vector<SortField> sort;
  EXPECT_TRUE(ParseSortSpec("price,,-published", &sort).IsInvalidArgument());
}

TEST_F(TypedIndex, DamagedColumnsAreFoundByVerify) {
  Build(4, 120);
  {
    IndexOptions o;
    std::unique_ptr<IndexWriter> w;
    ASSERT_TRUE(IndexWriter::Open(dir_.Sub("idx"), o, &w).ok());
    ASSERT_TRUE(w->ForceMerge(1).ok());
  }
  std::unique_ptr<IndexReader> r;
  ASSERT_TRUE(IndexReader::Open(dir_.Sub("idx"), {}, &r).ok());
  std::string col;
  // The merged segment's: the largest (the merged-away ones stay until the next commit).
  std::uintmax_t largest = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.Sub("idx"))) {
    if (entry.path().extension() == ".col" && entry.file_size() > largest) {
      largest = entry.file_size();
      col = entry.path().string();
    }
  }
  ASSERT_FALSE(col.empty());
  std::string bytes = testing::ReadTextFile(col);
  ASSERT_GT(bytes.size(), 100u);
  bytes[bytes.size() / 2] ^= 0x40;
  std::ofstream(col, std::ios::binary | std::ios::trunc) << bytes;
  r.reset();
  // The file is checked whole when a segment opens, checksums on or off.
  ReaderOptions ro;
  ro.verify_checksums = false;
  const Status s = IndexReader::Open(dir_.Sub("idx"), ro, &r);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.message().find(".col"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace tim
