// archive_stats() and verify_archive().
#include "panmun/inspect.hpp"

#include <boost/filesystem.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "archive/layout.hpp"
#include "panmun/errors.hpp"
#include "panmun/schema.hpp"

namespace fs = boost::filesystem;

namespace panmun {
ArchiveStats archive_stats(const ArchiveReader& archive) {
    const Xapian::Database& db = archive.database();
    ArchiveStats s;
    s.documents = db.get_doccount();
    const Manifest& manifest = archive.manifest();
    auto add_up = [&](const ArchiveReader& one) {
        s.text_bytes += one.state().text_bytes;
        s.store_bytes += one.state().store_bytes;
        s.index_bytes += archive::directory_bytes(archive::sub(one.path(), archive::xapian_dir));
        s.dead_documents += one.state().dead_documents;
        s.dictionary = s.dictionary || one.store().has_dictionary();
    };
    if (manifest.shards.empty()) add_up(archive);
    for (const std::string& shard : manifest.shards)
        add_up(ArchiveReader(archive::sub(archive.path(), shard)));
    s.format_version = manifest.format_version;
    s.schema_version = schema::version_of(db);
    s.created = manifest.created;
    s.created_by = manifest.created_by;
    s.updated = manifest.updated;
    s.updated_by = manifest.updated_by;
    std::uint64_t dated = 0;
    const std::string prefix = schema::prefix_year;
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
        std::string term = *it;
        if (term.size() != prefix.size() + 4) continue;
        s.per_year[std::stoi(term.substr(prefix.size()))] = it.get_termfreq();
        dated += it.get_termfreq();
    }
    s.undated = s.documents - dated;
    return s;
}

VerifyReport verify_archive(const std::string& path,
                            const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
    VerifyReport report;
    auto problem = [&](std::string what) { report.problems.push_back(std::move(what)); };

    // An archive of shards: each shard, as an archive (which checks that each of its documents
    // is routed to it), what each finds named by the shard.
    std::optional<Manifest> sharded;
    try {
        if (Manifest m = Manifest::read(path); !m.shards.empty()) sharded = std::move(m);
    } catch (const Error&) {  // reported below, where the archive is opened
    }
    if (sharded) {
        std::uint64_t before = 0;
        for (const std::string& shard : sharded->shards) {
            VerifyReport one =
                verify_archive(archive::sub(path, shard), [&](std::uint64_t done, std::uint64_t) {
                    if (progress) progress(before + done, sharded->documents);
                });
            before += one.documents;
            report.documents += one.documents;
            report.clusters += one.clusters;
            report.store_documents += one.store_documents;
            for (auto& p : one.problems) report.problems.push_back(shard + ": " + p);
            for (auto& n : one.notes) report.notes.push_back(shard + ": " + n);
        }
        if (report.documents != sharded->documents)
            report.notes.push_back(
                "manifest.json lags the shards (a writer was stopped, or is still adding: the "
                "shards commit by themselves, the manifest follows at the end of each input); "
                "the next writer's last commit rewrites it");
        return report;
    }

    // 1. The Xapian tables, structurally: of the index readers read, which is xapian.compact/
    //    when a compaction was interrupted between its two renames (the next writer completes
    //    it; readers use it meanwhile).
    const std::string index = archive::index_dir(path);
    if (index != archive::sub(path, archive::xapian_dir))
        report.notes.push_back(
            "a compaction was interrupted between its two renames: readers read its new index "
            "(xapian.compact/), which the next writer renames into place");
    try {
        std::ostringstream detail;
        std::size_t errors = Xapian::Database::check(index, 0, &detail);
        if (errors)
            problem("index: Xapian finds " + std::to_string(errors) + " error(s) in its tables");
    } catch (const Xapian::Error& e) {
        problem("index: " + e.get_description());
    }

    // 2. Manifest, index and store open (a version mismatch or missing file stops here).
    std::optional<ArchiveReader> archive;
    try {
        archive.emplace(path);
    } catch (const Error& e) {
        problem(e.what());
        return report;
    }
    const Xapian::Database& db = archive->database();
    const CommittedState& state = archive->state();
    const Manifest& manifest = archive->manifest();
    if (manifest.documents != db.get_doccount() || manifest.store_file != state.store_file ||
        manifest.store_bytes != state.store_bytes)
        report.notes.push_back(
            "manifest.json lags the index (a commit was interrupted before "
            "rewriting it); the next commit rewrites it");

    // 3. Every index entry: a unique id and a valid store location, no location used twice.
    struct Entry {
        std::string id;
        std::uint32_t index;
    };
    std::map<std::uint64_t, std::vector<Entry>> by_cluster;
    std::set<std::pair<std::uint64_t, std::uint32_t>> used;
    const std::uint64_t total = db.get_doccount();
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        ++report.documents;
        Xapian::Document entry = db.get_document(*it);
        std::string id = entry.get_data();
        if (manifest.shard_count && shard_of(id, manifest.shard_count) != manifest.shard_index)
            problem("index: document " + id + " is in shard " +
                    std::to_string(manifest.shard_index + 1) + ", but its id belongs in shard " +
                    std::to_string(shard_of(id, manifest.shard_count) + 1));
        if (db.get_termfreq(schema::id_term(id)) != 1)
            problem("index: document " + id + " (docid " + std::to_string(*it) + ") has " +
                    std::to_string(db.get_termfreq(schema::id_term(id))) + " entries for its id");
        StoreLocation where;
        try {
            where = archive->location(entry);
        } catch (const Error& e) {
            problem(e.what());
            continue;
        }
        if (where.cluster_offset >= state.store_bytes)
            problem("index: document " + id + " points past the committed store (offset " +
                    std::to_string(where.cluster_offset) + ")");
        else if (!used.insert({where.cluster_offset, where.index}).second)
            problem("index: document " + id + " shares its store location with another document");
        else
            by_cluster[where.cluster_offset].push_back({id, where.index});
        if (progress && report.documents % 4096 == 0) progress(report.documents, total);
    }

    // 4. Every cluster the index uses: checksum, decompression, and the ids it holds.
    std::uint64_t referenced_documents = 0;
    for (const auto& [offset, entries] : by_cluster) {
        try {
            std::vector<Document> docs = archive->store().read_cluster(offset);
            ++report.clusters;
            for (const Entry& e : entries) {
                if (e.index >= docs.size())
                    problem("store: document " + e.id + ": cluster at offset " +
                            std::to_string(offset) + " has no document " + std::to_string(e.index));
                else if (docs[e.index].id != e.id)
                    problem("store: document " + e.id + " at offset " + std::to_string(offset) +
                            " holds document " + docs[e.index].id + " instead");
                else
                    ++referenced_documents;
            }
        } catch (const CorruptDataError& e) {
            std::string ids;
            for (std::size_t i = 0; i < entries.size() && i < 5; ++i)
                ids += (i ? ", " : "") + entries[i].id;
            if (entries.size() > 5) ids += ", ...";
            problem(std::string(e.what()) + " (documents " + ids + ")");
        }
    }

    // 5. The whole store, cluster by cluster: documents the index does not know must be exactly
    //    the replaced and deleted ones the index counts.
    try {
        archive->store().scan(state.store_bytes, [&](std::uint64_t, std::vector<Document>& docs) {
            report.store_documents += docs.size();
        });
        std::uint64_t unknown =
            report.store_documents - std::min(report.store_documents, referenced_documents);
        if (report.problems.empty() && unknown != state.dead_documents)
            problem("store: holds " + std::to_string(unknown) +
                    " document(s) the index does not know, but the index counts " +
                    std::to_string(state.dead_documents) + " replaced or deleted");
        else if (unknown)
            report.notes.push_back(std::to_string(unknown) +
                                   " replaced or deleted document(s) wait for compact");
    } catch (const CorruptDataError& e) {
        if (report.problems.empty()) problem(e.what());  // damage outside any indexed cluster
    }
    if (progress) progress(report.documents, total);
    return report;
}

}  // namespace panmun
