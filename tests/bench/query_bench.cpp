// Query benchmark: times search() (match, rank, fetch and snippet the top 10) for each query of
// a file, and like() for some of the hits, and fetches random documents, in one process on a
// warm archive. Used by scripts/bench-query, bench-facets, bench and bench-shards; prints one
// JSON object. With --against, two archives timed query by query in turns (bench-shards).
// Usage: panmun_bench_query ARCHIVE QUERIES_FILE [--rounds N] [--against ARCHIVE]
#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
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

// One archive's timings.
struct Timed {
    explicit Timed(const std::string& given) : name(given), archive(split(given)) {}
    static std::vector<std::string> split(std::string rest) {
        std::vector<std::string> paths;
        for (;;) {
            const std::size_t comma = rest.find(',');
            paths.push_back(rest.substr(0, comma));
            if (comma == std::string::npos) return paths;
            rest = rest.substr(comma + 1);
        }
    }
    std::string name;
    ArchiveReader archive;
    std::vector<std::string> examples;  // the top hit of each query, for like()
    std::vector<double> search_ms, count_ms, like_ms, facets_ms, ids_ms, ids_facets_ms, fetch_ms;
};

// The queries of one round on one archive, each way it is timed.
void time_query(Timed& b, const std::string& q) {
    SearchRequest request;
    request.query = q;
    request.limit = 10;
    auto t = clock_type::now();
    (void)search(b.archive, request, {});
    b.search_ms.push_back(ms_since(t));
    request.limit = 0;  // --count: the exact total only
    t = clock_type::now();
    (void)search(b.archive, request, {});
    b.count_ms.push_back(ms_since(t));
    request.limit = 10;  // the top 10 hits with four facets: person, org, place, date
    request.facets = FacetRequest::parse("person,org,place,date");
    t = clock_type::now();
    (void)search(b.archive, request, {});
    b.facets_ms.push_back(ms_since(t));
    request.facets = {};
    request.fetch = false;  // what the peers time: the top 10 ids and the exact count
    t = clock_type::now();
    (void)search(b.archive, request, {});
    b.ids_ms.push_back(ms_since(t));
    request.facets = FacetRequest::parse("person,org,place,date");
    t = clock_type::now();
    (void)search(b.archive, request, {});
    b.ids_facets_ms.push_back(ms_since(t));
}

// Fetching one stored document (a cluster decompressed, the document decoded): 5,000 random
// documents, timed on a second pass so that the cold cache is excluded.
void time_fetches(Timed& b) {
    std::vector<Xapian::docid> sample;
    std::mt19937 rng(42);
    const Xapian::Database& db = b.archive.database();
    for (Xapian::PostingIterator it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
        sample.push_back(*it);
    std::shuffle(sample.begin(), sample.end(), rng);
    if (sample.size() > 5000) sample.resize(5000);
    for (Xapian::docid id : sample) (void)b.archive.fetch(id);
    for (Xapian::docid id : sample) {
        auto t = clock_type::now();
        (void)b.archive.fetch(id);
        b.fetch_ms.push_back(ms_since(t));
    }
}

nlohmann::json report(const Timed& b, std::size_t queries) {
    return {{"archive", b.name},
            {"documents", b.archive.document_count()},
            {"queries", queries},
            {"search_top10_ms", summary(b.search_ms)},
            {"count_only_ms", summary(b.count_ms)},
            {"search_top10_4_facets_ms", summary(b.facets_ms)},
            {"top10_ids_ms", summary(b.ids_ms)},
            {"top10_ids_4_facets_ms", summary(b.ids_facets_ms)},
            {"like_top10_ms", summary(b.like_ms)},
            {"fetch_ms", summary(b.fetch_ms)}};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: panmun_bench_query ARCHIVE[,ARCHIVE...] QUERIES_FILE [--rounds N] "
                     "[--against ARCHIVE[,ARCHIVE...]]\n"
                     "  (several archives, comma-separated, are searched as one; with --against,\n"
                     "  the two are timed query by query in turns, in one process, and the\n"
                     "  output is {\"a\": ..., \"b\": ...})\n";
        return 2;
    }
    int rounds = 20;
    std::string against;
    for (int i = 3; i + 1 < argc; ++i) {
        if (!std::strcmp(argv[i], "--rounds")) rounds = std::stoi(argv[++i]);
        if (!std::strcmp(argv[i], "--against")) against = argv[++i];
    }
    std::vector<std::unique_ptr<Timed>> timed;
    timed.push_back(std::make_unique<Timed>(argv[1]));
    if (!against.empty()) timed.push_back(std::make_unique<Timed>(against));
    std::vector<std::string> queries;
    std::ifstream in(argv[2]);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') queries.push_back(line);

    for (auto& b : timed) {  // warm-up: every page and block the set touches
        SearchRequest request;
        request.limit = 10;
        for (const auto& q : queries) {
            request.query = q;
            SearchResult r = search(b->archive, request, {});
            if (!r.hits.empty()) b->examples.push_back(r.hits[0].document.id);
        }
    }
    // With two archives, each query is timed on one then the other, the first of the two
    // changing every round: a slow moment of the machine falls on both alike.
    for (int round = 0; round < rounds; ++round)
        for (const auto& q : queries)
            for (std::size_t k = 0; k < timed.size(); ++k)
                time_query(*timed[(k + round) % timed.size()], q);
    for (std::size_t e = 0; e < timed.front()->examples.size(); ++e)
        for (std::size_t k = 0; k < timed.size(); ++k) {
            Timed& b = *timed[(k + e) % timed.size()];
            if (e >= b.examples.size()) continue;
            LikeRequest like_request;
            like_request.id = b.examples[e];
            (void)like(b.archive, like_request, {});  // warm
            auto t = clock_type::now();
            (void)like(b.archive, like_request, {});
            b.like_ms.push_back(ms_since(t));
        }
    for (auto& b : timed) time_fetches(*b);
    nlohmann::json out = report(*timed.front(), queries.size());
    if (timed.size() > 1) out = {{"a", out}, {"b", report(*timed.back(), queries.size())}};
    std::cout << out.dump(2) << "\n";
}
