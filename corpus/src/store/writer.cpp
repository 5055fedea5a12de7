// StoreWriter: appends clusters to a store file at the level used while indexing.
#include <fcntl.h>
#include <sys/stat.h>

#include "panmun/errors.hpp"
#include "panmun/store.hpp"
#include "store/bytes.hpp"
#include "store/cluster.hpp"
#include "store/records.hpp"
#include "store/zstd.hpp"
#include "unique_fd.hpp"

namespace panmun {

using namespace store;

struct StoreWriter::Impl {
    std::string path;
    StoreOptions options;
    UniqueFd fd;
    CCtxPtr cctx;
    std::string dictionary;
    CDictPtr cdict;
    std::uint64_t end = 0;
    std::uint64_t discarded = 0;
    ClusterEncoder open;

    void write_open_cluster() {
        if (open.empty()) return;
        ClusterEncoder::Plain plain = open.encode();
        std::string record = make_record(
            cluster_magic, compress(cctx.get(), cdict.get(), plain.bytes, plain.block_end, path));
        pwrite_all(fd.get(), record.data(), record.size(), end, path);
        end += record.size();
        open.clear();
    }
};

StoreWriter::StoreWriter(const std::string& path, std::uint64_t committed_bytes,
                         StoreOptions options)
    : impl_(std::make_unique<Impl>()) {
    auto& d = *impl_;
    d.path = path;
    d.options = options;
    d.fd = UniqueFd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!d.fd) throw ArchiveError(path, "cannot open document store for writing: " + errno_text());
    d.cctx = compressor(options.level, path);
    if (committed_bytes < header_bytes) {
        if (::ftruncate(d.fd.get(), 0) != 0)
            throw ArchiveError(path, "cannot truncate document store: " + errno_text());
        std::string header = file_header();
        pwrite_all(d.fd.get(), header.data(), header.size(), 0, path);
        d.end = header_bytes;
        return;
    }
    struct stat st {};
    if (::fstat(d.fd.get(), &st) != 0)
        throw ArchiveError(path, "cannot stat document store: " + errno_text());
    if (static_cast<std::uint64_t>(st.st_size) < committed_bytes)
        throw ArchiveError(path, "document store is shorter (" + std::to_string(st.st_size) +
                                     " bytes) than its committed size (" +
                                     std::to_string(committed_bytes) + ")");
    // Bytes past the committed size belong to a batch that never committed: drop them.
    if (static_cast<std::uint64_t>(st.st_size) > committed_bytes &&
        ::ftruncate(d.fd.get(), static_cast<off_t>(committed_bytes)) != 0)
        throw ArchiveError(path, "cannot truncate document store: " + errno_text());
    d.end = committed_bytes;
    d.discarded = static_cast<std::uint64_t>(st.st_size) - committed_bytes;
    check_header(d.fd.get(), path);
    DictionaryRecord dict = read_dictionary_record(d.fd.get(), path);
    d.dictionary = decompress_dictionary(dict.frame, path);
    if (!d.dictionary.empty())
        d.cdict.reset(ZSTD_createCDict(d.dictionary.data(), d.dictionary.size(), options.level));
}

StoreWriter::~StoreWriter() = default;

StoreLocation StoreWriter::append(const Document& doc) {
    auto& d = *impl_;
    StoreLocation where{d.end, static_cast<std::uint32_t>(d.open.count())};
    d.open.add(doc);
    if (d.open.approx_bytes() >= d.options.cluster_bytes) d.write_open_cluster();
    return where;
}

void StoreWriter::sync() {
    impl_->write_open_cluster();
    if (::fdatasync(impl_->fd.get()) != 0)
        throw ArchiveError(impl_->path, "cannot sync document store: " + errno_text());
}

std::uint64_t StoreWriter::size() const { return impl_->end; }
std::uint64_t StoreWriter::discarded_bytes() const { return impl_->discarded; }

void StoreWriter::truncate_to(std::uint64_t committed_bytes) noexcept {
    impl_->open.clear();
    if (impl_->end > committed_bytes &&
        ::ftruncate(impl_->fd.get(), static_cast<off_t>(committed_bytes)) == 0)
        impl_->end = committed_bytes;
}
}  // namespace panmun
