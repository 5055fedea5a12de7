// The web application of `panmun-query serve`: the JSON API (/api/...), the pages (/, /search,
// /doc/ID) and their assets, over one or more archives, read-only. Requests are answered
// concurrently: each takes an archive reader of its own from a pool (Xapian objects are never
// shared between threads), moved to the archive's newest committed state first, so that an
// `add` running beside the server shows up at the next request and a response never mixes two
// committed states. docs/WEB.md describes the routes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "http.hpp"

namespace panmun::web {

struct WebSettings {
    std::vector<std::string> archives;  // paths; the first is the default, each named by its
                                        // directory's name (?archive=NAME)
    std::string bind = "127.0.0.1";     // the address served, a Host it accepts
    std::vector<std::string> hosts;     // more Host names to accept (behind a proxy)
    double time_limit = 5;              // seconds a query may spend counting its matches
    std::size_t max_query = 4096;       // bytes of a query
    // Decompressed store clusters kept for each archive (ClusterCache), about 224 KiB each.
    std::size_t cache_clusters = 256;
    // Whole answers kept, by archive revision and request (0: none).
    std::size_t cache_responses = 1024;
};

class WebApp {
public:
    // Opens each archive once to check it (throws ArchiveError).
    explicit WebApp(WebSettings settings);
    ~WebApp();
    // Never throws: every failure is a response (JSON under /api/, a page elsewhere).
    HttpResponse handle(const HttpRequest& request) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace panmun::web
