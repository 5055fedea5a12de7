// Issue 22, remote shards: the sample corpus as two archives, each also served as a remote
// shard (xapian-tcpsrv for its index, `panmun-query serve` for its texts, started and stopped
// here on 127.0.0.1 ports). The real panmun-query must answer through the servers exactly as it
// answers from the archives on disk: the same JSON for every query, sort and page, the same
// documents for show and like; and say plainly what a remote shard cannot do.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "app.hpp"
#include "helpers.hpp"
#include "panmun/archive.hpp"
#include "panmun/search.hpp"
#include "servers.hpp"

using nlohmann::json;
using namespace panmun::test;

namespace {

const std::string index_bin = PANMUN_INDEX_BIN;
const std::string query_bin = PANMUN_QUERY_BIN;

// Articles without a date, written for this test: a search sorted oldest first lists them last,
// which a remote shard's server (sorting by the date value alone) would list first.
const char* undated_records =
    R"({"id":"undated-1","title":"Hotline rumours without a date","source":"Test wire","lang":"en","text":"An undated note says the military hotline between the Koreas was silent again, according to officials in Seoul."})"
    "\n"
    R"({"id":"undated-2","title":"Kaesong memo","source":"Test wire","lang":"en","text":"A memo of unknown date lists the factories of the Kaesong industrial zone and the hotline numbers of their managers."})"
    "\n"
    R"({"id":"undated-3","title":"Leaflet balloons, date unknown","source":"Test wire","lang":"en","text":"Activists released leaflet balloons toward the North near the border; the hotline went unanswered."})"
    "\n";

class Remote : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        // The undated articles in the second.
        std::tie(local_[0], local_[1]) = sample_in_two(*dir_, undated_records);
        if (::testing::Test::HasFailure()) return;
        for (int i = 0; i < 2; ++i) {
            ASSERT_TRUE(std::ifstream(tcpsrv_bin).good())
                << tcpsrv_bin
                << " is missing: install Debian's xapian-tools (scripts/install-deps)";
            servers_[i] = new RemoteShardServers(local(i), *dir_ / "servers.log");
        }
        for (auto* s : servers_) ASSERT_TRUE(s->ready()) << read_file(*dir_ / "servers.log");
    }
    static void TearDownTestSuite() {
        for (auto*& s : servers_) {
            delete s;
            s = nullptr;
        }
        delete dir_;
        dir_ = nullptr;
    }
    static std::string local(int i) { return local_[i]; }
    static std::string remote(int i) { return servers_[i]->name(); }
    static std::string archives(const std::string& a, const std::string& b) {
        return " --archive " + shell_quote(a) + " --archive " + shell_quote(b) + " ";
    }
    static std::string locals() { return archives(local(0), local(1)); }
    // A GET of `path` as a browser on this machine sends it, for a WebApp in the test.
    static panmun::web::HttpRequest web_get(std::string path,
                                            std::multimap<std::string, std::string> params) {
        panmun::web::HttpRequest req;
        req.method = "GET";
        req.path = std::move(path);
        req.headers = {{"host", "127.0.0.1"}};
        req.params = std::move(params);
        return req;
    }
    static std::string remotes() { return archives(remote(0), remote(1)); }

    static inline TempDir* dir_ = nullptr;
    static inline std::string local_[2];
    static inline RemoteShardServers* servers_[2] = {nullptr, nullptr};
};

TEST_F(Remote, SearchesAnswerAsTheArchivesOnDisk) {
    const std::vector<std::string> queries = {
        "hotline",
        "\"military hotline\"",
        "Kaesong OR Kumgang",
        "hotline -restored",
        "nucle*",
        "person:kim-jong-un",
        "place:kaesong hotline",
        "date:2018",
        "date:2009..2013 hotline",
        "title:summit",
        "판문점",
        "북한 통신선",
        "김정은",
        "-id:none",
        "source:\"Test wire\"",
    };
    // Every field but the archive a hit came from (a path here, a tcp:// name there).
    const std::string fields =
        " --fields rank,id,date,source,title,url,lang,score,snippet,highlights,duplicates ";
    int compared = 0;
    for (const std::string& q : queries)
        for (const char* sort : {"relevance", "date", "-date"})
            for (const char* page : {"--limit 10", "--offset 3 --limit 4", "--limit 60"}) {
                const std::string options = std::string(
                                                " --json --facets person,org,place,event,"
                                                "date --sort=") +
                                            sort + " " + page + fields + "-- " + shell_quote(q);
                RunResult a = run(query_bin + " search" + locals() + options);
                RunResult b = run(query_bin + " search" + remotes() + options);
                ASSERT_LE(a.status, 1) << q << "\n" << a.err;
                EXPECT_EQ(a.status, b.status) << q << "\n" << b.err;
                EXPECT_EQ(a.out, b.out) << q << ", --sort=" << sort << " " << page;
                ++compared;
            }
    EXPECT_EQ(compared, 135);
    // Near-duplicates collapsed: the same totals (the count is made by another spy remotely).
    for (const std::string& q : queries) {
        const std::string options = " --collapse --count -- " + shell_quote(q);
        EXPECT_EQ(run(query_bin + " search" + locals() + options).out,
                  run(query_bin + " search" + remotes() + options).out)
            << q;
    }
    // A local archive and a remote shard together.
    const std::string options = " --json --facets date,place" + fields + "-- hotline";
    EXPECT_EQ(run(query_bin + " search" + locals() + options).out,
              run(query_bin + " search" + archives(local(0), remote(1)) + options).out);
}

TEST_F(Remote, EachHitSaysWhichShardItCameFrom) {
    RunResult r = run(query_bin + " search" + remotes() + "--jsonl --fields id,archive -- hotline");
    ASSERT_EQ(r.status, 0) << r.err;
    std::istringstream lines(r.out);
    int from[2] = {0, 0};
    for (std::string line; std::getline(lines, line);) {
        const json hit = json::parse(line);
        const std::string id = hit["id"];
        const int shard = hit["archive"] == remote(0) ? 0 : hit["archive"] == remote(1) ? 1 : -1;
        ASSERT_GE(shard, 0) << line;
        ++from[shard];
        // The archive on disk behind that shard holds it.
        EXPECT_EQ(run(query_bin + " show --archive " + local(shard) + " " + id).status, 0) << id;
    }
    EXPECT_GT(from[0], 0);
    EXPECT_GT(from[1], 0);
}

TEST_F(Remote, ShowAndLikeReadTheTextsFromTheShardHost) {
    for (const char* id : {"undated-2", "sample-20180427-panmunjom-summit-2018"}) {
        RunResult a = run(query_bin + " show --json" + locals() + id);
        RunResult b = run(query_bin + " show --json" + remotes() + id);
        EXPECT_EQ(a.status, b.status) << id << "\n" << b.err;
        EXPECT_EQ(a.out.empty(), false) << id;
        // The same document, but for where it was found.
        json x = json::parse(a.out), y = json::parse(b.out);
        x.erase("archive");
        y.erase("archive");
        EXPECT_EQ(x, y) << id;
    }
    const std::string like = " --json --fields id,score,title,snippet -- undated-1";
    RunResult a = run(query_bin + " like" + locals() + like);
    RunResult b = run(query_bin + " like" + remotes() + like);
    ASSERT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out, b.out);
}

TEST_F(Remote, SaysWhatARemoteShardCannotDo) {
    RunResult r = run(query_bin + " search" + remotes() + "-- 'hotline NEAR/5 military'");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("a remote shard cannot run this search"), std::string::npos) << r.err;
    r = run(query_bin + " entities" + remotes() + "--with person:kim-jong-un");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("co-occurrence"), std::string::npos) << r.err;
    // Oldest first with near-duplicates collapsed needs a date range when some are undated.
    r = run(query_bin + " search" + remotes() + "--sort=date --collapse -- hotline");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("add a date: range"), std::string::npos) << r.err;
    const std::string dated = "--sort=date --collapse --jsonl --fields id,duplicates -- hotline ";
    r = run(query_bin + " search" + remotes() + dated + "date:..2030");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, run(query_bin + " search" + locals() + dated + "date:..2030").out);
    // A shard is updated on its host: panmun-index refuses its name (and makes no directory of
    // it, as it would of a path).
    for (const std::string command : {"add", "build", "sync", "compact", "stats", "verify"}) {
        const bool takes_input = command == "add" || command == "build" || command == "sync";
        r = run("cd " + dir_->path().string() + " && " + index_bin + " " + command + " --archive " +
                shell_quote(remote(0)) + (takes_input ? " " + *dir_ / "first.jsonl" : ""));
        EXPECT_EQ(r.status, 2) << command;
        EXPECT_NE(r.err.find("is a remote shard: update, verify or inspect it on its host"),
                  std::string::npos)
            << command << ": " << r.err;
    }
    EXPECT_FALSE(fs::exists(*dir_ / "tcp:"));
    // A count needs no order.
    EXPECT_EQ(
        run(query_bin + " search" + remotes() + "--sort=date --collapse --count -- hotline").out,
        "12\n");
}

TEST_F(Remote, NamesTheShardItCannotReachOrRead) {
    const unsigned nobody = free_port();
    const std::string unreachable = shard_name(nobody, 1);
    RunResult r = run(query_bin + " search --archive " + shell_quote(unreachable) + " -- hotline");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find(unreachable +
                         ": cannot reach xapian-tcpsrv at 127.0.0.1:" + std::to_string(nobody)),
              std::string::npos)
        << r.err;
    r = run(query_bin + " search --archive tcp://127.0.0.1:7 -- hotline");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("the form is tcp://HOST:PORT?texts=http://HOST:PORT"), std::string::npos)
        << r.err;
    // The index of one shard with the texts of the other: a hit's text is not there.
    const std::string crossed = shard_name(servers_[0]->index_port(), servers_[1]->texts_port());
    r = run(query_bin + " search --archive " + shell_quote(crossed) + " -- -id:none");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(
        r.err.find(": the text server at 127.0.0.1:" + std::to_string(servers_[1]->texts_port()) +
                   " answers: no document with id '"),
        std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("does it serve the same archive as xapian-tcpsrv"), std::string::npos)
        << r.err;
}

// A nightly update on the shard's host is seen by the next search through its servers: Xapian's
// server opens the index for each connection, and the text server follows the archive.
TEST_F(Remote, AnUpdateOnTheShardHostIsSeenThroughItsServers) {
    const std::string input = *dir_ / "new.jsonl";
    write_file(
        input,
        R"({"id":"remote-new-1","title":"Hotline test call answered","date":"2025-01-02","source":"Test wire","lang":"en","text":"Officers on both sides of the border answered a routine hotline test call on Thursday morning."})"
        "\n");
    RunResult r = run(index_bin + " add --quiet --archive " + local(0) + " " + input);
    ASSERT_EQ(r.status, 0) << r.err;
    r = run(query_bin + " search" + remotes() + "--jsonl --fields id,title -- 'hotline test call'");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out.rfind("{\"id\":\"remote-new-1\",\"title\":\"Hotline test call answered\"}", 0),
              0u)
        << "the best hit, its title from the text server\n"
        << r.out;
    r = run(index_bin + " delete --quiet --archive " + local(0) + " remote-new-1");
    ASSERT_EQ(r.status, 0) << r.err;
    r = run(query_bin + " search" + remotes() + "--count -- id:remote-new-1");
    EXPECT_EQ(r.out, "0\n") << r.err;
}

// A long-running reader (a web server's) moves to the newest commit of a shard when it reopens,
// past a compaction, which replaces the index directory its server had open.
TEST_F(Remote, AReaderFollowsTheShardHostPastACompaction) {
    panmun::ArchiveReader reader(std::vector<std::string>{remote(0), remote(1)});
    auto count = [&](const std::string& q) {
        panmun::SearchRequest r;
        r.query = q;
        r.limit = 0;
        return panmun::search(reader, r, panmun::Highlight{}).total;
    };
    const auto before = count("hotline");
    const std::string input = *dir_ / "later.jsonl";
    write_file(
        input,
        R"({"id":"remote-later-1","title":"Another hotline check","date":"2025-03-04","source":"Test wire","lang":"en","text":"Liaison officers tested the hotline again and logged the call."})"
        "\n");
    ASSERT_EQ(run(index_bin + " add --quiet --archive " + local(1) + " " + input).status, 0);
    ASSERT_EQ(run(index_bin + " compact --quiet --archive " + local(1)).status, 0);
    reader.reopen();
    EXPECT_EQ(count("hotline"), before + 1);
    EXPECT_EQ(reader.find("remote-later-1").value().title, "Another hotline check");
    ASSERT_EQ(run(index_bin + " delete --quiet --archive " + local(1) + " remote-later-1").status,
              0);
    reader.reopen();
    EXPECT_EQ(count("hotline"), before);
}

// A reader kept open (a web server's pool) keeps its connections to the shard's servers between
// requests; xapian-tcpsrv closes one idle past its --idle-timeout (a minute by default). The
// next request connects again instead of failing.
TEST_F(Remote, AReaderConnectsAgainAfterTheServerClosedAnIdleConnection) {
    const unsigned port = free_port();
    ServerProcess impatient({tcpsrv_bin, "--interface", "127.0.0.1", "--port", std::to_string(port),
                             "--idle-timeout", "200", local(0) + "/xapian"},
                            *dir_ / "impatient.log");
    ASSERT_TRUE(accepts(port)) << read_file(*dir_ / "impatient.log");
    panmun::ArchiveReader reader(shard_name(port, servers_[0]->texts_port()));
    panmun::SearchRequest r;
    r.query = "hotline";
    const auto before = panmun::search(reader, r, panmun::Highlight{});
    ASSERT_GT(before.total, 0u);
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    reader.reopen();
    const auto after = panmun::search(reader, r, panmun::Highlight{});
    EXPECT_EQ(after.total, before.total);
    ASSERT_EQ(after.hits.size(), before.hits.size());
    for (std::size_t k = 0; k < after.hits.size(); ++k)
        EXPECT_EQ(after.hits[k].document.id, before.hits[k].document.id);
}

// A page of hits asks the text server for its documents at once, not one request each: what
// makes a page over a real network one round trip. A proxy in front of the shard's real text
// server counts the requests and the ids in them.
TEST_F(Remote, APageOfHitsIsFetchedInOneRequestPerShard) {
    std::mutex mutex;
    std::vector<std::string> targets;
    httplib::Client upstream("127.0.0.1", static_cast<int>(servers_[0]->texts_port()));
    httplib::Server proxy;
    proxy.Get(".*", [&](const httplib::Request& req, httplib::Response& res) {
        {
            std::lock_guard lock(mutex);
            targets.push_back(req.path + " " + std::to_string(req.params.size()));
        }
        auto answer = upstream.Get(req.target);  // as the client sent it
        ASSERT_TRUE(answer) << httplib::to_string(answer.error());
        res.status = answer->status;
        res.set_content(answer->body, "application/json");
    });
    const int port = proxy.bind_to_any_port("127.0.0.1");
    std::thread serving([&] { proxy.listen_after_bind(); });
    const std::string shard = shard_name(servers_[0]->index_port(), static_cast<unsigned>(port));
    panmun::SearchRequest r;
    r.query = "-id:none";
    r.limit = 12;
    const auto through_proxy = [&] {
        panmun::ArchiveReader reader(shard);  // its kept-alive connection closed at the end
        return panmun::search(reader, r, panmun::Highlight{});
    }();
    panmun::ArchiveReader on_disk(local(0));
    const auto from_disk = panmun::search(on_disk, r, panmun::Highlight{});
    proxy.stop();
    serving.join();
    ASSERT_EQ(through_proxy.hits.size(), 12u);
    for (std::size_t k = 0; k < 12; ++k) {
        EXPECT_EQ(through_proxy.hits[k].document.id, from_disk.hits[k].document.id);
        EXPECT_EQ(through_proxy.hits[k].document.text, from_disk.hits[k].document.text);
        EXPECT_EQ(through_proxy.hits[k].plain_snippet, from_disk.hits[k].plain_snippet);
    }
    EXPECT_EQ(targets, std::vector<std::string>{"/api/docs 12"});
}

// A retag on the shard's host changes no document count and no store size, only terms and the
// archive's gazetteer: a web server over the shards still answers anew, not from its cache.
TEST_F(Remote, ARetagOnTheShardHostIsSeenPastTheWebServersCache) {
    panmun::web::WebSettings settings;
    settings.archives = {remote(0), remote(1)};
    panmun::web::WebApp app(settings);
    const auto req =
        web_get("/api/search",
                {{"q", "balloons"}, {"archive", "all"}, {"facets", "event"}, {"limit", "0"}});
    const json before = json::parse(app.handle(req).body);
    ASSERT_GT(before["total"].get<int>(), 0) << before;
    write_file(*dir_ / "events.tsv", "balloon-campaigns\tevent\tBalloon campaigns\tballoons\n");
    for (int i = 0; i < 2; ++i) {
        RunResult r = run(index_bin + " retag --quiet --entities " + (*dir_ / "events.tsv") +
                          " --archive " + local(i));
        ASSERT_EQ(r.status, 0) << r.err;
    }
    const panmun::web::HttpResponse res = app.handle(req);
    ASSERT_EQ(res.status, 200) << res.body;
    const json after = json::parse(res.body);
    EXPECT_EQ(after["total"], before["total"]);
    EXPECT_NE(after.dump().find("balloon-campaigns"), std::string::npos)
        << "the new event among the facets\n"
        << after;
    EXPECT_EQ(before.dump().find("balloon-campaigns"), std::string::npos) << before;
}

// `serve` over the shards and an archive on disk: one view of all of them, each hit naming its
// shard by its index server ("127.0.0.1:PORT"), as the CLI's search.
TEST_F(Remote, TheWebServerSearchesTheShardsAsOne) {
    panmun::web::WebSettings settings;
    settings.archives = {remote(0), local(1)};
    panmun::web::WebApp app(settings);
    auto req = web_get("/api/search", {{"q", "hotline"}, {"archive", "all"}, {"limit", "20"}});
    const panmun::web::HttpResponse res = app.handle(req);
    ASSERT_EQ(res.status, 200) << res.body;
    const json j = json::parse(res.body);
    RunResult cli =
        run(query_bin + " search --json --limit 20" + archives(remote(0), local(1)) + "-- hotline");
    const json c = json::parse(cli.out);
    EXPECT_EQ(j["total"], c["total"]);
    ASSERT_EQ(j["hits"].size(), c["hits"].size());
    const std::string shard = "127.0.0.1:" + std::to_string(servers_[0]->index_port());
    std::set<std::string> names;
    for (std::size_t k = 0; k < j["hits"].size(); ++k) {
        EXPECT_EQ(j["hits"][k]["id"], c["hits"][k]["id"]);
        names.insert(j["hits"][k]["archive"].get<std::string>());
    }
    EXPECT_EQ(names, (std::set<std::string>{shard, "second.panmun"}));
    // The page offers no "with…" link, which would only lead to an error: co-occurrence cannot
    // be counted through a remote shard. The archive on disk alone keeps them.
    req.path = "/search";
    const panmun::web::HttpResponse page = app.handle(req);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("class=\"facets\""), std::string::npos);
    EXPECT_EQ(page.body.find("class=\"with\""), std::string::npos);
    req.params = {{"q", "hotline"}, {"archive", "second.panmun"}};
    EXPECT_NE(app.handle(req).body.find("class=\"with\""), std::string::npos);
}

}  // namespace
