// End-to-end on a real corpus: KCNA 2012 (../shared/corpora/kcna-marquez), built by the real
// panmun-index with --map, then checked document by document and against an independent scan.
// Skips with a message when the corpora are not beside the checkout (a user's fresh clone).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "helpers.hpp"
#include "oracle.hpp"
#include "panmun/archive.hpp"
#include "panmun/input.hpp"
#include "panmun/jsonl.hpp"
#include "panmun/search.hpp"

using nlohmann::json;
using namespace panmun;
using namespace panmun::test;

namespace {

struct Record {
    std::string title, date, text, url;
};

class Kcna2012 : public ::testing::Test {
protected:
    void SetUp() override {
        if (corpora_dir().empty())
            GTEST_SKIP()
                << "../shared/corpora is absent (set PANMUN_CORPORA): real-corpus test skipped";
        input_ = corpora_dir() + "/kcna-marquez/KCNA_2012.jsonl.zst";
        if (!fs::exists(input_)) GTEST_SKIP() << input_ << " is absent: skipped";
    }
    std::string input_;
};

}  // namespace

TEST_F(Kcna2012, BuildsWithMapAndEveryDocumentRoundTrips) {
    TempDir tmp;
    const std::string archive = tmp / "kcna.panmun";
    RunResult r = run(std::string(PANMUN_INDEX_BIN) + " build --json --source KCNA --archive " +
                      archive + " --map text=story,url=index.link,lang=language " + input_);
    ASSERT_EQ(r.status, 1) << "KCNA 2012 has empty stories, so some records are skipped\n" << r.err;
    json summary = json::parse(r.out);

    // Independently: every line with a non-blank story is a document; identical
    // (title, date, story) records are one document, and so are records with the same text
    // (the first one read is kept).
    std::map<std::tuple<std::string, std::string, std::string>, Record> unique;
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    std::set<std::string> seen_text;
    std::uint64_t lines = 0, empty = 0;
    LineReader reader(input_);
    for (std::string line; reader.next(line);) {
        ++lines;
        json rec = json::parse(line);
        Record d;
        if (rec["story"].is_string()) d.text = rec["story"];
        if (d.text.find_first_not_of(" \t\r\n") == std::string::npos) {
            ++empty;
            continue;
        }
        if (rec["title"].is_string()) d.title = rec["title"];
        if (rec["date"].is_string()) d.date = rec["date"];
        if (rec["index.link"].is_string()) d.url = rec["index.link"];
        auto key = std::make_tuple(d.title, d.date, d.text);
        if (!seen.insert(key).second || !seen_text.insert(same_text_key(d.text)).second) continue;
        unique.emplace(key, d);
    }
    EXPECT_EQ(lines, 10869u);  // SOURCE.md: 10,869 rows
    EXPECT_EQ(empty, 529u);    // SOURCE.md: NA/empty story in 529 rows
    EXPECT_EQ(summary["total"]["read"].get<std::uint64_t>(), lines);
    EXPECT_EQ(summary["total"]["added"].get<std::uint64_t>(), unique.size());
    EXPECT_EQ(summary["total"]["skipped"].get<std::uint64_t>(), empty);
    EXPECT_EQ(summary["total"]["duplicates"].get<std::uint64_t>(), lines - empty - unique.size());

    RunResult verify = run(std::string(PANMUN_INDEX_BIN) + " verify -q --archive " + archive);
    EXPECT_EQ(verify.status, 0) << verify.err;

    ArchiveReader reader_archive(archive);
    ASSERT_EQ(reader_archive.document_count(), unique.size());
    std::size_t checked = 0;
    for (const auto& [key, rec] : unique) {
        Document probe;
        probe.title = rec.title;
        probe.text = rec.text;
        probe.date = *Date::parse_iso(rec.date);
        auto doc = reader_archive.find(content_id(probe));
        ASSERT_TRUE(doc) << rec.title;
        // Stored as cleaning leaves it: the same words, without the ", , ," tails.
        EXPECT_EQ(words_of(doc->text), words_of(rec.text));
        EXPECT_EQ(doc->text.find(", , ,"), std::string::npos);
        if (rec.title.empty())  // derived from the text: its first sentence
            EXPECT_EQ(words_of(doc->title).front(), words_of(rec.text).front()) << doc->title;
        else
            EXPECT_EQ(words_of(doc->title), words_of(rec.title));  // whitespace tidied
        EXPECT_EQ(doc->date.iso(), rec.date);
        EXPECT_EQ(doc->url, rec.url);
        EXPECT_EQ(doc->source, "KCNA");
        ++checked;
    }
    EXPECT_EQ(checked, unique.size());

    // Phrase queries against a scan of the stored texts.
    const std::vector<std::string> phrases = {
        "Kim Jong Il",         "Kim Jong Un",   "Workers' Party of Korea", "Korean People's Army",
        "south Korean puppet", "Lee Myung Bak", "six-party talks"};
    std::vector<std::pair<std::string, std::vector<std::string>>> docs;
    for (const auto& [key, rec] : unique) {
        Document probe;
        probe.title = rec.title;
        probe.text = rec.text;
        probe.date = *Date::parse_iso(rec.date);
        auto words = words_of(rec.title);
        words.push_back("\x01");  // title and body are separate fields: no phrase spans both
        auto body = words_of(rec.text);
        words.insert(words.end(), body.begin(), body.end());
        docs.emplace_back(content_id(probe), std::move(words));
    }
    for (const std::string& phrase : phrases) {
        auto target = words_of(phrase);
        std::set<std::string> expected;
        for (const auto& [id, words] : docs)
            if (contains_phrase(words, target)) expected.insert(id);
        SearchResult result = search(reader_archive, request("\"" + phrase + "\"", 0, 100000), {});
        std::set<std::string> got;
        for (const auto& h : result.hits) got.insert(h.document.id);
        EXPECT_EQ(result.total, expected.size()) << phrase;
        EXPECT_TRUE(got == expected)
            << phrase << ": index " << got.size() << ", scan " << expected.size();
        RecordProperty(phrase, std::to_string(expected.size()));
    }
}
