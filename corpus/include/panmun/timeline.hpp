// Timelines: documents counted by date bucket (the date facet's years, months or days), the
// archive's own count in each bucket for shares ("1.2% of March's documents", since a rising
// count can be a rising volume), and the entities named together with one entity over time
// (co-occurrence: "who appears beside Kim Jong Un, year by year").
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "panmun/archive.hpp"
#include "panmun/date.hpp"
#include "panmun/entities.hpp"

namespace panmun {

enum class DateBucket { automatic, year, month, day };
std::string_view bucket_name(DateBucket by);  // "year", "month", "day" ("auto" for automatic)

// The granularity for dates from `first` to `last` (sortable values, "YYYYMMDD" with 00 for
// unknown parts): `by` itself unless automatic; then years over three years or more, months
// over three months or more, else days; never finer than `finest`, the most precise date seen
// (dates known to the year only are counted by year).
DateBucket choose_bucket(DateBucket by, std::string_view first, std::string_view last,
                         DateBucket finest = DateBucket::day);
// The precision of a sortable date value: year, month or day.
DateBucket precision_of(std::string_view value);
// The bucket of a sortable date value: "2013", "2013-03" or "2013-03-27". A date less precise
// than the granularity keeps its own precision ("2013" among months).
std::string bucket_of(std::string_view value, DateBucket by);
// The buckets from `first` to `last` (bucket names), every year or month between them included:
// a timeline shows its empty years and months. Days are not filled in.
std::vector<std::string> bucket_range(DateBucket by, std::string_view first, std::string_view last);
// The archived documents dated in `bucket` of a timeline by `by`: exact, from the year, month
// and day terms. A less precise bucket ("2013" among months) counts the documents dated only
// that precisely.
Xapian::doccount documents_in(const Xapian::Database& db, std::string_view bucket, DateBucket by);

// Who is named with whom: the documents tagged with `with` (and matching `query`, if any, in
// the syntax of docs/QUERY.md, within `dates`), and for each other entity the number of those
// documents that name it, in total and per date bucket. Exact: every matching document is read.
struct CooccurrenceRequest {
    std::string with;   // "person:kim-jong-un", or any entity filter of the query language
    std::string query;  // narrows the documents further; empty: all that name `with`
    DateRange dates;
    DateBucket by = DateBucket::automatic;
    bool types[4] = {true, true, true, true};  // by EntityType: which entities to list
    std::size_t top = 20;                      // entities listed, most documents first
};
struct CooccurrenceRow {
    const Entity* entity = nullptr;  // in the archive's gazetteer; null if it no longer has the id
    EntityType type = EntityType::person;
    std::string id;
    Xapian::doccount documents = 0;        // of the matching documents, those naming it
    std::vector<Xapian::doccount> counts;  // per bucket (CooccurrenceResult::buckets), and
                                           // undated last when there are undated documents
};
struct CooccurrenceResult {
    std::string with;                      // as asked
    const Entity* entity = nullptr;        // the entity `with` names
    Xapian::doccount documents = 0;        // matching documents (all name `with`)
    DateBucket by = DateBucket::year;      // the granularity used
    std::vector<std::string> buckets;      // in time order, empty years and months included,
                                           // then "undated" if some documents have no date
    std::vector<Xapian::doccount> totals;  // matching documents per bucket
    std::vector<CooccurrenceRow> rows;     // most documents first, ties by id
};
// Throws UsageError if `with` is not an entity filter, QueryError for an unknown entity or a
// bad query.
CooccurrenceResult cooccurrence(ArchiveReader& archive, const CooccurrenceRequest& request);

}  // namespace panmun
