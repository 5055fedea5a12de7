// The compressed document store: every document's full text and metadata, in clusters of
// documents compressed together as one zstd frame, optionally with a zstd dictionary trained on
// the archive's own documents. Each record is checksummed. Append-only; the archive decides which
// bytes are committed, and compact_store() writes a new, dense file.
//
// File layout (docs/FORMAT.md has the details; integers little-endian):
//   header      "PANMUNST" u32 version                                          12 bytes
//   dictionary  "PMDI" u32 payload_bytes u64 XXH3(payload) payload   optional, right after header
//   cluster     "PMCL" u32 payload_bytes u64 XXH3(payload) payload   payload: one zstd frame
// A StoreLocation names one document: the offset of its cluster and its index in the cluster.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "panmun/document.hpp"

namespace panmun {

struct StoreLocation {
    std::uint64_t cluster_offset = 0;  // of the cluster record in the store file
    std::uint32_t index = 0;           // of the document within the cluster

    // 12 bytes, little-endian, for keeping the location in the index.
    std::string serialise() const;
    // nullopt unless `data` is 12 bytes (a damaged index entry: the caller names it).
    static std::optional<StoreLocation> unserialise(std::string_view data);
    bool operator==(const StoreLocation&) const = default;
};

// Knobs of the store. Measured on KCNA 2012 stories (14.9 MB; docs/BENCHMARKS.md has the table).
struct StoreOptions {
    // Level for documents added by build/add. Fast, so compression never holds indexing back;
    // compact_store() recompresses at compact_level.
    int level = 3;
    // Level of compact_store(). Higher is smaller and slower to write; reading speed barely
    // changes. If you don't know, keep the default.
    int compact_level = 19;
    // Uncompressed bytes per cluster. Bigger compresses better (the frame sees more context) and
    // costs a fetch more (it decompresses the cluster up to its document's zstd block). 224 KiB
    // is the smallest measured that keeps both corpora's stores under 1.15 x `zstd -19
    // --long=27` (kcna-marquez 1.147, reuters-financial 1.142; at 192 KiB kcna-marquez is
    // 1.150), and there the boundary after 55 % of a cluster's texts falls just after zstd's
    // first 128 KiB block: the median fetch decompresses 128 KiB on both corpora (163 / 155 KiB
    // with 256 KiB and the boundary at 60 %), docs/BENCHMARKS.md. An archive keeps the size it
    // was created with (manifest).
    std::size_t cluster_bytes = 224 << 10;
    // Dictionary trained by compact_store(): a third of the training sample (at most 64 MB),
    // within [16 KiB, dictionary_max_bytes]. 0 disables the dictionary. Bigger compresses better
    // and costs every process that reads the store its decompression, once (1.4-1.8 ms a MiB
    // on kcna-marquez): on reuters-financial 8 MiB gave a store of 73.0 MB against 75.7 MB with
    // 4 MiB.
    std::size_t dictionary_max_bytes = 8 << 20;
    // Threads compressing clusters in compact_store().
    unsigned threads = 2;
};

// Reads documents from a store file. Safe to use from several threads at once.
// Decompressed clusters, the most recently used ones, shared by the readers of a server (as
// libzim's cluster cache): the same documents come back from one request to the next. Keyed by
// store file and offset, which a store never reuses, so no entry goes stale. Thread-safe.
class ClusterCache {
public:
    using Cluster = std::shared_ptr<const std::vector<Document>>;
    explicit ClusterCache(std::size_t clusters);  // each about StoreOptions::cluster_bytes
    Cluster find(const std::string& store, std::uint64_t offset);
    void add(const std::string& store, std::uint64_t offset, Cluster cluster);

private:
    using Key = std::pair<std::string, std::uint64_t>;
    std::size_t capacity_;
    std::mutex mutex_;
    std::list<std::pair<Key, Cluster>> order_;
    std::map<Key, std::list<std::pair<Key, Cluster>>::iterator> where_;
};

class DocumentStore {
public:
    // Throws ArchiveError if the file is missing or is not a store of a version we read.
    explicit DocumentStore(const std::string& path);
    ~DocumentStore();
    DocumentStore(DocumentStore&&) noexcept;

    // Returns the document at `where`. Throws CorruptDataError naming `label` (normally the
    // document id) and the offset if the record's header, checksum or frame is damaged.
    Document fetch(StoreLocation where, const std::string& label) const;

    // All documents of the cluster at `offset`. Throws CorruptDataError if it is damaged.
    std::vector<Document> read_cluster(std::uint64_t offset) const;

    // Calls `visit` with every cluster in the first `committed_bytes` bytes, in file order.
    // Throws CorruptDataError at the first damaged record (offset named).
    void scan(std::uint64_t committed_bytes,
              const std::function<void(std::uint64_t offset, std::vector<Document>&)>& visit) const;

    // fetch() keeps the clusters it reads in `cache`, whole and decompressed, and looks there
    // first (by default there is none, and a fetch decompresses only up to its document).
    void share_clusters(std::shared_ptr<ClusterCache> cache);

    bool has_dictionary() const;
    // The dictionary, decompressed; empty if the store has none. Throws CorruptDataError.
    std::string dictionary() const;
    const std::string& path() const;
    // Plaintext bytes decompressed so far: a fetch stops after its document's text, so this
    // grows by less than the cluster's size (for benchmarks and tests).
    std::uint64_t decompressed_bytes() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Appends documents to a store file, a cluster at a time.
//
// Life cycle: open (creating the file, or truncating it to `committed_bytes`, which drops what an
// interrupted writer left behind) -> append ... -> sync -> (caller records size() as committed).
// append() returns the location the document will have; the document is written when its cluster
// fills up or at sync(). Any exception (I/O error, disk full) leaves bytes after the last
// committed size that the next open truncates; the writer must not be used any further.
class StoreWriter {
public:
    StoreWriter(const std::string& path, std::uint64_t committed_bytes, StoreOptions options = {});
    ~StoreWriter();

    StoreLocation append(const Document& doc);
    void sync();                 // writes the open cluster, then fdatasync
    std::uint64_t size() const;  // bytes of the file after sync(), including the header
    // Drops everything after `committed_bytes` (unwritten cluster included): for a writer that
    // gives up on its uncommitted changes. Never throws.
    void truncate_to(std::uint64_t committed_bytes) noexcept;
    // Bytes past the committed size that opening dropped (an interrupted update's leftovers).
    std::uint64_t discarded_bytes() const;

    static constexpr std::uint64_t header_bytes = 12;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Writes a new store file at `path` holding the documents that `next` yields, in that order:
// trains a dictionary on `samples` (documents' fields as text; freed once it is trained), or
// takes `dictionary` as it is if that is not empty, then compresses clusters at
// options.compact_level with options.threads threads. `placed` is called with each document's
// sequence number (0, 1, ...) and its new location, in that order. The file is complete and
// synced when this returns. Returns its size.
std::uint64_t compact_store(const std::string& path, const StoreOptions& options,
                            const std::function<bool(Document&)>& next,
                            std::vector<std::string> samples,
                            const std::function<void(std::uint64_t, StoreLocation)>& placed,
                            std::string dictionary = {});

}  // namespace panmun
