// ArchiveWriter's changes to an archive: add, replace, remove, the archive's own entities and
// retagging. What makes them durable together is in protocol.cpp.
#include "archive/writer_impl.hpp"
#include "panmun/errors.hpp"
#include "panmun/query.hpp"
#include "panmun/schema.hpp"

namespace panmun {

using namespace archive;

namespace {

bool has_term(const Xapian::Document& doc, const std::string& term) {
    auto it = doc.termlist_begin();
    it.skip_to(term);
    return it != doc.termlist_end() && *it == term;
}

}  // namespace

std::vector<const Entity*> entities_of(const Gazetteer& gazetteer, const Document& doc) {
    korean::Context context;
    if (doc.date.is_set()) context.date = doc.date;
    return gazetteer.tag(doc.title + "\n" + doc.text, context);
}

Xapian::docid ArchiveWriter::Impl::forget(const std::string& term) {
    Xapian::PostingIterator it = db.postlist_begin(term);
    if (it == db.postlist_end(term)) return 0;
    std::string len = db.get_document(*it).get_value(schema::slot_text_bytes);
    state.text_bytes -=
        len.empty() ? 0 : static_cast<std::uint64_t>(Xapian::sortable_unserialise(len));
    ++state.dead_documents;
    return *it;
}

ArchiveWriter::AddResult ArchiveWriter::add(const Document& doc, const std::string& origin) {
    return impl_->add(doc, nullptr, origin);
}

ArchiveWriter::AddResult ArchiveWriter::add(const Document& doc, Xapian::Document entry,
                                            const std::string& origin) {
    return impl_->add(doc, &entry, origin);
}

Xapian::Document ArchiveWriter::prepare(const Document& doc, const std::string& origin) const {
    return schema::make_document(doc, StoreLocation{}, origin, entities_of(impl_->gazetteer, doc),
                                 impl_->schema);
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
                                                              entities_of(gazetteer, doc), schema);
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
    enquire.set_query(build_query(query, d.db, [&]() -> const Gazetteer& { return d.gazetteer; }));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    Xapian::MSet matches = enquire.get_mset(0, d.db.get_doccount());
    std::vector<std::string> ids;
    for (auto it = matches.begin(); it != matches.end(); ++it)
        ids.push_back(it.get_document().get_data());
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
    for (auto it = impl_->db.metadata_keys_begin(prefix); it != impl_->db.metadata_keys_end(prefix);
         ++it)
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

RetagReport ArchiveWriter::retag(
    const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
    auto& d = *impl_;
    RetagReport report;
    commit();  // everything added so far is readable from the store file
    DocumentStore stored(sub(d.path, d.state.store_file));
    const std::uint64_t total = d.db.get_doccount();
    std::vector<Xapian::docid> ids;
    for (auto it = d.db.postlist_begin(""); it != d.db.postlist_end(""); ++it) ids.push_back(*it);
    for (Xapian::docid id : ids) {
        Xapian::Document entry = d.db.get_document(id);
        Document doc = stored.fetch(location_of(entry, d.path), entry.get_data());
        std::vector<const Entity*> entities = entities_of(d.gazetteer, doc);
        std::string wanted = schema::entities_value(entities);
        ++report.documents;
        if (entry.get_value(schema::slot_entities) != wanted) {
            std::vector<std::string> old;
            for (const char* prefix : {schema::prefix_person, schema::prefix_org,
                                       schema::prefix_place, schema::prefix_event})
                for (auto t = entry.termlist_begin(); t != entry.termlist_end(); ++t) {
                    t.skip_to(prefix);
                    if (t == entry.termlist_end() || (*t).rfind(prefix, 0) != 0) break;
                    old.push_back(*t);
                }
            for (const auto& t : old) entry.remove_term(t);
            for (const Entity* e : entities) entry.add_boolean_term(schema::entity_term(*e));
            if (wanted.empty())
                entry.remove_value(schema::slot_entities);
            else
                entry.add_value(schema::slot_entities, wanted);
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

std::uint64_t ArchiveWriter::document_count() const { return impl_->db.get_doccount(); }
const std::string& ArchiveWriter::path() const { return impl_->path; }
const Gazetteer& ArchiveWriter::gazetteer() const { return impl_->gazetteer; }
const std::vector<std::string>& ArchiveWriter::notes() const { return impl_->notes; }

}  // namespace panmun
