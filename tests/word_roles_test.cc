// Query word roles (src/query/word_roles.h): names, question words, plain
// words, as real Vietnamese queries type them.

#include "query/word_roles.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"
#include "tim/analyzer.h"

namespace tim::testing {
namespace {

using query::WordRole;

// The roles of a query's words, one letter each: N name, Q question word,
// . plain.
std::string Roles(const std::string& query) {
  Analyzer analyzer;
  Analysis a;
  EXPECT_TRUE(IsOk(analyzer.Analyze(query, &a)));
  std::vector<query::QueryWordForms> words;
  bool diacritics = false;
  for (const Token& t : a.tokens()) {
    if (t.kind != TokenKind::kWord) continue;
    diacritics |= a.exact(t) != a.folded(t);
    words.push_back(query::MakeQueryWordForms(
        a.exact(t), a.folded(t), std::string_view(query).substr(t.start, t.end - t.start)));
  }
  std::string out;
  for (WordRole r : query::AssignWordRoles(words, diacritics)) {
    out += r == WordRole::kName ? 'N' : r == WordRole::kQuestion ? 'Q' : '.';
  }
  return out;
}

TEST(WordRoles, NamesAreWordsCapitalisedInsideTheQuery) {
  EXPECT_EQ(Roles("Thành phố nào là thủ phủ của Tây Nguyên"), "..Q....NN");
  EXPECT_EQ(Roles("thủ phủ của Đắk Lắk"), "...NN");
  // A capital at the start is the sentence's, unless the next word has one.
  EXPECT_EQ(Roles("Chu Du sinh năm nào"), "NN..Q");
  EXPECT_EQ(Roles("Malaysia nằm ở khu vực nào"), ".....Q");
  // Case from NFD input and the look-alike Ð (U+00D0) too.
  EXPECT_EQ(Roles(Nfd("quê của Đặng Tiểu Bình")), "..NNN");
  EXPECT_EQ(Roles("quê của \xC3\x90\xE1\xBA\xB7ng Tiểu Bình"), "..NNN");
  // Typed without diacritics the case still counts.
  EXPECT_EQ(Roles("Thanh pho nao la thu phu cua Tay Nguyen"), "..Q....NN");
}

TEST(WordRoles, CaseSaysNothingWhenEveryWordHasACapital) {
  EXPECT_EQ(Roles("HÀ NỘI MÙA THU"), "....");
  EXPECT_EQ(Roles("Giá Vàng Hôm Nay"), "....");
  EXPECT_EQ(Roles("ha noi mua thu"), "....");
  // Digits have no case: they neither make nor break a name.
  EXPECT_EQ(Roles("Đại hội 12 của Đảng"), "....N");
  EXPECT_EQ(Roles("COVID 19"), "..");
}

TEST(WordRoles, QuestionWordsWithDiacritics) {
  EXPECT_EQ(Roles("tác giả của bình ngô đại cáo là ai"), "........Q");
  EXPECT_EQ(Roles("thuốc phiện có tác dụng gì"), ".....Q");
  EXPECT_EQ(Roles("việt nam có bao nhiêu tỉnh"), "...QQ.");
  EXPECT_EQ(Roles("hồ gươm ở đâu"), "..QQ");
  EXPECT_EQ(Roles("tại sao trời mưa"), "QQ..");
  EXPECT_EQ(Roles("nước nào đông dân nhất"), ".Q...");
  // Not question words: "sao" the star, "bao" the bag, "não" the brain,
  // "đầu" the head, "gí" anything but "gì".
  EXPECT_EQ(Roles("ngôi sao điện ảnh"), "....");
  EXPECT_EQ(Roles("bao bì nhựa"), "...");
  EXPECT_EQ(Roles("bệnh não úng thủy"), "....");
  EXPECT_EQ(Roles("đầu tiên"), "..");
  // A capitalised name is never a question word: Ai Cập is Egypt.
  EXPECT_EQ(Roles("thủ đô của Ai Cập"), "...NN");
  EXPECT_EQ(Roles("Ai là tác giả"), "Q...");
}

TEST(WordRoles, QuestionWordsWithoutDiacritics) {
  EXPECT_EQ(Roles("tac gia cua binh ngo dai cao la ai"), "........Q");
  EXPECT_EQ(Roles("viet nam co bao nhieu tinh"), "...QQ.");
  EXPECT_EQ(Roles("ho guom o dau"), "..QQ");
  EXPECT_EQ(Roles("nuoc nao dong dan nhat"), ".Q...");
  // "dau", "may", "bao", "sao" alone are as likely "đầu", "máy", "báo",
  // "sao" (star): plain.
  EXPECT_EQ(Roles("dau tien"), "..");
  EXPECT_EQ(Roles("may bay"), "..");
  EXPECT_EQ(Roles("bao chi"), "..");
  EXPECT_EQ(Roles("ngoi sao"), "..");
}

}  // namespace
}  // namespace tim::testing
