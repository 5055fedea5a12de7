// search() on the bundled sample corpus, checked against an independent scan of the texts.
#include "panmun/search.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "helpers.hpp"
#include "panmun/errors.hpp"
#include "panmun/ingest.hpp"

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
        {"Kim", "Jong", "Un"},  {"liaison", "office"}, {"military", "hotline"},
        {"Mount", "Kumgang"},   {"family", "reunions"}, {"Kim", "Yo", "Jong"},
        {"Kaesong", "industrial", "complex"},            {"joint", "liaison", "office"},
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
    EXPECT_NE(r.hits[0].document.title.find("otline"), std::string::npos) << r.hits[0].document.title;
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
    EXPECT_EQ(search(archive, request("lang:ko", 0, 100), {}).total, 10u);
    EXPECT_EQ(search(archive, request("nosuchwordanywhere", 0, 10), {}).total, 0u);
}
