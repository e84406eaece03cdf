// tim::Status: how every error crosses tim's public API.
//
// A Status is either OK or carries a code and a message naming what went wrong
// and where ("corpus.jsonl:17: expected a string for \"title\""). tim never
// throws across its API: every call that can fail returns a Status (and writes
// its results through pointer arguments), in the style of leveldb.
//
// An OK status holds no allocation, so returning one costs nothing.
// Status is a value type: copyable, movable, thread-compatible.

#ifndef TIM_STATUS_H_
#define TIM_STATUS_H_

#include <memory>
#include <string>
#include <string_view>

#include "tim/export.h"

namespace tim {

class [[nodiscard]] TIM_EXPORT Status {
 public:
  enum class Code : unsigned char {
    kOk = 0,
    kNotFound = 1,
    kCorruption = 2,       // bytes on disk are damaged or not what they claim
    kInvalidArgument = 3,  // the caller's input is malformed (bad UTF-8, bad query)
    kIOError = 4,          // the operating system refused an operation
    kNotSupported = 5,     // e.g. an index written in a format this build cannot read
    kBusy = 6,             // e.g. another writer holds the index lock
  };

  // Creates an OK status.
  Status() noexcept = default;

  static Status OK() { return Status(); }
  static Status NotFound(std::string_view msg) { return Status(Code::kNotFound, msg); }
  static Status Corruption(std::string_view msg) { return Status(Code::kCorruption, msg); }
  static Status InvalidArgument(std::string_view msg) {
    return Status(Code::kInvalidArgument, msg);
  }
  static Status IOError(std::string_view msg) { return Status(Code::kIOError, msg); }
  static Status NotSupported(std::string_view msg) { return Status(Code::kNotSupported, msg); }
  static Status Busy(std::string_view msg) { return Status(Code::kBusy, msg); }

  bool ok() const { return state_ == nullptr; }
  Code code() const { return state_ ? state_->code : Code::kOk; }
  bool IsNotFound() const { return code() == Code::kNotFound; }
  bool IsCorruption() const { return code() == Code::kCorruption; }
  bool IsInvalidArgument() const { return code() == Code::kInvalidArgument; }
  bool IsIOError() const { return code() == Code::kIOError; }
  bool IsNotSupported() const { return code() == Code::kNotSupported; }
  bool IsBusy() const { return code() == Code::kBusy; }

  // The message alone, without the code name; empty for OK.
  const std::string& message() const;

  // "OK", or the code's name followed by the message: "Corruption: seg_1.post: ...".
  std::string ToString() const;

  // Returns a copy whose message is prefixed by `context` and ": ", for adding
  // the file or record name while an error travels up.
  Status WithContext(std::string_view context) const;

  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

 private:
  struct State {
    Code code;
    std::string message;
  };
  Status(Code code, std::string_view msg);

  std::unique_ptr<State> state_;  // null means OK
};

}  // namespace tim

// Evaluates `expr` (a Status) and returns it from the enclosing function if it is not OK.
#define TIM_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::tim::Status tim_status_ = (expr);        \
    if (!tim_status_.ok()) return tim_status_; \
  } while (0)

#endif  // TIM_STATUS_H_
