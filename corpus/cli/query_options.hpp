// Option groups of panmun-query's search and like: each registers its CLI11 options and fills
// the library's request. CLI11 checks and converts the values; what only makes sense together
// (--from after --to) is checked when the request is made.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "panmun/search.hpp"

namespace panmun::cli {

// --from, --to, --sort, --collapse, --facets, --facet-top, --by, --share.
struct SearchOptions {
    std::string from, to;
    SortOrder sort = SortOrder::relevance;
    bool collapse = false;
    std::string facets;
    DateBucket by = DateBucket::automatic;
    bool share = false;
    std::size_t facet_top = FacetRequest{}.top;

    void add_to(CLI::App& cmd);
    // These settings in `request` (its query, paging and columns are the caller's). Throws
    // UsageError for a date range that ends before it starts, or an unknown facet.
    void apply(SearchRequest& request) const;
};

// --before, --after, --no-collapse, --terms.
struct LikeOptions {
    std::string before, after;
    bool no_collapse = false;
    unsigned terms = LikeRequest{}.terms;

    void add_to(CLI::App& cmd);
    void apply(LikeRequest& request) const;  // throws UsageError as SearchOptions::apply
};

// A date option's value, YYYY, YYYY-MM or YYYY-MM-DD (a CLI11 check).
CLI::Validator date_value();
// The dates from --from to --to (either may be empty: open), each checked by date_value().
// Throws UsageError if --from is after --to.
DateRange date_range(const std::string& from, const std::string& to);
// The values of --by (and the web's by=): "auto", "year", "month", "day".
const std::map<std::string, DateBucket>& date_buckets();

}  // namespace panmun::cli
