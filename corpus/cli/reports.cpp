// The programs' reports, as text (fmt) and as JSON (nlohmann).
#include "reports.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace panmun::cli {

namespace {

nlohmann::json counts_json(const InputReport& r) {
    return {{"read", r.read},           {"added", r.added},         {"replaced", r.replaced},
            {"unchanged", r.unchanged}, {"skipped", r.skipped},     {"duplicates", r.duplicates},
            {"repaired", r.repaired},   {"converted", r.converted}, {"warnings", r.warnings},
            {"files", r.files},         {"bytes", r.bytes}};
}

std::string clock_text(double seconds) {
    const long s = static_cast<long>(seconds + 0.5);
    return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
}

}  // namespace

nlohmann::json ingest_json(const IngestSummary& s) {
    const IngestReport& report = *s.report;
    nlohmann::json j = {{"archive", s.archive},
                        {"seconds", report.seconds},
                        {"dry_run", s.dry_run},
                        {"recovered", s.recovered},
                        {"inputs", nlohmann::json::array()}};
    for (const auto& r : report.inputs) {
        nlohmann::json problems = nlohmann::json::array();
        for (const auto& p : r.problems)
            problems.push_back({{"where", p.where.str()}, {"message", p.message}});
        nlohmann::json duplicates = nlohmann::json::array();
        for (const auto& d : r.duplicate_list)
            duplicates.push_back({{"where", d.where.str()}, {"id", d.id}, {"into", d.into}});
        nlohmann::json in = counts_json(r);
        in["input"] = r.input;
        in["problems"] = std::move(problems);
        in["replaced_ids"] = r.replaced_ids;
        in["duplicate_records"] = std::move(duplicates);
        j["inputs"].push_back(std::move(in));
    }
    j["total"] = counts_json(report.total());
    j["total"]["deleted"] = report.deleted;
    if (s.compaction)
        j["compaction"] = {{"store_rewritten", s.compaction->store_rewritten},
                           {"store_seconds", s.compaction->store_seconds},
                           {"index_seconds", s.compaction->index_seconds}};
    return j;
}

void print_ingest(const IngestSummary& s, bool verbose, std::ostream& out) {
    const IngestReport& report = *s.report;
    for (const auto& n : s.recovered) out << "recovered: " << n << "\n";
    const std::size_t shown = verbose ? InputReport::max_problems : 5;
    for (const auto& r : report.inputs) {
        out << fmt::format("{}: read {}", r.input, r.read);
        if (r.files > 1) out << fmt::format(" from {} files", r.files);
        out << fmt::format(
            ", added {}, replaced {}, unchanged {}, duplicates {}, skipped {}, warnings {}",
            r.added, r.replaced, r.unchanged, r.duplicates, r.skipped, r.warnings);
        if (r.repaired) out << fmt::format(", repaired {}", r.repaired);
        if (r.converted) out << fmt::format(", converted from CP949 {}", r.converted);
        out << "\n";
        for (std::size_t i = 0; i < r.problems.size() && i < shown; ++i)
            out << "  " << r.problems[i].where.str() << ": " << r.problems[i].message << "\n";
        const std::uint64_t more =
            r.problem_count - std::min<std::uint64_t>(r.problems.size(), shown);
        if (more) out << fmt::format("  ... and {} more (--verbose or --json to list)\n", more);
    }
    const InputReport t = report.total();
    const double seconds = report.seconds;
    out << fmt::format(
        "{}: {}{} added, {} replaced, {} unchanged, {} deleted, {} duplicates, {} skipped in "
        "{:.2f} s "
        "({:.0f} docs/s, {:.1f} MB/s of input)\n",
        s.archive, s.dry_run ? "DRY RUN, nothing changed: " : "", t.added, t.replaced, t.unchanged,
        report.deleted, t.duplicates, t.skipped, seconds,
        seconds > 0 ? (t.indexed() + t.unchanged) / seconds : 0.0,
        seconds > 0 ? t.bytes / 1e6 / seconds : 0.0);
    if (const CompactReport* c = s.compaction) {
        out << fmt::format("{}: then ", s.archive);
        if (c->store_rewritten)
            out << fmt::format("store rewritten in {:.2f} s, ", c->store_seconds);
        out << fmt::format("index compacted in {:.2f} s; {:.2f} s in all\n", c->index_seconds,
                           seconds + c->store_seconds + c->index_seconds);
    }
}

std::string ingest_progress(const IngestReport& r) {
    const InputReport t = r.total();
    const double rate = r.seconds > 0 ? (t.indexed() + t.unchanged) / r.seconds : 0.0;
    std::string text =
        fmt::format("{} docs ({} new, {} replaced, {} unchanged)  {:.0f} docs/s",
                    t.indexed() + t.unchanged, t.added, t.replaced, t.unchanged, rate);
    if (r.raw_bytes_total && r.raw_bytes_done) {
        const double done = std::min(1.0, double(r.raw_bytes_done) / r.raw_bytes_total);
        constexpr int width = 24;
        const int filled = static_cast<int>(done * width);
        text = fmt::format("[{}{}] {}%  {}  ETA {}", std::string(filled, '#'),
                           std::string(width - filled, '.'), static_cast<int>(done * 100), text,
                           clock_text(std::max(0.0, r.seconds * (1 / done - 1))));
    }
    return text;
}

nlohmann::json retag_json(const std::string& archive, const RetagReport& r) {
    return {{"archive", archive}, {"documents", r.documents}, {"changed", r.changed}};
}

void print_retag(const std::string& archive, const RetagReport& r, std::ostream& err) {
    err << fmt::format("{}: {} documents read, {} with changed entity tags\n", archive, r.documents,
                       r.changed);
}

nlohmann::json delete_json(const DeleteSummary& s) {
    return {{"archive", s.archive},
            {"dry_run", s.dry_run},
            {"recovered", s.recovered},
            {"deleted", s.deleted},
            {"missing", s.missing}};
}

void print_delete(const DeleteSummary& s, std::ostream& err) {
    for (const auto& n : s.recovered) err << "recovered: " << n << "\n";
    for (const auto& id : s.missing) err << "panmun-index: no document with id '" << id << "'\n";
    err << fmt::format("{}: {}{} deleted\n", s.archive,
                       s.dry_run ? "DRY RUN, nothing changed: " : "", s.deleted.size());
}

namespace {

// The entries of `list` of `type` (any if empty), at most `top`.
std::vector<const EntityPresence*> chosen_entities(const std::vector<EntityPresence>& list,
                                                   const std::string& type, std::size_t top) {
    std::vector<const EntityPresence*> out;
    for (const EntityPresence& p : list) {
        if (out.size() == top) break;
        if (type.empty() || entity_type_name(p.entity->type) == type) out.push_back(&p);
    }
    return out;
}

}  // namespace

nlohmann::json entities_json(const std::string& archive, const std::vector<EntityPresence>& list,
                             const std::string& type, std::size_t top, std::string_view lang) {
    nlohmann::json out = nlohmann::json::array();
    for (const EntityPresence* p : chosen_entities(list, type, top))
        out.push_back({{"id", p->entity->id},
                       {"name", p->entity->name_in(lang)},
                       {"type", entity_type_name(p->entity->type)},
                       {"count", p->documents}});
    return {{"archive", archive}, {"entities", std::move(out)}};
}

void print_entities(const std::vector<EntityPresence>& list, const std::string& type,
                    std::size_t top, std::string_view lang, std::ostream& out) {
    for (const EntityPresence* p : chosen_entities(list, type, top))
        out << p->documents << "\t" << entity_type_name(p->entity->type) << ":" << p->entity->id
            << "\t" << p->entity->name_in(lang) << "\n";
}

nlohmann::json stats_json(const std::string& archive, const ArchiveStats& s) {
    const double text = static_cast<double>(std::max<std::uint64_t>(1, s.text_bytes));
    nlohmann::json years = nlohmann::json::object();
    for (auto [year, n] : s.per_year) years[std::to_string(year)] = n;
    return {{"archive", archive},
            {"documents", s.documents},
            {"text_bytes", s.text_bytes},
            {"store_bytes", s.store_bytes},
            {"index_bytes", s.index_bytes},
            {"store_ratio", s.store_bytes / text},
            {"archive_ratio", (s.store_bytes + s.index_bytes) / text},
            {"dead_documents", s.dead_documents},
            {"dictionary", s.dictionary},
            {"per_year", years},
            {"undated", s.undated},
            {"format_version", s.format_version},
            {"created", s.created},
            {"created_by", s.created_by},
            {"updated", s.updated},
            {"updated_by", s.updated_by}};
}

void print_stats(const ArchiveStats& s, std::ostream& out) {
    const double text = static_cast<double>(std::max<std::uint64_t>(1, s.text_bytes));
    out << fmt::format(
        "documents   {} ({} replaced or deleted, awaiting compact)\n"
        "text        {:.1f} MB\n"
        "store       {:.1f} MB  ({:.3f} of the text{})\n"
        "index       {:.1f} MB\n"
        "archive     {:.1f} MB  ({:.3f} of the text)\n",
        s.documents, s.dead_documents, s.text_bytes / 1e6, s.store_bytes / 1e6,
        s.store_bytes / text, s.dictionary ? ", with dictionary" : "", s.index_bytes / 1e6,
        (s.store_bytes + s.index_bytes) / 1e6, (s.store_bytes + s.index_bytes) / text);
    auto by = [](const std::string& writer) {
        return writer.empty() ? std::string("a panmun that did not record its version") : writer;
    };
    out << fmt::format("format      {}, index schema {}, created {} by {}, updated {} by {}\n",
                       s.format_version, s.schema_version, s.created, by(s.created_by), s.updated,
                       by(s.updated_by));
    out << "per year:\n";
    for (auto [year, n] : s.per_year) out << fmt::format("  {}  {}\n", year, n);
    if (s.undated) out << fmt::format("  undated  {}\n", s.undated);
}

nlohmann::json verify_json(const std::string& archive, const VerifyReport& r) {
    return {{"archive", archive},
            {"ok", r.ok()},
            {"documents", r.documents},
            {"clusters", r.clusters},
            {"store_documents", r.store_documents},
            {"problems", r.problems},
            {"notes", r.notes}};
}

void print_verify(const std::string& archive, const VerifyReport& r, bool quiet,
                  std::ostream& err) {
    for (const auto& p : r.problems) err << "panmun-index: " << p << "\n";
    if (quiet) return;
    for (const auto& n : r.notes) err << "note: " << n << "\n";
    err << fmt::format("{}: {} ({} documents, {} clusters checked, {} problem(s))\n", archive,
                       r.ok() ? "ok" : "DAMAGED", r.documents, r.clusters, r.problems.size());
}

}  // namespace panmun::cli
