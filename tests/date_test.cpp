#include "panmun/date.hpp"

#include <gtest/gtest.h>

using panmun::Date;
using panmun::DateRange;

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
    for (const char* bad : {"", "2019-02-30", "1900-02-29", "2018-13-01", "2018-00", "2018-04-00",
                            "20180400", "18-04-27", "2018/04/27", "April 2018", "2018-04-27x",
                            "2018-4-27", "20180427123"})
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
