// Korean search correctness on a real corpus, against an oracle written here (issue 5): the
// North Korean New Year addresses 1946–2019 (../shared/corpora/nk-newyear-ko): names and words
// followed by particles are found; recall and precision against a substring scan. Skips with a
// message when the corpus is absent. (KCNA's English oracle: kcna_oracle_test.cpp.)
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "helpers.hpp"
#include "oracle.hpp"
#include "panmun/archive.hpp"
#include "panmun/input.hpp"
#include "panmun/search.hpp"

using nlohmann::json;
using namespace panmun;
using namespace panmun::test;

namespace {

// The New Year addresses, one document per year: line 1 the title, the rest the text.
class NewYearKo : public ::testing::Test {
protected:
    void SetUp() override {
        if (corpora_dir().empty())
            GTEST_SKIP() << "../shared/corpora is absent: real-corpus test skipped";
        const std::string tarball =
            corpora_dir() + "/nk-newyear-ko/nk-newyear-speeches-data.tar.zst";
        if (!fs::exists(tarball)) GTEST_SKIP() << tarball << " is absent: skipped";
        RunResult r = run("tar --zstd -xf " + shell_quote(tarball) + " -C " +
                          shell_quote(tmp_.path().string()));
        ASSERT_EQ(r.status, 0) << r.err;
        ArchiveWriter writer = ArchiveWriter::create(tmp_ / "ko.panmun");
        for (fs::directory_iterator it(tmp_.path() / "north-korea-new-years-speechs/data"), end;
             it != end; ++it) {
            std::string text = read_file(it->path().string());
            Document d;
            d.id = "newyear-" + it->path().stem().string();
            d.lang = "ko";
            d.date = *Date::parse_iso(it->path().stem().string());
            std::size_t eol = text.find('\n');
            d.title = text.substr(0, eol);
            d.text = eol == std::string::npos ? "" : text.substr(eol + 1);
            writer.add(d);
            docs_.push_back(std::move(d));
        }
        writer.commit();
    }
    TempDir tmp_;
    std::vector<Document> docs_;
};

}  // namespace

TEST_F(NewYearKo, NamesAndWordsWithParticlesAreFoundWithFullRecall) {
    ASSERT_EQ(docs_.size(), 73u);  // SOURCE.md: 1946–2019 without 1957
    ArchiveReader reader(tmp_ / "ko.panmun");
    // Names, North Korean spellings (initial ㄹ kept: 로동, 력사), and common words; in the
    // texts they carry particles (김일성동지의, 로동당은, 력사적) that must not hide them. Quoted,
    // as written (unquoted, 로동 also finds the South's 노동: tests/e2e/korean_test.cpp).
    const std::vector<std::string> queries = {"김일성", "김정일",   "김정은",   "로동",
                                              "력사",   "조국통일", "인민경제", "사회주의",
                                              "미제",   "핵",       "청년",     "평화"};
    // Recall against the exact string; precision against the string with spaces allowed
    // between its characters (조국 통일 is the same words as 조국통일, as "Kim  Jong" is).
    auto without_spaces = [](std::string s) {
        std::erase_if(s, [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; });
        return s;
    };
    std::map<std::string, std::string> squeezed;
    for (const Document& d : docs_) squeezed[d.id] = without_spaces(d.title + "\n" + d.text);
    std::size_t relevant_total = 0, found_total = 0, returned_total = 0, correct_total = 0;
    for (const std::string& q : queries) {
        std::set<std::string> expected, got;
        for (const Document& d : docs_)
            if (d.text.find(q) != std::string::npos || d.title.find(q) != std::string::npos)
                expected.insert(d.id);
        SearchResult r = search(reader, request("\"" + q + "\"", 0, 1000), {});
        for (const Hit& h : r.hits) got.insert(h.document.id);
        std::size_t found = 0, correct = 0;
        for (const auto& id : got) {
            found += expected.count(id);
            correct += squeezed[id].find(q) != std::string::npos;
        }
        relevant_total += expected.size();
        found_total += found;
        returned_total += got.size();
        correct_total += correct;
        EXPECT_FALSE(expected.empty()) << q;
        EXPECT_EQ(found, expected.size()) << q << ": recall " << found << "/" << expected.size();
        EXPECT_EQ(correct, got.size())
            << q << ": " << got.size() - correct << " hits without " << q;
        RecordProperty(q, std::to_string(found) + "/" + std::to_string(expected.size()) +
                              " found, " + std::to_string(got.size() - found) +
                              " more with spaces");
    }
    std::cout << "nk-newyear-ko: " << queries.size() << " queries, recall " << found_total << "/"
              << relevant_total << ", precision " << correct_total << "/" << returned_total << " ("
              << returned_total - found_total << " hits with spaces inside the word)\n";

    // The particle forms themselves: a document saying only "김정은동지의" is found by 김정은.
    std::set<std::string> particle_docs;
    for (const Document& d : docs_)
        for (const char* form : {"김정은동지", "김정은의", "김정은은", "김정은이"})
            if (d.text.find(form) != std::string::npos) particle_docs.insert(d.id);
    ASSERT_FALSE(particle_docs.empty());
    SearchResult r = search(reader, request("김정은", 0, 1000), {});
    std::set<std::string> got;
    for (const Hit& h : r.hits) got.insert(h.document.id);
    for (const auto& id : particle_docs) EXPECT_TRUE(got.count(id)) << id;
}
