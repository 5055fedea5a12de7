// The particles (조사) and endings that follow Korean nouns, and the rules that take them off.
//
// Measured against hunspell-ko (Debian's Korean dictionary through libhunspell) on 300 words
// drawn from the Korean corpora and labelled by hand (docs/BENCHMARKS.md, "Korean particles"):
// these rules find the stem with precision 0.97 and recall 0.96, hunspell-ko with 0.82 and 0.73
// (it splits compounds into their parts and does not know the North's spelling). Two kinds of
// mistake cost differently: a particle left on a word only adds terms (북한이 keeps 한이), while
// a noun's last syllable taken for a particle loses the noun (김정은 → 김정 would find 김정일). So
// a particle of one syllable, which ends many nouns too (은, 이, 의, 도, 로), comes off only a word
// of four syllables or more, and never 의, 도 or 로 (정상회의, 조선반도, 고속도로).
#include <algorithm>
#include <array>
#include <string_view>

#include "korean/hangul.hpp"
#include "panmun/korean.hpp"

namespace panmun::korean {
namespace {

// What the syllable before a particle must end with.
enum class After { any, consonant, vowel, vowel_or_rieul };

struct Particle {
    std::u32string_view text;
    After after;
};

// Particles of two syllables or more, longest first (a longer one wins: 에서부터 before 부터).
constexpr std::array multi = {
    Particle{U"에서부터", After::any},
    Particle{U"으로부터", After::consonant},
    Particle{U"로부터", After::vowel_or_rieul},
    Particle{U"에서는", After::any},
    Particle{U"에서도", After::any},
    Particle{U"에서의", After::any},
    Particle{U"에게는", After::any},
    Particle{U"에게도", After::any},
    Particle{U"에게서", After::any},
    Particle{U"으로는", After::consonant},
    Particle{U"으로도", After::consonant},
    Particle{U"으로의", After::consonant},
    Particle{U"으로서", After::consonant},
    Particle{U"으로써", After::consonant},
    Particle{U"로서는", After::vowel_or_rieul},
    Particle{U"이라는", After::consonant},
    Particle{U"이라고", After::consonant},
    Particle{U"이라며", After::consonant},
    Particle{U"이라서", After::consonant},
    Particle{U"이라면", After::consonant},
    Particle{U"이지만", After::consonant},
    Particle{U"입니다", After::any},
    Particle{U"이었다", After::consonant},
    Particle{U"이었던", After::consonant},
    Particle{U"에로의", After::any},
    Particle{U"에게", After::any},
    Particle{U"에서", After::any},
    Particle{U"께서", After::any},
    Particle{U"한테", After::any},
    Particle{U"으로", After::consonant},
    Particle{U"부터", After::any},
    Particle{U"까지", After::any},
    Particle{U"에는", After::any},
    Particle{U"에도", After::any},
    Particle{U"에의", After::any},
    Particle{U"에로", After::any},
    Particle{U"와의", After::vowel},
    Particle{U"과의", After::consonant},
    Particle{U"이나", After::consonant},
    Particle{U"이란", After::consonant},
    Particle{U"이며", After::consonant},
    Particle{U"이면", After::consonant},
    Particle{U"이다", After::consonant},
    Particle{U"이냐", After::consonant},
    Particle{U"이고", After::consonant},
    Particle{U"이요", After::consonant},
    Particle{U"이자", After::consonant},
    Particle{U"라는", After::vowel},
    Particle{U"라고", After::vowel},
    Particle{U"라며", After::vowel},
    Particle{U"라서", After::vowel},
    Particle{U"라면", After::vowel},
    Particle{U"로서", After::vowel_or_rieul},
    Particle{U"로써", After::vowel_or_rieul},
    Particle{U"로는", After::vowel_or_rieul},
    Particle{U"로도", After::vowel_or_rieul},
    Particle{U"로의", After::vowel_or_rieul},
    Particle{U"보다", After::any},
    Particle{U"처럼", After::any},
    Particle{U"마다", After::any},
    Particle{U"조차", After::any},
    Particle{U"밖에", After::any},
    Particle{U"만의", After::any},
    Particle{U"만이", After::any},
    Particle{U"만은", After::any},
    Particle{U"만을", After::any},
    Particle{U"였다", After::vowel},
    Particle{U"였던", After::vowel},
};

// Particles of one syllable.
constexpr std::array single = {
    Particle{U"은", After::consonant}, Particle{U"는", After::vowel},
    Particle{U"이", After::consonant}, Particle{U"가", After::vowel},
    Particle{U"을", After::consonant}, Particle{U"를", After::vowel},
    Particle{U"에", After::any},       Particle{U"와", After::vowel},
    Particle{U"과", After::consonant}, Particle{U"만", After::any},
    Particle{U"란", After::vowel},
};

bool agrees(After after, char32_t before) {
    switch (after) {
        case After::any:
            return true;
        case After::consonant:
            return has_final(before);
        case After::vowel:
            return !has_final(before);
        case After::vowel_or_rieul:
            return !has_final(before) || has_final_rieul(before);
    }
    return false;
}

// Nouns of one syllable that particles of two syllables or more follow often (것이란, 북에서).
bool is_short_noun(std::u32string_view stem) {
    static constexpr std::u32string_view nouns =
        U"것수때곳점말땅그저등중날해핵당군쪽편뒤앞안밖위속길돈집물불힘북남미일한";
    return stem.size() == 1 && nouns.find(stem[0]) != std::u32string_view::npos;
}

bool ends_with(std::u32string_view word, std::u32string_view tail) {
    return word.size() >= tail.size() && word.substr(word.size() - tail.size()) == tail;
}

}  // namespace

std::size_t shown_length(std::u32string_view word) {
    static constexpr std::array more = {Particle{U"의", After::any}, Particle{U"도", After::any},
                                        Particle{U"로", After::vowel_or_rieul}};
    if (word.size() < 2) return word.size();
    auto ends_in = [&](const auto& list) {
        return std::any_of(list.begin(), list.end(), [&](const Particle& p) {
            return word.back() == p.text[0] && agrees(p.after, word[word.size() - 2]);
        });
    };
    return ends_in(single) || ends_in(more) ? word.size() - 1 : word.size();
}

std::size_t stem_length(std::u32string_view word, bool attached) {
    std::size_t n = word.size();
    // A word made of a particle alone, right after a quotation, a number or a Hanja.
    if (attached) {
        for (const Particle& p : multi)
            if (word == p.text) return 0;
        for (const Particle& p : single)
            if (word == p.text) return 0;
    }
    bool stripped = false;
    for (const Particle& p : multi) {
        // At least two syllables stay (one after a quotation or number, 30년이란, or a noun of
        // one syllable, 것이란): 도로는 keeps 로는.
        if (!ends_with(word, p.text)) continue;
        const std::u32string_view rest = word.substr(0, n - p.text.size());
        if ((rest.size() >= 2 || (rest.size() == 1 && (attached || is_short_noun(rest)))) &&
            agrees(p.after, rest.back())) {
            n -= p.text.size();
            stripped = true;
            break;
        }
    }
    if (!stripped)
        for (const Particle& p : single)
            if (ends_with(word, p.text) && n >= 4 && agrees(p.after, word[n - 2])) {
                --n;
                break;
            }
    std::u32string_view stem = word.substr(0, n);
    // The plural 들 (기업인들), and 적인 of adjectives made from nouns (역사적인 → 역사적).
    if (ends_with(stem, U"들") && n >= 3)
        --n;
    else if (ends_with(stem, U"적인") && n >= 4)
        --n;
    return n;
}

}  // namespace panmun::korean
