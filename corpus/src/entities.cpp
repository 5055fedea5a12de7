// Gazetteer parsing and alias matching. Latin aliases are keyed by their words joined without
// separators ("kimjongun"); the tagger walks the text's words and extends a candidate word by
// word while the joined prefix is a prefix of some key. Hangul and Hanja aliases are matched on
// the Korean words of the text (korean/aliases.hpp).
#include "panmun/entities.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "korean/aliases.hpp"
#include "panmun/errors.hpp"
#include "panmun/unicode.hpp"

extern const char* const panmun_builtin_gazetteer;  // generated from corpus/entities/gazetteer.tsv

namespace panmun {
namespace {

bool is_alnum_ascii(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
char lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

// Code point at s[i] and its length.
std::pair<char32_t, std::size_t> decode(std::string_view s, std::size_t i) {
    std::size_t next = i;
    const char32_t c = unicode::next(s, next);
    return {c, next - i};
}

// Hangul and Hanja: aliases matched at the start of a word (the Unicode layer's n-gram script).
bool is_cjk(char32_t c) { return unicode::is_ngram(c); }

// Letters other than ASCII that belong to a Latin word ("é", "ŏ"): part of the word.
bool is_word_letter(char32_t c) {
    return c >= 0x80 && unicode::is_letter(c) && !unicode::is_ngram(c);
}

// Separators allowed inside a name: space, hyphen, dot, apostrophes, and one line break (wire
// copy is wrapped: "Javier Perez de\nCuellar"); a blank line ends a name.
bool is_name_separator(char32_t c) {
    return c == ' ' || c == '-' || c == '.' || c == '\'' || c == '\n' || c == '\r' || c == 0x2019 ||
           c == 0x2010 || c == 0x2011 || c == 0xA0;
}

// A Latin alias's words, as the tagger will see them. Non-ASCII letters stay inside words.
std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < s.size();) {
        auto [c, n] = decode(s, i);
        if ((c < 0x80 && is_alnum_ascii(static_cast<char>(c))) || is_word_letter(c)) {
            cur.append(s.substr(i, n));
        } else if (!cur.empty()) {
            out.push_back(std::move(cur));
            cur.clear();
        }
        i += n;
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

bool has_hangul(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto [c, n] = decode(s, i);
        if (unicode::is_hangul(c) && unicode::is_letter(c)) return true;
        i += n;
    }
    return false;
}

bool has_cjk(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto [c, n] = decode(s, i);
        if (is_cjk(c)) return true;
        i += n;
    }
    return false;
}

// An acronym: one to five capitals and nothing else but separators ("UN", "U.S.", "WHO").
bool is_acronym(std::string_view alias) {
    std::size_t letters = 0;
    for (char c : alias) {
        if (is_upper(c))
            ++letters;
        else if (c != '.' && c != ' ')
            return false;
    }
    return letters >= 1 && letters <= 5;
}

// A name's key for comparing: its words lowercased and joined ("kimjongun"), or itself when it is
// Hangul or Hanja.
std::string folded_key(std::string_view name) {
    if (has_cjk(name)) return std::string(name);
    std::string key;
    for (std::string& w : words(name)) {
        std::transform(w.begin(), w.end(), w.begin(), lower);
        key += w;
    }
    return key;
}

// The key a Latin alias is indexed under, and matched by (latin_matches joins a text's words
// the same way): its words joined, lower-cased, or as written for an acronym (`exact`).
struct AliasKey {
    std::string key;
    bool exact = false;
};
AliasKey alias_key(std::string_view alias) {
    AliasKey k;
    k.exact = is_acronym(alias);
    for (std::string& w : words(alias)) {
        if (!k.exact) std::transform(w.begin(), w.end(), w.begin(), lower);
        k.key += w;
    }
    return k;
}

}  // namespace

struct Gazetteer::Index {
    // Joined word keys -> entity index. Case-folded for ordinary aliases, exact for acronyms.
    std::unordered_map<std::string, std::vector<std::size_t>> folded, exact;
    // The same keys -> the people, organisations and places named inside those aliases.
    std::unordered_map<std::string, std::vector<std::size_t>> folded_inner, exact_inner;
    std::unordered_set<std::string> folded_prefixes, exact_prefixes;  // at word boundaries
    std::size_t max_words = 1;
    // Hangul and Hanja aliases, matched on the text's Korean words.
    korean::Aliases korean;
    // Capitalised Latin aliases of two words or more, by their first word: for unglue().
    struct Spelled {
        std::vector<std::string> words;
        std::size_t entity;
    };
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, std::vector<Spelled>, Hash, std::equal_to<>> glued;
};

Gazetteer::Gazetteer() : index_(std::make_unique<Index>()) {}
Gazetteer::~Gazetteer() = default;
Gazetteer::Gazetteer(Gazetteer&&) noexcept = default;
Gazetteer& Gazetteer::operator=(Gazetteer&&) noexcept = default;

std::string_view entity_type_name(EntityType type) {
    switch (type) {
        case EntityType::person:
            return "person";
        case EntityType::org:
            return "org";
        case EntityType::place:
            return "place";
        case EntityType::event:
            return "event";
    }
    return "?";
}

std::optional<EntityType> entity_type_named(std::string_view name) {
    for (EntityType t : entity_types)
        if (entity_type_name(t) == name) return t;
    return std::nullopt;
}

const Gazetteer& Gazetteer::builtin() {
    static const Gazetteer g = parse(panmun_builtin_gazetteer, "corpus/entities/gazetteer.tsv");
    return g;
}

Gazetteer Gazetteer::parse(std::string_view tsv, const std::string& name) {
    Gazetteer g;
    std::unordered_set<std::string> ids;
    std::uint64_t line_no = 0;
    while (!tsv.empty()) {
        std::size_t nl = tsv.find('\n');
        std::string_view line = tsv.substr(0, nl);
        tsv = nl == std::string_view::npos ? std::string_view{} : tsv.substr(nl + 1);
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string_view> cols;
        for (std::size_t start = 0;;) {
            std::size_t tab = line.find('\t', start);
            cols.push_back(line.substr(
                start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
            if (tab == std::string_view::npos) break;
            start = tab + 1;
        }
        if (cols.size() != 4 && cols.size() != 5)
            throw InputError(name, line_no,
                             "expected 4 or 5 tab-separated columns (id, type, name, aliases, and "
                             "the ids its names do not refer to), found " +
                                 std::to_string(cols.size()));
        Entity e;
        e.id = std::string(cols[0]);
        if (e.id.empty() || std::any_of(e.id.begin(), e.id.end(), [](char c) {
                return !(is_alnum_ascii(c) && !is_upper(c)) && c != '-';
            }))
            throw InputError(name, line_no,
                             "id '" + e.id + "' must be lowercase letters, digits and hyphens");
        if (!ids.insert(e.id).second)
            throw InputError(name, line_no, "id '" + e.id + "' appears twice");
        std::optional<EntityType> type = entity_type_named(cols[1]);
        if (!type)
            throw InputError(
                name, line_no,
                "type '" + std::string(cols[1]) + "' is not person, org, place or event");
        e.type = *type;
        e.name = std::string(cols[2]);
        for (std::size_t start = 0;;) {
            std::size_t bar = cols[3].find('|', start);
            std::string_view alias = cols[3].substr(
                start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
            if (!alias.empty() && alias[0] == '~')
                e.context_aliases.emplace_back(alias.substr(1));
            else if (!alias.empty() && alias[0] == '-')
                e.not_aliases.emplace_back(alias.substr(1));
            else if (!alias.empty())
                e.aliases.emplace_back(alias);
            if (bar == std::string_view::npos) break;
            start = bar + 1;
        }
        if (e.aliases.empty())
            throw InputError(name, line_no, "entity '" + e.id + "' has no alias that tags");
        if (cols.size() == 5) {
            for (std::size_t start = 0;;) {
                std::size_t bar = cols[4].find('|', start);
                std::string_view id = cols[4].substr(
                    start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
                if (id == "*")
                    e.all_opaque = true;
                else if (!id.empty())
                    e.opaque_to.emplace_back(id);
                if (bar == std::string_view::npos) break;
                start = bar + 1;
            }
        }
        for (const std::string& alias : e.aliases)
            if (e.korean_name.empty() && has_hangul(alias)) e.korean_name = alias;
        g.entities_.push_back(std::move(e));
    }
    g.reindex();
    return g;
}

void Gazetteer::merge(const Gazetteer& other) {
    for (const Entity& e : other.entities_) {
        auto it = std::find_if(entities_.begin(), entities_.end(),
                               [&](const Entity& x) { return x.id == e.id; });
        if (it != entities_.end())
            *it = e;
        else
            entities_.push_back(e);
    }
    reindex();
}

void Gazetteer::reindex() {
    index_ = std::make_unique<Index>();
    Index& ix = *index_;
    for (std::size_t i = 0; i < entities_.size(); ++i) {
        for (const std::string& alias : entities_[i].not_aliases) {
            if (has_cjk(alias)) {
                ix.korean.add(alias, korean::Aliases::none);
                continue;
            }
            std::string key = folded_key(alias);
            for (std::size_t n = 1; n <= key.size(); ++n)
                ix.folded_prefixes.insert(key.substr(0, n));
            ix.folded.emplace(key, std::vector<std::size_t>{});  // matches, and tags nothing
            ix.max_words = std::max(ix.max_words, words(alias).size());
        }
        for (const std::string& alias : entities_[i].aliases) {
            if (has_cjk(alias)) {
                ix.korean.add(alias, i);
                continue;
            }
            auto ws = words(alias);
            if (ws.empty() || std::all_of(alias.begin(), alias.end(), [](char c) {
                    return !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z');
                }))
                continue;  // digits alone ("6·15") would tag numbers
            if (ws.size() >= 2 && is_upper(ws[0][0])) ix.glued[ws[0]].push_back({ws, i});
            const auto [key, exact] = alias_key(alias);
            // Every prefix, not only at the alias's word boundaries: the text may split words
            // elsewhere ("Worker's party" against "Workers' Party").
            for (std::size_t n = 1; n <= key.size(); ++n)
                (exact ? ix.exact_prefixes : ix.folded_prefixes).insert(key.substr(0, n));
            auto& ids = (exact ? ix.exact : ix.folded)[key];
            if (std::find(ids.begin(), ids.end(), i) == ids.end()) ids.push_back(i);
            ix.max_words = std::max(ix.max_words, ws.size());
        }
    }
    // Names inside names: the people, organisations and places an alias's own words name, where
    // the entry does not say they do not refer.
    auto nests = [&](std::size_t outer, std::size_t inner) {
        const Entity& o = entities_[outer];
        return inner != outer && entities_[inner].type != EntityType::event && !o.all_opaque &&
               std::find(o.opaque_to.begin(), o.opaque_to.end(), entities_[inner].id) ==
                   o.opaque_to.end();
    };
    for (std::size_t i = 0; i < entities_.size(); ++i)
        for (const std::string& alias : entities_[i].aliases) {
            if (has_cjk(alias)) continue;
            const std::vector<Word> aw = latin_words(alias);
            const auto [key, exact] = alias_key(alias);
            auto& inner = (exact ? ix.exact_inner : ix.folded_inner)[key];
            for (std::size_t from = 0; from < aw.size(); ++from)
                latin_matches(alias, aw, from, aw.size(),
                              [&](std::size_t end, const std::vector<std::size_t>& list,
                                  const std::vector<std::size_t>*) {
                                  if (from == 0 && end == aw.size()) return;  // itself
                                  for (std::size_t e : list)
                                      if (nests(i, e) &&
                                          std::find(inner.begin(), inner.end(), e) == inner.end())
                                          inner.push_back(e);
                              });
        }
    ix.korean.finish(nests);
}

const std::vector<Entity>& Gazetteer::entities() const { return entities_; }

std::vector<const Entity*> Gazetteer::named(std::string_view name) const {
    std::vector<const Entity*> out;
    auto add = [&](std::size_t i) {
        if (std::find(out.begin(), out.end(), &entities_[i]) == out.end())
            out.push_back(&entities_[i]);
    };
    if (has_cjk(name)) {
        for (std::size_t i : index_->korean.named(name)) add(i);
        return out;
    }
    std::string exact;
    for (const std::string& w : words(name)) exact += w;
    if (auto it = index_->exact.find(exact); it != index_->exact.end())
        for (std::size_t i : it->second) add(i);
    if (auto it = index_->folded.find(folded_key(name)); it != index_->folded.end())
        for (std::size_t i : it->second) add(i);
    return out;
}

std::string Gazetteer::unglue(std::string_view text) const {
    auto is_letter = [](char c) { return is_alnum_ascii(c) && !(c >= '0' && c <= '9'); };
    auto is_lower_letter = [](char c) { return c >= 'a' && c <= 'z'; };
    // Endings that make a name a word of its own: plurals, demonyms, doctrines.
    static const std::unordered_set<std::string_view> suffixes = {
        "s",   "es",   "n",   "ns",   "ese", "ian",  "ians",
        "ism", "isms", "ist", "ists", "ite", "ites", "ic"};
    std::vector<std::size_t> spaces;  // offsets to put a space before
    for (std::size_t p = 0; p < text.size(); ++p) {
        if (!is_upper(text[p]) || (p > 0 && is_upper(text[p - 1]))) continue;
        std::size_t end = p;
        while (end < text.size() && is_letter(text[end])) ++end;
        auto it = index_->glued.find(text.substr(p, end - p));
        if (it == index_->glued.end()) continue;
        const bool glued_before = p > 0 && is_lower_letter(text[p - 1]);
        for (const Index::Spelled& alias : it->second) {
            std::size_t at = end;  // after the first word
            bool whole = true;
            for (std::size_t w = 1; w < alias.words.size() && whole; ++w) {
                std::size_t seps = 0;
                while (at < text.size() && seps < 3 && (text[at] == ' ' || text[at] == '-'))
                    ++at, ++seps;
                const std::string& word = alias.words[w];
                whole = seps > 0 && text.compare(at, word.size(), word) == 0;
                at += word.size();
                if (whole && w + 1 < alias.words.size())
                    whole = at >= text.size() || !is_letter(text[at]);
            }
            if (!whole) continue;
            bool glued_after = false;
            if (at < text.size() && is_letter(text[at])) {
                // The word glued on: capitalised ("Square"), or lower-case letters up to the
                // next capital ("and" of "andKim", which starts a name of its own).
                std::size_t tail = at + 1;
                while (tail < text.size() && is_lower_letter(text[tail])) ++tail;
                const std::string_view rest = text.substr(at, tail - at);
                const bool word_ends =
                    tail == text.size() || !is_letter(text[tail]) || is_upper(text[tail]);
                glued_after =
                    is_upper(rest[0]) ||
                    (entities_[alias.entity].type == EntityType::person && rest.size() >= 2 &&
                     word_ends && is_lower_letter(rest[0]) && !suffixes.count(rest));
                if (!glued_after) continue;  // the name is part of a longer word: leave it
            }
            if (glued_before) spaces.push_back(p);
            if (glued_after) spaces.push_back(at);
            if (glued_before || glued_after) break;
        }
    }
    if (spaces.empty()) return std::string(text);
    std::sort(spaces.begin(), spaces.end());
    spaces.erase(std::unique(spaces.begin(), spaces.end()), spaces.end());
    std::string out;
    out.reserve(text.size() + spaces.size());
    std::size_t from = 0;
    for (std::size_t at : spaces) {
        out.append(text, from, at - from);
        out += ' ';
        from = at;
    }
    out.append(text, from);
    return out;
}

std::vector<const Entity*> Gazetteer::closest(std::string_view name, EntityType type,
                                              std::size_t n) const {
    const std::string key = folded_key(name);
    const std::size_t letters = std::max<std::size_t>(1, unicode::length(key));
    std::vector<std::pair<std::size_t, const Entity*>> scored;
    for (const Entity& e : entities_) {
        if (e.type != type) continue;
        std::size_t best = SIZE_MAX;
        best = std::min(best, unicode::edit_distance(key, folded_key(e.name)));
        for (const std::string& alias : e.aliases)
            best = std::min(best, unicode::edit_distance(key, folded_key(alias)));
        if (best * 5 <= letters * 2) scored.emplace_back(best, &e);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<const Entity*> out;
    for (std::size_t i = 0; i < scored.size() && i < n; ++i) out.push_back(scored[i].second);
    return out;
}

std::vector<const Entity*> Gazetteer::resolve(EntityType type, std::string_view text) const {
    std::string id(text);
    for (char& c : id)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (const Entity* e = find(id); e && e->type == type) return {e};
    std::vector<const Entity*> out;
    for (const Entity* e : named(text))
        if (e->type == type) out.push_back(e);
    return out;
}

const Entity* Gazetteer::find(std::string_view id) const {
    for (const Entity& e : entities_)
        if (e.id == id) return &e;
    return nullptr;
}

std::vector<Gazetteer::Word> Gazetteer::latin_words(std::string_view text) {
    std::vector<Word> ws;
    for (std::size_t i = 0; i < text.size();) {
        auto [c, n] = decode(text, i);
        if ((c < 0x80 && is_alnum_ascii(static_cast<char>(c))) || is_word_letter(c)) {
            std::size_t b = i;
            while (i < text.size()) {
                auto [d, m] = decode(text, i);
                if (!((d < 0x80 && is_alnum_ascii(static_cast<char>(d))) || is_word_letter(d)))
                    break;
                i += m;
            }
            std::size_t e = i;
            bool joins = false;
            std::size_t k = i, seps = 0, breaks = 0;
            while (k < text.size()) {
                auto [d, m] = decode(text, k);
                if (!is_name_separator(d)) break;
                k += m;
                ++seps;
                breaks += d == '\n';
            }
            if (seps > 0 && seps <= 3 && breaks <= 1 && k < text.size()) {
                auto [d, m] = decode(text, k);
                joins = (d < 0x80 && is_alnum_ascii(static_cast<char>(d))) || is_word_letter(d);
            }
            ws.push_back({b, e, joins});
            continue;
        }
        i += n;
    }
    return ws;
}

void Gazetteer::latin_matches(std::string_view text, const std::vector<Word>& ws, std::size_t w,
                              std::size_t limit, const LatinMatch& on_match) const {
    const Index& ix = *index_;
    std::string folded, exact;
    // An acronym right after "<" is a newswire ticker ("<ROK>", "<ROK.N>": Rockwell), not a name.
    bool try_folded = true, try_exact = ws[w].begin == 0 || text[ws[w].begin - 1] != '<';
    for (std::size_t k = w; k < limit && k < w + 4 * ix.max_words && (try_folded || try_exact);
         ++k) {
        std::string_view word = text.substr(ws[k].begin, ws[k].end - ws[k].begin);
        exact += word;
        for (char c : word) folded += lower(c);
        auto inner = [](const auto& map, const std::string& key) {
            auto it = map.find(key);
            return it == map.end() ? nullptr : &it->second;
        };
        if (try_folded) {
            if (auto it = ix.folded.find(folded); it != ix.folded.end())
                on_match(k + 1, it->second, inner(ix.folded_inner, folded));
            try_folded = ix.folded_prefixes.count(folded) > 0;
        }
        if (try_exact) {
            if (auto it = ix.exact.find(exact); it != ix.exact.end())
                on_match(k + 1, it->second, inner(ix.exact_inner, exact));
            try_exact = ix.exact_prefixes.count(exact) > 0;
        }
        if (!ws[k].joins_next) break;
    }
}

// Whether the words [w, end) are part of a company's name: followed by a word that ends one
// ("Japan Line", "China Entertainment") or after "Co of" ("Aluminum Co of America").
bool Gazetteer::in_company_name(std::string_view text, const std::vector<Word>& ws, std::size_t w,
                                std::size_t end) {
    static const std::unordered_set<std::string> after = {
        "co",       "corp",       "corporation", "inc",       "incorporated", "ltd",
        "limited",  "plc",        "line",        "lines",     "fund",         "entertainment",
        "holdings", "industries", "airlines",    "securities"};
    static const std::unordered_set<std::string> before = {"co", "corp", "corporation", "company",
                                                           "inc"};
    auto word = [&](std::size_t k) {
        std::string out(text.substr(ws[k].begin, ws[k].end - ws[k].begin));
        std::transform(out.begin(), out.end(), out.begin(), lower);
        return out;
    };
    auto capitalised = [&](std::size_t k) { return is_upper(text[ws[k].begin]); };
    if (end < ws.size() && ws[end - 1].joins_next && capitalised(end) && after.count(word(end)))
        return true;
    return w >= 2 && ws[w - 2].joins_next && ws[w - 1].joins_next && word(w - 1) == "of" &&
           capitalised(w - 2) && before.count(word(w - 2));
}

std::vector<Mention> Gazetteer::mentions(std::string_view text,
                                         const korean::Context& context) const {
    const Index& ix = *index_;
    const std::vector<Word> ws = latin_words(text);
    std::vector<Mention> out;
    // The longest match wins its words: "KIM JONG UN" is Kim Jong Un, not also the UN. The
    // names inside it (Index::folded_inner, exact_inner) are mentions too.
    for (std::size_t w = 0; w < ws.size();) {
        std::size_t best_end = 0;
        std::vector<std::pair<const std::vector<std::size_t>*, const std::vector<std::size_t>*>>
            best;  // the entities of each longest key, and the names inside it
        latin_matches(text, ws, w, ws.size(),
                      [&](std::size_t end, const std::vector<std::size_t>& list,
                          const std::vector<std::size_t>* inner) {
                          if (end > best_end) best.clear();
                          if (end < best_end) return;
                          best_end = end;
                          best.emplace_back(&list, inner);
                      });
        if (!best_end) {
            ++w;
            continue;
        }
        const std::size_t begin = ws[w].begin, end = ws[best_end - 1].end;
        const std::size_t first = out.size();
        const bool company = in_company_name(text, ws, w, best_end);
        auto add = [&](std::size_t e, bool inner) {
            if (company && entities_[e].type == EntityType::place) return;
            for (std::size_t i = first; i < out.size(); ++i)
                if (out[i].entity == &entities_[e]) return;
            out.push_back({&entities_[e], begin, end, inner});
        };
        for (const auto& [list, inner] : best) {
            for (std::size_t e : *list) add(e, false);
            if (inner)
                for (std::size_t e : *inner) add(e, true);
        }
        w = best_end;
    }
    std::vector<korean::Aliases::Found> korean;
    ix.korean.tag(text, context, korean);
    if (!korean.empty()) {
        for (const auto& k : korean)
            out.push_back({&entities_[k.entity], k.begin, k.end, k.inner, k.compound});
        std::stable_sort(out.begin(), out.end(),
                         [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
    }
    return out;
}

std::vector<const Entity*> Gazetteer::tag(std::string_view text,
                                          const korean::Context& context) const {
    std::vector<char> found(entities_.size(), 0);
    for (const Mention& m : mentions(text, context))
        found[static_cast<std::size_t>(m.entity - entities_.data())] = 1;
    std::vector<const Entity*> out;
    for (std::size_t i = 0; i < entities_.size(); ++i)
        if (found[i]) out.push_back(&entities_[i]);
    return out;
}

std::vector<const Entity*> Gazetteer::inner_names(const Entity& entity) const {
    const std::size_t i = static_cast<std::size_t>(&entity - entities_.data());
    std::vector<char> found(entities_.size(), 0);
    for (const std::string& alias : entity.aliases) {
        if (has_cjk(alias)) continue;
        const auto [key, exact] = alias_key(alias);
        const auto& map = exact ? index_->exact_inner : index_->folded_inner;
        if (auto it = map.find(key); it != map.end())
            for (std::size_t e : it->second) found[e] = 1;
    }
    for (std::size_t e : index_->korean.inner_of(i)) found[e] = 1;
    std::vector<const Entity*> out;
    for (std::size_t e = 0; e < entities_.size(); ++e)
        if (found[e]) out.push_back(&entities_[e]);
    return out;
}

}  // namespace panmun
