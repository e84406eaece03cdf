// Reads a text file line by line, decompressing it on the fly when its name
// ends in ".zst". Lines may be of any length; '\n' ends a line and a '\r'
// before it is dropped.

#ifndef TIM_UTIL_LINE_READER_H_
#define TIM_UTIL_LINE_READER_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tim/status.h"

namespace tim {

class LineReader {
 public:
  // Opens `path` ("-" is standard input, never decompressed).
  static Status Open(const std::string& path, std::unique_ptr<LineReader>* out);

  // Only Open() can make the key, so only Open() constructs a LineReader.
  class Key {
    friend class LineReader;
    Key() = default;
  };
  LineReader(Key, std::string path, std::FILE* file, bool owns, bool compressed);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Sets *line to the next line, valid until the next call. Returns false at
  // the end of input or on error; then status() tells which.
  bool Next(std::string_view* line);
  const Status& status() const { return status_; }
  // 1-based number of the line last returned.
  std::uint64_t line_number() const { return line_number_; }
  // Bytes read from the file so far (compressed bytes for .zst).
  std::uint64_t bytes_read() const { return bytes_read_; }

 private:
  struct Zstd;
  // Appends more decompressed bytes to data_; false at end of input.
  bool Fill();

  std::string path_;
  std::FILE* file_;
  bool owns_file_;
  std::unique_ptr<Zstd> zstd_;
  std::vector<char> raw_;
  std::string data_;  // decompressed bytes not yet returned start at pos_
  std::size_t pos_ = 0;
  std::string line_;
  bool eof_ = false;
  Status status_;
  std::uint64_t line_number_ = 0;
  std::uint64_t bytes_read_ = 0;
};

}  // namespace tim

#endif  // TIM_UTIL_LINE_READER_H_
