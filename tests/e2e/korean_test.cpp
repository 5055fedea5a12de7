// Korean as Korean readers write it, on the shared Korean corpora: the labelled queries of
// tests/data/korean-queries.tsv (headlines with 北 for 북한, the North's spelling, particles,
// compounds), each with the precision and recall it must reach. Skipped when ../shared/corpora
// is absent.
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <map>
#include <set>
#include <sstream>

#include "helpers.hpp"

using namespace panmun::test;

namespace {

struct Labelled {
    std::string corpus, query, what;
    double min_precision = 0, min_recall = 0;
    std::set<std::string> relevant;
};

std::vector<Labelled> labelled() {
    std::vector<Labelled> out;
    std::istringstream in(read_file(source_dir() + "/tests/data/korean-queries.tsv"));
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::istringstream fields(line);
        for (std::string c; std::getline(fields, c, '\t');) cols.push_back(c);
        if (cols.size() != 6) throw std::runtime_error("korean-queries.tsv: bad line: " + line);
        Labelled l{cols[0], cols[1], cols[4], std::stod(cols[2]), std::stod(cols[3]), {}};
        std::istringstream ids(cols[5]);
        for (std::string id; ids >> id;) l.relevant.insert(id);
        out.push_back(std::move(l));
    }
    return out;
}

class Korean : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const std::string c = corpora_dir();
        if (c.empty() || !boost::filesystem::exists(c + "/kr-newspapers-2017") ||
            !boost::filesystem::exists(c + "/nk-newyear-ko") ||
            !boost::filesystem::exists(c + "/korean-summit-news"))
            return;
        tmp_ = new TempDir;
        const std::string index = std::string(PANMUN_INDEX_BIN) + " build --quiet --archive ";
        const std::map<std::string, std::string> builds = {
            {"krn", "--map source=paper_name,date=created " +
                        shell_quote(c + "/kr-newspapers-2017/korean_newspapers_twitter.csv.zst")},
            {"ny", shell_quote(c + "/nk-newyear-ko/nk-newyear-speeches-data.tar.zst")},
            {"sum", "--map id=doc_id,title=headline,source=newspaper,date=year " +
                        shell_quote(c + "/korean-summit-news/"
                                        "inter_korean_summit_articles_chosun_ilbo.csv.zst") +
                        " " +
                        shell_quote(c + "/korean-summit-news/"
                                        "inter_korean_summit_articles_hankyoreh.csv.zst")}};
        for (const auto& [name, args] : builds) {
            RunResult r = run(index + archive(name) + " " + args);
            ASSERT_LE(r.status, 1) << r.err;
        }
    }
    static void TearDownTestSuite() { delete tmp_; }
    void SetUp() override {
        if (!tmp_)
            GTEST_SKIP() << "../shared/corpora (Korean corpora) absent: Korean tests skipped";
    }
    static std::string archive(const std::string& name) { return *tmp_ / (name + ".panmun"); }

    // The ids a query finds (for nk-newyear-ko, the file names, which the labels use).
    static std::set<std::string> found(const std::string& corpus, const std::string& query) {
        const bool by_file = corpus == "ny";
        RunResult r = run(std::string(PANMUN_QUERY_BIN) + " search --csv --limit 100000 --fields " +
                          (by_file ? "path" : "id") + " --archive " + archive(corpus) + " " +
                          shell_quote(query));
        EXPECT_LE(r.status, 1) << query << ": " << r.err;
        std::set<std::string> ids;
        std::istringstream lines(r.out);
        std::string line;
        std::getline(lines, line);  // header
        while (std::getline(lines, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (by_file) {
                if (!line.empty() && line.front() == '"') line = line.substr(1, line.size() - 2);
                line = line.substr(line.rfind('/') + 1);
            }
            ids.insert(line);
        }
        return ids;
    }

    static TempDir* tmp_;
};
TempDir* Korean::tmp_ = nullptr;

TEST_F(Korean, LabelledQueriesReachTheirPrecisionAndRecall) {
    const std::vector<Labelled> all = labelled();
    ASSERT_GE(all.size(), 21u);
    for (const Labelled& l : all) {
        const std::set<std::string> hits = found(l.corpus, l.query);
        std::size_t right = 0;
        for (const std::string& id : hits) right += l.relevant.count(id);
        const double precision = hits.empty() ? 0 : double(right) / double(hits.size());
        const double recall = l.relevant.empty() ? 1 : double(right) / double(l.relevant.size());
        std::printf("%-4s %-14s relevant %4zu found %4zu  P %.3f  R %.3f\n", l.corpus.c_str(),
                    l.query.c_str(), l.relevant.size(), hits.size(), precision, recall);
        EXPECT_GE(precision, l.min_precision)
            << l.corpus << " " << l.query << " (" << l.what << ")";
        EXPECT_GE(recall, l.min_recall) << l.corpus << " " << l.query << " (" << l.what << ")";
    }
}

TEST_F(Korean, QuotesAskForOneSpelling) {
    // "노동" is the South's spelling only, "로동" the North's; unquoted, either finds both.
    const auto south = found("ny", "\"노동\""), north = found("ny", "\"로동\""),
               both = found("ny", "노동");
    EXPECT_LT(south.size(), both.size());
    EXPECT_LT(north.size(), both.size());
    for (const auto& id : south) EXPECT_TRUE(both.count(id)) << id;
    for (const auto& id : north) EXPECT_TRUE(both.count(id)) << id;
    EXPECT_EQ(found("ny", "로동"), both);
    // 北 in quotes is the character itself, not the word 북한 it stands for.
    EXPECT_LT(found("krn", "\"北\"").size(), found("krn", "北").size());
    EXPECT_EQ(found("krn", "北"), found("krn", "북한"));
}

}  // namespace
