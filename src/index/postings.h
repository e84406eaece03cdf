// Postings: for each term, its documents with frequencies (.doc) and, for the
// folded-syllable terms that phrase queries need, the word positions (.pos).
// docs/format.md, "Postings", gives the byte layout; in short:
//
//   - documents come in blocks of 128: doc id deltas bit-packed, then
//     frequencies - 1 bit-packed; the last partial block uses varints;
//   - a list of more than 128 documents starts with a skip table, one entry
//     per block (full or partial): the block's last doc id, its byte length,
//     the largest frequency and the smallest field length in it (what
//     Block-Max WAND needs to bound a block's score for any k1 and b), and the
//     byte length of the block's positions;
//   - a list of one document lives inline in the term dictionary.
//
// Every decoder checks its bounds and reports Corruption naming the file and
// offset, never reading outside the mapped file.

#ifndef TIM_INDEX_POSTINGS_H_
#define TIM_INDEX_POSTINGS_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "tim/status.h"

namespace tim::index {

constexpr std::uint32_t kNoMoreDocs = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t kPostingsBlock = 128;

// What the term dictionary says about a term.
struct TermInfo {
  std::uint32_t doc_freq = 0;
  std::uint64_t total_freq = 0;  // sum of the term's frequencies
  std::uint64_t doc_offset = 0;  // start of the term's list in .doc (doc_freq > 1)
  std::uint64_t doc_bytes = 0;   // its length
  std::uint64_t pos_offset = 0;  // start of the term's positions in .pos
  std::uint64_t pos_bytes = 0;   // their length (0 without positions)
  std::uint32_t single_doc = 0;  // the document, when doc_freq == 1
};

// Term dictionary values: what a TermInfo stores per entry (the offsets are
// sums of the lengths before it in its block, from the block's aux bytes).
void EncodeTermValue(const TermInfo& info, bool positions, std::string* out);
// Decodes an entry's value; *offsets (doc, pos) must hold the offsets of this
// entry's lists and are advanced past them for the next entry of the block.
bool DecodeTermValue(std::string_view value, bool positions, std::uint64_t offsets[2],
                     TermInfo* info);
void EncodeBlockAux(std::uint64_t doc_offset, std::uint64_t pos_offset, std::string* out);
bool DecodeBlockAux(std::string_view aux, std::uint64_t offsets[2]);

// A list of integers: full chunks of 128 bit-packed (a width byte, then the
// packed bits), the rest as varints. Used for positions.
void EncodeInts(const std::uint32_t* values, std::size_t n, std::string* out);
// Decodes exactly n integers; returns nullptr if the bytes are malformed.
const char* DecodeInts(const char* p, const char* limit, std::size_t n, std::uint32_t* out);

// Writes the lists of one segment, term after term.
class PostingsWriter {
 public:
  // Starts a term; its postings follow in increasing doc order.
  void StartTerm(bool positions);
  // `positions` holds tf strictly increasing positions when the term has them.
  void AddDoc(std::uint32_t doc, std::uint32_t tf, std::uint32_t field_len,
              const std::uint32_t* positions);
  // Documents added since StartTerm().
  std::size_t pending_docs() const { return docs_.size(); }
  // Finishes the term: appends its lists to doc_out()/pos_out() and fills *info.
  void FinishTerm(std::uint64_t doc_base, std::uint64_t pos_base, TermInfo* info);

  // Bytes ready for the .doc and .pos files; the caller drains them.
  std::string* doc_out() { return &doc_out_; }
  std::string* pos_out() { return &pos_out_; }

 private:
  void EncodeFullBlock(std::size_t begin);

  bool positions_ = false;
  std::vector<std::uint32_t> docs_, tfs_, lens_, pos_, pos_count_;
  std::string skip_, blocks_, block_pos_;
  std::string doc_out_, pos_out_;
};

// Where a segment's .doc and .pos bytes are (views into mapped files).
struct PostingsSource {
  std::string_view doc_name, pos_name;
  std::string_view doc_file, pos_file;
  std::uint32_t max_doc = 0;  // the segment's document count: every doc id is below it
};

// Reads one term's list. doc() is kNoMoreDocs at the end (and after an error,
// which status() then reports). Not thread-safe; cheap to create.
class PostingsCursor {
 public:
  // `positions` says whether the term's lists carry positions: a property of
  // its kind (HasPositions), which decides the skip table's layout. Positions
  // are decoded only when Positions() asks for them.
  Status Init(const PostingsSource& src, const TermInfo& info, bool positions);

  std::uint32_t doc() const { return doc_; }
  std::uint32_t freq() {
    if (tfs_pending_) DecodeTfs();
    return tfs_[index_];
  }
  std::uint32_t doc_freq() const { return info_.doc_freq; }
  void Next();
  // Moves to the first doc >= target (never backwards).
  void NextGeq(std::uint32_t target);
  // Positions of the current doc (freq() of them, increasing).
  Status Positions(std::vector<std::uint32_t>* out);

  // Block-max data of the block holding the current doc. A list without a
  // skip table (<= 128 docs) reports its last doc / its largest frequency /
  // 0, which still bound every score.
  std::uint32_t block_last_doc() const;
  std::uint32_t block_max_tf() const;
  std::uint32_t block_min_len() const;

  // Term-wide bounds for scoring: the largest frequency and the smallest
  // field length of any posting of the list.
  std::uint32_t max_tf() const { return max_tf_; }
  std::uint32_t min_len() const { return min_len_; }

  // Shallow block-max: the bounds of the block that holds `target` (or the
  // last block, when target is past the list), found in the skip table
  // without decoding the block. Never moves backwards and does not move the
  // cursor; a caller checks shallow_last_doc() >= target.
  void ShallowSeek(std::uint32_t target);
  std::uint32_t shallow_last_doc() const;
  std::uint32_t shallow_max_tf() const;
  std::uint32_t shallow_min_len() const;

  // The largest bound(max_tf, min_len) over the blocks that may hold docs
  // in [target, last], from the skip table (0 when there are none). Moves
  // the shallow block to target's, like ShallowSeek.
  template <typename Bound>
  float MaxBlockBound(std::uint32_t target, std::uint32_t last, Bound bound) {
    if (doc_ == kNoMoreDocs) return 0;
    if (skips_.empty()) return docs_[count_ - 1] >= target ? bound(tail_max_tf_, 0u) : 0.0f;
    ShallowSeek(target);
    float best = 0;
    for (std::size_t b = std::max(shallow_, block_); b < skips_.size(); ++b) {
      const Skip& s = skips_[b];
      if (s.last_doc < target) break;  // only the last block can end before target
      best = std::max(best, bound(s.max_tf, s.min_len));
      if (s.last_doc >= last) break;
    }
    return best;
  }

  // Bulk access for term-at-a-time scoring: the decoded block holding the
  // current doc (block_size() postings from block_docs()/block_tfs()), and
  // NextBlock() to decode the next one (false at the end or on an error).
  const std::uint32_t* block_docs() const { return docs_; }
  const std::uint32_t* block_tfs() {
    if (tfs_pending_) DecodeTfs();
    return tfs_;
  }
  std::size_t block_size() const { return doc_ == kNoMoreDocs ? 0 : count_; }
  bool NextBlock();

  const Status& status() const { return status_; }

 private:
  struct Skip {
    std::uint32_t last_doc, max_tf, min_len;
    std::uint64_t doc_offset, pos_offset;
  };
  bool LoadBlock(std::size_t block);
  bool DecodeTfs();  // the loaded block's frequencies; false (and Fail) on damage
  void Fail(Status s);

  PostingsSource src_;
  TermInfo info_;
  bool has_positions_ = false;
  std::vector<Skip> skips_;
  std::size_t block_ = 0, blocks_ = 0, index_ = 0, count_ = 0;
  std::uint32_t doc_ = kNoMoreDocs;
  std::uint32_t docs_[kPostingsBlock], tfs_[kPostingsBlock];
  std::uint32_t tail_max_tf_ = 0;
  // A full block's packed frequencies, decoded on first use.
  const char* tf_block_ = nullptr;  // the block's frequencies, decoded on demand
  const char* tf_end_ = nullptr;
  bool tfs_pending_ = false;
  std::uint32_t max_tf_ = 0, min_len_ = 0;
  std::size_t shallow_ = 0;  // ShallowSeek's block
  // Positions of the loaded block, decoded on first use.
  bool pos_loaded_ = false;
  std::vector<std::uint32_t> block_pos_;
  std::vector<std::uint64_t> pos_start_;
  Status status_;
};

}  // namespace tim::index

#endif  // TIM_INDEX_POSTINGS_H_
