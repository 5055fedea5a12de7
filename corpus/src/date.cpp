// Date parsing and formatting. Only forms that cannot be misread are accepted: a wrong date is
// worse than none, so anything doubtful is left to the caller to report as undated. Calendar
// arithmetic is std::chrono's; where else a document's date may be found is date_clues.cpp.
#include "panmun/date.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <string>

#include "date_text.hpp"

namespace panmun {

using namespace dates;

namespace {

// What may follow a complete date: nothing, or a time part introduced by 'T' or a space.
bool acceptable_tail(std::string_view rest) {
    if (rest.empty()) return true;
    if (rest[0] != 'T' && rest[0] != ' ') return false;
    int hour = 0;
    return digits(rest, 1, 2, hour) && hour <= 24;
}

}  // namespace

std::optional<Date> Date::from_fields(int year, int month, int day) {
    namespace chr = std::chrono;
    // chrono::day keeps only 8 bits (day(281) is day 25), so the day's range is checked first.
    if (year < 1 || year > 9999 || month < 0 || month > 12 || day < 0 || day > 31 ||
        (month == 0 && day != 0))
        return std::nullopt;
    if (day && !chr::year_month_day(chr::year(year), chr::month(static_cast<unsigned>(month)),
                                    chr::day(static_cast<unsigned>(day)))
                    .ok())
        return std::nullopt;
    Date d;
    d.year_ = year;
    d.month_ = month;
    d.day_ = day;
    d.precision_ = day ? Precision::day : month ? Precision::month : Precision::year;
    return d;
}

std::optional<Date> Date::from_unix_time(long long seconds) {
    namespace chr = std::chrono;
    const chr::year_month_day ymd{chr::floor<chr::days>(chr::sys_seconds(chr::seconds(seconds)))};
    return from_fields(static_cast<int>(ymd.year()),
                       static_cast<int>(static_cast<unsigned>(ymd.month())),
                       static_cast<int>(static_cast<unsigned>(ymd.day())));
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
    return from_fields(y, m, d);
}

namespace {

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

// "2018년 4월 27일", "2018년 04월", "2018년"; the North's Juche calendar, whose year 1 is 1912:
// "주체107년 4월 27일", "주체107(2018)년 4월 27일" (the two years must agree).
std::optional<Date> parse_korean(std::string_view text) {
    static constexpr std::string_view nyeon = "\xEB\x85\x84", wol = "\xEC\x9B\x94",
                                      il = "\xEC\x9D\xBC", juche = "\xEC\xA3\xBC\xEC\xB2\xB4";
    Cursor c{text};
    c.skip(" \t");
    std::optional<int> year;
    if (text.substr(c.i, juche.size()) == juche) {
        c.i += juche.size();
        auto n = c.number(3);
        if (!n || *n < 1) return std::nullopt;
        year = *n + juche_offset;
        if (c.at('(')) {
            ++c.i;
            auto gregorian = c.number(4);
            if (!gregorian || *gregorian != *year || !c.at(')')) return std::nullopt;
            ++c.i;
        }
    } else {
        year = c.number(4);
    }
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
    return Date::from_unix_time(ms / 1000);
}

}  // namespace

std::optional<Date> Date::parse(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (auto d = parse_epoch_ms(text)) return d;
    if (auto d = parse_iso(text)) return d;
    // ISO 8601 basic format, as NITF's norm attributes write it: "20180427",
    // "20180427T090000+0900".
    if (text.size() >= 8 && std::all_of(text.begin(), text.begin() + 8, is_digit) &&
        (text.size() == 8 || text[8] == 'T')) {
        Cursor c{text, 8};
        int y = 0, m = 0, d = 0;
        if (c.at_end_of_date() && digits(text, 0, 4, y) && digits(text, 4, 2, m) &&
            digits(text, 6, 2, d))
            if (auto date = make(y, m, d); date && m && d) return date;
        return std::nullopt;
    }
    if (auto d = parse_korean(text)) return d;
    return parse_english(text);
}

std::string Date::iso() const {
    switch (precision_) {
        case Precision::none:
            return {};
        case Precision::year:
            return fmt::format("{:04}", year_);
        case Precision::month:
            return fmt::format("{:04}-{:02}", year_, month_);
        case Precision::day:
            return fmt::format("{:04}-{:02}-{:02}", year_, month_, day_);
    }
    return {};
}

std::string Date::sortable() const {
    if (!is_set()) return {};
    return fmt::format("{:04}{:02}{:02}", year_, month_, day_);
}

std::optional<Date> Date::from_sortable(std::string_view s) {
    if (s.empty()) return Date{};
    int y = 0, m = 0, d = 0;
    if (s.size() != 8 || !digits(s, 0, 4, y) || !digits(s, 4, 2, m) || !digits(s, 6, 2, d))
        return std::nullopt;
    return from_fields(y, m, d);
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
    return fmt::format("{:08}", std::stol(digits) + delta);
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
