// panmun-query's option groups.
#include "query_options.hpp"

#include <map>

#include "panmun/errors.hpp"

namespace panmun::cli {
namespace {

Date date_of(const std::string& value) {
    return *Date::parse_iso(value);
}  // checked by date_value()

}  // namespace

const std::map<std::string, DateBucket>& date_buckets() {
    static const std::map<std::string, DateBucket> buckets = {{"auto", DateBucket::automatic},
                                                              {"year", DateBucket::year},
                                                              {"month", DateBucket::month},
                                                              {"day", DateBucket::day}};
    return buckets;
}

CLI::Validator date_value() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            if ((value.size() == 4 || value.size() == 7 || value.size() == 10) &&
                Date::parse_iso(value))
                return {};
            return "'" + value + "' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)";
        },
        "DATE");
}

void SearchOptions::add_to(CLI::App& cmd) {
    cmd.add_option("--from", from, "Only articles dated on or after (YYYY, YYYY-MM, YYYY-MM-DD)")
        ->check(date_value());
    cmd.add_option("--to", to, "Only articles dated on or before (YYYY, YYYY-MM, YYYY-MM-DD)")
        ->check(date_value());
    cmd.add_option("--sort", sort, "relevance, date (oldest first) or -date (newest first)")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, SortOrder>{{"relevance", SortOrder::relevance},
                                             {"date", SortOrder::date},
                                             {"-date", SortOrder::newest}}))
        ->default_str("relevance");
    cmd.add_flag("--collapse", collapse, "Show near-duplicate articles as one hit");
    cmd.add_option(
        "--facets", facets,
        "Count over all matches: person, org, place, event (top entities) and date (a histogram), "
        "e.g. --facets date,person");
    cmd.add_option("--facet-top", facet_top, "Entities shown per facet")->capture_default_str();
    cmd.add_option("--by", by, "Date facet buckets: auto (by the span), year, month or day")
        ->transform(CLI::CheckedTransformer(date_buckets()))
        ->default_str("auto");
    cmd.add_flag("--share", share,
                 "Date facet: each bucket's matches also as a share of all the archive's "
                 "documents dated in it");
}

DateRange date_range(const std::string& from, const std::string& to) {
    DateRange dates;
    if (!from.empty()) dates.low = DateRange::of(date_of(from)).low;
    if (!to.empty()) dates.high = DateRange::of(date_of(to)).high;
    if (!from.empty() && !to.empty() && dates.high < dates.low)
        throw UsageError("--from " + from + " is after --to " + to + ": no date is in that range");
    return dates;
}

void SearchOptions::apply(SearchRequest& request) const {
    request.dates = date_range(from, to);
    request.sort = sort;
    request.collapse = collapse;
    request.facets = FacetRequest::parse(facets);
    request.facets.top = facet_top;
    request.facets.by = by;
    request.facets.share = share;
    if (share && !request.facets.date)
        throw UsageError("--share is a share of the date facet: add --facets date");
}

void LikeOptions::add_to(CLI::App& cmd) {
    cmd.add_option("--before", before, "Only articles dated before (YYYY, YYYY-MM, YYYY-MM-DD)")
        ->check(date_value());
    cmd.add_option("--after", after, "Only articles dated after (YYYY, YYYY-MM, YYYY-MM-DD)")
        ->check(date_value());
    cmd.add_flag("--no-collapse", no_collapse, "Show every near-duplicate as its own hit");
    cmd.add_option("--terms", terms, "Words taken from the example")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
}

void LikeOptions::apply(LikeRequest& request) const {
    if (!before.empty()) request.dates = DateRange::before(date_of(before));
    if (!after.empty()) request.dates = request.dates.intersect(DateRange::after(date_of(after)));
    if (!before.empty() && !after.empty() && request.dates.high < request.dates.low)
        throw UsageError("--after " + after + " and --before " + before +
                         ": no date is in between");
    request.collapse = !no_collapse;
    request.terms = terms;
}

}  // namespace panmun::cli
