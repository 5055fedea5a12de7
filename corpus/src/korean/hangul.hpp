// Hangul syllables: their parts and the initial sound rule (두음법칙). Shared by the library and
// the build-time tool that compiles libhangul's Hanja table (corpus/tools/hanja_tables.cpp), so
// that both read a syllable the same way.
#pragma once

#include <cstdint>

namespace panmun::korean {

inline constexpr char32_t first_syllable = 0xAC00;  // 가
inline constexpr char32_t last_syllable = 0xD7A3;   // 힣
inline constexpr std::uint32_t syllable_count = last_syllable - first_syllable + 1;

inline bool is_syllable(char32_t c) { return c >= first_syllable && c <= last_syllable; }
// 0 .. syllable_count-1 for a syllable.
inline std::uint32_t syllable_index(char32_t c) { return c - first_syllable; }

// The parts of a syllable: initial consonant (0 ㄱ .. 18 ㅎ), vowel (0 ㅏ .. 20 ㅣ), final
// consonant (0 none, 1 ㄱ .. 27 ㅎ).
struct Jamo {
    int initial, vowel, final;
};
inline Jamo jamo(char32_t syllable) {
    const std::uint32_t i = syllable_index(syllable);
    return {static_cast<int>(i / 588), static_cast<int>(i % 588 / 28), static_cast<int>(i % 28)};
}
inline char32_t syllable(Jamo j) {
    return first_syllable + static_cast<char32_t>((j.initial * 21 + j.vowel) * 28 + j.final);
}

inline constexpr int initial_nieun = 2, initial_rieul = 5, initial_ieung = 11;
inline constexpr int final_rieul = 8;

// True if the syllable ends in a consonant (받침).
inline bool has_final(char32_t s) { return is_syllable(s) && jamo(s).final != 0; }
// True if the syllable ends in ㄹ: particles that follow a vowel also follow ㄹ (서울로).
inline bool has_final_rieul(char32_t s) { return is_syllable(s) && jamo(s).final == final_rieul; }

// The syllable as the South writes it at the start of a word (두음법칙): initial ㄹ becomes ㅇ
// before ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ and ㄴ before the other vowels (력사 → 역사, 로동 → 노동); initial ㄴ
// becomes ㅇ before those vowels (녀성 → 여성). Any other character is returned unchanged.
char32_t initial_form(char32_t c);

}  // namespace panmun::korean
