#include "korean/hangul.hpp"

namespace panmun::korean {

char32_t initial_form(char32_t c) {
    if (!is_syllable(c)) return c;
    Jamo j = jamo(c);
    // ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ: the vowels before which ㄹ and ㄴ fall silent.
    const bool y_vowel = j.vowel == 2 || j.vowel == 3 || j.vowel == 6 || j.vowel == 7 ||
                         j.vowel == 12 || j.vowel == 17 || j.vowel == 20;
    if (j.initial == initial_rieul)
        j.initial = y_vowel ? initial_ieung : initial_nieun;
    else if (j.initial == initial_nieun && y_vowel)
        j.initial = initial_ieung;
    else
        return c;
    return syllable(j);
}

}  // namespace panmun::korean
