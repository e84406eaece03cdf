// Messages tim sends between processes (collection statistics, a shard's
// answer; docs/format.md): a four-byte magic, a varint version, a body of
// varints and length-prefixed strings, and the XXH3-64 of every byte before
// it (fixed64). MessageReader decodes a body with every read bounds-checked:
// the first bad read fails it, remembers where, and every later read
// returns zero, so a decoder checks ok() once at the end.
#ifndef TIM_CODEC_MESSAGE_H_
#define TIM_CODEC_MESSAGE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "codec/file_format.h"
#include "codec/varint.h"
#include "tim/status.h"

namespace tim::codec {

inline void PutString(std::string* out, std::string_view s) {
  PutVarint64(out, s.size());
  out->append(s);
}

// Starts a message: the magic and the version.
inline std::string BeginMessage(std::string_view magic, std::uint64_t version) {
  std::string out(magic);
  PutVarint64(&out, version);
  return out;
}

// Ends a message: appends its checksum.
inline void EndMessage(std::string* out) { PutFixed64(out, Checksum(*out)); }

class MessageReader {
 public:
  // Checks the magic, the checksum and the version of `bytes`; `what`
  // names the message in errors ("collection statistics"). Returns OK,
  // Corruption (not such a message, bad checksum) or NotSupported (a newer
  // version than `version`).
  Status Open(std::string_view bytes, std::string_view magic, std::uint64_t version,
              std::string_view what);

  bool ok() const { return ok_; }
  std::uint64_t Number();
  // A count of entries each at least `min_bytes` long: never more than the
  // bytes left could hold, so a damaged count allocates nothing.
  std::uint64_t Count(std::uint64_t min_bytes);
  std::string String();
  std::uint8_t Byte();
  std::uint32_t Fixed32();
  bool AtEnd() const { return p_ == limit_; }
  // Fails the read (a value out of range): the error names this byte.
  void Fail();
  // OK, or Corruption naming the message and the byte where it went wrong,
  // also when bytes are left over.
  Status Finish();

 private:
  const char* p_ = nullptr;
  const char* begin_ = nullptr;
  const char* limit_ = nullptr;
  bool ok_ = true;
  std::size_t failed_at_ = 0;
  std::string what_;
};

}  // namespace tim::codec

#endif  // TIM_CODEC_MESSAGE_H_
