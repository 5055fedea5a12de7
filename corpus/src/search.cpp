// search() and like(): build a Xapian query, match, rank or sort, then fetch each hit's stored
// text for its snippet.
#include "panmun/search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "panmun/errors.hpp"
#include "panmun/query.hpp"
#include "panmun/schema.hpp"
#include "panmun/unicode.hpp"
#include "snippets.hpp"

namespace panmun {
namespace {

constexpr int modified_retries = 3;

// Sort key that puts documents of equal relevance in the order of their ids (the document data):
// an archive's results then do not depend on the order in which its documents were added, nor
// on how archives are combined (Xapian interleaves their docids).
class IdKey : public Xapian::KeyMaker {
public:
    std::string operator()(const Xapian::Document& doc) const override { return doc.get_data(); }
};

struct Plan {
    Xapian::Query query;
    SortOrder sort = SortOrder::relevance;
    bool collapse = false;
    Xapian::doccount offset = 0, limit = 10;
    FacetRequest facets;
    bool exact_total = true;  // count every match; false: stop once the top hits are certain
    bool fetch = true;        // read each hit's document from the store and make its snippet
    std::vector<korean::Target> korean;  // the query's Korean words, for snippets
    double time_limit = 0;               // SearchRequest::time_limit
    // The query built again, sharing nothing with `query` (Xapian's objects count their
    // references without atomics: a query given to another thread must be its own); empty if
    // the plan cannot.
    std::function<Xapian::Query()> query_again;
};

// What the facets are made of: over every matching document, its date value (slot_date,
// "YYYYMMDD") and the entity terms its slot_entities value lists.
struct FacetCounts {
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    using Counts = std::unordered_map<std::string, Xapian::doccount, Hash, std::equal_to<>>;

    Xapian::doccount matches = 0;
    Counts dates;     // date value -> documents
    Counts entities;  // entity term -> documents

    // Adds another part's counts (of other documents).
    void add(const FacetCounts& other) {
        matches += other.matches;
        for (const auto& [key, n] : other.dates) count(dates, key, n);
        for (const auto& [key, n] : other.entities) count(entities, key, n);
    }
    // Adds `n` documents to `key`'s count; a string is made only for a key not seen before (the
    // counts are looked up by string_view).
    static void count(Counts& counts, std::string_view key, Xapian::doccount n = 1) {
        if (auto it = counts.find(key); it != counts.end())
            it->second += n;
        else
            counts.emplace(std::string(key), n);
    }
    // `n` documents whose slot_entities value is `list`.
    void count_entities(std::string_view list, Xapian::doccount n = 1) {
        while (!list.empty()) {
            std::size_t nl = std::min(list.find('\n'), list.size());
            count(entities, list.substr(0, nl), n);
            list.remove_prefix(std::min(nl + 1, list.size()));
        }
    }
};

// Counts FacetCounts one match at a time.
class FacetSpy : public Xapian::MatchSpy {
public:
    FacetSpy(bool dates, bool entities) : dates_(dates), entities_(entities) {}

    void operator()(const Xapian::Document& doc, double) override {
        ++counts.matches;
        if (dates_) {
            std::string v = doc.get_value(schema::slot_date);
            if (!v.empty()) FacetCounts::count(counts.dates, v);
        }
        if (entities_) counts.count_entities(doc.get_value(schema::slot_entities));
    }

    FacetCounts counts;

private:
    bool dates_, entities_;
};

// The same counts with Xapian's own spy, the only kind its server runs for a remote shard: each
// distinct date value and each distinct list of entity terms with its documents, merged across
// shards by Xapian, then the lists split here. Exact as FacetSpy, only slower (a std::map of
// whole lists).
class RemoteFacetSpies {
public:
    RemoteFacetSpies(bool dates, bool entities) {
        if (dates) dates_.emplace(schema::slot_date);
        if (entities) entities_.emplace(schema::slot_entities);
    }
    void add_to(Xapian::Enquire& enquire) {
        if (dates_) enquire.add_matchspy(&*dates_);
        if (entities_) enquire.add_matchspy(&*entities_);
    }
    FacetCounts counts() const {
        FacetCounts out;
        if (dates_) {
            out.matches = dates_->get_total();
            for (auto it = dates_->values_begin(); it != dates_->values_end(); ++it)
                out.dates.emplace(*it, it.get_termfreq());
        }
        if (entities_) {
            out.matches = entities_->get_total();
            for (auto it = entities_->values_begin(); it != entities_->values_end(); ++it)
                out.count_entities(*it, it.get_termfreq());
        }
        return out;
    }

private:
    std::optional<Xapian::ValueCountMatchSpy> dates_, entities_;
};

// Counts the hits that collapsing leaves: one per near-duplicate key among the matches, and
// every match without a key (Xapian's own count of them is an estimate even when every match
// has been seen).
class CollapseCounter : public Xapian::MatchSpy {
public:
    void operator()(const Xapian::Document& doc, double) override {
        std::string key = doc.get_value(schema::slot_near_duplicate);
        if (key.empty())
            ++unkeyed;
        else
            keys.insert(std::move(key));
    }
    Xapian::doccount hits() const { return unkeyed + static_cast<Xapian::doccount>(keys.size()); }

private:
    Xapian::doccount unkeyed = 0;
    std::unordered_set<std::string> keys;
};

// The same count from Xapian's own spy (for a remote shard): the matches without a key, and one
// for each distinct key.
Xapian::doccount collapsed_hits(const Xapian::ValueCountMatchSpy& keys) {
    Xapian::doccount keyed = 0, distinct = 0;
    for (auto it = keys.values_begin(); it != keys.values_end(); ++it, ++distinct)
        keyed += it.get_termfreq();
    return keys.get_total() - keyed + distinct;
}

std::vector<EntityCount> top_entities(const FacetCounts& spy, EntityType type, std::size_t top,
                                      const Gazetteer& gazetteer) {
    std::string prefix = schema::entity_prefix(type);
    std::vector<EntityCount> out;
    for (const auto& [term, n] : spy.entities) {
        if (term.compare(0, prefix.size(), prefix) != 0) continue;
        EntityCount c;
        c.id = term.substr(prefix.size());
        c.type = type;
        c.count = n;
        c.entity = gazetteer.find(c.id);
        out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(), [](const EntityCount& a, const EntityCount& b) {
        return a.count != b.count ? a.count > b.count : a.id < b.id;
    });
    if (out.size() > top) out.resize(top);
    return out;
}

// Date buckets from the sortable values ("YYYYMMDD", 00 for unknown parts) and their counts; with
// `share`, the archive's documents in each bucket too.
void date_facet(const FacetCounts& spy, DateBucket by, bool share, const Xapian::Database& db,
                Facets& f) {
    std::map<std::string, Xapian::doccount> values(spy.dates.begin(), spy.dates.end());
    Xapian::doccount dated = 0;
    for (const auto& [value, n] : values) dated += n;
    f.undated = spy.matches - dated;
    if (values.empty()) return;
    DateBucket finest = DateBucket::year;
    for (const auto& [value, n] : values) finest = std::max(finest, precision_of(value));
    f.by = choose_bucket(by, values.begin()->first, values.rbegin()->first, finest);
    std::map<std::string, Xapian::doccount> buckets;
    // A timeline shows the empty years and months too.
    for (const std::string& b : bucket_range(f.by, bucket_of(values.begin()->first, f.by),
                                             bucket_of(values.rbegin()->first, f.by)))
        buckets.emplace(b, 0);
    for (const auto& [v, n] : values) buckets[bucket_of(v, f.by)] += n;
    for (const auto& [key, n] : buckets)
        f.dates.push_back({key, n, share ? documents_in(db, key, f.by) : 0});
}

// Whether equal weights are ordered by id: not for a count, nor for like()'s estimates, whose
// early end it would delay.
bool ties_by_id(const Plan& plan) {
    return plan.sort == SortOrder::relevance && plan.limit > 0 && plan.exact_total;
}

// The hits of `mset` from `first` on, in its order.
std::vector<Xapian::MSetIterator> hits_of(const Xapian::MSet& mset, Xapian::doccount first = 0) {
    std::vector<Xapian::MSetIterator> out;
    for (Xapian::doccount k = first; k < mset.size(); ++k) out.push_back(mset[k]);
    return out;
}

// The hits `offset`.. of `mset` (of the hits from the first) in the order of their weights,
// equal weights in the order of their ids: what IdKey does, for an enquire that cannot use it (a
// remote shard). `mset` must hold every hit tied with the last one wanted.
std::vector<Xapian::MSetIterator> by_weight_then_id(Xapian::MSet& mset, Xapian::doccount offset,
                                                    Xapian::doccount limit) {
    mset.fetch();
    struct Item {
        double weight;
        std::string id;
        Xapian::MSetIterator hit;
    };
    std::vector<Item> items;
    for (auto it = mset.begin(); it != mset.end(); ++it)
        items.push_back({it.get_weight(), it.get_document().get_data(), it});
    std::stable_sort(items.begin(), items.end(), [](const Item& x, const Item& y) {
        return x.weight != y.weight ? x.weight > y.weight : x.id < y.id;
    });
    std::vector<Xapian::MSetIterator> out;
    for (std::size_t k = offset; k < items.size() && k < std::size_t(offset) + limit; ++k)
        out.push_back(items[k].hit);
    return out;
}

// Runs `enquire`, saying in one line what a remote shard's server could not run.
Xapian::MSet matches(Xapian::Enquire& enquire, Xapian::doccount first, Xapian::doccount max,
                     Xapian::doccount check_at_least) {
    try {
        return enquire.get_mset(first, max, check_at_least);
    } catch (const Xapian::UnimplementedError& e) {
        throw UsageError(
            "a remote shard cannot run this search: xapian-tcpsrv runs Xapian's own "
            "operators only, not panmun's NEAR and ADJ (" +
            e.get_msg() + ")");
    }
}

// An enquire for the plan's query, ranked or sorted as it asks; no spies.
Xapian::Enquire enquire_for(const Xapian::Database& db, const Plan& plan, bool remote) {
    Xapian::Enquire enquire(db);
    enquire.set_query(plan.query);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    const bool newest = plan.sort == SortOrder::newest;
    if (plan.sort != SortOrder::relevance && remote) {
        // Xapian's server runs no key maker: the date value itself, undated ("") last when
        // newest first, but first when oldest first (remote_matches() takes them last).
        enquire.set_sort_by_value_then_relevance(schema::slot_date, newest);
    } else if (plan.sort != SortOrder::relevance) {
        auto* key = new Xapian::MultiValueKeyMaker;
        key->add_value(schema::slot_date, newest, newest ? std::string() : "\xff");
        enquire.set_sort_by_key_then_relevance(key->release(), false);
    } else if (ties_by_id(plan) && !remote) {
        enquire.set_sort_by_relevance_then_key((new IdKey)->release(), false);
    }
    if (plan.collapse) enquire.set_collapse_key(schema::slot_near_duplicate);
    return enquire;
}

// The matches on a remote shard (counted by `enquire`'s spies), and the hits to show in `hits`,
// in the order of a local search, which Xapian's server cannot sort in.
Xapian::MSet remote_matches(const Xapian::Database& db, Xapian::Enquire& enquire, const Plan& plan,
                            Xapian::doccount check, std::vector<Xapian::MSetIterator>& hits) {
    const Xapian::doccount want = plan.offset + plan.limit;
    if (ties_by_id(plan)) {
        // Xapian orders equal weights by docid, which interleaves shards. From the first hit,
        // and one more than wanted, to see whether the hits tied with the last one wanted go on
        // past it; if so, every hit weighing at least as much is fetched again.
        Xapian::MSet mset = matches(enquire, 0, want + 1, check);
        Xapian::MSet tied = mset;
        if (mset.size() > want && mset[want].get_weight() == mset[want - 1].get_weight()) {
            Xapian::Enquire ties = enquire_for(db, plan, true);
            ties.set_cutoff(0, mset[want - 1].get_weight());
            tied = matches(ties, 0, db.get_doccount(), 0);
        }
        hits = by_weight_then_id(tied, plan.offset, plan.limit);
        return mset;
    }
    if (plan.sort == SortOrder::relevance) {  // a count, or like()'s hits
        Xapian::MSet mset = matches(enquire, plan.offset, plan.limit, check);
        hits = hits_of(mset);
        return mset;
    }
    // Sorted by date: Xapian's spies count some matches of remote shards twice when the
    // matches are sorted by a value (seen with two shards, Xapian 1.4.22), so they count
    // while the matches are ranked, and another enquire sorts.
    enquire.set_sort_by_relevance();
    Xapian::MSet counted = matches(enquire, 0, 0, check);
    if (plan.limit == 0) return counted;
    Xapian::Enquire sorted = enquire_for(db, plan, true);
    if (plan.sort == SortOrder::newest) {
        hits = hits_of(matches(sorted, plan.offset, plan.limit, 0));
        return counted;
    }
    // Oldest first: the server puts the undated matches first; they go last. Their number,
    // then the dated hits from there, then as many undated ones as the page has room for.
    Xapian::Enquire undated = enquire_for(db, plan, true);
    undated.set_query(
        Xapian::Query(Xapian::Query::OP_AND_NOT, plan.query,
                      Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::slot_date, "0")));
    const Xapian::doccount n_undated =
        matches(undated, 0, 0, db.get_doccount()).get_matches_estimated();
    if (n_undated > 0 && plan.collapse)
        throw UsageError(
            "a remote shard cannot list these matches oldest first with near-duplicates "
            "collapsed: some are undated (add a date: range, or sort by -date)");
    hits = hits_of(matches(sorted, n_undated + plan.offset, plan.limit, 0));
    const Xapian::doccount dated = counted.get_matches_estimated() - n_undated;
    if (n_undated > 0 && hits.size() < plan.limit && want > dated) {
        const auto shown = static_cast<Xapian::doccount>(hits.size());
        const Xapian::doccount from = plan.offset + shown - dated;  // among the undated
        for (const Xapian::MSetIterator& it :
             hits_of(matches(sorted, from, std::min(plan.limit - shown, n_undated - from), 0)))
            hits.push_back(it);
    }
    return counted;
}

// How many matches of an archive of several local parts a search counts on one thread, before
// the parts count theirs at once: fewer are counted sooner than a helper thread is woken
// (0.1-0.2 ms on this project's 2-core machine, about as long as 300 matches).
constexpr Xapian::doccount counted_alone = 500;

// The matches of an archive of several local parts (shards, archives), counted on each part at
// once: how many, whether all were seen, and the facets.
struct PartCounts {
    Xapian::doccount matches = 0;
    bool cut = false;  // the time limit ended a part's count
    FacetCounts facets;
};

// Counts on each part's own index, on a thread of the reader's each (ArchiveReader::
// each_index()), with a query of its own (Plan::query_again) and no weights (a count needs
// none). The sums are the combined database's: each document is in one part.
PartCounts count_in_parts(const ArchiveReader& archive, const Plan& plan, bool dates,
                          bool entities) {
    const std::size_t n = archive.part_count();
    std::vector<Xapian::Query> queries;
    for (std::size_t k = 0; k < n; ++k) queries.push_back(plan.query_again());
    std::vector<PartCounts> of(n);
    archive.each_index([&](std::size_t k, const Xapian::Database& db) {
        Xapian::Enquire enquire(db);
        enquire.set_query(queries[k]);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        FacetSpy spy(dates, entities);
        if (dates || entities) enquire.add_matchspy(&spy);
        if (plan.time_limit > 0) enquire.set_time_limit(plan.time_limit);
        const auto started = std::chrono::steady_clock::now();
        const Xapian::MSet mset = enquire.get_mset(0, 0, db.get_doccount());
        const std::chrono::duration<double> spent = std::chrono::steady_clock::now() - started;
        of[k].matches = mset.get_matches_estimated();
        of[k].cut = plan.time_limit > 0 && spent.count() >= plan.time_limit &&
                    mset.get_matches_lower_bound() != mset.get_matches_upper_bound();
        of[k].facets = std::move(spy.counts);
    });
    PartCounts all;
    for (PartCounts& part : of) {
        all.matches += part.matches;
        all.cut = all.cut || part.cut;
        all.facets.add(part.facets);
    }
    return all;
}

SearchResult run(ArchiveReader& archive, const Plan& plan, const Highlight& marks) {
    const Xapian::Database& db = archive.database();
    // A remote shard's server runs Xapian's own spies and sorts only: the facets and the
    // collapsed total are counted with those, the hits put in order by remote_matches().
    const bool remote = archive.has_remote();
    Xapian::Enquire enquire = enquire_for(db, plan, remote);
    // Facets: match spies see every matching document (check_at_least below), so counts are exact.
    const bool entity_facets = std::any_of(std::begin(plan.facets.entity),
                                           std::end(plan.facets.entity), [](bool b) { return b; });
    // Several local parts (shards, archives) with many matches to count: the ranking below
    // counts the first `counted_alone` itself (its spy sees them all); if there are more, each
    // part counts its own at once, with the facets (count_in_parts()), while the ranking goes
    // on to the hits shown only, skipping what cannot reach them. Not for a count alone
    // (Xapian counts every match anyway when it ranks none), nor when collapsing (each hit's
    // count of near-duplicates needs every match seen by the ranking), nor sorted by date
    // (whose ranking sees every match anyway).
    const bool parts_may_count = !remote && archive.part_count() > 1 && plan.exact_total &&
                                 plan.limit > 0 && !plan.collapse &&
                                 plan.sort == SortOrder::relevance && plan.query_again != nullptr;
    FacetSpy spy(plan.facets.date && !remote, entity_facets && !remote);
    RemoteFacetSpies remote_spies(plan.facets.date && remote, entity_facets && remote);
    const bool spied = (entity_facets || plan.facets.date) && !remote;
    if (spied) enquire.add_matchspy(&spy);
    remote_spies.add_to(enquire);
    const bool count_collapsed = plan.collapse && plan.exact_total;
    CollapseCounter collapsed;
    Xapian::ValueCountMatchSpy collapse_keys(schema::slot_near_duplicate);
    if (count_collapsed && remote)
        enquire.add_matchspy(&collapse_keys);
    else if (count_collapsed)
        enquire.add_matchspy(&collapsed);
    // Asking Xapian to check every document makes `total` exact rather than an estimate:
    // researchers count matches, so an estimate is not good enough for a search. A time limit
    // stops the counting (not the ranking of the top hits) when it runs out.
    if (plan.time_limit > 0) enquire.set_time_limit(plan.time_limit);
    const auto started = std::chrono::steady_clock::now();
    const Xapian::doccount check = !plan.exact_total ? 0
                                   : parts_may_count ? counted_alone
                                                     : db.get_doccount();
    std::vector<Xapian::MSetIterator> hits;
    Xapian::MSet mset;
    if (remote) {
        mset = remote_matches(db, enquire, plan, check, hits);
    } else {
        mset = matches(enquire, plan.offset, plan.limit, check);
        hits = hits_of(mset);
    }
    const std::chrono::duration<double> spent = std::chrono::steady_clock::now() - started;
    // Counted: the number is certain, and the spy saw every match if it saw as many as there
    // are (each at most once).
    const bool counted = mset.get_matches_lower_bound() == mset.get_matches_upper_bound() &&
                         (!spied || spy.counts.matches == mset.get_matches_estimated());
    std::optional<PartCounts> parts;
    if (parts_may_count && !counted && !(plan.time_limit > 0 && spent.count() >= plan.time_limit))
        parts = count_in_parts(archive, plan, plan.facets.date, entity_facets);
    const bool in_parts = parts.has_value();

    SearchResult result;
    result.archives = archive.archive_count();
    FacetCounts remote_counts;
    if (remote) remote_counts = remote_spies.counts();
    const FacetCounts& counts = remote ? remote_counts : in_parts ? parts->facets : spy.counts;
    for (int t = 0; t < 4; ++t)
        if (plan.facets.entity[t])
            result.facets.entities[t] = top_entities(counts, static_cast<EntityType>(t),
                                                     plan.facets.top, archive.gazetteer());
    if (plan.facets.date) date_facet(counts, plan.facets.by, plan.facets.share, db, result.facets);
    result.total = mset.get_matches_estimated();
    result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    // Cut short by the time limit (Xapian does not say so: the time was spent and the count is
    // not certain): only part of the matches were counted.
    const bool cut =
        plan.exact_total && plan.time_limit > 0 && spent.count() >= plan.time_limit &&
        (mset.get_uncollapsed_matches_lower_bound() != mset.get_uncollapsed_matches_upper_bound() ||
         mset.get_matches_lower_bound() != mset.get_matches_upper_bound());
    result.facets.exact = !cut;
    if (cut) result.total_exact = false;
    if (in_parts) {
        result.total = parts->matches;
        result.total_exact = result.facets.exact = !parts->cut;
    }
    if (count_collapsed && !cut) {
        result.total = remote ? collapsed_hits(collapse_keys) : collapsed.hits();
        result.total_exact = true;
    } else if (plan.collapse) {  // an estimate, and never above the matches before collapsing
        result.total = std::min(result.total, mset.get_uncollapsed_matches_estimated());
    }
    const std::string open(1, mark_open), close(1, mark_close);
    std::vector<Document> documents;  // all at once: a remote shard's in one request
    if (plan.fetch) {
        std::vector<std::pair<Xapian::docid, Xapian::Document>> entries;
        for (const Xapian::MSetIterator& it : hits) entries.emplace_back(*it, it.get_document());
        documents = archive.fetch(entries);
    }
    for (std::size_t k = 0; k < hits.size(); ++k) {
        const Xapian::MSetIterator& it = hits[k];
        Hit hit;
        hit.rank = plan.offset + static_cast<Xapian::doccount>(k) + 1;
        hit.score = it.get_weight();
        hit.duplicates = plan.collapse ? it.get_collapse_count() : 0;
        if (result.archives > 1) hit.archive = archive.archive_of(*it);
        if (!plan.fetch) {  // what the index knows: the id (document data) and the date
            Xapian::Document entry = it.get_document();
            hit.document.id = entry.get_data();
            if (auto date = Date::from_sortable(entry.get_value(schema::slot_date)))
                hit.document.date = *date;
            result.hits.push_back(std::move(hit));
            continue;
        }
        hit.document = std::move(documents[k]);
        // Korean words found by the Korean analysis (Xapian's snippets know its n-grams only);
        // anything else, or a document whose Korean match is in its title, by Xapian's.
        std::string marked = korean_snippet(hit.document, plan.korean, marks.snippet_bytes);
        if (marked.empty())
            marked =
                mset.snippet(schema::snippet_text(hit.document.text), marks.snippet_bytes,
                             schema::stemmer(), Xapian::MSet::SNIPPET_CJK_NGRAM, open, close, "…");
        split_marks(marked, hit, marks);
        result.hits.push_back(std::move(hit));
    }
    return result;
}

template <typename Build>
SearchResult with_retries(ArchiveReader& archive, Build build, const Highlight& marks) {
    for (int attempt = 1;; ++attempt) {
        try {
            auto [plan, description] = build();
            SearchResult result = run(archive, plan, marks);
            result.query = description;
            return result;
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt == modified_retries) throw;
            archive.reopen();
        }
    }
}

Xapian::Query filtered(Xapian::Query query, const DateRange& dates) {
    if (dates.is_open()) return query;
    return Xapian::Query(Xapian::Query::OP_FILTER, query, schema::date_filter(dates));
}

// Common English words, which say nothing about what an article is about: the usual stop list
// and the function words of news prose ("already", "earlier"), each also as its stem.
bool is_stopword(std::string_view w) {
    static const std::set<std::string, std::less<>> words = [] {
        const char* list[] = {
            "a",       "about",   "above",     "after",      "again",     "against", "all",
            "already", "also",    "am",        "amid",       "among",     "an",      "and",
            "another", "any",     "are",       "as",         "at",        "be",      "because",
            "been",    "before",  "being",     "below",      "between",   "both",    "but",
            "by",      "can",     "could",     "day",        "did",       "do",      "does",
            "doing",   "down",    "during",    "each",       "earlier",   "every",   "few",
            "first",   "for",     "from",      "further",    "given",     "had",     "has",
            "have",    "having",  "he",        "her",        "here",      "hers",    "herself",
            "him",     "himself", "his",       "how",        "however",   "i",       "if",
            "in",      "into",    "is",        "it",         "its",       "itself",  "just",
            "last",    "later",   "made",      "make",       "many",      "may",     "me",
            "might",   "more",    "most",      "much",       "must",      "my",      "myself",
            "new",     "next",    "no",        "nor",        "not",       "now",     "of",
            "off",     "on",      "once",      "one",        "only",      "or",      "other",
            "our",     "ours",    "ourselves", "out",        "over",      "own",     "said",
            "same",    "say",     "says",      "several",    "she",       "should",  "since",
            "so",      "some",    "still",     "such",       "than",      "that",    "the",
            "their",   "theirs",  "them",      "themselves", "then",      "there",   "these",
            "they",    "this",    "those",     "through",    "time",      "to",      "today",
            "too",     "two",     "under",     "until",      "up",        "us",      "very",
            "was",     "we",      "week",      "were",       "what",      "when",    "where",
            "which",   "while",   "who",       "whom",       "why",       "will",    "with",
            "within",  "without", "would",     "year",       "yesterday", "you",     "your",
            "yours",   "yourself"};
        std::set<std::string, std::less<>> all;
        const Xapian::Stem stem = schema::stemmer();
        for (const char* word : list) {
            all.insert(word);
            all.insert(stem(word));
        }
        return all;
    }();
    return words.count(w) > 0;
}

// Pasted text as an article. News puts its subject in the lead, and an archived example's
// headline counts three times its body; a pasted one has no headline, so its lead (the first
// paragraph of ten words or more: scraped pages start with stray lines) stands in for it.
Document as_article(const std::string& text) {
    Document doc;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        std::string_view line(text.data() + start, end - start);
        std::size_t words = 0;
        bool in_word = false;
        for (char c : line) {
            bool word_char = !std::isspace(static_cast<unsigned char>(c));
            words += word_char && !in_word;
            in_word = word_char;
        }
        if (words >= 10) {
            doc.title = std::string(line);
            doc.text = text.substr(0, start) + text.substr(std::min(end + 1, text.size()));
            return doc;
        }
        start = end + 1;
    }
    doc.text = text;
    return doc;
}

// A word of the example to weigh, with the form to show it in.
struct ExampleTerm {
    std::string term;         // "Zhotlin" (a stem) or "kaesong" (a word without one)
    Xapian::termcount count;  // how often the example uses it
    std::string word;         // its most frequent form in the example, lowercased: "hotlines"
};

// The example's words to weigh: its stems ("Zhotlin" stands for "hotline" and "hotlines"),
// and the words that have no stem because they only appear capitalised (names: "kaesong");
// not stop words, numbers or single letters, nor field terms. With `merged` (schema 3) a word
// that is its own stem counts for its stem, whose term leaves it out ("hotline" for "Zhotlin").
std::vector<ExampleTerm> content_terms(const Xapian::Document& doc, bool merged) {
    const Xapian::Stem stem = schema::stemmer();
    // "Zhotlin" is a stem; "ZShotlin" the stem of a title word (field terms: capital prefixes).
    auto is_stem = [](const std::string& term) {
        return term.size() > 1 && term[0] == 'Z' &&
               !std::isupper(static_cast<unsigned char>(term[1]));
    };
    auto is_word = [](const std::string& term) {
        return !term.empty() && !std::isupper(static_cast<unsigned char>(term[0]));
    };
    auto wanted = [](std::string_view word) {
        return word.size() >= 2 && !is_stopword(word) &&
               !std::all_of(word.begin(), word.end(), [](unsigned char d) {
                   return std::isdigit(d) || d == ',' || d == '.';
               });
    };
    // Each stem: how often the example uses it, and its most frequent form, to show instead.
    struct Use {
        Xapian::termcount count = 0;
        std::string form;
        Xapian::termcount form_count = 0;
    };
    std::map<std::string, Use> stems;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        if (is_stem(*t))
            stems[*t].count += t.get_wdf();
        else if (merged && is_word(*t) && !schema::own_stem_word("Z" + *t).empty())
            stems["Z" + *t].count += t.get_wdf();
    }
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        if (!is_word(*t)) continue;
        auto it = stems.find("Z" + stem(*t));
        if (it != stems.end() && t.get_wdf() > it->second.form_count)
            it->second.form = *t, it->second.form_count = t.get_wdf();
    }
    std::vector<ExampleTerm> out;
    for (const auto& [term, use] : stems) {
        const std::string_view word = std::string_view(term).substr(1);
        if (wanted(word))
            out.push_back({term, use.count, use.form.empty() ? std::string(word) : use.form});
    }
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        if (is_word(*t) && wanted(*t) && !stems.count("Z" + stem(*t)))  // no stem stands for it
            out.push_back({*t, t.get_wdf(), *t});
    return out;
}

// `word` (lowercase) as the example first writes it ("Kaesong"), or as it is.
std::string as_written(std::string_view text, const std::string& word) {
    auto word_char = [](char32_t c) { return unicode::is_letter(c) || unicode::is_digit(c); };
    for (std::size_t at = 0; at + word.size() <= text.size(); ++at) {
        std::size_t before = at;
        if (at > 0 && word_char(unicode::previous(text, before))) continue;
        std::size_t k = 0;
        while (k < word.size() && std::tolower(static_cast<unsigned char>(text[at + k])) ==
                                      static_cast<unsigned char>(word[k]))
            ++k;
        if (k == word.size() && (at + k == text.size() || !word_char(unicode::at(text, at + k))))
            return std::string(text.substr(at, k));
    }
    return word;
}

}  // namespace

FacetRequest FacetRequest::parse(std::string_view list) {
    FacetRequest r;
    while (!list.empty()) {
        std::size_t comma = list.find(',');
        std::string_view name = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (name == "date")
            r.date = true;
        else if (std::optional<EntityType> type = entity_type_named(name))
            r.entity[static_cast<int>(*type)] = true;
        else if (!name.empty())
            throw UsageError("unknown facet '" + std::string(name) +
                             "' (facets: person, org, place, event, date)");
    }
    return r;
}

SearchResult search(ArchiveReader& archive, const SearchRequest& request, const Highlight& marks) {
    return with_retries(
        archive,
        [&] {
            auto query = [&] {
                return filtered(
                    build_query(request.query, archive.database(),
                                [&]() -> const Gazetteer& { return archive.gazetteer(); }),
                    request.dates);
            };
            Plan plan{query(),
                      request.sort,
                      request.collapse,
                      request.offset,
                      request.limit,
                      request.facets,
                      true,
                      request.fetch,
                      korean_targets(request.query),
                      request.time_limit,
                      query};
            return std::make_pair(plan, request.query);
        },
        marks);
}

SearchResult like(ArchiveReader& archive, const LikeRequest& request, const Highlight& marks) {
    // A pasted example is indexed as any document would be; an archived one is read inside the
    // retries, since a writer may change the database under the reader.
    // (An archive keeps its index schema: a reopened database has the same.)
    const int schema = schema::version_of(archive.database());
    const bool merged = schema >= 3;
    std::optional<std::vector<ExampleTerm>> pasted_terms;
    if (request.id.empty())
        pasted_terms = content_terms(
            schema::make_document(as_article(request.text), StoreLocation{}, {}, {}, schema),
            merged);
    return with_retries(
        archive,
        [&] {
            const Xapian::Database& db = archive.database();
            std::string example_text = request.text;  // where the words' written forms are found
            auto terms_of_example = pasted_terms ? *pasted_terms : [&] {
                auto it = db.postlist_begin(schema::id_term(request.id));
                if (it == db.postlist_end(schema::id_term(request.id)))
                    throw UsageError("no document with id '" + request.id + "' in " +
                                     archive.name());
                if (request.fetch) {  // scripts that want ids only never read the store
                    const Document example = archive.fetch(*it);
                    example_text = example.title + "\n" + example.text;
                }
                return content_terms(db.get_document(*it), merged);
            }();
            // Relevance feedback with the example as the one relevant document (as Lucene's
            // MoreLikeThis): its words are ranked by how often the example uses them times how
            // rare they are in the archive (BM25's idf); the best become an OR query in which each
            // word counts as often as the example uses it, hits ranked by BM25. (Xapian's ESet
            // does this for archived documents, but finds nothing for a text outside the
            // database, so one method serves both.)
            const double n_docs = db.get_doccount();
            // How many documents each term is in (several shards looked up at once).
            std::vector<std::string> asked;
            for (const ExampleTerm& t : terms_of_example) {
                asked.push_back(t.term);
                if (std::string word = merged ? schema::own_stem_word(t.term) : std::string();
                    !word.empty())
                    asked.push_back(std::move(word));
            }
            const std::vector<Xapian::doccount> found = archive.term_frequencies(asked);
            std::map<std::string, double> frequencies;
            for (std::size_t i = 0; i < asked.size(); ++i) frequencies[asked[i]] = found[i];
            auto frequency = [&](const std::string& term) { return frequencies.at(term); };
            struct Candidate {
                double rank;
                const ExampleTerm* term;
            };
            std::vector<Candidate> candidates;
            for (const ExampleTerm& t : terms_of_example) {
                // A stem and its own word (schema 3): the documents with either, at least the
                // more of the two; the words of a stem go together, so rarely many more (the
                // TIME ranking test: better than Xapian's estimate for a synonym, which takes
                // them for independent).
                const std::string word = merged ? schema::own_stem_word(t.term) : std::string();
                const double stem_df = frequency(t.term),
                             word_df = word.empty() ? 0 : frequency(word);
                const double df = std::max(stem_df, word_df);
                if (df == 0) continue;  // in no archived document: cannot find anything
                const double idf = std::log((n_docs - df + 0.5) / (df + 0.5));
                if (idf <= 0) continue;  // in half the archive or more: says nothing
                candidates.push_back({idf * t.count, &t});
            }
            if (candidates.empty()) throw UsageError("the example has no words to search for");
            const std::size_t keep = std::min<std::size_t>(request.terms, candidates.size());
            std::partial_sort(candidates.begin(), candidates.begin() + keep, candidates.end(),
                              [](const auto& a, const auto& b) { return a.rank > b.rank; });
            candidates.resize(keep);
            std::vector<Xapian::Query> terms;
            std::string description;
            // The query's terms in term order (the description keeps the rank order): Xapian
            // opens their posting lists in this order, each then mostly in a B-tree block the
            // last one read, on every shard.
            std::vector<const Candidate*> by_term;
            for (const Candidate& c : candidates) by_term.push_back(&c);
            std::sort(by_term.begin(), by_term.end(), [](const Candidate* a, const Candidate* b) {
                return a->term->term < b->term->term;
            });
            for (const Candidate* c : by_term)
                terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                                   schema::stem_query(c->term->term, merged), c->term->count);
            for (const Candidate& c : candidates) {
                // The words as the example writes them ("hotlines", "Kaesong"), not their stems.
                description +=
                    (description.empty() ? "" : " ") + as_written(example_text, c.term->word);
            }
            Xapian::Query query(Xapian::Query::OP_OR, terms.begin(), terms.end());
            if (!request.id.empty())
                query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                                      Xapian::Query(schema::id_term(request.id)));
            // Only a count needs every match: the hits alone let Xapian skip the documents
            // that cannot reach the top (50 ms → a few on 100,000 documents).
            Plan plan{filtered(query, request.dates),
                      SortOrder::relevance,
                      request.collapse,
                      request.offset,
                      request.limit,
                      {},
                      request.limit == 0,
                      request.fetch,
                      {},
                      request.time_limit};
            return std::make_pair(plan, description);
        },
        marks);
}

}  // namespace panmun
