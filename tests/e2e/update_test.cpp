// End-to-end: scripted updates with panmun-index add, sync and delete: idempotence, locking,
// dry runs, and an I/O error in the middle of an update.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "helpers.hpp"
#include "panmun/archive.hpp"

using nlohmann::json;
using namespace panmun::test;

namespace {

const std::string index_bin = PANMUN_INDEX_BIN;
const std::string query_bin = PANMUN_QUERY_BIN;

json summary(const std::string& args) {
    RunResult r = run(index_bin + " " + args);
    EXPECT_LE(r.status, 1) << args << "\n" << r.err;
    return json::parse(r.out.empty() ? "{}" : r.out);
}

std::string record(const std::string& id, const std::string& text) {
    return json{{"id", id}, {"title", "Title " + id}, {"date", "2021-07-27"}, {"text", text}}
               .dump() +
           "\n";
}

std::set<std::string> ids_in(const std::string& archive) {
    std::vector<std::string> ids = archive_ids(archive);
    return {ids.begin(), ids.end()};
}

std::uint64_t store_bytes(const std::string& archive) {
    return json::parse(run(index_bin + " stats --json --archive " + archive).out)["store_bytes"];
}

}  // namespace

TEST(Update, AddTwiceChangesNothingTheSecondTime) {
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    json first = summary("add --json --archive " + a + " " + shell_quote(sample_corpus()));
    EXPECT_EQ(first["total"]["added"], sample_size());
    std::uint64_t bytes = store_bytes(a);
    json second = summary("add --json --archive " + a + " " + shell_quote(sample_corpus()));
    EXPECT_EQ(second["total"]["added"], 0);
    EXPECT_EQ(second["total"]["replaced"], 0);
    EXPECT_EQ(second["total"]["unchanged"], sample_size());
    EXPECT_EQ(store_bytes(a), bytes);
    EXPECT_EQ(ids_in(a).size(), static_cast<std::size_t>(sample_size()));

    // A changed article replaces its stored version; the others stay as they are.
    write_file(tmp / "change.jsonl",
               record("sample-20200609-all-lines-cut-2020", "corrected text"));
    json third = summary("add --json --archive " + a + " " + (tmp / "change.jsonl"));
    EXPECT_EQ(third["total"]["replaced"], 1);
    RunResult show =
        run(query_bin + " show --json sample-20200609-all-lines-cut-2020 --archive " + a);
    EXPECT_EQ(json::parse(show.out)["text"], "corrected text");
    EXPECT_EQ(run(index_bin + " verify -q --archive " + a).status, 0);
}

// Issue 23: add compacts the archive when it has outgrown its last compaction (its index, whose
// blocks a compaction fills, grows fast with the first documents added), not otherwise; with a
// quarter of the documents replaced it rewrites the store too; --no-compact leaves it be.
TEST(Update, AddCompactsAnArchiveThatOutgrewItsLastCompaction) {
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    std::string first, second, changed;
    {
        std::istringstream lines(read_file(sample_corpus()));
        int n = 0;
        for (std::string line; std::getline(lines, line); ++n) {
            if (line.empty()) continue;
            (n % 2 ? second : first) += line + "\n";
            if (n % 2 == 0) {
                json record = json::parse(line);
                record["text"] = record["text"].get<std::string>() + " (corrected)";
                changed += record.dump() + "\n";
            }
        }
    }
    write_file(tmp / "first.jsonl", first);
    write_file(tmp / "second.jsonl", second);
    write_file(tmp / "changed.jsonl", changed);
    ASSERT_EQ(run(index_bin + " build -q --archive " + a + " " + (tmp / "first.jsonl")).status, 0);
    auto stats = [&] { return json::parse(run(index_bin + " stats --json --archive " + a).out); };

    json grown = summary("add --json --archive " + a + " " + (tmp / "second.jsonl"));
    ASSERT_TRUE(grown.contains("compaction")) << grown.dump();
    EXPECT_FALSE(grown["compaction"]["store_rewritten"]);
    const json compacted = stats();
    json again = summary("add --json --archive " + a + " " + (tmp / "second.jsonl"));
    EXPECT_EQ(again["total"]["unchanged"], grown["total"]["added"]);
    EXPECT_FALSE(again.contains("compaction")) << "nothing changed since the compaction";
    EXPECT_EQ(stats()["index_bytes"], compacted["index_bytes"]);

    json replaced =
        summary("add --json --no-compact --archive " + a + " " + (tmp / "changed.jsonl"));
    EXPECT_GT(replaced["total"]["replaced"].get<int>(), 0);
    EXPECT_FALSE(replaced.contains("compaction"));
    EXPECT_EQ(stats()["dead_documents"], replaced["total"]["replaced"]);
    json dropped = summary("add --json --archive " + a + " " + (tmp / "changed.jsonl"));
    ASSERT_TRUE(dropped.contains("compaction")) << "half the documents replaced";
    EXPECT_TRUE(dropped["compaction"]["store_rewritten"]);
    EXPECT_EQ(stats()["dead_documents"], 0);
    EXPECT_EQ(ids_in(a).size(), static_cast<std::size_t>(sample_size()));
    EXPECT_EQ(run(index_bin + " verify -q --archive " + a).status, 0);
}

TEST(Update, SyncMirrorsATree) {
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    const std::string tree = tmp / "tree";
    fs::create_directories(tree + "/sub");
    write_file(tree + "/one.jsonl", record("one-1", "first text") + record("one-2", "second text"));
    write_file(tree + "/sub/two.jsonl", record("two-1", "third text"));
    ASSERT_EQ(run("zstd -q --rm " + tree + "/sub/two.jsonl").status, 0);  // two.jsonl.zst
    write_file(tree + "/notes.pdf", "not an input");                      // no input format of ours
    fs::create_directory_symlink("..", tree + "/sub/loop");               // a loop back to the tree

    json s1 = summary("sync --json --archive " + a + " " + tree);
    EXPECT_EQ(s1["total"]["added"], 3);
    EXPECT_EQ(ids_in(a), (std::set<std::string>{"one-1", "one-2", "two-1"}));
    std::string walk = s1["inputs"][0]["problems"].dump();
    EXPECT_NE(walk.find("symlink loop"), std::string::npos) << walk;
    EXPECT_NE(walk.find("1 file(s)"), std::string::npos) << walk;

    json s2 = summary("sync --json --archive " + a + " " + tree);
    EXPECT_EQ(s2["total"]["added"], 0);
    EXPECT_EQ(s2["total"]["replaced"], 0);
    EXPECT_EQ(s2["total"]["deleted"], 0);

    // A file changes (one document edited, one gone); another disappears.
    write_file(tree + "/one.jsonl", record("one-1", "first text, edited"));
    fs::remove(tree + "/sub/two.jsonl.zst");
    json s3 = summary("sync --json --archive " + a + " " + tree);
    EXPECT_EQ(s3["total"]["replaced"], 1);
    EXPECT_EQ(s3["total"]["deleted"], 2);
    EXPECT_EQ(ids_in(a), (std::set<std::string>{"one-1"}));
    EXPECT_EQ(run(index_bin + " verify -q --archive " + a).status, 0);
}

// A file with a record that cannot be read (a line cut short, a --map that finds no text) may
// hold any of the file's archived documents: sync deletes none of them, and reads the file again.
TEST(Update, SyncKeepsTheDocumentsOfAFileWithSkippedRecords) {
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    const std::string tree = tmp / "tree";
    fs::create_directories(tree);
    auto body = [](const std::string& id, const std::string& text) {
        return json{{"id", id}, {"date", "2021-07-27"}, {"body", text}}.dump() + "\n";
    };
    write_file(tree + "/one.jsonl",
               body("a", "first text") + body("b", "second text") + body("c", "third text"));
    json s1 = summary("sync --json --map text=body --archive " + a + " " + tree);
    EXPECT_EQ(s1["total"]["added"], 3);

    // The file rewritten without --map: every record skipped, nothing deleted.
    write_file(tree + "/one.jsonl",
               body("a", "first text") + body("b", "second text") + body("c", "third text") + "\n");
    json s2 = summary("sync --json --archive " + a + " " + tree);
    EXPECT_EQ(s2["total"]["skipped"], 3);
    EXPECT_EQ(s2["total"]["deleted"], 0);
    EXPECT_EQ(ids_in(a), (std::set<std::string>{"a", "b", "c"}));
    std::string notes = s2["inputs"][1]["problems"][0].dump();
    EXPECT_NE(notes.find("3 archived document(s) of this file not read again were kept"),
              std::string::npos)
        << notes;

    // With --map now, but b's line cut short and c gone: b and c are kept, and the file is read
    // again by the next sync although it did not change.
    write_file(tree + "/one.jsonl", body("a", "first text") + "{\"id\": \"b\", \"bo\n");
    json s3 = summary("sync --json --map text=body --archive " + a + " " + tree);
    EXPECT_EQ(s3["total"]["skipped"], 1);
    EXPECT_EQ(s3["total"]["deleted"], 0);
    EXPECT_EQ(ids_in(a), (std::set<std::string>{"a", "b", "c"}));
    json s4 = summary("sync --json --map text=body --archive " + a + " " + tree);
    EXPECT_EQ(s4["total"]["unchanged"], 1);
    EXPECT_EQ(s4["total"]["skipped"], 1);

    // Mended: read whole, the file's documents are what it holds.
    write_file(tree + "/one.jsonl", body("a", "first text") + body("b", "second text"));
    json s5 = summary("sync --json --map text=body --archive " + a + " " + tree);
    EXPECT_EQ(s5["total"]["deleted"], 1);
    EXPECT_EQ(ids_in(a), (std::set<std::string>{"a", "b"}));
    json s6 = summary("sync --json --map text=body --archive " + a + " " + tree);
    EXPECT_EQ(s6["total"]["read"], 0);
}

TEST(Update, DeleteByIdAndByQuery) {
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    summary("add --json --archive " + a + " " + shell_quote(sample_corpus()));
    RunResult r = run(index_bin + " delete --json --archive " + a +
                      " sample-20160211-kaesong-shutdown-2016 no-such-id");
    EXPECT_EQ(r.status, 1) << "a missing id is reported";
    json out = json::parse(r.out);
    EXPECT_EQ(out["deleted"].size(), 1u);
    EXPECT_EQ(out["missing"][0], "no-such-id");
    RunResult m = run(index_bin + " delete --json --match lang:ko --archive " + a);
    EXPECT_EQ(m.status, 0) << m.err;
    EXPECT_EQ(json::parse(m.out)["deleted"].size(), 13u);  // the 14th Korean one went above
    EXPECT_EQ(ids_in(a).size(), 39u);
    EXPECT_EQ(run(query_bin + " search lang:ko --archive " + a).status, 1);
    EXPECT_EQ(run(index_bin + " verify -q --archive " + a).status, 0);
}

TEST(Update, DryRunChangesNothing) {
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    write_file(tmp / "one.jsonl", record("x", "kept"));
    summary("add --json --archive " + a + " " + (tmp / "one.jsonl"));
    std::uint64_t bytes = store_bytes(a);
    json dry = summary("add --dry-run --json --archive " + a + " " + shell_quote(sample_corpus()));
    EXPECT_EQ(dry["dry_run"], true);
    EXPECT_EQ(dry["total"]["added"], sample_size());
    EXPECT_EQ(ids_in(a), (std::set<std::string>{"x"}));
    EXPECT_EQ(store_bytes(a), bytes);
    EXPECT_EQ(fs::file_size(
                  a + "/" +
                  json::parse(read_file(a + "/manifest.json"))["store"]["file"].get<std::string>()),
              bytes);
}

TEST(Update, ASecondWriterIsRefusedOrWaits) {
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    write_file(tmp / "one.jsonl", record("x", "text"));
    summary("add --json --archive " + a + " " + (tmp / "one.jsonl"));
    {
        panmun::ArchiveWriter holder = panmun::ArchiveWriter::open(a);
        RunResult r = run(index_bin + " add --archive " + a + " " + (tmp / "one.jsonl"));
        EXPECT_EQ(r.status, 3);
        EXPECT_NE(r.err.find("being updated by pid " + std::to_string(::getpid())),
                  std::string::npos)
            << r.err;
        EXPECT_EQ(run(index_bin + " compact --archive " + a).status, 3);
        EXPECT_EQ(run(index_bin + " delete x --archive " + a).status, 3);
        // Readers are not held up by the writer.
        EXPECT_EQ(run(query_bin + " show x --archive " + a).status, 0);
    }
    // --wait: the second writer waits until the first one is done.
    write_file(tmp / "two.jsonl", record("y", "another text"));
    auto holder = std::make_unique<panmun::ArchiveWriter>(panmun::ArchiveWriter::open(a));
    std::thread release([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        holder.reset();
    });
    RunResult waited = run(index_bin + " add -q --wait --archive " + a + " " + (tmp / "two.jsonl"));
    release.join();
    EXPECT_EQ(waited.status, 0) << waited.err;
    EXPECT_EQ(ids_in(a), (std::set<std::string>{"x", "y"}));
}

// A file-size limit makes the store write fail as a full disk would: the update stops with a
// clear error and the archive stays at its last commit.
TEST(Update, AnIoErrorLeavesTheArchiveAtItsLastCommit) {
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    write_file(tmp / "one.jsonl", record("kept", "committed before the error"));
    summary("add --json --archive " + a + " " + (tmp / "one.jsonl"));
    std::string big;
    for (int i = 0; i < 400; ++i) {
        std::string text;
        for (int k = 0; k < 400; ++k) text += std::to_string(i * 7919 + k * 104729) + " ";
        big += record("big-" + std::to_string(i), text);
    }
    write_file(tmp / "big.jsonl", big);
    // ulimit -f counts 1024-byte blocks; SIGXFSZ ignored, so write() fails with EFBIG.
    RunResult r = run("trap '' XFSZ; ulimit -f 600; " + index_bin + " add --batch 50 --archive " +
                      a + " " + (tmp / "big.jsonl"));
    EXPECT_EQ(r.status, 4) << r.err;
    // Whichever file hits the limit first (store or index), the error says what happened.
    EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line, not a stack of messages: " << r.err;
    EXPECT_EQ(run(index_bin + " verify -q --archive " + a).status, 0);
    std::set<std::string> ids = ids_in(a);
    EXPECT_TRUE(ids.count("kept"));
    EXPECT_EQ((ids.size() - 1) % 50, 0u) << "whole batches only";
}

// The archive's own gazetteer: retag applies it to stored texts, later adds use it too, and a
// bad file is refused with its line.
TEST(Update, RetagWithTheArchivesOwnEntities) {
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    summary("add --json --archive " + a + " " + shell_quote(sample_corpus()));
    auto count = [&](const std::string& q) {
        return run(query_bin + " search --count " + shell_quote(q) + " --archive " + a).out;
    };
    const std::string balloons = count("\"balloons\"");
    ASSERT_NE(balloons, "0\n");
    // Before the archive knows it, the entity is an error that says so, not a count of 0.
    RunResult unknown = run(query_bin + " search --count event:balloon-campaigns --archive " + a);
    EXPECT_EQ(unknown.status, 2);
    EXPECT_NE(unknown.err.find("no event in the gazetteer is called 'balloon-campaigns'"),
              std::string::npos)
        << unknown.err;
    write_file(tmp / "mine.tsv",
               "# my entities\nballoon-campaigns\tevent\tBalloon campaigns\tballoons\n");
    RunResult r =
        run(index_bin + " retag --json --entities " + (tmp / "mine.tsv") + " --archive " + a);
    ASSERT_EQ(r.status, 0) << r.err;
    json rep = json::parse(r.out);
    EXPECT_EQ(rep["documents"], sample_size());
    EXPECT_GE(rep["changed"].get<int>(), 1);
    EXPECT_EQ(count("event:balloon-campaigns"), balloons);
    // Kept in the archive: a later add tags with it without --entities.
    write_file(tmp / "new.jsonl", record("b1", "More balloons crossed the border at night."));
    summary("add --json --archive " + a + " " + (tmp / "new.jsonl"));
    EXPECT_EQ(count("id:b1 event:balloon-campaigns"), "1\n");
    // Retagging again changes nothing.
    EXPECT_EQ(json::parse(run(index_bin + " retag --json --archive " + a).out)["changed"], 0);
    write_file(tmp / "bad.tsv", "ok\tperson\tOK\tOK\nbroken line\n");
    RunResult bad = run(index_bin + " retag --entities " + (tmp / "bad.tsv") + " --archive " + a);
    EXPECT_EQ(bad.status, 1);
    EXPECT_NE(bad.err.find(tmp / "bad.tsv:2"), std::string::npos) << bad.err;
    EXPECT_EQ(run(index_bin + " verify -q --archive " + a).status, 0);
}
