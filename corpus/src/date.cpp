// Date parsing and formatting. Only forms that cannot be misread are accepted: a wrong date is
// worse than none, so anything doubtful is left to the caller to report as undated.
#include "panmun/date.hpp"

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

}  // namespace panmun
