// Query benchmark: times search() (match, rank, fetch and snippet the top 10) for each query of
// a file, and like() for some of the hits, and fetches random documents, in one process on a
// warm archive. Used by scripts/bench-query, bench-facets and bench; prints one JSON object.
// Usage: panmun_bench_query ARCHIVE QUERIES_FILE [--rounds N]
#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "panmun/archive.hpp"
#include "panmun/search.hpp"

using namespace panmun;
using clock_type = std::chrono::steady_clock;

namespace {

double ms_since(clock_type::time_point t) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

nlohmann::json summary(const std::vector<double>& ms) {
    return {{"runs", ms.size()},
            {"p50", percentile(ms, 0.5)},
            {"p99", percentile(ms, 0.99)},
            {"max", ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end())}};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: panmun_bench_query ARCHIVE[,ARCHIVE...] QUERIES_FILE [--rounds N]\n"
                     "  (several archives, comma-separated, are searched as one)\n";
        return 2;
    }
    int rounds = 20;
    for (int i = 3; i + 1 < argc; ++i)
        if (!std::strcmp(argv[i], "--rounds")) rounds = std::stoi(argv[++i]);
    std::vector<std::string> paths;
    for (std::string rest = argv[1];;) {
        const std::size_t comma = rest.find(',');
        paths.push_back(rest.substr(0, comma));
        if (comma == std::string::npos) break;
        rest = rest.substr(comma + 1);
    }
    ArchiveReader archive(paths);
    std::vector<std::string> queries;
    std::ifstream in(argv[2]);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') queries.push_back(line);

    SearchRequest request;
    request.limit = 10;
    std::vector<std::string> examples;  // the top hit of each query, for like()
    for (const auto& q : queries) {     // warm-up: every page and block the set touches
        request.query = q;
        SearchResult r = search(archive, request, {});
        if (!r.hits.empty()) examples.push_back(r.hits[0].document.id);
    }
    std::vector<double> search_ms, count_ms, like_ms, facets_ms, ids_ms, ids_facets_ms;
    for (int round = 0; round < rounds; ++round) {
        for (const auto& q : queries) {
            request.query = q;
            request.limit = 10;
            auto t = clock_type::now();
            (void)search(archive, request, {});
            search_ms.push_back(ms_since(t));
            request.limit = 0;  // --count: the exact total only
            t = clock_type::now();
            (void)search(archive, request, {});
            count_ms.push_back(ms_since(t));
            request.limit = 10;  // the top 10 hits with four facets: person, org, place, date
            request.facets = FacetRequest::parse("person,org,place,date");
            t = clock_type::now();
            (void)search(archive, request, {});
            facets_ms.push_back(ms_since(t));
            request.facets = {};
            request.fetch = false;  // what the peers time: the top 10 ids and the exact count
            t = clock_type::now();
            (void)search(archive, request, {});
            ids_ms.push_back(ms_since(t));
            request.facets = FacetRequest::parse("person,org,place,date");
            t = clock_type::now();
            (void)search(archive, request, {});
            ids_facets_ms.push_back(ms_since(t));
            request.facets = {};
            request.fetch = true;
        }
    }
    LikeRequest like_request;
    for (const auto& id : examples) {
        like_request.id = id;
        (void)like(archive, like_request, {});  // warm
        auto t = clock_type::now();
        (void)like(archive, like_request, {});
        like_ms.push_back(ms_since(t));
    }
    // Fetching one stored document (a cluster decompressed, the document decoded): 5,000 random
    // documents, timed on a second pass so that the cold cache is excluded.
    std::vector<Xapian::docid> sample;
    std::mt19937 rng(42);
    const Xapian::Database& db = archive.database();
    for (Xapian::PostingIterator it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
        sample.push_back(*it);
    std::shuffle(sample.begin(), sample.end(), rng);
    if (sample.size() > 5000) sample.resize(5000);
    for (Xapian::docid id : sample) (void)archive.fetch(id);
    std::vector<double> fetch_ms;
    for (Xapian::docid id : sample) {
        auto t = clock_type::now();
        (void)archive.fetch(id);
        fetch_ms.push_back(ms_since(t));
    }
    nlohmann::json out = {{"archive", argv[1]},
                          {"documents", archive.document_count()},
                          {"queries", queries.size()},
                          {"search_top10_ms", summary(search_ms)},
                          {"count_only_ms", summary(count_ms)},
                          {"search_top10_4_facets_ms", summary(facets_ms)},
                          {"top10_ids_ms", summary(ids_ms)},
                          {"top10_ids_4_facets_ms", summary(ids_facets_ms)},
                          {"like_top10_ms", summary(like_ms)},
                          {"fetch_ms", summary(fetch_ms)}};
    std::cout << out.dump(2) << "\n";
}
