// Co-occurrence tables and discovered names, as text, JSON and CSV.
#include "entity_reports.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "panmun/korean.hpp"
#include "panmun/unicode.hpp"
#include "results.hpp"

namespace panmun::cli {
namespace {

std::string name_of(const Entity* e, const std::string& id, std::string_view lang) {
    return e ? e->name_in(lang) : id;
}

}  // namespace

nlohmann::json cooccurrence_json(const std::string& archive, const CooccurrenceRequest& asked,
                                 const CooccurrenceResult& r, std::string_view lang) {
    nlohmann::json rows = nlohmann::json::array();
    for (const CooccurrenceRow& row : r.rows)
        rows.push_back({{"id", row.id},
                        {"type", entity_type_name(row.type)},
                        {"name", name_of(row.entity, row.id, lang)},
                        {"documents", row.documents},
                        {"counts", row.counts}});
    return {{"archive", archive},
            {"with",
             {{"id", r.entity->id},
              {"type", entity_type_name(r.entity->type)},
              {"name", r.entity->name_in(lang)}}},
            {"query", asked.query},
            {"by", bucket_name(r.by)},
            {"documents", r.documents},
            {"buckets", r.buckets},
            {"totals", r.totals},
            {"entities", std::move(rows)}};
}

std::string cooccurrence_csv(const CooccurrenceResult& r, std::string_view lang) {
    std::string out = "id,type,name,bucket,count,all\r\n";
    for (const CooccurrenceRow& row : r.rows)
        for (std::size_t b = 0; b < r.buckets.size(); ++b)
            out += csv_cell(row.id) + "," + std::string(entity_type_name(row.type)) + "," +
                   csv_cell(name_of(row.entity, row.id, lang)) + "," + r.buckets[b] + "," +
                   std::to_string(row.counts[b]) + "," + std::to_string(r.totals[b]) + "\r\n";
    return out;
}

void print_cooccurrence(const CooccurrenceResult& r, std::string_view lang, std::ostream& out) {
    out << fmt::format("{} [{}:{}]: {} documents, by {}\n", r.entity->name_in(lang),
                       entity_type_name(r.entity->type), r.entity->id, r.documents,
                       bucket_name(r.by));
    if (r.rows.empty()) {
        out << "  (no other entity is named in them)\n";
        return;
    }
    // Names in terminal cells (Hangul takes two), cut with "~" past 28.
    std::size_t name_width = 11;  // "(documents)"
    for (const CooccurrenceRow& row : r.rows)
        name_width = std::max(name_width, unicode::width(name_of(row.entity, row.id, lang)));
    name_width = std::min<std::size_t>(name_width, 28);
    auto name_cell = [&](const std::string& name) {
        std::string cut;
        std::size_t cells = 0;
        for (std::size_t i = 0; i < name.size();) {
            const std::size_t at = i;
            const int w = unicode::width(unicode::next(name, i));
            if (cells + w > name_width - (unicode::width(name) > name_width ? 1 : 0)) {
                cut += "~";
                ++cells;
                break;
            }
            cut.append(name, at, i - at);
            cells += w;
        }
        return cut + std::string(name_width - std::min(name_width, cells), ' ');
    };
    if (r.buckets.size() <= 12) {  // a table: entities down, buckets across
        std::size_t w = 5;
        for (const std::string& b : r.buckets) w = std::max(w, b.size());
        out << name_cell("") << fmt::format("  {:>7}", "all");
        for (const std::string& b : r.buckets) out << fmt::format(" {:>{}}", b, w);
        out << "\n" << name_cell("(documents)") << fmt::format("  {:>7}", r.documents);
        for (Xapian::doccount n : r.totals) out << fmt::format(" {:>{}}", n, w);
        out << "\n";
        for (const CooccurrenceRow& row : r.rows) {
            out << name_cell(name_of(row.entity, row.id, lang))
                << fmt::format("  {:>7}", row.documents);
            for (Xapian::doccount n : row.counts) out << fmt::format(" {:>{}}", n, w);
            out << "  " << entity_type_name(row.type) << ":" << row.id << "\n";
        }
        return;
    }
    for (const CooccurrenceRow& row : r.rows) {  // too many buckets: each entity's non-empty ones
        out << fmt::format("{:>7}  {}  [{}:{}]\n", row.documents, name_of(row.entity, row.id, lang),
                           entity_type_name(row.type), row.id);
        std::string line = "         ";
        for (std::size_t b = 0; b < r.buckets.size(); ++b) {
            if (!row.counts[b]) continue;
            const std::string cell = fmt::format("{} {}  ", r.buckets[b], row.counts[b]);
            if (line.size() + cell.size() > 100) {
                out << line << "\n";
                line = "         ";
            }
            line += cell;
        }
        out << line << "\n";
    }
}

nlohmann::json discovered_json(const std::string& archive, const std::string& query,
                               const std::vector<NameCandidate>& names) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& n : names) list.push_back({{"name", n.name}, {"documents", n.documents}});
    return {{"archive", archive}, {"query", query}, {"candidates", std::move(list)}};
}

namespace {

// A romanized Korean name: two to four capitalised words of at most three letters after the
// first ("Hyon Jong Un", "Kim Yong Chol"), or a Hangul word (names before a title).
bool looks_like_a_person(const std::string& name) {
    if (korean::has_korean(name)) return true;
    std::vector<std::string> words;
    std::string w;
    for (char c : name + " ") {
        if (c == ' ') {
            if (!w.empty()) words.push_back(w);
            w.clear();
        } else {
            w += c;
        }
    }
    if (words.size() < 2 || words.size() > 4) return false;
    for (const std::string& word : words)
        if (word.size() > 5) return false;
    return true;
}

// "Hyon Jong Un" -> "hyon-jong-un"; a Hangul name keeps its letters.
std::string id_for(const std::string& name) {
    std::string id;
    for (char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)))
            id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else if (c == ' ' || c == '-')
            id += id.empty() || id.back() == '-' ? "" : "-";
    }
    return id;
}

}  // namespace

void print_discovered(const std::vector<NameCandidate>& names, bool gazetteer, std::ostream& out) {
    if (!gazetteer) {
        for (const auto& n : names) out << n.documents << "\t" << n.name << "\n";
        return;
    }
    out << "# Names no entity covers, as gazetteer lines: check each type (person, org, place or\n"
           "# event), add spellings after a |, delete the lines that are not names, then run\n"
           "#   panmun-index retag --entities THIS_FILE --archive ARCHIVE\n";
    for (const auto& n : names) {
        std::string id = id_for(n.name);
        if (id.empty()) id = "name-" + std::to_string(&n - names.data() + 1);  // Hangul only
        out << "# in " << n.documents << " documents\n"
            << id << "\t" << (looks_like_a_person(n.name) ? "person" : "org") << "\t" << n.name
            << "\t" << n.name << "\n";
    }
}

}  // namespace panmun::cli
