#include "korean/hanja.hpp"

#include <algorithm>
#include <cstring>
#include <map>

#include "korean/tables.hpp"
#include "panmun/errors.hpp"
#include "panmun/unicode.hpp"

extern const char* const panmun_builtin_abbreviations;  // corpus/korean/abbreviations.tsv
extern const char* const panmun_builtin_readings;       // corpus/korean/readings.tsv

namespace panmun::korean::hanja {
namespace {

std::u32string decode(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) out += unicode::next(s, i);
    return out;
}

// The tab-separated columns of each line of a built-in table that is not a comment.
template <typename Row>
void for_each_row(std::string_view tsv, const char* name, std::size_t columns, Row row) {
    std::size_t line_no = 0;
    while (!tsv.empty()) {
        const std::size_t nl = tsv.find('\n');
        std::string_view line = tsv.substr(0, nl);
        tsv = nl == std::string_view::npos ? std::string_view{} : tsv.substr(nl + 1);
        ++line_no;
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string_view> cols;
        for (std::size_t start = 0;;) {
            const std::size_t tab = line.find('\t', start);
            cols.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
            if (tab == std::string_view::npos) break;
            start = tab + 1;
        }
        if (cols.size() < columns)
            throw InputError(name, line_no, "expected " + std::to_string(columns) + " columns");
        row(cols, line_no);
    }
}

struct Abbreviation {
    std::u32string word;
    DateRange period;  // open when the entry always holds
};

const std::multimap<char32_t, Abbreviation>& abbreviation_table() {
    static const auto table = [] {
        std::multimap<char32_t, Abbreviation> t;
        const char* name = "corpus/korean/abbreviations.tsv";
        for_each_row(panmun_builtin_abbreviations, name, 4, [&](const auto& cols, auto line_no) {
            const std::u32string hanja = decode(cols[0]);
            Abbreviation a{decode(cols[1]), {}};
            if (!cols[2].empty() || !cols[3].empty()) {
                auto period = DateRange::parse(std::string(cols[2]) + ".." + std::string(cols[3]));
                if (!period) throw InputError(name, line_no, "unreadable dates");
                a.period = *period;
            }
            if (hanja.size() != 1) throw InputError(name, line_no, "one Hanja expected");
            t.emplace(hanja[0], std::move(a));
        });
        return t;
    }();
    return table;
}

const std::map<std::u32string, std::u32string>& curated_readings() {
    static const auto table = [] {
        std::map<std::u32string, std::u32string> t;
        for_each_row(panmun_builtin_readings, "corpus/korean/readings.tsv", 2,
                     [&](const auto& cols, auto) { t[decode(cols[0])] = decode(cols[1]); });
        return t;
    }();
    return table;
}

}  // namespace

std::vector<char32_t> char_readings(char32_t hanja) {
    const tables::CharReadings* end = tables::char_readings + tables::char_readings_count;
    const tables::CharReadings* it =
        std::lower_bound(tables::char_readings, end, hanja,
                         [](const tables::CharReadings& r, char32_t c) { return r.hanja < c; });
    if (it == end || it->hanja != hanja) return {};
    std::vector<char32_t> out{it->first};
    if (it->second) out.push_back(it->second);
    return out;
}

std::u32string word_reading(std::u32string_view run) {
    const auto& curated = curated_readings();
    if (auto it = curated.find(std::u32string(run)); it != curated.end()) return it->second;
    if (run.size() > 1) {
        std::string key;
        for (char32_t c : run) unicode::append(key, c);
        const tables::WordReading* end = tables::word_readings + tables::word_readings_count;
        const tables::WordReading* it =
            std::lower_bound(tables::word_readings, end, key,
                             [](const tables::WordReading& w, const std::string& k) {
                                 return std::strcmp(w.hanja, k.c_str()) < 0;
                             });
        if (it != end && key == it->hanja) return decode(it->reading);
    }
    std::u32string reading;
    for (char32_t c : run) {
        const std::vector<char32_t> r = char_readings(c);
        if (r.empty()) return {};
        reading += r[0];
    }
    return reading;
}

std::vector<std::u32string> abbreviations(char32_t hanja, const Context& context) {
    std::vector<std::u32string> out;
    auto [from, to] = abbreviation_table().equal_range(hanja);
    for (auto it = from; it != to; ++it) {
        const Abbreviation& a = it->second;
        if (context.query || a.period.is_open() ||
            (context.date && context.date->is_set() && a.period.contains(*context.date)))
            out.push_back(a.word);
    }
    return out;
}

}  // namespace panmun::korean::hanja
