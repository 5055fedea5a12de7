// Tables compiled at build time from libhangul's Hanja dictionary by
// corpus/tools/hanja_tables.cpp (the generated hanja_tables.cpp in the build tree).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "korean/hangul.hpp"

namespace panmun::korean::tables {

// A Hanja's readings: the first is its usual reading inside words, before the initial sound
// rule (勞: 로); the second (0 if none) one that at least a tenth of its words use (金: 금, 김).
struct CharReadings {
    char32_t hanja, first, second;
};
extern const CharReadings char_readings[];  // sorted by hanja
extern const std::size_t char_readings_count;

// A word of Hanja that its characters' first readings do not spell (北京 북경, 敗北 패배).
struct WordReading {
    const char* hanja;    // UTF-8
    const char* reading;  // UTF-8 Hangul
};
extern const WordReading word_readings[];  // sorted by hanja (bytewise)
extern const std::size_t word_readings_count;

// The Sino-Korean words of two to four syllables in the dictionary, as lexicon_key()s, sorted.
extern const std::uint64_t lexicon[];
extern const std::size_t lexicon_count;

// Bit i (byte i / 8, bit i % 8) set if syllable i is the reading of some Hanja.
extern const std::uint8_t sino_syllables[];

// A word of up to four syllables as one number: 14 bits a syllable (its index + 1), first
// syllable highest; 0 for anything else.
template <typename Syllables>
std::uint64_t lexicon_key(const Syllables& word) {
    if (word.size() < 1 || word.size() > 4) return 0;
    std::uint64_t key = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        std::uint64_t part = 0;
        if (i < word.size()) {
            if (!is_syllable(word[i])) return 0;
            part = syllable_index(word[i]) + 1;
        }
        key = (key << 14) | part;
    }
    return key;
}

}  // namespace panmun::korean::tables
