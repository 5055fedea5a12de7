// ArchiveWriter's changes to an archive: add, replace, remove, the archive's own entities and
// retagging. What makes them durable together is in protocol.cpp.
#include <algorithm>

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

ArchiveWriter& ArchiveWriter::shard(const std::string& id) const {
    return shards()[shard_of(id, impl_->shards.size())];
}
// Whatever works on the shards through here comes after the additions posted to them.
std::vector<ArchiveWriter>& ArchiveWriter::shards() const {
    impl_->wait_for_posted();
    return impl_->shards;
}
std::size_t ArchiveWriter::shard_count() const {
    return std::max<std::size_t>(1, impl_->shards.size());
}

ArchiveWriter::AddResult ArchiveWriter::add(const Document& doc, const std::string& origin) {
    if (!shards().empty()) return shard(doc.id).add(doc, origin);
    return impl_->add(doc, nullptr, origin);
}

void ArchiveWriter::post(std::vector<Addition> batch) {
    auto& d = *impl_;
    Posted& p = d.posted;
    Posted::Post& post = p.posts.emplace_back(batch.size());
    auto add = [](Impl& to, Addition& a) {
        return to.add(*a.doc, a.entry ? &*a.entry : nullptr, a.origin);
    };
    if (d.shards.empty()) {
        for (std::size_t i = 0; i < batch.size(); ++i) post.results[i] = add(d, batch[i]);
        return;
    }
    if (p.workers.empty()) {
        for (std::size_t k = 0; k < d.shards.size(); ++k)
            p.workers.push_back(std::make_unique<SerialWorker>());
        p.exact = false;  // until the next commit() opens `committed`
    }
    if (p.exact)
        for (const Addition& a : batch) {
            std::string text = schema::text_term(a.doc->text);
            auto [was, first] = p.text_of.try_emplace(a.doc->id, Posted::Text{text, p.commits});
            if (!first) {
                if (auto t = p.texts.find(was->second.term);
                    t != p.texts.end() && t->second == a.doc->id)
                    p.texts.erase(t);
                was->second = {text, p.commits};
            }
            p.texts[std::move(text)] = a.doc->id;
        }
    // Each shard's additions in their order, on its own thread.
    std::vector<std::vector<std::pair<std::size_t, Addition>>> of(d.shards.size());
    for (std::size_t i = 0; i < batch.size(); ++i)
        of[shard_of(batch[i].doc->id, of.size())].emplace_back(i, std::move(batch[i]));
    post.shards_left = static_cast<std::size_t>(
        std::count_if(of.begin(), of.end(), [](const auto& mine) { return !mine.empty(); }));
    // A shard's part is done when its job ends: run, failed, or dropped after another failed.
    struct Done {
        explicit Done(Posted::Post& p) : post(p) {}
        Done(const Done&) = delete;
        Posted::Post& post;
        ~Done() {
            post.shards_left.fetch_sub(1, std::memory_order_release);
            post.shards_left.notify_all();
        }
    };
    for (std::size_t k = 0; k < of.size(); ++k) {
        if (of[k].empty()) continue;
        p.workers[k]->post([to = d.shards[k].impl_.get(), done = std::make_shared<Done>(post),
                            &results = post.results, mine = std::move(of[k]), add]() mutable {
            for (auto& [i, a] : mine) results[i] = add(*to, a);
        });
    }
}

std::vector<ArchiveWriter::AddResult> ArchiveWriter::added() {
    impl_->wait_for_posted();
    return added_so_far();
}

std::vector<ArchiveWriter::AddResult> ArchiveWriter::added_so_far(bool wait_for_first) {
    Posted& p = impl_->posted;
    if (wait_for_first && !p.posts.empty())
        for (auto& left = p.posts.front().shards_left;;) {
            const std::size_t n = left.load(std::memory_order_acquire);
            if (n == 0) break;
            left.wait(n, std::memory_order_acquire);
        }
    if (!p.failed)
        for (auto& worker : p.workers)
            if (worker->failed()) p.failed = worker->wait();
    if (p.failed) {
        impl_->wait_for_posted();  // no thread still writes to a post
        p.posts.clear();
        std::rethrow_exception(std::exchange(p.failed, nullptr));
    }
    std::vector<AddResult> done;
    while (!p.posts.empty() && p.posts.front().shards_left.load(std::memory_order_acquire) == 0) {
        const auto& results = p.posts.front().results;
        done.insert(done.end(), results.begin(), results.end());
        p.posts.pop_front();
    }
    return done;
}

void ArchiveWriter::commit_behind() {
    auto& d = *impl_;
    Posted& p = d.posted;
    // Marks: shard 0 commits last. Not exact: a commit() makes `posted` answer again.
    if (p.workers.empty() || d.marks_changed || !p.exact) return commit();
    ++p.commits;
    for (std::size_t k = 0; k < d.shards.size(); ++k)
        p.workers[k]->post([to = d.shards[k].impl_.get(), &worker = *p.workers[k], n = p.commits] {
            to->commit();
            worker.commits.store(n, std::memory_order_release);
        });
}

void ArchiveWriter::Impl::wait_for_posted() {
    if (posted.workers.empty()) return;
    for (auto& worker : posted.workers)
        if (std::exception_ptr failed = worker->wait(); failed && !posted.failed)
            posted.failed = failed;
    posted.exact = false;
}

void ArchiveWriter::Impl::posted_committed() {
    Posted& p = posted;
    if (p.workers.empty()) return;  // nothing was posted: the shards answer themselves
    ++p.commits;
    for (auto& worker : p.workers) worker->commits = p.commits;
    p.committed.clear();
    for (const ArchiveWriter& s : shards) p.committed.emplace_back(index_dir(s.impl_->path));
    p.committed_at.assign(shards.size(), p.commits);
    p.texts.clear();
    p.text_of.clear();
    p.exact = true;
}

void Posted::catch_up() {
    const std::uint64_t before = *std::min_element(committed_at.begin(), committed_at.end());
    for (std::size_t k = 0; k < workers.size(); ++k) {
        const std::uint64_t n = workers[k]->commits.load(std::memory_order_acquire);
        if (n > committed_at[k]) {
            committed[k].reopen();  // at n commits or later
            committed_at[k] = n;
        }
    }
    const std::uint64_t least = *std::min_element(committed_at.begin(), committed_at.end());
    if (least == before) return;
    // What every shard holds now, unless posted again since.
    for (auto it = text_of.begin(); it != text_of.end();) {
        if (it->second.commits >= least) {
            ++it;
            continue;
        }
        if (auto t = texts.find(it->second.term); t != texts.end() && t->second == it->first)
            texts.erase(t);
        it = text_of.erase(it);
    }
}

// Not waiting for the shards (the worker preparing entries calls this while they add).
Xapian::Document ArchiveWriter::prepare(const Document& doc, const std::string& origin) const {
    if (!impl_->shards.empty()) return impl_->shards[0].prepare(doc, origin);
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
    if (!shards().empty()) return shard(id).remove(id);
    auto& d = *impl_;
    d.begin();
    Xapian::docid existing = d.forget(schema::id_term(id));
    if (existing) d.db.delete_document(existing);
    return existing != 0;
}

std::vector<std::string> ArchiveWriter::remove_matching(const std::string& query) {
    if (!shards().empty()) {
        std::vector<std::string> ids;
        for (ArchiveWriter& s : shards())
            for (std::string& id : s.remove_matching(query)) ids.push_back(std::move(id));
        return ids;
    }
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
    std::vector<std::string> ids;
    if (!shards().empty()) {
        for (const ArchiveWriter& s : shards())
            for (std::string& id : s.ids_from(origin)) ids.push_back(std::move(id));
        return ids;
    }
    auto& d = *impl_;
    std::string term = schema::origin_term(origin);
    for (auto it = d.db.postlist_begin(term); it != d.db.postlist_end(term); ++it)
        ids.push_back(d.db.get_document(*it).get_data());
    return ids;
}

// An archive of shards keeps sync's marks of its input files in shard 1 (see commit_shards).
std::string ArchiveWriter::file_mark(const std::string& origin) const {
    if (!shards().empty()) return shards()[0].file_mark(origin);
    return impl_->db.get_metadata(meta_file_prefix + origin);
}

void ArchiveWriter::set_file_mark(const std::string& origin, const std::string& mark) {
    if (!shards().empty()) {
        impl_->marks_changed = true;
        return shards()[0].set_file_mark(origin, mark);
    }
    impl_->begin();
    impl_->db.set_metadata(meta_file_prefix + origin, mark);  // "" deletes the key
}

std::vector<std::string> ArchiveWriter::marked_files() const {
    if (!shards().empty()) return shards()[0].marked_files();
    std::vector<std::string> files;
    const std::string prefix = meta_file_prefix;
    for (auto it = impl_->db.metadata_keys_begin(prefix); it != impl_->db.metadata_keys_end(prefix);
         ++it)
        files.push_back((*it).substr(prefix.size()));
    return files;
}

bool ArchiveWriter::contains(const std::string& id) const {
    if (Posted& p = impl_->posted; p.exact)  // without waiting for the posted additions
        return p.read_committed([&] {
            return p.text_of.count(id) ||
                   p.committed[shard_of(id, p.committed.size())].term_exists(schema::id_term(id));
        });
    if (!shards().empty()) return shard(id).contains(id);
    return impl_->db.term_exists(schema::id_term(id));
}

std::string ArchiveWriter::same_text(const Document& doc) const {
    std::string term = schema::text_term(doc.text);
    auto other = [&](const Xapian::Database& db, auto&& counts) -> std::string {
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it)
            if (std::string id = db.get_document(*it).get_data(); id != doc.id && counts(id))
                return id;
        return {};
    };
    if (Posted& p = impl_->posted; p.exact)  // without waiting for the posted additions
        return p.read_committed([&]() -> std::string {
            if (auto t = p.texts.find(term); t != p.texts.end() && t->second != doc.id)
                return t->second;
            // A document posted since has this text only if `texts` says so.
            for (const Xapian::Database& db : p.committed)
                if (std::string id =
                        other(db, [&](const std::string& id) { return !p.text_of.count(id); });
                    !id.empty())
                    return id;
            return {};
        });
    if (!shards().empty()) {
        for (const ArchiveWriter& s : shards())
            if (std::string id = s.same_text(doc); !id.empty()) return id;
        return {};
    }
    return other(impl_->db, [](const std::string&) { return true; });
}

void ArchiveWriter::set_entities(const std::string& tsv, const std::string& name) {
    if (!shards().empty()) {  // each shard tags with them
        for (ArchiveWriter& s : shards()) s.set_entities(tsv, name);
        return;
    }
    auto& d = *impl_;
    Gazetteer user = Gazetteer::parse(tsv, name);  // throws InputError naming the line
    d.begin();
    d.db.set_metadata(meta_entities, tsv);
    d.gazetteer = archive_gazetteer(d.db, d.path);
}

RetagReport ArchiveWriter::retag(
    const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
    RetagReport report;
    if (!shards().empty()) {
        const std::uint64_t total = document_count();
        for (ArchiveWriter& s : shards()) {
            const std::uint64_t before = report.documents;
            RetagReport r = s.retag([&](std::uint64_t done, std::uint64_t) {
                if (progress) progress(before + done, total);
            });
            report.documents += r.documents;
            report.changed += r.changed;
        }
        impl_->write_manifest();
        return report;
    }
    auto& d = *impl_;
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

std::uint64_t ArchiveWriter::document_count() const {
    std::uint64_t n = 0;
    for (const ArchiveWriter& s : shards()) n += s.document_count();
    return shards().empty() ? impl_->db.get_doccount() : n;
}
const std::string& ArchiveWriter::path() const { return impl_->path; }
const Gazetteer& ArchiveWriter::gazetteer() const {
    // Not waiting for the shards: the worker preparing entries asks while they add.
    return impl_->shards.empty() ? impl_->gazetteer : impl_->shards[0].gazetteer();
}
const std::vector<std::string>& ArchiveWriter::notes() const { return impl_->notes; }

}  // namespace panmun
