// search() on the bundled sample corpus, checked against an independent scan of the texts.
#include "panmun/search.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "helpers.hpp"
#include "panmun/errors.hpp"
#include "panmun/ingest.hpp"
#include "panmun/query.hpp"

using namespace panmun;
using panmun::test::request;
using panmun::test::TempDir;

namespace {

class SampleArchive : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        ArchiveWriter w = ArchiveWriter::create(*dir_ / "sample.panmun");
        IngestReport report = ingest(w, {test::sample_corpus()}, {});
        ASSERT_EQ(report.total().skipped, 0u);
        JsonlReader reader(test::sample_corpus(), {});
        docs_ = new std::vector<Document>;
        for (ReadEvent ev = reader.next(); ev.kind != ReadEvent::Kind::end; ev = reader.next())
            docs_->push_back(ev.document);
    }
    static void TearDownTestSuite() {
        delete docs_;
        delete dir_;
    }
    static std::string path() { return *dir_ / "sample.panmun"; }

    // The oracle: ids of documents whose title or text contains the words in order, separated
    // only by spaces or punctuation, ignoring case (std::regex, not Xapian).
    static std::set<std::string> scan(const std::vector<std::string>& words) {
        std::string pattern = "(^|[^[:alnum:]])";
        for (std::size_t i = 0; i < words.size(); ++i)
            pattern += (i ? "[^[:alnum:]]+" : "") + words[i];
        pattern += "($|[^[:alnum:]])";
        std::regex re(pattern, std::regex::icase);
        std::set<std::string> ids;
        for (const auto& d : *docs_)
            if (std::regex_search(d.text, re) || std::regex_search(d.title, re)) ids.insert(d.id);
        return ids;
    }

    static std::set<std::string> ids_of(const SearchResult& r) {
        std::set<std::string> ids;
        for (const auto& h : r.hits) ids.insert(h.document.id);
        return ids;
    }

    static TempDir* dir_;
    static std::vector<Document>* docs_;
};
TempDir* SampleArchive::dir_ = nullptr;
std::vector<Document>* SampleArchive::docs_ = nullptr;

}  // namespace

TEST_F(SampleArchive, PhrasesMatchExactlyTheDocumentsThatContainThem) {
    ArchiveReader archive(path());
    const std::vector<std::vector<std::string>> phrases = {
        {"Kim", "Jong", "Un"},
        {"liaison", "office"},
        {"military", "hotline"},
        {"Mount", "Kumgang"},
        {"family", "reunions"},
        {"Kim", "Yo", "Jong"},
        {"Kaesong", "industrial", "complex"},
        {"joint", "liaison", "office"},
    };
    for (const auto& words : phrases) {
        std::string q = "\"";
        for (const auto& w : words) q += w + " ";
        q.back() = '"';
        SearchResult r = search(archive, request(q, 0, 1000), {});
        std::set<std::string> expected = scan(words);
        EXPECT_FALSE(expected.empty()) << q;
        EXPECT_EQ(ids_of(r), expected) << q;
        EXPECT_EQ(r.total, expected.size()) << q;
    }
}

TEST_F(SampleArchive, RanksTitleMatchesFirstAndMarksSnippets) {
    ArchiveReader archive(path());
    SearchResult r = search(archive, request("hotline", 0, 5), {});
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].rank, 1u);
    EXPECT_NE(r.hits[0].document.title.find("otline"), std::string::npos)
        << r.hits[0].document.title;
    for (std::size_t i = 1; i < r.hits.size(); ++i) EXPECT_GE(r.hits[i - 1].score, r.hits[i].score);
    EXPECT_NE(r.hits[0].snippet.find("**hotline**"), std::string::npos) << r.hits[0].snippet;
}

TEST_F(SampleArchive, KoreanParticlesDoNotHideAName) {
    ArchiveReader archive(path());
    SearchResult r = search(archive, request("김여정", 0, 100), {});
    std::set<std::string> expected;
    for (const auto& d : *docs_)
        if (d.text.find("김여정") != std::string::npos) expected.insert(d.id);
    EXPECT_GE(expected.size(), 2u);
    EXPECT_EQ(ids_of(r), expected);
    EXPECT_NE(r.hits[0].snippet.find("**김여정**"), std::string::npos) << r.hits[0].snippet;
}

TEST_F(SampleArchive, PagingAndFieldsWork) {
    ArchiveReader archive(path());
    SearchResult all = search(archive, request("Korea", 0, 1000), {});
    SearchResult page = search(archive, request("Korea", 3, 2), {});
    ASSERT_EQ(page.hits.size(), 2u);
    EXPECT_EQ(page.total, all.total);
    EXPECT_EQ(page.hits[0].rank, 4u);
    EXPECT_EQ(page.hits[0].document.id, all.hits[3].document.id);
    EXPECT_EQ(search(archive, request("lang:ko", 0, 100), {}).total, 14u);
    EXPECT_EQ(search(archive, request("nosuchwordanywhere", 0, 10), {}).total, 0u);
}

// Without fetching, hits are the same hits with what the index holds: id, date, rank, score.
TEST_F(SampleArchive, HitsWithoutTheStoreCarryIdsAndDatesFromTheIndex) {
    ArchiveReader archive(path());
    SearchRequest fetched = request("Korea", 0, 1000);
    SearchRequest bare = fetched;
    bare.fetch = false;
    SearchResult a = search(archive, fetched, {}), b = search(archive, bare, {});
    ASSERT_GT(a.hits.size(), 10u);
    ASSERT_EQ(b.hits.size(), a.hits.size());
    EXPECT_EQ(b.total, a.total);
    for (std::size_t i = 0; i < a.hits.size(); ++i) {
        EXPECT_EQ(b.hits[i].document.id, a.hits[i].document.id);
        EXPECT_EQ(b.hits[i].document.date, a.hits[i].document.date) << a.hits[i].document.id;
        EXPECT_EQ(b.hits[i].rank, a.hits[i].rank);
        EXPECT_DOUBLE_EQ(b.hits[i].score, a.hits[i].score);
        EXPECT_TRUE(b.hits[i].document.text.empty());
        EXPECT_TRUE(b.hits[i].snippet.empty());
    }
}

TEST_F(SampleArchive, DateFieldAndDateRangeFilterByTheDocumentsDates) {
    ArchiveReader archive(path());
    auto dated_within = [&](const std::string& from, const std::string& to) {
        std::set<std::string> ids;
        for (const auto& d : *docs_)
            if (d.date.is_set() && d.date.iso() >= from && d.date.iso() <= to) ids.insert(d.id);
        return ids;
    };
    EXPECT_EQ(ids_of(search(archive, request("date:2018", 0, 100), {})),
              dated_within("2018-01-01", "2018-12-31"));
    EXPECT_EQ(ids_of(search(archive, request("date:2020-06-01..2020-06-30", 0, 100), {})),
              dated_within("2020-06-01", "2020-06-30"));
    EXPECT_EQ(ids_of(search(archive, request("date:..1990", 0, 100), {})),
              dated_within("0000", "1990-12-31"));
    EXPECT_EQ(ids_of(search(archive, request("date:2021..", 0, 100), {})),
              dated_within("2021-01-01", "9999"));
    // The same range as options; AND-ed with the query.
    SearchRequest r = request("hotline", 0, 100);
    r.dates = *DateRange::parse("2010..2013");
    std::set<std::string> expected;
    for (const auto& id : ids_of(search(archive, request("hotline", 0, 100), {})))
        if (dated_within("2010-01-01", "2013-12-31").count(id)) expected.insert(id);
    EXPECT_FALSE(expected.empty());
    EXPECT_EQ(ids_of(search(archive, r, {})), expected);
}

TEST_F(SampleArchive, SortsByDateEitherWay) {
    ArchiveReader archive(path());
    SearchRequest r = request("Korea", 0, 1000);
    r.sort = SortOrder::date;
    SearchResult oldest = search(archive, r, {});
    r.sort = SortOrder::newest;
    SearchResult newest = search(archive, r, {});
    ASSERT_GT(oldest.hits.size(), 5u);
    ASSERT_EQ(oldest.hits.size(), newest.hits.size());
    for (std::size_t i = 1; i < oldest.hits.size(); ++i) {
        EXPECT_LE(oldest.hits[i - 1].document.date.sortable(),
                  oldest.hits[i].document.date.sortable());
        EXPECT_GE(newest.hits[i - 1].document.date.sortable(),
                  newest.hits[i].document.date.sortable());
    }
}

TEST_F(SampleArchive, SyntaxErrorsAreErrorsNotEmptyResults) {
    ArchiveReader archive(path());
    EXPECT_THROW(search(archive, request("\"Kim Jong", 0, 10), {}), QuerySyntaxError);
    EXPECT_THROW(search(archive, request("hotline AND", 0, 10), {}), UsageError);
}

TEST_F(SampleArchive, HighlightsGiveTheMarkedSpansOfThePlainSnippet) {
    ArchiveReader archive(path());
    SearchResult r = search(archive, request("hotline", 0, 5), {"<", ">", 240});
    ASSERT_EQ(r.hits.size(), 5u);
    for (const Hit& h : r.hits) {
        if (h.document.text.find("hotline") != std::string::npos) {
            EXPECT_FALSE(h.highlights.empty()) << h.snippet;
        }
        std::string rebuilt;
        std::size_t from = 0;
        for (const Span& s : h.highlights) {
            ASSERT_LT(s.begin, s.end);
            ASSERT_LE(s.end, h.plain_snippet.size());
            rebuilt += h.plain_snippet.substr(from, s.begin - from) + "<" +
                       h.plain_snippet.substr(s.begin, s.end - s.begin) + ">";
            from = s.end;
            std::string word = h.plain_snippet.substr(s.begin, s.end - s.begin);
            for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            EXPECT_EQ(word.substr(0, 7), "hotline") << word;  // hotline, hotlines
        }
        EXPECT_EQ(rebuilt + h.plain_snippet.substr(from), h.snippet);
    }
    // Hangul: one span for the whole name, not one per n-gram.
    SearchResult ko = search(archive, request("김여정", 0, 1), {"<", ">", 240});
    ASSERT_FALSE(ko.hits.empty());
    EXPECT_NE(ko.hits[0].snippet.find("<김여정>"), std::string::npos) << ko.hits[0].snippet;
}

TEST_F(SampleArchive, LikeFindsRelatedArticlesNotItselfWithinDates) {
    ArchiveReader archive(path());
    LikeRequest like_cut;
    like_cut.id = "sample-20130327-hotline-cut-2013";
    like_cut.limit = 5;
    SearchResult r = like(archive, like_cut, {});
    ASSERT_EQ(r.hits.size(), 5u);
    std::set<std::string> top = ids_of(r);
    EXPECT_FALSE(top.count(like_cut.id)) << "the example is not its own precedent";
    EXPECT_TRUE(top.count("sample-20090309-hotline-cut-key-resolve")) << r.query;
    // A count (limit 0) is exact, although a page of hits stops counting early: every match
    // shows when one page holds them all.
    LikeRequest all = like_cut;
    all.collapse = false;
    all.limit = 0;
    SearchResult counted = like(archive, all, {});
    EXPECT_TRUE(counted.total_exact);
    all.limit = 1000;
    EXPECT_EQ(like(archive, all, {}).hits.size(), counted.total);
    like_cut.dates = DateRange::before(*Date::parse_iso("2010"));
    for (const Hit& h : like(archive, like_cut, {}).hits)
        EXPECT_LT(h.document.date.iso(), "2010") << h.document.id;

    LikeRequest pasted;
    pasted.text =
        "Pyongyang said it would cut every hotline with Seoul, including the military "
        "communication lines, and the liaison channel at Panmunjom went silent.";
    SearchResult p = like(archive, pasted, {});
    ASSERT_FALSE(p.hits.empty());
    EXPECT_NE(p.hits[0].document.text.find("hotline"), std::string::npos) << p.hits[0].document.id;

    // The words searched for are shown as the example writes them, not as stems ("hotlin").
    for (const std::string& word : {std::string(" ") + p.query + " "})
        for (const char* stem : {" hotlin ", " communic ", " includ "})
            EXPECT_EQ(word.find(stem), std::string::npos) << p.query;
    std::set<std::string> shown;
    for (std::size_t from = 0; from <= p.query.size();) {
        std::size_t space = std::min(p.query.find(' ', from), p.query.size());
        shown.insert(p.query.substr(from, space - from));
        from = space + 1;
    }
    EXPECT_TRUE(shown.count("hotline")) << p.query;
    EXPECT_TRUE(shown.count("Panmunjom")) << p.query;  // a name keeps its capital

    LikeRequest nothing;
    nothing.text = "the of and";
    EXPECT_THROW(like(archive, nothing, {}), UsageError);
    LikeRequest unknown;
    unknown.id = "no-such-id";
    EXPECT_THROW(like(archive, unknown, {}), UsageError);
}

TEST(NearDuplicates, CopiesShareAKeyAndUnrelatedTextsDoNot) {
    const std::string story =
        "North Korea cut all communication lines with South Korea on Tuesday, including the "
        "military hotline and the liaison office channel, in protest at leaflets sent across "
        "the border by defectors. The Unification Ministry said calls went unanswered at nine.";
    EXPECT_EQ(near_duplicate_key(story), near_duplicate_key(story));
    // The same story with different case, spacing and punctuation: the same words.
    std::string restyled = story;
    for (char& c : restyled)
        c = c == ',' ? ';' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(near_duplicate_key(restyled), near_duplicate_key(story));
    EXPECT_NE(
        near_duplicate_key(story),
        near_duplicate_key("Separated families met at Mount Kumgang for the first time in "
                           "three years, in reunions arranged by the Red Cross of both sides."));
    EXPECT_EQ(near_duplicate_key(" ,. "), 0u);
    EXPECT_NE(near_duplicate_key("Short text"), 0u);
}

TEST(NearDuplicates, SearchCollapsesThemToOneHit) {
    TempDir tmp;
    ArchiveWriter w = ArchiveWriter::create(tmp / "dup.panmun");
    Document a;
    a.id = "wire-1";
    a.title = "Hotline cut";
    a.text =
        "North Korea cut the military hotline with the South today, the ministry said, "
        "after weeks of rising tension along the border and warnings from Pyongyang.";
    Document b = a;  // a syndicated copy under a new headline
    b.id = "paper-1";
    b.title = "North severs hotline";
    Document c;
    c.id = "other";
    c.text = "The hotline was restored a year later and officers spoke twice a day.";
    w.add(a);
    w.add(b);
    w.add(c);
    w.commit();
    ArchiveReader reader(tmp / "dup.panmun");
    SearchRequest r = request("hotline", 0, 10);
    EXPECT_EQ(search(reader, r, {}).total, 3u);
    r.collapse = true;
    SearchResult collapsed = search(reader, r, {});
    EXPECT_EQ(collapsed.total, 2u);
    ASSERT_EQ(collapsed.hits.size(), 2u);
    Xapian::doccount duplicates = 0;
    for (const Hit& h : collapsed.hits) duplicates += h.duplicates;
    EXPECT_EQ(duplicates, 1u);
}

// A phrase hit's snippet shows the phrase even where a possessive follows it ("puppet group's"),
// and a snippet of hard-wrapped text is one line.
TEST(Snippets, ShowThePhraseBeforeAPossessiveAndAreOneLine) {
    TempDir tmp;
    ArchiveWriter w = ArchiveWriter::create(tmp / "s.panmun");
    Document d;
    d.id = "wrapped";
    std::string filler;
    for (int i = 0; i < 40; ++i) filler += "word" + std::to_string(i) + " ";
    d.text = filler + "\nand then the puppet group's\nwarmongers met again.\n" + filler;
    w.add(d);
    w.commit();
    ArchiveReader reader(tmp / "s.panmun");
    SearchResult r = search(reader, request("\"puppet group\"", 0, 1), {"<", ">", 120});
    ASSERT_EQ(r.hits.size(), 1u);
    EXPECT_NE(r.hits[0].snippet.find("<puppet group>'s warmongers"), std::string::npos)
        << r.hits[0].snippet;
    EXPECT_EQ(r.hits[0].plain_snippet.find('\n'), std::string::npos) << r.hits[0].plain_snippet;
    EXPECT_EQ(r.hits[0].plain_snippet.find("\xE2\x80\x8B"), std::string::npos)
        << "no zero width space left";
    ASSERT_EQ(r.hits[0].highlights.size(), 1u);
    const Span s = r.hits[0].highlights[0];
    EXPECT_EQ(r.hits[0].plain_snippet.substr(s.begin, s.end - s.begin), "puppet group");
}

TEST(MixedLanguage, EnglishAndHangulInOneDocumentAreBothSearchable) {
    TempDir tmp;
    ArchiveWriter w = ArchiveWriter::create(tmp / "mixed.panmun");
    Document d;
    d.id = "mixed-1";
    d.title = "Kim Yo Jong statement (김여정 담화)";
    d.text =
        "In a statement carried by KCNA, Kim Yo Jong's warning was blunt: 김여정은 남측이 "
        "전단 살포를 막지 않으면 연락사무소를 철거하겠다고 밝혔다. Seoul said it was reviewing "
        "the leaflets issue.";
    w.add(d);
    Document other;
    other.id = "english-only";
    other.text = "The statement on leaflets was reviewed in Seoul.";
    w.add(other);
    w.commit();
    ArchiveReader reader(tmp / "mixed.panmun");
    auto ids = [&](const std::string& q) {
        std::set<std::string> out;
        for (const Hit& h : search(reader, request(q, 0, 10), {}).hits) out.insert(h.document.id);
        return out;
    };
    const std::set<std::string> mixed = {"mixed-1"};
    EXPECT_EQ(ids("김여정"), mixed);  // Hangul with a particle, in the text
    EXPECT_EQ(ids("연락사무소"), mixed);
    EXPECT_EQ(ids("\"Kim Yo Jong\""), mixed);  // an English phrase beside Hangul
    EXPECT_EQ(ids("review 김여정"), mixed);    // stemmed English AND Hangul
    EXPECT_EQ(ids("title:statement"), mixed);
    EXPECT_EQ(ids("leaflet").size(), 2u);  // stems: leaflets
    EXPECT_TRUE(ids("김여정 NOT leaflets").empty());
}
