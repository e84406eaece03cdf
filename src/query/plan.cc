#include "query/plan.h"

#include "query/word_roles.h"
#include "util/limits.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <utility>

namespace tim::query {
namespace {

using index::TermKind;

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
  // words_only: stop at Plan::words (BuildWordPlan).
  Planner(const internal::Snapshot& snap, const Scoring& scoring, const Analyzer& analyzer,
          const SearchOptions& options, const StatsView& stats, Plan* plan, bool words_only = false)
      : snap_(snap),
        scoring_(scoring),
        analyzer_(analyzer),
        options_(options),
        stats_(stats),
        plan_(plan),
        words_only_(words_only) {}

  Status Run(const ParsedQuery& parsed) {
    plan_->notes = parsed.notes;
    plan_->has_diacritics = false;
    forms_.clear();
    TIM_RETURN_IF_ERROR(FindDiacritics(parsed.root));
    roles_ = AssignWordRoles(forms_, plan_->has_diacritics);
    Built root;
    TIM_RETURN_IF_ERROR(Build(parsed.root, false, &root));
    if (root.empty) {
      return Status::InvalidArgument("the query has no word to search for");
    }
    if (words_only_) return Status::OK();
    plan_->root = std::move(root.node);
    Classify();
    return Status::OK();
  }

 private:
  Status Analyze(std::string_view text) { return analyzer_.Analyze(text, &analysis_); }

  Status FindDiacritics(const Node& n) {
    if (n.kind == Node::Kind::kFilter) return Status::OK();
    if (n.kind == Node::Kind::kBool) {
      for (const auto& c : n.clauses) TIM_RETURN_IF_ERROR(FindDiacritics(c.second));
      return Status::OK();
    }
    TIM_RETURN_IF_ERROR(Analyze(n.text));
    // The same words, in the same order, as Build() adds to Plan::words.
    for (const Token& t : analysis_.tokens()) {
      if (t.kind != TokenKind::kWord) continue;
      if (analysis_.exact(t) != analysis_.folded(t)) plan_->has_diacritics = true;
      forms_.push_back(
          MakeQueryWordForms(analysis_.exact(t), analysis_.folded(t),
                             std::string_view(n.text).substr(t.start, t.end - t.start)));
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

  // A new group for one tier of a word (or bigram); its specs follow.
  int NewGroup(TermKind kind, std::string_view term, float weight) {
    Group g;
    g.kind = kind;
    g.term = std::string(term);
    g.weight = weight;
    plan_->groups.push_back(std::move(g));
    return static_cast<int>(plan_->groups.size()) - 1;
  }

  // Completes the last group once its specs are in: its df, idf and w.
  // A group without specs (or weight) is dropped; returns false then.
  bool FinishGroup(int group) {
    Group& g = plan_->groups[group];
    if (g.specs.empty() || g.weight <= 0) {
      // Its specs, if any, are the last ones.
      plan_->specs.resize(plan_->specs.size() - g.specs.size());
      plan_->groups.pop_back();
      return false;
    }
    for (int spec : g.specs) g.df = std::max(g.df, plan_->specs[spec].df);
    g.idf = scoring_.Idf(g.df);
    g.w = scoring_.Ceiling(g.weight, g.idf);
    return true;
  }

  // A term's TermInfo in each segment (doc_freq 0: absent there), and its
  // statistics summed over them.
  Status LocalTerm(const std::string& key, std::vector<index::TermInfo>* infos,
                   CollectionStats::Rep::Term* sum) const {
    infos->assign(snap_.segments.size(), index::TermInfo());
    *sum = CollectionStats::Rep::Term();
    for (std::size_t i = 0; i < snap_.segments.size(); ++i) {
      bool found = false;
      TIM_RETURN_IF_ERROR(snap_.segments[i].reader->LookupTerm(key, &(*infos)[i], &found));
      if (!found) (*infos)[i] = index::TermInfo();
      sum->doc_freq += (*infos)[i].doc_freq;
      sum->total_freq += (*infos)[i].total_freq;
    }
    return Status::OK();
  }

  // A spec of `group` for one term in one field, with its statistics; no
  // spec (-1) when no segment has the term.
  Status AddSpec(std::uint32_t field, TermKind kind, std::string_view term, int group, int* id) {
    *id = -1;
    Spec s;
    s.key = index::TermKey(field, kind, term);
    s.field = field;
    s.kind = kind;
    s.term = std::string(term);
    s.field_weight = FieldWeight(field);
    if (s.field_weight <= 0) return Status::OK();
    CollectionStats::Rep::Term local, term_stats;
    TIM_RETURN_IF_ERROR(LocalTerm(s.key, &s.infos, &local));
    TIM_RETURN_IF_ERROR(stats_.Term(scoring_.field_names[field], kind, term, local, &term_stats));
    // With a collection's statistics the spec exists when the collection
    // holds the term, though this shard may not: groups, and the title
    // match total, are then those of one index holding every shard.
    s.df = term_stats.doc_freq;
    if (s.df == 0) return Status::OK();
    s.group = group;
    *id = static_cast<int>(plan_->specs.size());
    plan_->groups[group].specs.push_back(*id);
    plan_->specs.push_back(std::move(s));
    return Status::OK();
  }

  // One tier of a term over `fields`: a group with a spec per field that
  // holds the term. Sets (*ids)[j] to the spec of fields[j] (-1: none).
  Status AddTier(const std::vector<std::uint32_t>& fields, TermKind kind, std::string_view term,
                 float weight, std::vector<int>* ids) {
    ids->assign(fields.size(), -1);
    if (weight <= 0) return Status::OK();
    const int group = NewGroup(kind, term, weight);
    for (std::size_t j = 0; j < fields.size(); ++j) {
      TIM_RETURN_IF_ERROR(AddSpec(fields[j], kind, term, group, &(*ids)[j]));
    }
    if (!FinishGroup(group)) ids->assign(fields.size(), -1);
    return Status::OK();
  }

  WordRole Role(int word) const {
    return word >= 0 && static_cast<std::size_t>(word) < roles_.size() ? roles_[word]
                                                                       : WordRole::kPlain;
  }

  // The weight of query word number `word` (word_roles.h).
  float WordWeight(int word) const { return scoring_.WordWeight(Role(word), scale_); }

  // The weight of the bigram of words `first` and first + 1.
  float BigramWeight(int first) const {
    return scoring_.BigramWeight(
        Role(first) == WordRole::kName && Role(first + 1) == WordRole::kName, scale_);
  }

  // Whether a word's exact form has exactly the documents and frequencies
  // of its folded form in every field ("2016", "samsung"): its exact tier
  // would only repeat the folded one. Every exact occurrence is one of the
  // folded form's, so equal sums over the collection mean equal postings
  // in every segment.
  Status ExactSameAsFolded(const std::vector<std::uint32_t>& fields, const std::string& folded,
                           const std::string& exact, bool* same) {
    *same = exact == folded;
    if (!*same) return Status::OK();
    std::vector<index::TermInfo> infos;
    for (std::uint32_t f : fields) {
      CollectionStats::Rep::Term a, b;
      TIM_RETURN_IF_ERROR(LocalTerm(index::TermKey(f, TermKind::kFolded, folded), &infos, &a));
      TIM_RETURN_IF_ERROR(stats_.Term(scoring_.field_names[f], TermKind::kFolded, folded, a, &a));
      TIM_RETURN_IF_ERROR(LocalTerm(index::TermKey(f, TermKind::kExact, exact), &infos, &b));
      TIM_RETURN_IF_ERROR(stats_.Term(scoring_.field_names[f], TermKind::kExact, exact, b, &b));
      if (a.doc_freq != b.doc_freq || a.total_freq != b.total_freq) {
        *same = false;
        // Recording reads every field: the collection decides.
        if (!stats_.recording()) break;
      }
    }
    return Status::OK();
  }

  // Gives the last group (a word's folded group, or a bigram's) its share of
  // the title match bonus: what the term scores at most with `weight`. Its
  // spec in the title field (in `ids`, if any) says whether a title holds it.
  // A term no title holds (or searched only in other fields) still counts
  // in the total: a title holding the other terms holds less of the query.
  void ShareTitle(float weight, const std::vector<int>& ids) {
    if (negated_ || !scoring_.HasTitleMatch()) {
      return;
    }
    Group& g = plan_->groups.back();
    g.title_share = scoring_.Ceiling(weight, g.idf);
    plan_->title_total += g.title_share;
    for (int id : ids) {
      if (id >= 0 && plan_->specs[id].field == scoring_.title_field) {
        plan_->specs[id].title = true;
        plan_->title_specs.push_back(id);
      }
    }
  }

  // One word over `fields`: its folded group scores and, for a term
  // (folded_ids null), defines the term's documents; with_exact, its exact
  // group takes exact_share of the word's weight. *folded_ids gets the
  // folded spec of each field (-1: absent).
  Status AddWord(const std::vector<std::uint32_t>& fields, const std::string& folded,
                 const std::string& exact, bool with_exact, float weight, MatchNode* m,
                 std::vector<int>* folded_ids) {
    bool same = true;
    if (with_exact) TIM_RETURN_IF_ERROR(ExactSameAsFolded(fields, folded, exact, &same));
    const float exact_weight = same ? 0.0f : scoring_.ExactWeight(weight);
    std::vector<int> ids;
    const std::size_t groups = plan_->groups.size();
    TIM_RETURN_IF_ERROR(AddTier(fields, TermKind::kFolded, folded, weight - exact_weight, &ids));
    // The word's share of the title match bonus rides on its folded group.
    if (plan_->groups.size() > groups) ShareTitle(weight, ids);
    for (int id : ids) {
      if (id < 0) continue;
      if (folded_ids == nullptr) m->match.push_back(id);
      m->score.push_back(id);
    }
    if (folded_ids != nullptr) *folded_ids = ids;
    if (same) return Status::OK();
    TIM_RETURN_IF_ERROR(AddTier(fields, TermKind::kExact, exact, exact_weight, &ids));
    for (int id : ids) {
      if (id >= 0) m->score.push_back(id);
    }
    return Status::OK();
  }

  // The bigram of two adjacent words over `fields`: it scores and, when
  // `match`, its documents are the term's too.
  Status AddBigram(const std::vector<std::uint32_t>& fields, const std::string& bigram,
                   float weight, bool match, MatchNode* m) {
    std::vector<int> ids;
    const std::size_t groups = plan_->groups.size();
    TIM_RETURN_IF_ERROR(AddTier(fields, TermKind::kBigram, bigram, weight, &ids));
    if (plan_->groups.size() > groups && !match) ShareTitle(weight, ids);
    for (int id : ids) {
      if (id < 0) continue;
      if (match) m->match.push_back(id);
      m->score.push_back(id);
    }
    return Status::OK();
  }

  // The most frequent folded terms starting with `prefix` in `fields`, a
  // group each over the fields holding it. Appends their specs to *out.
  Status Expand(const std::vector<std::uint32_t>& fields, std::string_view prefix, float weight,
                std::vector<int>* out) {
    // term -> field -> its documents (over the collection), and the
    // term's TermInfo in each segment of this index when read here.
    std::map<std::string, std::map<std::uint32_t, std::uint64_t>> found;
    std::map<std::string, std::map<std::uint32_t, std::vector<index::TermInfo>>> infos;
    bool capped = false;
    for (std::uint32_t field : fields) {
      CollectionStats::Rep::Prefix terms;
      if (!stats_.supplied()) {
        const std::string key = index::TermKey(field, TermKind::kFolded, prefix);
        const std::size_t head = key.size() - prefix.size();
        for (std::size_t i = 0; i < snap_.segments.size(); ++i) {
          index::SegmentReader::TermIterator it(snap_.segments[i].reader.get());
          std::size_t scanned = 0;
          for (it.Seek(key); it.Valid() && it.key().substr(0, key.size()) == key; it.Next()) {
            if (++scanned > limits::kMaxPrefixScan) {
              terms.capped = true;
              break;
            }
            const std::string term(it.key().substr(head));
            auto& per_segment = infos[term][field];
            per_segment.resize(snap_.segments.size());
            per_segment[i] = it.info();
            terms.df[term] += it.info().doc_freq;
          }
          TIM_RETURN_IF_ERROR(it.status());
        }
      }
      TIM_RETURN_IF_ERROR(stats_.Prefix(scoring_.field_names[field], prefix, &terms));
      capped = capped || terms.capped;
      for (const auto& [term, df] : terms.df) found[term][field] = df;
    }
    if (capped) {
      plan_->notes.push_back("prefix '" + std::string(prefix) +
                             "*' matches too many terms: " + "only the first " +
                             std::to_string(limits::kMaxPrefixScan) + " were read");
    }
    struct Term {
      std::string text;
      std::uint64_t df = 0;  // the largest over fields, as a group's
    };
    std::vector<Term> terms;
    for (const auto& [text, by_field] : found) {
      Term t{text, 0};
      for (const auto& [field, df] : by_field) t.df = std::max(t.df, df);
      terms.push_back(std::move(t));
    }
    if (terms.size() > options_.max_prefix_expansions) {
      plan_->notes.push_back("prefix '" + std::string(prefix) + "*' expanded to its " +
                             std::to_string(options_.max_prefix_expansions) + " most frequent of " +
                             std::to_string(terms.size()) + " terms");
      std::stable_sort(terms.begin(), terms.end(),
                       [](const Term& a, const Term& b) { return a.df > b.df; });
      terms.resize(options_.max_prefix_expansions);
      std::sort(terms.begin(), terms.end(),
                [](const Term& a, const Term& b) { return a.text < b.text; });
    }
    if (weight <= 0) return Status::OK();
    for (const Term& t : terms) {
      const int group = NewGroup(TermKind::kFolded, t.text, weight);
      const std::size_t first = out->size();
      for (const auto& [field, df] : found[t.text]) {
        Spec s;
        s.key = index::TermKey(field, TermKind::kFolded, t.text);
        s.field = field;
        s.kind = TermKind::kFolded;
        s.term = t.text;
        s.field_weight = FieldWeight(field);
        s.df = df;
        if (s.field_weight <= 0 || s.df == 0) continue;
        if (stats_.supplied()) {
          CollectionStats::Rep::Term local;
          TIM_RETURN_IF_ERROR(LocalTerm(s.key, &s.infos, &local));
        } else {
          s.infos = std::move(infos[t.text][field]);
        }
        s.group = group;
        out->push_back(static_cast<int>(plan_->specs.size()));
        plan_->groups[group].specs.push_back(out->back());
        plan_->specs.push_back(std::move(s));
      }
      if (!FinishGroup(group)) out->resize(first);
    }
    return Status::OK();
  }

  Status Build(const Node& n, bool negated, Built* out) {
    // Searches take filters out first (LiftFilters); a plan of the words
    // alone (restorations) passes over them.
    if (n.kind == Node::Kind::kFilter) return Status::OK();
    // The node's weight scales everything under it; a kBool's field is
    // that of its clauses naming none.
    const float outer_scale = scale_;
    const std::string outer_field = field_;
    scale_ *= n.weight;
    if (!n.field.empty()) field_ = n.field;
    const Status s =
        n.kind == Node::Kind::kBool ? BuildBool(n, negated, out) : BuildLeaf(n, negated, out);
    scale_ = outer_scale;
    field_ = outer_field;
    return s;
  }

  Status BuildLeaf(const Node& n, bool negated, Built* out) {
    explicit_field_ = !field_.empty();
    negated_ = negated;
    TIM_RETURN_IF_ERROR(Analyze(n.text));
    struct W {
      std::string exact, folded;
      std::uint32_t position;
    };
    std::vector<W> words, joined;
    std::vector<std::pair<std::string, std::uint32_t>> bigrams;  // folded, position
    const int chain = next_chain_++;
    const int first_word = static_cast<int>(plan_->words.size());
    for (const Token& t : analysis_.tokens()) {
      if (t.kind == TokenKind::kBigram) {
        bigrams.emplace_back(std::string(analysis_.folded(t)), t.position);
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
    out->field = field_;
    if (words_only_) {  // what the branches below note of the words, no more
      if (words.size() == 1 && n.prefix && n.kind == Node::Kind::kWord) {
        plan_->words.back().prefix = true;
      } else if (words.size() == 1) {
        out->single_word = true;
        out->folded = words[0].folded;
      }
      return Status::OK();
    }
    const std::vector<std::uint32_t> fields = Fields(field_);
    MatchNode& m = out->node;
    if (words.size() == 1) {
      m.kind = MatchNode::Kind::kTerm;
      const W& w = words[0];
      if (n.prefix && n.kind == Node::Kind::kWord) {
        plan_->words.back().prefix = true;
        TIM_RETURN_IF_ERROR(Expand(fields, w.folded, WordWeight(first_word), &m.match));
        m.score = m.match;
        return Status::OK();
      }
      out->single_word = true;
      out->folded = w.folded;
      TIM_RETURN_IF_ERROR(AddWord(fields, w.folded, w.exact, plan_->has_diacritics,
                                  WordWeight(first_word), &m, nullptr));
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
      const float weight = WordWeight(first_word);
      TIM_RETURN_IF_ERROR(AddWord(fields, j.folded, j.exact,
                                  plan_->has_diacritics && j.exact != j.folded, weight, &m,
                                  nullptr));
      if (words.size() == 2) {
        TIM_RETURN_IF_ERROR(
            AddBigram(fields, words[0].folded + " " + words[1].folded, weight, true, &m));
      }
      return Status::OK();
    }
    m.kind = MatchNode::Kind::kPhrase;
    for (const W& w : words) m.offsets.push_back(w.position - words[0].position);
    // by_word[i][j]: the folded spec of word i in fields[j] (-1: absent).
    std::vector<std::vector<int>> by_word(words.size());
    for (std::size_t i = 0; i < words.size(); ++i) {
      TIM_RETURN_IF_ERROR(AddWord(fields, words[i].folded, words[i].exact, plan_->has_diacritics,
                                  WordWeight(first_word + static_cast<int>(i)), &m, &by_word[i]));
    }
    for (const auto& [bigram, position] : bigrams) {
      int first = -1;  // the query word the bigram starts with
      for (std::size_t i = 0; i < words.size(); ++i) {
        if (words[i].position == position) first = first_word + static_cast<int>(i);
      }
      TIM_RETURN_IF_ERROR(AddBigram(fields, bigram, BigramWeight(first), false, &m));
    }
    for (std::size_t j = 0; j < fields.size(); ++j) {
      std::vector<int> folded;
      for (const auto& ids : by_word) folded.push_back(ids[j]);
      // A field missing one of the words cannot hold the phrase.
      if (std::find(folded.begin(), folded.end(), -1) == folded.end()) {
        m.phrase.push_back(std::move(folded));
      }
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
            kids[i].field != kids[i + 1].field || words_only_) {
          continue;
        }
        const std::string bigram = kids[i].folded + " " + kids[i + 1].folded;
        explicit_field_ = !kids[i].field.empty();
        negated_ = negated;
        TIM_RETURN_IF_ERROR(
            AddBigram(Fields(kids[i].field), bigram, BigramWeight(kids[i].first_word), false, &m));
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
      p.positive = GroupsOf(r.score);
      return;
    }
    if (r.kind == MatchNode::Kind::kPhrase) {
      p.shape = Plan::Shape::kAnd;
      RequirePhrase(r);
      p.positive = GroupsOf(r.score);
      return;
    }
    if (r.kind != MatchNode::Kind::kBool) return;
    bool must = false;
    for (const auto& [occur, c] : r.clauses) {
      // A required phrase is its words, required, and their positions
      // checked (Plan::phrases); a phrase elsewhere needs the generic tree.
      const bool required_phrase = c.kind == MatchNode::Kind::kPhrase && occur == Occur::kMust;
      if (c.kind != MatchNode::Kind::kTerm && !required_phrase) return;
      must |= occur == Occur::kMust;
    }
    p.shape = must ? Plan::Shape::kAnd : Plan::Shape::kOr;
    for (const auto& [occur, c] : r.clauses) {
      switch (occur) {
        case Occur::kMust:
          if (c.kind == MatchNode::Kind::kPhrase) {
            RequirePhrase(c);
          } else {
            p.required.push_back(c.match);
          }
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
    p.positive = GroupsOf(p.positive);
  }

  // A required phrase in a flat AND: each word is required (in any field
  // that holds every word; none: nothing matches), and the positions are
  // checked for the candidates that can enter the top k.
  void RequirePhrase(const MatchNode& m) {
    Plan& p = *plan_;
    for (std::size_t i = 0; i < m.offsets.size(); ++i) {
      std::vector<int> word;
      for (const std::vector<int>& field : m.phrase) word.push_back(field[i]);
      std::sort(word.begin(), word.end());
      p.required.push_back(std::move(word));
    }
    p.phrases.push_back(PhraseCheck{m.phrase, m.offsets});
  }

  // The groups of some specs, once each, in order.
  std::vector<int> GroupsOf(const std::vector<int>& specs) const {
    std::vector<int> out;
    for (int spec : specs) out.push_back(plan_->specs[spec].group);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  const internal::Snapshot& snap_;
  const Scoring& scoring_;
  const Analyzer& analyzer_;
  const SearchOptions& options_;
  const StatsView& stats_;
  Plan* plan_;
  bool words_only_ = false;
  Analysis analysis_;
  std::vector<QueryWordForms> forms_;  // every word of the query, in order
  std::vector<WordRole> roles_;        // what each of them is
  int next_chain_ = 0;
  bool explicit_field_ = false;  // the node being built names its field
  bool negated_ = false;         // the node being built is under a NOT
  float scale_ = 1.0f;           // the product of the weights above the node being built
  std::string field_;            // the field it searches ("" = every field)
};

}  // namespace

Status BuildPlan(const internal::Snapshot& snap, const Scoring& scoring, const Analyzer& analyzer,
                 const ParsedQuery& parsed, const SearchOptions& options, const StatsView& stats,
                 Plan* plan) {
  *plan = Plan();
  if (parsed.empty) {
    return Status::InvalidArgument(
        "the query has no word to search for (only exclusions or operators)");
  }
  Planner planner(snap, scoring, analyzer, options, stats, plan);
  return planner.Run(parsed);
}

Status BuildWordPlan(const internal::Snapshot& snap, const Scoring& scoring,
                     const Analyzer& analyzer, const ParsedQuery& parsed, Plan* plan) {
  *plan = Plan();
  if (parsed.empty) {
    return Status::InvalidArgument(
        "the query has no word to search for (only exclusions or operators)");
  }
  const SearchOptions options;
  const StatsView local;
  Planner planner(snap, scoring, analyzer, options, local, plan, /*words_only=*/true);
  return planner.Run(parsed);
}

}  // namespace tim::query
