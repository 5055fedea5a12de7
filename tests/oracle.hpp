// An independent model of "a phrase occurs in a text", for checking search results against a
// scan of the stored texts. Deliberately not Xapian's tokenizer: words are runs of ASCII letters
// and digits and of other characters, lowercased; ASCII punctuation and spaces separate words,
// and so do the Unicode punctuation and space blocks (Latin-1 punctuation U+00A0–U+00BF, General
// Punctuation U+2000–U+206F with ’ “ ” – — ′, CJK Symbols and Punctuation U+3000–U+303F).
#pragma once

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cctype>
#include <string>
#include <utility>
#include <vector>

namespace panmun::test {

// The code point of a 2- or 3-byte UTF-8 sequence at text[i] and its length; 0 otherwise.
inline std::pair<char32_t, std::size_t> utf8_at(const std::string& text, std::size_t i) {
    auto cont = [&](std::size_t k) {
        return k < text.size() && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80;
    };
    unsigned char a = static_cast<unsigned char>(text[i]);
    if ((a & 0xE0) == 0xC0 && cont(i + 1)) return {((a & 0x1F) << 6) | (text[i + 1] & 0x3F), 2};
    if ((a & 0xF0) == 0xE0 && cont(i + 1) && cont(i + 2))
        return {((a & 0x0F) << 12) | ((text[i + 1] & 0x3F) << 6) | (text[i + 2] & 0x3F), 3};
    return {0, 0};
}

inline bool is_unicode_separator(char32_t c) {
    // Latin-1 punctuation, general punctuation, CJK punctuation, and the fullwidth ASCII
    // punctuation of the Halfwidth and Fullwidth Forms block ("Denmark－DPRK" in KCNA).
    return (c >= 0xA0 && c <= 0xBF) || (c >= 0x2000 && c <= 0x206F) ||
           (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
           (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
           (c >= 0xFF5B && c <= 0xFF65);
}

inline std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (std::size_t i = 0; i < text.size();) {
        auto [cp, len] = utf8_at(text, i);
        if (len && is_unicode_separator(cp)) {
            if (!word.empty()) words.push_back(std::move(word)), word.clear();
            i += len;
            continue;
        }
        unsigned char c = static_cast<unsigned char>(text[i++]);
        if (std::isalnum(c) || c >= 0x80) {
            word += static_cast<char>(std::tolower(c));
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(word);
    return words;
}

inline bool contains_phrase(const std::vector<std::string>& words,
                            const std::vector<std::string>& phrase) {
    if (phrase.size() > words.size()) return false;
    for (std::size_t i = 0; i + phrase.size() <= words.size(); ++i) {
        std::size_t k = 0;
        while (k < phrase.size() && words[i + k] == phrase[k]) ++k;
        if (k == phrase.size()) return true;
    }
    return false;
}

// The words of `text` at the positions Xapian's term generator gives them, modelled here from
// its documented rules rather than by calling it (for NEAR and ADJ, where a position more or
// less matters): words are runs of letters and digits, lowercased; an apostrophe or '&' between
// two word characters stays inside the word ("don't", "R&D"), except a word-final "'s", which
// panmun indexes as a word of its own; digits joined by ',' or '.' are one word ("1,000",
// "3.5"); capital letters each followed by a full stop are one word ("U.S." is "us").
inline std::vector<std::string> positioned_words(const std::string& text) {
    std::vector<std::string> words;
    auto byte = [&](std::size_t i) -> unsigned char {
        return i < text.size() ? static_cast<unsigned char>(text[i]) : 0;
    };
    // Letters, marks, numbers and connectors (Unicode's categories, read with ICU).
    auto word_char = [&](std::size_t i) {
        unsigned char c = byte(i);
        if (i >= text.size()) return false;
        if (c < 0x80) return std::isalnum(c) || c == '_';
        auto [cp, len] = utf8_at(text, i);
        if (!len) return true;
        return (U_GET_GC_MASK(static_cast<UChar32>(cp)) &
                (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK | U_GC_PC_MASK)) != 0;
    };
    auto apostrophe = [&](std::size_t i) -> std::size_t {
        if (byte(i) == '\'') return 1;
        if (text.compare(i, 3, "\xE2\x80\x99") == 0) return 3;
        return 0;
    };
    std::size_t i = 0;
    while (i < text.size()) {
        if (!word_char(i)) {
            auto [cp, len] = utf8_at(text, i);
            i += len ? len : 1;
            continue;
        }
        // Fullwidth forms ("Ｗ" in KCNA's copy) are CJK to Xapian: each is a word of its own, as
        // is.
        if (auto [cp, len] = utf8_at(text, i); len && cp >= 0xFF01 && cp <= 0xFF60) {
            words.push_back(text.substr(i, len));
            i += len;
            continue;
        }
        // An acronym: capitals joined by full stops ("U.S.", "U.S", "D.P.R.K."), at least two.
        std::size_t k = i;
        std::string acronym;
        while (std::isupper(byte(k))) {
            acronym += static_cast<char>(std::tolower(byte(k++)));
            if (byte(k) != '.') break;
            ++k;
        }
        if (acronym.size() >= 2 && !word_char(k)) {
            words.push_back(acronym);
            i = k;
            continue;
        }
        std::string word;
        while (i < text.size()) {
            if (word_char(i)) {
                auto [cp, len] = utf8_at(text, i);
                if (len && cp >= 0xFF01 && cp <= 0xFF60) break;
                if (!len) {
                    word += static_cast<char>(std::tolower(byte(i)));
                    ++i;
                    continue;
                }
                UChar32 lower = u_tolower(static_cast<UChar32>(cp));
                char buf[4];
                int32_t n = 0;
                [[maybe_unused]] UBool error = false;
                U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, lower, error);
                word.append(buf, static_cast<std::size_t>(n));
                i += len;
                continue;
            }
            const std::size_t a = apostrophe(i);
            const bool possessive = a && (byte(i + a) | 0x20) == 's' && !word_char(i + a + 1);
            if (a && !possessive && word_char(i + a) && !word.empty()) {
                word += '\'';  // Xapian folds the curly apostrophe to the straight one
                i += a;
                continue;
            }
            if (byte(i) == '&' && word_char(i + 1)) {
                word += '&';
                ++i;
                continue;
            }
            if ((byte(i) == ',' || byte(i) == '.') && std::isdigit(byte(i + 1)) && !word.empty() &&
                std::isdigit(static_cast<unsigned char>(word.back()))) {
                word += static_cast<char>(byte(i));
                ++i;
                continue;
            }
            break;
        }
        words.push_back(std::move(word));
    }
    return words;
}

// The oracle's notion of "the same article text": equal once case, whitespace and commas are
// ignored (panmun's cleaning tidies whitespace and kcna-style ", , ," runs before it compares).
inline std::string same_text_key(const std::string& text) {
    std::string key;
    for (char c : text)
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != ',')
            key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;
}

}  // namespace panmun::test
