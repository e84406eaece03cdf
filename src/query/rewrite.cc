#include "query/rewrite.h"

#include <algorithm>
#include <vector>

#include "analysis/vietnamese.h"
#include "index/segment.h"
#include "query/typing.h"
#include "query/word_roles.h"
#include "util/limits.h"

namespace tim::query {
namespace {

// A decoded word must be found in at least kMinDocs documents, and in
// kRatio times as many as the word typed; kPlainRatio times when the word
// typed is itself a syllable without marks ("khoong" is "không", "xoong"
// stays). Words in capitals throughout are abbreviations ("TW", "ASP").
// Once a query has one word rewritten, its user is typing Telex or
// VNI, and its other words need only be more frequent decoded than typed
// ("giaos khoa this": "this" is "thí").
constexpr std::uint64_t kMinDocs = 2;
constexpr std::uint64_t kRatio = 50;
constexpr std::uint64_t kPlainRatio = 1000;
// Runs looked at, at most: the parser reads no more words than this, so
// an absurdly long query costs no more lookups.
constexpr std::size_t kMaxRuns = limits::kMaxQueryWords;

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Documents holding `term` of `kind`: the most over the searched fields.
Status DocFreq(const internal::Snapshot& snap, const Scoring& scoring, const StatsView& stats,
               index::TermKind kind, std::string_view term, std::uint64_t* df) {
  *df = 0;
  for (std::uint32_t f = 0; f < scoring.field_names.size(); ++f) {
    if (f < scoring.field_weight.size() && !(scoring.field_weight[f] > 0)) continue;
    const std::string key = index::TermKey(f, kind, term);
    CollectionStats::Rep::Term sum;
    for (const internal::SegmentView& seg : snap.segments) {
      index::TermInfo info;
      bool found = false;
      TIM_RETURN_IF_ERROR(seg.reader->LookupTerm(key, &info, &found));
      if (found) sum.doc_freq += info.doc_freq;
      if (found) sum.total_freq += info.total_freq;
    }
    TIM_RETURN_IF_ERROR(stats.Term(scoring.field_names[f], kind, term, sum, &sum));
    *df = std::max(*df, sum.doc_freq);
  }
  return Status::OK();
}

// Whether the ASCII word is itself a Vietnamese syllable without marks
// ("xoong", "nam").
bool IsPlainSyllable(std::string_view word) {
  std::vector<analysis::Letter> letters;
  for (char c : word) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c < 'a' || c > 'z') return false;
    letters.push_back(analysis::Letter{c, analysis::kNoMod, analysis::kNoTone});
  }
  return analysis::IsSyllable(letters.data(), letters.size());
}

// A run of ASCII letters and digits that may be a typed word.
struct Candidate {
  std::size_t begin = 0, end = 0;
  std::string decoded;
  std::uint64_t typed_df = 0, decoded_df = 0;
  bool plain = false;  // the run is itself a syllable without marks
  bool take = false;
};

// `query` with the candidates `take` says decoded.
template <typename Take>
std::string Spell(std::string_view query, const std::vector<Candidate>& candidates, Take take) {
  std::string rewritten;
  std::size_t at = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    if (!take(i)) continue;
    rewritten.append(query.substr(at, c.begin - at));
    // "Vieetj" -> "Việt": names stay names.
    rewritten += MatchCase(query.substr(c.begin, c.end - c.begin), c.decoded);
    at = c.end;
  }
  rewritten.append(query.substr(at));
  return rewritten;
}

}  // namespace

Status RewriteTyped(const internal::Snapshot& snap, const Scoring& scoring, const StatsView& stats,
                    std::string_view query, std::string* out, std::vector<std::string>* readings) {
  out->clear();
  if (readings != nullptr) readings->clear();
  std::vector<Candidate> candidates;
  std::size_t runs = 0;
  for (std::size_t i = 0; i < query.size() && runs < kMaxRuns;) {
    if (!IsAsciiAlnum(query[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < query.size() && IsAsciiAlnum(query[end])) ++end;
    ++runs;
    const std::string_view word = query.substr(i, end - i);
    // A run glued to other letters ("hà" + "noi" in "hànoi") or a field
    // name is left alone, as are the operators.
    const bool glued = (i > 0 && static_cast<unsigned char>(query[i - 1]) >= 0x80) ||
                       (end < query.size() && static_cast<unsigned char>(query[end]) >= 0x80);
    const bool field = end < query.size() && query[end] == ':';
    const bool op = word == "AND" || word == "OR" || word == "NOT";
    // Capitals throughout are an abbreviation ("TW", "ASP"), not keys.
    const bool caps = word.size() >= 2 && std::all_of(word.begin(), word.end(), [](char ch) {
                        return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
                      });
    if (!glued && !field && !op && !caps) {
      Candidate c;
      c.begin = i;
      c.end = end;
      const bool digits = std::any_of(word.begin(), word.end(), [](char ch) { return ch <= '9'; });
      c.decoded = digits ? DecodeVni(word) : DecodeTelex(word);
      if (!c.decoded.empty()) {
        std::string folded(word);
        for (char& ch : folded) {
          if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        }
        TIM_RETURN_IF_ERROR(
            DocFreq(snap, scoring, stats, index::TermKind::kFolded, folded, &c.typed_df));
        TIM_RETURN_IF_ERROR(
            DocFreq(snap, scoring, stats, index::TermKind::kExact, c.decoded, &c.decoded_df));
        c.plain = IsPlainSyllable(word);
        const std::uint64_t ratio = c.plain ? kPlainRatio : kRatio;
        c.take = c.decoded_df >= kMinDocs && c.decoded_df > ratio * c.typed_df;
        candidates.push_back(std::move(c));
      }
    }
    i = end;
  }
  if (readings != nullptr && !candidates.empty()) {
    // Any rewrite decodes some of the candidates. Every word of it is
    // spelled as in the typed query or in the all-decoded one, and every
    // two adjacent words (a bigram) as in one of these four: the typed
    // query, all decoded, the even ones decoded, the odd ones decoded.
    for (int parity = -1; parity <= 1; ++parity) {
      std::string text = Spell(query, candidates, [&](std::size_t i) {
        return parity < 0 || static_cast<int>(i % 2) == parity;
      });
      if (std::find(readings->begin(), readings->end(), text) == readings->end()) {
        readings->push_back(std::move(text));
      }
    }
  }
  const bool typing =
      std::any_of(candidates.begin(), candidates.end(), [](const Candidate& c) { return c.take; });
  if (!typing) return Status::OK();
  for (Candidate& c : candidates) {
    c.take = c.take || (c.decoded_df >= kMinDocs && c.decoded_df > c.typed_df);
  }
  *out = Spell(query, candidates, [&](std::size_t i) { return candidates[i].take; });
  return Status::OK();
}

}  // namespace tim::query
