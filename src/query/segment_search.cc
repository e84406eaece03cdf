#include "query/segment_search.h"

#include "query/algorithms.h"

namespace tim::query {

Status RunSegment(const SegmentSearch& s, TopK* top, std::uint64_t* hits) {
  const Plan::Shape shape = s.plan->shape;
  Algorithm a = s.algorithm;
  if (shape == Plan::Shape::kGeneric) a = Algorithm::kGeneric;
  if (!s.plan->phrases.empty()) {
    // Only MaxScore checks a flat plan's phrases, and only where a document
    // can enter the top k: counting every match, or a reference run, takes
    // the generic evaluator, which checks every candidate.
    a = s.count_all || a == Algorithm::kExhaustive || a == Algorithm::kGeneric
            ? Algorithm::kGeneric
            : Algorithm::kMaxScore;
  }
  switch (a) {
    case Algorithm::kExhaustive: return ExhaustiveSearch(s, top, hits);
    case Algorithm::kGeneric: return GenericSearch(s, top, hits);
    case Algorithm::kConjunctive:
      if (shape == Plan::Shape::kAnd) return ConjunctiveSearch(s, top, hits);
      return MaxScoreSearch(s, top, hits);
    case Algorithm::kAuto:
    case Algorithm::kMaxScore: break;
  }
  return MaxScoreSearch(s, top, hits);
}

}  // namespace tim::query
