// How `panmun-query entities` shows what it finds: the entities of an archive, who is named
// with whom over time (co-occurrence), and names no entity covers; for people (text) and for
// programs (JSON, CSV).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "panmun/entity_report.hpp"
#include "panmun/timeline.hpp"

namespace panmun::cli {

// Co-occurrence. JSON: {"archive", "with": {id, type, name}, "query", "by", "documents",
// "buckets", "totals", "entities": [{id, type, name, documents, counts}]}, counts aligned with
// buckets. CSV: one row per entity and bucket, zeros included, with the documents naming the
// entity asked about in that bucket ("all"). Text: a table of entities by bucket when the
// buckets fit a terminal, else each entity's non-empty buckets.
nlohmann::json cooccurrence_json(const std::string& archive, const CooccurrenceRequest& asked,
                                 const CooccurrenceResult& r, std::string_view lang);
std::string cooccurrence_csv(const CooccurrenceResult& r, std::string_view lang);
void print_cooccurrence(const CooccurrenceResult& r, std::string_view lang, std::ostream& out);

// Names no entity covers (`entities --discover`). Text: documents and name a line. With
// `gazetteer`: lines of the gazetteer's format to edit and pass to `retag --entities`, the type
// guessed (person for two to four short romanized syllables or a Hangul name, else org).
nlohmann::json discovered_json(const std::string& archive, const std::string& query,
                               const std::vector<NameCandidate>& names);
void print_discovered(const std::vector<NameCandidate>& names, bool gazetteer, std::ostream& out);

}  // namespace panmun::cli
