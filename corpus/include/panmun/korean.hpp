// Korean as Korean readers write it: the words of a text with their particles set apart, Hanja
// read in Hangul (北 → 북한 in a headline, 南北 → 남북), and both Koreas' spellings brought to one
// (로동 → 노동, 력사 → 역사, 리설주 → 이설주). The index schema (schema.hpp) makes its Korean terms
// from these words, the query builder reads queries with the same analysis, the tagger matches
// Hangul names on them and the snippets mark them. docs/KOREAN.md explains the rules.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "panmun/date.hpp"

namespace panmun::korean {

// Hangul syllables and jamo, and Hanja: the letters this layer reads (unicode::is_ngram).
bool is_korean_letter(char32_t c);
// True if `text` holds a Hangul or Hanja letter.
bool has_korean(std::string_view text);

// A reading of a word that is not its own spelling, from `offset` syllables into the word: the
// country each Hanja of 美中 stands for (미국 at 0, 중국 at 1) beside the word's reading 미중.
struct Alternative {
    std::size_t offset;
    std::u32string reading;
};

// A word of Korean text: a run of Hangul, or a run of Hanja (a change of script ends a word:
// 北김정은 is 北 and 김정은).
struct Word {
    std::size_t begin = 0, end = 0;  // bytes of the whole word in the text, particles included
    std::size_t stem_end = 0;        // bytes: where its particles begin (end if it has none)
    std::u32string stem;             // as written, without particles (Hangul or Hanja)
    // In Hangul as the South spells it (south_spelling of the stem, or the reading of the Hanja);
    // empty for Hanja that have no reading.
    std::u32string reading;
    std::vector<Alternative> alternatives;
    bool hanja = false;
    // A middle dot joins it to the previous word, which had no particle: the two are one word
    // (한·미 is 한미).
    bool joined = false;
};

// How to read a text's Hanja abbreviations.
struct Context {
    // The date of the text: entries of the abbreviation table that hold only for a period (文 for
    // 문재인 while president) apply when the date lies in it. Undated texts get none of them.
    std::optional<Date> date;
    // A query rather than a document: its Hanja are read with every entry of the table, dated or
    // not (文 is read 문재인 as well as 문), since a query has no date.
    bool query = false;
};

// The Korean words of `text`, in order.
std::vector<Word> analyze(std::string_view text, const Context& context = {});

// A Hangul word as the South spells it: the initial sound rule (두음법칙) at its start and at the
// start of each Sino-Korean part of a compound (조선로동당 → 조선노동당, but 근로인민 stays).
std::u32string south_spelling(std::u32string_view word);

// The Hangul reading of a run of Hanja as a word of its own (南北 → 남북, 北京 → 베이징), or
// nullopt when a character has no reading.
std::optional<std::u32string> hanja_reading(std::u32string_view hanja);

// The stem of a Hangul word: how many of its letters remain when the particles and endings that
// follow nouns are taken off (김정은은 → 김정은, 북한에서 → 북한, 기업인들을 → 기업인). `attached`:
// the word follows a quotation mark, a digit or a Hanja with no space ('감옥'이란, 30년이란, 北이),
// so it may be a particle alone.
std::size_t stem_length(std::u32string_view word, bool attached);

// What a query asks for in Korean, to mark it in a text: letters that a word's reading (in the
// South's spelling) holds, or, when `exact`, that the word as written holds.
struct Target {
    std::u32string letters;
    bool exact = false;
};
// The targets of the Korean words of a query's word or phrase (as the query builder reads them:
// particles off, Hanja read, the South's spelling, the readings of abbreviations).
std::vector<Target> targets(std::string_view words, bool exact);
// Bytes [begin, end) of the stems of the words of `text` that hold a target, in order. A target
// may run over two words written apart (정상 회담 for 정상회담): both are marked.
std::vector<std::pair<std::size_t, std::size_t>> find(std::string_view text,
                                                      const std::vector<Target>& targets,
                                                      const Context& context);

// How many letters of a word to mark in a snippet: a last letter that may be a particle left on
// (북한이, 이란에: stem_length() keeps them on words of three letters, which names end in) is not.
std::size_t shown_length(std::u32string_view word);

// The text of code points `s` as UTF-8.
std::string utf8(std::u32string_view s);

}  // namespace panmun::korean
