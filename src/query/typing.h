// Words typed in Telex or VNI with the input method off: "vieetj" and
// "vie65t" spell "việt". Decoding is per word; whether a query is rewritten
// is decided against the index (searcher.cc, RewriteTyping).
//
// Telex: s f r x j put the tones sắc huyền hỏi ngã nặng, z clears the tone;
// aa ee oo give â ê ô, aw ow uw give ă ơ ư (uow: ươ), dd gives đ, and w
// alone is ư. Modifier and tone keys may come anywhere after the letter
// they change ("vieejt", "vietej", "vieetj"); a tone key counts only after
// a vowel ("sao" starts with s).
// A key typed again undoes itself, as the keyboards do: a tone key when the
// same key put the tone ("aff": af), a mark key right after it put its mark
// ("ddd": dd, "xooong": xoong); the key and the rest of the word are then
// letters as typed.
// VNI: digits after the letters: 1-5 the tones, 6 circumflex, 7 horn (uo7:
// ươ), 8 breve, 9 đ, 0 clears the tone ("vie65t", "vie6t5", "d9a2").
//
// A decoding counts only when it is one valid Vietnamese syllable (the
// analyzer's rules; a stop final c, ch, p, t takes only sắc or nặng) and at
// least one key was used. A word of more than 24 keys spells none.

#ifndef TIM_QUERY_TYPING_H_
#define TIM_QUERY_TYPING_H_

#include <string>
#include <string_view>

namespace tim::query {

// The syllable `word` spells in Telex, lowercase NFC ("việt"); "" when it
// spells none or uses no key. `word` is ASCII letters; anything else gives "".
std::string DecodeTelex(std::string_view word);
// The same for VNI: ASCII letters followed or interleaved with digits.
std::string DecodeVni(std::string_view word);

}  // namespace tim::query

#endif  // TIM_QUERY_TYPING_H_
