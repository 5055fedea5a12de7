// The gazetteer's Hangul and Hanja aliases, matched on the words of korean::analyze() (the
// tagger of entities.cpp uses it for every alias in those scripts).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "panmun/korean.hpp"

namespace panmun::korean {

// How an alias matches a word:
// - a Hangul alias, in the South's spelling, starts the word's reading, or one of its other
//   readings: 김정은 matches 김정은은 and 北김정은's second word, 리설주 matches 이설주, 북한
//   matches 北 (read 북한) and 北韓;
// - a Hanja alias starts the word as written (金正恩 in 金正恩委員長); an alias of one Hanja is
//   the whole word (北 is not 北京).
class Aliases {
public:
    void add(std::string_view alias, std::size_t entity);
    // Call after the last add().
    void finish();
    // Sets found[e] for each entity e an alias of which matches a word of `text`.
    void tag(std::string_view text, const Context& context, std::vector<char>& found) const;
    // The entities that have `name` as an alias, written as given.
    std::vector<std::size_t> named(std::string_view name) const;

private:
    struct Alias {
        std::u32string letters;  // Hangul: in the South's spelling
        std::string written;     // as in the gazetteer
        std::size_t entity;
    };
    void match(std::u32string_view word, bool whole_hanja, std::vector<char>& found) const;
    // By first letter, longest first.
    std::unordered_map<char32_t, std::vector<Alias>> by_letter_;
};

}  // namespace panmun::korean
