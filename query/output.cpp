// Result printing: one column model (a field name → its value for a hit) for every format.
#include "output.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <nlohmann/json.hpp>

#include "options.hpp"
#include "panmun/errors.hpp"

namespace panmun::query {
namespace {

constexpr const char* all_fields[] = {"rank",  "id",      "date",       "source",     "title",
                                      "url",   "path",    "lang",       "author",     "score",
                                      "snippet", "highlights", "duplicates", "text"};

// "rank id date …": the names of all_fields, for help and error messages.
std::string field_names() {
    std::string names;
    for (const char* f : all_fields) names += (names.empty() ? "" : " ") + std::string(f);
    return names;
}

// A hit's citation is its id, source, date and url, or the path of its file when it has no url.
const std::vector<std::string> default_fields = {"rank", "id",    "date",  "source", "title",
                                                 "url",  "path",  "score", "snippet"};

// Characters (code points) before byte `byte` of UTF-8 `s`: JSON readers index strings by
// character, not by byte.
std::size_t chars_before(const std::string& s, std::size_t byte) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < byte && i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
    return n;
}

nlohmann::json highlights_json(const Hit& h) {
    nlohmann::json spans = nlohmann::json::array();
    for (const Span& s : h.highlights)
        spans.push_back({chars_before(h.plain_snippet, s.begin), chars_before(h.plain_snippet, s.end)});
    return spans;
}

nlohmann::json field_json(const Hit& h, const std::string& field) {
    const Document& d = h.document;
    if (field == "rank") return h.rank;
    if (field == "id") return d.id;
    if (field == "date") return d.date.is_set() ? nlohmann::json(d.date.iso()) : nlohmann::json();
    if (field == "source") return d.source;
    if (field == "title") return d.title;
    if (field == "url") return d.url;
    if (field == "lang") return d.lang;
    if (field == "author") return d.author;
    if (field == "path") return d.path;
    if (field == "score") return h.score;
    if (field == "snippet") return h.plain_snippet;
    if (field == "highlights") return highlights_json(h);
    if (field == "duplicates") return h.duplicates;
    return d.text;  // "text"
}

std::string field_text(const Hit& h, const std::string& field) {
    if (field == "snippet") return h.plain_snippet;
    if (field == "score") {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4f", h.score);
        return buf;
    }
    if (field == "highlights") {
        std::string out;
        for (const auto& span : highlights_json(h))
            out += (out.empty() ? "" : " ") + std::to_string(span[0].get<std::size_t>()) + "-" +
                   std::to_string(span[1].get<std::size_t>());
        return out;
    }
    nlohmann::json j = field_json(h, field);
    if (j.is_null()) return {};
    if (j.is_string()) return j.get<std::string>();
    return j.dump();
}

// RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled.
std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

void OutputOptions::add_to(CLI::App& cmd) {
    cmd.add_option("-n,--limit", limit, "Hits to show")->capture_default_str();
    cmd.add_option("--offset", offset, "Hits to skip first (for paging)")->capture_default_str();
    auto* json = cmd.add_flag("--json", json_flag_, "One JSON document: query, total, hits");
    auto* jsonl = cmd.add_flag("--jsonl", jsonl_flag_, "JSON Lines: one hit per line");
    auto* csv = cmd.add_flag("--csv", csv_flag_, "CSV (RFC 4180) with a header row");
    json->excludes(jsonl)->excludes(csv);
    jsonl->excludes(csv);
    cmd.add_option("--fields", fields_text_,
                   "Columns for --json/--jsonl/--csv, comma-separated, from: " + field_names())
        ->each([this](const std::string& list) {
            fields.clear();
            for (std::size_t from = 0; from <= list.size();) {
                std::size_t comma = std::min(list.find(',', from), list.size());
                if (comma > from) fields.push_back(list.substr(from, comma - from));
                from = comma + 1;
            }
        });
    cmd.add_flag("--count", count_only, "Print only the number of matching articles");
}

void OutputOptions::validate() const {
    for (const auto& f : fields)
        if (std::find(std::begin(all_fields), std::end(all_fields), f) == std::end(all_fields))
            throw UsageError("--fields: unknown field '" + f + "' (known: " + field_names() + ")");
}

std::vector<std::string> OutputOptions::chosen() const {
    if (!fields.empty()) return fields;
    std::vector<std::string> f = default_fields;
    if (json_flag_ || jsonl_flag_) f.push_back("highlights");
    return f;
}

bool OutputOptions::needs_documents() const {
    if (!json_flag_ && !jsonl_flag_ && !csv_flag_) return true;  // text shows titles and snippets
    static const std::set<std::string> from_index = {"rank", "id", "date", "score", "duplicates"};
    const std::vector<std::string> columns = chosen();
    return std::any_of(columns.begin(), columns.end(), [](const std::string& f) { return !from_index.count(f); });
}

Highlight OutputOptions::highlight() const {
    Highlight marks;
    if (!json_flag_ && !jsonl_flag_ && !csv_flag_ && cli::stdout_is_terminal()) {
        marks.start = "\033[1;33m";
        marks.end = "\033[0m";
    }
    return marks;
}

namespace {

std::string bucket_name(DateBucket by) {
    return by == DateBucket::year ? "year" : by == DateBucket::month ? "month" : "day";
}

nlohmann::json facets_json(const Facets& f, const FacetRequest& asked) {
    nlohmann::json j = nlohmann::json::object();
    for (int t = 0; t < 4; ++t) {
        if (!asked.entity[t]) continue;
        nlohmann::json list = nlohmann::json::array();
        for (const EntityCount& c : f.entities[t])
            list.push_back({{"id", c.id}, {"name", c.entity ? c.entity->name : c.id},
                            {"type", entity_type_name(c.type)}, {"count", c.count}});
        j[std::string(entity_type_name(static_cast<EntityType>(t)))] = std::move(list);
    }
    if (asked.date) {
        nlohmann::json buckets = nlohmann::json::array();
        for (const DateCount& d : f.dates) buckets.push_back({{"bucket", d.bucket}, {"count", d.count}});
        j["date"] = {{"by", bucket_name(f.by)}, {"buckets", std::move(buckets)}, {"undated", f.undated}};
    }
    return j;
}

// Facets for people: top entities per type, and the dates as a bar chart (a timeline).
void print_facets(const Facets& f, const FacetRequest& asked, std::ostream& out, bool terminal) {
    for (int t = 0; t < 4; ++t) {
        if (!asked.entity[t]) continue;
        out << "\n" << entity_type_name(static_cast<EntityType>(t)) << ":\n";
        if (f.entities[t].empty()) out << "  (none)\n";
        for (const EntityCount& c : f.entities[t]) {
            char count[16];
            std::snprintf(count, sizeof count, "%7u", static_cast<unsigned>(c.count));
            out << count << "  " << (c.entity ? c.entity->name : c.id) << "  [" << entity_type_name(c.type)
                << ":" << c.id << "]\n";
        }
    }
    if (!asked.date) return;
    out << "\ndate (by " << bucket_name(f.by) << "):\n";
    Xapian::doccount most = f.undated;
    for (const DateCount& d : f.dates) most = std::max(most, d.count);
    constexpr int width = 40;
    const std::string block = terminal ? "\u2588" : "#";
    auto bar = [&](const std::string& label, Xapian::doccount n) {
        char head[40];
        std::snprintf(head, sizeof head, "  %-10s %7u ", label.c_str(), static_cast<unsigned>(n));
        out << head;
        int cells = most ? static_cast<int>((static_cast<double>(n) * width + most - 1) / most) : 0;
        for (int i = 0; i < cells; ++i) out << block;
        out << "\n";
    };
    for (const DateCount& d : f.dates) bar(d.bucket, d.count);
    if (f.undated) bar("undated", f.undated);
}

}  // namespace

int OutputOptions::print(const SearchResult& result, std::ostream& out) const {
    const int status = result.total ? exit_ok : exit_no_match;
    const std::vector<std::string> columns = chosen();
    auto hit_json = [&](const Hit& h) {
        nlohmann::json j = nlohmann::json::object();
        for (const auto& f : columns) j[f] = field_json(h, f);
        return j;
    };
    if (count_only) {
        if (json_flag_ || jsonl_flag_) {
            nlohmann::json j = {{"query", result.query}, {"total", result.total}};
            if (!result.total_exact) j["total_exact"] = false;
            if (facets.any()) j["facets"] = facets_json(result.facets, facets);
            out << j.dump() << "\n";
        } else if (!csv_flag_ && facets.any()) {
            out << result.total << "\n";
            print_facets(result.facets, facets, out, cli::stdout_is_terminal());
        } else if (csv_flag_)
            out << "query,total\r\n" << csv_cell(result.query) << "," << result.total << "\r\n";
        else
            out << result.total << "\n";
        return status;
    }
    if (json_flag_) {
        nlohmann::json hits = nlohmann::json::array();
        for (const Hit& h : result.hits) hits.push_back(hit_json(h));
        nlohmann::json doc = {{"query", result.query}, {"total", result.total},
                              {"offset", offset},      {"limit", limit},
                              {"hits", std::move(hits)}};
        if (!result.total_exact) doc["total_exact"] = false;
        if (facets.any()) doc["facets"] = facets_json(result.facets, facets);
        out << doc.dump(2) << "\n";
    } else if (jsonl_flag_) {
        for (const Hit& h : result.hits) out << hit_json(h).dump() << "\n";
        // The facets as a last line of their own, after the hits.
        if (facets.any()) out << nlohmann::json{{"facets", facets_json(result.facets, facets)}}.dump() << "\n";
    } else if (csv_flag_) {
        for (std::size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << columns[i];
        out << "\r\n";
        for (const Hit& h : result.hits) {
            for (std::size_t i = 0; i < columns.size(); ++i)
                out << (i ? "," : "") << csv_cell(field_text(h, columns[i]));
            out << "\r\n";
        }
    } else {
        const bool colour = cli::stdout_is_terminal();
        const char* bold = colour ? "\033[1m" : "";
        const char* plain = colour ? "\033[0m" : "";
        out << (result.total_exact ? "" : "about ") << result.total
            << (result.total == 1 ? " match" : " matches") << " for " << result.query;
        if (!result.hits.empty())
            out << " (showing " << result.hits.front().rank << "-" << result.hits.back().rank << ")";
        out << "\n";
        for (const Hit& h : result.hits) {
            const Document& d = h.document;
            char score[32];
            std::snprintf(score, sizeof score, "%.2f", h.score);
            out << "\n"
                << h.rank << ". " << bold << (d.title.empty() ? "(untitled)" : d.title) << plain
                << "\n   " << (d.date.is_set() ? d.date.iso() : "undated") << " | "
                << (d.source.empty() ? "unknown source" : d.source) << " | " << d.id
                << " | score " << score;
            if (!d.url.empty() || !d.path.empty()) out << "\n   " << (d.url.empty() ? d.path : d.url);
            if (h.duplicates)
                out << " | +" << h.duplicates << (h.duplicates == 1 ? " near-duplicate" : " near-duplicates");
            out << "\n   " << cli::wrap(h.snippet, cli::terminal_columns(), "   ") << "\n";
        }
        if (facets.any()) print_facets(result.facets, facets, out, colour);
    }
    return status;
}

}  // namespace panmun::query
