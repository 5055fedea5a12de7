// DocumentStore: fetches documents from a store file, a cluster decompressed as far as needed.
#include <fcntl.h>

#include <atomic>
#include <cstring>
#include <list>
#include <memory>
#include <mutex>

#include "panmun/errors.hpp"
#include "panmun/store.hpp"
#include "store/bytes.hpp"
#include "store/cluster.hpp"
#include "store/records.hpp"
#include "store/zstd.hpp"
#include "unique_fd.hpp"

namespace panmun {

using namespace store;

std::string StoreLocation::serialise() const {
    std::string out;
    put_u64(out, cluster_offset);
    put_u32(out, index);
    return out;
}

std::optional<StoreLocation> StoreLocation::unserialise(std::string_view data) {
    if (data.size() != 12) return std::nullopt;
    return StoreLocation{get_le(data.data(), 8),
                         static_cast<std::uint32_t>(get_le(data.data() + 8, 4))};
}

struct DocumentStore::Impl {
    // A decompression context and the buffer it decompresses into. With a dictionary the buffer
    // holds a copy of the dictionary followed by room for a cluster: zstd then reads the
    // dictionary as the frame's own history and copies matches out of it inline. Decompressing
    // elsewhere makes it call memmove for every match into the dictionary: 43 % of a fetch.
    struct Decoder {
        DCtxPtr dctx{ZSTD_createDCtx()};
        DDictPtr ddict;        // the dictionary at base, its entropy tables decoded once
        char* base = nullptr;  // [dictionary | room]
        HugeBuffer owned;      // base, unless it is the store's first buffer
        std::string spill;     // clusters bigger than the room
    };

    // Room after the dictionary: clusters are about StoreOptions::cluster_bytes; a bigger one
    // (a document of more than a few hundred KiB) is decompressed into Decoder::spill.
    static constexpr std::size_t room = 1 << 20;

    std::string path;
    UniqueFd fd;
    std::uint64_t clusters_begin = header_bytes;
    // The dictionary is checked when the store is opened and decompressed when the first
    // cluster is read, straight into the first decoder's buffer, memory never written before
    // (no zero-filling); a process that only counts matches pays nothing. Decoders made later
    // (fetches from several threads at once) copy it from there.
    std::string dictionary_frame;
    mutable std::once_flag dictionary_once;
    mutable HugeBuffer first_buffer;
    mutable std::size_t dictionary_bytes = 0;

    // Decoders are reused (creating one costs more than decompressing a small cluster); a pool
    // keeps fetch() safe from several threads.
    mutable std::mutex pool_mutex;
    mutable std::vector<std::unique_ptr<Decoder>> pool;
    mutable bool first_taken = false;
    mutable std::atomic<std::uint64_t> decompressed{
        0};  // plaintext bytes, for tests and benchmarks

    // Whole decompressed clusters shared with other readers (share_clusters()); none by default.
    std::shared_ptr<ClusterCache> cache;

    // Throws CorruptDataError if the dictionary does not decompress.
    std::unique_ptr<Decoder> take() const {
        {
            std::lock_guard lock(pool_mutex);
            if (!pool.empty()) {
                auto decoder = std::move(pool.back());
                pool.pop_back();
                return decoder;
            }
        }
        std::call_once(dictionary_once, [this] {
            std::size_t size =
                dictionary_frame.empty() ? 0 : dictionary_size(dictionary_frame, path);
            HugeBuffer buffer = huge_buffer(size + room);
            if (size) decompress_dictionary(dictionary_frame, buffer.get(), size, path);
            dictionary_bytes = size;
            first_buffer = std::move(buffer);
        });
        auto decoder = std::make_unique<Decoder>();
        std::lock_guard lock(pool_mutex);
        if (!first_taken) {
            first_taken = true;
            decoder->base = first_buffer.get();
        } else {
            decoder->owned = huge_buffer(dictionary_bytes + room);
            decoder->base = decoder->owned.get();
            std::memcpy(decoder->base, first_buffer.get(), dictionary_bytes);
        }
        if (dictionary_bytes) {
            decoder->ddict.reset(ZSTD_createDDict_advanced(
                decoder->base, dictionary_bytes, ZSTD_dlm_byRef, ZSTD_dct_auto, ZSTD_defaultCMem));
            if (!decoder->ddict)
                throw CorruptDataError(path, "dictionary at offset 12: not a zstd dictionary");
        }
        return decoder;
    }
    void give(std::unique_ptr<Decoder> decoder) const {
        std::lock_guard lock(pool_mutex);
        pool.push_back(std::move(decoder));
    }

    // Reads, verifies and decompresses the cluster at `offset` with `decoder`: `plain` views
    // its plaintext until the decoder's next use; with `only`, a document's index, it may end
    // once that document is in it (bytes_needed(), which leaves the parsed head in `head`).
    // Returns false with `problem`.
    //
    // Decompression goes a zstd block at a time and stops at the first block boundary after the
    // document's text (codecs 4 and 5 keep the texts last; see ClusterEncoder::encode() for where
    // blocks end). The checksum covers the whole record, so damage anywhere is still caught.
    bool load(Decoder& decoder, std::uint64_t offset, std::string_view& plain, ClusterHead& head,
              std::string& problem, std::uint64_t limit, std::size_t only = SIZE_MAX) const {
        if (offset < clusters_begin) {
            problem = "location points into the store header";
            return false;
        }
        std::string frame;
        if (!read_record(fd.get(), offset, cluster_magic, frame, problem, limit)) return false;
        unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
        if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
            size > max_cluster_plain_bytes) {
            problem = "bad zstd frame header";
            return false;
        }
        char* out = decoder.base + dictionary_bytes;
        if (size > room) {
            decoder.spill.resize(size);
            out = decoder.spill.data();
        }
        ZSTD_DCtx* dctx = decoder.dctx.get();
        // zstd decodes a frame's first block with its prefetching decoder, which loads the
        // places matches copy from a few sequences ahead, when it judges the dictionary "cold":
        // when the context's previous frame used another dictionary or none. The parts of
        // an 8 MiB dictionary a random document's cluster refers to are seldom in cache,
        // whatever the previous frame was, so a one-document fetch first resets the context
        // without a dictionary. The median fetch decompresses just that block. On
        // reuters-financial (docs/BENCHMARKS.md) this changes little on a quiet machine, and
        // keeps the median under 0.2 ms when another process strains memory (0.12-0.18 ms,
        // against up to 0.31 ms without it). Scans are left as zstd judges them (no faster
        // either way).
        if (only != SIZE_MAX && dictionary_bytes) ZSTD_decompressBegin(dctx);
        std::size_t r = dictionary_bytes
                            ? ZSTD_decompressBegin_usingDDict(dctx, decoder.ddict.get())
                            : ZSTD_decompressBegin(dctx);
        std::size_t used = 0, made = 0, needed = only == SIZE_MAX ? size : 0;
        while (!ZSTD_isError(r) && (needed == 0 || made < needed)) {
            std::size_t next = ZSTD_nextSrcSizeToDecompress(dctx);
            if (next == 0) break;  // end of frame
            if (next > frame.size() - used) {
                problem = "zstd: frame cut short";
                return false;
            }
            r = ZSTD_decompressContinue(dctx, out + made, size - made, frame.data() + used, next);
            if (ZSTD_isError(r)) break;
            used += next;
            made += r;
            if (needed == 0 && r > 0)
                needed = bytes_needed(std::string_view(out, made), only, size, head);
        }
        if (ZSTD_isError(r) || made < needed) {
            problem = std::string("zstd: ") + (ZSTD_isError(r) ? ZSTD_getErrorName(r) : "short");
            return false;
        }
        plain = std::string_view(out, made);
        decompressed.fetch_add(made, std::memory_order_relaxed);
        return true;
    }

    // Reads the cluster at `offset` into `docs` (only document `only`, unless SIZE_MAX).
    // Returns false with `problem`.
    bool read(std::uint64_t offset, std::vector<Document>& docs, std::string& problem,
              std::size_t only = SIZE_MAX, std::uint64_t limit = UINT64_MAX) const {
        auto decoder = take();
        std::string_view plain;
        ClusterHead head;
        bool ok = load(*decoder, offset, plain, head, problem, limit, only);
        if (ok && !decode_cluster(plain, head, docs, only)) {
            problem = only == SIZE_MAX
                          ? "malformed cluster"
                          : "malformed cluster or no document " + std::to_string(only) + " in it";
            ok = false;
        }
        give(std::move(decoder));
        return ok;
    }
};

DocumentStore::DocumentStore(const std::string& path) : impl_(std::make_unique<Impl>()) {
    auto& d = *impl_;
    d.path = path;
    d.fd = UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!d.fd) throw ArchiveError(path, "cannot open document store: " + errno_text());
    check_header(d.fd.get(), path);
    DictionaryRecord dict = read_dictionary_record(d.fd.get(), path);
    d.clusters_begin = dict.end;
    d.dictionary_frame = std::move(dict.frame);
}

DocumentStore::~DocumentStore() = default;
DocumentStore::DocumentStore(DocumentStore&&) noexcept = default;

Document DocumentStore::fetch(StoreLocation where, const std::string& label) const {
    std::string problem;
    if (impl_->cache) {
        ClusterCache::Cluster cluster = impl_->cache->find(impl_->path, where.cluster_offset);
        if (!cluster) {
            std::vector<Document> docs;
            if (impl_->read(where.cluster_offset, docs, problem)) {
                cluster = std::make_shared<const std::vector<Document>>(std::move(docs));
                impl_->cache->add(impl_->path, where.cluster_offset, cluster);
            }
        }
        if (cluster && where.index < cluster->size()) return (*cluster)[where.index];
        if (cluster) problem = "no document " + std::to_string(where.index) + " in the cluster";
    } else {
        std::vector<Document> docs;
        if (impl_->read(where.cluster_offset, docs, problem, where.index))
            return std::move(docs[where.index]);
    }
    throw CorruptDataError(impl_->path, "document " + label + " in cluster at offset " +
                                            std::to_string(where.cluster_offset) + ": " + problem);
}

std::vector<Document> DocumentStore::read_cluster(std::uint64_t offset) const {
    std::string problem;
    std::vector<Document> docs;
    if (impl_->read(offset, docs, problem)) return docs;
    throw CorruptDataError(impl_->path,
                           "cluster at offset " + std::to_string(offset) + ": " + problem);
}

void DocumentStore::scan(
    std::uint64_t committed_bytes,
    const std::function<void(std::uint64_t, std::vector<Document>&)>& visit) const {
    std::uint64_t offset = impl_->clusters_begin;
    std::string problem;
    std::vector<Document> docs;
    while (offset < committed_bytes) {
        if (!impl_->read(offset, docs, problem, SIZE_MAX, committed_bytes))
            throw CorruptDataError(impl_->path,
                                   "cluster at offset " + std::to_string(offset) + ": " + problem);
        const std::uint64_t next = offset + record_size(impl_->fd.get(), offset);  // read just now
        visit(offset, docs);
        offset = next;
    }
}

void DocumentStore::share_clusters(std::shared_ptr<ClusterCache> cache) {
    impl_->cache = std::move(cache);
}

ClusterCache::ClusterCache(std::size_t clusters) : capacity_(clusters) {}

ClusterCache::Cluster ClusterCache::find(const std::string& store, std::uint64_t offset) {
    std::lock_guard lock(mutex_);
    auto it = where_.find({store, offset});
    if (it == where_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);  // most recently used first
    return it->second->second;
}

void ClusterCache::add(const std::string& store, std::uint64_t offset, Cluster cluster) {
    std::lock_guard lock(mutex_);
    if (capacity_ == 0 || where_.count({store, offset})) return;
    order_.emplace_front(Key{store, offset}, std::move(cluster));
    where_[{store, offset}] = order_.begin();
    while (order_.size() > capacity_) {
        where_.erase(order_.back().first);
        order_.pop_back();
    }
}

std::uint64_t DocumentStore::decompressed_bytes() const { return impl_->decompressed.load(); }
bool DocumentStore::has_dictionary() const { return !impl_->dictionary_frame.empty(); }
std::string DocumentStore::dictionary() const {
    return decompress_dictionary(impl_->dictionary_frame, impl_->path);
}
const std::string& DocumentStore::path() const { return impl_->path; }

}  // namespace panmun
