// Date buckets and the archive's documents per bucket (corpus/src/timeline.cpp), on dates of
// every precision: a year alone, a month, a day.
#include "panmun/timeline.hpp"

#include <gtest/gtest.h>

#include "helpers.hpp"
#include "panmun/ingest.hpp"

using namespace panmun;
using panmun::test::TempDir;

TEST(Timeline, BucketsKeepTheDatesOwnPrecisionAndFillEmptyYearsAndMonths) {
    EXPECT_EQ(choose_bucket(DateBucket::automatic, "20110000", "20150612"), DateBucket::year);
    EXPECT_EQ(choose_bucket(DateBucket::automatic, "20120101", "20120430"), DateBucket::month);
    EXPECT_EQ(choose_bucket(DateBucket::automatic, "20120101", "20120310"), DateBucket::day);
    EXPECT_EQ(choose_bucket(DateBucket::day, "19460101", "20201231"), DateBucket::day);
    // Dates known to the year only are counted by year, however short the span.
    EXPECT_EQ(choose_bucket(DateBucket::automatic, "20180000", "20180000", DateBucket::year),
              DateBucket::year);
    EXPECT_EQ(choose_bucket(DateBucket::automatic, "20180300", "20180400", DateBucket::month),
              DateBucket::month);
    EXPECT_EQ(precision_of("20180000"), DateBucket::year);
    EXPECT_EQ(precision_of("20180300"), DateBucket::month);
    EXPECT_EQ(precision_of("20180327"), DateBucket::day);
    EXPECT_EQ(bucket_of("20130327", DateBucket::year), "2013");
    EXPECT_EQ(bucket_of("20130327", DateBucket::month), "2013-03");
    EXPECT_EQ(bucket_of("20130300", DateBucket::day), "2013-03");  // a month among days
    EXPECT_EQ(bucket_of("20130000", DateBucket::month), "2013");   // a year among months
    EXPECT_EQ(bucket_range(DateBucket::month, "2012-11", "2013-02"),
              (std::vector<std::string>{"2012-11", "2012-12", "2013-01", "2013-02"}));
    EXPECT_EQ(bucket_range(DateBucket::year, "2011", "2013"),
              (std::vector<std::string>{"2011", "2012", "2013"}));
    EXPECT_TRUE(bucket_range(DateBucket::day, "2013-03-01", "2013-03-05").empty());
    EXPECT_EQ(bucket_name(DateBucket::month), "month");
}

TEST(Timeline, DocumentsInABucketCountEachPrecisionOnce) {
    TempDir dir;
    const std::string path = dir / "a.panmun";
    {
        ArchiveWriter w = ArchiveWriter::create(path);
        std::string lines;
        int n = 0;
        for (const char* date :
             {"2013", "2013-03", "2013-03-27", "2013-03-27", "2013-04-02", "2014-01-01"}) {
            const std::string number = std::to_string(++n);
            lines += "{\"id\":\"d" + number + "\",\"date\":\"" + date +
                     "\",\"text\":\"a text about the hotline number " + number + "\"}\n";
        }
        test::write_file(dir / "in.jsonl", lines);
        IngestReport report = ingest(w, {dir / "in.jsonl"}, {});
        ASSERT_EQ(report.total().added, 6u);
    }
    ArchiveReader reader(path);
    const Xapian::Database& db = reader.database();
    EXPECT_EQ(documents_in(db, "2013", DateBucket::year), 5u);
    EXPECT_EQ(documents_in(db, "2013", DateBucket::month), 1u);  // dated 2013 only
    EXPECT_EQ(documents_in(db, "2013-03", DateBucket::month), 3u);
    EXPECT_EQ(documents_in(db, "2013-03", DateBucket::day), 1u);  // dated March 2013 only
    EXPECT_EQ(documents_in(db, "2013-03-27", DateBucket::day), 2u);
    EXPECT_EQ(documents_in(db, "2012", DateBucket::year), 0u);
}
