// What an archive is: one directory NAME.panmun/ holding
//   manifest.json   format version, schema, counts, created/updated times (human-readable)
//   xapian/         the Xapian (glass) database: terms, positions, values
//   store.dat       the compressed document store (see store.hpp)
//   lock            the writer lock (flock), holding the writer's pid
// Reading and writing are separate types: an ArchiveReader cannot change an archive, and only
// an ArchiveWriter holds the lock. docs/FORMAT.md describes the files byte by byte.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "panmun/document.hpp"
#include "panmun/store.hpp"

namespace panmun {

inline constexpr int archive_format_version = 1;

struct Manifest {
    int format_version = archive_format_version;
    int schema_version = 0;
    std::string created;  // ISO 8601 UTC
    std::string updated;
    std::uint64_t documents = 0;
    std::uint64_t text_bytes = 0;   // sum of document text sizes
    std::uint64_t store_bytes = 0;  // committed size of store.dat
    int store_level = 0;

    // Reads and checks dir/manifest.json. Throws ArchiveError (missing, unreadable, other format
    // or version).
    static Manifest read(const std::string& dir);
    // Writes dir/manifest.json atomically (temporary file, fsync, rename).
    void write(const std::string& dir) const;
};

// Read-only view of an archive at its last commit.
class ArchiveReader {
public:
    // Throws ArchiveError if `path` is not an archive this version of panmun can read.
    explicit ArchiveReader(const std::string& path);
    ~ArchiveReader();
    ArchiveReader(ArchiveReader&&) noexcept;

    const std::string& path() const;
    const Manifest& manifest() const;
    const Xapian::Database& database() const;
    std::uint64_t document_count() const;

    // The document with this id, or nullopt if there is none.
    std::optional<Document> find(const std::string& id) const;
    // The stored document behind an index entry. Throws CorruptDataError if damaged.
    Document fetch(Xapian::docid docid) const;
    // Moves to the latest committed state (after Xapian::DatabaseModifiedError).
    void reopen();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Adds documents to an archive, a batch at a time.
//
// Life cycle: create() or open() (takes the lock; open() first drops store bytes that no commit
// covers) -> add() ... -> commit() -> add() ... -> commit() -> destroy.
// Each commit() makes everything added since the previous one durable at once: the index and
// the store's committed size change in one Xapian transaction. Destroying the writer with
// uncommitted documents discards them; the archive stays at its last commit. After any
// exception from add() or commit() the writer must not be used again (destroy it): the archive
// is still at its last commit.
class ArchiveWriter {
public:
    // Creates a new, empty archive at `path`, which must not exist. Throws UsageError if it does.
    static ArchiveWriter create(const std::string& path, int store_level = StoreWriter::default_level);
    // Opens an existing archive for update. Throws ArchiveLockedError if another process holds it.
    static ArchiveWriter open(const std::string& path);

    ~ArchiveWriter();
    ArchiveWriter(ArchiveWriter&&) noexcept;

    enum class AddResult { added, replaced };
    // Stores and indexes `doc`, replacing any document with the same id.
    AddResult add(const Document& doc);
    bool contains(const std::string& id) const;
    void commit();
    // Commits, then rewrites the index compactly (Xapian::Database::compact: full blocks,
    // no free space). Makes the index about a third smaller; costs a copy of the index.
    // The old index is replaced by rename, so readers that have it open keep their snapshot.
    void compact_index();

    std::uint64_t document_count() const;
    const std::string& path() const;

private:
    struct Impl;
    explicit ArchiveWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Replaces the archive at `target` (if any) by the complete archive at `built`, as two renames,
// while holding the target's lock so that no writer is working on it. Throws ArchiveLockedError.
void replace_archive(const std::string& built, const std::string& target);

}  // namespace panmun
