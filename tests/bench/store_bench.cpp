// Store benchmark: for an existing archive, rewrites its documents with compact_store() under
// several settings (size, write MB/s) and times random fetches. Used by scripts/bench-store;
// prints one JSON object.
// Usage: panmun_bench_store ARCHIVE [--grid | --dict BYTES --level N --cluster BYTES] [--fetches N]
//        [--texts FILE] [--order
//        compaction|added|title|date-title|month-title|year-title|lsh|minhash]
//        [--texts-only | --blank id,title,url,date,source] [--fetch-only]
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "panmun/archive.hpp"
#include "panmun/store.hpp"

using namespace panmun;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point t) {
    return std::chrono::duration<double>(clock_type::now() - t).count();
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: panmun_bench_store ARCHIVE [--grid] [--fetches N] [--texts FILE]\n";
        return 2;
    }
    std::string path = argv[1];
    bool grid = false;
    std::size_t fetches = 20000;
    std::string texts_file;
    std::string order = "compaction";  // or added (docid order), title, ...
    bool fetch_only = false;
    bool texts_only = false;  // blank every field but the text: what the metadata costs
    std::string blank;        // --blank id,title,url,date: blank those fields (what each costs)
    StoreOptions one;         // --dict/--level/--cluster: one setting instead of the archive's
    bool one_set = false;
    for (int i = 2; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--grid")) grid = true;
        if (!std::strcmp(argv[i], "--fetches") && i + 1 < argc) fetches = std::stoul(argv[++i]);
        if (!std::strcmp(argv[i], "--texts") && i + 1 < argc) texts_file = argv[++i];
        if (!std::strcmp(argv[i], "--order") && i + 1 < argc) order = argv[++i];
        if (!std::strcmp(argv[i], "--fetch-only")) fetch_only = true;
        if (!std::strcmp(argv[i], "--texts-only")) texts_only = true;
        if (!std::strcmp(argv[i], "--blank") && i + 1 < argc) blank = argv[++i];
        if (!std::strcmp(argv[i], "--dict") && i + 1 < argc)
            one.dictionary_max_bytes = std::stoul(argv[++i]), one_set = true;
        if (!std::strcmp(argv[i], "--level") && i + 1 < argc)
            one.compact_level = std::stoi(argv[++i]), one_set = true;
        if (!std::strcmp(argv[i], "--cluster") && i + 1 < argc)
            one.cluster_bytes = std::stoul(argv[++i]), one_set = true;
    }
    ArchiveReader archive(path);
    nlohmann::json out = {{"archive", path},
                          {"documents", archive.document_count()},
                          {"store_bytes", archive.state().store_bytes},
                          {"text_bytes", archive.state().text_bytes}};

    // The live documents in docid order (the order they were added).
    std::vector<Document> docs;
    std::vector<Xapian::docid> ids;
    std::vector<StoreLocation> where;
    const Xapian::Database& db = archive.database();
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        ids.push_back(*it);
        where.push_back(archive.location(db.get_document(*it)));
    }
    {
        std::map<std::pair<std::uint64_t, std::uint32_t>, Document> stored;
        archive.store().scan(archive.state().store_bytes,
                             [&](std::uint64_t offset, std::vector<Document>& cluster) {
                                 for (std::uint32_t i = 0; i < cluster.size(); ++i)
                                     stored[{offset, i}] = std::move(cluster[i]);
                             });
        for (const auto& w : where)
            docs.push_back(std::move(stored.at({w.cluster_offset, w.index})));
    }
    std::uint64_t plain_bytes = 0;
    for (const auto& d : docs)
        plain_bytes += d.id.size() + d.title.size() + d.url.size() + d.source.size() +
                       d.lang.size() + d.text.size() + 8;
    out["stored_field_bytes"] = plain_bytes;
    if (!texts_file.empty()) {  // the concatenated texts, for zstd/xz to compress as one stream
        std::ofstream t(texts_file, std::ios::binary);
        for (const auto& d : docs) t << d.text << "\n";
    }

    // Random fetches: one warm-up pass over the same random sample, then the timed pass.
    std::mt19937_64 rng(42);
    std::vector<StoreLocation> sample;
    for (std::size_t i = 0; i < fetches && !where.empty(); ++i)
        sample.push_back(where[rng() % where.size()]);
    for (const auto& w : sample) (void)archive.store().fetch(w, "bench");
    std::vector<double> ms, kib;
    ms.reserve(sample.size());
    kib.reserve(sample.size());
    for (const auto& w : sample) {
        std::uint64_t before = archive.store().decompressed_bytes();
        auto t = clock_type::now();
        Document d = archive.store().fetch(w, "bench");
        ms.push_back(seconds_since(t) * 1000);
        kib.push_back((archive.store().decompressed_bytes() - before) / 1024.0);
    }
    out["fetch_ms"] = {{"n", ms.size()},
                       {"p50", percentile(ms, 0.5)},
                       {"p99", percentile(ms, 0.99)},
                       {"max", percentile(ms, 1.0)}};
    // What a fetch decompresses: its cluster up to the end of its document's zstd block.
    out["fetch_decompressed_kib"] = {{"p50", percentile(kib, 0.5)}, {"p99", percentile(kib, 0.99)}};

    // Cluster sizes: a fetch decompresses at most one whole cluster, so the big ones set the tail.
    {
        std::vector<double> cluster_kib;
        archive.store().scan(
            archive.state().store_bytes, [&](std::uint64_t, std::vector<Document>& c) {
                std::size_t b = 0;
                for (const auto& d : c)
                    b += d.text.size() + d.title.size() + d.url.size() + d.id.size();
                cluster_kib.push_back(b / 1024.0);
            });
        out["cluster_kib"] = {{"n", cluster_kib.size()},
                              {"p50", percentile(cluster_kib, 0.5)},
                              {"p99", percentile(cluster_kib, 0.99)},
                              {"max", percentile(cluster_kib, 1.0)}};
    }
    if (fetch_only) {
        std::cout << out.dump(2) << "\n";
        return 0;
    }

    // compact_store() under settings: the default, or a grid.
    std::vector<StoreOptions> settings;
    StoreOptions defaults = archive.manifest().store_options;
    if (one_set) {
        settings.push_back(one);
    } else if (!grid) {
        settings.push_back(defaults);
    } else {
        for (std::size_t cluster : {64u << 10, 128u << 10, 256u << 10})
            for (int level : {9, 12, 15, 19})
                for (std::size_t dict :
                     {std::size_t{0}, std::size_t{256} << 10, std::size_t{1} << 20}) {
                    StoreOptions o = defaults;
                    o.cluster_bytes = cluster;
                    o.compact_level = level;
                    o.dictionary_max_bytes = dict;
                    settings.push_back(o);
                }
    }
    if (order == "title")
        std::stable_sort(docs.begin(), docs.end(),
                         [](const Document& a, const Document& b) { return a.title < b.title; });
    if (order == "date-title" || order == "month-title" || order == "year-title") {
        const std::size_t n = order == "date-title" ? 8 : order == "month-title" ? 6 : 4;
        std::stable_sort(docs.begin(), docs.end(), [n](const Document& a, const Document& b) {
            auto ka = a.date.sortable().substr(0, n), kb = b.date.sortable().substr(0, n);
            return ka != kb ? ka < kb : a.title < b.title;
        });
    }
    if (order == "compaction") {  // what ArchiveWriter::compact() writes
        std::vector<Document> sorted;
        for (Xapian::docid id : compaction_order(db))
            sorted.push_back(
                std::move(docs[std::lower_bound(ids.begin(), ids.end(), id) - ids.begin()]));
        docs = std::move(sorted);
    }
    if (order == "minhash") {  // similar texts next to each other: sort by one MinHash
        std::vector<std::pair<std::uint64_t, std::size_t>> keys;
        for (std::size_t i = 0; i < docs.size(); ++i) {
            std::uint64_t best = ~0ull, h1 = 0, h2 = 0;
            std::string word;
            auto end_word = [&] {
                if (word.empty()) return;
                std::uint64_t h = std::hash<std::string>{}(word);
                best = std::min<std::uint64_t>(best, (h * 31 + h1) * 0x9E3779B97F4A7C15ull + h2);
                h2 = h1;
                h1 = h;
                word.clear();
            };
            for (unsigned char c : docs[i].text) {
                if (std::isalnum(c))
                    word += static_cast<char>(std::tolower(c));
                else
                    end_word();
            }
            end_word();
            keys.emplace_back(best, i);
        }
        std::sort(keys.begin(), keys.end());
        std::vector<Document> sorted;
        for (auto& [k, i] : keys) sorted.push_back(std::move(docs[i]));
        docs = std::move(sorted);
    }
    if (texts_only)
        for (auto& d : docs) {
            Document t;
            t.text = std::move(d.text);
            d = std::move(t);
        }
    for (auto& d : docs) {
        if (blank.find("id") != std::string::npos) d.id.clear();
        if (blank.find("title") != std::string::npos) d.title.clear();
        if (blank.find("url") != std::string::npos) d.url.clear();
        if (blank.find("date") != std::string::npos) d.date = Date{};
        if (blank.find("source") != std::string::npos) d.source.clear();
    }
    if (order == "lsh") {
        // Near-duplicates found more widely than near_duplicate_key(): one-permutation MinHash
        // of word 5-shingles, B bands of R bins (PM_B, PM_R, PM_W: shingle words); documents
        // sharing a band key are joined (union-find); groups in order of their first document.
        const int B = getenv("PM_B") ? atoi(getenv("PM_B")) : 8,
                  R = getenv("PM_R") ? atoi(getenv("PM_R")) : 4;
        const int W = getenv("PM_W") ? atoi(getenv("PM_W")) : 5;
        const int bins = B * R;
        std::vector<std::uint64_t> keys(docs.size() * B);
        auto tc = clock_type::now();
        for (std::size_t i = 0; i < docs.size(); ++i) {
            std::vector<std::uint64_t> mins(bins, ~0ull);
            std::vector<std::uint64_t> ring(W, 0);
            std::size_t words = 0;
            std::uint64_t h = 0;
            bool in_word = false;
            auto end_word = [&] {
                ring[words % W] = h * 0x9E3779B97F4A7C15ull;
                ++words;
                if (words >= static_cast<std::size_t>(W)) {
                    std::uint64_t s = 0;
                    for (int j = 0; j < W; ++j)
                        s = (s ^ ring[(words + j) % W]) * 0xff51afd7ed558ccdull + j;
                    s ^= s >> 29;
                    s *= 0xc4ceb9fe1a85ec53ull;
                    s ^= s >> 32;
                    std::size_t bin = s % bins;
                    mins[bin] = std::min(mins[bin], s);
                }
                h = 0;
            };
            for (unsigned char c : docs[i].text) {
                if (std::isalnum(c) || c >= 0x80) {
                    h = h * 131 + std::tolower(c);
                    in_word = true;
                } else if (in_word) {
                    end_word();
                    in_word = false;
                }
            }
            if (in_word) end_word();
            for (int b = 0; b < B; ++b) {
                std::uint64_t k = 0x12345 + b;
                bool empty = false;
                for (int r = 0; r < R; ++r) {
                    if (mins[b * R + r] == ~0ull) empty = true;
                    k = (k ^ mins[b * R + r]) * 0x9E3779B97F4A7C15ull;
                }
                keys[i * B + b] = empty ? 0 : k | 1;
            }
        }
        std::vector<std::size_t> parent(docs.size());
        for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = i;
        std::function<std::size_t(std::size_t)> find = [&](std::size_t x) {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
        };
        for (int b = 0; b < B; ++b) {
            std::vector<std::pair<std::uint64_t, std::size_t>> band;
            for (std::size_t i = 0; i < docs.size(); ++i)
                if (keys[i * B + b]) band.emplace_back(keys[i * B + b], i);
            std::sort(band.begin(), band.end());
            for (std::size_t j = 1; j < band.size(); ++j)
                if (band[j].first == band[j - 1].first) {
                    std::size_t x = find(band[j].second), y = find(band[j - 1].second);
                    if (x != y) parent[std::max(x, y)] = std::min(x, y);
                }
        }
        std::vector<std::pair<std::size_t, std::size_t>> by(docs.size());
        std::size_t joined = 0;
        for (std::size_t i = 0; i < docs.size(); ++i) {
            by[i] = {find(i), i};
            joined += by[i].first != i;
        }
        std::sort(by.begin(), by.end());
        std::vector<Document> sorted;
        for (auto& [root, i] : by) sorted.push_back(std::move(docs[i]));
        docs = std::move(sorted);
        std::cerr << "lsh: " << joined << " documents joined to an earlier one, "
                  << seconds_since(tc) << " s\n";
    }
    std::vector<std::string> samples;
    // As ArchiveWriter::compact: 64 MB of evenly spaced documents.
    const std::size_t budget = 64u << 20;
    const std::size_t stride = std::max<std::size_t>(1, plain_bytes / budget);
    for (std::size_t i = 0; i < docs.size(); i += stride)
        samples.push_back(docs[i].title + "\n" + docs[i].url + "\n" + docs[i].text);
    const std::string scratch = path + "/bench-store.tmp";
    for (const auto& o : settings) {
        std::size_t next = 0;
        auto t = clock_type::now();
        std::uint64_t bytes = compact_store(
            scratch, o,
            [&](Document& d) {
                if (next == docs.size()) return false;
                d = docs[next++];
                return true;
            },
            samples, [](std::uint64_t, StoreLocation) {});
        double s = seconds_since(t);
        out["compact"].push_back({{"cluster_bytes", o.cluster_bytes},
                                  {"level", o.compact_level},
                                  {"dictionary_max_bytes", o.dictionary_max_bytes},
                                  {"threads", o.threads},
                                  {"bytes", bytes},
                                  {"seconds", s},
                                  {"write_mb_s", plain_bytes / 1e6 / s}});
        std::cerr << "cluster " << o.cluster_bytes << " level " << o.compact_level << " dict "
                  << o.dictionary_max_bytes << ": " << bytes << " bytes, " << s << " s\n";
    }
    std::remove(scratch.c_str());
    std::cout << out.dump(2) << "\n";
}
