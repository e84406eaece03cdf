#include "index/language_model_entry.h"

#include <algorithm>

#include "codec/varint.h"

namespace tim::index {

namespace lm {

namespace {

const char* GetCounts(const char* p, const char* limit, LmCounts* c) {
  std::uint64_t v = 0;
  p = codec::GetVarint64(p, limit, &v);
  if (p == nullptr) return nullptr;
  c->other = v >> 1;
  c->title = 0;
  if ((v & 1) == 0) return p;
  p = codec::GetVarint64(p, limit, &c->title);
  return p != nullptr && c->title > 0 ? p : nullptr;
}

}  // namespace

bool Kept(const LmCounts& c, std::uint64_t min_other) {
  return c.title > 0 || c.other >= min_other;
}

void PutCounts(std::string* dst, const LmCounts& c) {
  codec::PutVarint64(dst, (c.other << 1) | (c.title > 0 ? 1 : 0));
  if (c.title > 0) codec::PutVarint64(dst, c.title);
}

std::size_t Syllables(std::string_view key) {
  return static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1;
}

Status Bad(const std::string& file, std::string_view key, const char* what) {
  return Status::Corruption(file + ": language model entry \"" + std::string(key) + "\": " + what);
}

Status DecodeRaw(const std::string& file, std::string_view key, std::string_view value,
                 std::vector<RawVariant>* out) {
  out->clear();
  const std::size_t k = Syllables(key);
  if (k > static_cast<std::size_t>(kLmOrder)) {
    return Bad(file, key, "more syllables than the model's order");
  }
  const char* p = value.data();
  const char* limit = p + value.size();
  std::uint64_t n = 0;
  p = codec::GetVarint64(p, limit, &n);
  if (p == nullptr || n == 0 || n > value.size()) return Bad(file, key, "bad variant count");
  out->resize(n);
  for (RawVariant& v : *out) {
    if (k == 1) {
      std::string_view exact;
      p = codec::GetLengthPrefixed(p, limit, &exact);
      if (p == nullptr || exact.empty()) return Bad(file, key, "bad spelling");
      v.exact.assign(exact);
    } else {
      for (std::size_t i = 0; i < k && p != nullptr; ++i)
        p = codec::GetVarint32(p, limit, &v.refs[i]);
    }
    if (p != nullptr) p = GetCounts(p, limit, &v.counts);
    if (p == nullptr) return Bad(file, key, "truncated variant");
  }
  if (p != limit) return Bad(file, key, "trailing bytes");
  return Status::OK();
}

}  // namespace lm

std::vector<std::string_view> SplitWords(std::string_view ngram) {
  std::vector<std::string_view> out;
  for (std::size_t at = 0; at <= ngram.size();) {
    std::size_t space = ngram.find(' ', at);
    if (space == std::string_view::npos) space = ngram.size();
    out.push_back(ngram.substr(at, space - at));
    at = space + 1;
  }
  return out;
}

}  // namespace tim::index
