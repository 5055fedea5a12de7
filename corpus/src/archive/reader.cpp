// ArchiveReader: an archive at its last commit, read-only; or several archives as one.
#include <sys/stat.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <utility>

#include "archive/layout.hpp"
#include "archive/remote.hpp"
#include "archive/threads.hpp"
#include "panmun/archive.hpp"
#include "panmun/errors.hpp"
#include "panmun/schema.hpp"

namespace fs = boost::filesystem;

namespace panmun {

using namespace archive;

namespace {

// Which directory a path names (device, inode); {0, 0} if none.
std::pair<dev_t, ino_t> identity(const std::string& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return {0, 0};
    return {st.st_dev, st.st_ino};
}

// One archive of a reader: its index at a committed revision and the store that revision names;
// or a shard on another host (remote.hpp), whose index Xapian's remote backend reads and whose
// texts its host's text server sends.
struct Part {
    std::string path;     // or the remote shard's name, "tcp://..."
    std::string archive;  // the archive it is part of, as named: itself, or an archive of shards
    std::optional<RemoteShard> remote;
    Manifest manifest;  // of a local archive
    Xapian::Database db;
    std::pair<dev_t, ino_t> index_identity;  // of the directory db was opened from
    CommittedState state;
    std::optional<DocumentStore> store;  // of a local archive
    std::optional<TextClient> texts;     // of a remote shard

    // `known`: its manifest, if the caller has read it already.
    Part(const std::string& p, const std::string& of, std::optional<Manifest> known = {})
        : path(p), archive(of), remote(RemoteShard::parse(p)) {
        if (!remote) manifest = known ? std::move(*known) : Manifest::read(p);
        if (!manifest.shards.empty())
            throw ArchiveError(p, "a shard that is an archive of shards (damaged archive?)");
        open_index();
    }

    // A compaction replaces the index directory by another whose revisions start again from
    // 1: Xapian's reopen() does not notice when the new revision number is the old one. The
    // directory is looked at before it is opened, so that a replacement in between is seen at
    // the next replaced().
    void open_index() {
        if (remote) {
            db = remote->open(path);
            return;
        }
        const std::string dir = index_dir(path);
        index_identity = identity(dir);
        try {
            db = Xapian::Database(dir);
        } catch (const Xapian::Error& e) {
            throw ArchiveError(path, "cannot open index: " + e.get_description());
        }
    }
    bool replaced() const {
        // A remote shard's server opens the index when a connection opens, and follows its
        // commits (Database::reopen), but not a compaction, which replaces the directory: the
        // text server on the shard's host says which index is there now (a request on the
        // connection already open, where connecting again makes xapian-tcpsrv fork).
        if (remote) return !texts || texts->index_uuid() != db.get_uuid();
        const auto now = identity(index_dir(path));
        return now.second != 0 && now != index_identity;
    }

    // Opens the store file that the index's snapshot names. A compaction may commit and remove
    // that file between the two opens: then the index is reopened and the new file taken.
    void open_store(const std::shared_ptr<ClusterCache>& clusters) {
        if (remote) {
            state = CommittedState::of(db);
            if (!texts) texts.emplace(*remote, path);
            return;
        }
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

    // After the combined database reopened (which reopens this part's index, the same Xapian
    // object): the store of the new revision, if a compaction changed it.
    void follow(const std::shared_ptr<ClusterCache>& clusters) {
        CommittedState now = CommittedState::of(db);
        if (now.store_file != state.store_file)
            open_store(clusters);  // reads the state itself
        else
            state = std::move(now);
    }

    // This archive's document `local` (a docid of its own index).
    Document fetch(Xapian::docid local) const { return fetch(db.get_document(local)); }
    // The document of one of this archive's index entries.
    Document fetch(const Xapian::Document& entry) const {
        if (remote) return texts->fetch(entry.get_data());
        return store->fetch(location_of(entry, path), entry.get_data());
    }
};

}  // namespace

struct ArchiveReader::Impl {
    std::vector<Part> parts;  // at least one
    Manifest manifest;        // of the first archive named (of an archive of shards: its own)
    Xapian::Database db;      // the parts' indexes added together
    mutable std::optional<Gazetteer> own_gazetteer;  // when an archive has entities of its own
    mutable bool gazetteer_read = false;
    std::shared_ptr<ClusterCache> clusters;  // share_clusters()
    std::vector<std::string> paths;          // as given
    // The local archives given and the directory each was read from: build --force and compact
    // --shards replace the whole directory (compact --shards its shards by others).
    std::vector<std::pair<std::string, std::pair<dev_t, ino_t>>> named;

    explicit Impl(const std::vector<std::string>& given) : paths(given) {
        if (paths.empty()) throw UsageError("no archive given");
        // Every archive and shard read (by its canonical path) -> the archive it was read as
        // (canonical, and as named).
        std::map<std::string, std::pair<std::string, std::string>> seen;
        auto canonical = [](const std::string& dir) {
            boost::system::error_code ec;
            fs::path c = fs::canonical(dir, ec);
            return ec ? dir : c.string();
        };
        auto read_once = [&](const std::string& dir, const std::string& as) {
            auto [it, first] = seen.emplace(canonical(dir), std::make_pair(canonical(as), as));
            if (first) return;
            if (it->second.first == canonical(as))
                throw UsageError("archive " + as + " is given twice");
            throw UsageError(dir + " is a shard of archive " +
                             (dir == as ? it->second.second : as) +
                             ", which is given too: its documents would count twice");
        };
        for (const std::string& p : paths) {
            // (A replacement interrupted between its renames: the complete new archive.)
            const std::string at = is_remote_shard(p) ? p : settled_dir(p);
            read_once(at, p);
            // An archive of shards is read as its shards added together (they are one corpus
            // split by id, not several: each document in one of them).
            std::optional<Manifest> m;
            if (!is_remote_shard(p)) {
                m = Manifest::read(at);
                named.emplace_back(p, identity(at));
            }
            if (m && !m->shards.empty())
                for (const std::string& shard : m->shards) {
                    read_once(sub(at, shard), p);
                    parts.emplace_back(sub(at, shard), p);
                }
            else
                parts.emplace_back(at, p, m);
            if (&p == &paths.front() && m) manifest = *m;
        }
        // A query is built for one index schema (schema::version_of): not a mix.
        const int schema = schema::version_of(parts.front().db);
        for (Part& part : parts) {
            if (schema::version_of(part.db) != schema)
                throw UsageError("archives " + parts.front().path + " (index schema " +
                                 std::to_string(schema) + ") and " + part.path + " (schema " +
                                 std::to_string(schema::version_of(part.db)) +
                                 ") cannot be searched together: rebuild the older one with "
                                 "this panmun-index");
            db.add_database(part.db);
            part.open_store(clusters);
        }
    }

    // Threads that work on parts beside the caller's (each_part()), made when first needed.
    mutable HelperThreads helpers;

    // Runs f(k) for every part k, on this thread and helpers (HelperThreads::each): f(k) must
    // touch part k's own index and store only. A reader is used by one thread at a time.
    void each_part(const std::function<void(std::size_t)>& f) const {
        helpers.each(parts.size(), f);
    }

    // The part holding document `docid` of the combined database, and its docid there.
    std::pair<const Part*, Xapian::docid> locate(Xapian::docid docid) const {
        const std::size_t n = parts.size();
        return {&parts[(docid - 1) % n], static_cast<Xapian::docid>((docid - 1) / n + 1)};
    }
};

bool is_remote_shard(const std::string& name) { return name.rfind("tcp://", 0) == 0; }

ArchiveReader::ArchiveReader(const std::string& path)
    : impl_(std::make_unique<Impl>(std::vector<std::string>{path})) {}
ArchiveReader::ArchiveReader(const std::vector<std::string>& paths)
    : impl_(std::make_unique<Impl>(paths)) {}
ArchiveReader::~ArchiveReader() = default;
ArchiveReader::ArchiveReader(ArchiveReader&&) noexcept = default;

const std::string& ArchiveReader::path() const { return impl_->parts.front().archive; }
std::string ArchiveReader::name() const {
    std::string out;
    for (std::size_t i = 0; i < impl_->parts.size(); ++i)
        if (i == 0 || impl_->parts[i].archive != impl_->parts[i - 1].archive)  // a shard's next
            out += (out.empty() ? "" : " + ") + impl_->parts[i].archive;
    return out;
}

const Manifest& ArchiveReader::manifest() const { return impl_->manifest; }
const Xapian::Database& ArchiveReader::database() const { return impl_->db; }
const DocumentStore& ArchiveReader::store() const {
    const Part& first = impl_->parts.front();
    if (!first.store)
        throw UsageError(first.path +
                         " is a remote shard: read its store on its host (panmun-index stats, "
                         "verify there)");
    return *first.store;
}
bool ArchiveReader::has_remote() const {
    for (const Part& part : impl_->parts)
        if (part.remote) return true;
    return false;
}
std::size_t ArchiveReader::part_count() const { return impl_->parts.size(); }
void ArchiveReader::each_index(
    const std::function<void(std::size_t, const Xapian::Database&)>& f) const {
    const auto& d = *impl_;
    for (const Part& part : d.parts)
        if (part.remote)
            throw UsageError(part.path + " is a remote shard: read through Xapian's server");
    d.each_part([&](std::size_t k) { f(k, d.parts[k].db); });
}
std::vector<Xapian::doccount> ArchiveReader::term_frequencies(
    const std::vector<std::string>& terms) const {
    const auto& d = *impl_;
    std::vector<Xapian::doccount> n(terms.size());
    if (has_remote()) {  // the statistics of a match that returns nothing
        std::vector<Xapian::Query> asked(terms.begin(), terms.end());
        Xapian::Enquire enquire(d.db);
        enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, asked.begin(), asked.end()));
        const Xapian::MSet stats = enquire.get_mset(0, 0);
        for (std::size_t i = 0; i < terms.size(); ++i) n[i] = stats.get_termfreq(terms[i]);
        return n;
    }
    // In the order of the terms: a lookup then mostly finds its B-tree block where the last one
    // left Xapian's cursor, rather than reading two blocks again (an example's words and their
    // stems, asked as they come, alternate between two ends of the table).
    std::vector<std::size_t> order(terms.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return terms[a] < terms[b]; });
    std::vector<std::vector<Xapian::doccount>> of(d.parts.size(), n);
    d.each_part([&](std::size_t k) {
        for (std::size_t j = 0; j < order.size(); ++j) {
            const std::size_t i = order[j];
            of[k][i] = j > 0 && terms[order[j - 1]] == terms[i]
                           ? of[k][order[j - 1]]
                           : d.parts[k].db.get_termfreq(terms[i]);
        }
    });
    for (const auto& part : of)
        for (std::size_t i = 0; i < terms.size(); ++i) n[i] += part[i];
    return n;
}
const CommittedState& ArchiveReader::state() const { return impl_->parts.front().state; }
std::uint64_t ArchiveReader::document_count() const { return impl_->db.get_doccount(); }
std::size_t ArchiveReader::archive_count() const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < impl_->parts.size(); ++i)
        n += i == 0 || impl_->parts[i].archive != impl_->parts[i - 1].archive;
    return n;
}

const std::string& ArchiveReader::archive_of(Xapian::docid docid) const {
    return impl_->locate(docid).first->archive;
}

std::string ArchiveReader::revision() const {
    std::string out;
    for (const Part& part : impl_->parts) {
        out += out.empty() ? "" : "+";
        if (part.remote) {
            // Xapian's remote backend has no revision: what each commit changes, as read when
            // the reader last moved (follow()), not asked of the server again.
            const CommittedState& now = part.state;
            out += "r" + std::to_string(now.commits) + "-" + std::to_string(now.store_bytes) + "-" +
                   std::to_string(now.dead_documents) + "-" +
                   std::to_string(part.db.get_lastdocid());
        } else {
            out += std::to_string(part.db.get_revision());
        }
        out += "." + part.db.get_uuid().substr(0, 8);
    }
    return out;
}

const Gazetteer& ArchiveReader::gazetteer() const {
    if (!impl_->gazetteer_read) {
        for (const Part& part : impl_->parts) {
            if (part.db.get_metadata(meta_entities).empty()) continue;
            Gazetteer own = archive_gazetteer(part.db, part.path);
            if (impl_->own_gazetteer)
                impl_->own_gazetteer->merge(own);
            else
                impl_->own_gazetteer = std::move(own);
        }
        impl_->gazetteer_read = true;
    }
    return impl_->own_gazetteer ? *impl_->own_gazetteer : Gazetteer::builtin();
}

std::optional<std::pair<Document, std::string>> ArchiveReader::find_with_archive(
    const std::string& id) {
    const std::string term = schema::id_term(id);
    for (int attempt = 1;; ++attempt) {
        try {
            // The first archive in the reader's order that has it (the combined database's
            // first posting may be a later archive's: Xapian interleaves their docids).
            for (const Part& part : impl_->parts) {
                Xapian::PostingIterator it = part.db.postlist_begin(term);
                if (it == part.db.postlist_end(term)) continue;
                return std::make_pair(part.fetch(*it), part.archive);
            }
            return std::nullopt;
        } catch (const Xapian::DatabaseModifiedError&) {
            // A writer committed twice since this reader opened: move to the newest state.
            if (attempt == 3) throw;
            reopen();
        }
    }
}

std::optional<Document> ArchiveReader::find(const std::string& id) {
    auto found = find_with_archive(id);
    if (!found) return std::nullopt;
    return std::move(found->first);
}

StoreLocation ArchiveReader::location(const Xapian::Document& entry) const {
    return location_of(entry, path());
}

Document ArchiveReader::fetch(Xapian::docid docid) const {
    auto [part, local] = impl_->locate(docid);
    return part->fetch(local);
}

std::vector<Document> ArchiveReader::fetch(
    const std::vector<std::pair<Xapian::docid, Xapian::Document>>& hits) const {
    const auto& d = *impl_;
    std::vector<Document> docs(hits.size());
    std::map<const Part*, std::vector<std::size_t>> remote;  // each shard's hits, by position
    // Local parts' hits: where each is stored, read from the index here; then the parts'
    // documents read and decompressed at once, the parts shared among this thread and helpers
    // (each part's store is its own): a page of hits from two shards in about half the time.
    struct Local {
        std::size_t position;
        StoreLocation where;
        std::string id;
    };
    std::vector<std::vector<Local>> local(d.parts.size());
    for (std::size_t i = 0; i < hits.size(); ++i) {
        const Part* part = d.locate(hits[i].first).first;
        if (part->remote)
            remote[part].push_back(i);
        else
            local[part - d.parts.data()].push_back(
                {i, location_of(hits[i].second, part->path), hits[i].second.get_data()});
    }
    auto fetch_part = [&](std::size_t k) {
        for (const Local& hit : local[k])
            docs[hit.position] = d.parts[k].store->fetch(hit.where, hit.id);
    };
    if (std::count_if(local.begin(), local.end(), [](const auto& l) { return !l.empty(); }) > 1)
        d.each_part(fetch_part);
    else
        for (std::size_t k = 0; k < local.size(); ++k) fetch_part(k);
    for (const auto& [part, positions] : remote) {
        std::vector<std::string> ids;
        for (std::size_t i : positions) ids.push_back(hits[i].second.get_data());
        std::vector<Document> fetched = part->texts->fetch(ids);
        for (std::size_t k = 0; k < positions.size(); ++k)
            docs[positions[k]] = std::move(fetched[k]);
    }
    return docs;
}

void ArchiveReader::share_clusters(std::shared_ptr<ClusterCache> cache) {
    impl_->clusters = cache;
    for (Part& part : impl_->parts)
        if (part.store) part.store->share_clusters(cache);
}

void ArchiveReader::reopen() {
    for (const auto& [given, was] : impl_->named) {
        const auto now = identity(settled_dir(given));
        if (now.second != 0 && now != was) {
            // An archive given was replaced as a whole: read them all again.
            auto cache = impl_->clusters;
            impl_ = std::make_unique<Impl>(impl_->paths);
            if (cache) share_clusters(cache);
            return;
        }
    }
    auto& d = *impl_;
    bool replaced = false;
    for (Part& part : d.parts)
        if (part.replaced()) {
            part.open_index();
            replaced = true;
        }
    bool reopened = false;
    if (!replaced) {
        try {
            reopened = d.db.reopen();
        } catch (const Xapian::DatabaseOpeningError&) {
            // A compaction renamed an index away between the look at its directory and the
            // reopen (Xapian reopens by path): open every part's index again, where it is now.
            for (Part& part : d.parts) part.open_index();
            replaced = true;
        } catch (const Xapian::NetworkError&) {
            // xapian-tcpsrv closed a remote shard's connection (idle for a minute, by default,
            // in a web server's pool of readers): connect again.
            for (Part& part : d.parts) part.open_index();
            replaced = true;
        }
    }
    if (replaced) {  // the combined database holds the parts' old indexes
        d.db = Xapian::Database();
        for (const Part& part : d.parts) d.db.add_database(part.db);
    }
    if (!reopened && !replaced) return;
    impl_->own_gazetteer.reset();
    impl_->gazetteer_read = false;
    for (Part& part : impl_->parts) part.follow(impl_->clusters);
}

}  // namespace panmun
