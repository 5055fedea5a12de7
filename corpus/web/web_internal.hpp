// What the application (app.cpp) and its pages (pages.cpp) share: the state of a search as the
// URL carries it, and the escaping of HTML and URLs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http.hpp"
#include "panmun/entity_report.hpp"
#include "panmun/search.hpp"
#include "panmun/timeline.hpp"
#include "panmun/url.hpp"

namespace panmun::web {

// A search as its URL says it: /search?q=…&f=person:kim-jong-un&from=2013&to=2013-06&page=2.
// Everything a page shows follows from it, so permalinks, back and forward just work.
struct SearchState {
    std::string archive;               // the archive's name; empty: the first
    std::string q;                     // what the user typed
    std::vector<std::string> filters;  // facet entries chosen ("person:kim-jong-un")
    std::string from, to;              // YYYY, YYYY-MM or YYYY-MM-DD
    std::string sort = "relevance";    // relevance, date, -date
    unsigned page = 1;
    Xapian::doccount per_page = 10;
    bool collapse = false;
    bool share = false;  // the timeline as shares of each bucket's articles

    // Reads the parameters; throws UsageError naming a bad one.
    static SearchState from_request(const HttpRequest& request, std::size_t max_query);
    // The query run: the typed query, then the filters (which restrict all of it).
    std::string query() const;
    bool empty() const { return q.empty() && filters.empty(); }
    // The URL of this state ("/search?…"), parameters in a fixed order.
    std::string url() const;
    // The request for panmun's search, with the page's facets.
    SearchRequest request(double time_limit) const;
};

// Parameters the pages and the API read alike; each throws UsageError (answered with 400)
// naming the parameter. An empty date passes (no bound).
void check_date(const std::string& name, const std::string& value);
SortOrder sort_order(const std::string& value);  // relevance, date, -date

std::string html_escape(std::string_view text);

// What a page needs to know besides its own data.
struct Site {
    std::vector<std::string> archives;  // names
    std::string archive;                // the one shown
    bool cooccurrence = true;           // false over a remote shard, which cannot count it
};

struct SearchPage {
    SearchState state;
    const SearchResult* result = nullptr;  // null: no search yet (or an error)
    std::string error;                     // a query error's message
    std::size_t error_column = 0;          // 1-based, 0 when the error has none
    std::uint64_t documents = 0;           // in the archive
};
std::string render_search(const Site& site, const SearchPage& page);

struct DocumentPage {
    Document document;
    std::vector<TaggedEntity> entities;
    const SearchResult* precedents = nullptr;  // like --before the document's date
};
std::string render_document(const Site& site, const DocumentPage& page);

std::string render_message(const Site& site, int status, const std::string& message);

// Who is named with an entity, over time: /with?e=person:kim-jong-un&q=…&by=year.
struct WithPage {
    std::string archive;  // as in the URL; empty: the first
    std::string e, q, by, from, to;
    const CooccurrenceResult* result = nullptr;
    std::string error;
};
std::string render_with(const Site& site, const WithPage& page);
// The /with page for an entity filter ("person:kim-jong-un"), within a search's query and dates.
std::string with_url(const SearchState& state, const std::string& filter);

// Parts of every page (pages.cpp).
std::string head(const std::string& title);
std::string header(const Site& site, const SearchState& state, const std::string& error,
                   std::size_t column);
std::string footer(const Site& site, std::uint64_t documents, const std::string& export_query);
std::string grouped(std::uint64_t n);  // 12,345

}  // namespace panmun::web
