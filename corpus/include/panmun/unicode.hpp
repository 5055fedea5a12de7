// The one Unicode layer of panmun: decoding UTF-8, classifying characters by script and
// category, and their width on a terminal, all on ICU (U8_NEXT, uscript_getScript, u_charType,
// UCHAR_EAST_ASIAN_WIDTH). Every module that looks at characters rather than bytes goes through
// here, so that "Hangul", "a letter" or "a separator" mean one thing everywhere.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace panmun::unicode {

// The code point starting at s[i], advancing i past it. An ill-formed sequence yields
// U+FFFD and advances past the bytes ICU judges to belong to it (at least one).
char32_t next(std::string_view s, std::size_t& i);
// The code point at s[i] without advancing; 0 when i is at the end.
char32_t at(std::string_view s, std::size_t i);
// The code point ending just before s[i], moving i back to its first byte; 0 at the start.
char32_t previous(std::string_view s, std::size_t& i);
// Appends `c` as UTF-8.
void append(std::string& out, char32_t c);
// The length of the well-formed UTF-8 sequence at s[i], or 0 if the bytes there are not one.
std::size_t sequence_length(std::string_view s, std::size_t i);
// True if `s` is well-formed UTF-8 throughout.
bool is_valid(std::string_view s);

// Code points in `s` (ill-formed bytes count as one each).
std::size_t length(std::string_view s);
// Code points before byte `byte` of `s`: JSON readers index strings by code point.
std::size_t chars_before(std::string_view s, std::size_t byte);

// Scripts. Hangul covers syllables, jamo and compatibility jamo; Han the CJK ideographs of
// every block (Hanja in Korean text).
bool is_hangul(char32_t c);
bool is_han(char32_t c);
// The characters panmun indexes as character n-grams rather than as space-separated words.
bool is_ngram(char32_t c);
// True if `s` holds a character of those scripts.
bool has_ngram(std::string_view s);

// General categories.
bool is_letter(char32_t c);
bool is_upper(char32_t c);  // uppercase or titlecase letter
bool is_lower(char32_t c);
bool is_digit(char32_t c);  // decimal digit of any script
bool is_space(char32_t c);  // white space, including U+3000 IDEOGRAPHIC SPACE and NBSP
// Punctuation or symbol: separates words (including CJK and fullwidth punctuation).
bool is_punctuation(char32_t c);

// Levenshtein distance between two strings, counted in code points (for "did you mean").
std::size_t edit_distance(std::string_view a, std::string_view b);

// Terminal cells the character takes: 2 for East Asian wide and fullwidth characters (Hangul,
// Hanja), 0 for combining marks and format characters, else 1.
int width(char32_t c);
// Terminal cells of a string.
std::size_t width(std::string_view s);

}  // namespace panmun::unicode
