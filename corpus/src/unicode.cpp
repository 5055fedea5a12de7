// The Unicode layer: thin wrappers over ICU's UTF-8 macros and character properties.
#include "panmun/unicode.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <vector>

namespace panmun::unicode {

char32_t next(std::string_view s, std::size_t& i) {
    if (i >= s.size()) return 0;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(s.data());
    int32_t pos = static_cast<int32_t>(i);
    UChar32 c;
    U8_NEXT(bytes, pos, static_cast<int32_t>(s.size()), c);
    i = static_cast<std::size_t>(pos);
    return c < 0 ? 0xFFFD : static_cast<char32_t>(c);
}

char32_t at(std::string_view s, std::size_t i) { return i < s.size() ? next(s, i) : 0; }

char32_t previous(std::string_view s, std::size_t& i) {
    if (i == 0 || i > s.size()) return 0;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(s.data());
    int32_t pos = static_cast<int32_t>(i);
    UChar32 c;
    U8_PREV(bytes, 0, pos, c);
    i = static_cast<std::size_t>(pos);
    return c < 0 ? 0xFFFD : static_cast<char32_t>(c);
}

void append(std::string& out, char32_t c) {
    std::uint8_t buf[U8_MAX_LENGTH];
    int32_t n = 0;
    UBool error = false;
    U8_APPEND(buf, n, U8_MAX_LENGTH, static_cast<UChar32>(c), error);
    if (error) return append(out, 0xFFFD);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

std::size_t sequence_length(std::string_view s, std::size_t i) {
    if (i >= s.size()) return 0;
    if (static_cast<unsigned char>(s[i]) < 0x80) return 1;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(s.data());
    int32_t pos = static_cast<int32_t>(i);
    UChar32 c;
    U8_NEXT(bytes, pos, static_cast<int32_t>(s.size()), c);
    return c < 0 ? 0 : static_cast<std::size_t>(pos) - i;
}

bool is_valid(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {  // the common case, byte by byte
            ++i;
            continue;
        }
        const std::size_t n = sequence_length(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::size_t length(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++n) next(s, i);
    return n;
}

std::size_t chars_before(std::string_view s, std::size_t byte) {
    return length(s.substr(0, std::min(byte, s.size())));
}

bool is_hangul(char32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    return uscript_getScript(static_cast<UChar32>(c), &status) == USCRIPT_HANGUL;
}

bool is_han(char32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    return uscript_getScript(static_cast<UChar32>(c), &status) == USCRIPT_HAN;
}

bool is_ngram(char32_t c) {
    if (c < 0x1100) return false;  // nothing below the Hangul Jamo block: the fast path for Latin
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &status);
    // Han punctuation and symbols (、。「」) have script Common, so they are not n-gram text.
    return (script == USCRIPT_HANGUL || script == USCRIPT_HAN) && is_letter(c);
}

bool has_ngram(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0xE1) {  // no n-gram character is shorter
            ++i;
            continue;
        }
        if (is_ngram(next(s, i))) return true;
    }
    return false;
}

bool is_letter(char32_t c) { return u_isalpha(static_cast<UChar32>(c)); }
bool is_upper(char32_t c) {
    return u_isupper(static_cast<UChar32>(c)) || u_istitle(static_cast<UChar32>(c));
}
bool is_lower(char32_t c) { return u_islower(static_cast<UChar32>(c)); }
bool is_digit(char32_t c) { return u_isdigit(static_cast<UChar32>(c)); }
bool is_space(char32_t c) { return u_isUWhiteSpace(static_cast<UChar32>(c)); }

bool is_punctuation(char32_t c) {
    const auto mask = U_GET_GC_MASK(static_cast<UChar32>(c));
    return (mask & (U_GC_P_MASK | U_GC_S_MASK)) != 0;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    auto points = [](std::string_view s) {
        std::u32string out;
        for (std::size_t i = 0; i < s.size();) out += next(s, i);
        return out;
    };
    const std::u32string x = points(a), y = points(b);
    std::vector<std::size_t> row(y.size() + 1);
    for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= x.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= y.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] != y[j - 1])});
            diagonal = above;
        }
    }
    return row[y.size()];
}

int width(char32_t c) {
    const auto ch = static_cast<UChar32>(c);
    const auto mask = U_GET_GC_MASK(ch);
    if (mask & (U_GC_MN_MASK | U_GC_ME_MASK | U_GC_CF_MASK)) return 0;
    if (c >= 0x1160 && c <= 0x11FF) return 0;  // Hangul medial and final jamo join the syllable
    const int eaw = u_getIntPropertyValue(ch, UCHAR_EAST_ASIAN_WIDTH);
    return eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH ? 2 : 1;
}

std::size_t width(std::string_view s) {
    std::size_t cells = 0;
    for (std::size_t i = 0; i < s.size();) cells += static_cast<std::size_t>(width(next(s, i)));
    return cells;
}

}  // namespace panmun::unicode
