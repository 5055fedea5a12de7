// Index schema: terms, values and the matching query parser.
#include "panmun/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "panmun/errors.hpp"
#include "panmun/unicode.hpp"

namespace panmun::schema {
namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

constexpr unsigned term_generator_flags =
    Xapian::TermGenerator::FLAG_CJK_NGRAM;  // for kana and other CJK scripts; Korean is read by
                                            // korean.hpp

const std::vector<QueryField> fields = {
    {"title", FieldKind::text, prefix_title, false, EntityType::person,
     "title:hotline, title:\"Kim Jong Il\": in the headline"},
    {"source", FieldKind::folded, prefix_source, true, EntityType::person,
     "source:KCNA, source:\"Peninsula Desk\": from that source (any case)"},
    {"lang", FieldKind::folded, prefix_lang, true, EntityType::person, "lang:ko: in that language"},
    {"id", FieldKind::exact, prefix_id, true, EntityType::person, "id:ID: that article"},
    {"date", FieldKind::date, "", true, EntityType::person,
     "date:2018, date:2018-04, date:2018-04-27, date:2020-06-01..2020-06-30, date:2018.., "
     "date:..2019: dated within"},
    {"person", FieldKind::entity, prefix_person, false, EntityType::person,
     "person:kim-jong-un, person:\"Kim Jong-un\", person:김정은: naming that person"},
    {"org", FieldKind::entity, prefix_org, false, EntityType::org,
     "org:kcna: naming that organisation"},
    {"place", FieldKind::entity, prefix_place, false, EntityType::place,
     "place:panmunjom: naming that place"},
    {"event", FieldKind::entity, prefix_event, false, EntityType::event,
     "event:cheonan: naming that event"},
};

}  // namespace

Xapian::Stem stemmer() { return Xapian::Stem("english"); }

namespace {

// `text` with each word-final possessive "'s" (straight or curly apostrophe) split from its word:
// the apostrophe replaced by `apostrophe`, or kept with `before` put in front of it.
std::string split_possessives(std::string_view text, std::string_view before,
                              bool keep_apostrophe) {
    static constexpr std::string_view curly = "\xE2\x80\x99";  // U+2019
    auto word_char = [](char32_t c) { return unicode::is_letter(c) || unicode::is_digit(c); };
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t apos_len = text[i] == '\'' ? 1 : text.substr(i, 3) == curly ? 3 : 0;
        if (apos_len && i > 0 && i + apos_len < text.size() && (text[i + apos_len] | 0x20) == 's') {
            std::size_t prev = i;
            const bool after_word = word_char(unicode::previous(text, prev));
            const std::size_t next = i + apos_len + 1;
            if (after_word && (next == text.size() || !word_char(unicode::at(text, next)))) {
                out += before;
                if (keep_apostrophe) out.append(text, i, apos_len);
                i += apos_len;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

}  // namespace

std::string index_text(std::string_view text) { return split_possessives(text, " ", false); }

std::string snippet_text(std::string_view text) {
    return split_possessives(text, zero_width_space, true);
}

int version_of(const Xapian::Database& db) {
    const std::string v = db.get_metadata(meta_version);
    return v.empty() ? 1 : std::stoi(v);
}

std::string quote_ngram_runs(std::string_view q) {
    std::string out;
    bool in_phrase = false;
    for (std::size_t i = 0; i < q.size();) {
        if (q[i] == '"') in_phrase = !in_phrase;
        std::size_t end = i, chars = 0;
        for (std::size_t next = i;
             !in_phrase && end < q.size() && unicode::is_ngram(unicode::next(q, next)); end = next)
            ++chars;
        if (chars >= 2) {
            out += '"';
            out.append(q, i, end - i);
            out += '"';
            i = end;
        } else {
            out += q[i++];
        }
    }
    return out;
}

std::string id_term(std::string_view id) { return prefix_id + std::string(id); }

std::string text_term(std::string_view text) {
    return fmt::format("{}{:016x}", prefix_text, text_key(text));
}

std::string origin_term(std::string_view origin) {
    if (origin.size() <= 200) return prefix_origin + std::string(origin);
    Document probe;
    probe.text = std::string(origin);
    return prefix_origin + std::string("#") + content_id(probe);
}

std::string fingerprint_value(const Document& doc) {
    std::uint64_t f = fingerprint(doc);
    return std::string(reinterpret_cast<const char*>(&f), sizeof f);
}

std::string entity_prefix(EntityType type) {
    switch (type) {
        case EntityType::person:
            return prefix_person;
        case EntityType::org:
            return prefix_org;
        case EntityType::place:
            return prefix_place;
        case EntityType::event:
            return prefix_event;
    }
    return {};
}

std::string entity_term(const Entity& entity) { return entity_prefix(entity.type) + entity.id; }

std::string entities_value(const std::vector<const Entity*>& entities) {
    std::string value;
    for (const Entity* e : entities) value += (value.empty() ? "" : "\n") + entity_term(*e);
    return value;
}

std::string own_stem_word(std::string_view term) {
    if (term.size() < 2 || term[0] != 'Z') return {};
    const std::size_t at = term[1] == prefix_title[0] ? 2 : 1;
    const std::string_view word = term.substr(at);
    if (word.empty() ||
        !std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return {};
    thread_local const Xapian::Stem stem = stemmer();  // a Stem is not to be shared by threads
    if (stem(std::string(word)) != word) return {};
    return std::string(term.substr(1));
}

Xapian::Query stem_query(const std::string& term, bool merged) {
    if (merged)
        if (std::string word = own_stem_word(term); !word.empty())
            return Xapian::Query(Xapian::Query::OP_SYNONYM, Xapian::Query(term),
                                 Xapian::Query(word));
    return Xapian::Query(term);
}

namespace {

// Takes out of each stem term the occurrences of its own word (schema 3; schema.hpp).
void merge_stems(Xapian::Document& xd) {
    std::vector<std::pair<std::string, Xapian::termcount>> terms;  // in term order
    for (auto t = xd.termlist_begin(); t != xd.termlist_end(); ++t)
        terms.emplace_back(*t, t.get_wdf());
    std::vector<std::pair<std::string, Xapian::termcount>> stems;  // stem term, what it keeps
    Xapian::termcount taken = 0;
    for (const auto& [term, wdf] : terms) {
        if (term[0] != 'Z') continue;
        const std::string word = own_stem_word(term);
        if (word.empty()) continue;
        auto w =
            std::lower_bound(terms.begin(), terms.end(), word,
                             [](const auto& t, const std::string& key) { return t.first < key; });
        if (w == terms.end() || w->first != word) continue;
        // Every occurrence of the word went to its stem too, so the stem counts at least as
        // many; a stem counting fewer would be a term generator unlike ours: left alone.
        if (w->second <= wdf) stems.emplace_back(term, wdf - w->second), taken += w->second;
    }
    for (const auto& [term, keeps] : stems) {
        xd.remove_term(term);
        if (keeps) xd.add_term(term, keeps);
    }
    // The document's length (BM25's) stays what it was: a term counting what was taken out.
    if (taken) xd.add_term(length_term, taken);
}

}  // namespace

Xapian::Document make_document(const Document& doc, StoreLocation where, const std::string& origin,
                               const std::vector<const Entity*>& entities, int schema_version) {
    Xapian::TermGenerator tg;
    tg.set_stemmer(stemmer());
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    tg.set_flags(term_generator_flags);
    Xapian::Document xd;
    tg.set_document(xd);
    korean::Context context;
    if (doc.date.is_set()) context.date = doc.date;
    auto field = [&](const std::string& text, unsigned wdf, const std::string& prefix) {
        if (schema_version >= 2)
            index_field(tg, xd, text, wdf, prefix, context);
        else
            tg.index_text(text, wdf, prefix);
    };
    if (!doc.title.empty()) {
        std::string title = index_text(doc.title);
        field(title, 1, prefix_title);
        field(title, title_wdf, "");
        tg.increase_termpos();
    }
    field(index_text(doc.text), 1, "");
    if (schema_version >= 3) merge_stems(xd);

    xd.add_boolean_term(id_term(doc.id));
    if (!doc.source.empty()) xd.add_boolean_term(prefix_source + lower_ascii(doc.source));
    if (!doc.lang.empty()) xd.add_boolean_term(prefix_lang + lower_ascii(doc.lang));
    if (doc.date.is_set()) {
        std::string digits = doc.date.sortable();
        xd.add_value(slot_date, digits);
        xd.add_boolean_term(prefix_year + digits.substr(0, 4));
        if (doc.date.month()) xd.add_boolean_term(prefix_month + digits.substr(0, 6));
        if (doc.date.day()) xd.add_boolean_term(prefix_day + digits);
    }
    xd.add_value(slot_store, where.serialise());
    xd.add_value(slot_text_bytes, Xapian::sortable_serialise(static_cast<double>(doc.text.size())));
    xd.add_value(slot_fingerprint, fingerprint_value(doc));
    if (std::uint64_t key = near_duplicate_key(doc.text))
        xd.add_value(slot_near_duplicate,
                     std::string(reinterpret_cast<const char*>(&key), sizeof key));
    if (!origin.empty()) xd.add_boolean_term(origin_term(origin));
    xd.add_boolean_term(text_term(doc.text));
    for (const Entity* e : entities) xd.add_boolean_term(entity_term(*e));
    if (!entities.empty()) xd.add_value(slot_entities, entities_value(entities));
    xd.set_data(doc.id);
    return xd;
}

const std::vector<QueryField>& query_fields() { return fields; }

const QueryField* query_field(std::string_view name) {
    for (const QueryField& f : fields)
        if (name.size() == f.name.size() &&
            std::equal(name.begin(), name.end(), f.name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
            }))
            return &f;
    return nullptr;
}

std::string query_field_names() {
    std::string names;
    for (const QueryField& f : fields)
        names += (names.empty() ? "" : ", ") + std::string(f.name) + ":";
    return names;
}

Xapian::QueryParser make_query_parser(const Xapian::Database& db) {
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(stemmer());
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_default_op(Xapian::Query::OP_AND);
    qp.set_max_expansion(max_wildcard_words, Xapian::Query::WILDCARD_LIMIT_ERROR);
    for (const QueryField& f : fields)
        if (f.kind == FieldKind::text) qp.add_prefix(std::string(f.name), std::string(f.prefix));
    return qp;
}

unsigned query_parser_flags() {
    return Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_WILDCARD |
           Xapian::QueryParser::FLAG_CJK_NGRAM;
}

Xapian::Query date_filter(const DateRange& range) {
    if (range.is_open()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot_date, "0");
    if (range.low.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot_date, range.high);
    if (range.high.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot_date, range.low);
    if (range.high < range.low) return Xapian::Query::MatchNothing;
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot_date, range.low, range.high);
}

}  // namespace panmun::schema
