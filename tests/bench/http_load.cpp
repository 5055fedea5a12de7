// A closed-loop HTTP load: CLIENTS threads, each sending the queries of a file in turn (one
// after another, each waiting for its answer) to a URL template for SECONDS, after a warm-up
// pass over every query. Prints one JSON object: requests, errors, p50_ms, p99_ms, rate.
// Used by scripts/bench-serve for panmun-query serve and kiwix-serve alike.
//
// usage: panmun_bench_http HOST PORT TEMPLATE QUERIES [CLIENTS] [SECONDS]
//   TEMPLATE is a path with {q} where the URL-encoded query goes, e.g. /api/search?q={q}
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 5) {
        std::cerr << "usage: panmun_bench_http HOST PORT TEMPLATE QUERIES [CLIENTS] [SECONDS]\n";
        return 2;
    }
    const std::string host = argv[1], path_template = argv[3];
    const int port = std::stoi(argv[2]);
    const int clients = argc > 5 ? std::stoi(argv[5]) : 8;
    const int seconds = argc > 6 ? std::stoi(argv[6]) : 20;
    std::vector<std::string> targets;
    std::ifstream in(argv[4]);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::string t = path_template;
        t.replace(t.find("{q}"), 3, httplib::detail::encode_query_param(line));
        targets.push_back(t);
    }
    if (targets.empty()) return 2;
    {  // warm-up: every query once
        httplib::Client client(host, port);
        client.set_url_encode(false);
        for (const auto& t : targets) client.Get(t.c_str());
    }
    std::atomic<bool> stop{false};
    std::atomic<long> errors{0};
    std::mutex m;
    std::vector<double> all;
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            httplib::Client client(host, port);
            client.set_url_encode(false);
            client.set_read_timeout(60, 0);
            std::vector<double> mine;
            for (std::size_t i = c; !stop; ++i) {
                const auto t0 = std::chrono::steady_clock::now();
                auto res = client.Get(targets[i % targets.size()].c_str());
                mine.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                        .count());
                if (!res || res->status != 200) ++errors;
            }
            std::lock_guard<std::mutex> lock(m);
            all.insert(all.end(), mine.begin(), mine.end());
        });
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    std::sort(all.begin(), all.end());
    auto at = [&](double p) { return all[static_cast<std::size_t>(p * (all.size() - 1))]; };
    std::cout << "{\"requests\": " << all.size() << ", \"errors\": " << errors.load()
              << ", \"clients\": " << clients << ", \"seconds\": " << seconds
              << ", \"p50_ms\": " << at(0.5) << ", \"p99_ms\": " << at(0.99)
              << ", \"rate\": " << all.size() / static_cast<double>(seconds) << "}\n";
    return 0;
}
