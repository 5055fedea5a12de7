// Entities: the gazetteer (people, organisations, places, events with every spelling of their
// names) and the tagger that finds them in a text. The built-in gazetteer is
// corpus/entities/gazetteer.tsv, compiled into the library; users add their own in the same format.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "panmun/korean.hpp"

namespace panmun {

enum class EntityType { person, org, place, event };
inline constexpr EntityType entity_types[] = {EntityType::person, EntityType::org,
                                              EntityType::place, EntityType::event};
std::string_view entity_type_name(EntityType type);  // "person", "org", "place", "event"
// The type with that name; nullopt for any other string.
std::optional<EntityType> entity_type_named(std::string_view name);

struct Entity {
    std::string id;  // stable, lowercase: "kim-jong-un"
    EntityType type = EntityType::person;
    std::string name;                          // for display: "Kim Jong Un"
    std::vector<std::string> aliases;          // that tag a document
    std::vector<std::string> context_aliases;  // "~Supreme Leader": never tag by themselves
    // "-대전환": longer words that start with an alias and are not the entity (대전환, "great
    // transformation", is not 대전 Daejeon); they win over the alias as a longer name would.
    std::vector<std::string> not_aliases;
    std::string korean_name;  // its first Hangul alias ("김정은"), or ""
    // Entities whose names occur inside this one's without referring to them (the gazetteer's
    // fifth column): Kim Il Sung Square does not name the person. `all_opaque`: none does.
    std::vector<std::string> opaque_to;
    bool all_opaque = false;

    // The name to show to readers of `lang`: the Korean name for "ko" when there is one.
    const std::string& name_in(std::string_view lang) const {
        return lang == "ko" && !korean_name.empty() ? korean_name : name;
    }
};

// Where a text names an entity: bytes [begin, end) of the text (for a Korean word, the whole
// word with its particles). `inner`: named inside a longer name of another entity ("Panmunjom"
// in "Panmunjom Declaration", 판문점 in 판문점선언), which is a mention of its own.
// `compound`: a Korean name that begins a longer word (한국영화, 서울역, 중국산), not a name
// standing alone with its particles (한국의).
struct Mention {
    const Entity* entity = nullptr;
    std::size_t begin = 0, end = 0;
    bool inner = false;
    bool compound = false;
};

// A set of entities with an index of their aliases. How an alias matches:
// - Latin aliases match whole words, ignoring case and the spaces, hyphens, dots and apostrophes
//   between parts: "Kim Jong Un" matches "Kim Jong-un", "KIM JONG UN", "Kim Jongun". An alias of
//   up to five capitals ("UN", "WHO", "US") matches only in capitals, so "who" and "us" do not,
//   and not as a newswire ticker right after "<" ("<ROK>" is Rockwell's stock, not the ROK).
// - Hangul and Hanja aliases match at the start of a Korean word (korean::analyze), so that
//   particles may follow: "김정은" matches "김정은은", "김정은의", "김정은동지", "北김정은", not
//   "과김정은". A Hangul alias matches in either Korea's spelling and the Hangul reading of Hanja
//   (북한 matches 北 and 北韓, 리설주 matches 이설주); an alias of one Hanja is a whole word (北,
//   not 北京). Digits and Latin letters written with a Hangul alias must be there too ("10·4
//   선언" is not any 선언, "AP통신" not any 통신).
// - An alias of digits alone ("6·15") tags nothing: it would match numbers ("61.5", "6-15").
// - A place in a company's name is not the place: before Co, Corp, Inc, Ltd, Line, Fund and
//   the like ("Japan Line", "China Entertainment"), or after "Co of" ("Aluminum Co of America").
// - The longest name wins its words ("KIM JONG UN" is not also the UN), but a person,
//   organisation or place named inside it is tagged too (the Panmunjom Declaration names
//   Panmunjom, 평양공동선언 names 평양), unless the longer name's entry says the inner name does
//   not refer (Kim Il Sung Square is not the person): see inner_names().
class Gazetteer {
public:
    Gazetteer();
    ~Gazetteer();
    Gazetteer(Gazetteer&&) noexcept;
    Gazetteer& operator=(Gazetteer&&) noexcept;

    // The built-in gazetteer (corpus/entities/gazetteer.tsv).
    static const Gazetteer& builtin();
    // Parses the TSV format (see the built-in file's header). Throws InputError naming the line.
    static Gazetteer parse(std::string_view tsv, const std::string& name);
    // Adds every entity of `other`; an entity with an id already present replaces it.
    void merge(const Gazetteer& other);

    const std::vector<Entity>& entities() const;
    const Entity* find(std::string_view id) const;

    // The entities whose aliases occur in `text`, each once, in gazetteer order. `context` says
    // how to read the Hanja of a Korean text (its date, for 文 = 문재인).
    std::vector<const Entity*> tag(std::string_view text,
                                   const korean::Context& context = {}) const;
    // Every mention of an entity in `text`, in text order (Latin before Korean at one offset).
    std::vector<Mention> mentions(std::string_view text, const korean::Context& context = {}) const;
    // The people, organisations and places tagged inside the names of `entity` (the nested names
    // that tag() adds), each once, in gazetteer order.
    std::vector<const Entity*> inner_names(const Entity& entity) const;
    // The entities one of whose aliases is `name` as a whole, compared as tag() compares (case,
    // and the spaces, hyphens and dots between words, ignored); "~" context aliases do not count.
    std::vector<const Entity*> named(std::string_view name) const;
    // The entities of `type` that `text` stands for where an entity is asked for (person:TEXT in
    // a query, --with person:TEXT): the one whose id it is (ASCII case ignored), else every
    // entity of that type one of whose names it is (named()). Empty if none.
    std::vector<const Entity*> resolve(EntityType type, std::string_view text) const;
    // `text` with the spaces put back that a scrape lost around names of two words or more
    // (kcna-en-2024: "ComradeKim Jong Unwas", "atKim Il SungSquare"): before a name glued to the
    // lower-case end of a word, and after one glued to the word that follows, when that word is
    // capitalised ("SungSquare") or, after a person's name, two or more lower-case letters that
    // are not a suffix of the name ("Unwas", but not "Kim Il Sungism" or "North Koreans").
    // Single-word names are never split off ("PetroChina", "Japanese" stay whole).
    std::string unglue(std::string_view text) const;
    // Up to `n` entities of `type` whose names or aliases are closest to `name` (edit distance
    // of at most two fifths of its letters), closest first: for "did you mean" messages.
    std::vector<const Entity*> closest(std::string_view name, EntityType type, std::size_t n) const;

private:
    struct Index;
    // A Latin word of a text, and whether only name separators lie before the next one.
    struct Word {
        std::size_t begin, end;
        bool joins_next;
    };
    static std::vector<Word> latin_words(std::string_view text);
    // Every alias that matches the words [w, end) for some end <= limit: on_match(end, its
    // entities, the names inside it or null).
    using LatinMatch = std::function<void(std::size_t end, const std::vector<std::size_t>&,
                                          const std::vector<std::size_t>*)>;
    void latin_matches(std::string_view text, const std::vector<Word>& ws, std::size_t w,
                       std::size_t limit, const LatinMatch& on_match) const;
    static bool in_company_name(std::string_view text, const std::vector<Word>& ws, std::size_t w,
                                std::size_t end);
    void reindex();
    std::vector<Entity> entities_;
    std::unique_ptr<Index> index_;
};

}  // namespace panmun
