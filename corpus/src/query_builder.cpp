// build_query(): a parsed query (query_ast.hpp) made into a Xapian::Query. Words and phrases go
// through Xapian's parser, configured as the indexer's term generator (schema.hpp), one at a
// time; operators, filters, entities and NEAR are ours.
#include <algorithm>
#include <map>

#include "near.hpp"
#include "panmun/date.hpp"
#include "panmun/korean.hpp"
#include "panmun/query.hpp"
#include "panmun/schema.hpp"
#include "panmun/unicode.hpp"
#include "query_ast.hpp"

namespace panmun {
namespace {

using query::Leaf;
using query::Node;

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// A filter's query: it selects, it adds no weight.
Xapian::Query weightless(const Xapian::Query& q) {
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, 0);
}

class Builder {
public:
    Builder(std::string_view text, const Xapian::Database& db, const GazetteerSource& gazetteer)
        : text_(text),
          db_(db),
          gazetteer_(gazetteer),
          parser_(schema::make_query_parser(db)),
          schema_(schema::version_of(db)),
          korean_(schema_ >= 2),
          merged_stems_(schema_ >= 3) {}

    // Every document: Xapian's Query::MatchAll made anew, not that static object shared by every
    // query (whose count of references two threads would update at once: search() builds a
    // query for each thread that counts a shard).
    static Xapian::Query match_all() { return Xapian::Query(std::string()); }

    Xapian::Query build(const Node& n) {
        switch (n.kind) {
            case Node::Kind::leaf:
                return n.leaf.is_filter() ? weightless(filter(n.leaf)) : words(n.leaf);
            case Node::Kind::all:
                return weightless(match_all());
            case Node::Kind::and_:
            case Node::Kind::or_:
            case Node::Kind::xor_: {
                std::vector<Xapian::Query> parts;
                for (const Node& c : n.children)
                    if (Xapian::Query q = build(c); !q.empty()) parts.push_back(std::move(q));
                if (parts.size() == 1) return parts[0];
                const auto op = n.kind == Node::Kind::and_  ? Xapian::Query::OP_AND
                                : n.kind == Node::Kind::or_ ? Xapian::Query::OP_OR
                                                            : Xapian::Query::OP_XOR;
                return Xapian::Query(op, parts.begin(), parts.end());
            }
            case Node::Kind::and_not: {
                Xapian::Query kept = build(n.children[0]), dropped = build(n.children[1]);
                if (dropped.empty()) return kept;
                if (kept.empty()) kept = weightless(match_all());
                return Xapian::Query(Xapian::Query::OP_AND_NOT, kept, dropped);
            }
            case Node::Kind::near:
                return near(n);
            case Node::Kind::filtered: {
                Xapian::Query q = build(n.children[0]);
                if (q.empty()) q = weightless(match_all());
                if (!n.filters.empty())
                    q = Xapian::Query(Xapian::Query::OP_FILTER, q, filters(n.filters));
                if (!n.excluded.empty()) {
                    std::vector<Xapian::Query> out;
                    for (const Leaf& l : n.excluded) out.push_back(filter(l));
                    q = Xapian::Query(Xapian::Query::OP_AND_NOT, q,
                                      Xapian::Query(Xapian::Query::OP_OR, out.begin(), out.end()));
                }
                return q;
            }
        }
        return {};
    }

private:
    [[noreturn]] void fail(std::size_t byte, const std::string& problem) const {
        throw QueryError(text_, unicode::chars_before(text_, byte) + 1, problem);
    }

    Xapian::Query parse(const std::string& text) {
        try {
            Xapian::Query q = parser_.parse_query(text, schema::query_parser_flags());
            return merged_stems_ ? with_own_words(q) : q;
        } catch (const Xapian::QueryParserError& e) {
            throw QuerySyntaxError(text_, 1, e.get_msg());
        }
    }

    // Schema 3: each stem term of the parser's query with its own word (schema::stem_query()).
    // The parser's queries are terms, ANDs of them, phrases and wildcards; phrases hold words
    // only (they need positions), wildcards words' starts: both stay as they are.
    static Xapian::Query with_own_words(const Xapian::Query& q) {
        using Q = Xapian::Query;
        switch (q.get_type()) {
            case Q::LEAF_TERM: {
                const std::string term = *q.get_terms_begin();
                const std::string word = schema::own_stem_word(term);
                return word.empty() ? q : Q(Q::OP_SYNONYM, q, Q(word));
            }
            case Q::OP_AND:
            case Q::OP_OR:
            case Q::OP_AND_NOT:
            case Q::OP_XOR:
            case Q::OP_AND_MAYBE:
            case Q::OP_FILTER:
            case Q::OP_SYNONYM:
            case Q::OP_MAX: {
                std::vector<Q> parts;
                for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
                    parts.push_back(with_own_words(q.get_subquery(i)));
                return Q(q.get_type(), parts.begin(), parts.end());
            }
            default:
                return q;
        }
    }

    // A word or phrase of the text or the title, read by Xapian's parser as the indexer read it
    // (Korean words by the Korean analysis, as the schema indexed them).
    Xapian::Query words(const Leaf& leaf) {
        const std::string field = leaf.field ? std::string(leaf.field->name) + ":" : "";
        if (korean_ && korean::has_korean(leaf.text)) return korean_words(leaf);
        if (leaf.kind == Leaf::Kind::phrase)
            return parse(field + "\"" + schema::index_text(leaf.text) + "\"");
        if (!leaf.text.empty() && leaf.text.back() == '*') {
            // The words it stands for (an error if too many), as one word: expanded here, over
            // every archive searched, rather than by each remote shard's server over its own
            // words, which would weigh them differently. (Xapian's parser would give this query
            // to be expanded when matched.)
            const std::string prefix =
                std::string(leaf.field ? leaf.field->prefix : "") + stem_of_wildcard(leaf);
            const std::vector<std::string> terms = expansions(leaf, prefix);
            return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
        }
        // (An archive of schema 1 has Korean as n-grams, which Xapian's parser reads in order
        // when the run is quoted.)
        return parse(field + (korean_ ? schema::index_text(leaf.text)
                                      : schema::quote_ngram_runs(schema::index_text(leaf.text))));
    }

    // A word or phrase with Korean in it. Its Korean words joined by a middle dot (한·미) are one
    // word; a word finds its reading in either Korea's spelling unless the leaf is a "phrase",
    // which asks for the letters as written. The other words between them (numbers, English) go
    // through Xapian's parser: ANDed with the Korean ones, or in a phrase, at their place in it.
    Xapian::Query korean_words(const Leaf& leaf) {
        const bool exact = leaf.kind == Leaf::Kind::phrase;
        const std::string prefix(leaf.field ? leaf.field->prefix : "");
        const std::string field = leaf.field ? std::string(leaf.field->name) + ":" : "";
        korean::Context context;
        context.query = true;
        const std::vector<korean::Word> words = korean::analyze(leaf.text, context);
        std::vector<Xapian::Query> parts;  // unquoted: ANDed
        std::vector<schema::Slot> slots;   // a phrase: in order
        unsigned at = 0, window = 0;       // where the next word starts; the slots' span
        std::size_t from = 0;
        auto other_words = [&](std::string_view text) {
            const std::string plain = schema::index_text(text);
            if (std::none_of(plain.begin(), plain.end(),
                             [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
                return;
            Xapian::Query q = parse(field + (exact ? "\"" + plain + "\"" : plain));
            if (!exact) return parts.push_back(q);
            for (const std::string& t : terms_of(q)) slots.push_back({t}), window = ++at;
        };
        for (std::size_t i = 0; i < words.size();) {
            other_words(leaf.text.substr(from, words[i].begin - from));
            std::vector<korean::Word> group{words[i]};
            while (++i < words.size() && words[i].joined) group.push_back(words[i]);
            from = group.back().end;
            const auto phrases = schema::korean_phrases(group, exact, prefix);
            if (phrases.empty()) continue;
            if (exact) {  // the particles after a word take positions too
                slots.insert(slots.end(), phrases[0].slots.begin(), phrases[0].slots.end());
                window = at + phrases[0].window;
                at += phrases[0].length +
                      static_cast<unsigned>(unicode::length(leaf.text.substr(
                          group.back().stem_end, group.back().end - group.back().stem_end)));
                continue;
            }
            std::vector<Xapian::Query> any;
            for (const auto& p : phrases) any.push_back(phrase(p.slots, p.window));
            parts.emplace_back(Xapian::Query::OP_OR, any.begin(), any.end());
        }
        other_words(leaf.text.substr(from));
        if (exact) {
            if (slots.empty()) fail(leaf.at, "'" + leaf.text + "' has no word to search for");
            return phrase(slots, window);
        }
        if (parts.empty()) fail(leaf.at, "'" + leaf.text + "' has no word to search for");
        return parts.size() == 1 ? parts[0]
                                 : Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
    }

    // Slots in order within `window` positions; one slot is its terms ORed.
    static Xapian::Query phrase(const std::vector<schema::Slot>& slots, std::size_t window) {
        std::vector<Xapian::Query> at;
        for (const schema::Slot& s : slots)
            at.push_back(s.size() == 1 ? Xapian::Query(s[0])
                                       : Xapian::Query(Xapian::Query::OP_OR, s.begin(), s.end()));
        if (at.size() == 1) return at[0];
        return Xapian::Query(Xapian::Query::OP_PHRASE, at.begin(), at.end(),
                             static_cast<Xapian::termcount>(window));
    }

    // The lowercased start of a wildcard word ("Provocat*" -> "provocat"), as Xapian reads it.
    std::string stem_of_wildcard(const Leaf& leaf) {
        const std::vector<std::string> terms =
            terms_of(parse("\"" + leaf.text.substr(0, leaf.text.size() - 1) + "\""));
        if (terms.size() != 1)
            fail(leaf.value_at, "a wildcard takes the start of one word (provocat*)");
        return terms[0];
    }

    // The terms of a query in position order. (Xapian's iterators share their state when copied:
    // read them once, straight through.)
    static std::vector<std::string> terms_of(const Xapian::Query& q) {
        std::vector<std::string> terms;
        for (auto t = q.get_terms_begin(); t != q.get_terms_end(); ++t) terms.push_back(*t);
        return terms;
    }

    // The terms a wildcard with this term prefix stands for; an error if there are too many.
    std::vector<std::string> expansions(const Leaf& leaf, const std::string& prefix) {
        std::vector<std::string> terms;
        for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) {
            if (terms.size() == max_wildcard_words)
                fail(leaf.value_at,
                     "'" + leaf.text + "' stands for more than " +
                         std::to_string(max_wildcard_words) +
                         " different words in this archive: give more of the word before '*'");
            terms.push_back(*t);
        }
        return terms;
    }

    Xapian::Query filter(const Leaf& leaf) {
        const schema::QueryField& f = *leaf.field;
        switch (f.kind) {
            case schema::FieldKind::folded:
                return Xapian::Query(std::string(f.prefix) + lower_ascii(leaf.text));
            case schema::FieldKind::exact:
                return Xapian::Query(std::string(f.prefix) + leaf.text);
            case schema::FieldKind::date:
                return schema::date_filter(*DateRange::parse(leaf.text));
            case schema::FieldKind::entity:
                return entity(leaf);
            case schema::FieldKind::text:
                break;
        }
        return {};
    }

    // Filters of one group: the values of an exclusive field ORed, everything else ANDed.
    Xapian::Query filters(const std::vector<Leaf>& leaves) {
        std::map<const schema::QueryField*, std::vector<Xapian::Query>> by_field;
        for (const Leaf& l : leaves) by_field[l.field].push_back(filter(l));
        std::vector<Xapian::Query> all;
        for (auto& [field, queries] : by_field) {
            if (field->exclusive)
                all.emplace_back(Xapian::Query::OP_OR, queries.begin(), queries.end());
            else
                all.insert(all.end(), queries.begin(), queries.end());
        }
        return Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
    }

    // person:, org:, place:, event: an entity id or any of its names.
    Xapian::Query entity(const Leaf& leaf) {
        const EntityType type = leaf.field->entity;
        const std::string prefix(leaf.field->prefix);
        std::vector<Xapian::Query> named;
        for (const Entity* e : gazetteer_().resolve(type, leaf.text))
            named.emplace_back(prefix + e->id);
        if (!named.empty()) return Xapian::Query(Xapian::Query::OP_OR, named.begin(), named.end());
        // Not one of this type: of another type, or nobody's name.
        const Entity* other = nullptr;
        for (const Entity* e : gazetteer_().named(leaf.text)) other = e;
        const std::string kind(entity_type_name(type));
        if (other)
            fail(leaf.at, "'" + leaf.text + "' is " +
                              (other->type == EntityType::org ? "an " : "a ") +
                              std::string(entity_type_name(other->type)) +
                              " in the gazetteer, not a " + kind + ": write " +
                              std::string(entity_type_name(other->type)) + ":" + other->id);
        std::string closest;
        for (const Entity* e : gazetteer_().closest(leaf.text, type, 3))
            closest += (closest.empty() ? "" : ", ") + e->name + " (" + kind + ":" + e->id + ")";
        fail(leaf.at, "no " + kind + " in the gazetteer is called '" + leaf.text + "'" +
                          (closest.empty() ? "" : " (closest: " + closest + ")") +
                          ", so no article is tagged with it. Search the name itself (\"" +
                          leaf.text +
                          "\"), list the names the gazetteer lacks with 'panmun-query entities "
                          "--discover', or add it with 'panmun-index retag --entities FILE'");
    }

    // NEAR/ADJ: the operands' own queries rank (as Xapian's OP_NEAR would), a NearSource filters.
    Xapian::Query near(const Node& n) {
        auto spec = std::make_shared<query::NearSpec>();
        spec->window = n.window;
        spec->ordered = n.ordered;
        std::vector<Xapian::Query> weights;
        for (const Leaf& leaf : n.near) {
            query::NearSpec::Operand& operand = spec->operands.emplace_back();
            if (leaf.kind == Leaf::Kind::word && !leaf.text.empty() && leaf.text.back() == '*') {
                std::vector<std::string> terms = expansions(leaf, stem_of_wildcard(leaf));
                for (const std::string& t : terms) operand.alternatives.push_back({t});
                weights.emplace_back(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
                continue;
            }
            // A word, as a one-word phrase: unstemmed, the form that has positions.
            Xapian::Query q = parse("\"" + schema::index_text(leaf.text) + "\"");
            std::vector<std::string> terms = terms_of(q);
            if (terms.empty()) fail(leaf.at, "'" + leaf.text + "' has no word to search for");
            operand.alternatives.push_back(std::move(terms));
            weights.push_back(std::move(q));
        }
        Xapian::Query ranked(Xapian::Query::OP_AND, weights.begin(), weights.end());
        return Xapian::Query(Xapian::Query::OP_FILTER, ranked,
                             Xapian::Query((new query::NearSource(spec))->release()));
    }

    std::string_view text_;
    const Xapian::Database& db_;
    const GazetteerSource& gazetteer_;
    Xapian::QueryParser parser_;
    int schema_;         // the archive's index schema
    bool korean_;        // the archive reads Korean with the Korean analysis (schema 2)
    bool merged_stems_;  // its stem terms leave out their own words (schema 3)
};

void collect_targets(const Node& n, std::vector<korean::Target>& out) {
    auto leaf = [&](const Leaf& l) {
        if (l.is_filter() || l.sign == '-' || !korean::has_korean(l.text)) return;
        for (korean::Target& t : korean::targets(l.text, l.kind == Leaf::Kind::phrase))
            out.push_back(std::move(t));
    };
    switch (n.kind) {
        case Node::Kind::leaf:
            leaf(n.leaf);
            break;
        case Node::Kind::near:
            for (const Leaf& l : n.near) leaf(l);
            break;
        case Node::Kind::and_not:
        case Node::Kind::filtered:
            if (!n.children.empty()) collect_targets(n.children[0], out);
            break;
        default:
            for (const Node& c : n.children) collect_targets(c, out);
    }
}

}  // namespace

std::vector<korean::Target> korean_targets(std::string_view query) {
    std::vector<korean::Target> out;
    if (korean::has_korean(query)) collect_targets(query::parse(query), out);
    return out;
}

Xapian::Query build_query(std::string_view text, const Xapian::Database& db,
                          const GazetteerSource& gazetteer) {
    const query::Node tree = query::parse(text);
    Xapian::Query q = Builder(text, db, gazetteer).build(tree);
    if (q.empty())
        throw QueryError(text, 1,
                         "the query has no word to search for (punctuation alone is not indexed)");
    return q;
}

}  // namespace panmun
