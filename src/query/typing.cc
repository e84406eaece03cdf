#include "query/typing.h"

#include <utility>
#include <vector>

#include "analysis/vietnamese.h"
#include "util/limits.h"

namespace tim::query {
namespace {

using analysis::Letter;

bool IsVowelBase(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// A word being decoded: its letters, the tone keyed so far, whether any key
// changed anything.
struct Keyed {
  std::vector<Letter> letters;
  std::uint8_t tone = analysis::kNoTone;
  bool used_key = false;
  bool bad = false;              // a key that cannot apply: not a typed syllable
  bool free_circumflex = false;  // a Telex aa/ee/oo key typed after a consonant

  bool HasVowel() const {
    for (const Letter& l : letters) {
      if (IsVowelBase(l.base)) return true;
    }
    return false;
  }

  // [begin, end) of the last run of vowels.
  void VowelRun(std::size_t* begin, std::size_t* end) const {
    std::size_t e = letters.size();
    while (e > 0 && !IsVowelBase(letters[e - 1].base)) --e;
    std::size_t b = e;
    while (b > 0 && IsVowelBase(letters[b - 1].base)) --b;
    *begin = b;
    *end = e;
  }

  void Append(char c) { letters.push_back(Letter{c, analysis::kNoMod, analysis::kNoTone}); }

  void Tone(std::uint8_t t) {
    if (!HasVowel()) {
      bad = true;
      return;
    }
    tone = t;
    used_key = true;
  }

  // Circumflex on the last plain `base` (a, e or o; 0: any of them) of the
  // vowel run. With `strict` (Telex, where the key is also a letter), a key
  // after a final consonant ("vietej") counts only when a tone key is
  // typed too: "Congo" stays.
  bool Circumflex(char base, bool strict = false) {
    std::size_t b, e;
    VowelRun(&b, &e);
    for (std::size_t k = e; k > b; --k) {
      Letter& l = letters[k - 1];
      const bool fits =
          base == 0 ? (l.base == 'a' || l.base == 'e' || l.base == 'o') : l.base == base;
      if (fits && l.mod == analysis::kNoMod) {
        if (strict && e != letters.size()) free_circumflex = true;
        l.mod = analysis::kCircumflex;
        used_key = true;
        return true;
      }
    }
    return false;
  }

  // Horn (ơ ư; "uo" takes it on both) or, on a, breve.
  bool Horn(bool breve_too) {
    std::size_t b, e;
    VowelRun(&b, &e);
    for (std::size_t k = b; k + 1 < e; ++k) {
      if (letters[k].base == 'u' && letters[k + 1].base == 'o' &&
          letters[k].mod == analysis::kNoMod && letters[k + 1].mod == analysis::kNoMod &&
          !(k > 0 && letters[k - 1].base == 'q')) {
        letters[k].mod = letters[k + 1].mod = analysis::kHorn;
        used_key = true;
        return true;
      }
    }
    // "uu" takes the horn on its first u (ưu).
    for (std::size_t k = b; k + 1 < e; ++k) {
      if (letters[k].base == 'u' && letters[k + 1].base == 'u' &&
          letters[k].mod == analysis::kNoMod) {
        letters[k].mod = analysis::kHorn;
        used_key = true;
        return true;
      }
    }
    for (std::size_t k = e; k > b; --k) {
      Letter& l = letters[k - 1];
      if (l.mod != analysis::kNoMod) continue;
      if (l.base == 'o' || (l.base == 'u' && !(k >= 2 && letters[k - 2].base == 'q'))) {
        l.mod = analysis::kHorn;
        used_key = true;
        return true;
      }
      if (breve_too && l.base == 'a') {
        l.mod = analysis::kBreve;
        used_key = true;
        return true;
      }
    }
    return false;
  }

  bool Breve() {
    std::size_t b, e;
    VowelRun(&b, &e);
    for (std::size_t k = e; k > b; --k) {
      if (letters[k - 1].base == 'a' && letters[k - 1].mod == analysis::kNoMod) {
        letters[k - 1].mod = analysis::kBreve;
        used_key = true;
        return true;
      }
    }
    return false;
  }

  // Stroke on the initial d (đ).
  bool Stroke() {
    if (!letters.empty() && letters[0].base == 'd' && letters[0].mod == analysis::kNoMod) {
      letters[0].mod = analysis::kStroke;
      used_key = true;
      return true;
    }
    return false;
  }

  // The syllable, or "" when the keys do not spell one.
  std::string Finish() {
    if (bad || !used_key || letters.empty()) return "";
    if (free_circumflex && tone == analysis::kNoTone) return "";
    std::size_t b, e;
    VowelRun(&b, &e);
    if (b == e) return "";
    // A stop final takes only sắc or nặng.
    const char last = letters.back().base;
    const bool stop =
        !IsVowelBase(last) &&
        (last == 'c' || last == 'p' || last == 't' ||
         (last == 'h' && letters.size() >= 2 && letters[letters.size() - 2].base == 'c'));
    if (stop && tone != analysis::kAcute && tone != analysis::kDot) return "";
    if (!analysis::IsSyllable(letters.data(), letters.size())) return "";
    letters[b].tone = tone;
    analysis::PlaceTone(letters.data(), letters.size());
    std::string out;
    analysis::AppendExact(letters.data(), letters.size(), &out);
    return out;
  }
};

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string DecodeTelex(std::string_view word) {
  if (word.size() > limits::kMaxTypedKeys) return "";
  Keyed k;
  // The keyboard's undo (Unikey and the platform keyboards): a tone key
  // when the same key put the word's tone, or a mark key typed again right
  // after it put its mark, takes the mark off and is typed as a letter;
  // the rest of the word is letters as typed. So "aff" is "af", "boss"
  // "bos", "ddd" "dd", "aaa" "aa" (no syllable: the word stays as typed),
  // and "xooong" is "xoong".
  bool literal = false;
  char tone_key = 0;  // the key that put the current tone
  char marked = 0;    // the previous key, when it put a mark
  Keyed before_mark;  // the word before that mark
  Keyed scratch;
  for (char raw : word) {
    const char c = Lower(raw);
    if (c < 'a' || c > 'z') return "";
    if (literal) {
      k.Append(c);
      continue;
    }
    const bool tone = c == 's' || c == 'f' || c == 'r' || c == 'x' || c == 'j';
    if ((tone && c == tone_key) || (!tone && c == marked)) {
      if (tone) {
        k.tone = analysis::kNoTone;
      } else {
        k = before_mark;
      }
      k.Append(c);
      k.used_key = true;
      literal = true;
      continue;
    }
    marked = 0;
    // The word before a key that may put a mark (copied into a buffer
    // reused from key to key).
    if (c == 'w' || c == 'd' || c == 'a' || c == 'e' || c == 'o') {
      scratch = k;
    }
    switch (c) {
      case 's': k.HasVowel() ? k.Tone(analysis::kAcute) : k.Append(c); break;
      case 'f': k.HasVowel() ? k.Tone(analysis::kGrave) : k.Append(c); break;
      case 'r': k.HasVowel() ? k.Tone(analysis::kHook) : k.Append(c); break;
      case 'x': k.HasVowel() ? k.Tone(analysis::kTilde) : k.Append(c); break;
      case 'j': k.HasVowel() ? k.Tone(analysis::kDot) : k.Append(c); break;
      case 'z':  // clears a tone keyed before; alone it changes nothing
        if (k.HasVowel()) {
          k.tone = analysis::kNoTone;
          tone_key = 0;
        } else {
          k.Append(c);
        }
        break;
      case 'w':
        if (!k.Horn(true)) {
          // w alone is ư.
          k.letters.push_back(Letter{'u', analysis::kHorn, analysis::kNoTone});
          k.used_key = true;
        }
        marked = c;
        break;
      case 'd':
        if (k.letters.size() == 1 && k.letters[0].base == 'd' && k.Stroke()) {
          marked = c;
          break;
        }
        k.Append(c);
        break;
      case 'a':
      case 'e':
      case 'o':
        if (k.Circumflex(c, true)) {
          marked = c;
        } else {
          k.Append(c);
        }
        break;
      default: k.Append(c);
    }
    if (tone && k.tone != analysis::kNoTone) tone_key = c;
    if (marked != 0) std::swap(before_mark, scratch);
  }
  return k.Finish();
}

std::string DecodeVni(std::string_view word) {
  if (word.size() > limits::kMaxTypedKeys) return "";
  Keyed k;
  bool letters_seen = false;
  int tone_keys = 0;  // more than one: a number ("a320"), not a word
  for (char raw : word) {
    const char c = Lower(raw);
    if (c >= 'a' && c <= 'z') {
      k.Append(c);
      letters_seen = true;
      continue;
    }
    if (c < '0' || c > '9' || !letters_seen) return "";
    bool ok = true;
    if ((c >= '1' && c <= '5') || c == '0') ok = ++tone_keys == 1;
    switch (c) {
      case '1': k.Tone(analysis::kAcute); break;
      case '2': k.Tone(analysis::kGrave); break;
      case '3': k.Tone(analysis::kHook); break;
      case '4': k.Tone(analysis::kTilde); break;
      case '5': k.Tone(analysis::kDot); break;
      case '0': k.tone = analysis::kNoTone; break;
      case '6': ok = k.Circumflex(0); break;
      case '7': ok = k.Horn(false); break;
      case '8': ok = k.Breve(); break;
      case '9': ok = k.Stroke(); break;
      default: break;
    }
    if (!ok) return "";  // a key with nothing to change: a number, not a key
  }
  return k.Finish();
}

}  // namespace tim::query
