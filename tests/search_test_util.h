// A small index to search in tests: add documents, commit, search.
#ifndef TIM_TESTS_SEARCH_TEST_UTIL_H_
#define TIM_TESTS_SEARCH_TEST_UTIL_H_

#include <memory>
#include <string>
#include <vector>

#include "test_util.h"
#include "tim/index.h"
#include "tim/search.h"

namespace tim::testing {

class SearchIndex {
 public:
  explicit SearchIndex(RankingOptions ranking = {}) : ranking_(ranking) {
    IndexOptions o;
    o.threads = 1;
    EXPECT_TRUE(IsOk(IndexWriter::Open(dir_.path(), o, &writer_)));
  }
  void Add(const std::string& id, const std::string& title, const std::string& body) {
    Document d;
    d.id = id;
    if (!title.empty()) d.fields.emplace_back("title", title);
    d.fields.emplace_back("body", body);
    EXPECT_TRUE(IsOk(writer_->AddDocument(d)));
  }
  void Delete(const std::string& id) { EXPECT_TRUE(IsOk(writer_->DeleteDocument(id))); }
  // Commits and opens a searcher on the new commit.
  void Commit() {
    EXPECT_TRUE(IsOk(writer_->Commit()));
    searcher_.reset();
    EXPECT_TRUE(IsOk(IndexReader::Open(dir_.path(), {}, &reader_)));
    EXPECT_TRUE(IsOk(Searcher::Open(reader_.get(), ranking_, &searcher_)));
  }
  IndexWriter& writer() { return *writer_; }
  const std::string& dir() const { return dir_.path(); }
  const Searcher& searcher() const { return *searcher_; }
  const IndexReader& reader() const { return *reader_; }

  SearchResults Search(const std::string& q, SearchOptions o = {}) const {
    SearchResults r;
    const Status s = searcher_->Search(q, o, &r);
    EXPECT_TRUE(IsOk(s)) << q;
    return r;
  }
  std::vector<std::string> Ids(const std::string& q, SearchOptions o = {}) const {
    std::vector<std::string> ids;
    for (const Hit& h : Search(q, o).hits) ids.push_back(h.id);
    return ids;
  }

 private:
  RankingOptions ranking_;
  TempDir dir_;
  std::unique_ptr<IndexWriter> writer_;
  std::unique_ptr<IndexReader> reader_;
  std::unique_ptr<Searcher> searcher_;
};

}  // namespace tim::testing

#endif  // TIM_TESTS_SEARCH_TEST_UTIL_H_
