// Crash safety and concurrency, with the real panmun-index killed by SIGKILL at random moments.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/filesystem.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "helpers.hpp"
#include "panmun/archive.hpp"
#include "panmun/search.hpp"

using nlohmann::json;
using namespace panmun::test;

namespace {

const std::string index_bin = PANMUN_INDEX_BIN;
const std::string query_bin = PANMUN_QUERY_BIN;

// Deterministic article-like text: words drawn from a small vocabulary.
std::string text_for(int n) {
    static const char* words[] = {"hotline",  "liaison",   "office",  "Kaesong",   "summit",
                                  "missile",  "reunion",   "leaflet", "border",    "talks",
                                  "army",     "Pyongyang", "Seoul",   "statement", "agreement",
                                  "restored", "cut",       "line"};
    std::mt19937 rng(n);
    std::string t;
    for (int i = 0; i < 250; ++i) t += std::string(words[rng() % 18]) + (i % 12 == 11 ? ". " : " ");
    return t;
}

std::string batch_file(const TempDir& tmp, int batch, int docs, std::vector<std::string>& ids) {
    std::string body;
    for (int i = 0; i < docs; ++i) {
        std::string id = "b" + std::to_string(batch) + "-" + std::to_string(i);
        ids.push_back(id);
        body += json{{"id", id},
                     {"title", "Batch " + std::to_string(batch)},
                     {"date", "2020-06-" + std::to_string(10 + batch % 20)},
                     {"text", text_for(batch * 1000 + i)}}
                    .dump() +
                "\n";
    }
    std::string path = tmp / ("batch-" + std::to_string(batch) + ".jsonl");
    write_file(path, body);
    return path;
}

// Starts `args` as a child process, stdout to /dev/null, stderr to `err` (read when it fails).
pid_t spawn(const std::vector<std::string>& args, const std::string& err = "/dev/null") {
    pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        std::freopen("/dev/null", "w", stdout);
        std::freopen(err.c_str(), "w", stderr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

// Update runs killed at random moments until at least 50 were really killed (some runs finish
// first; they count as rounds too). After each, verify passes and the archive holds exactly the
// batches that committed: whole batches of --batch documents, in input order, no loss, no
// duplicates. Every tenth round kills a compaction instead: of the index alone (the default:
// only documents are added) or, every other time, with the store rewritten (--best).
// An archive of `shards` shards commits each shard by itself: there, each shard holds whole
// batches' shares of its documents, in input order (a kill between two shards' commits leaves a
// batch in some of them).
void kill_updates(std::size_t shards) {
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    { panmun::ArchiveWriter::create(a, {}, shards).commit(); }
    constexpr int wanted_kills = 50, max_rounds = 200, docs_per_file = 40, batch = 10;
    // PANMUN_CRASH_SEED explores other kill timings (a loop over seeds is a longer stress run).
    const char* seed_env = std::getenv("PANMUN_CRASH_SEED");
    const unsigned seed = seed_env ? static_cast<unsigned>(std::stoul(seed_env)) : 20200616u;
    std::mt19937 rng(seed);
    ::testing::Test::RecordProperty("seed", static_cast<int>(seed));
    std::set<std::string> committed;
    // Kills come at a random moment of a run: how long a whole add of a file and a compaction
    // take is measured first (the file's documents stay), so that they fall between commits on
    // a slow machine as on a fast one (kills in a fixed 60 ms all came before the first commit
    // on a machine where starting and opening the archive took longer).
    auto timed = [](const std::string& command) {
        const auto start = std::chrono::steady_clock::now();
        RunResult r = run(command);
        EXPECT_EQ(r.status, 0) << command << "\n" << r.err;
        return std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::steady_clock::now() - start)
            .count();
    };
    std::vector<std::string> first;
    const long long add_us =
        timed(index_bin + " add -q --no-compact --batch " + std::to_string(batch) + " --archive " +
              a + " " + batch_file(tmp, 1000, docs_per_file, first));
    committed.insert(first.begin(), first.end());
    const long long compact_us = timed(index_bin + " compact -q --archive " + a);
    int killed = 0, finished = 0, compactions = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(4);
    int round = 0;
    for (; killed < wanted_kills && round < max_rounds; ++round) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "crash test took too long";
        std::vector<std::string> ids;
        std::string input = batch_file(tmp, round, docs_per_file, ids);
        bool compact = round % 10 == 9;
        const std::string err = tmp / "stderr";
        std::vector<std::string> compaction{index_bin, "compact", "-q", "--archive", a};
        if (round % 20 == 9) compaction.push_back("--best");
        pid_t pid = compact ? spawn(compaction, err)
                            : spawn({index_bin, "add", "-q", "--batch", std::to_string(batch),
                                     "--archive", a, input},
                                    err);
        std::this_thread::sleep_for(std::chrono::microseconds(
            rng() %
            static_cast<unsigned>(std::max(1000LL, (compact ? compact_us : add_us) * 6 / 5))));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        bool exited = WIFEXITED(status);
        (exited ? finished : killed)++;
        compactions += compact;
        if (exited) {
            ASSERT_EQ(WEXITSTATUS(status), 0) << "seed " << seed << ", round " << round << "\n"
                                              << read_file(err);
        }

        RunResult verify = run(index_bin + " verify --archive " + a);
        ASSERT_EQ(verify.status, 0) << "round " << round << "\n" << verify.err;

        std::vector<std::string> now = archive_ids(a);
        std::set<std::string> now_set(now.begin(), now.end());
        ASSERT_EQ(now_set.size(), now.size()) << "duplicates after round " << round;
        // Nothing committed earlier was lost.
        for (const auto& id : committed)
            ASSERT_TRUE(now_set.count(id)) << id << " lost in round " << round;
        // Of this round's file, in each shard: the shard's documents of a prefix of whole
        // batches (of the file's every document if the run finished).
        std::size_t present = 0;
        for (std::size_t k = 0; k < shards; ++k) {
            std::vector<std::string> mine;  // this round's ids of shard k, in input order
            for (const auto& id : ids)
                if (panmun::shard_of(id, shards) == k) mine.push_back(id);
            std::size_t here = 0;
            while (here < mine.size() && now_set.count(mine[here])) ++here;
            for (std::size_t i = here; i < mine.size(); ++i)
                ASSERT_FALSE(now_set.count(mine[i])) << "not a prefix in round " << round;
            present += here;
            if (compact) {
                ASSERT_EQ(here, 0u);
            }
            if (here == 0 || here == mine.size()) continue;
            // The batch of the last present one is whole here, the next one absent.
            auto batch_of = [&](const std::string& id) {
                return (std::find(ids.begin(), ids.end(), id) - ids.begin()) / batch;
            };
            ASSERT_NE(batch_of(mine[here - 1]), batch_of(mine[here]))
                << "half a batch in shard " << k + 1 << ", round " << round;
        }
        if (!compact && exited) {
            ASSERT_EQ(present, ids.size()) << "round " << round;
            // A writer that ran to the end cleared what a killed compaction left.
            std::vector<std::string> dirs{a};
            for (std::size_t k = 0; shards > 1 && k < shards; ++k)
                dirs.push_back(a + "/shard-" + std::to_string(k + 1));
            for (const std::string& dir : dirs) {
                int stores = 0;
                for (const auto& f : boost::filesystem::directory_iterator(dir)) {
                    std::string name = f.path().filename().string();
                    stores += name.rfind("store-", 0) == 0;
                    ASSERT_EQ(name.rfind("xapian.", 0), std::string::npos)
                        << name << " left, round " << round;
                }
                ASSERT_EQ(stores, shards > 1 && dir == a ? 0 : 1) << dir << ", round " << round;
            }
        }
        ASSERT_EQ(now.size(), committed.size() + present) << "round " << round;
        for (const auto& id : ids)
            if (now_set.count(id)) committed.insert(id);
    }
    ::testing::Test::RecordProperty("killed", killed);
    ::testing::Test::RecordProperty("finished", finished);
    std::cout << "[ crash    ] " << round << " rounds: " << killed << " killed, " << finished
              << " finished, " << compactions << " compactions among them; " << committed.size()
              << " documents committed (a whole add took " << add_us / 1000 << " ms)\n";
    EXPECT_GE(killed, wanted_kills) << "too few runs were actually killed";
    // Kills came between commits too, not all before the first one.
    EXPECT_GT(committed.size(), first.size() + docs_per_file) << "no killed run had committed";
}

}  // namespace

TEST(Crash, KilledUpdatesLoseNothingCommitted) { kill_updates(1); }

TEST(Crash, KilledUpdatesOfAnArchiveOfShardsLoseNothingCommitted) { kill_updates(3); }

// compact --shards killed at random moments (while it copies, compacts or swaps the new archive
// in): each time the archive is there, readable and verified, with every document, and has the
// number of shards it had or the one asked for; the next writer clears what the killed one left
// beside it.
TEST(Crash, KilledReshardingLeavesTheOldArchiveOrTheNew) {
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    std::vector<std::string> ids;
    std::string input = batch_file(tmp, 1, 600, ids);
    RunResult r = run(index_bin + " build -q --archive " + a + " " + input);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::set<std::string> all(ids.begin(), ids.end());
    auto shards_of = [&] {
        json m = json::parse(read_file(a + "/manifest.json"));
        return m.contains("shards") ? m["shards"]["directories"].size() : std::size_t{1};
    };
    const auto start = std::chrono::steady_clock::now();
    r = run(index_bin + " compact -q --shards 2 --archive " + a);
    ASSERT_EQ(r.status, 0) << r.err;
    const long long whole_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count();
    std::mt19937 rng(20180427u);
    int killed = 0, kept_old = 0, got_new = 0;
    for (int round = 0; killed < 20 && round < 60; ++round) {
        const std::size_t had = shards_of();
        const std::size_t wanted = had % 3 + 1;  // 1 -> 2 -> 3 -> 1 ...
        const std::string err = tmp / "stderr";
        pid_t pid = spawn(
            {index_bin, "compact", "-q", "--shards", std::to_string(wanted), "--archive", a}, err);
        std::this_thread::sleep_for(std::chrono::microseconds(
            rng() % static_cast<unsigned>(std::max(1000LL, whole_us * 6 / 5))));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (WIFEXITED(status)) {
            ASSERT_EQ(WEXITSTATUS(status), 0) << "round " << round << "\n" << read_file(err);
        } else {
            ++killed;
        }
        // Read before any writer has tidied up.
        std::vector<std::string> now = archive_ids(a);
        ASSERT_EQ(std::set<std::string>(now.begin(), now.end()), all) << "round " << round;
        ASSERT_EQ(now.size(), all.size()) << "round " << round;
        const std::size_t n = shards_of();
        ASSERT_TRUE(n == had || n == wanted) << "round " << round << ": " << n << " shards";
        if (!WIFEXITED(status)) (n == had ? kept_old : got_new)++;
        RunResult verify = run(index_bin + " verify --archive " + a);
        ASSERT_EQ(verify.status, 0) << "round " << round << "\n" << verify.err;
        // The next writer (an ordinary compaction) removes what the killed one left.
        r = run(index_bin + " compact -q --archive " + a);
        ASSERT_EQ(r.status, 0) << r.err;
        for (const auto& e : boost::filesystem::directory_iterator(tmp.path())) {
            const std::string name = e.path().filename().string();
            ASSERT_TRUE(name == "a.panmun" || name == "stderr" || name.rfind("batch-", 0) == 0)
                << name << " left, round " << round;
        }
    }
    std::cout << "[ crash    ] " << killed << " resharding runs killed: " << kept_old
              << " left the old archive, " << got_new << " the new one\n";
    EXPECT_GE(killed, 20);
    EXPECT_GT(kept_old, 0) << "no kill came while the new archive was being made";
}

// Readers keep working during a long add, and only ever see whole batches; a second writer is
// refused with exit status 3.
TEST(Concurrency, ReadersSeeWholeBatchesAndASecondWriterIsRefused) {
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    { panmun::ArchiveWriter::create(a).commit(); }
    std::vector<std::string> ids;
    std::string body;
    for (int b = 0; b < 40; ++b) body += read_file(batch_file(tmp, 1000 + b, 50, ids));
    write_file(tmp / "long.jsonl", body);
    write_file(tmp / "other.jsonl", json{{"id", "other"}, {"text", "x"}}.dump() + "\n");

    pid_t writer =
        spawn({index_bin, "add", "-q", "--batch", "100", "--archive", a, tmp / "long.jsonl"});
    // Wait until the writer holds the lock (it writes its pid there), so that the second writers
    // below really meet a working writer.
    for (int i = 0; i < 1000 && read_file(a + "/lock") != std::to_string(writer) + "\n"; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_EQ(read_file(a + "/lock"), std::to_string(writer) + "\n")
        << "the writer never took the lock";
    panmun::ArchiveReader reader(a);
    int queries = 0, refused = 0, second_writers = 0;
    std::set<std::uint64_t> counts_seen;
    for (;;) {
        int status = 0;
        bool done = ::waitpid(writer, &status, WNOHANG) == writer;
        reader.reopen();
        std::uint64_t n = reader.document_count();
        counts_seen.insert(n);
        ASSERT_EQ(n % 100, 0u) << "a reader saw half a batch: " << n << " documents";
        // search() may move to a newer snapshot if the writer overtook this one; the count it
        // gives must fit the snapshot it used, and that too must hold whole batches only.
        panmun::SearchResult r =
            panmun::search(reader, panmun::test::request("hotline", 0, 10), {});
        std::uint64_t used = reader.document_count();
        ASSERT_EQ(used % 100, 0u) << "search ran on half a batch: " << used << " documents";
        ASSERT_LE(r.total, used);
        ++queries;
        if (queries % 20 == 0 && !done && second_writers < 3) {
            RunResult second = run(index_bin + " add --archive " + a + " " + (tmp / "other.jsonl"));
            ++second_writers;
            if (second.status == 3) ++refused;
        }
        if (done) {
            ASSERT_TRUE(WIFEXITED(status));
            ASSERT_EQ(WEXITSTATUS(status), 0);
            break;
        }
    }
    reader.reopen();
    EXPECT_EQ(reader.document_count(), 2000u);
    EXPECT_GT(counts_seen.size(), 2u) << "the readers never ran during the update";
    EXPECT_GE(refused, 1) << "no second writer was tried while the first was working";
    EXPECT_EQ(refused, second_writers) << "a second writer got in";
    std::cout << "[ concur   ] " << queries << " queries during the update saw "
              << counts_seen.size() << " distinct committed states; " << refused
              << " second writers refused\n";
}
