#include "util/line_reader.h"

#include <zstd.h>

#include <cerrno>
#include <cstring>

namespace tim {

struct LineReader::Zstd {
  ZSTD_DCtx* ctx = ZSTD_createDCtx();
  ZSTD_inBuffer in{nullptr, 0, 0};
  bool frame_done = true;  // the last ZSTD_decompressStream ended a frame
  ~Zstd() { ZSTD_freeDCtx(ctx); }
};

namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix.data(), suffix.size()) == 0;
}

}  // namespace

Status LineReader::Open(const std::string& path, std::unique_ptr<LineReader>* out) {
  if (path == "-") {
    *out = std::make_unique<LineReader>(Key(), path, stdin, false, false);
    return Status::OK();
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IOError(path + ": " + std::strerror(errno));
  *out = std::make_unique<LineReader>(Key(), path, f, true, EndsWith(path, ".zst"));
  return Status::OK();
}

LineReader::LineReader(Key, std::string path, std::FILE* file, bool owns, bool compressed)
    : path_(std::move(path)), file_(file), owns_file_(owns), raw_(1 << 17) {
  if (compressed) zstd_ = std::make_unique<Zstd>();
}

LineReader::~LineReader() {
  if (owns_file_) std::fclose(file_);
}

bool LineReader::Fill() {
  if (eof_ || !status_.ok()) return false;
  // Keep only the unread tail.
  data_.erase(0, pos_);
  pos_ = 0;
  if (!zstd_) {
    const std::size_t n = std::fread(raw_.data(), 1, raw_.size(), file_);
    if (n == 0) {
      if (std::ferror(file_)) status_ = Status::IOError(path_ + ": read failed");
      eof_ = true;
      return false;
    }
    bytes_read_ += n;
    data_.append(raw_.data(), n);
    return true;
  }
  Zstd& z = *zstd_;
  const std::size_t old = data_.size();
  while (data_.size() == old) {
    if (z.in.pos == z.in.size) {
      const std::size_t n = std::fread(raw_.data(), 1, raw_.size(), file_);
      if (n == 0) {
        if (std::ferror(file_)) {
          status_ = Status::IOError(path_ + ": read failed");
        } else if (!z.frame_done) {
          status_ = Status::Corruption(path_ + ": truncated zstd stream");
        }
        eof_ = true;
        return false;
      }
      bytes_read_ += n;
      z.in = ZSTD_inBuffer{raw_.data(), n, 0};
    }
    const std::size_t chunk = ZSTD_DStreamOutSize();
    data_.resize(old + chunk);
    ZSTD_outBuffer o{&data_[old], chunk, 0};
    const std::size_t rc = ZSTD_decompressStream(z.ctx, &o, &z.in);
    data_.resize(old + o.pos);
    if (ZSTD_isError(rc)) {
      status_ = Status::Corruption(path_ + ": zstd: " + ZSTD_getErrorName(rc));
      return false;
    }
    z.frame_done = rc == 0;
  }
  return true;
}

bool LineReader::Next(std::string_view* line) {
  std::size_t scanned = pos_;
  for (;;) {
    const std::size_t nl = data_.find('\n', scanned);
    if (nl != std::string::npos) {
      std::size_t end = nl;
      if (end > pos_ && data_[end - 1] == '\r') --end;
      line_.assign(data_, pos_, end - pos_);
      pos_ = nl + 1;
      ++line_number_;
      *line = line_;
      return true;
    }
    const std::size_t unread = data_.size() - pos_;
    if (!Fill()) {
      if (!status_.ok() || pos_ >= data_.size()) return false;
      // The last line has no '\n'.
      std::size_t end = data_.size();
      if (data_[end - 1] == '\r') --end;
      line_.assign(data_, pos_, end - pos_);
      pos_ = data_.size();
      ++line_number_;
      *line = line_;
      return true;
    }
    scanned = pos_ + unread;  // Fill() moved the unread bytes to pos_ == 0
  }
}

}  // namespace tim
