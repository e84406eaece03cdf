// How well tim reads queries typed in Telex or VNI with the input method off.
//
//   build/bench/typing_bench --index=DIR [--queries=DIR] [--limit=N] [--misses]
//
// DIR is a tim index of the long corpus (bench/ranking_eval.sh and
// bench/peer_search.sh build one: OUT_DIR/tim-index). The headline
// fragments of QUERIES/bench.tsv (with accents) are encoded into Telex and
// into VNI, each in two typing styles: the tone key at the end of the word
// ("vieetj"), or right after its vowel ("vieejt", "vie65t" / "vie56t").
// Each encoded query is searched; the program prints, per encoding:
//   - restored: the query searched (the rewrite) has the original's words,
//     exactly (same exact forms, same case of first letters);
//   - same top 10: its top-10 ids equal the original query's;
// and how often queries that must stay as typed are rewritten:
//   - bench_nodiac.tsv (the same fragments without accents);
//   - the 1,000 most frequent ASCII words of the index that are not
//     Vietnamese syllables (English words, brands, codes as the news writes
//     them: "iphone", "x100s", "u23");
// and, with one such word after each Telex fragment ("vieetj nam aff
// cup"), how often the word stays as typed and the fragment is restored;
// and the time the rewrite adds to a query (mean and p99, microseconds).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <unicode/uchar.h>

#include "analysis/vietnamese.h"
#include "index/segment.h"
#include "index/snapshot.h"
#include "query/plan.h"
#include "query/rewrite.h"
#include "query_file.h"
#include "tim/analyzer.h"
#include "tim/index.h"
#include "tim/search.h"
#include "util/utf8.h"

namespace {

using tim::analysis::Letter;

// Keys of each tone (index: analysis::Tone), Telex and VNI.
constexpr char kTelexTone[] = {0, 'f', 's', 'r', 'x', 'j'};
constexpr char kVniTone[] = {0, '2', '1', '3', '4', '5'};

// `text` as typed in Telex (vni false) or VNI, the tone key at the end of
// each word (at_end) or right after its vowel.
std::string Encode(const std::string& text, bool vni, bool at_end) {
  std::string out, tail;  // tail: the keys that go at the end of the word
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  auto flush = [&] {
    out += tail;
    tail.clear();
  };
  while (p < end) {
    char32_t cp;
    bool valid;
    p += tim::utf8::Decode(p, end, &cp, &valid);
    Letter l;
    if (!tim::analysis::DecodeLetter(cp, &l) || l.base < 'a' || l.base > 'z') {
      flush();
      tim::utf8::Append(cp, &out);
      continue;
    }
    const bool upper = u_isupper(static_cast<UChar32>(cp));
    const char base = upper ? static_cast<char>(l.base - 'a' + 'A') : l.base;
    std::string keys;  // this letter's modifier keys
    switch (l.mod) {
      case tim::analysis::kCircumflex: keys = vni ? "6" : std::string(1, base); break;
      case tim::analysis::kBreve: keys = vni ? "8" : "w"; break;
      case tim::analysis::kHorn: keys = vni ? "7" : "w"; break;
      case tim::analysis::kStroke: keys = vni ? "9" : "d"; break;
      default: break;
    }
    // In ươ the key after the o horns both letters ("uow", "uo7").
    if (l.base == 'u' && l.mod == tim::analysis::kHorn && p < end) {
      char32_t next = 0;
      bool next_valid;
      tim::utf8::Decode(p, end, &next, &next_valid);
      Letter n;
      if (tim::analysis::DecodeLetter(next, &n) && n.base == 'o' && n.mod == tim::analysis::kHorn) {
        keys.clear();
      }
    }
    const std::string tone =
        l.tone != 0 ? std::string(1, vni ? kVniTone[l.tone] : kTelexTone[l.tone]) : "";
    out += base;
    if (vni && at_end) {
      tail += keys;
    } else {
      out += keys;
    }
    if (at_end) {
      tail += tone;
    } else {
      out += tone;
    }
  }
  flush();
  return out;
}

// The words of a text as "exact forms with the case of their first letter".
std::vector<std::string> Words(const tim::Analyzer& analyzer, const std::string& text) {
  tim::Analysis a;
  std::vector<std::string> out;
  if (!analyzer.Analyze(text, &a).ok()) return out;
  for (const tim::Token& t : a.tokens()) {
    if (t.kind != tim::TokenKind::kWord) continue;
    char32_t first = 0;
    bool valid;
    const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + t.start;
    tim::utf8::Decode(s, s + (t.end - t.start), &first, &valid);
    out.push_back(std::string(u_isupper(static_cast<UChar32>(first)) ? "^" : "") +
                  std::string(a.exact(t)));
  }
  return out;
}

std::vector<std::string> Top(const tim::Searcher& s, const std::string& q, bool rewrite,
                             std::string* rewritten) {
  tim::SearchOptions o;
  o.snippets = false;
  o.suggest = false;
  o.rewrite_typing = rewrite;
  tim::SearchResults r;
  std::vector<std::string> ids;
  if (!s.Search(q, o, &r).ok()) return ids;
  for (const tim::Hit& h : r.hits) ids.push_back(h.id);
  if (rewritten != nullptr) *rewritten = r.rewritten;
  return ids;
}

// The most frequent ASCII words of the index that are not syllables.
std::vector<std::string> ForeignWords(const tim::internal::Snapshot& snap, std::size_t n) {
  std::vector<std::pair<std::uint64_t, std::string>> all;
  std::uint32_t body = 0;
  for (std::uint32_t f = 0; f < snap.manifest.fields.size(); ++f) {
    if (snap.manifest.fields[f] == "body") body = f;
  }
  for (const tim::internal::SegmentView& seg : snap.segments) {
    const std::string prefix = tim::index::TermKey(body, tim::index::TermKind::kFolded, "");
    tim::index::SegmentReader::TermIterator it(seg.reader.get());
    for (it.Seek(prefix); it.Valid() && it.key().substr(0, prefix.size()) == prefix; it.Next()) {
      const std::string word(it.key().substr(prefix.size()));
      std::vector<Letter> letters;
      bool has_letter = false;
      for (char c : word) {
        letters.push_back(Letter{c, 0, 0});
        has_letter |= c >= 'a' && c <= 'z';
      }
      if (!has_letter || tim::analysis::IsSyllable(letters.data(), letters.size())) continue;
      all.emplace_back(it.info().doc_freq, word);
    }
  }
  std::sort(all.rbegin(), all.rend());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < all.size() && out.size() < n; ++i) out.push_back(all[i].second);
  return out;
}

double Pct(std::size_t a, std::size_t b) { return b == 0 ? 0 : 100.0 * a / b; }

}  // namespace

int main(int argc, char** argv) {
  std::string index_dir, queries_dir = "../shared/queries";
  std::size_t limit = SIZE_MAX;
  bool misses = false;  // --misses: print each query not restored
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--index=", 8) == 0) {
      index_dir = argv[i] + 8;
    } else if (std::strncmp(argv[i], "--queries=", 10) == 0) {
      queries_dir = argv[i] + 10;
    } else if (std::strcmp(argv[i], "--misses") == 0) {
      misses = true;
    } else if (std::strncmp(argv[i], "--limit=", 8) == 0) {
      limit = std::strtoull(argv[i] + 8, nullptr, 10);
    } else {
      std::fprintf(stderr,
                   "usage: typing_bench --index=DIR [--queries=DIR] [--limit=N] [--misses]\n");
      return 2;
    }
  }
  std::unique_ptr<tim::IndexReader> reader;
  tim::Status s = tim::IndexReader::Open(index_dir, tim::ReaderOptions(), &reader);
  std::unique_ptr<tim::Searcher> searcher;
  if (s.ok()) s = tim::Searcher::Open(reader.get(), tim::RankingOptions(), &searcher);
  if (!s.ok()) {
    std::fprintf(stderr, "typing_bench: %s\n", s.ToString().c_str());
    return 1;
  }
  const tim::Analyzer analyzer(reader->analyzer_options());
  const std::vector<std::string> accented =
      tim::bench::ReadQueryFile("typing_bench", queries_dir + "/bench.tsv", limit);
  const std::vector<std::string> nodiac =
      tim::bench::ReadQueryFile("typing_bench", queries_dir + "/bench_nodiac.tsv", limit);

  std::vector<std::vector<std::string>> original_top;
  for (const std::string& q : accented) original_top.push_back(Top(*searcher, q, false, nullptr));

  std::printf(
      "| typed as | queries | restored | same top 10 | example |\n|---|---:|---:|---:|---|\n");
  const tim::internal::Snapshot& snap = tim::internal::SnapshotOf(*reader);
  const tim::query::Scoring scoring = tim::query::MakeScoring(snap, tim::RankingOptions());
  std::vector<double> micros;
  for (int variant = 0; variant < 4; ++variant) {
    const bool vni = variant >= 2, at_end = variant % 2 == 0;
    std::size_t restored = 0, same = 0;
    std::string example;
    for (std::size_t i = 0; i < accented.size(); ++i) {
      const std::string typed = Encode(accented[i], vni, at_end);
      if (example.empty()) example = typed;
      const auto start = std::chrono::steady_clock::now();
      std::string rewritten;
      (void)tim::query::RewriteTyped(snap, scoring, tim::query::StatsView(), typed, &rewritten);
      micros.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
              .count());
      std::string searched;
      const std::vector<std::string> top = Top(*searcher, typed, true, &searched);
      if (searched.empty()) searched = typed;
      const bool ok = Words(analyzer, searched) == Words(analyzer, accented[i]);
      restored += ok;
      if (misses && !ok) {
        std::fprintf(stderr, "miss: %s -> %s (want %s)\n", typed.c_str(), searched.c_str(),
                     accented[i].c_str());
      }
      same += top == original_top[i];
    }
    std::printf("| %s, tone %s | %zu | %.1f%% | %.1f%% | `%s` |\n", vni ? "VNI" : "Telex",
                at_end ? "at the end" : "after its vowel", accented.size(),
                Pct(restored, accented.size()), Pct(same, accented.size()), example.c_str());
  }
  std::size_t rewritten_nodiac = 0;
  for (const std::string& q : nodiac) {
    std::string r;
    Top(*searcher, q, true, &r);
    rewritten_nodiac += !r.empty();
  }
  const std::vector<std::string> foreign = ForeignWords(snap, 1000);
  std::size_t rewritten_foreign = 0;
  std::string foreign_examples;
  for (const std::string& w : foreign) {
    std::string r;
    Top(*searcher, w, true, &r);
    if (!r.empty()) {
      ++rewritten_foreign;
      if (foreign_examples.size() < 200) foreign_examples += " " + w + "->" + r;
    }
  }
  // Telex queries holding a word that spells nothing in Telex (an English
  // word, an abbreviation): each fragment typed in Telex (tone at the end)
  // with one of those words after it, the issue's examples first ("aff
  // cup", "boss", "pass", "email", "offline"), then the index's own. The
  // word must stay as typed and the fragment still be restored.
  std::vector<std::string> mixed_words = {"aff", "boss", "pass", "email", "offline"};
  for (const std::string& w : foreign) {
    if (std::find(mixed_words.begin(), mixed_words.end(), w) == mixed_words.end()) {
      mixed_words.push_back(w);
    }
  }
  std::size_t kept = 0, whole = 0;
  std::string mixed_examples;
  for (std::size_t i = 0; i < accented.size(); ++i) {
    const std::string& w = mixed_words[i % mixed_words.size()];
    const std::string typed = Encode(accented[i], false, true) + " " + w;
    std::string searched;
    Top(*searcher, typed, true, &searched);
    if (searched.empty()) searched = typed;
    std::vector<std::string> got = Words(analyzer, searched);
    const bool word_kept = !got.empty() && got.back() == w;
    kept += word_kept;
    if (word_kept) got.pop_back();
    whole += word_kept && got == Words(analyzer, accented[i]);
    if (!word_kept && mixed_examples.size() < 200) {
      mixed_examples += " " + w + "->" + (got.empty() ? std::string() : got.back());
    }
  }
  std::printf(
      "Telex fragments with a word that spells nothing after them: the word kept %zu of %zu "
      "(%.1f%%), the whole query restored %zu (%.1f%%);%s\n",
      kept, accented.size(), Pct(kept, accented.size()), whole, Pct(whole, accented.size()),
      mixed_examples.empty() ? " no word changed" : (" changed:" + mixed_examples).c_str());
  std::sort(micros.begin(), micros.end());
  double sum = 0;
  for (double m : micros) sum += m;
  std::printf(
      "\nrewritten, must stay as typed: bench_nodiac %zu of %zu (%.2f%%); "
      "foreign words %zu of %zu (%.2f%%)%s\n",
      rewritten_nodiac, nodiac.size(), Pct(rewritten_nodiac, nodiac.size()), rewritten_foreign,
      foreign.size(), Pct(rewritten_foreign, foreign.size()), foreign_examples.c_str());
  std::printf("rewrite time per query: mean %.1f us, p99 %.1f us\n", sum / micros.size(),
              micros[micros.size() * 99 / 100]);
  return 0;
}
