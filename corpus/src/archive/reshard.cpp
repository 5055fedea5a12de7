// ArchiveWriter::reshard(): an archive rewritten with another number of shards. Built beside the
// archive under its lock: every document stored again in the shard of its id, its index entry
// made again from its text with what the text does not give kept (copy_of), the new shards a
// thread each; then compacted, and swapped in (protocol.cpp).
#include <atomic>
#include <boost/filesystem.hpp>
#include <chrono>

#include "archive/writer_impl.hpp"
#include "panmun/errors.hpp"
#include "panmun/schema.hpp"

namespace fs = boost::filesystem;

namespace panmun {

using namespace archive;

namespace {

// The index entry `old` of `doc` made again: its text's terms and values as the schema makes
// them, and from `old` what it does not derive from the text, the file it came from and the
// entities it was tagged with (copying `old` itself would read each term's positions by
// itself, and took 2.5 times as long on KCNA as this).
Xapian::Document copy_of(const Xapian::Document& old, const Document& doc, int schema_version) {
    Xapian::Document entry = schema::make_document(doc, StoreLocation{}, {}, {}, schema_version);
    // Those terms' prefixes all start with X (schema.hpp).
    auto term = old.termlist_begin();
    for (term.skip_to("X"); term != old.termlist_end() && (*term)[0] == 'X'; ++term)
        for (const char* prefix : {schema::prefix_origin, schema::prefix_person, schema::prefix_org,
                                   schema::prefix_place, schema::prefix_event})
            if ((*term).rfind(prefix, 0) == 0) entry.add_boolean_term(*term);
    if (std::string tags = old.get_value(schema::slot_entities); !tags.empty())
        entry.add_value(schema::slot_entities, tags);
    return entry;
}

}  // namespace

CompactReport ArchiveWriter::reshard(
    const std::string& path, std::size_t shards, Compaction how, bool wait,
    const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
    if (shards == 0) throw UsageError("an archive has at least one shard");
    ArchiveWriter from = open(path, wait);  // holds the archive's lock until it is swapped
    std::vector<const Impl*> sources;       // the archives it is made of: itself or its shards
    if (from.shards().empty())
        sources.push_back(from.impl_.get());
    else
        for (const ArchiveWriter& s : from.shards()) sources.push_back(s.impl_.get());
    const Impl& first = *sources.front();
    // A store compacted --best has a dictionary trained on its documents: so will the new ones.
    if (DocumentStore(sub(first.path, first.state.store_file)).has_dictionary())
        how = Compaction::best;

    const std::string building = beside_this_process(path, beside_reshard);
    CompactReport report;
    try {
        const auto start = std::chrono::steady_clock::now();
        ArchiveWriter to = create(building, from.impl_->manifest.store_options, shards);
        std::vector<Impl*> targets;
        if (to.shards().empty())
            targets.push_back(to.impl_.get());
        else
            for (ArchiveWriter& s : to.shards()) targets.push_back(s.impl_.get());
        // The entries copied are of the old archive's index schema: so is the new one.
        const std::string created = first.db.get_metadata(meta_created);
        for (Impl* t : targets) {
            t->schema = first.schema;
            t->manifest.created = from.impl_->manifest.created;
            t->begin();
            t->db.set_metadata(schema::meta_version, std::to_string(first.schema));
            if (!created.empty()) t->db.set_metadata(meta_created, created);
        }
        to.impl_->manifest.created = from.impl_->manifest.created;
        if (std::string tsv = first.db.get_metadata(meta_entities); !tsv.empty())
            to.set_entities(tsv, path);

        // Each new shard reads every old one (its committed state, through a reader of its own)
        // in store order and takes the documents whose ids are its.
        const std::uint64_t total = from.document_count();
        std::atomic<std::uint64_t> done{0};
        at_once(targets.size(), [&](std::size_t k) {
            Impl& t = *targets[k];
            std::uint64_t mine = 0;
            for (const Impl* source : sources) {
                Xapian::Database db(index_dir(source->path));
                DocumentStore store(sub(source->path, source->state.store_file));
                ClusterReader documents(store);
                for (Xapian::docid did : compaction_order(db)) {
                    Xapian::Document old = db.get_document(did);
                    if (targets.size() > 1 && shard_of(old.get_data(), targets.size()) != k)
                        continue;
                    const Document& doc = documents.at(location_of(old, source->path));
                    Xapian::Document entry = copy_of(old, doc, first.schema);
                    t.add(doc, &entry, {});
                    // Batches as a build's: a transaction holds its entries in memory.
                    if (++mine % 1000 == 0) t.commit();
                    const std::uint64_t n = ++done;
                    if (k == 0 && progress && mine % 1000 == 0) progress(n, total);
                }
            }
        });
        for (const std::string& file : from.marked_files())
            to.set_file_mark(file, from.file_mark(file));
        to.commit();
        if (progress) progress(total, total);
        report = to.compact(how);
        report.copy_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() -
            report.store_seconds - report.index_seconds;
    } catch (...) {
        boost::system::error_code ec;
        fs::remove_all(building, ec);
        throw;
    }
    swap_in(building, path, true);
    report.notes = from.notes();
    return report;
}

}  // namespace panmun
