// Result printing: one column model (a field name → its value for a hit) for every format.
#include "results.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "options.hpp"
#include "panmun/errors.hpp"
#include "panmun/korean.hpp"
#include "panmun/unicode.hpp"
#include "reports.hpp"

namespace panmun::cli {
namespace {

const std::vector<std::string> all_fields = {
    "rank",   "id",    "date",    "source",     "title",      "url",     "path", "lang",
    "author", "score", "snippet", "highlights", "duplicates", "archive", "text"};

// "a,b,,c" as its names.
std::vector<std::string> split_fields(const std::string& list) {
    std::vector<std::string> out;
    for (std::size_t from = 0; from <= list.size();) {
        const std::size_t comma = std::min(list.find(',', from), list.size());
        if (comma > from) out.push_back(list.substr(from, comma - from));
        from = comma + 1;
    }
    return out;
}

// "rank id date …": the names of all_fields, for help.
std::string field_names() {
    std::string names;
    for (const std::string& f : all_fields) names += (names.empty() ? "" : " ") + f;
    return names;
}

// A hit's citation is its id, source, date and url, or the path of its file when it has no url.
const std::vector<std::string> default_fields = {"rank", "id",   "date",  "source", "title",
                                                 "url",  "path", "score", "snippet"};

nlohmann::json highlights_json(const Hit& h) {
    nlohmann::json spans = nlohmann::json::array();
    for (const Span& s : h.highlights)
        spans.push_back({unicode::chars_before(h.plain_snippet, s.begin),
                         unicode::chars_before(h.plain_snippet, s.end)});
    return spans;
}

}  // namespace

const std::vector<std::string>& hit_fields() { return all_fields; }

double share_of(const DateCount& d) {
    return d.all ? static_cast<double>(d.count) / static_cast<double>(d.all) : 0;
}

nlohmann::json hit_json(const Hit& h, const std::vector<std::string>& columns) {
    // The document's own fields, in the JSON form `show --json` gives them.
    const bool text = std::find(columns.begin(), columns.end(), "text") != columns.end();
    nlohmann::json document = document_json(h.document, text);
    nlohmann::json j = nlohmann::json::object();
    for (const std::string& f : columns) {
        if (f == "rank")
            j[f] = h.rank;
        else if (f == "score")
            j[f] = h.score;
        else if (f == "snippet")
            j[f] = h.plain_snippet;
        else if (f == "highlights")
            j[f] = highlights_json(h);
        else if (f == "duplicates")
            j[f] = h.duplicates;
        else if (f == "archive")
            j[f] = h.archive;
        else
            j[f] = std::move(document[f]);
    }
    return j;
}

namespace {

std::string field_text(const Hit& h, const std::string& field) {
    if (field == "snippet") return h.plain_snippet;
    if (field == "score") return fmt::format("{:.4f}", h.score);
    if (field == "highlights") {
        std::string out;
        for (const auto& span : highlights_json(h))
            out += (out.empty() ? "" : " ") + std::to_string(span[0].get<std::size_t>()) + "-" +
                   std::to_string(span[1].get<std::size_t>());
        return out;
    }
    nlohmann::json j = hit_json(h, {field})[field];
    if (j.is_null()) return {};
    if (j.is_string()) return j.get<std::string>();
    return j.dump();
}

}  // namespace

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string csv_row(const Hit& h, const std::vector<std::string>& columns) {
    std::string row;
    for (std::size_t i = 0; i < columns.size(); ++i)
        row += (i ? "," : "") + csv_cell(field_text(h, columns[i]));
    return row + "\r\n";
}

std::string csv_header(const std::vector<std::string>& columns) {
    std::string row;
    for (std::size_t i = 0; i < columns.size(); ++i) row += (i ? "," : "") + columns[i];
    return row + "\r\n";
}

std::vector<std::string> csv_fields() { return default_fields; }

std::vector<std::string> with_archive(std::vector<std::string> columns) {
    auto id = std::find(columns.begin(), columns.end(), "id");
    columns.insert(id == columns.end() ? columns.begin() : id + 1, "archive");
    return columns;
}

std::vector<std::string> json_fields() {
    std::vector<std::string> f = default_fields;
    f.push_back("highlights");
    return f;
}

std::optional<std::vector<std::string>> parse_fields(const std::string& list, std::string& error) {
    std::vector<std::string> out = split_fields(list);
    for (const std::string& f : out)
        if (std::find(all_fields.begin(), all_fields.end(), f) == all_fields.end()) {
            error = "unknown field '" + f + "' (known: " + field_names() + ")";
            return std::nullopt;
        }
    return out;
}

bool needs_documents(const std::vector<std::string>& columns) {
    static const std::set<std::string> from_index = {"rank",  "id",         "date",
                                                     "score", "duplicates", "archive"};
    return std::any_of(columns.begin(), columns.end(),
                       [](const std::string& f) { return !from_index.count(f); });
}

std::string facet_language(std::string_view asked, std::string_view query) {
    if (!asked.empty()) return std::string(asked);
    return korean::has_korean(query) ? "ko" : "en";
}

void OutputOptions::add_to(CLI::App& cmd) {
    cmd.add_option("-n,--limit", limit, "Hits to show")->capture_default_str();
    cmd.add_option("--offset", offset, "Hits to skip first (for paging)")->capture_default_str();
    auto* json = cmd.add_flag("--json", json_flag_, "One JSON document: query, total, hits");
    auto* jsonl = cmd.add_flag("--jsonl", jsonl_flag_, "JSON Lines: one hit per line");
    auto* csv = cmd.add_flag("--csv", csv_flag_, "CSV (RFC 4180) with a header row");
    json->excludes(jsonl)->excludes(csv);
    jsonl->excludes(csv);
    // One argument, split at commas: a vector option would also take the query that follows.
    cmd.add_option("--fields", fields_text_,
                   "Columns for --json/--jsonl/--csv, comma-separated, from: " + field_names())
        ->check(CLI::Validator(
            [](std::string& list) -> std::string {
                std::string error;
                parse_fields(list, error);
                return error;
            },
            "FIELD,..."))
        ->each([this](const std::string& list) { fields = split_fields(list); });
    cmd.add_flag("--count", count_only, "Print only the number of matching articles");
    cmd.add_option("--lang", lang,
                   "Language of the names in facets: ko or en (default: Korean for a query in "
                   "Korean, else English)")
        ->check(CLI::IsMember({"ko", "en"}));
}

std::vector<std::string> OutputOptions::chosen(const SearchResult& result) const {
    if (!fields.empty()) return fields;
    std::vector<std::string> columns = json_flag_ || jsonl_flag_ ? json_fields() : default_fields;
    return result.archives > 1 ? with_archive(std::move(columns)) : columns;
}

bool OutputOptions::needs_documents() const {
    if (!json_flag_ && !jsonl_flag_ && !csv_flag_) return true;  // text shows titles and snippets
    return cli::needs_documents(fields.empty() ? default_fields : fields);
}

Highlight OutputOptions::highlight() const {
    Highlight marks;
    if (!json_flag_ && !jsonl_flag_ && !csv_flag_ && colour_wanted()) {
        marks.start = "\033[1;33m";
        marks.end = "\033[0m";
    }
    return marks;
}

nlohmann::json facets_json(const Facets& f, const FacetRequest& asked, std::string_view lang) {
    nlohmann::json j = nlohmann::json::object();
    for (int t = 0; t < 4; ++t) {
        if (!asked.entity[t]) continue;
        nlohmann::json list = nlohmann::json::array();
        for (const EntityCount& c : f.entities[t])
            list.push_back({{"id", c.id},
                            {"name", c.entity ? c.entity->name_in(lang) : c.id},
                            {"type", entity_type_name(c.type)},
                            {"count", c.count}});
        j[std::string(entity_type_name(static_cast<EntityType>(t)))] = std::move(list);
    }
    if (asked.date) {
        nlohmann::json buckets = nlohmann::json::array();
        for (const DateCount& d : f.dates) {
            nlohmann::json b = {{"bucket", d.bucket}, {"count", d.count}};
            if (asked.share) {
                b["all"] = d.all;
                b["share"] = share_of(d);
            }
            buckets.push_back(std::move(b));
        }
        j["date"] = {
            {"by", bucket_name(f.by)}, {"buckets", std::move(buckets)}, {"undated", f.undated}};
    }
    // Only after a time limit (a server's) stopped the counting: the counts are of part.
    if (!f.exact) j["exact"] = false;
    return j;
}

namespace {

// Facets for people: top entities per type, and the dates as a bar chart (a timeline).
void print_facets(const Facets& f, const FacetRequest& asked, std::string_view lang,
                  std::ostream& out, bool terminal) {
    for (int t = 0; t < 4; ++t) {
        if (!asked.entity[t]) continue;
        out << "\n" << entity_type_name(static_cast<EntityType>(t)) << ":\n";
        if (f.entities[t].empty()) out << "  (none)\n";
        for (const EntityCount& c : f.entities[t]) {
            out << fmt::format("{:7}", c.count) << "  "
                << (c.entity ? c.entity->name_in(lang) : c.id) << "  [" << entity_type_name(c.type)
                << ":" << c.id << "]\n";
        }
    }
    if (!asked.date) return;
    out << "\ndate (by " << bucket_name(f.by)
        << (asked.share ? ", matches and their share of the archive's documents" : "") << "):\n";
    // Bars of counts, or of shares: a rising count can be a rising volume.
    double most = f.undated;
    for (const DateCount& d : f.dates)
        most = std::max(most, asked.share ? share_of(d) : static_cast<double>(d.count));
    constexpr int width = 40;
    const std::string block = terminal ? "\u2588" : "#";
    auto bar = [&](double value) {
        const int cells = most > 0 ? static_cast<int>(std::ceil(value * width / most)) : 0;
        std::string out;
        for (int i = 0; i < cells; ++i) out += block;
        return out;
    };
    const std::string unit = f.by == DateBucket::year    ? "years"
                             : f.by == DateBucket::month ? "months"
                                                         : "days";
    for (std::size_t i = 0; i < f.dates.size();) {
        // Three empty buckets or more in a row are one line: 1946-2020 by month is mostly zero.
        std::size_t run = i;
        while (run < f.dates.size() && f.dates[run].count == 0) ++run;
        if (run - i >= 3) {
            out << fmt::format("  {:<10} {:>7}  (to {}: {} {} without a match)\n",
                               f.dates[i].bucket + "…", 0, f.dates[run - 1].bucket, run - i, unit);
            i = run;
            continue;
        }
        const DateCount& d = f.dates[i++];
        if (asked.share)
            out << fmt::format("  {:<10} {:>7} of {:>7} {:>7} {}\n", d.bucket, d.count, d.all,
                               fmt::format("{:.2f}%", 100 * share_of(d)), bar(share_of(d)));
        else
            out << fmt::format("  {:<10} {:>7} {}\n", d.bucket, d.count,
                               bar(static_cast<double>(d.count)));
    }
    if (f.undated)
        out << fmt::format("  {:<10} {:>7} {}\n", "undated", f.undated,
                           asked.share ? "" : bar(static_cast<double>(f.undated)));
}

}  // namespace

std::string facets_csv(const SearchResult& result, const FacetRequest& asked,
                       std::string_view lang) {
    const Facets& f = result.facets;
    std::string out = "facet,key,name,count,all,share\r\n";
    out += "total,,," + std::to_string(result.total) + ",,\r\n";
    for (int t = 0; t < 4; ++t) {
        if (!asked.entity[t]) continue;
        for (const EntityCount& c : f.entities[t])
            out += std::string(entity_type_name(c.type)) + "," + csv_cell(c.id) + "," +
                   csv_cell(c.entity ? c.entity->name_in(lang) : c.id) + "," +
                   std::to_string(c.count) + ",,\r\n";
    }
    if (asked.date) {
        for (const DateCount& d : f.dates)
            out += "date," + d.bucket + ",," + std::to_string(d.count) + "," +
                   (asked.share ? std::to_string(d.all) + "," + fmt::format("{:.6f}", share_of(d))
                                : ",") +
                   "\r\n";
        if (f.undated) out += "date,undated,," + std::to_string(f.undated) + ",,\r\n";
    }
    return out;
}

nlohmann::json result_json(const SearchResult& result, const std::vector<std::string>& columns,
                           const ResultPage& page) {
    nlohmann::json hits = nlohmann::json::array();
    for (const Hit& h : result.hits) hits.push_back(hit_json(h, columns));
    nlohmann::json doc = {{"query", result.query},
                          {"total", result.total},
                          {"offset", page.offset},
                          {"limit", page.limit},
                          {"hits", std::move(hits)}};
    if (!result.total_exact) doc["total_exact"] = false;
    if (page.facets.any()) doc["facets"] = facets_json(result.facets, page.facets, page.lang);
    return doc;
}

int OutputOptions::print(const SearchResult& result, std::ostream& out) const {
    const std::string labels = facet_language(lang, result.query);
    const int status = result.total ? exit_ok : exit_no_match;
    const std::vector<std::string> columns = chosen(result);
    if (count_only) {
        if (json_flag_ || jsonl_flag_) {
            nlohmann::json j = {{"query", result.query}, {"total", result.total}};
            if (!result.total_exact) j["total_exact"] = false;
            if (facets.any()) j["facets"] = facets_json(result.facets, facets, labels);
            out << j.dump() << "\n";
        } else if (!csv_flag_ && facets.any()) {
            out << result.total << "\n";
            print_facets(result.facets, facets, labels, out, colour_wanted());
        } else if (csv_flag_ && facets.any())
            out << facets_csv(result, facets, labels);
        else if (csv_flag_)
            out << "query,total\r\n" << csv_cell(result.query) << "," << result.total << "\r\n";
        else
            out << result.total << "\n";
        return status;
    }
    if (json_flag_) {
        out << result_json(result, columns, {offset, limit, facets, labels}).dump(2) << "\n";
    } else if (jsonl_flag_) {
        for (const Hit& h : result.hits) out << hit_json(h, columns).dump() << "\n";
        // The facets as a last line of their own, after the hits.
        if (facets.any())
            out << nlohmann::json{{"facets", facets_json(result.facets, facets, labels)}}.dump()
                << "\n";
    } else if (csv_flag_) {
        out << csv_header(columns);
        for (const Hit& h : result.hits) out << csv_row(h, columns);
    } else {
        const bool colour = colour_wanted();
        const char* bold = colour ? "\033[1m" : "";
        const char* plain = colour ? "\033[0m" : "";
        out << (result.total_exact ? "" : "about ") << result.total
            << (result.total == 1 ? " match" : " matches") << " for " << result.query;
        if (!result.hits.empty())
            out << " (showing " << result.hits.front().rank << "-" << result.hits.back().rank
                << ")";
        out << "\n";
        for (const Hit& h : result.hits) {
            const Document& d = h.document;
            out << "\n"
                << h.rank << ". " << bold << (d.title.empty() ? "(untitled)" : d.title) << plain
                << "\n   " << (d.date.is_set() ? d.date.iso() : "undated") << " | "
                << (d.source.empty() ? "unknown source" : d.source) << " | " << d.id
                << (h.archive.empty() ? "" : " in " + h.archive) << " | score "
                << fmt::format("{:.2f}", h.score);
            if (!d.url.empty() || !d.path.empty())
                out << "\n   " << (d.url.empty() ? d.path : d.url);
            if (h.duplicates)
                out << " | +" << h.duplicates
                    << (h.duplicates == 1 ? " near-duplicate" : " near-duplicates");
            out << "\n   " << wrap(h.snippet, terminal_columns(), "   ") << "\n";
        }
        if (facets.any()) print_facets(result.facets, facets, labels, out, colour);
    }
    return status;
}

}  // namespace panmun::cli
