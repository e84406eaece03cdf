// What each word of a query is, for how much it weighs (RankingOptions):
//
//   - a name: capitalised inside the query ("Tây Nguyên", "thủ phủ của Đắk
//     Lắk", "Chu Du sinh năm nào"). Names carry what a question or a search
//     is about. The first word is a name only when the next one is
//     capitalised too (a sentence starts with a capital anyway), and a query
//     with every word capitalised ("HÀ NỘI", "Giá Vàng Hôm Nay") has none:
//     its case says nothing.
//   - a question word: an interrogative ("ai", "gì", "nào", "đâu", "mấy",
//     "bao nhiêu", "tại sao" ...). The answer to a question rarely repeats it
//     ("năm nào" is answered by "năm 1997"). With diacritics the exact forms
//     decide; without, only forms that are rarely anything else ("ai", "gi",
//     "nao"), and the others in an unambiguous pair ("bao nhieu", "o dau"):
//     "dau" alone is as likely "đầu" (head) as "đâu" (where). A capitalised
//     name is never a question word ("Ai Cập").
//   - a plain word: everything else.
#ifndef TIM_QUERY_WORD_ROLES_H_
#define TIM_QUERY_WORD_ROLES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tim::query {

enum class WordRole : std::uint8_t { kPlain, kName, kQuestion };

struct QueryWordForms {
  std::string exact, folded;  // as the analyzer gives them: "nào", "nao"
  bool capitalized = false;   // its first letter is upper case in the query
  bool has_letter = false;    // it has a letter (case applies to it)
};

// The case of a word's original spelling, from its letters (ICU's
// properties; digits and marks have none): "Nội" first_upper, "HÀ" all_upper.
struct LetterCase {
  bool any_letter = false;
  bool first_upper = false;  // its first letter is upper case
  bool all_upper = false;    // every letter is
};
LetterCase CaseOf(std::string_view original);

// `form` recased like `original`: all capitals, a capital first letter, or
// as it is ("Nội" from "noi" and "nội").
std::string MatchCase(std::string_view original, const std::string& form);

// The forms of a word with the case of its original spelling ("Nội").
QueryWordForms MakeQueryWordForms(std::string_view exact, std::string_view folded,
                                  std::string_view original);

// The role of each word of a query, in query order. `diacritics`: whether
// the query carries any diacritic.
std::vector<WordRole> AssignWordRoles(const std::vector<QueryWordForms>& words, bool diacritics);

}  // namespace tim::query

#endif  // TIM_QUERY_WORD_ROLES_H_
