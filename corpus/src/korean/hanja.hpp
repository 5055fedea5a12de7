// Hanja read in Hangul: libhangul's dictionary (tables.hpp) under panmun's curated tables
// (corpus/korean/readings.tsv for words, abbreviations.tsv for the single characters headlines
// write for a whole word).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "panmun/korean.hpp"

namespace panmun::korean::hanja {

// The character's readings, usual first (金: 금, 김); empty when it has none.
std::vector<char32_t> char_readings(char32_t hanja);
// The reading of a run of Hanja as a word (curated, then the dictionary's exceptions, then each
// character's usual reading); empty when a character has no reading.
std::u32string word_reading(std::u32string_view run);
// The words that `hanja` stands for as an abbreviation in a text of this context (北: 북한;
// 文: 문재인 in a text of 2018), usual first; empty if it is not one.
std::vector<std::u32string> abbreviations(char32_t hanja, const Context& context);

}  // namespace panmun::korean::hanja
