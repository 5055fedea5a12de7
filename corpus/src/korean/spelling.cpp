// The initial sound rule (두음법칙) that separates the South's spelling from the North's: the
// South writes 노동, 역사, 여성, 이설주 where the North keeps 로동, 력사, 녀성, 리설주. The rule is
// a rule of Sino-Korean syllables at the start of a word, and of each word inside a compound
// (조선로동당 is 조선 + 로동 + 당, so the South writes 조선노동당); inside a word it does not apply
// (근로, and 근로인민 is not 근 + 노인 + 민). Where a compound's parts meet is found with the
// Sino-Korean words of libhangul's dictionary (tables.hpp).
#include <algorithm>

#include "korean/tables.hpp"
#include "panmun/korean.hpp"

namespace panmun::korean {
namespace {

// True if the syllable is the reading of some Hanja: the rule is one of Sino-Korean syllables
// (로 of 로동 is; 러 of 러시아 is not, and keeps its ㄹ).
bool is_sino(char32_t s) {
    if (!is_syllable(s)) return false;
    const std::uint32_t i = syllable_index(s);
    return (tables::sino_syllables[i / 8] >> (i % 8)) & 1;
}

// True if the syllables are a word of the dictionary, as spelled at a word's start.
bool is_word(std::u32string_view w) {
    if (w.size() < 2 || w.size() > 4) return false;
    std::u32string key(w);
    key[0] = initial_form(key[0]);
    const std::uint64_t k = tables::lexicon_key(key);
    return k && std::binary_search(tables::lexicon, tables::lexicon + tables::lexicon_count, k);
}

}  // namespace

std::u32string south_spelling(std::u32string_view word) {
    std::u32string out(word);
    if (out.empty()) return out;
    if (is_sino(out[0])) out[0] = initial_form(out[0]);
    bool medial = false;  // a syllable inside the word that the rule could change
    for (std::size_t i = 2; i + 1 < word.size() && !medial; ++i)
        medial = is_sino(word[i]) && initial_form(word[i]) != word[i];
    if (!medial) return out;
    // The word's best split into dictionary words (two to four syllables) and single syllables
    // left over: fewest syllables left over, then fewest parts (대통령|령 over 대…). best[j]
    // describes word[0, j).
    struct Split {
        std::size_t left_over = SIZE_MAX, parts = 0, last = 0;  // last: length of the last part
    };
    std::vector<Split> best(word.size() + 1);
    best[0] = {0, 0, 0};
    for (std::size_t j = 0; j < word.size(); ++j) {
        if (best[j].left_over == SIZE_MAX) continue;
        auto offer = [&](std::size_t k, bool known) {
            Split s{best[j].left_over + (known ? 0 : 1), best[j].parts + 1, k};
            Split& b = best[j + k];
            if (s.left_over < b.left_over || (s.left_over == b.left_over && s.parts < b.parts))
                b = s;
        };
        offer(1, false);
        for (std::size_t k = 2; k <= 4 && j + k <= word.size(); ++k)
            if (is_word(word.substr(j, k))) offer(k, true);
    }
    for (std::size_t end = word.size(); end > 0; end -= best[end].last) {
        const std::size_t start = end - best[end].last;
        if (start >= 2 && best[end].last >= 2 && is_sino(word[start]))
            out[start] = initial_form(word[start]);
    }
    return out;
}

}  // namespace panmun::korean
