#include "fuzz/fuzz_text.h"

#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_util.h"

namespace tim::fuzz {

bool IsUtf8(std::string_view s) {
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < s.size()) {
    const unsigned char c = byte(i);
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c == 0xE0) {
      n = 2, lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      n = 2;
    } else if (c == 0xED) {
      n = 2, hi = 0x9F;
    } else if (c == 0xF0) {
      n = 3, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      n = 3;
    } else if (c == 0xF4) {
      n = 3, hi = 0x8F;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // needs bytes i+1 .. i+n
    if (byte(i + 1) < lo || byte(i + 1) > hi) return false;
    for (std::size_t k = 2; k <= n; ++k) {
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return false;
    }
    i += n + 1;
  }
  return true;
}

std::vector<std::string> TextSeeds() {
  std::vector<std::string> out = {
      "Hà Nội",
      "ha noi",
      "Ha\xCC\x80 No\xCC\xA3\xCC\x82i",  // NFD
      "hoà hòa HOÀ",
      "gìn giữ quốc gia",
      "người ướt mưa",
      "thuở xưa khuớu",
      "Đà Nẵng đ Đ",
      "vieetj nam",
      "vie65t nam",
      "d9a2 na8ng",
      "TP.HCM covid-19 tphcm",
      "\"đô thị thông minh\" +Huế -Gyeongju title:Huế (a OR b) NOT c thàn*",
      "a\xFF\xC3(b\xED\xA0\x80",
      std::string("nul\0byte", 8)};
  for (const Document& doc : CorpusDocuments()) {
    for (const auto& [field, text] : doc.fields) {
      std::size_t start = 0;
      while (start < text.size()) {
        std::size_t end = text.find("\n\n", start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out.push_back(text.substr(start, std::min<std::size_t>(end - start, 600)));
        start = end + 2;
      }
    }
  }
  return out;
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz: broken: %s\n", what);
    std::abort();
  }
}

}  // namespace tim::fuzz
