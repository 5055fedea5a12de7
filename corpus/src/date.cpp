// Date parsing and formatting. Only forms that cannot be misread are accepted: a wrong date is
// worse than none, so anything doubtful is left to the caller to report as undated.
#include "panmun/date.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace panmun {
namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Reads exactly n ASCII digits at s[pos].
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    for (std::size_t i = pos; i < pos + n; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    std::from_chars(s.data() + pos, s.data() + pos + n, out);
    return true;
}

// What may follow a complete date: nothing, or a time part introduced by 'T' or a space.
bool acceptable_tail(std::string_view rest) {
    if (rest.empty()) return true;
    if (rest[0] != 'T' && rest[0] != ' ') return false;
    int hour = 0;
    return digits(rest, 1, 2, hour) && hour <= 24;
}

}  // namespace

Date Date::from_fields(int year, int month, int day) {
    if (year < 1 || year > 9999) throw std::invalid_argument("year out of range");
    if (month < 0 || month > 12) throw std::invalid_argument("month out of range");
    if (month == 0 && day != 0) throw std::invalid_argument("day without month");
    if (day < 0 || (month && day > days_in_month(year, month)))
        throw std::invalid_argument("day out of range");
    Date d;
    d.year_ = year;
    d.month_ = month;
    d.day_ = day;
    d.precision_ = day ? Precision::day : month ? Precision::month : Precision::year;
    return d;
}

std::optional<Date> Date::parse_iso(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    // Zero months or days ("2018-00", "20180400") are placeholders, not dates: from_fields
    // would read them as a lower precision, so every form requires its parts to be non-zero.
    int y = 0, m = 0, d = 0;
    std::string_view rest;
    if (!digits(s, 0, 4, y)) return std::nullopt;
    if (s.size() == 4) {
        rest = {};
    } else if (s[4] == '-') {
        if (!digits(s, 5, 2, m) || m == 0) return std::nullopt;
        if (s.size() > 7 && s[7] == '-') {
            if (!digits(s, 8, 2, d) || d == 0) return std::nullopt;
            rest = s.substr(10);
        } else {
            rest = s.substr(7);
        }
    } else if (s.size() == 8 && digits(s, 4, 2, m) && digits(s, 6, 2, d)) {  // YYYYMMDD
        if (m == 0 || d == 0) return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (!acceptable_tail(rest)) return std::nullopt;
    try {
        return from_fields(y, m, d);
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// 1..12 for an English month name or its abbreviation ("Oct", "Sept", "OCTOBER"), else 0.
int month_named(std::string_view word) {
    static constexpr std::string_view names[] = {"january", "february", "march",     "april",
                                                 "may",     "june",     "july",      "august",
                                                 "september", "october", "november", "december"};
    if (word.size() < 3) return 0;
    std::string lower;
    for (char c : word) lower += static_cast<char>(c | 0x20);
    for (int m = 0; m < 12; ++m) {
        std::string_view name = names[m];
        if (lower == name || lower == name.substr(0, 3) || (m == 8 && lower == "sept")) return m + 1;
    }
    return 0;
}

bool is_weekday(std::string_view word) {
    static constexpr std::string_view days[] = {"monday", "tuesday", "wednesday", "thursday",
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
    // The date ends here: nothing follows, or a space or 'T' (a time, a zone).
    // The date ends here: at the end, or before a time or zone. A time must be one
    // ("31-MAR-1987 605:12:19.12" is a damaged record, not a date to trust).
    bool at_end_of_date() const {
        if (i == s.size()) return true;
        if (s[i] != ' ' && s[i] != 'T' && s[i] != '\t') return false;
        std::size_t k = i + 1, h = k;
        while (k < s.size() && is_digit(s[k])) ++k;
        std::size_t n = k - h;
        if (n == 0) return true;                              // a zone, a weekday, words
        if (s[i] == 'T' && (n == 4 || n == 6)) return true;   // basic ISO time "T0900", "T090000"
        if (n > 2) return false;                              // "605:12:19.12"
        int hour = n == 2 ? (s[h] - '0') * 10 + (s[h + 1] - '0') : s[h] - '0';
        if (hour > 24) return false;
        if (k == s.size() || s[k] != ':') return true;        // "4pm"
        if (k + 2 >= s.size() || !is_digit(s[k + 1]) || !is_digit(s[k + 2])) return false;
        return (s[k + 1] - '0') * 10 + (s[k + 2] - '0') <= 59;
    }
};

std::optional<Date> make(int y, int m, int d) {
    try {
        return Date::from_fields(y, m, d);
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

// "20 Oct 2006", "26-FEB-1987", "Oct 20, 2006", "October 2006", after an optional weekday.
std::optional<Date> parse_english(std::string_view text) {
    Cursor c{text};
    c.skip(" \t");
    {
        Cursor probe = c;
        std::string_view w = probe.word();
        if (!w.empty() && is_weekday(w)) {
            c = probe;
            c.skip(", \t");
        }
    }
    if (c.i < text.size() && is_digit(text[c.i])) {  // day month year
        auto day = c.number(2);
        if (!day || !(c.at(' ') || c.at('-'))) return std::nullopt;
        c.skip(" -");
        int month = month_named(c.word());
        if (!month || !(c.at(' ') || c.at('-') || c.at('.'))) return std::nullopt;
        c.skip(" -.");
        auto year = c.number(4);
        if (!year || *year < 1000 || !c.at_end_of_date()) return std::nullopt;
        return make(*year, month, *day);
    }
    int month = month_named(c.word());
    if (!month) return std::nullopt;
    if (c.at('.')) ++c.i;
    if (!c.at(' ')) return std::nullopt;
    c.skip(" ");
    auto first = c.number(4);
    if (!first) return std::nullopt;
    if (*first >= 1000) {  // "October 2006"
        if (!c.at_end_of_date()) return std::nullopt;
        return make(*first, month, 0);
    }
    if (!(c.at(',') || c.at(' '))) return std::nullopt;  // "Oct 20, 2006"
    c.skip(", ");
    auto year = c.number(4);
    if (!year || *year < 1000 || !c.at_end_of_date()) return std::nullopt;
    return make(*year, month, *first);
}

// "2018년 4월 27일", "2018년 04월", "2018년".
std::optional<Date> parse_korean(std::string_view text) {
    static constexpr std::string_view nyeon = "\xEB\x85\x84", wol = "\xEC\x9B\x94", il = "\xEC\x9D\xBC";
    Cursor c{text};
    c.skip(" \t");
    auto year = c.number(4);
    if (!year || *year < 1000 || text.substr(c.i, 3) != nyeon) return std::nullopt;
    c.i += 3;
    c.skip(" ");
    auto month = c.number(2);
    if (!month || text.substr(c.i, 3) != wol) return make(*year, 0, 0);
    c.i += 3;
    c.skip(" ");
    auto day = c.number(2);
    if (!day || text.substr(c.i, 3) != il) return make(*year, *month, 0);
    return make(*year, *month, *day);
}

// Milliseconds since 1970-01-01 UTC, 12 or 13 digits (1973 to 2286).
std::optional<Date> parse_epoch_ms(std::string_view text) {
    if (text.size() < 12 || text.size() > 13) return std::nullopt;
    for (char c : text)
        if (!is_digit(c)) return std::nullopt;
    long long ms = 0;
    std::from_chars(text.data(), text.data() + text.size(), ms);
    long long days = ms / 86'400'000;
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    days += 719468;
    const long long era = days / 146097;
    const long long doe = days - era * 146097;
    const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long long mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const int y = static_cast<int>(yoe + era * 400 + (m <= 2));
    return make(y, m, d);
}

}  // namespace

std::optional<Date> Date::parse(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (auto d = parse_epoch_ms(text)) return d;
    if (auto d = parse_iso(text)) return d;
    // ISO 8601 basic format, as NITF's norm attributes write it: "20180427", "20180427T090000+0900".
    if (text.size() >= 8 && std::all_of(text.begin(), text.begin() + 8, is_digit) &&
        (text.size() == 8 || text[8] == 'T')) {
        Cursor c{text, 8};
        int y = 0, m = 0, d = 0;
        if (c.at_end_of_date() && digits(text, 0, 4, y) && digits(text, 4, 2, m) && digits(text, 6, 2, d))
            if (auto date = make(y, m, d); date && m && d) return date;
        return std::nullopt;
    }
    if (auto d = parse_korean(text)) return d;
    return parse_english(text);
}

std::optional<Date> Date::from_dateline(std::string_view text, int year) {
    // "Place, Month D" within the first 60 characters, then "(", " -" or ":".
    std::size_t comma = text.substr(0, 60).find(", ");
    if (comma == std::string_view::npos || comma == 0) return std::nullopt;
    for (std::size_t k = 0; k < comma; ++k)
        if (is_digit(text[k])) return std::nullopt;  // a place name has no digits
    Cursor c{text, comma + 2};
    int month = month_named(c.word());
    if (!month) return std::nullopt;
    if (c.at('.')) ++c.i;
    c.skip(" ");
    auto day = c.number(2);
    if (!day) return std::nullopt;
    c.skip(" ");
    if (!(c.at('(') || c.at('-') || c.at(':') || c.at('\xE2'))) return std::nullopt;  // "—"
    return make(year, month, *day);
}

std::optional<Date> Date::from_path(std::string_view path) {
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (!is_digit(path[i]) || (i > 0 && is_digit(path[i - 1]))) continue;
        std::size_t end = i;
        while (end < path.size() && is_digit(path[end])) ++end;
        int y = 0, m = 0, d = 0;
        if (end - i == 8 && digits(path, i, 4, y) && digits(path, i + 4, 2, m) &&
            digits(path, i + 6, 2, d) && y >= 1900 && y <= 2100)
            if (auto date = make(y, m, d); date && m && d) return date;
        if (end - i == 4 && end + 6 <= path.size() && path[end] == '/' && path[end + 3] == '/' &&
            digits(path, i, 4, y) && digits(path, end + 1, 2, m) && digits(path, end + 4, 2, d) &&
            (end + 6 == path.size() || !is_digit(path[end + 6])) && y >= 1900 && y <= 2100)
            if (auto date = make(y, m, d); date && m && d) return date;
        i = end;
    }
    return std::nullopt;
}

std::optional<int> Date::year_from_path(std::string_view path) {
    std::size_t last = path.rfind('/');
    if (last != std::string_view::npos && last > 0) {
        std::size_t parent = path.rfind('/', last - 1);
        if (parent != std::string_view::npos) path.remove_prefix(parent + 1);
    }
    std::optional<int> year;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (!is_digit(path[i])) continue;
        std::size_t end = i;
        while (end < path.size() && is_digit(path[end])) ++end;
        int y = 0;
        if (end - i == 4 && digits(path, i, 4, y) && y >= 1900 && y <= 2100) {
            if (year && *year != y) return std::nullopt;
            year = y;
        }
        i = end;
    }
    return year;
}

std::optional<int> Date::year_named(std::string_view path) {
    const std::size_t slash = path.find_last_of("/:");
    std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    name = name.substr(0, name.find('.'));
    int y = 0;
    if (name.size() == 4 && digits(name, 0, 4, y) && y >= 1900 && y <= 2100) return y;
    return std::nullopt;
}

std::string Date::iso() const {
    char buf[16];
    switch (precision_) {
        case Precision::none: return {};
        case Precision::year: std::snprintf(buf, sizeof buf, "%04d", year_); break;
        case Precision::month: std::snprintf(buf, sizeof buf, "%04d-%02d", year_, month_); break;
        case Precision::day:
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year_, month_, day_);
            break;
    }
    return buf;
}

std::string Date::sortable() const {
    if (!is_set()) return {};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", year_, month_, day_);
    return buf;
}

std::optional<Date> Date::from_sortable(std::string_view s) {
    if (s.empty()) return Date{};
    int y = 0, m = 0, d = 0;
    if (s.size() != 8 || !digits(s, 0, 4, y) || !digits(s, 4, 2, m) || !digits(s, 6, 2, d))
        return std::nullopt;
    try {
        return from_fields(y, m, d);
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

namespace {

// The last sortable string of `d`'s period: "2018" ends at 20189999, "2018-04" at 20180499.
std::string period_end(const Date& d) {
    std::string s = d.sortable();
    if (d.precision() == Date::Precision::year) s.replace(4, 4, "9999");
    if (d.precision() == Date::Precision::month) s.replace(6, 2, "99");
    return s;
}

// `digits` (8 of them) plus `delta`, still as 8 digits (the results only need to order
// correctly against sortable() strings, not to be calendar dates).
std::string shifted(const std::string& digits, int delta) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08ld", std::stol(digits) + delta);
    return buf;
}

// Only the three ISO forms a user types in a query; no time part.
std::optional<Date> parse_bound(std::string_view s) {
    if (s.size() != 4 && s.size() != 7 && s.size() != 10) return std::nullopt;
    return Date::parse_iso(s);
}

}  // namespace

std::optional<DateRange> DateRange::parse(std::string_view text) {
    std::size_t dots = text.find("..");
    if (dots == std::string_view::npos) {
        auto d = parse_bound(text);
        if (!d) return std::nullopt;
        return of(*d);
    }
    std::string_view a = text.substr(0, dots), b = text.substr(dots + 2);
    if (a.empty() && b.empty()) return std::nullopt;
    DateRange r;
    if (!a.empty()) {
        auto d = parse_bound(a);
        if (!d) return std::nullopt;
        r.low = d->sortable();
    }
    if (!b.empty()) {
        auto d = parse_bound(b);
        if (!d) return std::nullopt;
        r.high = period_end(*d);
    }
    if (!r.low.empty() && !r.high.empty() && r.high < r.low) return std::nullopt;
    return r;
}

DateRange DateRange::of(const Date& d) { return {d.sortable(), period_end(d)}; }

DateRange DateRange::before(const Date& d) { return {"", shifted(d.sortable(), -1)}; }

DateRange DateRange::after(const Date& d) { return {shifted(period_end(d), 1), ""}; }

DateRange DateRange::intersect(const DateRange& other) const {
    DateRange r = *this;
    if (r.low.empty() || (!other.low.empty() && other.low > r.low)) r.low = other.low;
    if (r.high.empty() || (!other.high.empty() && other.high < r.high)) r.high = other.high;
    return r;
}

bool DateRange::contains(const Date& d) const {
    if (!d.is_set()) return false;
    std::string s = d.sortable();
    return (low.empty() || s >= low) && (high.empty() || s <= high);
}

std::string unreadable_date_warning(std::string_view text) {
    return "date '" + std::string(text) + "' not understood; kept undated";
}

}  // namespace panmun
