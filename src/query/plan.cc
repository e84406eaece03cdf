#include "query/plan.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <utility>

namespace tim::query {
namespace {

using index::TermKind;

// Terms a prefix may walk in one segment's dictionary before it stops.
constexpr std::size_t kMaxPrefixScan = 200000;

struct Built {
  MatchNode node;
  bool empty = true;
  bool single_word = false;  // a one-word, non-prefix term: may form bigrams
  std::string folded;        // its folded form
  std::string field;         // its field restriction
  int first_word = -1;       // index in Plan::words of its word(s)
  int last_word = -1;
};

class Planner {
 public:
  Planner(const internal::Snapshot& snap, const Scoring& scoring, const Analyzer& analyzer,
          const SearchOptions& options, Plan* plan)
      : snap_(snap), scoring_(scoring), analyzer_(analyzer), options_(options), plan_(plan) {}

  Status Run(const ParsedQuery& parsed) {
    plan_->notes = parsed.notes;
    plan_->has_diacritics = false;
    TIM_RETURN_IF_ERROR(FindDiacritics(parsed.root));
    Built root;
    TIM_RETURN_IF_ERROR(Build(parsed.root, false, &root));
    if (root.empty) {
      return Status::InvalidArgument("the query has no word to search for");
    }
    plan_->root = std::move(root.node);
    Classify();
    return Status::OK();
  }

 private:
  Status Analyze(std::string_view text) { return analyzer_.Analyze(text, &analysis_); }

  Status FindDiacritics(const Node& n) {
    if (n.kind == Node::Kind::kBool) {
      for (const auto& c : n.clauses) TIM_RETURN_IF_ERROR(FindDiacritics(c.second));
      return Status::OK();
    }
    TIM_RETURN_IF_ERROR(Analyze(n.text));
    for (const Token& t : analysis_.tokens()) {
      if (t.kind == TokenKind::kWord && analysis_.exact(t) != analysis_.folded(t)) {
        plan_->has_diacritics = true;
      }
    }
    return Status::OK();
  }

  std::vector<std::uint32_t> Fields(const std::string& name) const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t f = 0; f < scoring_.field_names.size(); ++f) {
      if ((name.empty() && scoring_.field_weight[f] > 0) || scoring_.field_names[f] == name) {
        out.push_back(f);
      }
    }
    return out;
  }

  // A field named in the query counts even when its weight leaves it out
  // of searches without a field prefix.
  float FieldWeight(std::uint32_t field) const {
    const float w = scoring_.field_weight[field];
    return w > 0 || !explicit_field_ ? w : 1.0f;
  }

  // A spec for one term, with its statistics; -1 when no segment has it.
  Status AddSpec(std::uint32_t field, TermKind kind, std::string_view term, float tier_weight,
                 int* id) {
    *id = -1;
    Spec s;
    s.key = index::TermKey(field, kind, term);
    s.field = field;
    s.kind = kind;
    s.term = std::string(term);
    s.weight = FieldWeight(field) * tier_weight;
    if (s.weight <= 0) return Status::OK();
    s.infos.resize(snap_.segments.size());
    for (std::size_t i = 0; i < snap_.segments.size(); ++i) {
      bool found = false;
      TIM_RETURN_IF_ERROR(snap_.segments[i].reader->LookupTerm(s.key, &s.infos[i], &found));
      if (!found) s.infos[i] = index::TermInfo();
      s.df += s.infos[i].doc_freq;
    }
    if (s.df == 0) return Status::OK();
    Finish(&s);
    *id = static_cast<int>(plan_->specs.size());
    plan_->specs.push_back(std::move(s));
    return Status::OK();
  }

  // One word in one field: its folded spec scores and, for a term
  // (folded_id null), defines the term's documents; its exact spec, when
  // with_exact, scores. *folded_id gets the folded spec (-1: absent).
  Status AddWord(std::uint32_t field, const std::string& folded, const std::string& exact,
                 bool with_exact, MatchNode* m, int* folded_id) {
    int id;
    TIM_RETURN_IF_ERROR(AddSpec(field, TermKind::kFolded, folded, scoring_.folded_weight, &id));
    if (id >= 0) {
      if (folded_id == nullptr) m->match.push_back(id);
      m->score.push_back(id);
    }
    if (folded_id != nullptr) *folded_id = id;
    if (!with_exact) return Status::OK();
    TIM_RETURN_IF_ERROR(AddSpec(field, TermKind::kExact, exact, scoring_.exact_weight, &id));
    if (id >= 0) m->score.push_back(id);
    return Status::OK();
  }

  void Finish(Spec* s) const {
    const double n = static_cast<double>(scoring_.total_docs);
    const double df = static_cast<double>(s->df);
    s->idf = static_cast<float>(std::log(1.0 + (n - df + 0.5) / (df + 0.5)));
    s->w = s->weight * s->idf * (scoring_.k1 + 1.0f);
  }

  // The most frequent folded terms of `field` starting with `prefix`.
  Status Expand(std::uint32_t field, std::string_view prefix, std::vector<int>* out) {
    const std::string key = index::TermKey(field, TermKind::kFolded, prefix);
    std::map<std::string, std::vector<index::TermInfo>> found;
    bool capped = false;
    for (std::size_t i = 0; i < snap_.segments.size(); ++i) {
      index::SegmentReader::TermIterator it(snap_.segments[i].reader.get());
      std::size_t scanned = 0;
      for (it.Seek(key); it.Valid() && it.key().substr(0, key.size()) == key; it.Next()) {
        if (++scanned > kMaxPrefixScan) {
          capped = true;
          break;
        }
        auto& infos = found[std::string(it.key())];
        infos.resize(snap_.segments.size());
        infos[i] = it.info();
      }
      TIM_RETURN_IF_ERROR(it.status());
    }
    if (capped) {
      plan_->notes.push_back("prefix '" + std::string(prefix) + "*' matches too many terms: " +
                             "only the first " + std::to_string(kMaxPrefixScan) + " were read");
    }
    std::vector<Spec> specs;
    for (auto& [k, infos] : found) {
      Spec s;
      s.key = k;
      s.field = field;
      s.kind = TermKind::kFolded;
      s.term = k.substr(2);
      s.weight = FieldWeight(field) * scoring_.folded_weight;
      s.infos = std::move(infos);
      for (const auto& info : s.infos) s.df += info.doc_freq;
      specs.push_back(std::move(s));
    }
    if (specs.size() > options_.max_prefix_expansions) {
      plan_->notes.push_back("prefix '" + std::string(prefix) + "*' expanded to its " +
                             std::to_string(options_.max_prefix_expansions) + " most frequent of " +
                             std::to_string(specs.size()) + " terms");
      std::stable_sort(specs.begin(), specs.end(),
                       [](const Spec& a, const Spec& b) { return a.df > b.df; });
      specs.resize(options_.max_prefix_expansions);
      std::sort(specs.begin(), specs.end(),
                [](const Spec& a, const Spec& b) { return a.key < b.key; });
    }
    for (Spec& s : specs) {
      if (s.weight <= 0 || s.df == 0) continue;
      Finish(&s);
      out->push_back(static_cast<int>(plan_->specs.size()));
      plan_->specs.push_back(std::move(s));
    }
    return Status::OK();
  }

  Status Build(const Node& n, bool negated, Built* out) {
    if (n.kind == Node::Kind::kBool) return BuildBool(n, negated, out);
    explicit_field_ = !n.field.empty();
    TIM_RETURN_IF_ERROR(Analyze(n.text));
    struct W {
      std::string exact, folded;
      std::uint32_t position;
    };
    std::vector<W> words, joined;
    std::vector<std::string> bigrams;
    const int chain = next_chain_++;
    const int first_word = static_cast<int>(plan_->words.size());
    for (const Token& t : analysis_.tokens()) {
      if (t.kind == TokenKind::kBigram) {
        bigrams.emplace_back(analysis_.folded(t));
        continue;
      }
      if (t.kind == TokenKind::kJoined) {
        joined.push_back(
            {std::string(analysis_.exact(t)), std::string(analysis_.folded(t)), t.position});
        continue;
      }
      if (t.kind != TokenKind::kWord) continue;
      words.push_back(
          {std::string(analysis_.exact(t)), std::string(analysis_.folded(t)), t.position});
      QueryWord qw;
      qw.exact = words.back().exact;
      qw.folded = words.back().folded;
      qw.start = n.offset + t.start;
      qw.end = n.offset + t.end;
      qw.excluded = negated;
      qw.chain = chain;
      plan_->words.push_back(std::move(qw));
    }
    if (words.empty()) {
      plan_->notes.push_back("'" + n.text + "' has no word to search for: ignored");
      return Status::OK();
    }
    out->empty = false;
    out->first_word = first_word;
    out->last_word = static_cast<int>(plan_->words.size()) - 1;
    out->field = n.field;
    const std::vector<std::uint32_t> fields = Fields(n.field);
    MatchNode& m = out->node;
    if (words.size() == 1) {
      m.kind = MatchNode::Kind::kTerm;
      const W& w = words[0];
      if (n.prefix && n.kind == Node::Kind::kWord) {
        plan_->words.back().prefix = true;
        for (std::uint32_t f : fields) TIM_RETURN_IF_ERROR(Expand(f, w.folded, &m.match));
        m.score = m.match;
        return Status::OK();
      }
      out->single_word = true;
      out->folded = w.folded;
      for (std::uint32_t f : fields) {
        TIM_RETURN_IF_ERROR(AddWord(f, w.folded, w.exact, plan_->has_diacritics, &m, nullptr));
      }
      return Status::OK();
    }
    if (n.prefix) {
      plan_->notes.push_back("'" + n.text + "*' is more than one word: read without the '*'");
    }
    // One typed word the analyzer split at connectors ("covid-19", "TP.HCM",
    // "610.000"): the index holds the joined form ("covid19") wherever the
    // text joins the parts with connectors (or writes them solid), and the
    // bigram of two parts where it writes them apart ("Jong Un"). Matching
    // either is a plain term, far cheaper than a phrase.
    if (n.kind == Node::Kind::kWord && joined.size() == 1 && words.size() <= 3) {
      m.kind = MatchNode::Kind::kTerm;
      const W& j = joined[0];
      for (std::uint32_t f : fields) {
        TIM_RETURN_IF_ERROR(AddWord(f, j.folded, j.exact,
                                    plan_->has_diacritics && j.exact != j.folded, &m, nullptr));
        if (words.size() == 2) {
          int id;
          TIM_RETURN_IF_ERROR(AddSpec(f, TermKind::kBigram, words[0].folded + " " + words[1].folded,
                                      scoring_.folded_weight, &id));
          if (id >= 0) m.match.push_back(id);
          if (id >= 0) m.score.push_back(id);
        }
      }
      return Status::OK();
    }
    m.kind = MatchNode::Kind::kPhrase;
    for (const W& w : words) m.offsets.push_back(w.position - words[0].position);
    for (std::uint32_t f : fields) {
      std::vector<int> folded;
      bool complete = true;
      for (const W& w : words) {
        int id;
        TIM_RETURN_IF_ERROR(AddWord(f, w.folded, w.exact, plan_->has_diacritics, &m, &id));
        if (id < 0) complete = false;
        folded.push_back(id);
      }
      for (const std::string& bg : bigrams) {
        int id;
        TIM_RETURN_IF_ERROR(AddSpec(f, TermKind::kBigram, bg, scoring_.bigram_weight, &id));
        if (id >= 0) m.score.push_back(id);
      }
      // A field missing one of the words cannot hold the phrase.
      if (complete) m.phrase.push_back(std::move(folded));
    }
    return Status::OK();
  }

  Status BuildBool(const Node& n, bool negated, Built* out) {
    MatchNode& m = out->node;
    m.kind = MatchNode::Kind::kBool;
    std::vector<Built> kids;
    std::vector<Occur> occurs;
    for (const auto& [occur, child] : n.clauses) {
      Built b;
      TIM_RETURN_IF_ERROR(Build(child, negated || occur == Occur::kMustNot, &b));
      if (b.empty) continue;
      kids.push_back(std::move(b));
      occurs.push_back(occur);
    }
    // Adjacent words of a sequence also score their bigram.
    if (n.sequence && !negated) {
      const int chain = next_chain_++;
      for (std::size_t i = 0; i < kids.size(); ++i) {
        if (occurs[i] == Occur::kMustNot || !kids[i].single_word) continue;
        plan_->words[kids[i].first_word].chain = chain;
        if (i + 1 >= kids.size() || occurs[i + 1] == Occur::kMustNot || !kids[i + 1].single_word ||
            kids[i].field != kids[i + 1].field) {
          continue;
        }
        const std::string bigram = kids[i].folded + " " + kids[i + 1].folded;
        explicit_field_ = !kids[i].field.empty();
        for (std::uint32_t f : Fields(kids[i].field)) {
          int id;
          TIM_RETURN_IF_ERROR(AddSpec(f, TermKind::kBigram, bigram, scoring_.bigram_weight, &id));
          if (id >= 0) m.score.push_back(id);
        }
      }
    }
    bool positive = false;
    for (std::size_t i = 0; i < kids.size(); ++i) {
      positive |= occurs[i] != Occur::kMustNot;
      m.clauses.emplace_back(occurs[i], std::move(kids[i].node));
    }
    out->empty = !positive;
    if (!positive && !kids.empty()) {
      plan_->notes.push_back(
          "a group of only exclusions has nothing to search for: ignored (write '-a -b' beside "
          "the words they exclude from)");
    }
    if (kids.size() == 1 && occurs[0] != Occur::kMustNot && m.score.empty()) {
      // A single clause is the clause itself.
      MatchNode only = std::move(m.clauses[0].second);
      out->node = std::move(only);
      out->single_word = kids[0].single_word;
      out->folded = kids[0].folded;
      out->field = kids[0].field;
      out->first_word = kids[0].first_word;
      out->last_word = kids[0].last_word;
    }
    return Status::OK();
  }

  // Recognises the flat shapes the fast algorithms take.
  void Classify() {
    Plan& p = *plan_;
    const MatchNode& r = p.root;
    p.shape = Plan::Shape::kGeneric;
    if (r.kind == MatchNode::Kind::kTerm) {
      p.shape = Plan::Shape::kOr;
      p.optional.push_back(r.match);
      p.positive = r.score;
      return;
    }
    if (r.kind != MatchNode::Kind::kBool) return;
    bool must = false;
    for (const auto& [occur, c] : r.clauses) {
      if (c.kind != MatchNode::Kind::kTerm) return;
      must |= occur == Occur::kMust;
    }
    p.shape = must ? Plan::Shape::kAnd : Plan::Shape::kOr;
    for (const auto& [occur, c] : r.clauses) {
      switch (occur) {
        case Occur::kMust:
          p.required.push_back(c.match);
          p.positive.insert(p.positive.end(), c.score.begin(), c.score.end());
          break;
        case Occur::kShould:
          p.optional.push_back(c.match);
          p.positive.insert(p.positive.end(), c.score.begin(), c.score.end());
          break;
        case Occur::kMustNot:
          p.excluded.insert(p.excluded.end(), c.match.begin(), c.match.end());
          break;
      }
    }
    p.positive.insert(p.positive.end(), r.score.begin(), r.score.end());
    std::sort(p.positive.begin(), p.positive.end());
  }

  const internal::Snapshot& snap_;
  const Scoring& scoring_;
  const Analyzer& analyzer_;
  const SearchOptions& options_;
  Plan* plan_;
  Analysis analysis_;
  int next_chain_ = 0;
  bool explicit_field_ = false;  // the node being built names its field
};

}  // namespace

Scoring MakeScoring(const internal::Snapshot& snap, const RankingOptions& options) {
  Scoring s;
  s.k1 = options.k1;
  s.b = options.b;
  s.folded_weight = options.folded_weight;
  s.exact_weight = options.exact_weight;
  s.bigram_weight = options.bigram_weight;
  s.field_names = snap.manifest.fields;
  const std::size_t nf = s.field_names.size();
  s.field_weight.assign(nf, options.default_field_weight);
  for (std::size_t f = 0; f < nf; ++f) {
    for (const auto& [name, weight] : options.field_weights) {
      if (name == s.field_names[f]) s.field_weight[f] = weight;
    }
  }
  std::vector<std::uint64_t> docs(nf, 0), lengths(nf, 0);
  for (const internal::SegmentView& v : snap.segments) {
    s.total_docs += v.reader->doc_count();
    for (const index::FieldStats& fs : v.reader->info().fields) {
      if (fs.field >= nf) continue;
      docs[fs.field] += fs.docs;
      lengths[fs.field] += fs.total_length;
    }
  }
  s.avg_length.assign(nf, 1.0f);
  for (std::size_t f = 0; f < nf; ++f) {
    if (docs[f] > 0 && lengths[f] > 0) {
      s.avg_length[f] = static_cast<float>(static_cast<double>(lengths[f]) / docs[f]);
    }
  }
  return s;
}

Status BuildPlan(const internal::Snapshot& snap, const Scoring& scoring, const Analyzer& analyzer,
                 const ParsedQuery& parsed, const SearchOptions& options, Plan* plan) {
  *plan = Plan();
  if (parsed.empty) {
    return Status::InvalidArgument(
        "the query has no word to search for (only exclusions or operators)");
  }
  Planner planner(snap, scoring, analyzer, options, plan);
  return planner.Run(parsed);
}

}  // namespace tim::query
