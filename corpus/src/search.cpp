// search() and like(): build a Xapian query, match, rank or sort, then fetch each hit's stored
// text for its snippet.
#include "panmun/search.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <string_view>

#include "panmun/errors.hpp"
#include "panmun/schema.hpp"

namespace panmun {
namespace {

constexpr int modified_retries = 3;

// Internal snippet markers, replaced by the caller's marks once their positions are known.
constexpr char mark_open = '\x01';
constexpr char mark_close = '\x02';

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

// Splits a snippet made with the internal markers into the plain text and its marked spans,
// merging spans that touch: Xapian marks each n-gram of Hangul separately ("김여", "여정").
void split_marks(const std::string& marked, Hit& hit, const Highlight& marks) {
    hit.plain_snippet.clear();
    hit.highlights.clear();
    for (char c : marked) {
        if (c == mark_open) {
            std::size_t at = hit.plain_snippet.size();
            if (!hit.highlights.empty() && hit.highlights.back().end == at)
                continue;  // extends the previous span
            hit.highlights.push_back({at, at});
        } else if (c == mark_close) {
            if (!hit.highlights.empty()) hit.highlights.back().end = hit.plain_snippet.size();
        } else {
            hit.plain_snippet += c;
        }
    }
    hit.snippet.clear();
    std::size_t from = 0;
    for (const Span& s : hit.highlights) {
        hit.snippet.append(hit.plain_snippet, from, s.begin - from);
        hit.snippet += marks.start;
        hit.snippet.append(hit.plain_snippet, s.begin, s.end - s.begin);
        hit.snippet += marks.end;
        from = s.end;
    }
    hit.snippet.append(hit.plain_snippet, from);
}

struct Plan {
    Xapian::Query query;
    SortOrder sort = SortOrder::relevance;
    bool collapse = false;
    Xapian::doccount offset = 0, limit = 10;
};

SearchResult run(ArchiveReader& archive, const Plan& plan, const Highlight& marks) {
    const Xapian::Database& db = archive.database();
    Xapian::Enquire enquire(db);
    enquire.set_query(plan.query);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    DateKey key(plan.sort == SortOrder::newest);
    if (plan.sort != SortOrder::relevance)
        enquire.set_sort_by_key_then_relevance(&key, plan.sort == SortOrder::newest);
    if (plan.collapse) enquire.set_collapse_key(schema::slot_near_duplicate);
    // Asking Xapian to check every document makes `total` exact rather than an estimate:
    // researchers count matches, so an estimate is not good enough.
    Xapian::MSet mset = enquire.get_mset(plan.offset, plan.limit, db.get_doccount());

    SearchResult result;
    result.total = mset.get_matches_estimated();
    Xapian::doccount rank = plan.offset;
    const std::string open(1, mark_open), close(1, mark_close);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Hit hit;
        hit.rank = ++rank;
        hit.score = it.get_weight();
        hit.duplicates = plan.collapse ? it.get_collapse_count() : 0;
        hit.document = archive.fetch(*it);
        std::string marked = mset.snippet(hit.document.text, marks.snippet_bytes,
                                          schema::stemmer(),
                                          Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
                                              Xapian::MSet::SNIPPET_EXHAUSTIVE |
                                              Xapian::MSet::SNIPPET_CJK_NGRAM,
                                          open, close, "…");
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

// Common English words, which say nothing about what an article is about (the stop list of
// Snowball's English stemmer, the one Xapian ships, in short).
bool is_stopword(std::string_view w) {
    static const std::set<std::string_view, std::less<>> words = {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
        "any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
        "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down",
        "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
        "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in",
        "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no",
        "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
        "ourselves", "out", "over", "own", "said", "same", "say", "says", "she", "should", "so",
        "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then",
        "there", "these", "they", "this", "those", "through", "to", "too", "under", "until",
        "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
        "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "given",
        "made", "make", "new", "one", "two", "us", "week", "year", "day", "today", "yesterday",
        "hi", "ha", "wa", "thi", "becaus", "veri", "onli", "ani"};  // last row: stems of the above
    return words.count(w) > 0;
}

// The example's words to weigh: its stems ("Zhotlin" stands for "hotline" and "hotlines"),
// and the words that have no stem because they only appear capitalised (names: "kaesong");
// not stop words, numbers or single letters, nor field terms.
std::vector<std::pair<std::string, Xapian::termcount>> content_terms(const Xapian::Document& doc) {
    std::vector<std::pair<std::string, Xapian::termcount>> out;
    const Xapian::Stem stem = schema::stemmer();
    std::set<std::string> stems;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        if ((*t)[0] == 'Z') stems.insert(*t);
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        const std::string& term = *t;
        const bool stemmed = term[0] == 'Z';
        std::string_view word = stemmed ? std::string_view(term).substr(1) : std::string_view(term);
        if (word.size() < 2 || is_stopword(word)) continue;
        unsigned char c = static_cast<unsigned char>(term[0]);
        if (!stemmed && std::isupper(c)) continue;  // a field term
        if (std::all_of(word.begin(), word.end(),
                        [](unsigned char d) { return std::isdigit(d) || d == ',' || d == '.'; }))
            continue;
        if (!stemmed && stems.count("Z" + stem(term))) continue;  // its stem stands for it
        out.emplace_back(term, t.get_wdf());
    }
    return out;
}

}  // namespace

SearchResult search(ArchiveReader& archive, const SearchRequest& request, const Highlight& marks) {
    return with_retries(
        archive,
        [&] {
            Xapian::QueryParser parser = schema::make_query_parser(archive.database());
            Plan plan{filtered(schema::parse_query(parser, request.query), request.dates),
                      request.sort, request.collapse, request.offset, request.limit};
            return std::make_pair(plan, request.query);
        },
        marks);
}

SearchResult like(ArchiveReader& archive, const LikeRequest& request, const Highlight& marks) {
    // The example as a Xapian document: the archive's own entry, or the text indexed as any
    // document would be.
    Xapian::Document example;
    if (!request.id.empty()) {
        const Xapian::Database& db = archive.database();
        auto it = db.postlist_begin(schema::id_term(request.id));
        if (it == db.postlist_end(schema::id_term(request.id)))
            throw UsageError("no document with id '" + request.id + "' in " + archive.path());
        example = db.get_document(*it);
    } else {
        Document doc;
        doc.text = request.text;
        example = schema::make_document(doc, StoreLocation{});
    }
    const auto terms_of_example = content_terms(example);
    return with_retries(
        archive,
        [&] {
            const Xapian::Database& db = archive.database();
            // Relevance feedback with the example as the one relevant document: each of its
            // words is weighed by how often the example uses it times how rare it is in the
            // archive (BM25's idf), and the best become an OR query in which each word counts
            // by that weight. (Saturating the example's counts as BM25 does for hits let words
            // the example mentions once outweigh its subject on small archives.) (Xapian's own ESet does the same for archived
            // documents, but finds nothing for a document outside the database, so one method
            // serves both.)
            const double n_docs = db.get_doccount();
            std::vector<std::pair<double, std::string>> weighed;
            std::map<std::string, double> counts;
            for (const auto& [term, count] : terms_of_example) {
                const double df = db.get_termfreq(term);
                if (df == 0) continue;  // in no archived document: cannot find anything
                const double idf = std::log((n_docs - df + 0.5) / (df + 0.5));
                if (idf <= 0) continue;  // in half the archive or more: says nothing
                const double wdf = count;
                weighed.emplace_back(idf * wdf, term);
                counts[term] = wdf;
            }
            if (weighed.empty()) throw UsageError("the example has no words to search for");
            const std::size_t keep = std::min<std::size_t>(request.terms, weighed.size());
            std::partial_sort(weighed.begin(), weighed.begin() + keep, weighed.end(),
                              [](const auto& a, const auto& b) { return a.first > b.first; });
            weighed.resize(keep);
            std::vector<Xapian::Query> terms;
            std::string description;
            for (const auto& [weight, term] : weighed) {
                terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term), counts[term]);
                description += (description.empty() ? "" : " ") + term;
            }
            Xapian::Query query(Xapian::Query::OP_OR, terms.begin(), terms.end());
            if (!request.id.empty())
                query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                                      Xapian::Query(schema::id_term(request.id)));
            Plan plan{filtered(query, request.dates), SortOrder::relevance, request.collapse,
                      request.offset, request.limit};
            return std::make_pair(plan, description);
        },
        marks);
}

}  // namespace panmun
