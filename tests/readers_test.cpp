#include "panmun/readers.hpp"

#include <gtest/gtest.h>

#include <boost/filesystem.hpp>

#include "helpers.hpp"
#include "panmun/errors.hpp"

using namespace panmun;
using panmun::test::TempDir;

namespace {

std::vector<ReadEvent> events(const std::string& path, ReaderOptions options = {}) {
    InputFile file(path);
    std::vector<ReadEvent> out;
    while (file.next_entry()) {
        auto reader = open_reader(file, file.entry_path(), options);
        for (ReadEvent ev = reader->next(); ev.kind != ReadEvent::Kind::end; ev = reader->next())
            out.push_back(std::move(ev));
    }
    return out;
}

std::vector<ReadEvent> events_of(const std::string& name, const std::string& bytes,
                                 ReaderOptions options = {}) {
    static TempDir tmp;
    test::write_file(tmp / name, bytes);
    return events(tmp / name, std::move(options));
}

}  // namespace

TEST(Readers, FormatsAreChosenByNameThenContent) {
    bool binary = false;
    EXPECT_EQ(detect_format("a/b.jsonl.zst", "", binary), Format::jsonl);
    EXPECT_EQ(detect_format("b.JSON", "", binary), Format::json);
    EXPECT_EQ(detect_format("b.tsv", "id\ttext", binary), Format::csv);
    EXPECT_EQ(detect_format("klue.tsv", "## note", binary), Format::text);
    EXPECT_EQ(detect_format("x.txt", "[not json", binary), Format::text);
    EXPECT_EQ(detect_format("page", "  <!DOCTYPE html><html>", binary), Format::html);
    EXPECT_EQ(detect_format("reut2-000", "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS", binary),
              Format::sgml);
    EXPECT_EQ(detect_format("a.xml", "<?xml version=\"1.0\"?><nitf>", binary), Format::nitf);
    EXPECT_EQ(detect_format("slug-idUSN20061020", "-- Title\n", binary), Format::text);
    EXPECT_FALSE(binary);
    detect_format("x.png", std::string("\x89PNG\r\n\x1a\n\0\0", 10), binary);
    EXPECT_TRUE(binary);
    EXPECT_THROW(parse_format("pdf"), UsageError);
}

TEST(Readers, JsonArrayRecordsAreMappedAndABadOrTruncatedRecordLosesOnlyItself) {
    ReaderOptions o;
    o.map = FieldMap::parse("title=headline,text=story_text,date=date");
    auto ev = events_of(
        "a.json",
        "[\n {\"headline\": \"One\", \"story_text\": \"first {story}\", \"date\": 1704067200000},\n"
        " {\"headline\": \"Two\", \"story_text\": \"\"},\n"
        " {\"headline\": \"Bad\" \"story_text\": \"x\"},\n"
        " {\"headline\": \"Three\", \"story_text\": \"third \\\"]\\\" story\"},\n"
        " {\"headline\": \"Cut\", \"story_te",
        o);
    ASSERT_EQ(ev.size(), 5u);
    EXPECT_EQ(ev[0].kind, ReadEvent::Kind::document);
    EXPECT_EQ(ev[0].document.title, "One");
    EXPECT_EQ(ev[0].document.date.iso(), "2024-01-01");
    EXPECT_EQ(ev[0].where.line, 2u);
    EXPECT_EQ(ev[1].kind, ReadEvent::Kind::skipped);
    EXPECT_EQ(ev[2].kind, ReadEvent::Kind::skipped);
    EXPECT_EQ(ev[2].where.line, 4u);
    EXPECT_EQ(ev[3].document.text, "third \"]\" story");
    EXPECT_EQ(ev[4].kind, ReadEvent::Kind::skipped);
    EXPECT_NE(ev[4].reason.find("truncated"), std::string::npos);
    EXPECT_EQ(ev[4].where.line, 6u);
}

TEST(Readers, CsvQuotesLineBreaksAndBadRowsAreLocated) {
    ReaderOptions o;
    o.map = FieldMap::parse("title=headline,text=body");
    auto ev = events_of(
        "a.csv",
        "\xEF\xBB\xBFheadline,date,body\r\n"
        "\"Talks, at last\",2018-04-27,\"Kim and Moon met.\nThey said \"\"peace\"\".\"\r\n"
        "Short row,2019-01-01\n"
        "\n"
        "Third,2019-02-30,Body three\n"
        "Open,2019-01-02,\"never closed\n",
        o);
    ASSERT_EQ(ev.size(), 4u);
    EXPECT_EQ(ev[0].document.title, "Talks, at last");
    EXPECT_EQ(ev[0].document.text, "Kim and Moon met.\nThey said \"peace\".");
    EXPECT_EQ(ev[0].document.date.iso(), "2018-04-27");
    EXPECT_EQ(ev[1].kind, ReadEvent::Kind::skipped);
    EXPECT_EQ(ev[1].where.line, 4u);
    EXPECT_EQ(ev[2].document.title, "Third");
    EXPECT_FALSE(ev[2].document.date.is_set());  // 2019-02-30 is no date
    ASSERT_EQ(ev[2].warnings.size(), 1u);
    EXPECT_NE(ev[2].warnings[0].find("2019-02-30"), std::string::npos);
    EXPECT_EQ(ev[3].kind, ReadEvent::Kind::skipped);
    EXPECT_EQ(ev[3].where.line, 7u);
    EXPECT_NE(ev[3].reason.find("never closed"), std::string::npos);
}

TEST(Readers, HtmlPagesGiveTitleMetadataAndTheArticleWithoutFurniture) {
    auto ev = events_of(
        "p.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>Site | Hotline cut</title>"
        "<meta property=\"og:title\" content=\"Hotline cut\">"
        "<meta name=\"author\" content=\"Kim Min-ji\">"
        "<meta property=\"article:published_time\" content=\"2020-06-09T08:00:00+09:00\">"
        "<link rel=\"canonical\" href=\"https://example.org/hotline\">"
        "<style>p{}</style><script>var x = 'not text';</script></head><body>"
        "<nav>Home | World</nav><header>Menu</header><article><h1>Hotline cut</h1>"
        "<p>The North cut the lines &amp; hotlines.</p><p>Seoul regretted it.</p></article>"
        "<footer>Copyright</footer></body></html>");
    ASSERT_EQ(ev.size(), 1u);
    const Document& d = ev[0].document;
    EXPECT_EQ(d.title, "Hotline cut");
    EXPECT_EQ(d.date.iso(), "2020-06-09");
    EXPECT_EQ(d.url, "https://example.org/hotline");
    EXPECT_EQ(d.lang, "en");
    EXPECT_EQ(d.author, "Kim Min-ji");
    EXPECT_NE(d.text.find("The North cut the lines & hotlines."), std::string::npos);
    EXPECT_NE(d.text.find("Seoul regretted it."), std::string::npos);
    for (const char* furniture : {"Home", "Menu", "Copyright", "not text", "p{}"})
        EXPECT_EQ(d.text.find(furniture), std::string::npos) << furniture;
}

TEST(Readers, TextHeaderLinesSmartRecordsAndAnnotatedSentences) {
    auto reuters = events_of(
        "us-idUSN1",
        "-- Google buys YouTube\n-- By Jane Doe\n-- Mon Oct 9, 2006 6:02pm EDT\n"
        "-- http://www.reuters.com/article/idUSN1\n\n SAN FRANCISCO  (Reuters) - Body.\n");
    ASSERT_EQ(reuters.size(), 1u);
    EXPECT_EQ(reuters[0].document.title, "Google buys YouTube");
    EXPECT_EQ(reuters[0].document.date.iso(), "2006-10-09");
    EXPECT_EQ(reuters[0].document.url, "http://www.reuters.com/article/idUSN1");
    EXPECT_EQ(reuters[0].document.author, "Jane Doe");
    EXPECT_EQ(reuters[0].document.text.find("--"), std::string::npos);
    auto empty = events_of("us-idUSN2",
                           "-- Title only\n-- \n-- Mon Oct 9, 2006 6:02pm EDT\n-- http://x\n\n\n");
    ASSERT_EQ(empty.size(), 1u);
    EXPECT_EQ(empty[0].kind, ReadEvent::Kind::skipped);
    auto keyed = events_of("k.txt", "Title: Summit\nDate: 2018-04-27\n\nThe leaders met.");
    EXPECT_EQ(keyed[0].document.title, "Summit");
    EXPECT_EQ(keyed[0].document.date.iso(), "2018-04-27");
    EXPECT_EQ(keyed[0].document.text.find("Title"), std::string::npos);
    EXPECT_NE(keyed[0].document.text.find("The leaders met."), std::string::npos);
    auto korean = events_of("1970.txt", "신년사\n노동신문 사설 - 1970년 01월 01일\n본문");
    EXPECT_EQ(korean[0].document.date.iso(), "1970-01-01");
    // Other date lines near the top, after blank lines and ideographic spaces.
    const std::pair<const char*, const char*> lines[] = {
        {"북한 신년사<전문>  2005/01/01 08:17송고\n\n본문", "2005-01-01"},
        {"제목\n\n\n\xE3\x80\x80\n'부제'\n\n2010.1.1.\n\n본문", "2010-01-01"},
        {"제목\n2018. 4. 27. 판문점\n본문", "2018-04-27"},
        {"Title\nPublished 2018-04-27 09:00\nText", "2018-04-27"},
        {"Title\nIn 2018/13/01 nothing\nText", ""},  // no such month
        {"Title\nOn 2018-4-27, mixed\nText", ""},    // ISO has two digits
        {"Title\nThe 2018.04/27 form\nText", ""},    // one separator throughout
        {"Title\nIn the year 2018 only\nText", ""},  // a bare year is no date
    };
    for (const auto& [text, date] : lines)
        EXPECT_EQ(events_of("x.txt", text)[0].document.date.iso(), date) << text;
    auto smart = events_of(
        "TIME.ALL",
        "\n*TEXT 017 01/04/63 PAGE 020\n\nTHE ALLIES .\n\n*TEXT 020 08/30 63 PAGE 021\nMORE .\n");
    ASSERT_EQ(smart.size(), 2u);
    EXPECT_EQ(smart[0].document.id, "text-017");
    EXPECT_EQ(smart[0].document.date.iso(), "1963-01-04");
    EXPECT_EQ(smart[0].where.line, 2u);
    EXPECT_FALSE(smart[1].document.date.is_set());
    EXPECT_EQ(smart[1].warnings.size(), 1u);
    auto klue = events_of("ner.tsv",
                          "## 컬럼명 : CHAR\tNE_TAG\n## "
                          "klue-ner-v1_dev_00000-wikitree\t<경찰:OG>은 <박:PS>씨를\n경\tB-OG\n\n");
    ASSERT_EQ(klue.size(), 1u);
    EXPECT_EQ(klue[0].document.id, "klue-ner-v1_dev_00000-wikitree");
    EXPECT_EQ(klue[0].document.text, "경찰은 박씨를");
}

TEST(Readers, SgmlRecordsWithDatesIdsAndABrokenRecordLocated) {
    auto ev = events_of(
        "r.sgm",
        "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n"
        "<REUTERS TOPICS=\"NO\" NEWID=\"1\">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n"
        "<TEXT>&#2;\n<TITLE>BAHIA COCOA &lt;REVIEW></TITLE>\n<DATELINE>SALVADOR</DATELINE>"
        "<BODY>Showers continued.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n"
        "<REUTERS NEWID=\"2\">\n<DATE>31-MAR-1987 605:12:19.12</DATE>\n<TEXT TYPE=\"BRIEF\">"
        "<TITLE>BRIEF ONLY</TITLE></TEXT>\n</REUTERS>\n"
        "<REUTERS NEWID=\"3\">\n<TEXT><BODY>never closed\n"
        "<REUTERS NEWID=\"4\"><TEXT><BODY>Last.</BODY></TEXT></REUTERS>\n");
    ASSERT_EQ(ev.size(), 4u);
    EXPECT_EQ(ev[0].document.id, "reuters-1");
    EXPECT_EQ(ev[0].document.title, "BAHIA COCOA <REVIEW>");
    EXPECT_EQ(ev[0].document.date.iso(), "1987-02-26");
    EXPECT_NE(ev[0].document.text.find("Showers continued."), std::string::npos);
    EXPECT_EQ(ev[0].document.text.find('\x03'), std::string::npos);
    EXPECT_EQ(ev[0].where.line, 2u);
    EXPECT_EQ(ev[1].document.id, "reuters-2");
    EXPECT_FALSE(ev[1].document.date.is_set());
    EXPECT_EQ(ev[1].warnings.size(), 1u);
    EXPECT_NE(ev[1].document.text.find("BRIEF ONLY"), std::string::npos);
    EXPECT_EQ(ev[2].kind, ReadEvent::Kind::skipped);
    EXPECT_EQ(ev[2].where.line, 14u);
    EXPECT_EQ(ev[3].document.id, "reuters-4");
}

TEST(Readers, NitfArticles) {
    auto ev = events_of(
        "a.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<nitf xml:lang=\"en\"><head><title>T</title>"
        "<docdata><doc-id id-string=\"yna-2018-0427\"/><date.issue norm=\"20180427T093000+0900\"/>"
        "</docdata><pubdata name=\"Yonhap\"/></head><body><body.head><hedline><hl1>Leaders meet at "
        "Panmunjom</hl1></hedline><byline>By <person>Lee "
        "Ji-won</person></byline></body.head><body.content><p>Kim crossed the line.</p>"
        "<p>Moon greeted him.</p></body.content></body></nitf>");
    ASSERT_EQ(ev.size(), 1u);
    const Document& d = ev[0].document;
    EXPECT_EQ(d.id, "yna-2018-0427");
    EXPECT_EQ(d.title, "Leaders meet at Panmunjom");
    EXPECT_EQ(d.date.iso(), "2018-04-27");
    EXPECT_EQ(d.source, "Yonhap");
    EXPECT_EQ(d.author, "Lee Ji-won");
    EXPECT_NE(d.text.find("Kim crossed the line."), std::string::npos);
    auto broken =
        events_of("b.xml", "<?xml version=\"1.0\"?>\n<nitf><head>\n<title>T</head></nitf>");
    ASSERT_EQ(broken.size(), 1u);
    EXPECT_EQ(broken[0].kind, ReadEvent::Kind::skipped);
    EXPECT_NE(broken[0].reason.find("well-formed"), std::string::npos);
    EXPECT_GE(broken[0].where.line, 3u);
}

TEST(Readers, TarMembersAreEntriesAndABinaryFileIsRefused) {
    TempDir tmp;
    boost::filesystem::create_directories(tmp / "d");
    test::write_file(tmp / "d/one.txt", "Title: One\n\nFirst body.");
    test::write_file(tmp / "d/two.json", "[{\"text\":\"second\"}]");
    ASSERT_EQ(
        std::system(("tar -C " + (tmp / "d") + " -czf " + (tmp / "t.tar.gz") + " one.txt two.json")
                        .c_str()),
        0);
    auto ev = events(tmp / "t.tar.gz");
    ASSERT_EQ(ev.size(), 2u);
    EXPECT_EQ(ev[0].document.title, "One");
    EXPECT_EQ(ev[0].where.file, (tmp / "t.tar.gz") + ":one.txt");
    EXPECT_EQ(ev[1].document.text, "second");
    test::write_file(tmp / "x.bin", std::string("GIF89a\0\0\x01\x02", 10));
    InputFile f(tmp / "x.bin");
    ASSERT_TRUE(f.next_entry());
    EXPECT_THROW(open_reader(f, f.entry_path(), {}), InputError);
}
