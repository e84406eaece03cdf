#include "codec/message.h"

namespace tim::codec {

Status MessageReader::Open(std::string_view bytes, std::string_view magic, std::uint64_t version,
                           std::string_view what) {
  what_ = std::string(what) + " (" + std::to_string(bytes.size()) + " bytes)";
  if (bytes.size() < magic.size() + 8 || bytes.substr(0, magic.size()) != magic) {
    return Status::Corruption(what_ + ": not " + std::string(what) + " (no \"" +
                              std::string(magic) + "\" header)");
  }
  const std::string_view body = bytes.substr(0, bytes.size() - 8);
  if (ChecksumMismatch(DecodeFixed64(bytes.data() + body.size()), Checksum(body))) {
    return Status::Corruption(what_ + ": bad checksum (damaged or truncated)");
  }
  begin_ = body.data();
  p_ = begin_ + magic.size();
  limit_ = begin_ + body.size();
  ok_ = true;
  const std::uint64_t v = Number();
  if (ok_ && v != version) {
    return Status::NotSupported(what_ + ": version " + std::to_string(v) +
                                ", this tim reads version " + std::to_string(version));
  }
  if (!ok_) return Finish();
  return Status::OK();
}

std::uint64_t MessageReader::Number() {
  std::uint64_t v = 0;
  const char* next = ok_ ? GetVarint64(p_, limit_, &v) : nullptr;
  if (next == nullptr) {
    Fail();
    return 0;
  }
  p_ = next;
  return v;
}

std::uint64_t MessageReader::Count(std::uint64_t min_bytes) {
  const std::uint64_t n = Number();
  if (ok_ && n > static_cast<std::uint64_t>(limit_ - p_) / min_bytes) {
    Fail();
    return 0;
  }
  return n;
}

std::string MessageReader::String() {
  const std::uint64_t n = Number();
  if (!ok_ || n > static_cast<std::uint64_t>(limit_ - p_)) {
    Fail();
    return std::string();
  }
  std::string s(p_, n);
  p_ += n;
  return s;
}

std::uint8_t MessageReader::Byte() {
  if (!ok_ || p_ >= limit_) {
    Fail();
    return 0;
  }
  return static_cast<std::uint8_t>(*p_++);
}

std::uint32_t MessageReader::Fixed32() {
  if (!ok_ || limit_ - p_ < 4) {
    Fail();
    return 0;
  }
  const std::uint32_t v = DecodeFixed32(p_);
  p_ += 4;
  return v;
}

void MessageReader::Fail() {
  if (ok_) failed_at_ = static_cast<std::size_t>(p_ - begin_);
  ok_ = false;
}

Status MessageReader::Finish() {
  if (ok_ && !AtEnd()) Fail();
  if (!ok_) {
    return Status::Corruption(what_ + ": malformed at byte " + std::to_string(failed_at_));
  }
  return Status::OK();
}

}  // namespace tim::codec
