// compact_store(): a new store file, dictionary first, clusters compressed on several threads.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <future>

#include "panmun/errors.hpp"
#include "panmun/store.hpp"
#include "store/bytes.hpp"
#include "store/cluster.hpp"
#include "store/records.hpp"
#include "store/zstd.hpp"
#include "unique_fd.hpp"

namespace panmun {

using namespace store;

std::uint64_t compact_store(const std::string& path, const StoreOptions& options,
                            const std::function<bool(Document&)>& next,
                            std::vector<std::string> samples,
                            const std::function<void(std::uint64_t, StoreLocation)>& placed,
                            std::string dictionary) {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd) throw ArchiveError(path, "cannot create document store: " + errno_text());
    std::string head = file_header();
    std::uint64_t end = 0;
    pwrite_all(fd.get(), head.data(), head.size(), end, path);
    end += head.size();

    if (dictionary.empty() && options.dictionary_max_bytes)
        dictionary = train_dictionary(samples, options.dictionary_max_bytes);
    samples = {};  // their memory, for the compression contexts
    CDictPtr cdict;
    if (!dictionary.empty()) {
        CCtxPtr cctx = compressor(19, path);
        std::string record =
            make_record(dictionary_magic, compress(cctx.get(), nullptr, dictionary, 0, path));
        pwrite_all(fd.get(), record.data(), record.size(), end, path);
        end += record.size();
        cdict.reset(ZSTD_createCDict(dictionary.data(), dictionary.size(), options.compact_level));
    }

    // Clusters are encoded here, compressed by worker threads, and written in order. At most
    // `threads` clusters are in flight, which bounds memory whatever the store's size. A context
    // is reused only after the cluster that used it was written (the oldest in flight).
    const unsigned threads = std::max(1u, options.threads);
    std::deque<std::future<std::string>> in_flight;
    std::vector<CCtxPtr> contexts;
    for (unsigned i = 0; i < threads; ++i)
        contexts.push_back(compressor(options.compact_level, path));
    std::size_t next_context = 0;
    auto write_oldest = [&] {
        std::string record = in_flight.front().get();
        in_flight.pop_front();
        pwrite_all(fd.get(), record.data(), record.size(), end, path);
        end += record.size();
    };
    // The offset of a cluster is known only when the clusters before it are written: locations
    // are reported when each cluster is written.
    struct Pending {
        std::uint64_t first_sequence;
        std::size_t count;
    };
    std::deque<Pending> pending;
    auto flush_one = [&] {
        std::uint64_t offset = end;
        write_oldest();
        Pending p = pending.front();
        pending.pop_front();
        for (std::size_t i = 0; i < p.count; ++i)
            placed(p.first_sequence + i, StoreLocation{offset, static_cast<std::uint32_t>(i)});
    };
    ClusterEncoder cluster;
    std::uint64_t sequence = 0;       // documents read so far
    std::uint64_t cluster_first = 0;  // sequence number of the open cluster's first document
    auto submit = [&] {
        if (cluster.empty()) return;
        if (in_flight.size() >= contexts.size()) flush_one();
        ZSTD_CCtx* cctx = contexts[next_context++ % contexts.size()].get();
        in_flight.push_back(
            std::async(std::launch::async, [cctx, &cdict, &path, plain = cluster.encode()] {
                return make_record(cluster_magic,
                                   compress(cctx, cdict.get(), plain.bytes, plain.block_end, path));
            }));
        pending.push_back({cluster_first, cluster.count()});
        cluster.clear();
        cluster_first = sequence;
    };
    for (Document doc; next(doc);) {
        cluster.add(doc);
        ++sequence;
        if (cluster.approx_bytes() >= options.cluster_bytes) submit();
    }
    submit();
    while (!in_flight.empty()) flush_one();
    if (::fdatasync(fd.get()) != 0)
        throw ArchiveError(path, "cannot sync document store: " + errno_text());
    return end;
}

}  // namespace panmun
