// How the programs show what the library reports: for people (lines of text) and for scripts
// (JSON). One place for each report, so that both programs, and their tests, agree on them.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "panmun/archive.hpp"
#include "panmun/document.hpp"
#include "panmun/entity_report.hpp"
#include "panmun/ingest.hpp"
#include "panmun/inspect.hpp"

namespace panmun::cli {

// A document's fields as JSON ("date" null when undated), with or without its text: what
// `show --json` prints and what a hit's columns are taken from.
nlohmann::json document_json(const Document& doc, bool with_text);
// A document for people: its fields, one a line, a blank line, its text (`show`).
std::string document_text(const Document& doc);

// An ingest's report. JSON: counts per input and in total, every problem kept, the ids
// replaced and each duplicate with the id it was folded into. Text: a line per input with its
// first problems (all kept with `verbose`), then a total line with rates.
struct IngestSummary {
    std::string archive;
    const IngestReport* report = nullptr;
    std::vector<std::string> recovered;  // what opening the archive repaired
    bool dry_run = false;
    const CompactReport* compaction = nullptr;  // the compaction that ended it, if any
};
nlohmann::json ingest_json(const IngestSummary& s);
void print_ingest(const IngestSummary& s, bool verbose, std::ostream& out);
// The progress line of an ingest: documents, rate, and with a known input size a bar and ETA.
std::string ingest_progress(const IngestReport& r);

// `retag`: documents read and changed.
nlohmann::json retag_json(const std::string& archive, const RetagReport& r);
void print_retag(const std::string& archive, const RetagReport& r, std::ostream& err);

// `delete`: the ids deleted and those not found.
struct DeleteSummary {
    std::string archive;
    std::vector<std::string> deleted, missing, recovered;
    bool dry_run = false;
};
nlohmann::json delete_json(const DeleteSummary& s);
void print_delete(const DeleteSummary& s, std::ostream& err);

// `entities`: the archive's entities with their counts, most documents first; `type` empty for
// every type. JSON: {"archive", "entities": [{id, name, type, count}]}; text: a line each.
nlohmann::json entities_json(const std::string& archive, const std::vector<EntityPresence>& list,
                             const std::string& type, std::size_t top, std::string_view lang);
void print_entities(const std::vector<EntityPresence>& list, const std::string& type,
                    std::size_t top, std::string_view lang, std::ostream& out);

nlohmann::json stats_json(const std::string& archive, const ArchiveStats& s);
void print_stats(const ArchiveStats& s, std::ostream& out);

nlohmann::json verify_json(const std::string& archive, const VerifyReport& r);
// Problems on `err` always; notes and the verdict line unless quiet.
void print_verify(const std::string& archive, const VerifyReport& r, bool quiet, std::ostream& err);

}  // namespace panmun::cli
