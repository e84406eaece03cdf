#include "query/snippet.h"

#include <algorithm>

#include "util/limits.h"
#include "util/utf8.h"

namespace tim::query {
namespace {

const char kEllipsis[] = "\xE2\x80\xA6";  // …

struct Match {
  std::uint32_t start, end;  // bytes of the text
  int word;                  // index of the query word
  bool exact;
  std::uint32_t token;  // ordinal of the word in the text
};

}  // namespace

Status MakeSnippet(std::string_view text, const std::vector<QueryWord>& words, bool prefer_exact,
                   const Analyzer& analyzer, std::size_t max_bytes, Analysis* a, Snippet* out) {
  out->text.clear();
  out->highlights.clear();
  if (max_bytes < 16) max_bytes = 16;
  std::string_view head = text;
  if (head.size() > limits::kMaxSnippetBytes) {
    head = head.substr(
        0, utf8::BoundaryAtOrBefore(head.data(), head.size(), limits::kMaxSnippetBytes));
  }
  TIM_RETURN_IF_ERROR(analyzer.Analyze(head, a));
  std::vector<Match> matches;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> word_spans;  // all word tokens
  for (const Token& t : a->tokens()) {
    if (t.kind != TokenKind::kWord) continue;
    const auto ordinal = static_cast<std::uint32_t>(word_spans.size());
    word_spans.emplace_back(t.start, t.end);
    const std::string_view folded = a->folded(t);
    for (std::size_t w = 0; w < words.size(); ++w) {
      const QueryWord& q = words[w];
      if (q.excluded) continue;
      const bool hit =
          q.prefix ? folded.substr(0, q.folded.size()) == q.folded : folded == q.folded;
      if (hit) {
        matches.push_back({t.start, t.end, static_cast<int>(w), a->exact(t) == q.exact, ordinal});
        break;
      }
    }
  }
  // A query with diacritics highlights exact spellings when the text has
  // any ("má" marks "má", not "mà"); otherwise every folded match.
  if (prefer_exact) {
    std::vector<Match> exact_only;
    for (const Match& m : matches) {
      if (m.exact) exact_only.push_back(m);
    }
    if (!exact_only.empty()) matches = std::move(exact_only);
  }
  // Slide a window over the matches: the one covering the most distinct
  // query words wins, then the one where more of them stand together as in
  // the query ("Hà Nội" over "hạ ... nối"), then exact spellings, then the
  // earlier.
  auto together = [&](std::size_t j) {  // matches j and j+1 continue the query
    const Match& x = matches[j];
    const Match& y = matches[j + 1];
    return y.token == x.token + 1 && y.word == x.word + 1 &&
           words[static_cast<std::size_t>(x.word)].chain ==
               words[static_cast<std::size_t>(y.word)].chain;
  };
  std::size_t best_begin = 0, best_end = 0;
  double best = -1;
  std::vector<int> seen(words.size(), 0);
  std::size_t distinct = 0, exact = 0, pairs = 0, j = 0;
  for (std::size_t i = 0; i < matches.size(); ++i) {
    while (j < matches.size() && (j == i || matches[j].end - matches[i].start <= max_bytes)) {
      if (seen[matches[j].word]++ == 0) ++distinct;
      exact += matches[j].exact;
      if (j > i && together(j - 1)) ++pairs;
      ++j;
    }
    const double score = distinct * 1000.0 + pairs * 10.0 + exact * 1.0 + (j - i) * 0.01;
    if (score > best) {
      best = score;
      best_begin = i;
      best_end = j;
    }
    if (--seen[matches[i].word] == 0) --distinct;
    exact -= matches[i].exact;
    if (i + 1 < j && together(i)) --pairs;
  }
  // The passage: centred on the chosen matches, extended to word boundaries.
  std::size_t from = 0, to = 0;
  if (best_end > best_begin) {
    const std::size_t first = matches[best_begin].start, last = matches[best_end - 1].end;
    const std::size_t spare = max_bytes > last - first ? max_bytes - (last - first) : 0;
    from = first > spare / 3 ? first - spare / 3 : 0;
    to = std::min(text.size(), from + max_bytes);
    if (to < last) to = last;
  } else {
    to = std::min(text.size(), max_bytes);
  }
  // Snap `from` forward to a word start and `to` back to a word end (or the
  // text's ends), so no word and no character is cut.
  if (from > 0) {
    auto it = std::lower_bound(word_spans.begin(), word_spans.end(),
                               std::make_pair(static_cast<std::uint32_t>(from), 0u));
    from = it == word_spans.end() ? from : it->first;
    if (best_end > best_begin) from = std::min<std::size_t>(from, matches[best_begin].start);
  }
  if (to < text.size()) {
    std::size_t snapped = from;
    for (const auto& span : word_spans) {
      if (span.second <= to && span.first >= from) snapped = span.second;
      if (span.first > to) break;
    }
    if (best_end > best_begin) snapped = std::max<std::size_t>(snapped, matches[best_end - 1].end);
    to = snapped > from ? snapped : utf8::BoundaryAtOrBefore(text.data(), text.size(), to);
  }
  if (from > 0) out->text += kEllipsis;
  const std::size_t shift = out->text.size();
  out->text.append(text.substr(from, to - from));
  for (const Match& m : matches) {
    if (m.start >= from && m.end <= to) {
      out->highlights.emplace_back(static_cast<std::uint32_t>(m.start - from + shift),
                                   static_cast<std::uint32_t>(m.end - from + shift));
    }
  }
  if (to < text.size()) out->text += kEllipsis;
  // Line breaks would break one-line displays; the offsets stay valid
  // because each is replaced by one byte.
  for (char& c : out->text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return Status::OK();
}

}  // namespace tim::query
