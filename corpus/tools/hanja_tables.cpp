// Build-time tool: compiles libhangul's Hanja dictionary (Debian libhangul-data,
// /usr/share/libhangul/hanja/hanja.txt, BSD-3-Clause; lines "reading:hanja:gloss") into the
// tables corpus/src/korean/tables.hpp declares:
// - each Hanja's readings: the syllable it is read as inside the dictionary's words (its medial
//   reading, before the initial sound rule: 勞 is 로, as in 근로, and 노동 at a word's start comes
//   from the rule), and a second reading when at least a tenth of its words read it so (金: 금,
//   김);
// - the words the character readings get wrong (北京 북경, 六月 유월, 敗北 패배);
// - the Sino-Korean words of two to four syllables, for finding where a compound's parts begin;
// - the syllables that are the reading of some Hanja (the initial sound rule applies to them).
// Usage: hanja_tables HANJA_TXT OUT_CPP
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "korean/tables.hpp"
#include "panmun/unicode.hpp"

using namespace panmun;

namespace {

std::u32string decode(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) out += unicode::next(s, i);
    return out;
}

std::string encode(std::u32string_view s) {
    std::string out;
    for (char32_t c : s) unicode::append(out, c);
    return out;
}

bool all_syllables(std::u32string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), korean::is_syllable);
}
bool all_han(std::u32string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), unicode::is_han);
}

// A word as the South spells it at its start.
std::u32string initial_rule(std::u32string s) {
    if (!s.empty()) s[0] = korean::initial_form(s[0]);
    return s;
}

std::string escaped(const std::string& s) {  // for a C++ string literal of UTF-8
    std::string out;
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += static_cast<char>(c);
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: hanja_tables HANJA_TXT OUT_CPP\n";
        return 2;
    }
    std::ifstream in(argv[1]);
    if (!in) {
        std::cerr << "hanja_tables: cannot read " << argv[1]
                  << " (Debian package libhangul-data)\n";
        return 1;
    }
    std::map<char32_t, std::vector<char32_t>> single;             // readings, in file order
    std::map<char32_t, std::map<char32_t, unsigned>> counts;      // reading -> words
    std::map<std::u32string, std::vector<std::u32string>> words;  // hanja -> readings
    std::set<std::u32string> lexicon;
    std::vector<bool> sino(korean::syllable_count, false);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const std::size_t a = line.find(':'), b = line.find(':', a + 1);
        if (a == std::string::npos || b == std::string::npos) continue;
        const std::u32string reading = decode(line.substr(0, a)),
                             hanja = decode(line.substr(a + 1, b - a - 1));
        if (!all_syllables(reading) || !all_han(hanja) || reading.size() != hanja.size()) continue;
        if (hanja.size() == 1) {
            auto& r = single[hanja[0]];
            if (std::find(r.begin(), r.end(), reading[0]) == r.end()) r.push_back(reading[0]);
            sino[korean::syllable_index(reading[0])] = true;
            continue;
        }
        words[hanja].push_back(reading);
        if (reading.size() <= 4) lexicon.insert(reading);
    }
    // Count each character's reading over the words; a word's first syllable may have gone
    // through the initial sound rule (노 of 노동): count it as the reading it came from (로),
    // when the character has that reading.
    for (const auto& [hanja, readings] : words)
        for (const std::u32string& reading : readings)
            for (std::size_t j = 0; j < hanja.size(); ++j) {
                char32_t r = reading[j];
                if (j == 0)
                    for (char32_t s : single[hanja[j]])
                        if (s != r && korean::initial_form(s) == r) r = s;
                ++counts[hanja[j]][r];
            }

    struct Readings {
        char32_t first = 0, second = 0;
    };
    std::map<char32_t, Readings> readings;
    for (const auto& [hanja, list] : single) {
        Readings r;
        const auto it = counts.find(hanja);
        if (it == counts.end()) {
            r.first = list[0];
        } else {
            std::vector<std::pair<unsigned, char32_t>> by_count;
            unsigned total = 0;
            for (const auto& [syllable, n] : it->second)
                by_count.emplace_back(n, syllable), total += n;
            std::stable_sort(by_count.begin(), by_count.end(),
                             [](const auto& x, const auto& y) { return x.first > y.first; });
            r.first = by_count[0].second;
            if (by_count.size() > 1 && by_count[1].first * 10 >= total)
                r.second = by_count[1].second;
        }
        readings[hanja] = r;
    }
    // Words whose readings the characters' first readings do not give.
    std::map<std::string, std::string> exceptions;
    for (const auto& [hanja, list] : words) {
        std::u32string predicted;
        for (char32_t c : hanja) predicted += readings.count(c) ? readings[c].first : U'\0';
        const bool right = std::any_of(list.begin(), list.end(), [&](const std::u32string& r) {
            return initial_rule(r) == initial_rule(predicted);
        });
        if (!right) exceptions[encode(hanja)] = encode(list[0]);
    }

    std::ofstream out(argv[2]);
    out << "// Generated by corpus/tools/hanja_tables.cpp from " << argv[1] << ". Do not edit.\n"
        << "#include \"korean/tables.hpp\"\n\nnamespace panmun::korean::tables {\n\n"
        << "const CharReadings char_readings[] = {\n";
    for (const auto& [hanja, r] : readings)
        out << "{0x" << std::hex << static_cast<std::uint32_t>(hanja) << ",0x"
            << static_cast<std::uint32_t>(r.first) << ",0x" << static_cast<std::uint32_t>(r.second)
            << std::dec << "},\n";
    out << "};\nconst std::size_t char_readings_count = " << readings.size() << ";\n\n"
        << "const WordReading word_readings[] = {\n";
    for (const auto& [hanja, reading] : exceptions)
        out << "{\"" << escaped(hanja) << "\",\"" << escaped(reading) << "\"},\n";
    out << "};\nconst std::size_t word_readings_count = " << exceptions.size() << ";\n\n"
        << "const std::uint64_t lexicon[] = {\n";
    std::vector<std::uint64_t> keys;
    for (const std::u32string& w : lexicon) keys.push_back(korean::tables::lexicon_key(w));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (std::size_t i = 0; i < keys.size(); ++i)
        out << "0x" << std::hex << keys[i] << std::dec << (i % 8 == 7 ? ",\n" : ",");
    out << "};\nconst std::size_t lexicon_count = " << keys.size() << ";\n\n"
        << "const std::uint8_t sino_syllables[] = {\n";
    for (std::uint32_t i = 0; i < korean::syllable_count; i += 8) {
        unsigned byte = 0;
        for (std::uint32_t k = 0; k < 8 && i + k < korean::syllable_count; ++k)
            byte |= sino[i + k] ? 1u << k : 0u;
        out << byte << (i % 256 == 248 ? ",\n" : ",");
    }
    out << "};\n\n}  // namespace panmun::korean::tables\n";
    if (!out) {
        std::cerr << "hanja_tables: cannot write " << argv[2] << "\n";
        return 1;
    }
    std::cerr << "hanja_tables: " << readings.size() << " characters, " << exceptions.size()
              << " exceptional words, " << keys.size() << " words of the lexicon\n";
    return 0;
}
