// The state of an ArchiveWriter (internal), shared by its three files: writer.cpp (adding,
// replacing, removing, retagging), protocol.cpp (the crash protocol: commit, recovery, the
// switch to a compacted generation) and compact.cpp (writing that generation).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "archive/layout.hpp"
#include "archive/lock.hpp"
#include "panmun/archive.hpp"

namespace panmun {

// The writer of one archive, or of an archive of shards: then `shards` holds a writer of each
// (the archive's own db and store are unused), and every public method works through them.
struct ArchiveWriter::Impl {
    std::string path;
    archive::WriterLock lock;
    std::vector<std::string> notes;  // what opening repaired
    Xapian::WritableDatabase db;
    Manifest manifest;
    CommittedState state;  // as it will be committed; store_bytes changes only at commit
    std::unique_ptr<StoreWriter> store;
    bool in_transaction = false;
    Gazetteer gazetteer;  // the built-in one and the archive's own additions (set_entities)
    int schema = 0;       // the index's schema version (schema::version_of), set on opening
    // Of an archive of shards, a writer of each (destroyed first, before the lock is released);
    // empty: one archive, not sharded.
    std::vector<ArchiveWriter> shards;
    bool marks_changed = false;  // of an archive of shards: a file mark set since the last commit

    enum class Opening { create, open };
    // With the lock held: (opening) recovers what an interrupted writer left and opens the index.
    Impl(const std::string& p, Opening how, Manifest m, archive::WriterLock held);
    // An archive of shards, its lock held; the caller opens the shards.
    Impl(const std::string& p, Manifest m, archive::WriterLock held);

    // protocol.cpp
    static Xapian::WritableDatabase recover_and_open(const std::string& p, Opening how,
                                                     std::vector<std::string>& notes);
    static Xapian::WritableDatabase open_db(const std::string& p, int flags);
    void remove_other_stores(bool say);
    void open_store_writer();
    void begin();
    void commit();
    void write_manifest();
    // Of an archive of shards: commits every shard (shard 0, which holds sync's file marks,
    // last), then writes the archive's manifest with their counts.
    void commit_shards();
    // Moves to the compacted generation compact.cpp wrote, whose state is `compacted`.
    void switch_to(const CommittedState& compacted);

    // writer.cpp
    AddResult add(const Document& doc, Xapian::Document* prepared, const std::string& origin);
    // The existing document with this id term: its docid, and its text size is taken off the total.
    Xapian::docid forget(const std::string& term);
};

// Runs f(0) .. f(n-1) at once, f(0) on this thread and each other on a thread of its own (the
// shards of an archive: each touches only its own index and store); waits for all of them, then
// rethrows the first failure.
void at_once(std::size_t n, const std::function<void(std::size_t)>& f);

// The documents of a store, read a cluster at a time: reads in store order decompress each
// cluster once.
class ClusterReader {
public:
    explicit ClusterReader(const DocumentStore& store) : store_(store) {}
    // Throws CorruptDataError when the cluster has no such document.
    const Document& at(StoreLocation where);

private:
    const DocumentStore& store_;
    std::uint64_t offset_ = UINT64_MAX;
    std::vector<Document> cluster_;
};

// NAME.panmun + infix + this process's pid (archive/layout.hpp): where a command builds beside an
// archive, and the names of a replacement.
std::string beside_this_process(const std::string& archive, const char* infix);
// replace_archive() with the target's lock held by the caller (or no target: !replacing).
void swap_in(const std::string& built, const std::string& target, bool replacing);
// Before an archive is opened for writing: completes a replacement of it that a dead process
// left between its last two renames, and removes what dead processes left beside it (an old
// archive moved aside, an unfinished build); one note each.
void settle(const std::string& path, std::vector<std::string>& notes);

// The entities a document is tagged with: those named in its title or text.
std::vector<const Entity*> entities_of(const Gazetteer& gazetteer, const Document& doc);

}  // namespace panmun
