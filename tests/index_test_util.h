// Helpers for the index tests: random Vietnamese documents, and a reference
// index built straight from the analyzer.

#ifndef TIM_TESTS_INDEX_TEST_UTIL_H_
#define TIM_TESTS_INDEX_TEST_UTIL_H_

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "test_util.h"
#include "tim/document.h"
#include "tim/index.h"

namespace tim::testing {

// Random documents of real Vietnamese words, with the tricky spellings
// (gi, qu, uơ, ươ, Đ, Ð, NFD text, old and new tone placement, codes).
class DocGenerator {
 public:
  explicit DocGenerator(std::uint32_t seed) : rng_(seed) {}
  std::string Text(int min_words, int max_words);
  Document Make(const std::string& id);

 private:
  std::mt19937 rng_;
};

// term key -> document id -> (frequency, positions; positions only for
// folded terms). Term keys are field name + '\0' + kind digit + term.
using PostingMap =
    std::map<std::string,
             std::map<std::string, std::pair<std::uint32_t, std::vector<std::uint32_t>>>>;

struct ReferenceIndex {
  PostingMap postings;
  std::map<std::string, std::map<std::string, std::uint32_t>> lengths;  // id -> field -> words
  std::map<std::string, Document> docs;
};

// What the index should hold for these live documents.
ReferenceIndex BuildReference(const std::map<std::string, Document>& live);
// What the reader's commit holds, in the same shape.
ReferenceIndex ReadBack(const IndexReader& reader);

}  // namespace tim::testing

#endif  // TIM_TESTS_INDEX_TEST_UTIL_H_
