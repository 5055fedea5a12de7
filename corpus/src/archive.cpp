// ArchiveReader, ArchiveWriter and the manifest.
#include "panmun/archive.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "panmun/entities.hpp"
#include "panmun/errors.hpp"
#include "panmun/query.hpp"
#include "panmun/schema.hpp"
#include "unique_fd.hpp"

namespace fs = boost::filesystem;

namespace panmun {
namespace {

constexpr const char* manifest_name = "manifest.json";
constexpr const char* xapian_dir = "xapian";
constexpr const char* lock_name = "lock";
constexpr const char* format_name = "panmun-archive";

// Xapian metadata keys, committed together with the index.
constexpr const char* meta_entities = "panmun.entities";  // the archive's own gazetteer (TSV)
constexpr const char* meta_store_file = "panmun.store_file";
constexpr const char* meta_store_bytes = "panmun.store_bytes";
constexpr const char* meta_text_bytes = "panmun.text_bytes";
constexpr const char* meta_dead = "panmun.dead_documents";
constexpr const char* meta_created = "panmun.created";

// Compaction writes the new index here and renames it into place; if a crash comes between the
// two renames, whoever opens the archive next finds the complete copy here.
constexpr const char* xapian_compact_dir = "xapian.compact";
constexpr const char* xapian_old_dir = "xapian.old";
// Compaction points a copy of the index at the new store here, before compacting it.
constexpr const char* xapian_work_dir = "xapian.work";

std::string sub(const std::string& dir, const std::string& name) {
    return (fs::path(dir) / name).string();
}

std::string store_file_name(std::uint64_t generation) {
    return "store-" + std::to_string(generation) + ".dat";
}

std::uint64_t store_generation(const std::string& name) {
    // "store-N.dat"
    return std::stoull(name.substr(6, name.size() - 10));
}

std::string now_utc() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::uint64_t meta_number(const Xapian::Database& db, const char* key) {
    std::string v = db.get_metadata(key);
    return v.empty() ? 0 : std::stoull(v);
}

std::string index_dir(const std::string& archive) {
    std::string live = sub(archive, xapian_dir);
    if (!fs::exists(live) && fs::exists(sub(archive, xapian_compact_dir)))
        return sub(archive, xapian_compact_dir);  // interrupted between the renames of compact()
    return live;
}

bool has_term(const Xapian::Document& doc, const std::string& term) {
    auto it = doc.termlist_begin();
    it.skip_to(term);
    return it != doc.termlist_end() && *it == term;
}

// The writer lock: an flock on dir/lock, which also records the holder's pid for error messages.
class WriterLock {
public:
    explicit WriterLock(const std::string& dir, bool wait = false) {
        std::string path = sub(dir, lock_name);
        fd_ = UniqueFd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
        if (!fd_) throw ArchiveError(dir, "cannot open lock file: " + std::string(std::strerror(errno)));
        if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
            char buf[32] = {};
            ssize_t n = ::pread(fd_.get(), buf, sizeof buf - 1, 0);
            std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "?";
            while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
            if (!wait) throw ArchiveLockedError(dir, "is being updated by pid " + pid);
            while (::flock(fd_.get(), LOCK_EX) != 0)
                if (errno != EINTR)
                    throw ArchiveError(dir, "cannot lock: " + std::string(std::strerror(errno)));
        }
        std::string pid = std::to_string(::getpid()) + "\n";
        if (::ftruncate(fd_.get(), 0) != 0 ||
            ::pwrite(fd_.get(), pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
            throw ArchiveError(dir, "cannot write lock file: " + std::string(std::strerror(errno)));
    }

private:
    UniqueFd fd_;  // closing it releases the flock
};

}  // namespace

// ---- Manifest ------------------------------------------------------------------------------

Manifest Manifest::read(const std::string& dir) {
    std::string path = sub(dir, manifest_name);
    if (!fs::is_directory(dir)) throw ArchiveError(dir, "no such archive directory");
    std::ifstream in(path);
    if (!in) throw ArchiveError(dir, "not a panmun archive (no readable manifest.json)");
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw ArchiveError(dir, "manifest.json is damaged (not a JSON object)");
    if (j.value("format", "") != format_name)
        throw ArchiveError(dir, "not a panmun archive (manifest format is not \"panmun-archive\")");
    Manifest m;
    try {
        m.format_version = j.at("format_version").get<int>();
        if (m.format_version < oldest_archive_format_version || m.format_version > archive_format_version)
            throw ArchiveError(dir, "archive format version " + std::to_string(m.format_version) +
                                        "; this panmun reads versions " +
                                        std::to_string(oldest_archive_format_version) + " to " +
                                        std::to_string(archive_format_version) +
                                        (m.format_version > archive_format_version
                                             ? " (it was written by a newer panmun)"
                                             : " (rebuild the archive with this panmun-index)"));
        m.schema_version = j.at("schema").at("version").get<int>();
        m.created = j.at("created").get<std::string>();
        m.updated = j.at("updated").get<std::string>();
        m.documents = j.at("counts").at("documents").get<std::uint64_t>();
        m.text_bytes = j.at("counts").at("text_bytes").get<std::uint64_t>();
        m.dead_documents = j.at("counts").at("dead_documents").get<std::uint64_t>();
        const auto& store = j.at("store");
        m.store_file = store.at("file").get<std::string>();
        m.store_bytes = store.at("committed_bytes").get<std::uint64_t>();
        m.store_options.level = store.at("zstd_level").get<int>();
        m.store_options.compact_level = store.at("compact_zstd_level").get<int>();
        m.store_options.cluster_bytes = store.at("cluster_bytes").get<std::size_t>();
        m.store_options.dictionary_max_bytes = store.at("dictionary_max_bytes").get<std::size_t>();
    } catch (const nlohmann::json::exception& e) {
        throw ArchiveError(dir, std::string("manifest.json is damaged: ") + e.what());
    }
    return m;
}

void Manifest::write(const std::string& dir) const {
    nlohmann::json j = {
        {"format", format_name},
        {"format_version", format_version},
        {"schema",
         {{"version", schema_version},
          {"stemmer", "english"},
          {"cjk", "ngram"},
          {"value_slots",
           {{"date", schema::slot_date},
            {"store_location", schema::slot_store},
            {"text_bytes", schema::slot_text_bytes},
            {"fingerprint", schema::slot_fingerprint},
            {"near_duplicate", schema::slot_near_duplicate}}}}},
        {"created", created},
        {"updated", updated},
        {"counts",
         {{"documents", documents}, {"text_bytes", text_bytes}, {"dead_documents", dead_documents}}},
        {"store",
         {{"file", store_file},
          {"committed_bytes", store_bytes},
          {"compression", "zstd clusters, dictionary after compact"},
          {"zstd_level", store_options.level},
          {"compact_zstd_level", store_options.compact_level},
          {"cluster_bytes", store_options.cluster_bytes},
          {"dictionary_max_bytes", store_options.dictionary_max_bytes}}},
        {"index", {{"engine", "xapian"}, {"directory", xapian_dir}}},
    };
    std::string tmp = sub(dir, "manifest.json.tmp");
    {
        UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        std::string text = j.dump(2) + "\n";
        if (!fd || ::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
            ::fsync(fd.get()) != 0)
            throw ArchiveError(dir, "cannot write manifest: " + std::string(std::strerror(errno)));
    }
    if (::rename(tmp.c_str(), sub(dir, manifest_name).c_str()) != 0)
        throw ArchiveError(dir, "cannot replace manifest: " + std::string(std::strerror(errno)));
}

CommittedState CommittedState::of(const Xapian::Database& db) {
    CommittedState s;
    s.store_file = db.get_metadata(meta_store_file);
    s.store_bytes = meta_number(db, meta_store_bytes);
    s.text_bytes = meta_number(db, meta_text_bytes);
    s.dead_documents = meta_number(db, meta_dead);
    return s;
}

namespace {
void write_state(Xapian::WritableDatabase& db, const CommittedState& state) {
    db.set_metadata(meta_store_file, state.store_file);
    db.set_metadata(meta_store_bytes, std::to_string(state.store_bytes));
    db.set_metadata(meta_text_bytes, std::to_string(state.text_bytes));
    db.set_metadata(meta_dead, std::to_string(state.dead_documents));
}
}  // namespace

// ---- ArchiveReader -------------------------------------------------------------------------

// The gazetteer an archive tags with: the built-in one and the archive's own additions.
Gazetteer archive_gazetteer(const Xapian::Database& db, const std::string& path) {
    Gazetteer g;
    g.merge(Gazetteer::builtin());
    std::string tsv = db.get_metadata(meta_entities);
    if (!tsv.empty()) g.merge(Gazetteer::parse(tsv, path + " (its entities)"));
    return g;
}

struct ArchiveReader::Impl {
    std::string path;
    Manifest manifest;
    Xapian::Database db;
    CommittedState state;
    std::optional<DocumentStore> store;
    mutable std::optional<Gazetteer> own_gazetteer;  // when the archive has entities of its own
    mutable bool gazetteer_read = false;

    explicit Impl(const std::string& p) : path(p), manifest(Manifest::read(p)) {
        try {
            db = Xapian::Database(index_dir(p));
        } catch (const Xapian::Error& e) {
            throw ArchiveError(p, "cannot open index: " + e.get_description());
        }
        open_store();
    }

    // Opens the store file that the index's snapshot names. A compaction may commit and remove
    // that file between the two opens: then the index is reopened and the new file taken.
    void open_store() {
        for (int attempt = 1;; ++attempt) {
            state = CommittedState::of(db);
            if (state.store_file.empty())
                throw ArchiveError(path, "index records no document store (damaged archive?)");
            try {
                store.emplace(sub(path, state.store_file));
                return;
            } catch (const ArchiveError&) {
                if (attempt == 3 || fs::exists(sub(path, state.store_file))) throw;
                db.reopen();
            }
        }
    }
};

ArchiveReader::ArchiveReader(const std::string& path) : impl_(std::make_unique<Impl>(path)) {}
ArchiveReader::~ArchiveReader() = default;
ArchiveReader::ArchiveReader(ArchiveReader&&) noexcept = default;

const std::string& ArchiveReader::path() const { return impl_->path; }
const Manifest& ArchiveReader::manifest() const { return impl_->manifest; }
const Xapian::Database& ArchiveReader::database() const { return impl_->db; }
const DocumentStore& ArchiveReader::store() const { return *impl_->store; }
const CommittedState& ArchiveReader::state() const { return impl_->state; }
std::uint64_t ArchiveReader::document_count() const { return impl_->db.get_doccount(); }

const Gazetteer& ArchiveReader::gazetteer() const {
    if (!impl_->gazetteer_read) {
        if (!impl_->db.get_metadata(meta_entities).empty())
            impl_->own_gazetteer = archive_gazetteer(impl_->db, impl_->path);
        impl_->gazetteer_read = true;
    }
    return impl_->own_gazetteer ? *impl_->own_gazetteer : Gazetteer::builtin();
}

std::optional<Document> ArchiveReader::find(const std::string& id) {
    for (int attempt = 1;; ++attempt) {
        try {
            Xapian::PostingIterator it = impl_->db.postlist_begin(schema::id_term(id));
            if (it == impl_->db.postlist_end(schema::id_term(id))) return std::nullopt;
            return fetch(*it);
        } catch (const Xapian::DatabaseModifiedError&) {
            // A writer committed twice since this reader opened: move to the newest state.
            if (attempt == 3) throw;
            reopen();
        }
    }
}

StoreLocation ArchiveReader::location(const Xapian::Document& entry) const {
    try {
        return StoreLocation::unserialise(entry.get_value(schema::slot_store));
    } catch (const std::invalid_argument&) {
        throw CorruptDataError(impl_->path, "index entry of document " + entry.get_data() +
                                                " has no valid store location");
    }
}

Document ArchiveReader::fetch(Xapian::docid docid) const {
    Xapian::Document entry = impl_->db.get_document(docid);
    return impl_->store->fetch(location(entry), entry.get_data());
}

void ArchiveReader::reopen() {
    if (!impl_->db.reopen()) return;
    impl_->own_gazetteer.reset();
    impl_->gazetteer_read = false;
    if (CommittedState::of(impl_->db).store_file != impl_->state.store_file) impl_->open_store();
    impl_->state = CommittedState::of(impl_->db);
}

// ---- ArchiveWriter -------------------------------------------------------------------------

// The entities a document is tagged with: those named in its title or text.
std::vector<const Entity*> entities_of(const Gazetteer& gazetteer, const Document& doc) {
    return gazetteer.tag(doc.title + "\n" + doc.text);
}

struct ArchiveWriter::Impl {
    std::string path;
    WriterLock lock;
    std::vector<std::string> notes;
    Xapian::WritableDatabase db;
    Manifest manifest;
    CommittedState state;  // as it will be committed; store_bytes changes only at commit
    std::unique_ptr<StoreWriter> store;
    bool in_transaction = false;
    Gazetteer gazetteer;  // the built-in one and the archive's own additions (set_entities)

    enum class Opening { create, open };
    Impl(const std::string& p, Opening how, Manifest m, bool wait = false)
        : path(p), lock(p, wait), db(recover_and_open(p, how, notes)), manifest(std::move(m)) {
        state = CommittedState::of(db);
        gazetteer = archive_gazetteer(db, p);
    }

    // Completes or discards what an interrupted compact() left: a new index not yet renamed into
    // place, an old one not yet removed, store files of other generations.
    static void recover(const std::string& p, std::vector<std::string>& notes) {
        boost::system::error_code ec;
        if (!fs::exists(sub(p, xapian_dir)) && fs::exists(sub(p, xapian_compact_dir))) {
            fs::rename(sub(p, xapian_compact_dir), sub(p, xapian_dir));
            notes.push_back("completed an interrupted index compaction");
        }
        for (const char* dir : {xapian_compact_dir, xapian_old_dir, xapian_work_dir})
            if (fs::exists(sub(p, dir))) {
                notes.push_back(std::string("removed ") + dir +
                                ", an index copy left by an interrupted compaction");
                fs::remove_all(sub(p, dir), ec);
            }
    }

    // Store files of other generations: the old one after a compaction committed, or a new one
    // that an interrupted compaction never committed.
    void remove_other_stores(bool say) {
        boost::system::error_code ec;
        for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
            std::string name = it->path().filename().string();
            if (name.rfind("store-", 0) == 0 && name != state.store_file) {
                fs::remove(it->path(), ec);
                if (say) notes.push_back("removed " + name + " left by an interrupted compaction");
            }
        }
    }

    void open_store_writer() {
        store = std::make_unique<StoreWriter>(sub(path, state.store_file), state.store_bytes,
                                              manifest.store_options);
        if (store->discarded_bytes())
            notes.push_back("discarded " + std::to_string(store->discarded_bytes()) +
                            " store bytes of an update that never committed; the archive is at "
                            "its last commit");
    }

    // Runs with the lock held, before the index is opened.
    static Xapian::WritableDatabase recover_and_open(const std::string& p, Opening how,
                                                     std::vector<std::string>& notes) {
        if (how == Opening::create) return open_db(p, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
        recover(p, notes);
        return open_db(p, Xapian::DB_OPEN);
    }

    static Xapian::WritableDatabase open_db(const std::string& p, int flags) {
        try {
            return Xapian::WritableDatabase(sub(p, xapian_dir), flags);
        } catch (const Xapian::DatabaseLockError&) {
            throw ArchiveLockedError(p, "index is locked by another writer");
        } catch (const Xapian::Error& e) {
            throw ArchiveError(p, "cannot open index for writing: " + e.get_description());
        }
    }

    void begin() {
        if (!in_transaction) {
            db.begin_transaction(/*flushed=*/true);
            in_transaction = true;
        }
    }

    void write_state() { panmun::write_state(db, state); }

    void write_manifest() {
        manifest.documents = db.get_doccount();
        manifest.text_bytes = state.text_bytes;
        manifest.store_file = state.store_file;
        manifest.store_bytes = state.store_bytes;
        manifest.dead_documents = state.dead_documents;
        manifest.updated = now_utc();
        manifest.write(path);
    }

    // ArchiveWriter::add, with the index entry prepared beforehand or (nullptr) made here.
    AddResult add(const Document& doc, Xapian::Document* prepared, const std::string& origin);

    // The existing document with this id term: its docid, and its text size is taken off the total.
    Xapian::docid forget(const std::string& term) {
        Xapian::PostingIterator it = db.postlist_begin(term);
        if (it == db.postlist_end(term)) return 0;
        std::string len = db.get_document(*it).get_value(schema::slot_text_bytes);
        state.text_bytes -= len.empty() ? 0 : static_cast<std::uint64_t>(Xapian::sortable_unserialise(len));
        ++state.dead_documents;
        return *it;
    }
};

ArchiveWriter::ArchiveWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
// A WritableDatabase destroyed inside a transaction discards it: exactly what we want. The
// store's uncommitted bytes go too, so that they take no disk space until the next open.
ArchiveWriter::~ArchiveWriter() {
    if (impl_ && impl_->store) impl_->store->truncate_to(impl_->state.store_bytes);
}
ArchiveWriter::ArchiveWriter(ArchiveWriter&&) noexcept = default;

ArchiveWriter ArchiveWriter::create(const std::string& path, StoreOptions options) {
    if (fs::exists(path)) throw UsageError("archive " + path + " already exists");
    boost::system::error_code ec;
    fs::create_directories(path, ec);
    if (ec) throw ArchiveError(path, "cannot create directory: " + ec.message());
    Manifest m;
    m.schema_version = schema::version;
    m.created = m.updated = now_utc();
    m.store_options = options;
    auto impl = std::make_unique<Impl>(path, Impl::Opening::create, m);
    impl->state.store_file = store_file_name(1);
    impl->open_store_writer();
    impl->store->sync();
    impl->state.store_bytes = impl->store->size();
    impl->db.set_metadata(meta_created, m.created);
    impl->write_state();
    impl->db.commit();
    impl->write_manifest();
    return ArchiveWriter(std::move(impl));
}

ArchiveWriter ArchiveWriter::open(const std::string& path, bool wait) {
    Manifest m = Manifest::read(path);
    m.format_version = archive_format_version;  // what it writes from now on
    auto impl = std::make_unique<Impl>(path, Impl::Opening::open, m, wait);
    impl->remove_other_stores(true);
    impl->open_store_writer();
    return ArchiveWriter(std::move(impl));
}

const std::vector<std::string>& ArchiveWriter::notes() const { return impl_->notes; }

ArchiveWriter::AddResult ArchiveWriter::add(const Document& doc, const std::string& origin) {
    return impl_->add(doc, nullptr, origin);
}

ArchiveWriter::AddResult ArchiveWriter::add(const Document& doc, Xapian::Document entry,
                                            const std::string& origin) {
    return impl_->add(doc, &entry, origin);
}

Xapian::Document ArchiveWriter::prepare(const Document& doc, const std::string& origin) const {
    return schema::make_document(doc, StoreLocation{}, origin, entities_of(impl_->gazetteer, doc));
}

ArchiveWriter::AddResult ArchiveWriter::Impl::add(const Document& doc, Xapian::Document* prepared,
                                                  const std::string& origin) {
    begin();
    std::string term = schema::id_term(doc.id);
    if (Xapian::PostingIterator it = db.postlist_begin(term); it != db.postlist_end(term)) {
        Xapian::Document old = db.get_document(*it);
        // Same content and (for sync) already attributed to this file: nothing to do.
        if (old.get_value(schema::slot_fingerprint) == schema::fingerprint_value(doc) &&
            (origin.empty() || has_term(old, schema::origin_term(origin))))
            return AddResult::unchanged;
    }
    Xapian::docid existing = forget(term);
    Xapian::Document entry = prepared ? std::move(*prepared)
                                      : schema::make_document(doc, StoreLocation{}, origin,
                                                              entities_of(gazetteer, doc));
    entry.add_value(schema::slot_store, store->append(doc).serialise());
    if (existing)
        db.replace_document(existing, entry);
    else
        db.add_document(entry);
    state.text_bytes += doc.text.size();
    return existing ? AddResult::replaced : AddResult::added;
}

bool ArchiveWriter::remove(const std::string& id) {
    auto& d = *impl_;
    d.begin();
    Xapian::docid existing = d.forget(schema::id_term(id));
    if (existing) d.db.delete_document(existing);
    return existing != 0;
}

std::vector<std::string> ArchiveWriter::remove_matching(const std::string& query) {
    auto& d = *impl_;
    Xapian::Enquire enquire(d.db);
    enquire.set_query(build_query(query, d.db, d.gazetteer));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    Xapian::MSet matches = enquire.get_mset(0, d.db.get_doccount());
    std::vector<std::string> ids;
    for (auto it = matches.begin(); it != matches.end(); ++it) ids.push_back(it.get_document().get_data());
    for (const auto& id : ids) remove(id);
    return ids;
}

std::vector<std::string> ArchiveWriter::ids_from(const std::string& origin) const {
    auto& d = *impl_;
    std::vector<std::string> ids;
    std::string term = schema::origin_term(origin);
    for (auto it = d.db.postlist_begin(term); it != d.db.postlist_end(term); ++it)
        ids.push_back(d.db.get_document(*it).get_data());
    return ids;
}

namespace {
constexpr const char* meta_file_prefix = "panmun.file:";
}

std::string ArchiveWriter::file_mark(const std::string& origin) const {
    return impl_->db.get_metadata(meta_file_prefix + origin);
}

void ArchiveWriter::set_file_mark(const std::string& origin, const std::string& mark) {
    impl_->begin();
    impl_->db.set_metadata(meta_file_prefix + origin, mark);  // "" deletes the key
}

std::vector<std::string> ArchiveWriter::marked_files() const {
    std::vector<std::string> files;
    const std::string prefix = meta_file_prefix;
    for (auto it = impl_->db.metadata_keys_begin(prefix); it != impl_->db.metadata_keys_end(prefix); ++it)
        files.push_back((*it).substr(prefix.size()));
    return files;
}

bool ArchiveWriter::contains(const std::string& id) const {
    return impl_->db.term_exists(schema::id_term(id));
}

std::string ArchiveWriter::same_text(const Document& doc) const {
    auto& db = impl_->db;
    std::string term = schema::text_term(doc.text);
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
        std::string id = db.get_document(*it).get_data();
        if (id != doc.id) return id;
    }
    return {};
}

void ArchiveWriter::set_entities(const std::string& tsv, const std::string& name) {
    auto& d = *impl_;
    Gazetteer user = Gazetteer::parse(tsv, name);  // throws InputError naming the line
    d.begin();
    d.db.set_metadata(meta_entities, tsv);
    d.gazetteer = archive_gazetteer(d.db, d.path);
}

RetagReport ArchiveWriter::retag(const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
    auto& d = *impl_;
    RetagReport report;
    commit();  // everything added so far is readable from the store file
    DocumentStore stored(sub(d.path, d.state.store_file));
    const std::uint64_t total = d.db.get_doccount();
    std::vector<Xapian::docid> ids;
    for (auto it = d.db.postlist_begin(""); it != d.db.postlist_end(""); ++it) ids.push_back(*it);
    for (Xapian::docid id : ids) {
        Xapian::Document entry = d.db.get_document(id);
        StoreLocation where;
        try {
            where = StoreLocation::unserialise(entry.get_value(schema::slot_store));
        } catch (const std::invalid_argument&) {
            throw CorruptDataError(d.path, "index entry of document " + entry.get_data() +
                                               " has no valid store location");
        }
        Document doc = stored.fetch(where, entry.get_data());
        std::vector<const Entity*> entities = entities_of(d.gazetteer, doc);
        std::string wanted = schema::entities_value(entities);
        ++report.documents;
        if (entry.get_value(schema::slot_entities) != wanted) {
            std::vector<std::string> old;
            for (const char* prefix : {schema::prefix_person, schema::prefix_org, schema::prefix_place, schema::prefix_event})
                for (auto t = entry.termlist_begin(); t != entry.termlist_end(); ++t) {
                    t.skip_to(prefix);
                    if (t == entry.termlist_end() || (*t).rfind(prefix, 0) != 0) break;
                    old.push_back(*t);
                }
            for (const auto& t : old) entry.remove_term(t);
            for (const Entity* e : entities) entry.add_boolean_term(schema::entity_term(*e));
            if (wanted.empty()) entry.remove_value(schema::slot_entities);
            else entry.add_value(schema::slot_entities, wanted);
            d.begin();
            d.db.replace_document(id, entry);
            ++report.changed;
        }
        if (report.documents % 1000 == 0) {
            commit();
            if (progress) progress(report.documents, total);
        }
    }
    commit();
    if (progress) progress(report.documents, total);
    return report;
}

void ArchiveWriter::commit() {
    auto& d = *impl_;
    // The store is made durable first; only then does the index (with the store's new committed
    // size) commit. A crash in between leaves store bytes that the next open() truncates.
    d.store->sync();
    d.state.store_bytes = d.store->size();
    d.begin();
    d.write_state();
    d.db.commit_transaction();
    d.in_transaction = false;
    d.write_manifest();
}

void ArchiveWriter::compact() {
    auto& d = *impl_;
    commit();
    DocumentStore old_store(sub(d.path, d.state.store_file));
    auto location_of = [&](Xapian::docid did) {
        return StoreLocation::unserialise(d.db.get_document(did).get_value(schema::slot_store));
    };

    // Documents come from the old store a cluster at a time.
    std::uint64_t cached_offset = UINT64_MAX;
    std::vector<Document> cached;
    auto load = [&](StoreLocation where) -> const Document& {
        if (where.cluster_offset != cached_offset) {
            cached = old_store.read_cluster(where.cluster_offset);
            cached_offset = where.cluster_offset;
        }
        if (where.index >= cached.size())
            throw CorruptDataError(old_store.path(), "no document " + std::to_string(where.index) +
                                                         " in cluster at offset " +
                                                         std::to_string(where.cluster_offset));
        return cached[where.index];
    };

    // Training samples: evenly spaced documents, 64 MB (the dictionary is up to a third of the
    // sample; memory bounds the rest).
    const std::size_t sample_budget = 64 << 20;
    std::vector<std::string> samples;
    const std::size_t stride =
        std::max<std::size_t>(1, d.state.text_bytes / std::max<std::size_t>(1, sample_budget));
    std::size_t seen = 0;
    for (auto it = d.db.postlist_begin(""); it != d.db.postlist_end(""); ++it, ++seen) {
        if (seen % stride) continue;
        const Document& doc = load(location_of(*it));
        samples.push_back(doc.title + "\n" + doc.url + "\n" + doc.text);
    }

    // The new locations go into a copy of the index, committed every few thousand entries: one
    // transaction over every entry would hold them all in memory (0.6 KB each). Readers keep
    // the live index and the old store until the copy, compacted, is renamed into place.
    const std::string live = sub(d.path, xapian_dir);
    const std::string work = sub(d.path, xapian_work_dir);
    const std::string fresh = sub(d.path, xapian_compact_dir);
    const std::string old = sub(d.path, xapian_old_dir);
    const std::string new_file = store_file_name(store_generation(d.state.store_file) + 1);
    CommittedState compacted = d.state;
    boost::system::error_code ec;
    try {
        fs::remove_all(work);
        fs::create_directory(work);
        for (const auto& file : fs::directory_iterator(live))
            if (fs::is_regular_file(file.path()))
                fs::copy_file(file.path(), fs::path(work) / file.path().filename());
        Xapian::WritableDatabase next(work, Xapian::DB_OPEN);

        // Every live document in compaction_order(); the new location of the i-th is reported
        // as it is written.
        constexpr std::size_t entries_per_commit = 10000;
        const std::vector<Xapian::docid> order = compaction_order(d.db);
        std::size_t handed = 0;
        cached_offset = UINT64_MAX;
        compacted.store_bytes = compact_store(
            sub(d.path, new_file), d.manifest.store_options,
            [&](Document& doc) {
                if (handed == order.size()) return false;
                doc = load(location_of(order[handed++]));
                return true;
            },
            std::move(samples),
            [&](std::uint64_t i, StoreLocation where) {
                Xapian::Document entry = next.get_document(order[i]);
                entry.add_value(schema::slot_store, where.serialise());
                next.replace_document(order[i], entry);  // only a value: no terms rewritten
                if ((i + 1) % entries_per_commit == 0) next.commit();
            });
        compacted.store_file = new_file;
        compacted.dead_documents = 0;
        write_state(next, compacted);
        next.commit();
        next.close();
        fs::remove_all(fresh);
        Xapian::Database(work).compact(fresh, Xapian::DBCOMPACT_NO_RENUMBER);
        fs::remove_all(work);  // its disk space, before the switch
    } catch (...) {
        // Nothing that readers use has changed: drop the copies and the new store.
        fs::remove_all(work, ec);
        fs::remove_all(fresh, ec);
        fs::remove(sub(d.path, new_file), ec);
        throw;
    }

    // The switch to the new store: the compacted copy renamed into place. See recover() for a
    // crash between the renames.
    d.db.close();
    fs::rename(live, old, ec);
    if (!ec) fs::rename(fresh, live, ec);
    if (ec) throw ArchiveError(d.path, "cannot replace index by its compacted copy: " + ec.message());
    fs::remove_all(old, ec);
    d.db = Impl::open_db(d.path, Xapian::DB_OPEN);
    d.state = compacted;
    d.remove_other_stores(false);
    d.open_store_writer();
    d.write_manifest();
}

std::uint64_t ArchiveWriter::document_count() const { return impl_->db.get_doccount(); }
const std::string& ArchiveWriter::path() const { return impl_->path; }
const Gazetteer& ArchiveWriter::gazetteer() const { return impl_->gazetteer; }

// Near-duplicates: versions of one story, a statement reprinted. Grouping them made the store of
// reuters-financial 1.0 % smaller (docs/BENCHMARKS.md); sorting everything by title gained as
// much there but lost 2 % on KCNA, whose stories are best left in the order they came. About 30
// bytes a document while the order is worked out, 4 kept (4 MB for a million documents).
std::vector<Xapian::docid> compaction_order(const Xapian::Database& db) {
    std::vector<Xapian::docid> order;
    order.reserve(db.get_doccount());
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) order.push_back(*it);
    std::vector<std::pair<std::uint64_t, Xapian::docid>> keyed;  // (key, docid), docid ascending
    const Xapian::valueno slot = schema::slot_near_duplicate;
    for (auto v = db.valuestream_begin(slot); v != db.valuestream_end(slot); ++v) {
        std::uint64_t key = 0;
        if ((*v).size() == sizeof key) std::memcpy(&key, (*v).data(), sizeof key);
        if (key) keyed.emplace_back(key, v.get_docid());
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    // Each document's place: the docid of the first document with its key (its own if none).
    std::vector<std::pair<Xapian::docid, Xapian::docid>> placed(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) placed[i] = {order[i], order[i]};
    for (std::size_t i = 0, first = 0; i < keyed.size(); ++i) {
        if (keyed[i].first != keyed[first].first) first = i;
        auto at = std::lower_bound(order.begin(), order.end(), keyed[i].second);
        placed[at - order.begin()].first = keyed[first].second;
    }
    keyed = {};
    std::sort(placed.begin(), placed.end());
    for (std::size_t i = 0; i < placed.size(); ++i) order[i] = placed[i].second;
    return order;
}

void replace_archive(const std::string& built, const std::string& target) {
    std::optional<WriterLock> lock;
    if (fs::exists(target)) {
        Manifest::read(target);  // refuse to replace something that is not an archive
        lock.emplace(target);
    }
    std::string old = target + ".old-" + std::to_string(::getpid());
    boost::system::error_code ec;
    if (lock) {
        fs::rename(target, old, ec);
        if (ec) throw ArchiveError(target, "cannot move old archive aside: " + ec.message());
    }
    fs::rename(built, target, ec);
    if (ec) {
        if (lock) fs::rename(old, target);
        throw ArchiveError(target, "cannot move new archive in place: " + ec.message());
    }
    if (lock) fs::remove_all(old, ec);
}

}  // namespace panmun
