#include "panmun/jsonl.hpp"

#include <gtest/gtest.h>

#include "helpers.hpp"
#include "panmun/errors.hpp"

using namespace panmun;
using panmun::test::TempDir;

namespace {

std::vector<ReadEvent> read_all(const std::string& path, FieldMap map = {}) {
    JsonlReader reader(path, std::move(map));
    std::vector<ReadEvent> events;
    for (ReadEvent ev = reader.next(); ev.kind != ReadEvent::Kind::end; ev = reader.next())
        events.push_back(std::move(ev));
    return events;
}

}  // namespace

TEST(JsonlReader, ReadsOurFields) {
    TempDir tmp;
    test::write_file(
        tmp / "a.jsonl",
        R"({"id":"a1","title":"T","date":"2020-06-09","source":"S","url":"u","lang":"en","text":"Body."})"
        "\n");
    auto events = read_all(tmp / "a.jsonl");
    ASSERT_EQ(events.size(), 1u);
    ASSERT_EQ(events[0].kind, ReadEvent::Kind::document);
    const Document& d = events[0].document;
    EXPECT_EQ(d.id, "a1");
    EXPECT_EQ(d.title, "T");
    EXPECT_EQ(d.date.iso(), "2020-06-09");
    EXPECT_EQ(d.source, "S");
    EXPECT_EQ(d.url, "u");
    EXPECT_EQ(d.lang, "en");
    EXPECT_EQ(d.text, "Body.");
    EXPECT_EQ(events[0].where.str(), (tmp / "a.jsonl") + ":1");
}

TEST(JsonlReader, BadLinesAreSkippedWithFileAndLineTheRestIsRead) {
    TempDir tmp;
    test::write_file(tmp / "mixed.jsonl",
                     "{\"id\":\"ok1\",\"text\":\"first\"}\n"
                     "{\"id\":\"broken\",\"text\":\"no end\n"  // line 2: truncated JSON
                     "[1,2,3]\n"                               // line 3: not an object
                     "\n"                                      // line 4: blank, ignored
                     "{\"id\":\"empty\",\"text\":\"  \"}\n"    // line 5: no text
                     "{\"id\":\"arr\",\"text\":[\"x\"]}\n"     // line 6: text not a string
                     "{\"id\":\"ok2\",\"text\":\"second\",\"date\":\"2019-02-30\"}\n");
    auto events = read_all(tmp / "mixed.jsonl");
    ASSERT_EQ(events.size(), 6u);
    auto expect_skip = [&](std::size_t i, std::uint64_t line, const std::string& reason_part) {
        SCOPED_TRACE(i);
        EXPECT_EQ(events[i].kind, ReadEvent::Kind::skipped);
        EXPECT_EQ(events[i].where.line, line);
        EXPECT_EQ(events[i].where.file, tmp / "mixed.jsonl");
        EXPECT_NE(events[i].reason.find(reason_part), std::string::npos) << events[i].reason;
    };
    EXPECT_EQ(events[0].document.id, "ok1");
    expect_skip(1, 2, "invalid JSON at byte");
    expect_skip(2, 3, "not a JSON object");
    expect_skip(3, 5, "no text");
    expect_skip(4, 6, "not a string");
    ASSERT_EQ(events[5].kind, ReadEvent::Kind::document);
    EXPECT_EQ(events[5].document.id, "ok2");
    EXPECT_FALSE(events[5].document.date.is_set());  // impossible date: kept undated, said so
    ASSERT_EQ(events[5].warnings.size(), 1u);
    EXPECT_NE(events[5].warnings[0].find("2019-02-30"), std::string::npos);
}

TEST(JsonlReader, FieldMapRenamesKeys) {
    TempDir tmp;
    test::write_file(
        tmp / "k.jsonl",
        R"({"story":"Text here","date":"2012-01-01","index.link":"http://x","language":"en","title":null,"n":5})"
        "\n");
    auto events =
        read_all(tmp / "k.jsonl", FieldMap::parse("text=story,url=index.link,lang=language,id=n"));
    ASSERT_EQ(events.size(), 1u);
    const Document& d = events[0].document;
    EXPECT_EQ(d.text, "Text here");
    EXPECT_EQ(d.url, "http://x");
    EXPECT_EQ(d.lang, "en");
    EXPECT_EQ(d.title, "");
    EXPECT_EQ(d.id, "5");
}

TEST(JsonlReader, FieldMapErrorsNameTheProblem) {
    EXPECT_THROW(FieldMap::parse("headline"), UsageError);
    EXPECT_THROW(FieldMap::parse("=x"), UsageError);
    EXPECT_THROW(FieldMap::parse("title="), UsageError);
    try {
        FieldMap::parse("body=story");
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown field 'body'"), std::string::npos);
    }
}

TEST(JsonlReader, MissingIdIsDerivedStablyFromContent) {
    TempDir tmp;
    test::write_file(tmp / "n.jsonl",
                     "{\"title\":\"A\",\"text\":\"same\"}\n{\"title\":\"A\",\"text\":\"same\"}\n"
                     "{\"title\":\"B\",\"text\":\"same\"}\n");
    auto events = read_all(tmp / "n.jsonl");
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].document.id, events[1].document.id);
    EXPECT_NE(events[0].document.id, events[2].document.id);
    EXPECT_EQ(events[0].document.id.size(), 17u);
    EXPECT_EQ(events[0].document.id[0], 'h');
}

TEST(JsonlReader, ReadsTheDateFormsOfRealFeeds) {
    TempDir tmp;
    test::write_file(tmp / "dates.jsonl",
                     "{\"id\":\"r\",\"text\":\"x\",\"date\":\"Fri Oct 20, 2006 4:25pm EDT\"}\n"
                     "{\"id\":\"k\",\"text\":\"x\",\"date\":\"2018년 4월 27일\"}\n"
                     "{\"id\":\"e\",\"text\":\"x\",\"date\":1592265600000}\n"
                     "{\"id\":\"s\",\"text\":\"x\",\"date\":\"26-FEB-1987 15:01:01.79\"}\n");
    auto events = read_all(tmp / "dates.jsonl");
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events[0].document.date.iso(), "2006-10-20");
    EXPECT_EQ(events[1].document.date.iso(), "2018-04-27");
    EXPECT_EQ(events[2].document.date.iso(), "2020-06-16");
    EXPECT_EQ(events[3].document.date.iso(), "1987-02-26");
    for (const auto& ev : events) EXPECT_TRUE(ev.warnings.empty());
}

// Found by fuzz_jsonl: nlohmann throws out_of_range (not parse_error) for a number no double
// can hold; it used to escape the reader and end the whole run.
TEST(JsonlReader, AHugeNumberSkipsTheLineNotTheRun) {
    TempDir tmp;
    test::write_file(tmp / "big.jsonl",
                     "{\"id\":\"n\",\"text\":\"x\",\"n\":-4630E763018308100064744}\n"
                     "{\"id\":\"ok\",\"text\":\"fine\"}\n");
    auto events = read_all(tmp / "big.jsonl");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].kind, ReadEvent::Kind::skipped);
    EXPECT_EQ(events[0].where.line, 1u);
    EXPECT_NE(events[0].reason.find("too large"), std::string::npos) << events[0].reason;
    EXPECT_EQ(events[1].document.id, "ok");
}
