// Ingestor: inputs (files, tar members, directory trees) -> readers -> cleaning, titles, dates,
// ids, duplicates -> archive writer, with a per-input report.
#include "panmun/ingest.hpp"

#include <fmt/format.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <boost/filesystem.hpp>
#include <future>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "panmun/date_clues.hpp"
#include "panmun/errors.hpp"
#include "panmun/schema.hpp"
#include "walk.hpp"

namespace fs = boost::filesystem;

namespace panmun {
namespace {

std::string base_name(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

// Duplicates are expected in real corpora (kcna-en-2024 repeats 803 texts): the first few are
// listed, the rest only counted, so that skips and warnings stay in the report's problem list.
constexpr std::uint64_t max_duplicate_notes = 10;
// Records handed to the worker thread at a time, and the text bytes that end a window sooner.
constexpr std::size_t window_records = 64;
constexpr std::size_t window_bytes = 4 << 20;

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string url_id(const std::string& url) {
    return fmt::format("u{:016x}", XXH3_64bits(url.data(), url.size()));
}

}  // namespace

InputReport IngestReport::total() const {
    InputReport t;
    t.input = "total";
    for (const auto& r : inputs) {
        t.read += r.read;
        t.added += r.added;
        t.replaced += r.replaced;
        t.unchanged += r.unchanged;
        t.skipped += r.skipped;
        t.duplicates += r.duplicates;
        t.repaired += r.repaired;
        t.converted += r.converted;
        t.files += r.files;
        t.warnings += r.warnings;
        t.bytes += r.bytes;
        t.problem_count += r.problem_count;
    }
    return t;
}

Ingestor::Ingestor(ArchiveWriter& archive, IngestOptions options, IngestProgress progress)
    : archive_(archive),
      options_(std::move(options)),
      cleaner_(options_.clean),
      progress_(std::move(progress)) {}

Ingestor::~Ingestor() {
    try {
        archive_.added();
    } catch (...) {  // reading stopped before (--strict, an error): what was added is not committed
    }
}

bool Ingestor::commits() const { return !options_.dry_run && !options_.strict; }

void Ingestor::problem(InputReport& r, Location where, std::string message, bool skip) {
    if (skip && options_.strict)
        throw InputError(where.file, where.line, message + " (--strict: nothing was committed)");
    ++r.problem_count;
    if (r.problems.size() < InputReport::max_problems)
        r.problems.push_back({std::move(where), std::move(message)});
}

void Ingestor::note(InputReport& r, Location where, std::string message) {
    ++r.problem_count;
    r.problems.insert(r.problems.begin(), {std::move(where), std::move(message)});
    if (r.problems.size() > InputReport::max_problems) r.problems.pop_back();
}

bool Ingestor::wanted(const std::string& path) const {
    auto matches = [&](const std::string& pattern) {
        bool whole = pattern.find('/') != std::string::npos;
        return ::fnmatch(pattern.c_str(), (whole ? path : base_name(path)).c_str(), 0) == 0;
    };
    std::string name = base_name(path);
    if (name.empty() || name.front() == '.') return false;  // hidden files, .DS_Store
    if (!options_.include.empty() &&
        std::none_of(options_.include.begin(), options_.include.end(), matches))
        return false;
    return std::none_of(options_.exclude.begin(), options_.exclude.end(), matches);
}

void Ingestor::tick(InputReport& r, std::uint64_t bytes, std::uint64_t raw) {
    r.bytes = bytes_before_ + bytes;
    report_.raw_bytes_done = raw_before_ + raw;
    report_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (progress_) progress_(report_);
}

InputReport& Ingestor::read(const std::string& input, const std::string& origin,
                            std::vector<std::string>* ids) {
    InputReport& r = report_.inputs.emplace_back();
    r.input = input == "-" ? "<stdin>" : input;
    input_keys_ = {};
    keyed_input_ = false;
    input_documents_ = input_dated_ = 0;
    raw_before_ = report_.raw_bytes_done;
    bytes_before_ = 0;
    boost::system::error_code ec;
    if (input != "-" && fs::is_directory(input, ec)) {
        auto files = files_under(input, [&](const std::string& where, const std::string& message) {
            ++r.skipped;
            problem(r, {where, 0}, message, true);
        });
        for (const auto& [rel, path] : files)
            if (wanted(rel)) read_file(path, r, origin, ids);
    } else {
        read_file(input, r, origin, ids);
    }
    drain(r, origin, ids);
    check_mapping(r);
    return r;
}

void Ingestor::check_mapping(InputReport& r) {
    if (!keyed_input_ || input_documents_ + r.skipped == 0) return;
    const auto& keys = input_keys_.keys();
    std::string seen;
    for (const std::string& k : keys)
        if (seen.size() < 200) seen += (seen.empty() ? "'" : ", '") + k + "'";
    if (seen.empty()) seen = "none";
    std::vector<Problem> warnings;
    for (std::size_t f = 0; f < field_names.size(); ++f) {
        const Field field = static_cast<Field>(f);
        const std::string& key = options_.map.key(field);
        if (options_.map.mapped(field) && !keys.count(key))
            warnings.push_back({{r.input, 0},
                                "warning: --map " + std::string(field_names[f]) + "=" + key +
                                    ": no record of this input has a key or column '" + key +
                                    "', so every " + std::string(field_names[f]) +
                                    " is empty (keys seen: " + seen + ")"});
    }
    if (input_documents_ > 0 && input_dated_ == 0) {
        std::string datelike, first;
        for (const std::string& k : keys) {
            std::string lower = k;
            for (char& c : lower)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (k == options_.map.key(Field::date)) continue;
            for (const char* hint :
                 {"date", "time", "created", "published", "posted", "updated", "day"})
                if (lower.find(hint) != std::string::npos) {
                    if (first.empty()) first = k;
                    datelike += (datelike.empty() ? "'" : ", '") + k + "'";
                    break;
                }
        }
        if (!datelike.empty())
            warnings.push_back({{r.input, 0},
                                "warning: no record of this input got a date, but " + datelike +
                                    (datelike.find(',') == std::string::npos
                                         ? " looks like one: read it with --map date=" + first
                                         : " look like one: read one with --map date=KEY")});
    }
    r.problem_count += warnings.size();
    r.warnings += warnings.size();
    r.problems.insert(r.problems.begin(), warnings.begin(), warnings.end());
}

// Two stages on two threads: while the worker cleans a window of records and makes their index
// entries (Xapian's term generation, entity tags: about a third of the work), this thread reads
// the next window and adds the previous one to the archive (duplicate checks, the store,
// Xapian's inverter and commits). Windows span files (reuters-financial is a file an article).
// Everything that touches the archive or the report happens here, in input order. With one
// thread (options_.threads) the same window is prepared lazily, here, when it is taken. An archive
// of shards is a third stage: this thread only checks and posts, each shard's thread adds its
// documents and commits.
std::vector<Ingestor::Pending> Ingestor::hand_over(const std::string& origin) {
    std::vector<Pending> ready = prepared_.valid() ? prepared_.get() : std::vector<Pending>{};
    const auto launch = options_.threads > 1 ? std::launch::async : std::launch::deferred;
    prepared_ = std::async(launch, [this, origin, window = std::move(window_)]() mutable {
        for (Pending& p : window) prepare(p, origin);
        return std::move(window);
    });
    window_.clear();
    window_bytes_ = 0;
    return ready;
}

// A window's records are checked first, in order, then posted in one batch (an archive of
// shards adds them in the background: up to two batches wait for it). A record is checked
// against the archive as it will be when the records before it are added: against the texts
// accepted before it in the window, and, when the archive's document of the same text is one the
// window replaces, after the window so far is posted.
void Ingestor::add_all(std::vector<Pending>& ready, InputReport& r, const std::string& origin,
                       std::vector<std::string>* ids) {
    Accepted accepted;
    for (Pending& p : ready) {
        ++r.read;
        if (p.event.kind == ReadEvent::Kind::skipped) {
            ++r.skipped;
            problem(r, p.event.where, "skipped: " + p.event.reason, true);
            continue;
        }
        check(p, r, ids, accepted, origin);
        // A commit comes after exactly options_.batch_docs documents posted (the crash test
        // counts on whole batches; an unchanged document counts too, as the archive of shards
        // that adds it in the background does not know yet). Without commits, no more than a
        // batch waits to be counted.
        if (commits() ? pending_ + accepted.batch.size() >= options_.batch_docs
                      : posted_.size() + accepted.batch.size() >= options_.batch_docs) {
            add(accepted, r);
            if (!commits()) collect(Wait::all);
        }
    }
    add(accepted, r);
    posted_windows_.emplace_back(std::move(ready), collected_count_ + posted_.size());
    // An archive of shards adds in the background: two batches at most wait for it.
    collect(Wait::none);
    while (posted_.size() > 2 * options_.batch_docs) collect(Wait::first);
}

void Ingestor::drain(InputReport& r, const std::string& origin, std::vector<std::string>* ids) {
    std::vector<Pending> ready = hand_over(origin);
    add_all(ready, r, origin, ids);
    ready = prepared_.get();
    add_all(ready, r, origin, ids);
    collect(Wait::all);
}

void Ingestor::read_file(const std::string& path, InputReport& r, const std::string& origin,
                         std::vector<std::string>* ids) {
    std::optional<InputFile> file;
    std::optional<long long> mtime;  // none for stdin
    struct stat st {};
    if (path != "-" && ::stat(path.c_str(), &st) == 0) mtime = static_cast<long long>(st.st_mtime);
    std::uint64_t raw_start = report_.raw_bytes_done - raw_before_;
    try {
        file.emplace(path);
        while (file->next_entry()) {
            if (file->is_archive() && !wanted(file->entry_path())) continue;
            read_entry(*file, file->entry_path(), r, origin, ids, mtime);
        }
    } catch (const InputError& e) {
        // The file could not be opened, or reading stopped in the middle (I/O error, damaged
        // compression): what was read before stays.
        drain(r, origin, ids);
        ++r.skipped;
        r.complete = false;
        problem(r, {e.file(), e.line()}, (file ? "stopped reading: " : "skipped: ") + e.reason(),
                true);
    }
    if (file) tick(r, 0, raw_start + file->raw_bytes_read());
    raw_before_ = report_.raw_bytes_done;
}

void Ingestor::read_entry(ByteSource& source, const std::string& path, InputReport& r,
                          const std::string& origin, std::vector<std::string>* ids,
                          std::optional<long long> mtime) {
    ++r.files;
    ReaderOptions ro;
    ro.map = options_.map;
    ro.format = options_.format;
    ro.delimiter = options_.delimiter;
    std::unique_ptr<RecordReader> reader;
    try {
        reader = open_reader(source, path, ro);
    } catch (const InputError& e) {
        // A binary or oversized file: this file is skipped, the next one read.
        drain(r, origin, ids);
        ++r.skipped;
        problem(r, {e.file(), e.line()}, "skipped: " + e.reason(), true);
        return;
    }
    std::uint64_t raw_start = report_.raw_bytes_done - raw_before_;
    struct NoteKeys {  // whatever way this function is left, the keys read so far count
        const RecordReader& reader;
        Ingestor& self;
        ~NoteKeys() {
            if (const KeySet* keys = reader.keys()) {
                self.keyed_input_ = true;
                for (const std::string& k : keys->keys()) self.input_keys_.note(k);
            }
        }
    } note_keys{*reader, *this};
    for (ReadEvent ev = reader->next(); ev.kind != ReadEvent::Kind::end; ev = reader->next()) {
        window_bytes_ += ev.document.text.size();
        Pending& p = window_.emplace_back();
        p.event = std::move(ev);
        p.markup = reader->markup();
        p.path = path;
        p.mtime = mtime;
        if (window_.size() >= window_records || window_bytes_ >= window_bytes) {
            std::vector<Pending> ready = hand_over(origin);
            add_all(ready, r, origin, ids);
            if (progress_) tick(r, reader->bytes_read(), raw_start + source.raw_bytes_read());
        }
    }
    bytes_before_ += reader->bytes_read();
    tick(r, 0, raw_start + source.raw_bytes_read());
}

void Ingestor::prepare(Pending& p, const std::string& origin) const {
    if (p.event.kind != ReadEvent::Kind::document) return;
    Document& doc = p.event.document;
    const bool markup = p.markup;
    const std::string& path = p.path;
    const std::optional<long long> mtime = p.mtime;
    // Names whose spaces a scrape lost are repaired with the cleaning: so stored, the text reads
    // right in snippets, and its phrases and entity tags are found.
    doc.text = archive_.gazetteer().unglue(cleaner_.text(doc.text, markup, p.counts));
    doc.title = archive_.gazetteer().unglue(cleaner_.line(doc.title, markup, p.counts));
    for (std::string* field : {&doc.id, &doc.source, &doc.url, &doc.lang})
        *field = cleaner_.line(*field, false, p.counts);
    doc.author = cleaner_.line(doc.author, markup, p.counts);
    if (doc.author.size() > 3 &&
        (doc.author.compare(0, 3, "By ") == 0 || doc.author.compare(0, 3, "by ") == 0))
        doc.author.erase(0, 3);
    if (blank(doc.text)) {
        p.blank = true;
        return;
    }
    if (doc.title.empty()) doc.title = title_from_text(doc.text);
    doc.date = date_from_clues(doc.date, doc.text, path, p.event.warnings);
    if (!doc.date.is_set() && options_.date_from_mtime && mtime)
        if (auto day = Date::from_unix_time(*mtime)) doc.date = *day;
    if (doc.source.empty()) doc.source = options_.default_source;
    doc.path = p.event.where.str();
    // A generated id stays the reader's content_id of the record as read, not as cleaned, so that
    // a change in the cleaning rules never gives an article a second id.
    if (doc.id.empty()) doc.id = content_id(doc);
    if (p.event.generated_id && options_.id_from == IngestOptions::IdFrom::url && !doc.url.empty())
        doc.id = url_id(doc.url);
    // An archive of shards makes the entries on its shards' threads, a shard's at once.
    if (archive_.shard_count() == 1) p.entry = archive_.prepare(doc, origin);
}

void Ingestor::check(Pending& p, InputReport& r, std::vector<std::string>* ids, Accepted& accepted,
                     const std::string& origin) {
    ReadEvent& ev = p.event;
    Document& doc = ev.document;
    if (p.blank) {
        ++r.skipped;
        problem(r, ev.where, "skipped: no text left after cleaning (markup or boilerplate only)",
                true);
        return;
    }
    auto duplicate = [&](const std::string& into, const std::string& note) {
        if (++r.duplicates <= max_duplicate_notes) problem(r, ev.where, note, false);
        r.duplicate_list.push_back({ev.where, doc.id, into});
    };
    const bool read_before = !ids_read_.insert(XXH3_64bits(doc.id.data(), doc.id.size())).second;
    if (read_before ||
        (options_.existing == IngestOptions::Existing::skip && archive_.contains(doc.id))) {
        duplicate(doc.id, "duplicate: id '" + doc.id + "' was read before; not indexed again");
        return;
    }
    const std::string text = schema::text_term(doc.text);
    if (auto in_window = accepted.texts.find(text); in_window != accepted.texts.end()) {
        duplicate(in_window->second,
                  "duplicate: same text as document '" + in_window->second + "'; not stored twice");
        return;
    }
    std::string same = archive_.same_text(doc);
    if (!same.empty() && accepted.ids.count(same)) {  // a document the window replaces
        add(accepted, r);
        same = archive_.same_text(doc);
    }
    if (!same.empty()) {
        duplicate(same, "duplicate: same text as document '" + same + "'; not stored twice");
        return;
    }
    std::size_t repaired = ev.repaired + p.counts.repaired;
    if (repaired) {
        ++r.repaired;
        Location at = ev.where;
        if (ev.repair_line) at.line = ev.repair_line;  // a whole file's repair: where the byte was
        problem(
            r, at,
            "repaired: " + std::to_string(repaired) + " invalid UTF-8 byte(s) replaced by U+FFFD",
            false);
    }
    if (ev.converted || p.counts.converted) ++r.converted;
    if (!ev.warnings.empty()) {
        ++r.warnings;
        for (auto& w : ev.warnings) problem(r, ev.where, "warning: " + w, false);
    }
    if (ids) ids->push_back(doc.id);
    ++input_documents_;
    input_dated_ += doc.date.is_set();
    accepted.texts.emplace(text, doc.id);
    accepted.ids.insert(doc.id);
    accepted.batch.push_back({&doc, std::move(p.entry), origin});
}

void Ingestor::add(Accepted& accepted, InputReport& r) {
    for (const ArchiveWriter::Addition& a : accepted.batch) posted_.emplace_back(&r, a.doc->id);
    pending_ += accepted.batch.size();
    archive_.post(std::move(accepted.batch));
    accepted = {};
    if (commits() && pending_ >= options_.batch_docs) {
        archive_.commit_behind();
        pending_ = 0;
    }
}

void Ingestor::collect(Wait wait) {
    const std::vector<ArchiveWriter::AddResult> results =
        wait == Wait::all ? archive_.added() : archive_.added_so_far(wait == Wait::first);
    for (ArchiveWriter::AddResult result : results) {
        auto [r, id] = std::move(posted_.front());
        posted_.pop_front();
        switch (result) {
            case ArchiveWriter::AddResult::added:
                ++r->added;
                break;
            case ArchiveWriter::AddResult::replaced:
                ++r->replaced;
                r->replaced_ids.push_back(std::move(id));
                break;
            case ArchiveWriter::AddResult::unchanged:
                ++r->unchanged;
                break;
        }
    }
    collected_count_ += results.size();
    while (!posted_windows_.empty() && posted_windows_.front().second <= collected_count_)
        posted_windows_.pop_front();
}

IngestReport Ingestor::finish() {
    collect(Wait::all);
    if (!options_.dry_run) archive_.commit();
    pending_ = 0;
    report_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    return report_;
}

IngestReport ingest(ArchiveWriter& archive, const std::vector<std::string>& inputs,
                    const IngestOptions& options, const IngestProgress& progress) {
    Ingestor ingestor(archive, options, progress);
    for (const std::string& input : inputs) {
        struct stat st {};
        if (input != "-" && ::stat(input.c_str(), &st) == 0 && S_ISREG(st.st_mode))
            ingestor.expect_bytes(static_cast<std::uint64_t>(st.st_size));
    }
    for (const std::string& input : inputs) ingestor.read(input);
    return ingestor.finish();
}

}  // namespace panmun
