// The cluster codec (internal; docs/FORMAT.md): several documents in one plaintext, a field at a
// time, the texts last. Codec 5 is written; 4, 3 and 2 are read.
//   u8 codec, varint n, then per field the n lengths, then per field the n values
//   fields of codec 5: id title date source url lang author path text
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "panmun/document.hpp"

namespace panmun::store {

// No cluster can decompress to more than this: a document is at most one input line (64 MiB,
// LineReader::max_line_bytes) and a cluster closes once it passes cluster_bytes. A damaged
// frame header claiming more is refused before anything is allocated.
inline constexpr std::uint64_t max_cluster_plain_bytes = 256ull << 20;

// Collects documents and encodes them as one cluster's plaintext.
class ClusterEncoder {
public:
    void add(const Document& d);
    std::size_t count() const { return docs_.size(); }
    std::size_t approx_bytes() const { return bytes_; }
    bool empty() const { return docs_.empty(); }
    void clear();

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
    Plain encode() const;

private:
    std::vector<Document> docs_;
    std::size_t bytes_ = 0;
};

// The head of a cluster's plaintext: codec, count and every field's lengths.
struct ClusterHead {
    const std::size_t* order = nullptr;  // stored position -> field of codec 5 (Codec::order)
    std::size_t fields = 0;
    std::uint64_t count = 0;
    std::vector<std::uint64_t> lengths;  // count per stored position
    std::size_t bytes = 0;               // of the head itself; 0 until parsed
};

// How many bytes of a plaintext of `whole` bytes, starting with `in`, decode document `only`:
// 0 while `in` is too short to tell; `whole` when every byte is needed (older codecs, which
// store a field after the texts, or a malformed head that decode_cluster() will report).
// Leaves the parsed head in `head`.
std::size_t bytes_needed(std::string_view in, std::size_t only, std::size_t whole,
                         ClusterHead& head);

// Decodes a cluster's plaintext, whose head is parsed in `head` unless its `bytes` is 0; `only`
// limits the result to one document (others stay empty), and then the plaintext may end once
// that document's fields are in it (bytes_needed()). False if it is malformed.
bool decode_cluster(std::string_view in, ClusterHead& head, std::vector<Document>& docs,
                    std::size_t only = SIZE_MAX);

}  // namespace panmun::store
