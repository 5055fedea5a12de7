// ArchiveReader: an archive at its last commit, read-only.
#include <boost/filesystem.hpp>
#include <optional>

#include "archive/layout.hpp"
#include "panmun/archive.hpp"
#include "panmun/errors.hpp"
#include "panmun/schema.hpp"

namespace fs = boost::filesystem;

namespace panmun {

using namespace archive;

struct ArchiveReader::Impl {
    std::string path;
    Manifest manifest;
    Xapian::Database db;
    CommittedState state;
    std::optional<DocumentStore> store;
    mutable std::optional<Gazetteer> own_gazetteer;  // when the archive has entities of its own
    mutable bool gazetteer_read = false;
    std::shared_ptr<ClusterCache> clusters;  // share_clusters()

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
                store->share_clusters(clusters);
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
    return location_of(entry, impl_->path);
}

Document ArchiveReader::fetch(Xapian::docid docid) const {
    Xapian::Document entry = impl_->db.get_document(docid);
    return impl_->store->fetch(location(entry), entry.get_data());
}

void ArchiveReader::share_clusters(std::shared_ptr<ClusterCache> cache) {
    impl_->clusters = cache;
    impl_->store->share_clusters(std::move(cache));
}

void ArchiveReader::reopen() {
    if (!impl_->db.reopen()) return;
    impl_->own_gazetteer.reset();
    impl_->gazetteer_read = false;
    if (CommittedState::of(impl_->db).store_file != impl_->state.store_file) impl_->open_store();
    impl_->state = CommittedState::of(impl_->db);
}

}  // namespace panmun
