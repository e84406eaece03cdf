#include "query/suggest.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "index/postings.h"
#include "query/word_roles.h"
#include "store/doc_store.h"
#include "util/utf8.h"

namespace tim::query {
namespace {

using index::kNoMoreDocs;
using index::PostingsCursor;
using index::TermKind;

constexpr std::size_t kCandidates = 4;
// Documents whose text is read to learn how a bigram is spelled.
constexpr std::size_t kSampleDocs = 16;

// The spellings each folded letter can stand for.
const char* const* Options(char c, bool initial) {
  static const char* const kA[] = {"a", "\xC4\x83", "\xC3\xA2", nullptr};  // a ă â
  static const char* const kE[] = {"e", "\xC3\xAA", nullptr};              // e ê
  static const char* const kO[] = {"o", "\xC3\xB4", "\xC6\xA1", nullptr};  // o ô ơ
  static const char* const kU[] = {"u", "\xC6\xB0", nullptr};              // u ư
  static const char* const kD[] = {"d", "\xC4\x91", nullptr};              // d đ
  switch (c) {
    case 'a': return kA;
    case 'e': return kE;
    case 'o': return kO;
    case 'u': return kU;
    case 'd': return initial ? kD : nullptr;
    default: return nullptr;
  }
}

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

struct Candidate {
  std::string exact;
  std::uint64_t df = 0;
};

std::uint64_t ExactDf(const internal::Snapshot& snap, const Scoring& scoring,
                      std::string_view exact, Status* status) {
  std::uint64_t df = 0;
  for (std::uint32_t f = 0; f < scoring.field_names.size(); ++f) {
    const std::string key = index::TermKey(f, TermKind::kExact, exact);
    for (const auto& seg : snap.segments) {
      index::TermInfo info;
      bool found = false;
      Status s = seg.reader->LookupTerm(key, &info, &found);
      if (!s.ok()) *status = s;
      if (found) df += info.doc_freq;
    }
  }
  return df;
}

// How the folded bigram `bigram` ("do thi") is spelled in the index's own
// text: the exact bigram tokens ("đô thị") of the first kSampleDocs
// documents holding it, re-analysed from their stored fields. Only the text
// knows which spellings stand side by side: exact terms have no positions.
Status ExactBigrams(const internal::Snapshot& snap, const Scoring& scoring,
                    const Analyzer& analyzer, const std::string& bigram,
                    std::map<std::pair<std::string, std::string>, std::uint64_t>* counts) {
  std::size_t sampled = 0;
  Analysis a;
  for (std::uint32_t f = 0; f < scoring.field_names.size() && sampled < kSampleDocs; ++f) {
    const std::string key = index::TermKey(f, TermKind::kBigram, bigram);
    for (const auto& seg : snap.segments) {
      index::TermInfo info;
      bool found = false;
      TIM_RETURN_IF_ERROR(seg.reader->LookupTerm(key, &info, &found));
      if (!found) continue;
      PostingsCursor c;
      TIM_RETURN_IF_ERROR(seg.reader->OpenCursor(key, info, &c));
      for (; c.doc() != kNoMoreDocs && sampled < kSampleDocs; c.Next()) {
        if (seg.IsDeleted(c.doc())) continue;
        ++sampled;
        store::StoredDoc doc;
        TIM_RETURN_IF_ERROR(seg.reader->store().Get(c.doc(), &doc));
        for (const auto& [field, text] : doc.fields) {
          if (field != f) continue;
          TIM_RETURN_IF_ERROR(analyzer.Analyze(text, &a));
          for (const Token& t : a.tokens()) {
            if (t.kind != TokenKind::kBigram || a.folded(t) != bigram) continue;
            const std::string_view exact = a.exact(t);
            const std::size_t space = exact.find(' ');
            if (space == std::string_view::npos) continue;
            ++(*counts)[{std::string(exact.substr(0, space)),
                         std::string(exact.substr(space + 1))}];
          }
        }
      }
      TIM_RETURN_IF_ERROR(c.status());
      if (sampled >= kSampleDocs) break;
    }
  }
  return Status::OK();
}

}  // namespace

std::vector<std::string> AccentedForms(std::string_view folded, const Analyzer& analyzer) {
  std::vector<std::string> out;
  std::size_t vowels = 0;
  bool plain = !folded.empty() && folded.size() <= 7;
  for (char c : folded) {
    plain &= c >= 'a' && c <= 'z';
    vowels += IsVowel(c);
  }
  if (!plain || vowels == 0 || vowels > 3) {
    out.emplace_back(folded);
    return out;
  }
  // Every choice of letter spellings, each without a tone and with each of
  // the five tone marks after the first vowel; the analyzer then puts the
  // mark where Vietnamese spelling wants it and composes the result.
  static const char* const kTones[] = {"",         "\xCC\x80", "\xCC\x81",
                                       "\xCC\x83", "\xCC\x89", "\xCC\xA3"};
  std::vector<std::string> bases = {""};
  std::size_t first_vowel_end = std::string::npos;
  for (std::size_t i = 0; i < folded.size(); ++i) {
    const char* const* opts = Options(folded[i], i == 0);
    std::vector<std::string> next;
    for (const std::string& b : bases) {
      if (opts == nullptr) {
        next.push_back(b + folded[i]);
      } else {
        for (const char* const* o = opts; *o != nullptr; ++o) next.push_back(b + *o);
      }
    }
    bases = std::move(next);
    if (first_vowel_end == std::string::npos && IsVowel(folded[i])) first_vowel_end = i;
  }
  Analysis a;
  for (const std::string& base : bases) {
    // Where the first vowel's spelling ends in this base.
    std::size_t cut = 0;
    for (std::size_t i = 0, b = 0; i <= first_vowel_end; ++i) {
      const char* const* opts = Options(folded[i], i == 0);
      std::size_t len = 1;
      if (opts != nullptr) {
        for (const char* const* o = opts; *o != nullptr; ++o) {
          const std::size_t l = std::char_traits<char>::length(*o);
          if (base.compare(b, l, *o) == 0) {
            len = l;
            break;
          }
        }
      }
      b += len;
      cut = b;
    }
    for (const char* tone : kTones) {
      const std::string spelled = base.substr(0, cut) + tone + base.substr(cut);
      if (!analyzer.Analyze(spelled, &a).ok()) continue;
      for (const Token& t : a.tokens()) {
        if (t.kind == TokenKind::kWord && a.folded(t) == folded) {
          out.emplace_back(a.exact(t));
          break;
        }
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Status SuggestQuery(const internal::Snapshot& snap, const Scoring& scoring,
                    const Analyzer& analyzer, std::string_view query, const Plan& plan,
                    std::string* out) {
  out->clear();
  if (plan.has_diacritics) return Status::OK();
  Status status;
  // Candidates per word.
  const std::vector<QueryWord>& words = plan.words;
  std::vector<std::vector<Candidate>> cands(words.size());
  std::map<std::string, std::vector<Candidate>> memo;
  for (std::size_t w = 0; w < words.size(); ++w) {
    const QueryWord& q = words[w];
    if (q.prefix || q.excluded) {
      cands[w].push_back({q.exact, 1});
      continue;
    }
    auto it = memo.find(q.folded);
    if (it == memo.end()) {
      std::vector<Candidate> list;
      for (std::string& form : AccentedForms(q.folded, analyzer)) {
        const std::uint64_t df = ExactDf(snap, scoring, form, &status);
        if (df > 0) list.push_back({std::move(form), df});
      }
      std::stable_sort(list.begin(), list.end(),
                       [](const Candidate& a, const Candidate& b) { return a.df > b.df; });
      if (list.size() > kCandidates) list.resize(kCandidates);
      if (list.empty()) list.push_back({q.exact, 0});
      it = memo.emplace(q.folded, std::move(list)).first;
    }
    cands[w] = it->second;
  }
  TIM_RETURN_IF_ERROR(status);
  // Viterbi over each chain of adjacent words.
  std::vector<std::size_t> choice(words.size(), 0);
  for (std::size_t begin = 0; begin < words.size();) {
    std::size_t end = begin + 1;
    while (end < words.size() && words[end].chain == words[begin].chain && words[end].chain >= 0 &&
           !words[end].excluded && !words[end - 1].excluded) {
      ++end;
    }
    // How each adjacent pair is spelled in the index's text; spellings seen
    // there join the candidates.
    std::vector<std::map<std::pair<std::string, std::string>, std::uint64_t>> pairs(end - begin);
    for (std::size_t w = begin + 1; w < end; ++w) {
      auto& seen = pairs[w - begin];
      TIM_RETURN_IF_ERROR(ExactBigrams(snap, scoring, analyzer,
                                       words[w - 1].folded + " " + words[w].folded, &seen));
      for (const auto& [spelled, count] : seen) {
        const std::string* forms[2] = {&spelled.first, &spelled.second};
        for (int k = 0; k < 2; ++k) {
          std::vector<Candidate>& list = cands[w - 1 + k];
          const bool known = std::any_of(list.begin(), list.end(),
                                         [&](const Candidate& c) { return c.exact == *forms[k]; });
          if (!known) list.push_back({*forms[k], ExactDf(snap, scoring, *forms[k], &status)});
        }
      }
    }
    TIM_RETURN_IF_ERROR(status);
    std::vector<std::vector<double>> best(end - begin);
    std::vector<std::vector<std::size_t>> back(end - begin);
    for (std::size_t w = begin; w < end; ++w) {
      const std::size_t i = w - begin;
      best[i].assign(cands[w].size(), -1e300);
      back[i].assign(cands[w].size(), 0);
      for (std::size_t c = 0; c < cands[w].size(); ++c) {
        const double unigram = std::log(static_cast<double>(cands[w][c].df) + 1.0);
        if (i == 0) {
          best[i][c] = unigram;
          continue;
        }
        for (std::size_t p = 0; p < cands[w - 1].size(); ++p) {
          const auto it = pairs[i].find({cands[w - 1][p].exact, cands[w][c].exact});
          const double pair = it == pairs[i].end() ? 0.0 : static_cast<double>(it->second);
          const double v = best[i - 1][p] + unigram + 4.0 * std::log(pair + 0.1);
          if (v > best[i][c]) {
            best[i][c] = v;
            back[i][c] = p;
          }
        }
      }
    }
    TIM_RETURN_IF_ERROR(status);
    std::size_t last = end - begin - 1;
    std::size_t c = static_cast<std::size_t>(
        std::max_element(best[last].begin(), best[last].end()) - best[last].begin());
    for (std::size_t i = last + 1; i-- > 0;) {
      choice[begin + i] = c;
      c = back[i][c];
    }
    begin = end;
  }
  // Rebuild the query with each word respelled, keeping everything else.
  std::string result;
  std::size_t at = 0;
  std::vector<std::size_t> by_start(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) by_start[i] = i;
  std::sort(by_start.begin(), by_start.end(),
            [&](std::size_t a, std::size_t b) { return words[a].start < words[b].start; });
  for (std::size_t i : by_start) {
    const QueryWord& q = words[i];
    if (q.start < at || q.end > query.size()) continue;
    result.append(query.substr(at, q.start - at));
    const std::string_view original = query.substr(q.start, q.end - q.start);
    result += MatchCase(original, cands[i][choice[i]].exact);
    at = q.end;
  }
  result.append(query.substr(at));
  if (result != query) *out = std::move(result);
  return Status::OK();
}

}  // namespace tim::query
