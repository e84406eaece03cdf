#include "query/word_roles.h"

#include <unicode/uchar.h>

#include "util/utf8.h"

namespace tim::query {
namespace {

// Question words on their own, by exact form. "sao" is not one ("ngôi sao",
// star) except in the pairs below.
constexpr std::string_view kExactWords[] = {"ai", "gì", "nào", "đâu", "mấy"};
// Without diacritics: folded forms that are almost always the question word.
constexpr std::string_view kFoldedWords[] = {"ai", "gi", "nao"};
// Pairs that ask, both words marked: exact forms, then the same folded.
constexpr std::string_view kExactPairs[][2] = {
    {"bao", "nhiêu"}, {"bao", "giờ"}, {"bao", "lâu"}, {"tại", "sao"},
    {"vì", "sao"},    {"làm", "sao"}, {"ở", "đâu"},
};
constexpr std::string_view kFoldedPairs[][2] = {
    {"bao", "nhieu"}, {"bao", "gio"}, {"bao", "lau"}, {"tai", "sao"},
    {"vi", "sao"},    {"lam", "sao"}, {"o", "dau"},
};

template <std::size_t N>
bool In(const std::string_view (&list)[N], std::string_view w) {
  for (std::string_view x : list) {
    if (x == w) return true;
  }
  return false;
}

}  // namespace

LetterCase CaseOf(std::string_view original) {
  LetterCase c;
  c.all_upper = true;
  const auto* p = reinterpret_cast<const unsigned char*>(original.data());
  const auto* end = p + original.size();
  while (p < end) {
    char32_t cp;
    bool valid;
    p += utf8::Decode(p, end, &cp, &valid);
    if (!u_isalpha(static_cast<UChar32>(cp))) continue;
    const bool upper = u_isupper(static_cast<UChar32>(cp)) != 0;
    if (!c.any_letter) c.first_upper = upper;
    c.all_upper &= upper;
    c.any_letter = true;
  }
  c.all_upper &= c.any_letter;
  return c;
}

QueryWordForms MakeQueryWordForms(std::string_view exact, std::string_view folded,
                                  std::string_view original) {
  QueryWordForms w;
  w.exact = std::string(exact);
  w.folded = std::string(folded);
  // The first letter decides (a word may start with a digit: "3G").
  const LetterCase c = CaseOf(original);
  w.has_letter = c.any_letter;
  w.capitalized = c.first_upper;
  return w;
}

std::vector<WordRole> AssignWordRoles(const std::vector<QueryWordForms>& words, bool diacritics) {
  const std::size_t n = words.size();
  std::vector<WordRole> roles(n, WordRole::kPlain);
  bool all_capitalized = true, any_letter = false;
  for (const QueryWordForms& w : words) {
    if (!w.has_letter) continue;
    any_letter = true;
    all_capitalized &= w.capitalized;
  }
  if (any_letter && !all_capitalized) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!words[i].capitalized) continue;
      if (i > 0 || (i + 1 < n && words[i + 1].capitalized)) roles[i] = WordRole::kName;
    }
  }
  auto form = [&](std::size_t i) -> const std::string& {
    return diacritics ? words[i].exact : words[i].folded;
  };
  auto ask = [&](std::size_t i) {
    if (roles[i] == WordRole::kPlain) roles[i] = WordRole::kQuestion;
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (diacritics ? In(kExactWords, form(i)) : In(kFoldedWords, form(i))) ask(i);
    if (i + 1 == n) continue;
    const auto& pairs = diacritics ? kExactPairs : kFoldedPairs;
    for (const auto& p : pairs) {
      if (form(i) == p[0] && form(i + 1) == p[1] && roles[i] != WordRole::kName &&
          roles[i + 1] != WordRole::kName) {
        ask(i);
        ask(i + 1);
      }
    }
  }
  return roles;
}

namespace {

std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    char32_t cp;
    bool valid;
    p += utf8::Decode(p, end, &cp, &valid);
    out.push_back(cp);
  }
  return out;
}

}  // namespace

std::string MatchCase(std::string_view original, const std::string& form) {
  const LetterCase c = CaseOf(original);
  if (!c.any_letter || !c.first_upper) return form;
  std::string out;
  bool first = true;
  for (char32_t cp : CodePoints(form)) {
    const bool up = first || c.all_upper;
    utf8::Append(up ? static_cast<char32_t>(u_toupper(static_cast<UChar32>(cp))) : cp, &out);
    first = false;
  }
  return out;
}

}  // namespace tim::query
