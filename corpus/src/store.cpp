// DocumentStore, StoreWriter and compact_store(): clusters of documents as checksummed zstd
// frames, with an optional dictionary record at the start of the file.
#include "panmun/store.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define ZDICT_STATIC_LINKING_ONLY
#define ZSTD_STATIC_LINKING_ONLY  // buffer-less block-by-block decompression (exported by libzstd)
#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "panmun/errors.hpp"
#include "unique_fd.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace panmun {
namespace {

constexpr char file_magic[8] = {'P', 'A', 'N', 'M', 'U', 'N', 'S', 'T'};
constexpr std::uint32_t store_version = 2;
constexpr char dictionary_magic[4] = {'P', 'M', 'D', 'I'};
constexpr char cluster_magic[4] = {'P', 'M', 'C', 'L'};
constexpr std::size_t record_header_bytes = 16;
// 5 added the path of the input file (before the texts); 4 put the texts last, so that a fetch
// can stop decompressing at its document's text; 3 added the author (after the texts); 2 had 7
// fields. All of them still read.
constexpr unsigned char codec_version = 5;
constexpr std::size_t field_count = 9;
constexpr std::size_t text_field = field_count - 1;
constexpr std::size_t dictionary_min_bytes = 16 << 10;
// No cluster can decompress to more than this: a document is at most one input line (64 MiB,
// LineReader::max_line_bytes) and a cluster closes once it passes cluster_bytes. A damaged
// frame header claiming more is refused before anything is allocated.
constexpr std::uint64_t max_cluster_plain_bytes = 256ull << 20;

struct CCtxDeleter {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxDeleter {
    void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};
struct DDictDeleter {
    void operator()(ZSTD_DDict* c) const { ZSTD_freeDDict(c); }
};
struct CDictDeleter {
    void operator()(ZSTD_CDict* c) const { ZSTD_freeCDict(c); }
};
using CCtxPtr = std::unique_ptr<ZSTD_CCtx, CCtxDeleter>;
using DCtxPtr = std::unique_ptr<ZSTD_DCtx, DCtxDeleter>;
using CDictPtr = std::unique_ptr<ZSTD_CDict, CDictDeleter>;
using DDictPtr = std::unique_ptr<ZSTD_DDict, DDictDeleter>;

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
bool get_varint(std::string_view& in, std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
        if (in.empty()) return false;
        auto byte = static_cast<unsigned char>(in[0]);
        in.remove_prefix(1);
        v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return true;
    }
    return false;
}

std::string errno_text() { return std::strerror(errno); }

// Memory for a dictionary and the clusters decompressed after it, in 2 MiB pages where the
// kernel gives them: a fetch's matches land anywhere in an 8 MiB dictionary, 2,048 pages of
// 4 KiB. Measured (fetch p50, median of four runs each): kcna-marquez 0.150 against 0.155 ms,
// reuters-financial 0.24 against 0.29 ms; the machine was noisy, so call it a small gain.
struct HugeFree {
    void operator()(char* p) const { std::free(p); }
};
using HugeBuffer = std::unique_ptr<char[], HugeFree>;
HugeBuffer huge_buffer(std::size_t bytes) {
    constexpr std::size_t page = 2 << 20;
    bytes = (bytes + page - 1) / page * page;
    void* p = nullptr;
    if (posix_memalign(&p, page, bytes) != 0) throw std::bad_alloc();
    ::madvise(p, bytes, MADV_HUGEPAGE);  // advice only: without huge pages it still works
    return HugeBuffer(static_cast<char*>(p));
}

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

// The fields of a document, in codec 5's order; the date in its sortable form.
std::array<std::string_view, field_count> fields_of(const Document& d, const std::string& date) {
    return {d.id, d.title, date, d.source, d.url, d.lang, d.author, d.path, d.text};
}
std::array<std::string*, field_count> targets_of(Document& d, std::string& date) {
    return {&d.id, &d.title, &date, &d.source, &d.url, &d.lang, &d.author, &d.path, &d.text};
}
// The k-th field a codec stores is fields_of()[order[k]].
struct Codec {
    unsigned char version;
    std::size_t fields;
    std::array<std::size_t, field_count> order;
};
constexpr Codec codecs[] = {
    {5, 9, {0, 1, 2, 3, 4, 5, 6, 7, 8}},
    {4, 8, {0, 1, 2, 3, 4, 5, 6, 8}},   // no path
    {3, 8, {0, 1, 2, 3, 4, 5, 8, 6}},   // the text before the author
    {2, 7, {0, 1, 2, 3, 4, 5, 8}},      // no author
};

// Cluster plaintext: codec byte, count, then per field the lengths of all documents, then per
// field the bytes of all documents. Grouping a field's values together (all URLs, then all
// texts) puts similar bytes next to each other, which compresses better than document order.
// The texts come last: they are most of the bytes, and a fetch decompresses only up to the end
// of its document's text.
class ClusterEncoder {
public:
    void add(const Document& d) {
        docs_.push_back(d);
        bytes_ += d.text.size() + d.title.size() + d.url.size() + d.id.size() + d.author.size() + d.path.size() + 32;
    }
    std::size_t count() const { return docs_.size(); }
    std::size_t approx_bytes() const { return bytes_; }
    bool empty() const { return docs_.empty(); }

    // The plaintext, and where its first zstd block should end: after the text of the first
    // 55 % of the documents (0 for none). A fetch decompresses up to the end of its document's
    // zstd block, and zstd's own blocks are up to 128 KiB, the last rarely split: without the
    // boundary most fetches decompress the whole cluster. With one boundary after a share f of
    // the documents a fetch decompresses on average about f^2 + 1 - f of the texts, least at
    // f = 1/2; 55 % keeps the median fetch on the near side of it. It costs 0.1 % more bytes
    // (kcna-marquez, docs/BENCHMARKS.md).
    struct Plain {
        std::string bytes;
        std::size_t block_end = 0;
    };
    Plain encode() const {
        std::vector<std::string> dates;
        dates.reserve(docs_.size());
        for (const auto& d : docs_) dates.push_back(d.date.sortable());
        Plain out;
        std::string& bytes = out.bytes;
        bytes.reserve(bytes_ + 16);
        bytes.push_back(static_cast<char>(codec_version));
        put_varint(bytes, docs_.size());
        for (std::size_t f = 0; f < field_count; ++f)
            for (std::size_t i = 0; i < docs_.size(); ++i)
                put_varint(bytes, fields_of(docs_[i], dates[i])[f].size());
        const std::size_t first_part = (docs_.size() * 11 + 19) / 20;  // 55 %, rounded up
        for (std::size_t f = 0; f < field_count; ++f)
            for (std::size_t i = 0; i < docs_.size(); ++i) {
                bytes += fields_of(docs_[i], dates[i])[f];
                if (f == text_field && i + 1 == first_part && first_part < docs_.size())
                    out.block_end = bytes.size();
            }
        return out;
    }
    void clear() {
        docs_.clear();
        bytes_ = 0;
    }

private:
    std::vector<Document> docs_;
    std::size_t bytes_ = 0;
};

// The head of a cluster's plaintext: codec, count and every field's lengths.
struct ClusterHead {
    const std::size_t* order = nullptr;  // stored position -> index in fields_of() (Codec::order)
    std::size_t fields = 0;
    std::uint64_t count = 0;
    std::vector<std::uint64_t> lengths;  // count per stored position
    std::size_t bytes = 0;               // of the head itself; 0 until parsed
};
enum class HeadResult { ok, incomplete, malformed };

// Parses the head of `in`, the first bytes of a plaintext of `whole` bytes: incomplete while
// more bytes are needed.
HeadResult parse_head(std::string_view in, std::size_t whole, ClusterHead& head) {
    const std::size_t got = in.size();
    const HeadResult short_ = got < whole ? HeadResult::incomplete : HeadResult::malformed;
    if (in.empty()) return short_;
    const auto version = static_cast<unsigned char>(in[0]);
    const Codec* codec = std::find_if(std::begin(codecs), std::end(codecs),
                                      [&](const Codec& c) { return c.version == version; });
    if (codec == std::end(codecs)) return HeadResult::malformed;
    head.order = codec->order.data();
    head.fields = codec->fields;
    in.remove_prefix(1);
    if (!get_varint(in, head.count)) return short_;
    if (head.count > whole / head.fields) return HeadResult::malformed;  // a byte per length at least
    head.lengths.resize(head.count * head.fields);
    for (auto& len : head.lengths)
        if (!get_varint(in, len)) return short_;
    head.bytes = got - in.size();
    return HeadResult::ok;
}

// How many bytes of a plaintext of `whole` bytes, starting with `in`, decode document `only`:
// 0 while `in` is too short to tell; `whole` when every byte is needed (older codecs, which
// store a field after the texts, or a malformed head that decode_cluster() will report).
// Leaves the parsed head in `head`.
std::size_t bytes_needed(std::string_view in, std::size_t only, std::size_t whole, ClusterHead& head) {
    HeadResult r = parse_head(in, whole, head);
    if (r == HeadResult::incomplete) return 0;
    if (r == HeadResult::malformed || head.order[head.fields - 1] != text_field || only >= head.count)
        return whole;
    std::uint64_t end = head.bytes;  // every field before the texts, then texts up to `only`'s
    const std::size_t texts = (head.fields - 1) * head.count;
    for (std::size_t k = 0; k < texts + only + 1; ++k) end += head.lengths[k];
    return static_cast<std::size_t>(std::min<std::uint64_t>(end, whole));
}

// Decodes a cluster's plaintext, whose head is parsed in `head` unless its `bytes` is 0; `only`
// limits the result to one document (others stay empty), and then the plaintext may end once
// that document's fields are in it (bytes_needed()).
bool decode_cluster(std::string_view in, ClusterHead& head, std::vector<Document>& docs,
                    std::size_t only = SIZE_MAX) {
    if (!head.bytes && parse_head(in, in.size(), head) != HeadResult::ok) return false;
    const std::uint64_t n = head.count;
    if (only != SIZE_MAX && only >= n) return false;
    in.remove_prefix(head.bytes);
    docs.assign(only == SIZE_MAX ? n : only + 1, Document{});
    std::vector<std::string> dates(docs.size());
    bool done = false;
    for (std::size_t k = 0; k < head.fields && !done; ++k) {
        for (std::size_t i = 0; i < n; ++i) {
            std::uint64_t len = head.lengths[k * n + i];
            if (len > in.size()) return false;
            if (only == SIZE_MAX || i == only) {
                *targets_of(docs[i], dates[i])[head.order[k]] = in.substr(0, len);
                if (i == only && k == head.fields - 1) {
                    done = true;  // the rest of the plaintext may not be there
                    break;
                }
            }
            in.remove_prefix(len);
        }
    }
    if (!done && !in.empty()) return false;
    for (std::size_t i = 0; i < docs.size(); ++i) {
        if (only != SIZE_MAX && i != only) continue;
        auto date = Date::from_sortable(dates[i]);
        if (!date) return false;
        docs[i].date = *date;
    }
    return true;
}

std::string make_record(const char magic[4], std::string_view payload) {
    std::string record(magic, 4);
    put_u32(record, static_cast<std::uint32_t>(payload.size()));
    put_u64(record, XXH3_64bits(payload.data(), payload.size()));
    record += payload;
    return record;
}

// Compresses `plain` into one zstd frame (with `cdict` if not null), ending a block at
// `block_end` if it is not 0.
std::string compress(ZSTD_CCtx* cctx, const ZSTD_CDict* cdict, std::string_view plain,
                     std::size_t block_end, const std::string& path) {
    auto failed = [&](std::size_t r) {
        throw ArchiveError(path, std::string("zstd compression failed: ") + ZSTD_getErrorName(r));
    };
    ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only);
    if (std::size_t r = ZSTD_CCtx_refCDict(cctx, cdict); ZSTD_isError(r)) failed(r);
    ZSTD_CCtx_setPledgedSrcSize(cctx, plain.size());
    std::string frame(ZSTD_compressBound(plain.size()) + 1024, '\0');
    ZSTD_outBuffer out{frame.data(), frame.size(), 0};
    ZSTD_inBuffer in{plain.data(), 0, 0};
    auto run = [&](std::size_t upto, ZSTD_EndDirective step) {
        in.size = upto;
        for (;;) {
            std::size_t left = ZSTD_compressStream2(cctx, &out, &in, step);
            if (ZSTD_isError(left)) failed(left);
            if (left == 0) return;
            frame.resize(frame.size() * 2);  // more than compressBound: only the flush's few bytes
            out.dst = frame.data();
            out.size = frame.size();
        }
    };
    if (block_end) run(block_end, ZSTD_e_flush);
    run(plain.size(), ZSTD_e_end);
    frame.resize(out.pos);
    return frame;
}

std::string file_header() {
    std::string header(file_magic, sizeof file_magic);
    put_u32(header, store_version);
    return header;
}

// Reads the record at `offset`: checks magic, size and checksum. Returns the payload.
// `problem` receives a description on failure.
bool read_record(int fd, std::uint64_t offset, const char magic[4], std::string& payload,
                 std::string& problem, std::uint64_t limit = UINT64_MAX) {
    char header[record_header_bytes];
    if (!pread_all(fd, header, sizeof header, offset)) {
        problem = "record lies beyond the end of the store (truncated file?)";
        return false;
    }
    if (std::memcmp(header, magic, 4) != 0) {
        problem = "bad record header";
        return false;
    }
    std::uint64_t n = get_le(header + 4, 4);
    if (offset + record_header_bytes + n > limit) {
        problem = "record runs past the committed end of the store";
        return false;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || offset + record_header_bytes + n > static_cast<std::uint64_t>(st.st_size)) {
        problem = "record is cut short (truncated file?)";  // checked before allocating n bytes
        return false;
    }
    payload.resize(n);
    if (!pread_all(fd, payload.data(), n, offset + record_header_bytes)) {
        problem = "record is cut short (truncated file?)";
        return false;
    }
    if (XXH3_64bits(payload.data(), n) != get_le(header + 8, 8)) {
        problem = "checksum mismatch";
        return false;
    }
    return true;
}

// The dictionary record right after the header, if any: its compressed bytes (checksum
// verified) and the offset where clusters begin.
struct DictionaryRecord {
    std::string frame;  // the zstd frame of the dictionary; empty if none
    std::uint64_t end = StoreWriter::header_bytes;
};

DictionaryRecord read_dictionary_record(int fd, const std::string& path) {
    DictionaryRecord result;
    char magic[4];
    if (!pread_all(fd, magic, 4, StoreWriter::header_bytes) ||
        std::memcmp(magic, dictionary_magic, 4) != 0)
        return result;
    std::string problem;
    if (!read_record(fd, StoreWriter::header_bytes, dictionary_magic, result.frame, problem))
        throw CorruptDataError(path, "dictionary at offset 12: " + problem);
    result.end = StoreWriter::header_bytes + record_header_bytes + result.frame.size();
    return result;
}

// The size of the raw dictionary in a record's frame. Throws CorruptDataError.
std::size_t dictionary_size(const std::string& frame, const std::string& path) {
    unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (64u << 20))
        throw CorruptDataError(path, "dictionary at offset 12: bad zstd frame");
    return size;
}

// Decompresses a record's frame into `out`, dictionary_size(frame) bytes. Throws CorruptDataError.
void decompress_dictionary(const std::string& frame, char* out, std::size_t size, const std::string& path) {
    std::size_t got = ZSTD_decompress(out, size, frame.data(), frame.size());
    if (ZSTD_isError(got) || got != size)
        throw CorruptDataError(path, "dictionary at offset 12: does not decompress");
}

void check_header(int fd, const std::string& path) {
    char header[StoreWriter::header_bytes];
    if (!pread_all(fd, header, sizeof header, 0) ||
        std::memcmp(header, file_magic, sizeof file_magic) != 0)
        throw ArchiveError(path, "not a panmun document store (bad header)");
    auto version = get_le(header + 8, 4);
    if (version != store_version)
        throw ArchiveError(path, "document store version " + std::to_string(version) +
                                     " (this panmun reads version " +
                                     std::to_string(store_version) + ")");
}

}  // namespace

std::string StoreLocation::serialise() const {
    std::string out;
    put_u64(out, cluster_offset);
    put_u32(out, index);
    return out;
}

StoreLocation StoreLocation::unserialise(std::string_view data) {
    if (data.size() != 12) throw std::invalid_argument("store location is not 12 bytes");
    return {get_le(data.data(), 8), static_cast<std::uint32_t>(get_le(data.data() + 8, 4))};
}

// ---- DocumentStore -------------------------------------------------------------------------

struct DocumentStore::Impl {
    // A decompression context and the buffer it decompresses into. With a dictionary the buffer
    // holds a copy of the dictionary followed by room for a cluster: zstd then reads the
    // dictionary as the frame's own history and copies matches out of it inline. Decompressing
    // elsewhere makes it call memmove for every match into the dictionary: 43 % of a fetch.
    struct Decoder {
        DCtxPtr dctx{ZSTD_createDCtx()};
        DDictPtr ddict;                 // the dictionary at base, its entropy tables decoded once
        char* base = nullptr;           // [dictionary | room]
        HugeBuffer owned;               // base, unless it is the store's first buffer
        std::string spill;              // clusters bigger than the room
    };

    // Room after the dictionary: clusters are about StoreOptions::cluster_bytes; a bigger one
    // (a document of more than a few hundred KiB) is decompressed into Decoder::spill.
    static constexpr std::size_t room = 1 << 20;

    std::string path;
    UniqueFd fd;
    std::uint64_t clusters_begin = StoreWriter::header_bytes;
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
    mutable std::atomic<std::uint64_t> decompressed{0};  // plaintext bytes, for tests and benchmarks

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
            std::size_t size = dictionary_frame.empty() ? 0 : dictionary_size(dictionary_frame, path);
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
            decoder->ddict.reset(ZSTD_createDDict_advanced(decoder->base, dictionary_bytes, ZSTD_dlm_byRef,
                                                           ZSTD_dct_auto, ZSTD_defaultCMem));
            if (!decoder->ddict) throw CorruptDataError(path, "dictionary at offset 12: not a zstd dictionary");
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
        if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > max_cluster_plain_bytes) {
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
        std::size_t r = dictionary_bytes ? ZSTD_decompressBegin_usingDDict(dctx, decoder.ddict.get())
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
            if (needed == 0 && r > 0) needed = bytes_needed(std::string_view(out, made), only, size, head);
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
            problem = only == SIZE_MAX ? "malformed cluster"
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
    std::vector<Document> docs;
    if (impl_->read(where.cluster_offset, docs, problem, where.index)) return std::move(docs[where.index]);
    throw CorruptDataError(impl_->path, "document " + label + " in cluster at offset " +
                                            std::to_string(where.cluster_offset) + ": " + problem);
}

std::vector<Document> DocumentStore::read_cluster(std::uint64_t offset) const {
    std::string problem;
    std::vector<Document> docs;
    if (impl_->read(offset, docs, problem)) return docs;
    throw CorruptDataError(impl_->path, "cluster at offset " + std::to_string(offset) + ": " + problem);
}

void DocumentStore::scan(
    std::uint64_t committed_bytes,
    const std::function<void(std::uint64_t, std::vector<Document>&)>& visit) const {
    std::uint64_t offset = impl_->clusters_begin;
    std::string problem;
    std::vector<Document> docs;
    while (offset < committed_bytes) {
        if (!impl_->read(offset, docs, problem, SIZE_MAX, committed_bytes))
            throw CorruptDataError(impl_->path, "cluster at offset " + std::to_string(offset) + ": " + problem);
        char header[record_header_bytes];
        pread_all(impl_->fd.get(), header, sizeof header, offset);
        std::uint64_t next = offset + record_header_bytes + get_le(header + 4, 4);
        visit(offset, docs);
        offset = next;
    }
}

std::uint64_t DocumentStore::decompressed_bytes() const { return impl_->decompressed.load(); }
bool DocumentStore::has_dictionary() const { return !impl_->dictionary_frame.empty(); }
const std::string& DocumentStore::path() const { return impl_->path; }

// ---- StoreWriter ---------------------------------------------------------------------------

struct StoreWriter::Impl {
    std::string path;
    StoreOptions options;
    UniqueFd fd;
    CCtxPtr cctx{ZSTD_createCCtx()};
    std::string dictionary;
    CDictPtr cdict;
    std::uint64_t end = 0;
    std::uint64_t discarded = 0;
    ClusterEncoder open;

    void write_open_cluster() {
        if (open.empty()) return;
        ClusterEncoder::Plain plain = open.encode();
        std::string record =
            make_record(cluster_magic, compress(cctx.get(), cdict.get(), plain.bytes, plain.block_end, path));
        pwrite_all(fd.get(), record.data(), record.size(), end, path);
        end += record.size();
        open.clear();
    }
};

StoreWriter::StoreWriter(const std::string& path, std::uint64_t committed_bytes, StoreOptions options)
    : impl_(std::make_unique<Impl>()) {
    auto& d = *impl_;
    d.path = path;
    d.options = options;
    d.fd = UniqueFd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!d.fd) throw ArchiveError(path, "cannot open document store for writing: " + errno_text());
    ZSTD_CCtx_setParameter(d.cctx.get(), ZSTD_c_compressionLevel, options.level);
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
    if (!dict.frame.empty()) {
        d.dictionary.resize(dictionary_size(dict.frame, path));
        decompress_dictionary(dict.frame, d.dictionary.data(), d.dictionary.size(), path);
    }
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
    if (impl_->end > committed_bytes && ::ftruncate(impl_->fd.get(), static_cast<off_t>(committed_bytes)) == 0)
        impl_->end = committed_bytes;
}

// ---- compact_store -------------------------------------------------------------------------

namespace {

std::string train_dictionary(const std::vector<std::string>& samples, std::size_t max_bytes) {
    std::size_t total = 0;
    for (const auto& s : samples) total += s.size();
    // Up to a third of the sample, and long segments (k). On kcna-marquez (26.5 MB of fields,
    // all of them the sample; 256 KiB clusters, level 19): a sixteenth of the sample with
    // ZDICT's search over k, 5.09 MB; a quarter with k = 16 KiB, 4.94 MB; a third, 4.88 MB; a
    // half, 4.90 MB. On reuters-financial (64 MB sample, 4 MiB dictionary, 128 KiB clusters) the
    // same training took the store from 79.6 to 77.2 MB (docs/BENCHMARKS.md). Then segments of
    // 128 KiB in big dictionaries (a 64th of the dictionary, at least 16 KiB) and a frequency
    // table of 2^22 d-mers (ZDICT's default 2^20 lets more of them collide): kcna-marquez at
    // 192 KiB clusters 4.908 to 4.889 MB (k = 32 / 64 / 256 KiB: 4.892 / 4.893 / 4.892 MB;
    // f = 21 / 23 with k = 64 KiB: 4.894 / 4.891 MB), at 256 KiB 4.885 to 4.871 MB;
    // d = 6, or the dictionary's entropy tables at level 19, compressed worse.
    std::size_t target = std::min(max_bytes, total / 3);
    if (target < dictionary_min_bytes || samples.size() < 8) return {};
    std::string joined;
    joined.reserve(total);
    std::vector<std::size_t> sizes;
    sizes.reserve(samples.size());
    for (const auto& s : samples) {
        joined += s;
        sizes.push_back(s.size());
    }
    std::string dict(target, '\0');
    ZDICT_fastCover_params_t params{};
    params.k = static_cast<unsigned>(std::clamp<std::size_t>(target / 64, 16 << 10, 128 << 10));
    params.d = 8;
    params.f = 22;
    params.steps = 1;         // this k and d only: ZDICT's search over k picks short segments
    params.splitPoint = 1.0;  // all of the sample for training
    params.nbThreads = 2;
    params.accel = 1;
    params.zParams.compressionLevel = 3;
    std::size_t n = ZDICT_optimizeTrainFromBuffer_fastCover(dict.data(), dict.size(), joined.data(), sizes.data(),
                                                            static_cast<unsigned>(sizes.size()), &params);
    if (ZDICT_isError(n)) return {};  // too little or too uniform data: no dictionary
    dict.resize(n);
    return dict;
}

}  // namespace

std::uint64_t compact_store(const std::string& path, const StoreOptions& options,
                            const std::function<bool(Document&)>& next,
                            std::vector<std::string> samples,
                            const std::function<void(std::uint64_t, StoreLocation)>& placed) {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd) throw ArchiveError(path, "cannot create document store: " + errno_text());
    std::string head = file_header();
    std::uint64_t end = 0;
    pwrite_all(fd.get(), head.data(), head.size(), end, path);
    end += head.size();

    std::string dictionary =
        options.dictionary_max_bytes ? train_dictionary(samples, options.dictionary_max_bytes) : "";
    samples = {};  // their memory, for the compression contexts
    CDictPtr cdict;
    if (!dictionary.empty()) {
        CCtxPtr cctx(ZSTD_createCCtx());
        ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, 19);
        std::string record = make_record(dictionary_magic, compress(cctx.get(), nullptr, dictionary, 0, path));
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
    for (unsigned i = 0; i < threads; ++i) {
        contexts.emplace_back(ZSTD_createCCtx());
        ZSTD_CCtx_setParameter(contexts.back().get(), ZSTD_c_compressionLevel, options.compact_level);
    }
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
        in_flight.push_back(std::async(std::launch::async, [cctx, &cdict, &path, plain = cluster.encode()] {
            return make_record(cluster_magic, compress(cctx, cdict.get(), plain.bytes, plain.block_end, path));
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
    if (::fdatasync(fd.get()) != 0) throw ArchiveError(path, "cannot sync document store: " + errno_text());
    return end;
}

}  // namespace panmun
