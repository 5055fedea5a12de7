// What an archive is: one directory NAME.panmun/ holding
//   manifest.json   format version, schema, counts, created/updated times (human-readable)
//   xapian/         the Xapian (glass) database: terms, positions, values, and the committed state
//   store-N.dat     the compressed document store of generation N (see store.hpp)
//   lock            the writer lock (flock), holding the writer's pid
// Reading and writing are separate types: an ArchiveReader cannot change an archive, and only
// an ArchiveWriter holds the lock. docs/FORMAT.md describes the files byte by byte.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "panmun/document.hpp"
#include "panmun/entities.hpp"
#include "panmun/store.hpp"

namespace panmun {

// 2: store clusters of codec 5 (documents keep the path of their input file). Version 1
// archives are read; a writer that opens one raises it to 2, since it writes codec 5.
inline constexpr int archive_format_version = 2;
inline constexpr int oldest_archive_format_version = 1;
// 3: an archive of shards (build --shards N): its manifest lists them, each an archive of
// version 2 in a directory of its own. Only such an archive has version 3.
inline constexpr int sharded_archive_format_version = 3;

struct Manifest {
    int format_version = archive_format_version;
    int schema_version = 0;
    std::string created;  // ISO 8601 UTC
    std::string updated;
    std::string created_by;  // "panmun 0.1.0": the version that created the archive
    std::string
        updated_by;  // and the one that wrote it last; empty if written before panmun recorded it
    std::uint64_t documents = 0;
    std::uint64_t text_bytes = 0;      // sum of the live documents' text sizes
    std::string store_file;            // "store-N.dat"
    std::uint64_t store_bytes = 0;     // committed size of the store file
    std::uint64_t dead_documents = 0;  // replaced or deleted, still in the store until compact
    StoreOptions store_options;
    // An archive of shards: their directories, inside the archive's, in routing order (a
    // document is in shard XXH3-64(id) mod shards.size(); shard_of()). Empty: not sharded. The
    // counts of a sharded archive's manifest are its shards' summed; it has no store of its own.
    std::vector<std::string> shards;
    // Of a shard: which one it is of how many (shard_count 0: not a shard). A writer refuses to
    // open a shard by itself: only its archive routes documents to it.
    std::size_t shard_index = 0, shard_count = 0;

    // Reads and checks dir/manifest.json. Throws ArchiveError (missing, unreadable, other format
    // or version).
    static Manifest read(const std::string& dir);
    // Writes dir/manifest.json atomically (temporary file, fsync, rename).
    void write(const std::string& dir) const;
};

// The shard of an archive of `shards` shards that holds the document with this id.
std::size_t shard_of(const std::string& id, std::size_t shards);

// The committed state of an archive, as recorded in its index (authoritative; the manifest is
// a copy for people).
struct CommittedState {
    std::string store_file;
    std::uint64_t store_bytes = 0;
    std::uint64_t text_bytes = 0;
    std::uint64_t dead_documents = 0;
    // The index's size right after the last compaction; 0 if unknown (never compacted, or by a
    // panmun that did not record it).
    std::uint64_t compacted_index_bytes = 0;
    // The commits the archive has made (0 before it was counted): what tells a reader of a
    // remote shard, which has no revision number, that anything changed, a retag included.
    std::uint64_t commits = 0;

    static CommittedState of(const Xapian::Database& db);
};

// Read-only view of an archive at its last commit; or of several archives searched as one
// (panmun-query --archive A --archive B): their Xapian databases are added together, so that
// ranking, totals and facets are those of one archive holding all their documents. Xapian
// interleaves the archives' document numbers (docid d is document (d-1)/n+1 of archive
// (d-1)%n); they never leave this class and its callers: ids are what users see.
// Whether an archive's name is a remote shard's, "tcp://HOST:PORT?texts=http://HOST:PORT"
// (docs/REMOTE.md): readers take one wherever they take an archive's path; writers refuse it.
bool is_remote_shard(const std::string& name);

class ArchiveReader {
public:
    // Throws ArchiveError if `path` is not an archive this version of panmun can read.
    explicit ArchiveReader(const std::string& path);
    // Several archives as one, in this order; a path may name a remote shard instead (above).
    // Throws UsageError if there are none, one is given
    // twice, or their index schemas differ (a query is built for one schema); ArchiveError as
    // above.
    explicit ArchiveReader(const std::vector<std::string>& paths);
    ~ArchiveReader();
    ArchiveReader(ArchiveReader&&) noexcept;

    // The archive's path; with several, the first one's. Its manifest, committed state and store
    // likewise (for stats, which takes one archive).
    const std::string& path() const;
    // How messages and outputs name what is read: the path, or the paths joined by " + ".
    std::string name() const;
    const Manifest& manifest() const;
    const Xapian::Database& database() const;
    const DocumentStore& store() const;
    const CommittedState& state() const;
    std::uint64_t document_count() const;
    // How many archives this reader reads as one, and the path of the one that holds the
    // document `docid` of database().
    std::size_t archive_count() const;
    const std::string& archive_of(Xapian::docid docid) const;
    // Whether one of them is a remote shard ("tcp://HOST:PORT?texts=http://HOST:PORT",
    // docs/REMOTE.md): Xapian's server runs only Xapian's own match spies, key makers and
    // posting sources, so searches count and sort with those.
    bool has_remote() const;
    // How many indexes database() adds together: the shards of the archives read, or the
    // archives themselves.
    std::size_t part_count() const;
    // Runs f(k, index) for each part's own index at once, the parts shared among this thread and
    // helper threads; local parts only (throws UsageError if one is remote). f must read only
    // the index it is given: database() shares them, and must wait until this returns.
    void each_index(const std::function<void(std::size_t, const Xapian::Database&)>& f) const;
    // How many documents of database() each term is in: several local archives looked up at
    // once (each_index()); remote shards asked for all the terms in one exchange.
    std::vector<Xapian::doccount> term_frequencies(const std::vector<std::string>& terms) const;
    // The committed revision this reader sees: its index's revision and the start of its UUID
    // (a compaction makes a new index, whose revisions start again), or with several archives
    // theirs joined by '+' ("12.3f2a9c1e+7.b0c4d2a8"). Changes with every commit to any of them
    // (of a remote shard, whose server tells no revision: every commit that adds, replaces or
    // deletes documents, "r8186-0-28.42e25e8d"; not a retag).
    std::string revision() const;
    // The entities this archive is tagged with: the built-in gazetteer and the archive's own
    // additions (panmun-index --entities), as of this reader's snapshot; with several archives,
    // the additions of all of them (a later archive's entity replaces an earlier one's of the
    // same id).
    const Gazetteer& gazetteer() const;

    // The document with this id (in the first archive that has one), or nullopt if there is
    // none. Moves to the newest committed state if a writer has overtaken this reader's snapshot.
    std::optional<Document> find(const std::string& id);
    // find(), with the path of the archive it was found in.
    std::optional<std::pair<Document, std::string>> find_with_archive(const std::string& id);
    // The stored document behind an index entry. Throws CorruptDataError if damaged.
    Document fetch(Xapian::docid docid) const;
    // The stored documents of a page of hits, in its order, from each hit's docid and index entry
    // (MSetIterator::get_document(), which Xapian fetched with the page): a remote shard's in
    // one request to its text server, not one each.
    std::vector<Document> fetch(
        const std::vector<std::pair<Xapian::docid, Xapian::Document>>& hits) const;
    // Where an index entry's document is stored. Throws CorruptDataError (naming the first
    // archive) if the entry has none.
    StoreLocation location(const Xapian::Document& entry) const;
    // Moves to the latest committed state (after Xapian::DatabaseModifiedError).
    void reopen();
    // Fetches keep and find store clusters in `cache` (DocumentStore::share_clusters), across
    // reopen(): for a server's readers.
    void share_clusters(std::shared_ptr<ClusterCache> cache);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Adds, replaces and removes documents, a batch at a time.
//
// Life cycle: create() or open() (takes the lock; open() first drops store bytes that no commit
// covers) -> add()/remove() ... -> commit() -> ... -> destroy.
// Each commit() makes everything since the previous one durable at once: the index and the
// store's committed size change in one Xapian transaction. Destroying the writer with
// uncommitted changes discards them; the archive stays at its last commit. After any exception
// from add(), remove(), commit() or compact() the writer must not be used again (destroy it):
// the archive is still at its last commit.
struct RetagReport {
    std::uint64_t documents = 0;  // read
    std::uint64_t changed = 0;    // whose entity terms changed
};

// What ArchiveWriter::compact() does to the store; the index is compacted either way.
enum class Compaction {
    // The store is rewritten only if it holds replaced or deleted documents, and then at the
    // level documents are added at (StoreOptions::level) with the dictionary it has, if any: a
    // build's default, and what an archive that is updated needs now and then.
    fast,
    // The archival rewrite: a dictionary trained on the documents, every document recompressed
    // at StoreOptions::compact_level. About as long as the ingest itself on two cores, for a
    // store 37-43 % smaller (docs/BENCHMARKS.md, issue 23).
    best,
};

// How compact() spent its time.
struct CompactReport {
    bool store_rewritten = false;
    double store_seconds = 0;        // training, recompressing, pointing a copy of the index at it
    double index_seconds = 0;        // Xapian's compaction of the index
    double copy_seconds = 0;         // reshard(): copying the documents into the new shards
    std::vector<std::string> notes;  // reshard(): what opening the archive repaired (notes())
};

class ArchiveWriter {
public:
    // Creates a new, empty archive at `path`, which must not exist. Throws UsageError if it does.
    // With `shards` > 1, an archive of that many shards (docs/FORMAT.md): each document goes to
    // the shard of its id (shard_of), each shard a Xapian database with its own store, written
    // by a thread of its own in add(batch), compact() and commit().
    static ArchiveWriter create(const std::string& path, StoreOptions options = {},
                                std::size_t shards = 1);
    // Opens an existing archive for update, first repairing what an interrupted writer left
    // (see notes()). Throws ArchiveLockedError if another process holds the lock, unless
    // `wait`, which blocks until it is released.
    static ArchiveWriter open(const std::string& path, bool wait = false);

    // What open() repaired, one sentence each (empty if the archive was clean).
    const std::vector<std::string>& notes() const;

    ~ArchiveWriter();
    ArchiveWriter(ArchiveWriter&&) noexcept;

    enum class AddResult { added, replaced, unchanged };
    // Stores and indexes `doc`, replacing any document with the same id, unless that document is
    // identical (same fingerprint): then nothing is written. `origin` names the input file, for
    // sync (may be empty).
    AddResult add(const Document& doc, const std::string& origin = {});
    // The costly half of add(): the index entry of `doc` (terms with positions, values, entity
    // tags), without its store location. Reads only the gazetteer, so another thread may run it
    // while this writer adds other documents (ingest does, on the second core).
    Xapian::Document prepare(const Document& doc, const std::string& origin = {}) const;
    // add() of each, in order, with the entries prepare() made (or, where there is none, making
    // it). An archive of shards adds them in the background: each shard has a thread that adds
    // its documents in order (and makes the entries not given), while this one goes on. The
    // documents must stay alive until added(). Until then same_text() and contains() answer as
    // if they were added; every other method waits for them first.
    struct Addition {
        const Document* doc;
        std::optional<Xapian::Document> entry;
        std::string origin;
    };
    void post(std::vector<Addition> batch);
    // Waits for everything post()ed since the last call; how each went, in the order posted.
    // Rethrows the first failure.
    std::vector<AddResult> added();
    // added() of the posts, from the first not yet collected, whose additions have ended: it
    // waits only for the first, if `wait_for_first` (and rethrows a failure).
    std::vector<AddResult> added_so_far(bool wait_for_first = false);
    // commit(), except that an archive of shards to which post() added commits in the
    // background, each shard on its thread after what was posted to it. Readers see each shard's
    // commit as it ends; the archive's manifest follows at the next commit().
    void commit_behind();
    // Removes the document with this id; false if there is none.
    bool remove(const std::string& id);
    // Removes every document matching `query` (query syntax as for search); returns their ids.
    // Throws UsageError on a syntax error.
    std::vector<std::string> remove_matching(const std::string& query);
    bool contains(const std::string& id) const;
    // The id of a document other than `doc.id` whose text is the same as doc.text (text_key()),
    // committed or pending; empty if there is none.
    std::string same_text(const Document& doc) const;

    // For sync: the ids of the documents that came from input file `origin`, and a mark (any
    // string, e.g. size and mtime) recorded per input file, committed with the documents.
    std::vector<std::string> ids_from(const std::string& origin) const;
    std::string file_mark(const std::string& origin) const;
    void set_file_mark(const std::string& origin, const std::string& mark);  // "" erases
    std::vector<std::string> marked_files() const;
    void commit();

    // Adds the entities of a gazetteer in the TSV format of corpus/entities/gazetteer.tsv to the
    // ones this archive tags with (an id already known is replaced), from the next document
    // added; committed with the next commit. Throws InputError naming `name` and the line.
    void set_entities(const std::string& tsv, const std::string& name);
    // Re-derives every document's entity terms from its stored text with the archive's current
    // gazetteer, committing every 1,000 documents; `progress(done, total)` now and then.
    RetagReport retag(const std::function<void(std::uint64_t, std::uint64_t)>& progress = {});

    // Commits, then compacts the index (Xapian::Database::compact) and, as `how` says, rewrites
    // the store densely (replaced and deleted documents dropped). Atomic: a new store is a new
    // file, switched to in one Xapian commit, and the compacted index is renamed into place; a
    // crash leaves either the old or the new generation, and the next open() removes the other.
    // Readers that have the archive open keep their snapshot.
    CompactReport compact(Compaction how);
    // Whether the archive has changed so much since its last compaction that a fast one pays:
    // the index over 1.25 times its size then, plus 64 KiB (Xapian fills its blocks when
    // compacting, and the first documents added split them: 1 % more documents took a compacted
    // KCNA index from 50 to 95 MB), a quarter of the stored documents replaced or deleted, or never
    // compacted. add and sync ask after their last commit (docs/BENCHMARKS.md:
    // scripts/bench-updates).
    bool needs_compaction() const;

    // Rewrites the archive at `path` as an archive of `shards` shards (1: not sharded): every
    // document, its index entry made again with its entity tags and the file it came from kept,
    // sync's file marks and the archive's own entities; then compacts it as `how` says, and --best
    // also when the store was compacted --best (its trained dictionary is not carried over).
    // Built beside the archive (NAME.panmun.reshard-PID) under the archive's lock, then swapped
    // in as replace_archive() does: a crash leaves the old archive or the new one, and readers
    // keep their snapshot. `progress(done, total)` now and then, from one thread.
    static CompactReport reshard(
        const std::string& path, std::size_t shards, Compaction how, bool wait = false,
        const std::function<void(std::uint64_t, std::uint64_t)>& progress = {});

    std::uint64_t document_count() const;
    const std::string& path() const;
    // The entities this writer tags with (the built-in ones and the archive's own).
    const Gazetteer& gazetteer() const;
    // How many shards the archive has (1: it is not sharded).
    std::size_t shard_count() const;

private:
    struct Impl;
    explicit ArchiveWriter(std::unique_ptr<Impl> impl);
    // What open() does to an archive, or to a shard of an archive of shards, once its index is
    // open: removes store files of other generations, opens the store.
    static std::unique_ptr<Impl> opened(std::unique_ptr<Impl> impl);
    // Of an archive of shards: the writer of the shard that holds `id`, and all of them.
    ArchiveWriter& shard(const std::string& id) const;
    std::vector<ArchiveWriter>& shards() const;
    std::unique_ptr<Impl> impl_;
};

// The order in which compact() writes the live documents of `db`: as added (docid order),
// except that documents sharing a near-duplicate key (schema::slot_near_duplicate) follow the
// first of them, so that they share a cluster and compress against each other.
std::vector<Xapian::docid> compaction_order(const Xapian::Database& db);

// Replaces the archive at `target` (if any) by the complete archive at `built`, while holding
// the target's lock so that no writer is working on it. Three renames (docs/FORMAT.md): `built`
// to TARGET.new-PID, the target aside to TARGET.old-PID, the new one into place; a crash between
// the last two leaves no TARGET: readers read TARGET.new-PID, and the next writer renames it into
// place. Throws ArchiveLockedError.
void replace_archive(const std::string& built, const std::string& target);

}  // namespace panmun
