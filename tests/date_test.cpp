#include "panmun/date.hpp"

#include <gtest/gtest.h>

#include "panmun/date_clues.hpp"

using panmun::Date;
using panmun::DateRange;
using namespace panmun;

TEST(Date, ParsesIsoFormsWithTheirPrecision) {
    auto d = Date::parse_iso("2018-04-27");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->precision(), Date::Precision::day);
    EXPECT_EQ(d->iso(), "2018-04-27");
    EXPECT_EQ(d->sortable(), "20180427");

    auto m = Date::parse_iso("2018-04");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->precision(), Date::Precision::month);
    EXPECT_EQ(m->sortable(), "20180400");

    auto y = Date::parse_iso("1972");
    ASSERT_TRUE(y);
    EXPECT_EQ(y->precision(), Date::Precision::year);
    EXPECT_EQ(y->iso(), "1972");
}

TEST(Date, AcceptsTimesAndCompactForm) {
    EXPECT_EQ(Date::parse_iso("2020-06-09T12:00:00Z")->iso(), "2020-06-09");
    EXPECT_EQ(Date::parse_iso("2020-06-09 12:00")->iso(), "2020-06-09");
    EXPECT_EQ(Date::parse_iso(" 20200609 ")->iso(), "2020-06-09");
    EXPECT_EQ(Date::parse_iso("2000-02-29")->iso(), "2000-02-29");
}

TEST(Date, RejectsImpossibleAndDoubtfulDates) {
    for (const char* bad :
         {"", "2019-02-30", "1900-02-29", "2018-13-01", "2018-00", "2018-04-00", "20180400",
          "18-04-27", "2018/04/27", "April 2018", "2018-04-27x", "2018-4-27", "20180427123"})
        EXPECT_FALSE(Date::parse_iso(bad)) << bad;
}

TEST(Date, SortableRoundTripsAndOrdersLikeTime) {
    for (const char* s : {"1972", "1972-07", "1972-07-04", "2024-12-31"}) {
        Date d = *Date::parse_iso(s);
        EXPECT_EQ(*Date::from_sortable(d.sortable()), d) << s;
    }
    EXPECT_LT(Date::parse_iso("2018")->sortable(), Date::parse_iso("2018-01-01")->sortable());
    EXPECT_LT(Date::parse_iso("2018-04")->sortable(), Date::parse_iso("2018-04-01")->sortable());
    EXPECT_FALSE(Date::from_sortable("20180231"));
    EXPECT_FALSE(Date::from_sortable("2018"));
    EXPECT_FALSE(Date::from_sortable("")->is_set());
}

TEST(DateRange, ParsesSingleDatesAndRangesWithOpenEnds) {
    auto r = DateRange::parse("2018");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->low, "20180000");
    EXPECT_EQ(r->high, "20189999");
    r = DateRange::parse("2018-04");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->low, "20180400");
    EXPECT_EQ(r->high, "20180499");
    r = DateRange::parse("2020-06-01..2020-06-30");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->low, "20200601");
    EXPECT_EQ(r->high, "20200630");
    r = DateRange::parse("2018-04..");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->low, "20180400");
    EXPECT_EQ(r->high, "");
    r = DateRange::parse("..2019");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->low, "");
    EXPECT_EQ(r->high, "20199999");
    for (const char* bad : {"", "..", "2018-13", "2019-02-30", "18", "2018-4", "20180427",
                            "2019..2018", "2018...2019", "2018-04-27T10:00", "x..2019"})
        EXPECT_FALSE(DateRange::parse(bad)) << bad;
}

TEST(DateRange, ContainsByPrecisionAndBeforeAfterAreStrict) {
    auto d = [](const char* s) { return *Date::parse_iso(s); };
    DateRange year = *DateRange::parse("2018");
    EXPECT_TRUE(year.contains(d("2018")));
    EXPECT_TRUE(year.contains(d("2018-04")));
    EXPECT_TRUE(year.contains(d("2018-12-31")));
    EXPECT_FALSE(year.contains(d("2019-01-01")));
    EXPECT_FALSE(year.contains(Date{}));  // undated is in no range
    DateRange april_days = *DateRange::parse("2018-04-01..2018-04-30");
    EXPECT_FALSE(april_days.contains(d("2018-04")));  // its day is unknown
    EXPECT_TRUE(april_days.contains(d("2018-04-27")));

    DateRange before = DateRange::before(d("2020-06-01"));
    EXPECT_TRUE(before.contains(d("2020-05-31")));
    EXPECT_FALSE(before.contains(d("2020-06-01")));
    EXPECT_FALSE(DateRange::before(d("2020")).contains(d("2020-01-01")));
    EXPECT_TRUE(DateRange::before(d("2020")).contains(d("2019-12-31")));
    DateRange after = DateRange::after(d("2020-06"));
    EXPECT_FALSE(after.contains(d("2020-06-30")));
    EXPECT_TRUE(after.contains(d("2020-07-01")));
    DateRange both = before.intersect(DateRange::after(d("2019")));
    EXPECT_TRUE(both.contains(d("2020-03-01")));
    EXPECT_FALSE(both.contains(d("2019-12-31")));
    EXPECT_FALSE(both.contains(d("2020-06-02")));
}

TEST(Date, ParsesTheFormsNewsCarries) {
    struct Case {
        const char* text;
        const char* iso;
    };
    const Case cases[] = {
        {"2018-04-27", "2018-04-27"},
        {"2018-04-27T10:00:00+09:00", "2018-04-27"},
        {"Fri, 20 Oct 2006 16:25:00 -0400", "2006-10-20"},  // RFC 2822
        {"20 Oct 2006", "2006-10-20"},
        {"Fri Oct 20, 2006 4:25pm EDT", "2006-10-20"},  // reuters-financial
        {"October 20, 2006", "2006-10-20"},
        {"Sept. 9, 2018", "2018-09-09"},
        {"20 October 2006", "2006-10-20"},
        {"October 2006", "2006-10"},
        {"26-FEB-1987 15:01:01.79", "1987-02-26"},  // Reuters-21578
        {" 5-MAR-1987 09:04:54.21", "1987-03-05"},
        {"2018년 4월 27일", "2018-04-27"},
        {"1970년 01월 01일", "1970-01-01"},
        {"2018년 4월", "2018-04"},
        {"2018년", "2018"},
        {"1592265600000", "2020-06-16"},  // epoch milliseconds
        {"946684799999", "1999-12-31"},
    };
    for (const Case& c : cases) {
        auto d = Date::parse(c.text);
        ASSERT_TRUE(d) << c.text;
        EXPECT_EQ(d->iso(), c.iso) << c.text;
    }
    for (const char* bad :
         {"", "yesterday", "Oct 20", "20 Oct", "32 Oct 2006", "Feb 30, 2019", "2018년 13월",
          "Octopus 20, 2006", "20 Oct 06", "12345678901", "Friday", "20 Oct 2006x", "26-FEB-87"})
        EXPECT_FALSE(Date::parse(bad)) << bad;
}

TEST(Date, DatelinesNeedTheirYearFromElsewhere) {
    auto d = date_from_dateline("Pyongyang, December 24 (KCNA) -- The Korean people", 2011);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->iso(), "2011-12-24");
    d = date_from_dateline("SEOUL, June 9 - North Korea said", 2020);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->iso(), "2020-06-09");
    EXPECT_FALSE(date_from_dateline("Pyongyang, February 30 (KCNA)", 2011));
    EXPECT_FALSE(date_from_dateline("The leader said, March came early", 2011));
    EXPECT_FALSE(date_from_dateline("No dateline here at all", 2011));
}

TEST(Date, YearsInPathsAreTakenFromTheFileAndItsFolderOnly) {
    EXPECT_EQ(year_from_path("/tmp/x/kcna/2011/story.txt"), 2011);
    EXPECT_EQ(year_from_path("data/KCNA_2012.jsonl.zst"), 2012);
    EXPECT_FALSE(year_from_path("/srv/2011/kcna/story.txt"));  // not the file's folder
    EXPECT_FALSE(year_from_path("a/2011-vs-2012.txt"));        // two years: ambiguous
    EXPECT_FALSE(year_from_path("a/story-12345.txt"));
    EXPECT_FALSE(year_from_path("a/1850.txt"));
}

TEST(Date, PathsAndUrlsCarryDates) {
    EXPECT_EQ(date_from_path("kcna/kcna-20111219.txt")->iso(), "2011-12-19");
    EXPECT_EQ(date_from_path("https://example.org/2018/04/27/summit.html")->iso(), "2018-04-27");
    EXPECT_FALSE(date_from_path("story-123456789.txt"));   // 9 digits: not a date
    EXPECT_FALSE(date_from_path("batch-20181340.jsonl"));  // month 13
    EXPECT_FALSE(date_from_path("no/date/here"));
    EXPECT_EQ(date_from_path("id-99991231-then-20200616")->iso(),
              "2020-06-16");  // 9999: out of range
}

// Unix times of any year, before 1970 too (a file's mtime with --date-from mtime).
TEST(Date, FromUnixTimeGivesTheUtcDay) {
    EXPECT_EQ(Date::from_unix_time(0)->iso(), "1970-01-01");
    EXPECT_EQ(Date::from_unix_time(86399)->iso(), "1970-01-01");
    EXPECT_EQ(Date::from_unix_time(-1)->iso(), "1969-12-31");
    EXPECT_EQ(Date::from_unix_time(-304560000)->iso(), "1960-05-08");
    EXPECT_EQ(Date::from_unix_time(1592265600)->iso(), "2020-06-16");
    EXPECT_FALSE(Date::from_fields(2019, 2, 29));
    EXPECT_TRUE(Date::from_fields(2020, 2, 29));
    EXPECT_FALSE(Date::from_fields(2020, 0, 3));
    EXPECT_FALSE(Date::from_fields(10000));
    // chrono::day keeps eight bits: day 281 must not pass as day 25 (a fuzzing find).
    EXPECT_FALSE(Date::from_fields(2018, 7, 281));
    EXPECT_FALSE(Date::parse("jul 281 2018"));
    EXPECT_FALSE(Date::parse("281 Jul 2018"));
}

TEST(Date, TheJucheCalendarIsRead) {
    // Juche 1 is 1912: 주체107 is 2018. A Gregorian year in brackets must agree.
    EXPECT_EQ(Date::parse("주체107(2018)년 4월 27일")->iso(), "2018-04-27");
    EXPECT_EQ(Date::parse("주체107년 4월 27일")->iso(), "2018-04-27");
    EXPECT_EQ(Date::parse("주체102(2013)년")->iso(), "2013");
    EXPECT_FALSE(Date::parse("주체107(2017)년 4월 27일"));
    EXPECT_EQ(date_in_line("　　주체102(2013)년 1월 1일 ")->iso(), "2013-01-01");
    EXPECT_EQ(date_in_line("평양 주체107년 4월 27일 발")->iso(), "2018-04-27");
    EXPECT_FALSE(date_in_line("주체107(2017)년 4월 27일"));
}

TEST(Date, AMonthAndDayLineTakesTheRecordsYear) {
    EXPECT_EQ(month_day_line("제목\n\n4·27\n본문", 2018)->iso(), "2018-04-27");
    EXPECT_EQ(month_day_line("제목\n4월 27일 (금)\n본문", 2018)->iso(), "2018-04-27");
    EXPECT_EQ(month_day_line("4. 27.\n본문", 2018)->iso(), "2018-04-27");
    // In a sentence it names an event, not the day of writing.
    EXPECT_FALSE(month_day_line("4.27 남북정상회담 이후\n본문", 2018));
    EXPECT_FALSE(month_day_line("2월 30일\n", 2018));
    std::vector<std::string> warnings;
    const Date year_only = *Date::from_fields(2018);
    EXPECT_EQ(date_from_clues(year_only, "판문점 선언\n4ㆍ27\n본문", "a.csv", warnings).iso(),
              "2018-04-27");
    EXPECT_EQ(date_from_clues(year_only, "4·27 판문점 선언을 돌아보며", "a.csv", warnings).iso(),
              "2018");
    EXPECT_TRUE(warnings.empty());
}
