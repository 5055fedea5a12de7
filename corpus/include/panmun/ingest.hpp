// Ingestion: read inputs, add their documents to an archive in batches, and report per input
// what was read, added, replaced, left unchanged and skipped (with file:line and reason).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "panmun/archive.hpp"
#include "panmun/clean.hpp"
#include "panmun/jsonl.hpp"
#include "panmun/readers.hpp"

namespace panmun {

struct IngestOptions {
    FieldMap map;
    Format format = Format::automatic;  // of every input file (automatic: per file)
    char delimiter = 0;                 // CSV; 0: by name and header
    CleanOptions clean;
    std::string default_source;  // for records without a source
    // Tar members and files in directories are read if their name matches an include pattern
    // (all if none) and no exclude pattern (shell globs; a pattern with '/' matches the whole
    // path, otherwise the file name). Hidden files (".name") are never read from directories.
    std::vector<std::string> include, exclude;
    // Documents without a date of their own take the file's modification time (never by default:
    // an mtime is when a file was copied, rarely when the article appeared).
    bool date_from_mtime = false;
    // Ids for records that carry none: from the text (content_id) or, when they have a URL, from
    // the URL, so that a corrected re-scrape of the same page replaces the old version.
    enum class IdFrom { content, url } id_from = IdFrom::content;
    // Any skipped record is an error: nothing is committed and ingest() throws InputError naming
    // the record. Holds the run's changes in memory until the end.
    bool strict = false;
    // Documents per commit. Measured on KCNA 2012 (10,315 stories, one core): batches of
    // 250/500/1,000/2,000/10,000 took 7.1/6.7/7.3/8.1/11.0 s with peak RSS 26/34/49/75/268 MB.
    // Xapian's pending changes grow costly to merge beyond a few hundred documents.
    std::size_t batch_docs = 500;
    // What a record whose id is already in the archive does: `skip` reports it as a duplicate
    // (build: one corpus, one document per id); `update` replaces the stored document if it
    // differs and leaves it alone if not (add, sync: running twice changes nothing). Either
    // way, a record whose id was read earlier in the same run is a duplicate: the first wins.
    enum class Existing { skip, update } existing = Existing::skip;
    // Never commit: the caller destroys the writer, which discards everything (--dry-run).
    // Holds all changes in memory.
    bool dry_run = false;
    // 2: a worker thread cleans records and makes their index entries while the calling thread
    // adds the previous window to the archive; 1: everything on the calling thread (for
    // machines with one core, and to measure what the second thread gives).
    unsigned threads = 2;
};

struct Problem {
    Location where;
    std::string message;
};

// A record not stored because it repeats another: `into` is the id of the document it was
// folded into (its own id when the id was read before; another when the text was).
struct Duplicate {
    Location where;
    std::string id;
    std::string into;
};

struct InputReport {
    std::string input;
    std::uint64_t read = 0;        // records seen (documents plus skipped)
    std::uint64_t added = 0;       // new documents
    std::uint64_t replaced = 0;    // documents whose stored version changed
    std::uint64_t unchanged = 0;   // documents already stored exactly so
    std::uint64_t skipped = 0;     // records not indexed (bad, empty), or 1 for each file that
                                   // could not be read at all
    std::uint64_t duplicates = 0;  // records not indexed: same id as an earlier record (build) or
                                   // the same text as a stored document under another id
    std::uint64_t repaired = 0;    // documents with invalid UTF-8 bytes replaced (U+FFFD)
    std::uint64_t converted = 0;   // documents decoded from CP949/EUC-KR
    std::uint64_t files = 0;       // files (or archive members) read
    std::uint64_t warnings = 0;    // documents indexed with a field dropped (e.g. unreadable date),
                                   // and --map keys no record has (check_mapping)
    std::uint64_t bytes = 0;       // input bytes read (decompressed)
    std::uint64_t problem_count = 0;  // skips and warnings, each warning counted once
    bool complete = true;             // false if the input could not be opened or read to its end
    // The first problems (skips and warnings), at most max_problems of them.
    std::vector<Problem> problems;
    static constexpr std::size_t max_problems = 100;
    // Every document replaced, and every duplicate, for scripts (--json lists them all).
    std::vector<std::string> replaced_ids;
    std::vector<Duplicate> duplicate_list;

    std::uint64_t indexed() const { return added + replaced; }
};

struct IngestReport {
    std::vector<InputReport> inputs;
    std::uint64_t deleted = 0;          // documents removed (sync: gone from their file)
    std::uint64_t raw_bytes_done = 0;   // bytes of input files read so far (for progress)
    std::uint64_t raw_bytes_total = 0;  // their total size, 0 if unknown (stdin)
    double seconds = 0;
    InputReport total() const;  // sums over inputs (problems not copied)
};

// Called now and then (every 256 documents and at the end of each input) with the report so far.
using IngestProgress = std::function<void(const IngestReport&)>;

// Feeds inputs to an archive writer, committing every options.batch_docs documents.
// Life cycle: construct -> read() per input -> finish() (the last commit).
class Ingestor {
public:
    Ingestor(ArchiveWriter& archive, IngestOptions options, IngestProgress progress = {});
    ~Ingestor();  // waits for the additions still running, which read its records

    // Reads one input into the archive: a file (compressed or not), a tar archive's members, a
    // directory's files (recursively, in path order) or "-" standard input. A file that cannot be
    // opened or read to its end is reported as a problem of the input (what was read before
    // stays); `origin`, if not empty, marks its documents for sync. The ids of the documents read
    // are appended to `ids` if given. Throws InputError only with options.strict.
    InputReport& read(const std::string& input, const std::string& origin = {},
                      std::vector<std::string>* ids = nullptr);
    void deleted(std::uint64_t n) { report_.deleted += n; }
    // A note on an input as a whole (e.g. sync's kept documents): listed before its records'
    // problems, skips nothing.
    void note(InputReport& r, Location where, std::string message);
    void expect_bytes(std::uint64_t n) { report_.raw_bytes_total += n; }
    bool commits() const;  // whether batches are committed as they fill (not strict, not dry)
    IngestReport& report() { return report_; }
    IngestReport finish();

private:
    void read_file(const std::string& path, InputReport& r, const std::string& origin,
                   std::vector<std::string>* ids);
    void read_entry(ByteSource& source, const std::string& path, InputReport& r,
                    const std::string& origin, std::vector<std::string>* ids,
                    std::optional<long long> mtime);
    // A record on its way in. prepare() (on the worker thread) cleans it and makes its index
    // entry; add() (on this one) checks it against the archive, reports and stores it.
    struct Pending {
        ReadEvent event;
        bool markup = false;             // its reader's: the text may hold HTML
        std::string path;                // its file, for dates in paths
        std::optional<long long> mtime;  // its file's (Unix time), none for stdin
        CleanCounts counts;
        bool blank = false;                     // no text left after cleaning
        std::optional<Xapian::Document> entry;  // unless blank, skipped, or left to the shards
    };
    void prepare(Pending& p, const std::string& origin) const;
    // A window's records that passed check(), to be added to the archive in one batch.
    struct Accepted {
        std::vector<ArchiveWriter::Addition> batch;
        std::unordered_map<std::string, std::string> texts;  // text_term() -> id
        std::unordered_set<std::string> ids;
    };
    // Reports a record that is not to be stored (a duplicate, an empty text) or accepts it.
    void check(Pending& p, InputReport& r, std::vector<std::string>* ids, Accepted& accepted,
               const std::string& origin);
    // Posts what was accepted to the archive (an archive of shards adds it in the background),
    // committing when a batch is full, then forgets it; collect() reports how each went.
    void add(Accepted& accepted, InputReport& r);
    // Counts the additions that ended in their inputs' reports, and lets their records go;
    // waits for the first posted, or for all.
    enum class Wait { none, first, all };
    void collect(Wait wait);
    // Hands the window read so far to the worker; returns the one it had prepared.
    std::vector<Pending> hand_over(const std::string& origin);
    void add_all(std::vector<Pending>& ready, InputReport& r, const std::string& origin,
                 std::vector<std::string>* ids);
    // Adds everything read so far (at the end of an input, and before a problem that is not a
    // record's, so that reports stay in input order).
    void drain(InputReport& r, const std::string& origin, std::vector<std::string>* ids);
    void problem(InputReport& r, Location where, std::string message, bool skip);
    // At the end of an input: a warning for a --map key that no record had, and for an input
    // whose records all stayed undated although some key or column looks like a date.
    void check_mapping(InputReport& r);
    bool wanted(const std::string& path) const;
    void tick(InputReport& r, std::uint64_t bytes, std::uint64_t raw);

    ArchiveWriter& archive_;
    IngestOptions options_;
    Cleaner cleaner_;
    std::uint64_t raw_before_ = 0, bytes_before_ = 0;
    IngestProgress progress_;
    IngestReport report_;
    std::size_t pending_ = 0;      // posted since the last commit
    std::vector<Pending> window_;  // records read, not yet handed to the worker
    std::size_t window_bytes_ = 0;
    std::future<std::vector<Pending>> prepared_;  // the window the worker is preparing
    // Posted to the archive, not yet collect()ed: each document's report and id, in order, and
    // the windows that hold the documents, each with the number posted (collected_count_ +
    // posted_.size()) when it was kept.
    std::deque<std::pair<InputReport*, std::string>> posted_;
    std::uint64_t collected_count_ = 0;
    std::deque<std::pair<std::vector<Pending>, std::uint64_t>> posted_windows_;
    // Ids read in this run (XXH3 of each): a second record with an id already read is a
    // duplicate of the first, in every mode, so that records repeating an id with other
    // metadata (an article under two sections) never replace each other in turn.
    std::unordered_set<std::uint64_t> ids_read_;
    // Of the input being read: its records' keys (keyed formats only), documents, dated ones.
    KeySet input_keys_;
    bool keyed_input_ = false;
    std::uint64_t input_documents_ = 0, input_dated_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Reads every input into `archive` and commits (Ingestor::read for each, then finish).
IngestReport ingest(ArchiveWriter& archive, const std::vector<std::string>& inputs,
                    const IngestOptions& options, const IngestProgress& progress = {});

}  // namespace panmun
