// panmun-query serve: the web interface and JSON API over one or more archives (corpus/web).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace panmun {

struct ServeCommand {
    CLI::App* cmd = nullptr;
    std::vector<std::string> archives, hosts;
    std::string bind = "127.0.0.1";
    int port = 8080;
    unsigned threads = 8;
    double time_limit = 5;
    std::size_t cache_clusters = 256;
    std::size_t cache_responses = 1024;
    bool quiet = false;

    void add_to(CLI::App& app);
    int run();
};

}  // namespace panmun
