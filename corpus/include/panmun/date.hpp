// Calendar dates with their precision: an article may be known to the day, the month or the year.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace panmun {

class Date {
public:
    enum class Precision { none, year, month, day };

    Date() = default;
    // The date of these fields at their precision (day 0: the month; month 0: the year), or
    // nullopt unless they form a real calendar date, years 1-9999.
    static std::optional<Date> from_fields(int year, int month = 0, int day = 0);
    // The UTC day of a Unix time (seconds since 1970, negative before it).
    static std::optional<Date> from_unix_time(long long seconds);

    // Parses ISO 8601 forms: YYYY, YYYY-MM, YYYY-MM-DD, optionally followed by a time
    // ("T12:00:00Z", " 12:00"), and the compact YYYYMMDD. Returns nullopt for anything else,
    // including impossible dates such as 2019-02-30.
    static std::optional<Date> parse_iso(std::string_view text);

    // Every unambiguous form news carries, keeping its precision: ISO 8601 (as parse_iso);
    // RFC 2822 "Fri, 20 Oct 2006 16:25:00 -0400"; "Fri Oct 20, 2006 4:25pm EDT";
    // "October 20, 2006", "20 October 2006", "October 2006"; "26-FEB-1987 15:01:01.79";
    // Korean "2018년 4월 27일", "2018년 4월"; epoch milliseconds (12 or 13 digits, the UTC day).
    // ISO basic "20180427T090000+0900" (NITF). A time or zone after the date is allowed and
    // ignored, but a time must be a valid one ("31-MAR-1987 605:12:19.12" is refused: a damaged
    // record's date is not trusted). nullopt for anything else.
    static std::optional<Date> parse(std::string_view text);
    bool is_set() const { return precision_ != Precision::none; }
    Precision precision() const { return precision_; }
    int year() const { return year_; }
    int month() const { return month_; }  // 0 when precision is year
    int day() const { return day_; }      // 0 when precision is below day

    // "2018-04-27", "2018-04", "2018", or "" when undated.
    std::string iso() const;
    // Eight digits, YYYYMMDD, with 00 for unknown month/day so that sorting and range tests on
    // strings agree with time order; "" when undated.
    std::string sortable() const;
    // Inverse of sortable(); nullopt if malformed.
    static std::optional<Date> from_sortable(std::string_view digits);

    bool operator==(const Date&) const = default;

private:
    int year_ = 0, month_ = 0, day_ = 0;
    Precision precision_ = Precision::none;
};

// An inclusive interval of dates for filtering, as sortable() strings, either end open.
// A bound of lower precision covers its whole year or month: "2018" is 20180000..20189999,
// so a document dated only "2018-04" (20180400) is inside date:2018 and date:2018-04 but not
// inside date:2018-04-01..2018-04-30 (its day is unknown).
struct DateRange {
    std::string low;   // "" when open
    std::string high;  // "" when open

    // "2018", "2018-04", "2018-04-27", "A..B", "A..", "..B" (A, B any of the first three forms).
    // nullopt for anything else, for ".." alone and for a range whose end precedes its start.
    static std::optional<DateRange> parse(std::string_view text);
    // Exactly the day, month or year of `d`.
    static DateRange of(const Date& d);
    // Strictly before / after the whole of `d` ("before 2020" ends on 2019-12-31).
    static DateRange before(const Date& d);
    static DateRange after(const Date& d);
    // Both conditions (the overlap; may be empty, which matches nothing).
    DateRange intersect(const DateRange& other) const;

    bool contains(const Date& d) const;
    bool is_open() const { return low.empty() && high.empty(); }
};

// What a reader reports for a date it cannot read; the document is kept, undated.
std::string unreadable_date_warning(std::string_view text);

}  // namespace panmun
