// Reading dates out of text (internal): the pieces that Date::parse and the date clues
// (date_clues.cpp) share. A cursor over ASCII, English month and weekday names, fixed digits.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include "panmun/date.hpp"

namespace panmun::dates {

// Reads exactly n ASCII digits at s[pos].
inline bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    for (std::size_t i = pos; i < pos + n; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    std::from_chars(s.data() + pos, s.data() + pos + n, out);
    return true;
}

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Juche year N is Gregorian year N + 1911 (Juche 1 is 1912, the year of Kim Il Sung's birth).
inline constexpr int juche_offset = 1911;
inline bool is_alpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// 1..12 for an English month name or its abbreviation ("Oct", "Sept", "OCTOBER"), else 0.
inline int month_named(std::string_view word) {
    static constexpr std::string_view names[] = {"january",   "february", "march",    "april",
                                                 "may",       "june",     "july",     "august",
                                                 "september", "october",  "november", "december"};
    if (word.size() < 3) return 0;
    std::string lower;
    for (char c : word) lower += static_cast<char>(c | 0x20);
    for (int m = 0; m < 12; ++m) {
        std::string_view name = names[m];
        if (lower == name || lower == name.substr(0, 3) || (m == 8 && lower == "sept"))
            return m + 1;
    }
    return 0;
}

inline bool is_weekday(std::string_view word) {
    static constexpr std::string_view days[] = {"monday", "tuesday",  "wednesday", "thursday",
                                                "friday", "saturday", "sunday"};
    std::string lower;
    for (char c : word) lower += static_cast<char>(c | 0x20);
    for (std::string_view d : days)
        if (lower == d || lower == d.substr(0, 3)) return true;
    return false;
}

// A left-to-right reader over the text of a date.
struct Cursor {
    std::string_view s;
    std::size_t i = 0;

    void skip(std::string_view chars) {
        while (i < s.size() && chars.find(s[i]) != std::string_view::npos) ++i;
    }
    std::string_view word() {
        std::size_t start = i;
        while (i < s.size() && is_alpha(s[i])) ++i;
        return s.substr(start, i - start);
    }
    // 1 to `max_len` digits, not followed by another digit.
    std::optional<int> number(std::size_t max_len) {
        std::size_t start = i;
        while (i < s.size() && is_digit(s[i]) && i - start < max_len) ++i;
        if (i == start || (i < s.size() && is_digit(s[i]))) return std::nullopt;
        int v = 0;
        std::from_chars(s.data() + start, s.data() + i, v);
        return v;
    }
    bool at(char c) const { return i < s.size() && s[i] == c; }
    // The date ends here: at the end, or before a time or zone. A time must be one
    // ("31-MAR-1987 605:12:19.12" is a damaged record, not a date to trust).
    bool at_end_of_date() const {
        if (i == s.size()) return true;
        if (s[i] != ' ' && s[i] != 'T' && s[i] != '\t') return false;
        std::size_t k = i + 1, h = k;
        while (k < s.size() && is_digit(s[k])) ++k;
        std::size_t n = k - h;
        if (n == 0) return true;                             // a zone, a weekday, words
        if (s[i] == 'T' && (n == 4 || n == 6)) return true;  // basic ISO time "T0900", "T090000"
        if (n > 2) return false;                             // "605:12:19.12"
        int hour = n == 2 ? (s[h] - '0') * 10 + (s[h + 1] - '0') : s[h] - '0';
        if (hour > 24) return false;
        if (k == s.size() || s[k] != ':') return true;  // "4pm"
        if (k + 2 >= s.size() || !is_digit(s[k + 1]) || !is_digit(s[k + 2])) return false;
        return (s[k + 1] - '0') * 10 + (s[k + 2] - '0') <= 59;
    }
};

// A date of these fields, or nullopt if they are not one.
inline std::optional<Date> make(int y, int m, int d) { return Date::from_fields(y, m, d); }

}  // namespace panmun::dates
