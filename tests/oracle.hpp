// An independent model of "a phrase occurs in a text", for checking search results against a
// scan of the stored texts. Deliberately not Xapian's tokenizer: words are runs of ASCII letters
// and digits and of other characters, lowercased; ASCII punctuation and spaces separate words,
// and so do the Unicode punctuation and space blocks (Latin-1 punctuation U+00A0–U+00BF, General
// Punctuation U+2000–U+206F with ’ “ ” – — ′, CJK Symbols and Punctuation U+3000–U+303F).
#pragma once

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
    if ((a & 0xE0) == 0xC0 && cont(i + 1))
        return {((a & 0x1F) << 6) | (text[i + 1] & 0x3F), 2};
    if ((a & 0xF0) == 0xE0 && cont(i + 1) && cont(i + 2))
        return {((a & 0x0F) << 12) | ((text[i + 1] & 0x3F) << 6) | (text[i + 2] & 0x3F), 3};
    return {0, 0};
}

inline bool is_unicode_separator(char32_t c) {
    // Latin-1 punctuation, general punctuation, CJK punctuation, and the fullwidth ASCII
    // punctuation of the Halfwidth and Fullwidth Forms block ("Denmark－DPRK" in KCNA).
    return (c >= 0xA0 && c <= 0xBF) || (c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) ||
           (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
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
