// Searching: Vietnamese-aware ranking, the query language's behaviour on an
// index, snippets, suggestions and explanations.

#include <gmock/gmock.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "index/snapshot.h"
#include "search_test_util.h"
#include "util/utf8.h"

namespace tim::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// The highlighted pieces of a hit's snippet.
std::vector<std::string> Marked(const Hit& h) {
  std::vector<std::string> out;
  for (const auto& [b, e] : h.highlights) out.push_back(h.snippet.substr(b, e - b));
  return out;
}

TEST(Search, QueryWithoutAccentsFindsEveryAccentedSpelling) {
  SearchIndex idx;
  idx.Add("hn", "", "Hà Nội đón khách du lịch mùa thu");
  idx.Add("dt", "", "Quy hoạch đô thị mới ở ngoại thành");
  idx.Add("tl1", "", "Công trình thủy lợi lớn nhất miền Trung");
  idx.Add("tl2", "", "Công trình thuỷ lợi được nghiệm thu");  // old tone placement
  idx.Add("other", "", "Bóng đá Việt Nam thắng trận");
  idx.Commit();
  EXPECT_THAT(idx.Ids("ha noi"), ElementsAre("hn"));
  EXPECT_THAT(idx.Ids("do thi"), ElementsAre("dt"));
  EXPECT_THAT(idx.Ids("thuy loi"), UnorderedElementsAre("tl1", "tl2"));
  // Both spellings of the query find both spellings of the text.
  EXPECT_THAT(idx.Ids("thuỷ lợi"), UnorderedElementsAre("tl1", "tl2"));
  EXPECT_THAT(idx.Ids("thủy lợi"), UnorderedElementsAre("tl1", "tl2"));
  // Upper case, the look-alike Ð (U+00D0) and NFD input.
  EXPECT_THAT(idx.Ids("ĐÔ THỊ"), ElementsAre("dt"));
  EXPECT_THAT(idx.Ids("\xC3\x90\xC3\xB4 thị"), ElementsAre("dt"));
  EXPECT_THAT(idx.Ids(Nfd("đô thị")), ElementsAre("dt"));
}

TEST(Search, ExactDiacriticsRankAboveFoldedMatches) {
  SearchIndex idx;
  idx.Add("ma", "", "con ma trong truyện dân gian kể lại");
  idx.Add("má", "", "con má trong truyện dân gian kể lại");
  idx.Add("mà", "", "con mà trong truyện dân gian kể lại");
  idx.Add("mã", "", "con mã trong truyện dân gian kể lại");
  idx.Commit();
  for (const char* q : {"má", "mà", "mã"}) {
    const SearchResults r = idx.Search(std::string(q) + " truyện");
    ASSERT_EQ(r.hits.size(), 4u) << q;
    EXPECT_EQ(r.hits[0].id, q);
    EXPECT_GT(r.hits[0].score, r.hits[1].score) << q;
  }
  // No diacritics at all: the folded tier alone, so all four tie, in the
  // order of their ids' bytes (not the order they were added in).
  const SearchResults r = idx.Search("ma");
  ASSERT_EQ(r.hits.size(), 4u);
  EXPECT_EQ(r.hits[0].score, r.hits[3].score);
  EXPECT_THAT(idx.Ids("ma"), ElementsAre("ma", "mà", "má", "mã"));
}

TEST(Search, EqualScoresGoByIdInEveryAlgorithmAndSegment) {
  // 30 documents of equal text, added in an order unlike their ids' and
  // spread over three segments, one better document among them, and some
  // that do not match. Every algorithm, every page: ties go by id.
  SearchIndex idx;
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) ids.push_back("tin-" + std::to_string(100 + (i * 17) % 30));
  for (int i = 0; i < 30; ++i) {
    idx.Add(ids[i], "", "bóng đá Việt Nam thắng lớn");
    if (i == 12) idx.Add("a-best", "bóng đá", "bóng đá Việt Nam thắng lớn");
    if (i % 4 == 0) idx.Add("khac-" + std::to_string(i), "", "giá vàng hôm nay");
    if (i % 10 == 9) idx.Commit();
  }
  std::sort(ids.begin(), ids.end());
  for (const char* q : {"bóng đá", "bong da", "\"bóng đá\"", "+bóng +đá", "bóng đá -vàng"}) {
    for (Algorithm a : {Algorithm::kAuto, Algorithm::kExhaustive, Algorithm::kMaxScore,
                        Algorithm::kConjunctive, Algorithm::kGeneric}) {
      for (std::size_t offset : {0, 4, 26}) {
        SearchOptions o;
        o.algorithm = a;
        o.k = 5;
        o.offset = offset;
        std::vector<std::string> want;
        if (offset == 0) want.push_back("a-best");
        for (std::size_t i = offset == 0 ? 0 : offset - 1; want.size() < 5 && i < ids.size(); ++i) {
          want.push_back(ids[i]);
        }
        EXPECT_EQ(idx.Ids(q, o), want)
            << q << " algorithm " << static_cast<int>(a) << " offset " << offset;
      }
    }
  }
}

TEST(Search, EqualScoresGoByIdWhenSegmentsNumberTheirIdsInOrder) {
  // Each of the first three segments adds its ids in increasing order (its
  // .did says so, and ties inside it compare doc numbers), but their ids
  // interleave across segments; the fourth adds them out of order, and a
  // fifth adds one id twice (the later copy wins). Ties still go by id.
  SearchIndex idx;
  std::vector<std::string> ids;
  for (int s = 0; s < 3; ++s) {
    for (int i = 0; i < 8; ++i) {
      ids.push_back("bài-" + std::to_string(10 + i * 4 + s));
      idx.Add(ids.back(), "", "Đà Nẵng mùa mưa bão");
    }
    idx.Commit();
  }
  for (const char* id : {"bài-49", "bài-03", "bài-47"}) {
    ids.push_back(id);
    idx.Add(id, "", "Đà Nẵng mùa mưa bão");
  }
  idx.Commit();
  idx.Add("bài-01", "", "Đà Nẵng mùa mưa bão");
  idx.Add("bài-01", "", "Đà Nẵng mùa mưa bão");
  idx.Add("bài-02", "", "Đà Nẵng mùa mưa bão");
  ids.push_back("bài-01");
  ids.push_back("bài-02");
  idx.Commit();
  std::vector<bool> ascending;
  for (const internal::SegmentView& seg : internal::SnapshotOf(idx.reader()).segments) {
    ascending.push_back(seg.reader->ids_ascending());
  }
  EXPECT_THAT(ascending, ElementsAre(true, true, true, false, false));
  std::sort(ids.begin(), ids.end());
  for (const char* q : {"đà nẵng", "da nang", "\"đà nẵng\""}) {
    for (Algorithm a : {Algorithm::kAuto, Algorithm::kExhaustive, Algorithm::kMaxScore,
                        Algorithm::kConjunctive, Algorithm::kGeneric}) {
      for (std::size_t offset : {0, 5, 24}) {
        SearchOptions o;
        o.algorithm = a;
        o.k = 7;
        o.offset = offset;
        const std::vector<std::string> want(ids.begin() + offset,
                                            ids.begin() + std::min(ids.size(), offset + 7));
        EXPECT_EQ(idx.Ids(q, o), want)
            << q << " algorithm " << static_cast<int>(a) << " offset " << offset;
      }
    }
  }
}

TEST(Search, AdjacentWordsRankAboveScatteredOnes) {
  SearchIndex idx;
  // Same words, same length: only their order differs.
  idx.Add("scattered", "", "đô hội minh bạch thị trường thông tin");
  idx.Add("together", "", "xây dựng đô thị thông minh cho phố");
  idx.Commit();
  EXPECT_THAT(idx.Ids("đô thị thông minh"), ElementsAre("together", "scattered"));
  EXPECT_THAT(idx.Ids("do thi thong minh"), ElementsAre("together", "scattered"));
}

TEST(Search, TitleOutweighsBody) {
  SearchIndex idx;
  idx.Add("body", "Tin tức trong ngày", "giá vàng hôm nay tăng mạnh theo thế giới");
  idx.Add("title", "Giá vàng tăng", "thị trường hôm nay biến động theo thế giới");
  idx.Commit();
  EXPECT_THAT(idx.Ids("giá vàng"), ElementsAre("title", "body"));
}

TEST(Search, DocumentsWithAllWordsComeFirst) {
  SearchIndex idx;
  idx.Add("one", "", "bão số 3 đổ bộ vào miền Trung chiều nay");
  idx.Add("both", "", "bão số 3 gây lũ lụt lớn ở Quảng Ngãi");
  idx.Add("other", "", "lũ lụt kéo dài ở đồng bằng sông Cửu Long");
  idx.Commit();
  const std::vector<std::string> ids = idx.Ids("bão lũ");
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], "both");
}

TEST(Search, Operators) {
  SearchIndex idx;
  idx.Add("a", "Hà Nội", "thời tiết Hà Nội hôm nay nắng nóng");
  idx.Add("b", "Huế", "thời tiết Huế mưa to, Hà Nội nắng");
  idx.Add("c", "Đà Nẵng", "biển Đà Nẵng đông khách, trời nắng");
  idx.Add("d", "Tin khác", "nội dung hà khắc của bản án");
  idx.Commit();
  EXPECT_THAT(idx.Ids("+nắng -huế"), UnorderedElementsAre("a", "c"));
  EXPECT_THAT(idx.Ids("nắng AND mưa"), ElementsAre("b"));
  EXPECT_THAT(idx.Ids("mưa OR biển"), UnorderedElementsAre("b", "c"));
  EXPECT_THAT(idx.Ids("nắng NOT (huế OR biển)"), UnorderedElementsAre("a"));
  EXPECT_THAT(idx.Ids("title:huế"), ElementsAre("b"));
  EXPECT_THAT(idx.Ids("title:nội"), ElementsAre("a"));
  // A phrase wants the words side by side: "d" has "nội" and "hà" apart.
  EXPECT_THAT(idx.Ids("\"hà nội\""), UnorderedElementsAre("a", "b"));
  EXPECT_THAT(idx.Ids("\"ha noi\" -title:\"ha noi\""), ElementsAre("b"));
  EXPECT_THAT(idx.Ids("hà nội"), UnorderedElementsAre("a", "b", "d"));
  // A required word no document has: nothing.
  EXPECT_TRUE(idx.Ids("+nắng +tuyết").empty());
}

TEST(Search, DefaultAndFallsBackToOr) {
  SearchIndex idx;
  idx.Add("a", "", "giá xăng tăng mạnh");
  idx.Add("b", "", "giá vàng tăng mạnh");
  idx.Add("c", "", "giá xăng giảm");
  idx.Commit();
  SearchOptions o;
  o.default_operator = DefaultOperator::kAnd;
  o.k = 1;
  SearchResults r = idx.Search("giá xăng tăng", o);
  EXPECT_FALSE(r.relaxed);
  EXPECT_EQ(r.total_hits, 1u);
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].id, "a");
  o.k = 3;
  r = idx.Search("giá xăng tăng", o);
  EXPECT_TRUE(r.relaxed);
  EXPECT_EQ(r.hits.size(), 3u);
  EXPECT_EQ(r.hits[0].id, "a");
}

TEST(Search, PrefixExpandsOnFoldedForms) {
  SearchIndex idx;
  idx.Add("a", "", "thông tin mới nhất");
  idx.Add("b", "", "hệ thống điện");
  idx.Add("c", "", "thông minh");
  idx.Add("d", "", "thời sự");
  idx.Commit();
  EXPECT_THAT(idx.Ids("thon*"), UnorderedElementsAre("a", "b", "c"));
  SearchOptions o;
  o.max_prefix_expansions = 1;  // "thong" is more frequent than "thon..."
  const SearchResults r = idx.Search("tho*", o);
  EXPECT_THAT(r.notes, ::testing::Contains(::testing::HasSubstr("expanded")));
  EXPECT_EQ(r.hits.size(), 3u);
}

TEST(Search, DeletedAndReplacedDocumentsAreSkipped) {
  SearchIndex idx;
  idx.Add("a", "", "lễ hội pháo hoa Đà Nẵng");
  idx.Add("b", "", "pháo hoa đêm giao thừa");
  idx.Commit();
  idx.Add("c", "", "bắn pháo hoa tầm cao");
  idx.Delete("a");
  idx.Add("b", "", "đêm giao thừa không có lễ hội");  // replaced: no longer matches
  idx.Commit();
  for (Algorithm alg : {Algorithm::kAuto, Algorithm::kExhaustive, Algorithm::kGeneric}) {
    SearchOptions o;
    o.algorithm = alg;
    const SearchResults r = idx.Search("pháo hoa", o);
    EXPECT_EQ(r.total_hits, 1u);
    EXPECT_THAT(idx.Ids("pháo hoa", o), ElementsAre("c"));
  }
}

TEST(Search, ScoresDoNotDependOnHowDocumentsFallIntoSegments) {
  const std::vector<std::pair<std::string, std::string>> docs = {{"1", "giá vàng hôm nay"},
                                                                 {"2", "giá xăng dầu giảm"},
                                                                 {"3", "vàng miếng SJC"},
                                                                 {"4", "thị trường vàng thế giới"},
                                                                 {"5", "giá cả leo thang"}};
  SearchIndex one, many;
  for (const auto& [id, body] : docs) {
    one.Add(id, "", body);
    many.Add(id, "", body);
    many.Commit();
  }
  one.Commit();
  const SearchResults a = one.Search("giá vàng"), b = many.Search("giá vàng");
  ASSERT_EQ(a.hits.size(), b.hits.size());
  for (std::size_t i = 0; i < a.hits.size(); ++i) {
    EXPECT_EQ(a.hits[i].id, b.hits[i].id);
    EXPECT_EQ(a.hits[i].score, b.hits[i].score);
  }
}

TEST(Search, PagingContinuesTheRanking) {
  SearchIndex idx;
  for (int i = 0; i < 30; ++i) {
    idx.Add("d" + std::to_string(i), "",
            "bóng đá " + std::string(static_cast<std::size_t>(i % 7), 'x') + " trận " +
                (i % 3 == 0 ? "bóng" : "cầu"));
  }
  idx.Commit();
  SearchOptions all;
  all.k = 30;
  const std::vector<std::string> full = idx.Ids("bóng trận", all);
  SearchOptions page;
  page.k = 10;
  page.offset = 10;
  const std::vector<std::string> second = idx.Ids("bóng trận", page);
  ASSERT_EQ(second.size(), 10u);
  EXPECT_TRUE(std::equal(second.begin(), second.end(), full.begin() + 10));
}

TEST(Search, SnippetHighlightsOriginalSpellings) {
  SearchIndex idx;
  std::string filler;
  for (int i = 0; i < 60; ++i) filler += "người dân vui vẻ ";
  idx.Add("a", "Tin nóng", filler + "Sáng nay tại HÀ NỘI, trời mưa. " + filler);
  idx.Add("nfd", "", Nfd("Thủ đô Hà Nội mùa thu"));
  idx.Commit();
  SearchResults r = idx.Search("ha noi");
  ASSERT_EQ(r.hits.size(), 2u);
  for (const Hit& h : r.hits) {
    EXPECT_EQ(utf8::FirstInvalid(h.snippet), h.snippet.size()) << h.id;
    if (h.id == "a") {
      EXPECT_EQ(h.title, "Tin nóng");
      EXPECT_THAT(Marked(h), ElementsAre("HÀ", "NỘI"));
      EXPECT_LT(h.snippet.size(), 300u);
      EXPECT_EQ(h.snippet.rfind("\xE2\x80\xA6", 0), 0u);  // starts with "…"
    } else {
      EXPECT_THAT(Marked(h), ElementsAre(Nfd("Hà"), Nfd("Nội")));
      EXPECT_EQ(MarkHighlights(h, "<", ">"), Nfd("Thủ đô <Hà> <Nội> mùa thu"));
    }
  }
}

TEST(Search, SnippetPrefersExactSpellingsForAccentedQueries) {
  SearchIndex idx;
  idx.Add("a", "", "má tôi nói: ma thì không có, mà cũng chẳng phải mã");
  idx.Commit();
  const SearchResults r = idx.Search("má");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_THAT(Marked(r.hits[0]), ElementsAre("má"));
  const SearchResults folded = idx.Search("ma");
  EXPECT_THAT(Marked(folded.hits[0]), ElementsAre("má", "ma", "mà", "mã"));
}

TEST(Search, SuggestsTheAccentedQuery) {
  SearchIndex idx;
  // "đó" and "thì" are more frequent than "đô" and "thị" alone, but not
  // next to "thị"/"thông": the pair statistics must win.
  for (int i = 0; i < 5; ++i) {
    idx.Add("x" + std::to_string(i), "", "đó là chuyện thì ai cũng biết, thì thôi");
  }
  idx.Add("a", "", "xây dựng đô thị thông minh ở Hà Nội");
  idx.Add("b", "Đô thị thông minh", "thành phố Hà Nội và đô thị vệ tinh");
  idx.Add("c", "", "Hà Nội nói chung và thủ đô nói riêng");
  idx.Commit();
  EXPECT_EQ(idx.Search("ha noi").suggestion, "hà nội");
  EXPECT_EQ(idx.Search("Ha Noi").suggestion, "Hà Nội");
  EXPECT_EQ(idx.Search("do thi thong minh").suggestion, "đô thị thông minh");
  EXPECT_EQ(idx.Search("\"do thi\" -xyz").suggestion, "\"đô thị\" -xyz");
  // A query with diacritics, or one that nothing would change, gets none.
  EXPECT_EQ(idx.Search("hà nội").suggestion, "");
  EXPECT_EQ(idx.Search("xay").suggestion, "xây");
  std::string s;
  EXPECT_TRUE(IsOk(idx.searcher().Suggest("thanh pho", &s)));
  EXPECT_EQ(s, "thành phố");
}

TEST(Search, SuggestionFollowsSpellingsThatStandTogether) {
  // "đó" and "thì" are frequent, and they also occur in every document that
  // has "đô thị": only where the syllables stand side by side tells the
  // spelling of "do thi" (document co-occurrence would pick "đó thì").
  SearchIndex idx;
  for (int i = 0; i < 6; ++i) {
    idx.Add("x" + std::to_string(i), "", "đó là việc của họ thì họ làm, thì thôi đó");
  }
  for (int i = 0; i < 3; ++i) {
    idx.Add("d" + std::to_string(i), "",
            "đó là quy hoạch đô thị, thì đô thị thông minh cần đó và thì");
  }
  idx.Commit();
  EXPECT_EQ(idx.Search("do thi thong minh").suggestion, "đô thị thông minh");
  EXPECT_EQ(idx.Search("do thi").suggestion, "đô thị");
}

TEST(Search, ExplanationAddsUpToTheScore) {
  SearchIndex idx;
  idx.Add("a", "Đô thị thông minh", "xây dựng đô thị thông minh ở Trà Vinh");
  idx.Add("b", "", "đô thị");
  idx.Commit();
  SearchOptions o;
  o.explain = true;
  const SearchResults r = idx.Search("đô thị thông minh", o);
  ASSERT_FALSE(r.hits.empty());
  const Hit& h = r.hits[0];
  float sum = 0;
  bool tiers[3] = {false, false, false};
  bool title = false;
  for (const ScoreDetail& d : h.explanation) {
    sum += d.score;
    tiers[0] |= d.tier == "folded";
    tiers[1] |= d.tier == "exact";
    tiers[2] |= d.tier == "bigram";
    title |= d.field == "title";
    EXPECT_GT(d.tf, 0u);
    EXPECT_GT(d.score, 0.0f);
  }
  EXPECT_NEAR(sum, h.score, 1e-4);
  EXPECT_TRUE(tiers[0] && tiers[1] && tiers[2]);
  EXPECT_TRUE(title);
}

TEST(Search, TrickySpellingsMatch) {
  SearchIndex idx;
  idx.Add("gi", "", "giá cả và gia đình");
  idx.Add("qu", "", "quốc gia và quê hương");
  idx.Add("uo", "", "thuở nhỏ");
  idx.Add("uoo", "", "người Việt ở nước ngoài");
  idx.Add("dd", "", "ĐÀ NẴNG");
  idx.Commit();
  EXPECT_THAT(idx.Ids("gia"), UnorderedElementsAre("gi", "qu"));
  EXPECT_THAT(idx.Ids("giá"), ElementsAre("gi", "qu"));
  EXPECT_THAT(idx.Ids("quoc"), ElementsAre("qu"));
  EXPECT_THAT(idx.Ids("thuo"), ElementsAre("uo"));
  EXPECT_THAT(idx.Ids("nguoi nuoc ngoai"), ElementsAre("uoo"));
  EXPECT_THAT(idx.Ids("đà nẵng"), ElementsAre("dd"));
  EXPECT_THAT(idx.Ids("da nang"), ElementsAre("dd"));
}

TEST(Search, BadQueriesGetClearErrorsOrReadings) {
  SearchIndex idx;
  idx.Add("a", "", "một hai ba");
  idx.Commit();
  SearchResults r;
  Status s = idx.searcher().Search("", {}, &r);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  s = idx.searcher().Search("   -một  ", {}, &r);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  s = idx.searcher().Search("!!! ...", {}, &r);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  SearchOptions big;
  big.k = 9000;
  big.offset = 2000;
  s = idx.searcher().Search("một", big, &r);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  // Malformed but readable.
  r = idx.Search("\"một hai");
  EXPECT_THAT(idx.Ids("\"một hai"), ElementsAre("a"));
  EXPECT_FALSE(r.notes.empty());
  EXPECT_THAT(idx.Ids("(một OR (hai"), ElementsAre("a"));
  EXPECT_THAT(idx.Ids("một - +"), ElementsAre("a"));
  // A group of only exclusions is dropped, with a note.
  r = idx.Search("một OR (-hai)");
  EXPECT_EQ(r.hits.size(), 1u);
  EXPECT_THAT(r.notes, ::testing::Contains(::testing::HasSubstr("only exclusions")));
  // A 10,000-word paste is cut to its first words, quickly.
  std::string paste;
  for (int i = 0; i < 10000; ++i) paste += i % 2 ? "hai " : "ba ";
  const auto t0 = std::chrono::steady_clock::now();
  r = idx.Search(paste);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(20));
  EXPECT_EQ(r.hits.size(), 1u);
  EXPECT_FALSE(r.notes.empty());
  // Invalid UTF-8 in a query is read leniently, not rejected.
  EXPECT_THAT(idx.Ids("m\xFF\xFEt hai"), ElementsAre("a"));
}

TEST(Search, EmptyIndexFindsNothing) {
  SearchIndex idx;
  idx.Commit();
  const SearchResults r = idx.Search("hà nội");
  EXPECT_EQ(r.total_hits, 0u);
  EXPECT_TRUE(r.hits.empty());
}

}  // namespace
}  // namespace tim::testing

namespace tim::testing {
namespace {

TEST(Search, RankingOptionsOutOfRangeAreRefused) {
  SearchIndex idx;
  idx.Add("a", "Hà Nội", "thời tiết Hà Nội hôm nay");
  idx.Commit();
  auto open = [&](const RankingOptions& o) {
    std::unique_ptr<Searcher> s;
    return Searcher::Open(&idx.reader(), o, &s);
  };
  EXPECT_TRUE(IsOk(open(RankingOptions())));
  std::vector<std::pair<std::string, RankingOptions>> bad;
  auto with = [&](const std::string& what, auto set) {
    RankingOptions o;
    set(&o);
    bad.emplace_back(what, o);
  };
  with("k1 < 0", [](RankingOptions* o) { o->k1 = -1; });
  with("k1 NaN", [](RankingOptions* o) { o->k1 = NAN; });
  with("b > 1", [](RankingOptions* o) { o->b = 1.5f; });
  // The folded tier decides what a word matches: it must keep a share.
  with("exact_share 1", [](RankingOptions* o) { o->exact_share = 1; });
  with("word_weight 0", [](RankingOptions* o) { o->word_weight = 0; });
  with("question_word_weight 0", [](RankingOptions* o) { o->question_word_weight = 0; });
  with("name_weight 0", [](RankingOptions* o) { o->name_weight = 0; });
  with("bigram_weight < 0", [](RankingOptions* o) { o->bigram_weight = -0.1f; });
  with("title_match_power < 1", [](RankingOptions* o) { o->title_match_power = 0.5f; });
  with("title_match_weight inf", [](RankingOptions* o) { o->title_match_weight = INFINITY; });
  with("field weight < 0", [](RankingOptions* o) { o->field_weights = {{"title", -2}}; });
  for (const auto& [what, o] : bad) {
    const Status s = open(o);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << what;
  }
}

TEST(Search, TitleMatchAndFieldWeightsCanBeTurnedOff) {
  // Title match 0 and title weight 1: title and body count alike, so the
  // document whose body says it twice ranks first.
  RankingOptions o;
  o.title_match_weight = 0;
  o.field_weights = {{"title", 1.0f}, {"body", 1.0f}};
  SearchIndex idx(o);
  idx.Add("title", "Giá vàng", "thị trường hôm nay biến động mạnh theo thế giới");
  idx.Add("body", "Tin tức", "giá vàng tăng, giá vàng thế giới cũng tăng mạnh hôm nay");
  idx.Commit();
  EXPECT_THAT(idx.Ids("giá vàng"), ::testing::ElementsAre("body", "title"));
  // With the defaults the title that is the query wins.
  SearchIndex def;
  def.Add("title", "Giá vàng", "thị trường hôm nay biến động mạnh theo thế giới");
  def.Add("body", "Tin tức", "giá vàng tăng, giá vàng thế giới cũng tăng mạnh hôm nay");
  def.Commit();
  EXPECT_THAT(def.Ids("giá vàng"), ::testing::ElementsAre("title", "body"));
}

}  // namespace
}  // namespace tim::testing
