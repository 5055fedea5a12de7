// How a search result is printed: text for people, or JSON, JSON Lines or CSV for programs, with
// the columns the user chose. One option group shared by `search` and `like` (and the columns
// and their JSON by anything else that shows hits).
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "panmun/search.hpp"

namespace panmun::cli {

// Every column a hit has, in the order help lists them.
const std::vector<std::string>& hit_fields();
// A hit as a JSON object of the given columns (`highlights` count code points).
nlohmann::json hit_json(const Hit& h, const std::vector<std::string>& columns);
// The columns of --json and --jsonl, and of text and --csv, when none are chosen.
std::vector<std::string> json_fields();
std::vector<std::string> csv_fields();
// `columns` with "archive" after "id": the default columns when several archives are searched.
std::vector<std::string> with_archive(std::vector<std::string> columns);
// "id,title" as columns; nullopt with `error` set for an unknown name.
std::optional<std::vector<std::string>> parse_fields(const std::string& list, std::string& error);
// Whether these columns need the stored documents (anything the index does not hold).
bool needs_documents(const std::vector<std::string>& columns);
// The language of entity names: the one asked for, else Korean for a query in Korean.
std::string facet_language(std::string_view asked, std::string_view query);
// A date bucket's matches as a share of the archive's documents in it (0 when it has none).
double share_of(const DateCount& d);
// The facets as `search --json` gives them.
nlohmann::json facets_json(const Facets& f, const FacetRequest& asked, std::string_view lang);

// The total and the facets as CSV (what `search --count --csv --facets ...` prints): one row
// per entity or date bucket, "facet,key,name,count,all,share" ("all" and "share" for date
// buckets with --share).
std::string facets_csv(const SearchResult& result, const FacetRequest& asked,
                       std::string_view lang);

// What a page of results was asked for, echoed by result_json().
struct ResultPage {
    Xapian::doccount offset = 0, limit = 10;
    FacetRequest facets;
    std::string lang = "en";
};
// A search or like result as one JSON document: what `search --json` prints and the web API
// returns.
nlohmann::json result_json(const SearchResult& result, const std::vector<std::string>& columns,
                           const ResultPage& page);
// RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled.
std::string csv_cell(const std::string& s);
// The header line and one line per hit of --csv, each ending in CRLF.
std::string csv_header(const std::vector<std::string>& columns);
std::string csv_row(const Hit& h, const std::vector<std::string>& columns);

struct OutputOptions {
    std::vector<std::string> fields;  // empty: the default columns of the format
    bool count_only = false;
    Xapian::doccount limit = 10;
    Xapian::doccount offset = 0;
    FacetRequest facets;  // printed after the hits when any is asked for (search only)
    // The language of entity names in facets: "ko", "en", or "" for the query's (Korean if it
    // has Hangul or Hanja).
    std::string lang;

    void add_to(CLI::App& cmd);
    // ANSI colour marks on a terminal for text, "**" otherwise.
    Highlight highlight() const;
    // Whether the chosen columns need the stored documents (anything but rank, id, date, score
    // and duplicates, which the index holds).
    bool needs_documents() const;
    // Paging and columns into a SearchRequest or LikeRequest: offset, limit (0 for a count) and
    // whether the hits need their stored documents.
    template <class Request>
    void apply(Request& request) const {
        request.offset = offset;
        request.limit = count_only ? 0 : limit;
        request.fetch = needs_documents();
    }
    // Writes `result`; returns the exit status (0 something found, 1 nothing).
    int print(const SearchResult& result, std::ostream& out) const;

private:
    bool json_flag_ = false, jsonl_flag_ = false, csv_flag_ = false;
    std::string fields_text_;
    // The columns of `result`'s hits: --fields, else the format's defaults (with the archive
    // of each hit when several were searched).
    std::vector<std::string> chosen(const SearchResult& result) const;
};

}  // namespace panmun::cli
