// The crash protocol of docs/FORMAT.md, in one place: how an archive always stays at a committed
// state. A commit makes the store durable before the index that records its committed size; a
// writer opening an archive first completes or discards what an interrupted writer left; a
// compaction switches to its new generation by two renames, which recovery completes; a build
// or compact --shards replaces an archive by three renames under the old one's lock, which the
// next writer completes (settle).
#include <signal.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cerrno>
#include <exception>
#include <future>
#include <optional>

#include "archive/writer_impl.hpp"
#include "panmun/errors.hpp"
#include "panmun/schema.hpp"
#include "panmun/version.hpp"

namespace fs = boost::filesystem;

namespace panmun {

using namespace archive;

namespace {

// Completes or discards what an interrupted compact() left, before the index is opened: a new
// index not yet renamed into place (its predecessor already gone), index copies left behind.
void recover(const std::string& p, std::vector<std::string>& notes) {
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

// A remote shard is updated on its host, by the panmun-index there (docs/REMOTE.md).
void refuse_remote(const std::string& path) {
    if (is_remote_shard(path))
        throw UsageError(path +
                         " is a remote shard: update it on its host, with panmun-index there");
}

}  // namespace

// Runs with the lock held, before the index is opened.
Xapian::WritableDatabase ArchiveWriter::Impl::recover_and_open(const std::string& p, Opening how,
                                                               std::vector<std::string>& notes) {
    if (how == Opening::create) return open_db(p, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    recover(p, notes);
    return open_db(p, Xapian::DB_OPEN);
}

ArchiveWriter::Impl::Impl(const std::string& p, Opening how, Manifest m, WriterLock held)
    : path(p), lock(std::move(held)), db(recover_and_open(p, how, notes)), manifest(std::move(m)) {
    state = CommittedState::of(db);
    gazetteer = archive_gazetteer(db, p);
    schema = how == Opening::create ? schema::version : schema::version_of(db);
}

ArchiveWriter::Impl::Impl(const std::string& p, Manifest m, WriterLock held)
    : path(p), lock(std::move(held)), manifest(std::move(m)) {}

Xapian::WritableDatabase ArchiveWriter::Impl::open_db(const std::string& p, int flags) {
    try {
        return Xapian::WritableDatabase(sub(p, xapian_dir), flags);
    } catch (const Xapian::DatabaseLockError&) {
        throw ArchiveLockedError(p, "index is locked by another writer");
    } catch (const Xapian::Error& e) {
        throw ArchiveError(p, "cannot open index for writing: " + e.get_description());
    }
}

// Store files of other generations: the old one after a compaction committed, or a new one that
// an interrupted compaction never committed.
void ArchiveWriter::Impl::remove_other_stores(bool say) {
    boost::system::error_code ec;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name.rfind("store-", 0) == 0 && name != state.store_file) {
            fs::remove(it->path(), ec);
            if (say) notes.push_back("removed " + name + " left by an interrupted compaction");
        }
    }
}

// Opening the store truncates it to its committed size: bytes after it belong to a batch that
// never committed.
void ArchiveWriter::Impl::open_store_writer() {
    store = std::make_unique<StoreWriter>(sub(path, state.store_file), state.store_bytes,
                                          manifest.store_options);
    if (store->discarded_bytes())
        notes.push_back(
            "discarded " + std::to_string(store->discarded_bytes()) +
            " store bytes of an update that never committed; the archive is at its last commit");
}

void ArchiveWriter::Impl::begin() {
    if (!in_transaction) {
        db.begin_transaction(/*flushed=*/true);
        in_transaction = true;
    }
}

// The store is made durable first; only then does the index (with the store's new committed
// size) commit. A crash in between leaves store bytes that the next open truncates.
void ArchiveWriter::Impl::commit() {
    store->sync();
    state.store_bytes = store->size();
    ++state.commits;
    begin();
    write_state(db, state);
    db.commit_transaction();
    in_transaction = false;
    write_manifest();
}

// Each shard commits by itself, a thread each (Xapian has no transaction over several
// databases): a crash during this leaves every shard at a committed state, some with the batch
// and some without, as a crash between two batches of one archive leaves it with some of the
// input. Shard 0 holds sync's marks of the input files: when the batch changed one, it commits
// after the others, so that a mark is never committed before the documents it stands for (an
// interrupted sync reads the file again).
void ArchiveWriter::Impl::commit_shards() {
    wait_for_posted();
    if (posted.failed) std::rethrow_exception(std::exchange(posted.failed, nullptr));
    if (marks_changed) {
        at_once(shards.size() - 1, [this](std::size_t i) { shards[i + 1].commit(); });
        shards[0].commit();
    } else {
        at_once(shards.size(), [this](std::size_t i) { shards[i].commit(); });
    }
    marks_changed = false;
    write_manifest();
    posted_committed();
}

// The manifest is a copy for people; the index's metadata is authoritative.
void ArchiveWriter::Impl::write_manifest() {
    if (!shards.empty()) {
        manifest.documents = manifest.text_bytes = manifest.dead_documents = 0;
        for (const ArchiveWriter& shard : shards) {
            const Impl& s = *shard.impl_;
            manifest.documents += s.db.get_doccount();
            manifest.text_bytes += s.state.text_bytes;
            manifest.dead_documents += s.state.dead_documents;
        }
        manifest.updated = now_utc();
        manifest.updated_by = writer_name();
        manifest.write(path);
        return;
    }
    manifest.documents = db.get_doccount();
    manifest.text_bytes = state.text_bytes;
    manifest.store_file = state.store_file;
    manifest.store_bytes = state.store_bytes;
    manifest.dead_documents = state.dead_documents;
    manifest.updated = now_utc();
    manifest.updated_by = writer_name();
    manifest.write(path);
}

// The switch to a compacted generation (compact.cpp wrote it: the new store, and the index that
// points into it at xapian.compact/): the live index renamed aside, the new one into place, the
// old one and the old store removed. recover() completes a crash between the renames.
void ArchiveWriter::Impl::switch_to(const CommittedState& compacted) {
    const std::string live = sub(path, xapian_dir), fresh = sub(path, xapian_compact_dir),
                      old = sub(path, xapian_old_dir);
    boost::system::error_code ec;
    db.close();
    fs::rename(live, old, ec);
    if (!ec) fs::rename(fresh, live, ec);
    if (ec) throw ArchiveError(path, "cannot replace index by its compacted copy: " + ec.message());
    fs::remove_all(old, ec);
    db = open_db(path, Xapian::DB_OPEN);
    state = compacted;
    remove_other_stores(false);
    open_store_writer();
    write_manifest();
}

ArchiveWriter::ArchiveWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
// A WritableDatabase destroyed inside a transaction discards it: exactly what we want. The
// store's uncommitted bytes go too, so that they take no disk space until the next open.
ArchiveWriter::~ArchiveWriter() {
    if (impl_ && impl_->store) impl_->store->truncate_to(impl_->state.store_bytes);
}
ArchiveWriter::ArchiveWriter(ArchiveWriter&&) noexcept = default;

ArchiveWriter ArchiveWriter::create(const std::string& path, StoreOptions options,
                                    std::size_t shards) {
    refuse_remote(path);
    if (shards == 0) throw UsageError("an archive has at least one shard");
    if (fs::exists(path)) throw UsageError("archive " + path + " already exists");
    boost::system::error_code ec;
    fs::create_directories(path, ec);
    if (ec) throw ArchiveError(path, "cannot create directory: " + ec.message());
    Manifest m;
    m.schema_version = schema::version;
    m.created = m.updated = now_utc();
    m.created_by = m.updated_by = writer_name();
    m.store_options = options;
    if (shards > 1) {
        for (std::size_t i = 0; i < shards; ++i) m.shards.push_back(shard_dir_name(i));
        auto impl = std::make_unique<Impl>(path, m, WriterLock(path));
        for (std::size_t i = 0; i < shards; ++i) {
            impl->shards.push_back(create(sub(path, m.shards[i]), options));
            Manifest& own = impl->shards.back().impl_->manifest;
            own.shard_index = i;
            own.shard_count = shards;
            own.write(sub(path, m.shards[i]));
        }
        impl->write_manifest();
        return ArchiveWriter(std::move(impl));
    }
    auto impl = std::make_unique<Impl>(path, Impl::Opening::create, m, WriterLock(path));
    impl->state.store_file = store_file_name(1);
    impl->open_store_writer();
    impl->store->sync();
    impl->state.store_bytes = impl->store->size();
    impl->db.set_metadata(meta_created, m.created);
    impl->db.set_metadata(schema::meta_version, std::to_string(schema::version));
    write_state(impl->db, impl->state);
    impl->db.commit();
    impl->write_manifest();
    return ArchiveWriter(std::move(impl));
}

ArchiveWriter ArchiveWriter::open(const std::string& path, bool wait) {
    refuse_remote(path);
    std::vector<std::string> settled;
    settle(path, settled);
    Manifest m = Manifest::read(path);  // before the lock file is made: an archive?
    if (m.shard_count)
        throw UsageError(path + " is shard " + std::to_string(m.shard_index + 1) + " of " +
                         std::to_string(m.shard_count) +
                         " of an archive: update the archive, which routes each document to its "
                         "shard (its directory is this one's parent)");
    WriterLock lock(path, wait);
    // Read again under the lock: a writer that waited may find the archive replaced as a whole
    // (build --force, compact --shards), its number of shards changed.
    m = Manifest::read(path);
    std::unique_ptr<Impl> impl;
    if (m.shards.empty()) {
        impl = opened(
            std::make_unique<Impl>(path, Impl::Opening::open, std::move(m), std::move(lock)));
    } else {
        impl = std::make_unique<Impl>(path, m, std::move(lock));
        for (std::size_t i = 0; i < m.shards.size(); ++i) {
            const std::string dir = sub(path, m.shards[i]);
            Manifest own = Manifest::read(dir);
            if (own.shard_index != i || own.shard_count != m.shards.size())
                throw ArchiveError(dir, "is not shard " + std::to_string(i + 1) + " of " +
                                            std::to_string(m.shards.size()) +
                                            " as the archive's manifest says (damaged archive?)");
            impl->shards.push_back(ArchiveWriter(opened(std::make_unique<Impl>(
                dir, Impl::Opening::open, std::move(own), WriterLock(dir, wait)))));
            for (const std::string& note : impl->shards.back().notes())
                impl->notes.push_back(m.shards[i] + ": " + note);
        }
    }
    impl->notes.insert(impl->notes.begin(), settled.begin(), settled.end());
    return ArchiveWriter(std::move(impl));
}

std::unique_ptr<ArchiveWriter::Impl> ArchiveWriter::opened(std::unique_ptr<Impl> impl) {
    impl->manifest.format_version = archive_format_version;  // what it writes from now on
    impl->remove_other_stores(true);
    impl->open_store_writer();
    return impl;
}

void ArchiveWriter::commit() {
    if (impl_->shards.empty())
        impl_->commit();
    else
        impl_->commit_shards();
}

void replace_archive(const std::string& built, const std::string& target) {
    std::optional<WriterLock> lock;
    if (fs::exists(target)) {
        Manifest::read(target);  // refuse to replace something that is not an archive
        lock.emplace(target);
    }
    swap_in(built, target, lock.has_value());
}

std::string beside_this_process(const std::string& archive, const char* infix) {
    fs::path p(archive);
    if (p.filename() == "." || p.filename().empty()) p = p.parent_path();  // "a.panmun/"
    return p.string() + infix + std::to_string(::getpid());
}

void swap_in(const std::string& built, const std::string& target, bool replacing) {
    const std::string fresh = beside_this_process(target, beside_new);
    const std::string old = beside_this_process(target, beside_old);
    boost::system::error_code ec, undo;
    fs::rename(built, fresh, ec);
    if (ec) throw ArchiveError(built, "cannot rename the new archive: " + ec.message());
    if (replacing) {
        fs::rename(target, old, ec);
        if (ec) {
            fs::rename(fresh, built, undo);
            throw ArchiveError(target, "cannot move old archive aside: " + ec.message());
        }
    }
    fs::rename(fresh, target, ec);
    if (ec) {
        if (replacing) fs::rename(old, target, undo);
        throw ArchiveError(target, "cannot move new archive in place: " + ec.message());
    }
    if (replacing) fs::remove_all(old, ec);
}

void settle(const std::string& path, std::vector<std::string>& notes) {
    auto alive = [](long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; };
    auto name = [](const std::string& dir) { return fs::path(dir).filename().string(); };
    boost::system::error_code ec;
    for (int wait = 0;; ++wait) {
        auto waiting = beside(path, beside_new);
        if (waiting.empty() || fs::exists(path)) break;
        auto [dir, pid] = waiting.front();
        if (!alive(pid)) {
            fs::rename(dir, path, ec);
            if (!ec)
                notes.push_back("completed the replacement of the archive by " + name(dir) +
                                ", interrupted between its renames");
        } else if (wait == 200) {
            break;  // 2 s: Manifest::read says what is missing
        } else {
            ::usleep(10000);  // the live replacer's last rename comes next
        }
    }
    const std::pair<const char*, const char*> left[] = {
        {beside_new, "replacement that had not started"},
        {beside_old, "replacement"},
        {beside_building, "build"},
        {beside_reshard, "compact --shards"}};
    for (const auto& [infix, what] : left)
        for (const auto& [dir, pid] : beside(path, infix))
            if (!alive(pid) && fs::exists(path)) {
                fs::remove_all(dir, ec);
                if (!ec)
                    notes.push_back("removed " + name(dir) + ", left beside it by an interrupted " +
                                    what);
            }
}

}  // namespace panmun
