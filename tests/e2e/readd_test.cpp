// Re-adding what an archive was built from changes nothing (issue 18): for every corpus of
// ../shared/corpora (bounded subsets of the large ones), `build`, then `add` of the same input
// twice, and `sync` of a tree twice: nothing added, replaced or deleted, the same documents, no
// new dead documents. Skips with a message when the corpora are absent.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "helpers.hpp"
#include "panmun/input.hpp"

using nlohmann::json;
using namespace panmun;
using namespace panmun::test;

namespace {

const std::string index_bin = PANMUN_INDEX_BIN;

struct Counts {
    std::uint64_t documents = 0, dead = 0;
};
Counts counts_of(const std::string& archive) {
    json s = json::parse(run(index_bin + " stats --json --archive " + archive).out);
    return {s["documents"].get<std::uint64_t>(), s["dead_documents"].get<std::uint64_t>()};
}

// The first `lines` lines of a (compressed) JSON Lines file, as a plain file in `dir`.
std::string first_lines(const std::string& path, std::size_t lines, const TempDir& dir,
                        const std::string& name) {
    LineReader reader(path);
    std::string out;
    std::string line;
    for (std::size_t n = 0; n < lines && reader.next(line); ++n) out += line + "\n";
    write_file(dir / name, out);
    return dir / name;
}

// Builds from `inputs` with `options`, then adds the same twice: the adds change nothing.
void readd(const std::string& name, const std::string& options, const std::string& inputs) {
    SCOPED_TRACE(name);
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    RunResult built =
        run(index_bin + " build --json " + options + " --archive " + a + " " + inputs);
    ASSERT_LE(built.status, 1) << built.err;
    const Counts before = counts_of(a);
    ASSERT_GT(before.documents, 0u);
    for (int round = 1; round <= 2; ++round) {
        RunResult r = run(index_bin + " add --json " + options + " --archive " + a + " " + inputs);
        ASSERT_LE(r.status, 1) << r.err;
        const json report = json::parse(r.out);
        const json& t = report["total"];
        EXPECT_EQ(t["added"], 0) << "round " << round << ": " << t.dump();
        EXPECT_EQ(t["replaced"], 0) << "round " << round << ": " << t.dump()
                                    << report["inputs"][0]["replaced_ids"].dump().substr(0, 300);
        EXPECT_EQ(t["deleted"], 0) << "round " << round;
        EXPECT_EQ(t["unchanged"].get<std::uint64_t>(), before.documents) << "round " << round;
        const Counts after = counts_of(a);
        EXPECT_EQ(after.documents, before.documents) << "round " << round;
        EXPECT_EQ(after.dead, before.dead) << "round " << round;
        // Every record not stored is a duplicate with the document it was folded into.
        for (const auto& in : report["inputs"])
            for (const auto& d : in["duplicate_records"]) {
                EXPECT_FALSE(d["into"].get<std::string>().empty()) << d.dump();
                EXPECT_FALSE(d["where"].get<std::string>().empty()) << d.dump();
            }
    }
    ::testing::Test::RecordProperty(name, std::to_string(before.documents));
}

std::string corpus(const std::string& rel) {
    return corpora_dir().empty() || !fs::exists(corpora_dir() + "/" + rel)
               ? std::string()
               : corpora_dir() + "/" + rel;
}

#define NEED(path) \
    if (path.empty()) GTEST_SKIP() << "../shared/corpora is absent (set PANMUN_CORPORA): skipped"

}  // namespace

TEST(Readd, KcnaCorporaChangeNothingTheSecondTime) {
    const std::string en2024 = corpus("kcna-en-2024/headlines_2024-11-11.json.zst");
    const std::string marquez = corpus("kcna-marquez/KCNA_2012.jsonl.zst");
    NEED(en2024);
    NEED(marquez);
    TempDir tmp;
    // The same article under two sections (and two URLs) of kcna.kp: the first one read stays.
    readd("kcna-en-2024",
          "--source KCNA --map title=headline,date=date_str,text=story_text,url=link",
          shell_quote(en2024));
    readd("kcna-marquez 2012", "--source KCNA --map text=story,url=index.link,lang=language",
          shell_quote(first_lines(marquez, 3000, tmp, "kcna2012.jsonl")));
    readd("kcna-marquez headlines", "--source KCNA --map text=title,url=story.link",
          shell_quote(first_lines(corpus("kcna-marquez/headlines.jsonl.zst"), 3000, tmp,
                                  "headlines.jsonl")));
}

TEST(Readd, KoreanCorporaChangeNothingTheSecondTime) {
    const std::string tweets = corpus("kr-newspapers-2017/korean_newspapers_twitter.csv.zst");
    NEED(tweets);
    readd("kr-newspapers-2017", "--map source=paper_name,date=created", shell_quote(tweets));
    readd(
        "korean-summit-news", "",
        shell_quote(corpus("korean-summit-news/inter_korean_summit_articles_chosun_ilbo.csv.zst")) +
            " " +
            shell_quote(
                corpus("korean-summit-news/inter_korean_summit_articles_hankyoreh.csv.zst")));
    readd("nk-newyear-ko", "",
          shell_quote(corpus("nk-newyear-ko/nk-newyear-speeches-data.tar.zst")));
    readd("klue-ner-ko", "", shell_quote(corpus("klue-ner-ko/klue-ner-v1.1_dev.tsv.zst")));
}

TEST(Readd, OtherCorporaChangeNothingTheSecondTime) {
    const std::string time = corpus("time-ir/TIME.ALL.zst");
    NEED(time);
    readd("time-ir", "", shell_quote(time));
    readd("reuters21578", "--include 'reut2-00[01].sgm'",
          shell_quote(corpus("reuters21578/reuters21578.tar.zst")));
    readd("reuters-financial", "--include '*/2006102[0-3]/*'",
          shell_quote(corpus("reuters-financial/reuters-financial-news.tar.zst")));
}

// sync of an unchanged tree changes nothing either.
TEST(Readd, SyncOfAnUnchangedTreeChangesNothing) {
    const std::string tar = corpus("nk-newyear-ko/nk-newyear-speeches-data.tar.zst");
    NEED(tar);
    TempDir tmp;
    ASSERT_EQ(run("tar --zstd -xf " + shell_quote(tar) + " -C " + shell_quote(tmp.path().string()))
                  .status,
              0);
    const std::string tree = tmp / "north-korea-new-years-speechs";
    const std::string a = tmp / "a.panmun";
    RunResult first = run(index_bin + " sync --json --archive " + a + " " + tree);
    ASSERT_EQ(first.status, 0) << first.err;
    EXPECT_EQ(json::parse(first.out)["total"]["added"], 73);
    for (int round = 1; round <= 2; ++round) {
        RunResult r = run(index_bin + " sync --json --archive " + a + " " + tree);
        ASSERT_EQ(r.status, 0) << r.err;
        const json t = json::parse(r.out)["total"];
        EXPECT_EQ(t["added"], 0) << t.dump();
        EXPECT_EQ(t["replaced"], 0) << t.dump();
        EXPECT_EQ(t["deleted"], 0) << t.dump();
    }
    EXPECT_EQ(counts_of(a).documents, 73u);
    EXPECT_EQ(counts_of(a).dead, 0u);
}
