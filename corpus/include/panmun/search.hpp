// Ranked search over an archive: BM25 (Xapian's default weighting) with snippets, date filters
// and orders; and `like`, the articles most similar to a given one (relevance feedback).
#pragma once

#include <xapian.h>

#include <string>
#include <utility>
#include <vector>

#include "panmun/archive.hpp"
#include "panmun/date.hpp"
#include "panmun/document.hpp"
#include "panmun/entities.hpp"
#include "panmun/timeline.hpp"

namespace panmun {

enum class SortOrder {
    relevance,  // BM25, best first
    date,       // oldest first; equal dates by relevance; undated articles last
    newest,     // newest first; equal dates by relevance; undated articles last
};

// Which facets to count over all documents matching a query (not only the hits shown).
struct FacetRequest {
    bool entity[4] = {false, false, false, false};  // by EntityType: person, org, place, event
    bool date = false;
    std::size_t top = 10;  // entities per type
    DateBucket by =
        DateBucket::automatic;  // automatic: years over 3+ years, else months, else days
    // Each date bucket also counts the archive's documents dated in it (DateCount::all), so
    // that a count can be read as a share of the month's or year's output.
    bool share = false;
    bool any() const { return date || entity[0] || entity[1] || entity[2] || entity[3]; }
    // "person,org,place,event,date"; throws UsageError naming an unknown facet.
    static FacetRequest parse(std::string_view list);
};

struct EntityCount {
    const Entity* entity = nullptr;  // in the built-in gazetteer; null if it has no such id
    std::string id;
    EntityType type = EntityType::person;
    Xapian::doccount count = 0;  // matching documents that name it
};
struct DateCount {
    std::string bucket;  // "2013", "2013-03", "2013-03-27"; a less precise date keeps its own
                         // precision ("2013" among months)
    Xapian::doccount count = 0;
    Xapian::doccount all = 0;  // FacetRequest::share: archived documents dated in the bucket
};
struct Facets {
    std::vector<EntityCount> entities[4];  // by EntityType, most documents first
    DateBucket by = DateBucket::year;      // the granularity used
    std::vector<DateCount> dates;          // in time order; empty years and months included
    Xapian::doccount undated = 0;          // matching documents without a date
    bool exact = true;  // false when a time limit stopped the counting (SearchRequest::time_limit)
};

struct SearchRequest {
    std::string query;  // the user's query, in the syntax of docs/QUERY.md
    DateRange dates;    // only documents dated within (--from/--to); open: no filter
    SortOrder sort = SortOrder::relevance;
    bool collapse = false;  // near-duplicates (same near_duplicate_key) show as one hit
    Xapian::doccount offset = 0;
    Xapian::doccount limit = 10;
    FacetRequest facets;
    // false: hits carry rank, score, duplicates and the document's id and date, read from the
    // index; the store is not read (no other field, no snippet): for scripts that want ids.
    bool fetch = true;
    // Seconds after which Xapian stops counting the matches (0: no limit): the top hits are
    // still the best ones, but the total becomes an estimate (total_exact false) and the facets
    // count only the matches seen (Facets::exact false). For a server, not for researchers.
    double time_limit = 0;
};

// How matched words are marked in snippets: ANSI bold on a terminal, "**" in plain text.
struct Highlight {
    std::string start = "**";
    std::string end = "**";
    std::size_t snippet_bytes = 240;  // the length of the passage, as Xapian counts it
};

// A marked stretch of a snippet: bytes [begin, end) of Hit::plain_snippet.
struct Span {
    std::size_t begin = 0, end = 0;
    bool operator==(const Span&) const = default;
};

struct Hit {
    Xapian::doccount rank = 0;  // 1-based, counting from the first result of the whole query
    double score = 0;           // BM25 weight
    Document document;
    std::string snippet;              // the best passage with matched words marked; "…" where cut
    std::string plain_snippet;        // the same passage without marks
    std::vector<Span> highlights;     // where the marks were, in plain_snippet
    Xapian::doccount duplicates = 0;  // near-duplicates collapsed into this hit
    std::string archive;  // the archive's path, when several are searched as one (else empty)
};

struct SearchResult {
    std::string query;  // as given; for like(), the expansion terms used
    // Number of matching documents (of hits, when collapsing): exact for search(); for like(),
    // Xapian's estimate (total_exact false) unless the limit is 0 (a count), since the OR of the
    // example's words matches much of an archive and counting it all would cost most of the time.
    Xapian::doccount total = 0;
    bool total_exact = true;
    std::vector<Hit> hits;
    Facets facets;             // as requested; counts are exact, over every matching document
    std::size_t archives = 1;  // how many archives were searched as one (Hit::archive when > 1)
};

// Runs `request` on `archive`. Throws QuerySyntaxError (a UsageError) on a syntax error; reopens
// the archive and retries if a writer commits while the results are being read.
SearchResult search(ArchiveReader& archive, const SearchRequest& request, const Highlight& marks);

// "More like this": the articles most similar to an archived one (`id`) or to a text that is
// not archived (`text`, e.g. a pasted article). The example's most distinctive words (relevance
// feedback: its frequent words that are rare in the archive) become an OR query, each word
// weighted by its distinctiveness, ranked by BM25. The example itself is never a hit.
struct LikeRequest {
    std::string id;    // an archived document, or empty to use `text`
    std::string text;  // the example's text when `id` is empty (a title may lead it)
    DateRange dates;   // --before/--after: only hits dated within
    bool collapse = true;
    unsigned terms = 25;  // words taken from the example (Lucene's MoreLikeThis default)
    Xapian::doccount offset = 0;
    Xapian::doccount limit = 10;
    bool fetch = true;      // as SearchRequest::fetch
    double time_limit = 0;  // as SearchRequest::time_limit
};

// Throws UsageError if `id` is not in the archive or the text has no words to search for.
SearchResult like(ArchiveReader& archive, const LikeRequest& request, const Highlight& marks);

}  // namespace panmun
