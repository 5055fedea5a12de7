#include "panmun/store.hpp"

#include <gtest/gtest.h>
#include <zstd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <map>
#include <set>
#include <thread>

#include "helpers.hpp"
#include "panmun/errors.hpp"

using namespace panmun;
using panmun::test::TempDir;

namespace {

Document make(int i, std::size_t text_bytes = 500) {
    Document d;
    d.id = "doc-" + std::to_string(i);
    d.title = "Title " + std::to_string(i) + " 김정은";
    d.date = *Date::from_fields(1972 + i % 50, 1 + i % 12, 1 + i % 28);
    d.source = "Source";
    d.url = "https://example.invalid/" + std::to_string(i);
    d.lang = i % 3 ? "en" : "ko";
    d.path = i % 4 ? "in/" + std::to_string(i) + ".txt" : "";
    for (std::size_t k = 0; d.text.size() < text_bytes; ++k)
        d.text += "word" + std::to_string((i * 7919 + k) % 1000) + " ";
    return d;
}

// compact_store() of `docs` at `level` into `path`; `placed` receives their locations.
std::uint64_t compact(const std::string& path, const std::vector<Document>& docs,
                      const std::vector<std::string>& samples, int level,
                      std::vector<StoreLocation>& placed) {
    StoreOptions options;
    options.compact_level = level;
    std::size_t next = 0;
    placed.assign(docs.size(), {});
    return compact_store(
        path, options,
        [&](Document& d) {
            if (next == docs.size()) return false;
            d = docs[next++];
            return true;
        },
        samples, [&](std::uint64_t seq, StoreLocation w) { placed.at(seq) = w; });
}

// `count` documents of `text_bytes` each (every other one with an author) written into one
// cluster of a new store at `path`, as StoreWriter writes while indexing.
struct OneCluster {
    std::vector<Document> docs;
    std::vector<StoreLocation> where;
    std::size_t text_bytes = 0;
};
OneCluster write_one_cluster(const std::string& path, int count, std::size_t text_bytes) {
    StoreOptions options;
    options.cluster_bytes = 1 << 20;
    OneCluster c;
    StoreWriter w(path, 0, options);
    for (int i = 0; i < count; ++i) {
        c.docs.push_back(make(i, text_bytes));
        c.docs.back().author = i % 2 ? "Author " + std::to_string(i) : "";
        c.text_bytes += c.docs.back().text.size();
        c.where.push_back(w.append(c.docs.back()));
    }
    w.sync();
    return c;
}

StoreOptions small_clusters() {
    StoreOptions o;
    o.cluster_bytes = 4096;
    return o;
}

}  // namespace

TEST(DocumentStore, RoundTripsEveryFieldAcrossClusters) {
    TempDir tmp;
    std::vector<StoreLocation> where;
    std::vector<Document> docs;
    {
        StoreWriter w(tmp / "store.dat", 0, small_clusters());
        for (int i = 0; i < 300; ++i) {
            docs.push_back(make(i, 10 + i * 37));
            where.push_back(w.append(docs.back()));
        }
        docs.push_back(Document{"undated", "", {}, "", "", "", "only text", "", ""});
        where.push_back(w.append(docs.back()));
        docs.push_back(
            Document{"bylined", "T", {}, "", "", "", "text", "Jane Doe", "in/bylined.txt"});
        where.push_back(w.append(docs.back()));
        w.sync();
    }
    std::set<std::uint64_t> clusters;
    for (auto w : where) clusters.insert(w.cluster_offset);
    EXPECT_GT(clusters.size(), 20u);
    DocumentStore store(tmp / "store.dat");
    EXPECT_FALSE(store.has_dictionary());
    for (std::size_t i = 0; i < docs.size(); ++i)
        EXPECT_EQ(store.fetch(where[i], docs[i].id), docs[i]) << i;
}

TEST(DocumentStore, LocationSerialisesIn12Bytes) {
    StoreLocation l{0x0123456789ULL, 77};
    std::string s = l.serialise();
    EXPECT_EQ(s.size(), 12u);
    EXPECT_EQ(StoreLocation::unserialise(s), l);
    EXPECT_FALSE(StoreLocation::unserialise("short"));
}

// Flip each byte of one cluster record in turn: every flip must be detected, never returned as
// text, and the error must name the document and the cluster's offset.
TEST(DocumentStore, EveryCorruptByteIsDetectedAndNamed) {
    TempDir tmp;
    StoreLocation a, b;
    {
        StoreWriter w(tmp / "store.dat", 0, small_clusters());
        a = w.append(make(1, 5000));  // fills the first cluster
        b = w.append(make(2));
        w.sync();
    }
    ASSERT_NE(a.cluster_offset, b.cluster_offset);
    std::string pristine = test::read_file(tmp / "store.dat");
    for (std::uint64_t off = b.cluster_offset; off < pristine.size(); ++off) {
        std::string bytes = pristine;
        bytes[off] = static_cast<char>(bytes[off] ^ 0x10);
        test::write_file(tmp / "store.dat", bytes);
        DocumentStore store(tmp / "store.dat");
        EXPECT_EQ(store.fetch(a, "doc-1"), make(1, 5000));  // the neighbour is untouched
        try {
            store.fetch(b, "doc-2");
            ADD_FAILURE() << "flip at " << off << " not detected";
        } catch (const CorruptDataError& e) {
            std::string msg = e.what();
            EXPECT_NE(msg.find("document doc-2"), std::string::npos) << msg;
            EXPECT_NE(msg.find("offset " + std::to_string(b.cluster_offset)), std::string::npos)
                << msg;
        }
    }
}

TEST(DocumentStore, TruncatedStoreIsReported) {
    TempDir tmp;
    StoreLocation a;
    {
        StoreWriter w(tmp / "store.dat", 0);
        a = w.append(make(1));
        w.sync();
    }
    std::string bytes = test::read_file(tmp / "store.dat");
    test::write_file(tmp / "store.dat", bytes.substr(0, bytes.size() - 5));
    DocumentStore store(tmp / "store.dat");
    EXPECT_THROW(store.fetch(a, "doc-1"), CorruptDataError);
    EXPECT_THROW(store.scan(bytes.size(), [](auto, auto&) {}), CorruptDataError);
}

TEST(DocumentStore, RejectsFilesThatAreNotStores) {
    TempDir tmp;
    test::write_file(tmp / "junk", "this is not a store at all");
    EXPECT_THROW(DocumentStore(tmp / "junk"), ArchiveError);
    EXPECT_THROW(DocumentStore(tmp / "missing"), ArchiveError);
}

TEST(DocumentStore, ScanVisitsEveryClusterInOrder) {
    TempDir tmp;
    std::uint64_t committed;
    std::map<std::string, StoreLocation> where;
    {
        StoreWriter w(tmp / "store.dat", 0, small_clusters());
        for (int i = 0; i < 100; ++i) where[make(i).id] = w.append(make(i));
        w.sync();
        committed = w.size();
        w.append(make(1000));  // written by sync below, but beyond the committed size
        w.sync();
    }
    DocumentStore store(tmp / "store.dat");
    std::size_t seen = 0;
    std::uint64_t last = 0;
    store.scan(committed, [&](std::uint64_t offset, std::vector<Document>& docs) {
        EXPECT_GT(offset, last);
        last = offset;
        for (std::size_t i = 0; i < docs.size(); ++i) {
            ASSERT_TRUE(where.count(docs[i].id)) << docs[i].id;
            EXPECT_EQ(where[docs[i].id], (StoreLocation{offset, static_cast<std::uint32_t>(i)}));
            ++seen;
        }
    });
    EXPECT_EQ(seen, 100u);
}

TEST(StoreWriter, ReopeningDropsBytesPastTheCommittedSize) {
    TempDir tmp;
    StoreLocation first;
    std::uint64_t committed;
    {
        StoreWriter w(tmp / "store.dat", 0);
        first = w.append(make(1));
        w.sync();
        committed = w.size();
        w.append(make(2));
        w.sync();  // durable, but never recorded as committed
    }
    {
        StoreWriter w(tmp / "store.dat", committed);
        EXPECT_EQ(w.size(), committed);
        StoreLocation next = w.append(make(3));
        EXPECT_EQ(next.cluster_offset, committed);
        w.sync();
    }
    DocumentStore store(tmp / "store.dat");
    EXPECT_EQ(store.fetch(first, "doc-1"), make(1));
    EXPECT_THROW(StoreWriter(tmp / "store.dat", 1u << 30), ArchiveError);  // shorter than committed
}

TEST(CompactStore, TrainsADictionaryAndRoundTrips) {
    TempDir tmp;
    std::vector<Document> docs;
    std::vector<std::string> samples;
    for (int i = 0; i < 2000; ++i) {
        docs.push_back(make(i, 400 + i % 700));
        samples.push_back(docs.back().text);
    }
    std::vector<StoreLocation> placed;
    std::uint64_t bytes = compact(tmp / "store.dat", docs, samples, 9, placed);
    EXPECT_EQ(bytes, boost::filesystem::file_size(tmp / "store.dat"));
    DocumentStore store(tmp / "store.dat");
    EXPECT_TRUE(store.has_dictionary());
    for (std::size_t i = 0; i < docs.size(); ++i)
        EXPECT_EQ(store.fetch(placed[i], docs[i].id), docs[i]);

    // A writer reopening a compacted store appends with the same dictionary.
    StoreLocation extra;
    {
        StoreWriter w(tmp / "store.dat", bytes);
        extra = w.append(make(5000));
        w.sync();
    }
    EXPECT_EQ(DocumentStore(tmp / "store.dat").fetch(extra, "doc-5000"), make(5000));

    // A damaged dictionary is reported when the store is opened.
    std::string raw = test::read_file(tmp / "store.dat");
    raw[40] ^= 0x01;
    test::write_file(tmp / "store.dat", raw);
    try {
        DocumentStore damaged(tmp / "store.dat");
        FAIL() << "damaged dictionary not detected";
    } catch (const CorruptDataError& e) {
        EXPECT_NE(std::string(e.what()).find("dictionary"), std::string::npos) << e.what();
    }
}

// Each thread fetching at once gets its own decoder (a copy of the dictionary followed by room
// for a cluster); a cluster bigger than that room (a 2 MiB document) is decoded elsewhere.
TEST(CompactStore, FetchesFromSeveralThreadsAndClustersBiggerThanTheRoom) {
    TempDir tmp;
    std::vector<Document> docs;
    std::vector<std::string> samples;
    for (int i = 0; i < 1000; ++i) {
        docs.push_back(make(i, i == 500 ? 2 << 20 : 300 + i % 500));
        if (i != 500) samples.push_back(docs.back().text);
    }
    std::vector<StoreLocation> placed;
    compact(tmp / "store.dat", docs, samples, 3, placed);
    DocumentStore store(tmp / "store.dat");
    ASSERT_TRUE(store.has_dictionary());
    std::vector<std::thread> threads;
    std::vector<int> wrong(4, 0);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (std::size_t k = 0; k < docs.size(); ++k) {
                std::size_t i = (k * (2 * t + 1) + 97 * t) % docs.size();
                if (!(store.fetch(placed[i], docs[i].id) == docs[i])) ++wrong[t];
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(wrong, std::vector<int>(4, 0));
    EXPECT_EQ(store.fetch(placed[500], "doc-500").text.size(), docs[500].text.size());
}

// Found by fuzz_store: a record header claiming a 4 GB payload made the reader allocate it.
TEST(DocumentStore, HugeRecordSizeIsRefusedBeforeAllocating) {
    TempDir tmp;
    std::string bytes =
        test::read_file(test::source_dir() + "/tests/fuzz/regressions/store/huge-record-size");
    test::write_file(tmp / "store.dat", bytes);
    DocumentStore store(tmp / "store.dat");
    try {
        store.fetch({12, 0}, "x");
        FAIL();
    } catch (const CorruptDataError& e) {
        EXPECT_NE(std::string(e.what()).find("cut short"), std::string::npos) << e.what();
    }
}

// A fetch decompresses its cluster only up to the end of its document's text: the first
// document of a big cluster costs a fraction of it, the last one all of it.
TEST(DocumentStore, FetchStopsAfterItsDocument) {
    TempDir tmp;
    const auto [docs, where, text_bytes] = write_one_cluster(tmp / "store.dat", 400, 2000);
    ASSERT_EQ(where.front().cluster_offset, where.back().cluster_offset);
    DocumentStore store(tmp / "store.dat");
    EXPECT_EQ(store.fetch(where.front(), docs.front().id), docs.front());
    const std::uint64_t first = store.decompressed_bytes();
    EXPECT_EQ(store.fetch(where.back(), docs.back().id), docs.back());
    const std::uint64_t last = store.decompressed_bytes() - first;
    EXPECT_LT(first, text_bytes / 2);
    EXPECT_GT(last, text_bytes);
    for (std::size_t i = 0; i < docs.size(); ++i)
        EXPECT_EQ(store.fetch(where[i], docs[i].id), docs[i]);
    EXPECT_EQ(store.read_cluster(where.front().cluster_offset), docs);
}

// A shared ClusterCache: the first fetch decompresses the whole cluster, every later fetch from
// it, by any store reading the same file, decompresses nothing; the least recently used goes.
TEST(DocumentStore, SharedClusterCacheDecompressesEachClusterOnce) {
    TempDir tmp;
    const auto [docs, where, text_bytes] = write_one_cluster(tmp / "store.dat", 400, 2000);
    auto cache = std::make_shared<ClusterCache>(1);
    DocumentStore a(tmp / "store.dat"), b(tmp / "store.dat");
    a.share_clusters(cache);
    b.share_clusters(cache);
    EXPECT_EQ(a.fetch(where.front(), docs.front().id), docs.front());
    EXPECT_GT(a.decompressed_bytes(), text_bytes);  // the whole cluster, to keep it
    for (std::size_t i = 0; i < docs.size(); ++i) EXPECT_EQ(b.fetch(where[i], docs[i].id), docs[i]);
    EXPECT_EQ(b.decompressed_bytes(), 0u);
    EXPECT_TRUE(cache->find(tmp / "store.dat", where.front().cluster_offset));
    cache->add("other.dat", 0, std::make_shared<const std::vector<Document>>());
    EXPECT_FALSE(cache->find(tmp / "store.dat", where.front().cluster_offset));  // evicted
}

// A cluster's first zstd block ends after the texts of its first 55 % of documents (rounded
// up): fetches of those stop there, the others decompress the rest. 80 texts of 1,000 bytes
// would otherwise be one block (zstd's blocks are up to 128 KiB).
TEST(DocumentStore, BlockBoundaryAfterMostDocuments) {
    TempDir tmp;
    const auto [docs, where, text_bytes] = write_one_cluster(tmp / "store.dat", 80, 1000);
    ASSERT_EQ(where.front().cluster_offset, where.back().cluster_offset);
    DocumentStore store(tmp / "store.dat");
    auto decompressed = [&](std::size_t i) {
        const std::uint64_t before = store.decompressed_bytes();
        EXPECT_EQ(store.fetch(where[i], docs[i].id), docs[i]);
        return store.decompressed_bytes() - before;
    };
    const std::uint64_t first = decompressed(0), last_before = decompressed(43);
    const std::uint64_t first_after = decompressed(44), last = decompressed(79);
    EXPECT_EQ(first, last_before);
    EXPECT_GT(first, text_bytes / 2);
    EXPECT_LT(first, text_bytes * 2 / 3);
    EXPECT_EQ(first_after, last);
    EXPECT_GT(last, text_bytes);
}

// Stores written before codec 5 have no path; before codec 4 they keep the author (codec 3)
// after the texts, or have none (codec 2). Their clusters are made here by hand, as
// docs/FORMAT.md describes them.
TEST(DocumentStore, ReadsClustersOfEarlierCodecs) {
    auto varint = [](std::string& out, std::uint64_t v) {
        for (; v >= 0x80; v >>= 7) out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        out.push_back(static_cast<char>(v));
    };
    auto le = [](std::string& out, std::uint64_t v, int bytes) {
        for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
    };
    for (int codec : {2, 3, 4}) {
        std::vector<Document> docs;
        for (int i = 0; i < 5; ++i) {
            docs.push_back(make(i, 300));
            docs.back().path.clear();
            if (codec >= 3) docs.back().author = i % 2 ? "Reporter " + std::to_string(i) : "";
        }
        std::vector<std::vector<std::string>> fields;  // stored order: ..., lang, text, author
        for (const auto& d : docs)
            if (codec == 4)  // ..., lang, author, text
                fields.push_back(
                    {d.id, d.title, d.date.sortable(), d.source, d.url, d.lang, d.author, d.text});
            else
                fields.push_back(
                    {d.id, d.title, d.date.sortable(), d.source, d.url, d.lang, d.text, d.author});
        const std::size_t field_count = codec >= 3 ? 8 : 7;
        std::string plain(1, static_cast<char>(codec));
        varint(plain, docs.size());
        for (std::size_t f = 0; f < field_count; ++f)
            for (const auto& d : fields) varint(plain, d[f].size());
        for (std::size_t f = 0; f < field_count; ++f)
            for (const auto& d : fields) plain += d[f];
        std::string frame(ZSTD_compressBound(plain.size()), '\0');
        frame.resize(ZSTD_compress(frame.data(), frame.size(), plain.data(), plain.size(), 3));
        std::string file = "PANMUNST";
        le(file, 2, 4);
        const std::uint64_t offset = file.size();
        file += "PMCL";
        le(file, frame.size(), 4);
        le(file, XXH3_64bits(frame.data(), frame.size()), 8);
        file += frame;
        TempDir tmp;
        test::write_file(tmp / "store.dat", file);
        DocumentStore store(tmp / "store.dat");
        for (std::uint32_t i = 0; i < docs.size(); ++i)
            EXPECT_EQ(store.fetch({offset, i}, docs[i].id), docs[i]) << "codec " << codec;
        EXPECT_EQ(store.read_cluster(offset), docs) << "codec " << codec;
    }
}
