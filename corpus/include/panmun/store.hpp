// The compressed document store: every document's full text and metadata, one zstd frame per
// document, each frame checksummed. Append-only; the archive decides which bytes are committed.
//
// File layout (docs/FORMAT.md has the details):
//   header  "PANMUNST" + u32 version                          (12 bytes)
//   record  "PMD1" + u32 frame_bytes + u64 XXH3(frame) + frame  (16 + frame_bytes)
// A StoreLocation names one record by its offset and total size.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "panmun/document.hpp"

namespace panmun {

struct StoreLocation {
    std::uint64_t offset = 0;  // of the record header in the store file
    std::uint32_t bytes = 0;   // header plus frame

    // 12 bytes, little-endian, for keeping the location in the index.
    std::string serialise() const;
    static StoreLocation unserialise(std::string_view data);  // throws std::invalid_argument
};

// Reads documents from a store file. Safe to use from several threads at once (pread only).
class DocumentStore {
public:
    // Throws ArchiveError if the file is missing or is not a store of a version we read.
    explicit DocumentStore(const std::string& path);
    ~DocumentStore();
    DocumentStore(DocumentStore&&) noexcept;

    // Returns the document at `where`. Throws CorruptDataError naming `label` (normally the
    // document id) and the offset if the record's header, checksum or frame is damaged.
    Document fetch(StoreLocation where, const std::string& label) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Appends documents to a store file.
//
// Life cycle: open (creating the file or truncating it to `committed_bytes`, which drops what an
// interrupted writer left behind) -> append ... -> sync -> (caller records size() as committed).
// append() throws Error on I/O failure (disk full): the bytes after the last committed size are
// then garbage that the next open truncates; the writer must not be used any further.
class StoreWriter {
public:
    // zstd level 6. Measured with `panmun-index build --zstd-level N` on KCNA 2012 (10,315
    // stories, 14.9 MB of text): levels 3/6/9/19 gave stores of 8.72/8.57/8.57/8.48 MB and whole
    // builds of 7.2/7.2/7.3/8.7 s. Beyond 6 per-document frames gain almost nothing; what limits
    // the ratio is that each frame starts with an empty history.
    static constexpr int default_level = 6;

    StoreWriter(const std::string& path, std::uint64_t committed_bytes, int level = default_level);
    ~StoreWriter();

    StoreLocation append(const Document& doc);
    void sync();                 // fsync: appended records are durable when this returns
    std::uint64_t size() const;  // bytes in the file, including the header
    std::uint64_t input_bytes() const;  // uncompressed text bytes appended by this writer

    static constexpr std::uint64_t header_bytes = 12;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace panmun
