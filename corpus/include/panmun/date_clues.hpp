// Where an article's date may be found when its record does not say: a date line near the top
// of its text, a dateline whose year is known, its file's path. The ingestor asks these, in the
// order date_from_clues() gives, and never guesses: no clue, no date.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "panmun/date.hpp"

namespace panmun {

// A dateline at the start of a story, "Pyongyang, December 24 (KCNA) --", whose year is known
// from elsewhere (the file, the feed). nullopt if the text does not open with one.
std::optional<Date> date_from_dateline(std::string_view text, int year);
// A date in a file path or URL: an 8-digit YYYYMMDD run ("kcna-20111219.txt") or YYYY/MM/DD
// ("/2018/04/27/"), years 1900-2100. The first one wins; nullopt if none.
std::optional<Date> date_from_path(std::string_view path);
// A year in the last two components of a path, as a name or a token of one
// ("kcna/2011/story.txt", "KCNA_2012.jsonl"), 1900-2100; nullopt if none or two different.
std::optional<int> year_from_path(std::string_view path);
// The year a file is named after: its name without extensions is a year, 1900-2100
// ("2005.txt", "archive.tar:data/2005.txt"); nullopt otherwise.
std::optional<int> year_named(std::string_view path);
// A whole date expression in one line of text: "노동신문 사설 - 1970년 01월 01일",
// "Published: 2018-04-27", "2005/01/01 08:17송고", "2010.1.1.", "2018. 4. 27.", the Juche
// calendar's "주체102(2013)년 1월 1일" and "주체107년 4월 27일". Never a bare year.
std::optional<Date> date_in_line(std::string_view line);
// A line among the first eight of `text` with words that is a month and day and nothing else
// ("4·27", "4월 27일", "4. 27.", "4월 27일 (금)"), as a date of `year`.
std::optional<Date> month_day_line(std::string_view text, int year);

// The date of an article read from `path` whose record gave `given` (maybe undated, or only a
// year): the day from the path, else from a dateline or a month-and-day line when the year is
// known; a file named
// after a year dates it to that year, or to the day of a date line within a month of it. A
// clue that contradicts the file's year is reported in `warnings` and not taken.
Date date_from_clues(const Date& given, std::string_view text, std::string_view path,
                     std::vector<std::string>& warnings);

}  // namespace panmun
