// The web API under load while the archive changes: 8 clients for 30 s against KCNA 2011 while
// `panmun-index add` commits KCNA 2012 stories into it in batches. No request may fail, and each
// response must be one committed state: the count of the added stories is a whole number of
// batches, and the date facet of a response adds up to its total. Reports p50 and p99. Then the
// whole result set of a query matching over 10,000 stories is exported. Skipped without
// ../shared/corpora.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "app.hpp"
#include "helpers.hpp"

using nlohmann::json;
using namespace panmun::test;

namespace {

const std::string index_bin = PANMUN_INDEX_BIN;
constexpr int added_stories = 3000, batch = 250, clients = 8;
constexpr auto load_time = std::chrono::seconds(30);

TEST(WebLoad, EightClientsWhileAnAddCommitsSeeOnlyCommittedStates) {
    const std::string corpora = corpora_dir();
    const std::string kcna = corpora + "/kcna-marquez";
    if (!boost::filesystem::exists(kcna + "/KCNA_2011.jsonl.zst"))
        GTEST_SKIP() << "needs ../shared/corpora/kcna-marquez (absent in a fresh clone)";
    TempDir dir;
    const std::string archive = dir / "kcna.panmun";
    RunResult r =
        run(index_bin + " build --quiet --source KCNA --archive " + archive +
            " --map text=story,url=index.link,lang=language " + kcna + "/KCNA_2011.jsonl.zst");
    ASSERT_LE(r.status, 1) << r.err;  // 1: KCNA 2011 has records without a story
    // KCNA 2012 stories to add, each with a word that counts them ("loadmark") and a line that
    // keeps two identical stories apart (so that each batch adds exactly `batch` documents).
    {
        std::ofstream out(dir / "more.jsonl");
        std::istringstream in(run("zstd -dc " + kcna + "/KCNA_2012.jsonl.zst").out);
        int n = 0;
        for (std::string line; n < added_stories && std::getline(in, line);) {
            json rec = json::parse(line);
            auto field = [&](const char* key) {
                return rec.contains(key) && rec[key].is_string() ? rec[key].get<std::string>()
                                                                 : std::string();
            };
            if (field("language") != "en" || field("story").empty()) continue;
            out << json{{"id", "load-" + std::to_string(n)},
                        {"title", field("title")},
                        {"date", field("date")},
                        {"text", field("story") + "\nloadmark record " + std::to_string(n)}}
                       .dump()
                << "\n";
            ++n;
        }
        ASSERT_EQ(n, added_stories);
    }
    std::vector<std::string> queries;
    {
        std::ifstream in(corpora + "/../peers/queries-en.txt");
        for (std::string line; std::getline(in, line);)
            if (!line.empty() && line[0] != '#') queries.push_back(line);
        if (queries.empty()) queries = {"korea", "nuclear", "\"military hotline\"", "Kaesong"};
    }

    panmun::web::WebSettings settings;
    settings.archives = {archive};
    panmun::web::WebApp app(settings);
    auto server = panmun::web::make_http_server();
    panmun::web::ServerSettings s;
    s.port = 0;
    s.threads = clients;
    const int port = server->bind(s);
    std::thread serving([&] { server->run([&](const auto& req) { return app.handle(req); }); });

    std::atomic<bool> stop{false};
    std::mutex m;
    std::vector<double> latencies;
    std::vector<std::string> failures;
    std::set<int> counts_seen;
    auto client_loop = [&](int who) {
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(30, 0);
        std::vector<double> mine;
        for (std::size_t i = who; !stop; ++i) {
            const bool counting = i % 3 == 0;
            const std::string q = counting ? "loadmark" : queries[i % queries.size()];
            const std::string target = "/api/search?q=" + httplib::detail::encode_query_param(q) +
                                       "&facets=person,org,place,event,date&by=year";
            const auto t0 = std::chrono::steady_clock::now();
            auto res = client.Get(target.c_str());
            mine.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count());
            std::string problem;
            if (!res)
                problem = "no response: " + httplib::to_string(res.error());
            else if (res->status != 200)
                problem = std::to_string(res->status) + " " + res->body;
            else {
                json j = json::parse(res->body);
                const long total = j["total"];
                long dated = j["facets"]["date"]["undated"].get<long>();
                for (const auto& b : j["facets"]["date"]["buckets"])
                    dated += b["count"].get<long>();
                if (dated != total)
                    problem = q + ": facets count " + std::to_string(dated) + ", total " +
                              std::to_string(total);
                if (counting && total % batch != 0 && total != added_stories)
                    problem = "loadmark total " + std::to_string(total) + " is no committed state";
                if (counting) {
                    std::lock_guard<std::mutex> lock(m);
                    counts_seen.insert(static_cast<int>(total));
                }
            }
            if (!problem.empty()) {
                std::lock_guard<std::mutex> lock(m);
                failures.push_back(problem);
            }
        }
        std::lock_guard<std::mutex> lock(m);
        latencies.insert(latencies.end(), mine.begin(), mine.end());
    };
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) threads.emplace_back(client_loop, c);
    const auto started = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    RunResult added = run(index_bin + " add --quiet --batch " + std::to_string(batch) +
                          " --archive " + archive + " " + (dir / "more.jsonl"));
    std::this_thread::sleep_until(started + load_time);
    stop = true;
    for (auto& t : threads) t.join();
    ASSERT_EQ(added.status, 0) << added.err;

    std::sort(latencies.begin(), latencies.end());
    const auto at = [&](double p) {
        return latencies[static_cast<std::size_t>(p * (latencies.size() - 1))];
    };
    std::cout << "web load: " << latencies.size() << " requests from " << clients
              << " clients in 30 s while add committed " << added_stories / batch
              << " batches: p50 " << at(0.5) << " ms, p99 " << at(0.99)
              << " ms; loadmark totals seen:";
    for (int c : counts_seen) std::cout << " " << c;
    std::cout << std::endl;
    EXPECT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front();
    EXPECT_GE(counts_seen.size(), 3u) << "the clients saw the archive grow";
    EXPECT_TRUE(counts_seen.count(added_stories)) << "the last commit was seen";

    // A whole result set above 10,000 hits, streamed.
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(120, 0);
    const long total = json::parse(client.Get("/api/search?q=the&limit=0")->body)["total"];
    ASSERT_GT(total, 10000);
    auto exported = client.Get("/api/export?format=csv&fields=id&q=the");
    ASSERT_TRUE(exported);
    EXPECT_EQ(std::count(exported->body.begin(), exported->body.end(), '\n'), total + 1);
    server->stop();
    serving.join();
}

}  // namespace
