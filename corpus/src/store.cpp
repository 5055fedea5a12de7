// DocumentStore and StoreWriter: per-document zstd frames with an XXH3 checksum over each frame.
#include "panmun/store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "panmun/errors.hpp"
#include "unique_fd.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace panmun {
namespace {

constexpr char file_magic[8] = {'P', 'A', 'N', 'M', 'U', 'N', 'S', 'T'};
constexpr std::uint32_t store_version = 1;
constexpr char record_magic[4] = {'P', 'M', 'D', '1'};
constexpr std::size_t record_header_bytes = 16;
constexpr unsigned char codec_version = 1;

void put_u32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
void put_u64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
std::uint64_t get_le(const char* p, int n) {
    std::uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

// The uncompressed form of a document: a codec byte, then each field as varint length + bytes.
std::string encode(const Document& d) {
    std::string date = d.date.sortable();
    std::string out;
    out.reserve(d.text.size() + d.title.size() + d.url.size() + 64);
    out.push_back(static_cast<char>(codec_version));
    const std::string* fields[] = {&d.id, &d.title, &date, &d.source, &d.url, &d.lang, &d.text};
    for (const std::string* f : fields) {
        put_varint(out, f->size());
        out += *f;
    }
    return out;
}

// Returns false if the bytes are not a well-formed encoding.
bool decode(std::string_view in, Document& d) {
    if (in.empty() || static_cast<unsigned char>(in[0]) != codec_version) return false;
    in.remove_prefix(1);
    std::string date;
    for (std::string* f : {&d.id, &d.title, &date, &d.source, &d.url, &d.lang, &d.text}) {
        std::uint64_t len = 0;
        for (int shift = 0;; shift += 7) {
            if (in.empty() || shift > 63) return false;
            auto byte = static_cast<unsigned char>(in[0]);
            in.remove_prefix(1);
            len |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            if (!(byte & 0x80)) break;
        }
        if (len > in.size()) return false;
        f->assign(in.substr(0, len));
        in.remove_prefix(len);
    }
    auto parsed = Date::from_sortable(date);
    if (!parsed || !in.empty()) return false;
    d.date = *parsed;
    return true;
}

std::string errno_text() { return std::strerror(errno); }

// Writes all of `data` at `offset`, retrying short writes.
void pwrite_all(int fd, const char* data, std::size_t n, std::uint64_t offset,
                const std::string& path) {
    while (n > 0) {
        ssize_t w = ::pwrite(fd, data, n, static_cast<off_t>(offset));
        if (w < 0) {
            if (errno == EINTR) continue;
            throw ArchiveError(path, "cannot write document store: " + errno_text());
        }
        data += w;
        n -= static_cast<std::size_t>(w);
        offset += static_cast<std::uint64_t>(w);
    }
}

bool pread_all(int fd, char* data, std::size_t n, std::uint64_t offset) {
    while (n > 0) {
        ssize_t r = ::pread(fd, data, n, static_cast<off_t>(offset));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        data += r;
        n -= static_cast<std::size_t>(r);
        offset += static_cast<std::uint64_t>(r);
    }
    return true;
}

struct CCtxDeleter {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

}  // namespace

std::string StoreLocation::serialise() const {
    std::string out;
    put_u64(out, offset);
    put_u32(out, bytes);
    return out;
}

StoreLocation StoreLocation::unserialise(std::string_view data) {
    if (data.size() != 12) throw std::invalid_argument("store location is not 12 bytes");
    return {get_le(data.data(), 8), static_cast<std::uint32_t>(get_le(data.data() + 8, 4))};
}

// ---- DocumentStore -------------------------------------------------------------------------

struct DocumentStore::Impl {
    std::string path;
    UniqueFd fd;
};

DocumentStore::DocumentStore(const std::string& path) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->fd = UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!impl_->fd) throw ArchiveError(path, "cannot open document store: " + errno_text());
    char header[StoreWriter::header_bytes];
    if (!pread_all(impl_->fd.get(), header, sizeof header, 0) ||
        std::memcmp(header, file_magic, sizeof file_magic) != 0)
        throw ArchiveError(path, "not a panmun document store (bad header)");
    auto version = get_le(header + 8, 4);
    if (version != store_version)
        throw ArchiveError(path, "document store version " + std::to_string(version) +
                                     " (this panmun reads version " +
                                     std::to_string(store_version) + ")");
}

DocumentStore::~DocumentStore() = default;
DocumentStore::DocumentStore(DocumentStore&&) noexcept = default;

Document DocumentStore::fetch(StoreLocation where, const std::string& label) const {
    auto corrupt = [&](const std::string& what) {
        return CorruptDataError(impl_->path, "document " + label + " at offset " +
                                                 std::to_string(where.offset) + ": " + what);
    };
    if (where.bytes < record_header_bytes) throw corrupt("record size too small");
    std::string record(where.bytes, '\0');
    if (!pread_all(impl_->fd.get(), record.data(), record.size(), where.offset))
        throw corrupt("record lies beyond the end of the store (truncated file?)");
    if (std::memcmp(record.data(), record_magic, 4) != 0) throw corrupt("bad record header");
    auto frame_bytes = get_le(record.data() + 4, 4);
    if (frame_bytes + record_header_bytes != where.bytes)
        throw corrupt("record length does not match the index");
    const char* frame = record.data() + record_header_bytes;
    if (XXH3_64bits(frame, frame_bytes) != get_le(record.data() + 8, 8))
        throw corrupt("checksum mismatch");
    unsigned long long plain_bytes = ZSTD_getFrameContentSize(frame, frame_bytes);
    if (plain_bytes == ZSTD_CONTENTSIZE_ERROR || plain_bytes == ZSTD_CONTENTSIZE_UNKNOWN ||
        plain_bytes > (1ull << 32))
        throw corrupt("bad zstd frame header");
    std::string plain(plain_bytes, '\0');
    std::size_t got = ZSTD_decompress(plain.data(), plain.size(), frame, frame_bytes);
    if (ZSTD_isError(got) || got != plain_bytes)
        throw corrupt(std::string("zstd: ") + (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short"));
    Document doc;
    if (!decode(plain, doc)) throw corrupt("malformed document encoding");
    return doc;
}

// ---- StoreWriter ---------------------------------------------------------------------------

struct StoreWriter::Impl {
    std::string path;
    UniqueFd fd;
    std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx{ZSTD_createCCtx()};
    std::uint64_t end = 0;
    std::uint64_t input_bytes = 0;
    std::string frame;   // reused buffers
    std::string record;
};

StoreWriter::StoreWriter(const std::string& path, std::uint64_t committed_bytes, int level)
    : impl_(std::make_unique<Impl>()) {
    auto& d = *impl_;
    d.path = path;
    d.fd = UniqueFd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!d.fd) throw ArchiveError(path, "cannot open document store for writing: " + errno_text());
    ZSTD_CCtx_setParameter(d.cctx.get(), ZSTD_c_compressionLevel, level);
    if (committed_bytes < header_bytes) {
        std::string header(file_magic, sizeof file_magic);
        put_u32(header, store_version);
        if (::ftruncate(d.fd.get(), 0) != 0)
            throw ArchiveError(path, "cannot truncate document store: " + errno_text());
        pwrite_all(d.fd.get(), header.data(), header.size(), 0, path);
        d.end = header_bytes;
    } else {
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
    }
}

StoreWriter::~StoreWriter() = default;

StoreLocation StoreWriter::append(const Document& doc) {
    auto& d = *impl_;
    std::string plain = encode(doc);
    d.frame.resize(ZSTD_compressBound(plain.size()));
    std::size_t n = ZSTD_compress2(d.cctx.get(), d.frame.data(), d.frame.size(), plain.data(),
                                   plain.size());
    if (ZSTD_isError(n))
        throw ArchiveError(d.path, std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
    if (n + record_header_bytes > UINT32_MAX)
        throw ArchiveError(d.path, "document " + doc.id + " is too large to store");
    d.record.assign(record_magic, 4);
    put_u32(d.record, static_cast<std::uint32_t>(n));
    put_u64(d.record, XXH3_64bits(d.frame.data(), n));
    d.record.append(d.frame.data(), n);
    pwrite_all(d.fd.get(), d.record.data(), d.record.size(), d.end, d.path);
    StoreLocation where{d.end, static_cast<std::uint32_t>(d.record.size())};
    d.end += d.record.size();
    d.input_bytes += doc.text.size();
    return where;
}

void StoreWriter::sync() {
    if (::fdatasync(impl_->fd.get()) != 0)
        throw ArchiveError(impl_->path, "cannot sync document store: " + errno_text());
}

std::uint64_t StoreWriter::size() const { return impl_->end; }
std::uint64_t StoreWriter::input_bytes() const { return impl_->input_bytes; }

}  // namespace panmun
