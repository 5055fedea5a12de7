// search() and like(): build a Xapian query, match, rank or sort, then fetch each hit's stored
// text for its snippet.
#include "panmun/search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
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

// Sort key for date orders that keeps undated documents last in either direction.
class DateKey : public Xapian::KeyMaker {
public:
    explicit DateKey(bool newest_first) : newest_first_(newest_first) {}
    std::string operator()(const Xapian::Document& doc) const override {
        std::string v = doc.get_value(schema::slot_date);
        if (v.empty()) return newest_first_ ? std::string() : std::string("\xff");
        return v;
    }

private:
    bool newest_first_;
};

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
};

// Counts, over every matching document, its date value (slot_date, "YYYYMMDD") and the entity
// terms its slot_entities value lists: one call per match, and a string made only for a value
// not seen before (the counts are looked up by string_view).
class FacetSpy : public Xapian::MatchSpy {
public:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    using Counts = std::unordered_map<std::string, Xapian::doccount, Hash, std::equal_to<>>;

    FacetSpy(bool dates, bool entities) : dates_(dates), entities_(entities) {}

    void operator()(const Xapian::Document& doc, double) override {
        ++matches;
        if (dates_) {
            std::string v = doc.get_value(schema::slot_date);
            if (!v.empty()) count(dates, v);
        }
        if (entities_) {
            const std::string v = doc.get_value(schema::slot_entities);
            std::string_view rest = v;
            while (!rest.empty()) {
                std::size_t nl = std::min(rest.find('\n'), rest.size());
                count(entities, rest.substr(0, nl));
                rest.remove_prefix(std::min(nl + 1, rest.size()));
            }
        }
    }

    Xapian::doccount matches = 0;
    Counts dates;     // date value -> documents
    Counts entities;  // entity term -> documents

private:
    static void count(Counts& counts, std::string_view key) {
        if (auto it = counts.find(key); it != counts.end())
            ++it->second;
        else
            counts.emplace(std::string(key), 1);
    }
    bool dates_, entities_;
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

std::vector<EntityCount> top_entities(const FacetSpy& spy, EntityType type, std::size_t top,
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
void date_facet(const FacetSpy& spy, DateBucket by, bool share, const Xapian::Database& db,
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

SearchResult run(ArchiveReader& archive, const Plan& plan, const Highlight& marks) {
    const Xapian::Database& db = archive.database();
    Xapian::Enquire enquire(db);
    enquire.set_query(plan.query);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    DateKey key(plan.sort == SortOrder::newest);
    IdKey id;
    if (plan.sort != SortOrder::relevance)
        enquire.set_sort_by_key_then_relevance(&key, plan.sort == SortOrder::newest);
    else if (plan.limit > 0 && plan.exact_total)  // not for a count, nor like()'s estimates,
        enquire.set_sort_by_relevance_then_key(&id, false);  // whose early end it would delay
    if (plan.collapse) enquire.set_collapse_key(schema::slot_near_duplicate);
    // Facets: match spies see every matching document (check_at_least below), so counts are exact.
    const bool entity_facets = std::any_of(std::begin(plan.facets.entity),
                                           std::end(plan.facets.entity), [](bool b) { return b; });
    FacetSpy spy(plan.facets.date, entity_facets);
    if (entity_facets || plan.facets.date) enquire.add_matchspy(&spy);
    CollapseCounter collapsed;
    if (plan.collapse && plan.exact_total) enquire.add_matchspy(&collapsed);
    // Asking Xapian to check every document makes `total` exact rather than an estimate:
    // researchers count matches, so an estimate is not good enough for a search. A time limit
    // stops the counting (not the ranking of the top hits) when it runs out.
    if (plan.time_limit > 0) enquire.set_time_limit(plan.time_limit);
    const auto started = std::chrono::steady_clock::now();
    Xapian::MSet mset =
        enquire.get_mset(plan.offset, plan.limit, plan.exact_total ? db.get_doccount() : 0);
    const std::chrono::duration<double> spent = std::chrono::steady_clock::now() - started;

    SearchResult result;
    result.archives = archive.archive_count();
    for (int t = 0; t < 4; ++t)
        if (plan.facets.entity[t])
            result.facets.entities[t] =
                top_entities(spy, static_cast<EntityType>(t), plan.facets.top, archive.gazetteer());
    if (plan.facets.date) date_facet(spy, plan.facets.by, plan.facets.share, db, result.facets);
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
    if (plan.collapse && plan.exact_total && !cut) {
        result.total = collapsed.hits();
        result.total_exact = true;
    } else if (plan.collapse) {  // an estimate, and never above the matches before collapsing
        result.total = std::min(result.total, mset.get_uncollapsed_matches_estimated());
    }
    Xapian::doccount rank = plan.offset;
    const std::string open(1, mark_open), close(1, mark_close);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Hit hit;
        hit.rank = ++rank;
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
        hit.document = archive.fetch(*it);
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
            Plan plan{
                filtered(build_query(request.query, archive.database(),
                                     [&]() -> const Gazetteer& { return archive.gazetteer(); }),
                         request.dates),
                request.sort,
                request.collapse,
                request.offset,
                request.limit,
                request.facets,
                true,
                request.fetch,
                korean_targets(request.query),
                request.time_limit};
            return std::make_pair(plan, request.query);
        },
        marks);
}

SearchResult like(ArchiveReader& archive, const LikeRequest& request, const Highlight& marks) {
    // A pasted example is indexed as any document would be; an archived one is read inside the
    // retries, since a writer may change the database under the reader.
    std::optional<std::vector<ExampleTerm>> pasted_terms;
    if (request.id.empty())
        pasted_terms =
            content_terms(schema::make_document(as_article(request.text), StoreLocation{}, {}, {},
                                                schema::version_of(archive.database())),
                          schema::version_of(archive.database()) >= 3);
    return with_retries(
        archive,
        [&] {
            const Xapian::Database& db = archive.database();
            const bool merged = schema::version_of(db) >= 3;
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
                const double stem_df = db.get_termfreq(t.term),
                             word_df = word.empty() ? 0 : db.get_termfreq(word);
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
            for (const Candidate& c : candidates) {
                terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                                   schema::stem_query(c.term->term, merged), c.term->count);
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
