// ArchiveReader, ArchiveWriter and the manifest.
#include "panmun/archive.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "panmun/errors.hpp"
#include "panmun/schema.hpp"
#include "unique_fd.hpp"

namespace fs = boost::filesystem;

namespace panmun {
namespace {

constexpr const char* manifest_name = "manifest.json";
constexpr const char* xapian_dir = "xapian";
constexpr const char* store_name = "store.dat";
constexpr const char* lock_name = "lock";
constexpr const char* format_name = "panmun-archive";

// Xapian metadata keys, committed together with the index.
constexpr const char* meta_store_bytes = "panmun.store_bytes";
constexpr const char* meta_text_bytes = "panmun.text_bytes";
constexpr const char* meta_created = "panmun.created";

std::string sub(const std::string& dir, const char* name) { return (fs::path(dir) / name).string(); }

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

// The writer lock: an flock on dir/lock, which also records the holder's pid for error messages.
class WriterLock {
public:
    explicit WriterLock(const std::string& dir) {
        std::string path = sub(dir, lock_name);
        fd_ = UniqueFd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
        if (!fd_) throw ArchiveError(dir, "cannot open lock file: " + std::string(std::strerror(errno)));
        if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
            char buf[32] = {};
            ssize_t n = ::pread(fd_.get(), buf, sizeof buf - 1, 0);
            std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "?";
            while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
            throw ArchiveLockedError(dir, "is being updated by pid " + pid);
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
        if (m.format_version != archive_format_version)
            throw ArchiveError(dir, "archive format version " + std::to_string(m.format_version) +
                                        "; this panmun reads version " +
                                        std::to_string(archive_format_version) +
                                        " (rebuild the archive with this panmun-index)");
        m.schema_version = j.at("schema").at("version").get<int>();
        m.created = j.at("created").get<std::string>();
        m.updated = j.at("updated").get<std::string>();
        m.documents = j.at("counts").at("documents").get<std::uint64_t>();
        m.text_bytes = j.at("counts").at("text_bytes").get<std::uint64_t>();
        m.store_bytes = j.at("store").at("committed_bytes").get<std::uint64_t>();
        m.store_level = j.at("store").at("zstd_level").get<int>();
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
          {"value_slots", {{"date", schema::slot_date}, {"store_location", schema::slot_store}}}}},
        {"created", created},
        {"updated", updated},
        {"counts", {{"documents", documents}, {"text_bytes", text_bytes}}},
        {"store",
         {{"file", store_name},
          {"compression", "zstd, one frame per document"},
          {"zstd_level", store_level},
          {"committed_bytes", store_bytes}}},
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

// ---- ArchiveReader -------------------------------------------------------------------------

struct ArchiveReader::Impl {
    std::string path;
    Manifest manifest;
    Xapian::Database db;
    DocumentStore store;

    explicit Impl(const std::string& p)
        : path(p), manifest(Manifest::read(p)), db(open_db(p)), store(sub(p, store_name)) {}

    static Xapian::Database open_db(const std::string& p) {
        try {
            return Xapian::Database(sub(p, xapian_dir));
        } catch (const Xapian::Error& e) {
            throw ArchiveError(p, "cannot open index: " + e.get_description());
        }
    }
};

ArchiveReader::ArchiveReader(const std::string& path) : impl_(std::make_unique<Impl>(path)) {}
ArchiveReader::~ArchiveReader() = default;
ArchiveReader::ArchiveReader(ArchiveReader&&) noexcept = default;

const std::string& ArchiveReader::path() const { return impl_->path; }
const Manifest& ArchiveReader::manifest() const { return impl_->manifest; }
const Xapian::Database& ArchiveReader::database() const { return impl_->db; }
std::uint64_t ArchiveReader::document_count() const { return impl_->db.get_doccount(); }

std::optional<Document> ArchiveReader::find(const std::string& id) const {
    Xapian::PostingIterator it = impl_->db.postlist_begin(schema::id_term(id));
    if (it == impl_->db.postlist_end(schema::id_term(id))) return std::nullopt;
    return fetch(*it);
}

Document ArchiveReader::fetch(Xapian::docid docid) const {
    Xapian::Document xd = impl_->db.get_document(docid);
    std::string label = xd.get_data();
    StoreLocation where;
    try {
        where = StoreLocation::unserialise(xd.get_value(schema::slot_store));
    } catch (const std::invalid_argument&) {
        throw CorruptDataError(impl_->path, "index entry of document " + label +
                                                " has no valid store location");
    }
    return impl_->store.fetch(where, label);
}

void ArchiveReader::reopen() { impl_->db.reopen(); }

// ---- ArchiveWriter -------------------------------------------------------------------------

struct ArchiveWriter::Impl {
    std::string path;
    WriterLock lock;
    Xapian::WritableDatabase db;
    Manifest manifest;
    std::unique_ptr<StoreWriter> store;
    std::uint64_t text_bytes = 0;
    bool in_transaction = false;

    Impl(const std::string& p, int flags, Manifest m)
        : path(p), lock(p), db(open_db(p, flags)), manifest(std::move(m)) {
        store = std::make_unique<StoreWriter>(sub(p, store_name), meta_number(db, meta_store_bytes),
                                              manifest.store_level);
        text_bytes = meta_number(db, meta_text_bytes);
    }

    static Xapian::WritableDatabase open_db(const std::string& p, int flags) {
        try {
            return Xapian::WritableDatabase(sub(p, xapian_dir), flags);
        } catch (const Xapian::DatabaseLockError& e) {
            throw ArchiveLockedError(p, "index is locked by another writer");
        } catch (const Xapian::Error& e) {
            throw ArchiveError(p, "cannot open index for writing: " + e.get_description());
        }
    }
};

ArchiveWriter::ArchiveWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ArchiveWriter::~ArchiveWriter() {
    // A WritableDatabase destroyed inside a transaction discards it: exactly what we want.
}
ArchiveWriter::ArchiveWriter(ArchiveWriter&&) noexcept = default;

ArchiveWriter ArchiveWriter::create(const std::string& path, int store_level) {
    if (fs::exists(path)) throw UsageError("archive " + path + " already exists");
    boost::system::error_code ec;
    fs::create_directories(path, ec);
    if (ec) throw ArchiveError(path, "cannot create directory: " + ec.message());
    Manifest m;
    m.schema_version = schema::version;
    m.created = m.updated = now_utc();
    m.store_level = store_level;
    auto impl = std::make_unique<Impl>(path, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS, m);
    impl->db.set_metadata(meta_created, m.created);
    impl->manifest.store_bytes = impl->store->size();
    impl->db.set_metadata(meta_store_bytes, std::to_string(impl->store->size()));
    impl->db.commit();
    impl->store->sync();
    impl->manifest.write(path);
    return ArchiveWriter(std::move(impl));
}

ArchiveWriter ArchiveWriter::open(const std::string& path) {
    Manifest m = Manifest::read(path);
    return ArchiveWriter(std::make_unique<Impl>(path, Xapian::DB_OPEN, m));
}

ArchiveWriter::AddResult ArchiveWriter::add(const Document& doc) {
    auto& d = *impl_;
    if (!d.in_transaction) {
        d.db.begin_transaction(/*flushed=*/true);
        d.in_transaction = true;
    }
    std::string term = schema::id_term(doc.id);
    Xapian::docid existing = 0;
    if (Xapian::PostingIterator it = d.db.postlist_begin(term); it != d.db.postlist_end(term)) {
        existing = *it;
        std::string len = d.db.get_document(existing).get_value(schema::slot_text_bytes);
        d.text_bytes -= len.empty() ? 0 : static_cast<std::uint64_t>(Xapian::sortable_unserialise(len));
    }
    StoreLocation where = d.store->append(doc);
    Xapian::Document xd = schema::make_document(doc, where);
    if (existing)
        d.db.replace_document(existing, xd);
    else
        d.db.add_document(xd);
    AddResult result = existing ? AddResult::replaced : AddResult::added;
    d.text_bytes += doc.text.size();
    return result;
}

bool ArchiveWriter::contains(const std::string& id) const {
    return impl_->db.term_exists(schema::id_term(id));
}

void ArchiveWriter::commit() {
    auto& d = *impl_;
    // The store is made durable first; only then does the index (with the store's new committed
    // size) commit. A crash in between leaves store bytes that the next open() truncates.
    d.store->sync();
    if (!d.in_transaction) d.db.begin_transaction(true);
    d.db.set_metadata(meta_store_bytes, std::to_string(d.store->size()));
    d.db.set_metadata(meta_text_bytes, std::to_string(d.text_bytes));
    d.db.commit_transaction();
    d.in_transaction = false;
    d.manifest.documents = d.db.get_doccount();
    d.manifest.text_bytes = d.text_bytes;
    d.manifest.store_bytes = d.store->size();
    d.manifest.updated = now_utc();
    d.manifest.write(d.path);
}

void ArchiveWriter::compact_index() {
    auto& d = *impl_;
    commit();
    const std::string live = sub(d.path, xapian_dir);
    const std::string fresh = live + ".compact";
    const std::string old = live + ".old";
    boost::system::error_code ec;
    fs::remove_all(fresh, ec);
    d.db.compact(fresh, Xapian::DBCOMPACT_NO_RENUMBER);
    d.db.close();
    fs::rename(live, old, ec);
    if (!ec) fs::rename(fresh, live, ec);
    if (ec) throw ArchiveError(d.path, "cannot replace index by its compacted copy: " + ec.message());
    fs::remove_all(old, ec);
    d.db = Impl::open_db(d.path, Xapian::DB_OPEN);
}

std::uint64_t ArchiveWriter::document_count() const { return impl_->db.get_doccount(); }
const std::string& ArchiveWriter::path() const { return impl_->path; }

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
