// The state of an ArchiveWriter (internal), shared by its three files: writer.cpp (adding,
// replacing, removing, retagging), protocol.cpp (the crash protocol: commit, recovery, the
// switch to a compacted generation) and compact.cpp (writing that generation).
#pragma once

#include <xapian.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "archive/layout.hpp"
#include "archive/lock.hpp"
#include "archive/threads.hpp"
#include "panmun/archive.hpp"

namespace panmun {

// Of an archive of shards: the additions and commits post()ed to the shards' threads, and what
// answers same_text() and contains() meanwhile without touching the indexes being written.
struct Posted {
    // A thread each shard, from the first post().
    std::vector<std::unique_ptr<archive::SerialWorker>> workers;
    struct Post {
        explicit Post(std::size_t n) : results(n) {}
        std::vector<ArchiveWriter::AddResult> results;
        std::atomic<std::size_t> shards_left{0};  // whose threads have not added their part yet
    };
    std::deque<Post> posts;  // not yet collected by added()
    // Commits asked of the shards' threads (commit_behind(); commit() sets their count too).
    std::uint64_t commits = 0;
    // Each shard at or after its commit number `committed_at`, and what was posted since the
    // least of those (with the number of commits asked before it was): together, the archive as
    // it will be. Exact from a commit() until anything but post() and commit_behind() changes
    // the shards.
    std::vector<Xapian::Database> committed;
    std::vector<std::uint64_t> committed_at;  // each one's number of commits when (re)opened
    std::unordered_map<std::string, std::string> texts;  // text_term() -> id
    struct Text {
        std::string term;
        std::uint64_t commits;
    };
    std::unordered_map<std::string, Text> text_of;  // id -> its text_term()
    bool exact = false;
    std::exception_ptr failed;  // the first failure of a worker, for added()
    // Reopens each of `committed` whose shard committed since (so that it is never two commits
    // behind, which Xapian does not keep), and forgets what every shard holds now.
    void catch_up();
    // f(), retried with `committed` reopened when a shard committed twice meanwhile.
    template <class F>
    auto read_committed(F f) {
        for (;;) try {
                catch_up();
                return f();
            } catch (const Xapian::DatabaseModifiedError&) {
                for (Xapian::Database& db : committed) db.reopen();
            }
    }
};

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
    Posted posted;               // its workers end before the shards they add to

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
    // Waits for the additions posted to the shards (their failure is kept for added()); what
    // changes the shards next makes the answers from `posted` inexact until the next commit.
    void wait_for_posted();
    // After the shards committed: `posted` answers from their new state.
    void posted_committed();
    // The existing document with this id term: its docid, and its text size is taken off the total.
    Xapian::docid forget(const std::string& term);
};

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
