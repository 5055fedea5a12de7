// ArchiveWriter::compact(): a new generation of the archive, written beside the live one: the
// index compacted, and if the store is rewritten (Compaction::best, or replaced and deleted
// documents to drop) a new store, and the index entries pointed into it before compacting.
// protocol.cpp switches to it.
#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <cstring>

#include "archive/writer_impl.hpp"
#include "panmun/errors.hpp"
#include "panmun/schema.hpp"

namespace fs = boost::filesystem;

namespace panmun {

using namespace archive;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Xapian's compaction of the index at `from` into `to`, keeping the document numbers, with
// `state` and the compacted size recorded in it.
void compact_index(const std::string& from, const std::string& to, CommittedState& state) {
    fs::remove_all(to);
    Xapian::Database(from).compact(to, Xapian::DBCOMPACT_NO_RENUMBER);
    state.compacted_index_bytes = directory_bytes(to);
    Xapian::WritableDatabase db(to, Xapian::DB_OPEN);
    write_state(db, state);
    db.commit();
}

}  // namespace

CompactReport ArchiveWriter::compact(Compaction how) {
    if (!shards().empty()) {
        // The shards at once, a thread each; each one's compaction is atomic by itself.
        commit();
        std::vector<CompactReport> each(shards().size());
        at_once(each.size(), [&](std::size_t k) { each[k] = shards()[k].compact(how); });
        CompactReport report;
        for (const CompactReport& r : each) {
            report.store_rewritten |= r.store_rewritten;
            report.store_seconds = std::max(report.store_seconds, r.store_seconds);
            report.index_seconds = std::max(report.index_seconds, r.index_seconds);
        }
        impl_->write_manifest();
        return report;
    }
    auto& d = *impl_;
    commit();
    CompactReport report;
    const std::string live = sub(d.path, xapian_dir);
    const std::string fresh = sub(d.path, xapian_compact_dir);
    boost::system::error_code ec;
    if (how == Compaction::fast && d.state.dead_documents == 0) {
        // Nothing to drop from the store: the index alone, compacted beside the live one.
        const auto start = std::chrono::steady_clock::now();
        CommittedState compacted = d.state;
        try {
            compact_index(live, fresh, compacted);
        } catch (...) {
            fs::remove_all(fresh, ec);
            throw;
        }
        report.index_seconds = seconds_since(start);
        d.switch_to(compacted);
        return report;
    }
    report.store_rewritten = true;
    auto start = std::chrono::steady_clock::now();
    DocumentStore old_store(sub(d.path, d.state.store_file));
    auto location_of = [&](Xapian::docid did) {
        return archive::location_of(d.db.get_document(did), d.path);
    };

    ClusterReader samples_from(old_store);

    // Best: a dictionary trained on evenly spaced documents, 64 MB (the dictionary is up to a
    // third of the sample; memory bounds the rest). Fast: the level documents are added at, and
    // the dictionary the store has (none if it has none).
    StoreOptions options = d.manifest.store_options;
    std::vector<std::string> samples;
    std::string dictionary;
    if (how == Compaction::best) {
        const std::size_t sample_budget = 64 << 20;
        const std::size_t stride =
            std::max<std::size_t>(1, d.state.text_bytes / std::max<std::size_t>(1, sample_budget));
        std::size_t seen = 0;
        for (auto it = d.db.postlist_begin(""); it != d.db.postlist_end(""); ++it, ++seen) {
            if (seen % stride) continue;
            const Document& doc = samples_from.at(location_of(*it));
            samples.push_back(doc.title + "\n" + doc.url + "\n" + doc.text);
        }
    } else {
        options.compact_level = options.level;
        options.dictionary_max_bytes = 0;
        dictionary = old_store.dictionary();
    }

    // The new locations go into a copy of the index, committed every few thousand entries: one
    // transaction over every entry would hold them all in memory (0.6 KB each). Readers keep
    // the live index and the old store until the copy, compacted, is renamed into place.
    const std::string work = sub(d.path, xapian_work_dir);
    const std::string new_file = store_file_name(store_generation(d.state.store_file) + 1);
    CommittedState compacted = d.state;
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
        ClusterReader documents(old_store);
        compacted.store_bytes = compact_store(
            sub(d.path, new_file), options,
            [&](Document& doc) {
                if (handed == order.size()) return false;
                doc = documents.at(location_of(order[handed++]));
                return true;
            },
            std::move(samples),
            [&](std::uint64_t i, StoreLocation where) {
                Xapian::Document entry = next.get_document(order[i]);
                entry.add_value(schema::slot_store, where.serialise());
                next.replace_document(order[i], entry);  // only a value: no terms rewritten
                if ((i + 1) % entries_per_commit == 0) next.commit();
            },
            std::move(dictionary));
        compacted.store_file = new_file;
        compacted.dead_documents = 0;
        write_state(next, compacted);
        next.commit();
        next.close();
        report.store_seconds = seconds_since(start);
        start = std::chrono::steady_clock::now();
        compact_index(work, fresh, compacted);
        fs::remove_all(work);  // its disk space, before the switch
        report.index_seconds = seconds_since(start);
    } catch (...) {
        // Nothing that readers use has changed: drop the copies and the new store.
        fs::remove_all(work, ec);
        fs::remove_all(fresh, ec);
        fs::remove(sub(d.path, new_file), ec);
        throw;
    }

    d.switch_to(compacted);
    return report;
}

const Document& ClusterReader::at(StoreLocation where) {
    if (where.cluster_offset != offset_) {
        cluster_ = store_.read_cluster(where.cluster_offset);
        offset_ = where.cluster_offset;
    }
    if (where.index >= cluster_.size())
        throw CorruptDataError(store_.path(), "no document " + std::to_string(where.index) +
                                                  " in cluster at offset " +
                                                  std::to_string(where.cluster_offset));
    return cluster_[where.index];
}

bool ArchiveWriter::needs_compaction() const {
    if (!shards().empty())
        return std::any_of(shards().begin(), shards().end(),
                           [](const ArchiveWriter& s) { return s.needs_compaction(); });
    const auto& d = *impl_;
    if (!d.state.compacted_index_bytes) return true;
    // Plus the few blocks any commit writes (recording the size is one): without them a tiny
    // archive would be compacted by every update that changes nothing.
    constexpr std::uint64_t commit_blocks = 64 << 10;
    return directory_bytes(sub(d.path, xapian_dir)) >
               d.state.compacted_index_bytes * 5 / 4 + commit_blocks ||
           d.state.dead_documents * 4 > d.db.get_doccount() + d.state.dead_documents;
}

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

}  // namespace panmun
