// End-to-end: panmun-index verify, stats and compact on real archives, including damaged ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "helpers.hpp"

using nlohmann::json;
using namespace panmun::test;

namespace {

const std::string index_bin = PANMUN_INDEX_BIN;
const std::string query_bin = PANMUN_QUERY_BIN;

// A fresh archive of the sample corpus in `tmp`; returns its path.
std::string build_sample(const TempDir& tmp) {
    const std::string a = tmp / "sample.panmun";
    RunResult r = run(index_bin + " build -q --archive " + a + " " + shell_quote(sample_corpus()));
    EXPECT_EQ(r.status, 0) << r.err;
    return a;
}

std::string store_file(const std::string& archive) {
    return archive + "/" +
           json::parse(read_file(archive + "/manifest.json"))["store"]["file"].get<std::string>();
}

}  // namespace

TEST(Maintenance, VerifyPassesOnAFreshArchive) {
    TempDir tmp;
    const std::string a = build_sample(tmp);
    RunResult r = run(index_bin + " verify --json --archive " + a);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    json out = json::parse(r.out);
    EXPECT_TRUE(out["ok"].get<bool>());
    EXPECT_EQ(out["documents"], sample_size());
    EXPECT_EQ(out["store_documents"], sample_size());
    EXPECT_TRUE(out["problems"].empty());
}

// Flip one byte of the store in several places: verify exits 4 naming a document and the offset,
// and show refuses to print that document.
TEST(Maintenance, AFlippedStoreByteIsReportedByVerifyAndShow) {
    TempDir tmp;
    const std::string a = build_sample(tmp);
    const std::string file = store_file(a);
    const std::string pristine = read_file(file);
    for (double where : {0.3, 0.6, 0.999}) {
        std::string bytes = pristine;
        std::size_t at = static_cast<std::size_t>(where * (bytes.size() - 1));
        bytes[at] ^= 0x20;
        write_file(file, bytes);
        RunResult v = run(index_bin + " verify --archive " + a);
        EXPECT_EQ(v.status, 4) << "byte " << at << "\n" << v.err;
        EXPECT_NE(v.err.find("DAMAGED"), std::string::npos) << v.err;
        EXPECT_NE(v.err.find("offset"), std::string::npos) << v.err;
        EXPECT_NE(v.err.find("(documents sample-"), std::string::npos) << v.err;
    }
    // The last flip damaged the last cluster, which holds the newest articles.
    RunResult show = run(query_bin + " show sample-20241015-roads-blown-up --archive " + a);
    EXPECT_EQ(show.status, 2);
    EXPECT_EQ(show.out, "");
    EXPECT_NE(show.err.find("document sample-20241015-roads-blown-up"), std::string::npos)
        << show.err;
    write_file(file, pristine);
    EXPECT_EQ(run(index_bin + " verify -q --archive " + a).status, 0);
}

TEST(Maintenance, VerifyFindsAStoreThatDisagreesWithTheIndex) {
    TempDir tmp;
    const std::string a = build_sample(tmp);
    const std::string file = store_file(a);
    std::string bytes = read_file(file);
    write_file(file, bytes.substr(0, bytes.size() / 2));  // the index now points past the end
    RunResult v = run(index_bin + " verify --json --archive " + a);
    EXPECT_EQ(v.status, 4);
    EXPECT_FALSE(json::parse(v.out)["problems"].empty()) << v.out;
}

TEST(Maintenance, StatsCountsDocumentsPerYear) {
    TempDir tmp;
    const std::string a = build_sample(tmp);
    RunResult r = run(index_bin + " stats --json --archive " + a);
    ASSERT_EQ(r.status, 0) << r.err;
    json s = json::parse(r.out);
    EXPECT_EQ(s["documents"], sample_size());
    // Independently, from the sample's own dates.
    std::map<std::string, int> years;
    std::istringstream in(read_file(sample_corpus()));
    std::uint64_t text = 0;
    for (std::string line; std::getline(in, line);) {
        json rec = json::parse(line);
        ++years[rec["date"].get<std::string>().substr(0, 4)];
        text += rec["text"].get<std::string>().size();
    }
    EXPECT_EQ(s["text_bytes"].get<std::uint64_t>(), text);
    ASSERT_EQ(s["per_year"].size(), years.size());
    for (const auto& [year, n] : years) EXPECT_EQ(s["per_year"][year], n) << year;
    EXPECT_EQ(s["undated"], 0);
    EXPECT_GT(s["index_bytes"].get<std::uint64_t>(), 0u);
    EXPECT_LT(s["store_ratio"].get<double>(), 1.0);
    EXPECT_NE(run(index_bin + " stats --archive " + a).out.find("2018  "), std::string::npos);
}

TEST(Maintenance, CompactKeepsEveryDocumentAndVerifies) {
    TempDir tmp;
    const std::string a = build_sample(tmp);
    std::string before = run(query_bin + " search --json --limit 100 Korea --archive " + a).out;
    RunResult c = run(index_bin + " compact --archive " + a);
    ASSERT_EQ(c.status, 0) << c.err;
    EXPECT_NE(c.err.find("store"), std::string::npos);
    EXPECT_EQ(run(index_bin + " verify -q --archive " + a).status, 0);
    EXPECT_EQ(run(query_bin + " search --json --limit 100 Korea --archive " + a).out, before);
}

// An archive of three shards through the programs, as a user updates and searches one: the
// same answers as the archive of one, updates routed to the right shard, every maintenance
// command over all shards, a shard refused for writing by itself.
TEST(Maintenance, AnArchiveOfShardsIsBuiltUpdatedAndSearchedAsOne) {
    TempDir tmp;
    const std::string one = build_sample(tmp), three = tmp / "three.panmun";
    RunResult r = run(index_bin + " build -q --shards 3 --archive " + three + " " +
                      shell_quote(sample_corpus()));
    ASSERT_EQ(r.status, 0) << r.err;
    json manifest = json::parse(read_file(three + "/manifest.json"));
    EXPECT_EQ(manifest["format_version"], 3);
    EXPECT_EQ(manifest["shards"]["directories"], json({"shard-1", "shard-2", "shard-3"}));
    EXPECT_EQ(manifest["counts"]["documents"], sample_size());

    auto answer = [&](const std::string& archive, const std::string& query) {
        RunResult s = run(query_bin + " search --json --limit 100 --facets date,person --archive " +
                          archive + " " + shell_quote(query));
        EXPECT_EQ(s.status, 0) << query << ": " << s.err;
        json j = json::parse(s.out);
        j.erase("archive");  // the path, which differs
        for (auto& hit : j["hits"]) EXPECT_FALSE(hit.contains("archive")) << query;
        return j.dump();
    };
    for (const char* q : {"hotline", "\"joint liaison office\"", "Kaesong OR Kumgang",
                          "person:kim-jong-un", "summit -Panmunjom"})
        EXPECT_EQ(answer(one, q), answer(three, q)) << q;

    // add, sync of a directory, delete: each routed to its shard.
    boost::filesystem::create_directories(tmp / "feed");
    write_file(tmp / "feed/more.jsonl",
               "{\"id\":\"new-1\",\"title\":\"Hotlines restored\",\"date\":\"2021-07-27\","
               "\"text\":\"The two Koreas restored their cut hotlines on Tuesday.\"}\n");
    for (const std::string& a : {one, three}) {
        r = run(index_bin + " add -q --archive " + a + " " + (tmp / "feed/more.jsonl"));
        EXPECT_EQ(r.status, 0) << r.err;
        r = run(index_bin + " sync -q --archive " + a + " " + (tmp / "feed"));
        EXPECT_EQ(r.status, 0) << r.err;
    }
    EXPECT_EQ(answer(one, "hotlines"), answer(three, "hotlines"));
    r = run(index_bin + " delete -q --archive " + three + " new-1");
    EXPECT_EQ(r.status, 0) << r.err;
    r = run(query_bin + " show new-1 --archive " + three);
    EXPECT_EQ(r.status, 1) << r.out;

    r = run(index_bin + " compact -q --best --archive " + three);
    EXPECT_EQ(r.status, 0) << r.err;
    r = run(index_bin + " verify --json --archive " + three);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(json::parse(r.out)["documents"], sample_size());
    r = run(index_bin + " stats --json --archive " + three);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["documents"], sample_size());
    EXPECT_EQ(json::parse(r.out)["format_version"], 3);

    r = run(index_bin + " add -q --archive " + three + "/shard-2 " + (tmp / "feed/more.jsonl"));
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("shard 2 of 3"), std::string::npos) << r.err;
}

// compact --shards N: the archive rewritten as N shards answers as before, keeps what sync
// knows of its files, and goes back to one.
TEST(Maintenance, CompactChangesTheNumberOfShards) {
    TempDir tmp;
    const std::string one = build_sample(tmp), re = tmp / "re.panmun";
    boost::filesystem::create_directories(tmp / "feed");
    write_file(tmp / "feed/more.jsonl",
               "{\"id\":\"new-1\",\"title\":\"Hotlines restored\",\"date\":\"2021-07-27\","
               "\"text\":\"The two Koreas restored their cut hotlines on Tuesday.\"}\n");
    RunResult r = run(index_bin + " build -q --archive " + re + " " + shell_quote(sample_corpus()));
    ASSERT_EQ(r.status, 0) << r.err;
    for (const std::string& a : {one, re}) {
        r = run(index_bin + " sync -q --archive " + a + " " + (tmp / "feed"));
        ASSERT_EQ(r.status, 0) << r.err;
    }
    auto answer = [&](const std::string& archive, const std::string& query) {
        RunResult s = run(query_bin + " search --json --limit 100 --facets date,person,place " +
                          "--archive " + archive + " " + shell_quote(query));
        EXPECT_EQ(s.status, 0) << query << ": " << s.err;
        json j = json::parse(s.out);
        j.erase("archive");
        return j.dump();
    };
    auto same_answers = [&] {
        for (const char* q : {"hotline OR hotlines", "\"joint liaison office\"",
                              "Kaesong OR Kumgang", "person:kim-jong-un", "summit -Panmunjom"})
            EXPECT_EQ(answer(one, q), answer(re, q)) << q;
    };
    for (int shards : {3, 2, 1}) {
        SCOPED_TRACE(shards);
        // The name as a shell's completion gives it, with a slash.
        r = run(index_bin + " compact --shards " + std::to_string(shards) + " --archive " + re +
                "/");
        ASSERT_EQ(r.status, 0) << r.err;
        const int had = shards == 3 ? 1 : shards + 1;
        EXPECT_NE(r.err.find(std::to_string(had) + " -> " + std::to_string(shards) + " shards"),
                  std::string::npos)
            << r.err;
        json manifest = json::parse(read_file(re + "/manifest.json"));
        EXPECT_EQ(manifest["format_version"], shards == 1 ? 2 : 3);
        EXPECT_EQ(manifest["counts"]["documents"], sample_size() + 1);
        same_answers();
        r = run(index_bin + " sync --json --archive " + re + " " + (tmp / "feed"));
        ASSERT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(json::parse(r.out)["total"]["read"], 0) << r.out;  // its mark was kept
        r = run(index_bin + " verify -q --archive " + re);
        EXPECT_EQ(r.status, 0) << r.out << r.err;
        std::vector<std::string> beside;
        for (const auto& e : boost::filesystem::directory_iterator(tmp.path()))
            beside.push_back(e.path().filename().string());
        std::sort(beside.begin(), beside.end());
        EXPECT_EQ(beside, (std::vector<std::string>{"feed", "re.panmun", "sample.panmun"}));
    }
    // The number it has: an ordinary compaction.
    r = run(index_bin + " compact --shards 1 --archive " + re);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err.find("shards"), std::string::npos) << r.err;
    r = run(index_bin + " compact --shards 0 --archive " + re);
    EXPECT_EQ(r.status, 2) << r.err;
}
