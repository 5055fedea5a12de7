// The gazetteer's Hangul and Hanja aliases, matched on the words of korean::analyze() (the
// tagger of entities.cpp uses it for every alias in those scripts).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "panmun/korean.hpp"

namespace panmun::korean {

// How an alias matches a word:
// - an alias of several words ("판문점 선언", "고난의 행군") matches the same words with spaces
//   between them and particles only after the last ("판문점 선언을", not "판문점 선언문"), or
//   written as one word (then as any alias, longer words included: 판문점선언문);
// - a Hangul alias, in the South's spelling, starts the word's reading, or one of its other
//   readings: 김정은 matches 김정은은 and 北김정은's second word, 리설주 matches 이설주, 북한
//   matches 北 (read 북한) and 北韓;
// - a Hanja alias starts the word as written (金正恩 in 金正恩委員長); an alias of one Hanja is
//   the whole word (北 is not 北京).
// - a person, organisation or place whose alias starts a part of a longer alias (판문점 in
//   "판문점 선언", 평양 in 평양공동선언) is named inside it, and a word that matches the longer
//   alias names both, when `nests` allows it.
class Aliases {
public:
    // The entity of a word that is not an entity ("-대전환" in the gazetteer): it wins over
    // shorter aliases and tags nothing.
    static constexpr std::size_t none = SIZE_MAX - 1;
    void add(std::string_view alias, std::size_t entity);
    // Call after the last add(). nests(outer, inner): whether a name of entity `inner` inside a
    // name of entity `outer` refers to `inner`.
    void finish(const std::function<bool(std::size_t outer, std::size_t inner)>& nests);
    struct Found {
        std::size_t entity;
        std::size_t begin, end;  // bytes of the word in the text
        bool inner;              // named inside a longer alias
        bool compound;           // the alias begins a longer word (Mention::compound)
    };
    // The entities whose aliases match the words of `text`, in text order, appended to `out`.
    void tag(std::string_view text, const Context& context, std::vector<Found>& out) const;
    // The entities named inside `entity`'s aliases (after finish()).
    std::vector<std::size_t> inner_of(std::size_t entity) const;
    // The entities that have `name` as an alias, written as given.
    std::vector<std::size_t> named(std::string_view name) const;

private:
    struct Alias {
        std::u32string letters;  // Hangul: in the South's spelling
        std::string written;     // as in the gazetteer
        std::size_t entity;
        std::vector<std::size_t> inner;  // entities named inside it
        // Letters and digits written with it ("10·4 선언", "AP통신", "조선중앙TV"): the word
        // must have them right before or after (lowercase; dots and spaces between skipped).
        std::u32string before, after;
    };
    // The longest alias that `letters` (several words read together from `first` on) start
    // with, longer than the first `joined` letters (it ends in the last word), followed by
    // particles only, and whose digits written before are there; null if none.
    const Alias* across(std::u32string_view letters, std::size_t joined, std::string_view text,
                        const Word& first) const;
    // The longest alias that starts `word`, is not an alias of `skip`, and whose Latin letters
    // are around it in `text` (none when `word` is null: aliases without Latin letters only).
    const Alias* match(std::u32string_view letters, bool whole_hanja, std::size_t skip,
                       std::string_view text = {}, const Word* word = nullptr) const;
    // By first letter, longest first.
    std::unordered_map<char32_t, std::vector<Alias>> by_letter_;
};

}  // namespace panmun::korean
