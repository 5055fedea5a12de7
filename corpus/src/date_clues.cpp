// The date clues: datelines, dates and years in paths, date lines near the top of a text, and
// how the ingestor combines them (date_from_clues).
#include "panmun/date_clues.hpp"

#include <regex>

#include "date_text.hpp"

namespace panmun {

using namespace dates;

std::optional<Date> date_from_dateline(std::string_view text, int year) {
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

std::optional<Date> date_from_path(std::string_view path) {
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

std::optional<int> year_from_path(std::string_view path) {
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

std::optional<int> year_named(std::string_view path) {
    const std::size_t slash = path.find_last_of("/:");
    std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    name = name.substr(0, name.find('.'));
    int y = 0;
    if (name.size() == 4 && digits(name, 0, 4, y) && y >= 1900 && y <= 2100) return y;
    return std::nullopt;
}

std::optional<Date> date_in_line(std::string_view line) {
    static const std::regex korean(R"((\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일)");
    // The Juche calendar: 주체102(2013)년 1월 1일, 주체107년 4월 27일.
    static const std::regex juche(
        R"(주체\s*(\d{1,3})(\((\d{4})\))?년\s*(\d{1,2})월\s*(\d{1,2})일)");
    static const std::regex numeric(
        R"((^|[^\d])(\d{4})(-|/|\.\s?)(\d{1,2})(-|/|\.\s?)(\d{1,2})($|[^\d]))");
    std::match_results<std::string_view::const_iterator> m;
    auto fields = [](int y, int mo, int d) { return Date::from_fields(y, mo, d); };
    if (std::regex_search(line.begin(), line.end(), m, juche)) {
        const int year = std::stoi(m[1].str()) + juche_offset;
        if (m[3].matched && std::stoi(m[3].str()) != year) return std::nullopt;
        return fields(year, std::stoi(m[4].str()), std::stoi(m[5].str()));
    }
    if (std::regex_search(line.begin(), line.end(), m, korean))
        return fields(std::stoi(m[1].str()), std::stoi(m[2].str()), std::stoi(m[3].str()));
    if (std::regex_search(line.begin(), line.end(), m, numeric)) {
        // One separator throughout: 2018-04-27, 2005/01/01, 2010.1.1.
        if (m[3].str().substr(0, 1) != m[5].str().substr(0, 1)) return std::nullopt;
        if (m[3].str() == "-" && (m[4].length() != 2 || m[6].length() != 2)) return std::nullopt;
        return fields(std::stoi(m[2].str()), std::stoi(m[4].str()), std::stoi(m[6].str()));
    }
    return std::nullopt;
}

std::optional<Date> month_day_line(std::string_view text, int year) {
    static const std::regex month_day(
        R"(^\s*(\d{1,2})\s*(?:월|·|ㆍ|\.)\s*(\d{1,2})\s*(?:일|\.)?\s*(?:\([^)]{1,9}\))?\s*$)");
    std::size_t seen = 0;
    for (std::size_t start = 0; start < text.size() && seen < 8;) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(start, end - start);
        start = end + 1;
        if (line.find_first_not_of(" \t\r\xE3\x80") == std::string_view::npos) continue;
        ++seen;
        std::match_results<std::string_view::const_iterator> m;
        if (std::regex_match(line.begin(), line.end(), m, month_day))
            return Date::from_fields(year, std::stoi(m[1].str()), std::stoi(m[2].str()));
    }
    return std::nullopt;
}

Date date_from_clues(const Date& given, std::string_view text, std::string_view path,
                     std::vector<std::string>& warnings) {
    Date date = given;
    // What the record did not say, from elsewhere: a YYYYMMDD path ("20061020/slug"), or a
    // dateline ("Pyongyang, December 24 (KCNA) --") when the year is known from the record (a
    // date of year precision) or from the path.
    if (date.precision() != Date::Precision::day && date.precision() != Date::Precision::month) {
        if (!date.is_set())
            if (auto d = date_from_path(path)) date = *d;
        if (date.precision() != Date::Precision::day) {
            std::optional<int> year =
                date.is_set() ? std::optional<int>(date.year()) : year_from_path(path);
            if (year)
                if (auto d = date_from_dateline(text, *year)) date = *d;
        }
    }
    // A line near the top that is a month and day alone ("4·27", "4월 27일", "4. 27.", a
    // weekday after it), when the record gives the year only: a Korean dateline. A month and
    // day inside a sentence is left alone: it names an event ("4·27 판문점 선언"), not the day
    // of writing.
    if (date.precision() == Date::Precision::year)
        if (auto d = month_day_line(text, date.year())) date = *d;
    // A file named after a year (the New Year addresses' "2005.txt") dates its article to that
    // year; a date line in its text gives the day when it falls in that year or in the month
    // around it (the 1987 address was given on 30 December 1986). A date further off is taken
    // for a slip ("2010.1.1." in 2011.txt) and reported.
    if (std::optional<int> year = year_named(path)) {
        const int offset_months =
            date.is_set() ? (date.year() - *year) * 12 + (date.month() ? date.month() - 1 : 0) : 0;
        const bool near =
            date.is_set() && (date.year() == *year || offset_months == -1 || offset_months == 12);
        if (date.is_set() && !near)
            warnings.push_back(
                "the text's date " + date.iso() + " is not in " + std::to_string(*year) +
                ", the year the file is named after: dated " + std::to_string(*year));
        if (!near) date = *Date::from_fields(*year);
    }
    return date;
}

}  // namespace panmun
