#include "analysis/vietnamese.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <bitset>
#include <cstring>
#include <string_view>

#include "util/utf8.h"

namespace tim::analysis {

namespace {

// Vowel bases in a fixed order, for the compose table.
int VowelIndex(char base) {
  switch (base) {
    case 'a': return 0;
    case 'e': return 1;
    case 'i': return 2;
    case 'o': return 3;
    case 'u': return 4;
    case 'y': return 5;
    default: return -1;
  }
}

bool IsVowel(const Letter& l) { return VowelIndex(l.base) >= 0; }

bool ModFitsBase(std::uint8_t mod, char base) {
  switch (mod) {
    case kCircumflex: return base == 'a' || base == 'e' || base == 'o';
    case kBreve: return base == 'a';
    case kHorn: return base == 'o' || base == 'u';
    default: return false;
  }
}

// The 12 vowel letters as 4-bit codes (0 = none), for cluster keys.
int VowelCode(const Letter& l) {
  switch (l.base) {
    case 'a': return l.mod == kNoMod ? 1 : l.mod == kBreve ? 2 : 3;
    case 'e': return l.mod == kNoMod ? 4 : 5;
    case 'i': return 6;
    case 'o': return l.mod == kNoMod ? 7 : l.mod == kCircumflex ? 8 : 9;
    case 'u': return l.mod == kNoMod ? 10 : 11;
    case 'y': return 12;
    default: return 0;
  }
}

struct DecodeEntry {
  Letter letter;
  bool valid = false;
};

// Tables derived from ICU's Unicode data at first use, so they always agree
// with the ICU this build links (tests check every entry round-trips).
struct Tables {
  // Code points U+0000..U+025F (through ɖ U+0256) and U+1E00..U+1EFF.
  std::array<DecodeEntry, 0x260> low;
  std::array<DecodeEntry, 0x100> extended;
  // compose[vowel][mod][tone]: the precomposed lowercase letter, UTF-8.
  char compose[6][4][6][4] = {};
  std::uint8_t compose_size[6][4][6] = {};
  // Valid vowel clusters (nuclei with their glides), keyed by VowelCode()s.
  std::bitset<4096> clusters;

  Tables();
  const DecodeEntry* Find(char32_t cp) const {
    if (cp < low.size()) return &low[cp];
    if (cp >= 0x1E00 && cp < 0x1F00) return &extended[cp - 0x1E00];
    return nullptr;
  }
  void AddCluster(std::string_view utf8);
};

void Tables::AddCluster(std::string_view utf8) {
  int key = 0, shift = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  while (p < end) {
    char32_t cp;
    bool valid;
    p += utf8::Decode(p, end, &cp, &valid);
    const DecodeEntry* e = Find(cp);
    key |= VowelCode(e->letter) << shift;
    shift += 4;
  }
  clusters.set(key);
}

Tables::Tables() {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(err);
  auto fill = [&](char32_t cp, DecodeEntry* e) {
    if (cp < 0x80) {
      if (cp >= 'a' && cp <= 'z') *e = {{static_cast<char>(cp), kNoMod, kNoTone}, true};
      if (cp >= 'A' && cp <= 'Z') *e = {{static_cast<char>(cp - 'A' + 'a'), kNoMod, kNoTone}, true};
      if (cp >= '0' && cp <= '9') *e = {{static_cast<char>(cp), kNoMod, kNoTone}, true};
      const int v = VowelIndex(static_cast<char>(cp));
      if (v >= 0) {
        compose[v][kNoMod][kNoTone][0] = static_cast<char>(cp);
        compose_size[v][kNoMod][kNoTone] = 1;
      }
      return;
    }
    // đ, Đ and the look-alikes copy-pasted Vietnamese text contains.
    if (cp == 0x0110 || cp == 0x0111 || cp == 0x00D0 || cp == 0x00F0 || cp == 0x0189 ||
        cp == 0x0256) {
      *e = {{'d', kStroke, kNoTone}, true};
      return;
    }
    if (U_FAILURE(err)) return;
    const UChar32 lower = u_tolower(static_cast<UChar32>(cp));
    // Only where full lowercasing is the simple one-to-one mapping: İ
    // (U+0130) lowercases to i + U+0307 and must take the ICU path.
    icu::UnicodeString full(static_cast<UChar32>(cp));
    if (full.toLower(icu::Locale::getRoot()) != icu::UnicodeString(lower)) return;
    icu::UnicodeString d = nfd->normalize(icu::UnicodeString(lower), err);
    if (U_FAILURE(err) || d.length() == 0) return;
    const UChar32 base = d.char32At(0);
    if (base < 'a' || base > 'z') return;
    Letter l{static_cast<char>(base), kNoMod, kNoTone};
    for (int32_t i = U16_LENGTH(base); i < d.length(); i = d.moveIndex32(i, 1)) {
      std::uint8_t mod, tone;
      if (!DecodeMark(static_cast<char32_t>(d.char32At(i)), &mod, &tone)) return;
      if ((mod != kNoMod && l.mod != kNoMod) || (tone != kNoTone && l.tone != kNoTone)) return;
      if (!ApplyMark(mod, tone, &l)) return;
    }
    *e = {l, true};
    const int v = VowelIndex(l.base);
    if (static_cast<UChar32>(cp) == lower && v >= 0) {
      std::string bytes;
      utf8::Append(cp, &bytes);
      std::memcpy(compose[v][l.mod][l.tone], bytes.data(), bytes.size());
      compose_size[v][l.mod][l.tone] = static_cast<std::uint8_t>(bytes.size());
    }
  };
  for (char32_t cp = 0; cp < low.size(); ++cp) fill(cp, &low[cp]);
  for (char32_t cp = 0; cp < extended.size(); ++cp) fill(0x1E00 + cp, &extended[cp]);

  // Every nucleus of Vietnamese with its medial and glide letters.
  for (std::string_view c : {"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"}) {
    AddCluster(c);
  }
  for (std::string_view c :
       {"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi",
        "oo", "ôi", "ơi", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê"}) {
    AddCluster(c);
  }
  for (std::string_view c :
       {"iêu", "oai", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu"}) {
    AddCluster(c);
  }
}

const Tables& GetTables() {
  static const Tables tables;
  return tables;
}

// Up to three consonant letters packed into an integer, first letter in the
// low byte, đ written as 'D'.
constexpr std::uint32_t Pack(const char* s) {
  std::uint32_t key = 0;
  for (int i = 0; s[i] != '\0'; ++i) key |= static_cast<std::uint32_t>(s[i]) << (8 * i);
  return key;
}

// Packs letters[0, n) when all are consonants without tone; false otherwise
// (a vowel, a digit, more than three letters).
bool ConsonantKey(const Letter* letters, std::size_t n, std::uint32_t* key) {
  if (n > 3) return false;
  *key = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Letter& l = letters[i];
    if (l.base < 'a' || l.base > 'z' || IsVowel(l) || l.tone != kNoTone) return false;
    char c = l.base;
    if (l.mod == kStroke) {
      c = 'D';
    } else if (l.mod != kNoMod) {
      return false;
    }
    *key |= static_cast<std::uint32_t>(c) << (8 * i);
  }
  return true;
}

constexpr std::uint32_t kInitials[] = {
    Pack(""),   Pack("b"),  Pack("c"), Pack("ch"), Pack("d"),  Pack("D"), Pack("g"),
    Pack("gh"), Pack("h"),  Pack("k"), Pack("kh"), Pack("l"),  Pack("m"), Pack("n"),
    Pack("ng"), Pack("nh"), Pack("p"), Pack("ph"), Pack("r"),  Pack("s"), Pack("t"),
    Pack("th"), Pack("tr"), Pack("v"), Pack("x"),  Pack("ngh")};
// 'k' ends the highland names Đắk, Lắk; it does not change where tones go.
constexpr std::uint32_t kFinals[] = {Pack(""),  Pack("c"),  Pack("ch"), Pack("k"), Pack("m"),
                                     Pack("n"), Pack("ng"), Pack("nh"), Pack("p"), Pack("t")};

template <std::size_t N>
bool Contains(const std::uint32_t (&set)[N], std::uint32_t key) {
  for (std::uint32_t k : set) {
    if (k == key) return true;
  }
  return false;
}

}  // namespace

bool DecodeLetter(char32_t cp, Letter* letter) {
  const DecodeEntry* e = GetTables().Find(cp);
  if (e == nullptr || !e->valid) return false;
  *letter = e->letter;
  return true;
}

bool DecodeMark(char32_t cp, std::uint8_t* mod, std::uint8_t* tone) {
  *mod = kNoMod;
  *tone = kNoTone;
  switch (cp) {
    case 0x0300:
    case 0x0340: *tone = kGrave; return true;
    case 0x0301:
    case 0x0341: *tone = kAcute; return true;
    case 0x0309: *tone = kHook; return true;
    case 0x0303: *tone = kTilde; return true;
    case 0x0323: *tone = kDot; return true;
    case 0x0302: *mod = kCircumflex; return true;
    case 0x0306: *mod = kBreve; return true;
    case 0x031B: *mod = kHorn; return true;
    default: return false;
  }
}

bool ApplyMark(std::uint8_t mod, std::uint8_t tone, Letter* letter) {
  if (mod != kNoMod) {
    if (!ModFitsBase(mod, letter->base)) return false;
    if (letter->mod != kNoMod && letter->mod != mod) return false;
    letter->mod = mod;
  }
  if (tone != kNoTone) {
    if (!IsVowel(*letter)) return false;
    if (tone > letter->tone) letter->tone = tone;
  }
  return true;
}

namespace {

// Splits letters[0, n) into initial, vowels [*vowel_begin, *vowel_end) and
// final; false when they are not one Vietnamese syllable (an initial, a
// final or a vowel cluster the language does not have).
bool ParseSyllable(const Letter* letters, std::size_t n, std::size_t* vowel_begin,
                   std::size_t* vowel_end) {
  // The longest syllable, "nghiêng", has 7 letters.
  if (n == 0 || n > 8) return false;
  // Initial consonant. In "qu" the u, and in "gi" before another vowel the
  // i, belong to the initial ("quý", "già"); "gì", "gìn" keep i as vowel.
  std::size_t i = 0;
  std::uint32_t key;
  auto plain = [&](std::size_t k, char base) {
    return k < n && letters[k].base == base && letters[k].mod == kNoMod;
  };
  if (plain(0, 'q') && plain(1, 'u')) {
    i = 2;
  } else if (plain(0, 'g') && plain(1, 'i')) {
    i = (n > 2 && IsVowel(letters[2])) ? 2 : 1;
  } else {
    while (i < n && !IsVowel(letters[i])) ++i;
    if (!ConsonantKey(letters, i, &key) || !Contains(kInitials, key)) return false;
  }
  std::size_t j = i;
  while (j < n && IsVowel(letters[j])) ++j;
  const std::size_t vowels = j - i;
  if (vowels == 0 || vowels > 3) return false;
  if (!ConsonantKey(letters + j, n - j, &key) || !Contains(kFinals, key)) return false;
  int cluster = 0;
  for (std::size_t k = i; k < j; ++k) cluster |= VowelCode(letters[k]) << (4 * (k - i));
  if (!GetTables().clusters.test(cluster)) return false;
  *vowel_begin = i;
  *vowel_end = j;
  return true;
}

}  // namespace

bool IsSyllable(const Letter* letters, std::size_t n) {
  std::size_t i, j;
  return ParseSyllable(letters, n, &i, &j);
}

bool PlaceTone(Letter* letters, std::size_t n) {
  if (n == 0 || n > 8) return false;
  int last_toned = -1, toned = 0, vowels_seen = 0;
  for (std::size_t k = 0; k < n; ++k) {
    vowels_seen += IsVowel(letters[k]);
    if (letters[k].tone != kNoTone) {
      last_toned = static_cast<int>(k);
      ++toned;
    }
  }
  // Most syllables have one vowel, and a tone can only sit on a vowel.
  if (toned == 0 || (toned == 1 && vowels_seen == 1)) return false;
  std::size_t i, j;
  if (!ParseSyllable(letters, n, &i, &j)) return false;
  const std::size_t vowels = j - i;

  // The canonical vowel: the (last) one with a modifier; else the last vowel
  // of a closed syllable; else the middle of three; else the first (the
  // "hòa, thủy" convention, the more common one in our corpus).
  std::size_t target = i;
  bool has_mod = false;
  for (std::size_t k = i; k < j; ++k) {
    if (letters[k].mod != kNoMod) {
      target = k;
      has_mod = true;
    }
  }
  if (!has_mod) {
    if (j < n) {
      target = j - 1;
    } else if (vowels == 3) {
      target = i + 1;
    }
  }
  if (toned == 1 && static_cast<std::size_t>(last_toned) == target) return false;
  const std::uint8_t tone = letters[last_toned].tone;
  for (std::size_t k = 0; k < n; ++k) letters[k].tone = kNoTone;
  letters[target].tone = tone;
  return true;
}

void AppendExact(const Letter* letters, std::size_t n, std::string* out) {
  const Tables& t = GetTables();
  // Every letter takes at most 3 bytes: size once, write, trim.
  const std::size_t at = out->size();
  out->resize(at + 3 * n + 1);  // +1: each copy moves 4 bytes
  char* const begin = &(*out)[at];
  char* p = begin;
  for (std::size_t k = 0; k < n; ++k) {
    const Letter& l = letters[k];
    const int v = VowelIndex(l.base);
    if (v >= 0) {
      const std::uint8_t size = t.compose_size[v][l.mod][l.tone];
      std::memcpy(p, t.compose[v][l.mod][l.tone], 4);
      p += size;
    } else if (l.mod == kStroke) {
      *p++ = '\xC4';  // đ U+0111
      *p++ = '\x91';
    } else {
      *p++ = l.base;
    }
  }
  out->resize(at + static_cast<std::size_t>(p - begin));
}

void AppendFolded(const Letter* letters, std::size_t n, std::string* out) {
  for (std::size_t k = 0; k < n; ++k) out->push_back(letters[k].base);
}

}  // namespace tim::analysis
