// Every limit tim enforces, in one place. docs/limits.md lists each with
// what happens past it, and tests/limits_test.cc checks them. Two live
// where they are part of a contract or a format: the id length
// (tim::kMaxIdBytes, include/tim/document.h) and the number of fields
// (index::kMaxFields, one byte of a term key: index/segment.h).
#ifndef TIM_UTIL_LIMITS_H_
#define TIM_UTIL_LIMITS_H_

#include <cstddef>

namespace tim::limits {

// ---- Documents.
// A field name's bytes.
inline constexpr std::size_t kMaxFieldNameBytes = 255;
// The most IndexOptions::max_document_bytes may be: field texts are below
// 4 GiB (offsets are 32-bit), and memory says less.
inline constexpr std::size_t kMaxDocumentBytes = std::size_t{1} << 30;
// AnalyzerOptions::max_token_bytes: the analyzer raises less to the
// least, and an index may not be built with more than the most.
inline constexpr std::size_t kMinTokenBytes = 16;
inline constexpr std::size_t kMaxTokenBytes = std::size_t{1} << 20;

// ---- Queries.
// Words read from a query's text (the parser drops the rest, with a note);
// also the words accent restoration and the typing rewrite look at.
inline constexpr std::size_t kMaxQueryWords = 64;
// Nested parentheses in a query's text: deeper groups are read as part of
// the group at this depth, with a note.
inline constexpr std::size_t kMaxQueryTextDepth = 16;
// Nested tim::Query objects, and words and phrases in one: more is
// InvalidArgument.
inline constexpr int kMaxQueryObjectDepth = 32;
inline constexpr std::size_t kMaxQueryObjectLeaves = 1024;
// SearchOptions::k + offset.
inline constexpr std::size_t kMaxResults = 10000;
// Dictionary entries one prefix (`thà*`) reads in one segment.
inline constexpr std::size_t kMaxPrefixScan = 200000;
// Keys of a word read as Telex or VNI: the longest syllable, "nghiêng"
// typed "nghieengf", takes 9; past this a word spells none, so a query of
// one 1 MB word stays cheap.
inline constexpr std::size_t kMaxTypedKeys = 24;
// Bytes of a field analysed to choose a snippet: the passage is chosen
// among the first 64 KiB, which bounds the work per hit.
inline constexpr std::size_t kMaxSnippetBytes = std::size_t{64} << 10;

}  // namespace tim::limits

#endif  // TIM_UTIL_LIMITS_H_
