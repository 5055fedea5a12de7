// Index schema: terms, values and the matching query parser.
#include "panmun/schema.hpp"

#include <algorithm>
#include <cctype>

#include "panmun/errors.hpp"
#include "panmun/query_syntax.hpp"

namespace panmun::schema {
namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_word_byte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

// Boolean fields are indexed lowercased; this makes "source:KCNA" find them too.
class LowercaseField : public Xapian::FieldProcessor {
public:
    explicit LowercaseField(std::string prefix) : prefix_(std::move(prefix)) {}
    Xapian::Query operator()(const std::string& value) override {
        return Xapian::Query(prefix_ + lower_ascii(value));
    }

private:
    std::string prefix_;
};

// person:, org:, place:, event: take an entity id ("kim-jong-un") or any of its names
// ("Kim Jong-un", "김정은"), resolved through the built-in gazetteer.
class EntityField : public Xapian::FieldProcessor {
public:
    explicit EntityField(EntityType type) : prefix_(entity_prefix(type)), type_(type) {}
    Xapian::Query operator()(const std::string& value) override {
        const Gazetteer& g = Gazetteer::builtin();
        std::string id = lower_ascii(value);
        if (const Entity* e = g.find(id); e && e->type == type_) return Xapian::Query(prefix_ + id);
        std::vector<Xapian::Query> named;
        for (const Entity* e : g.tag(value))
            if (e->type == type_) named.emplace_back(prefix_ + e->id);
        if (named.empty()) return Xapian::Query(prefix_ + id);  // matches nothing, as it should
        return Xapian::Query(Xapian::Query::OP_OR, named.begin(), named.end());
    }

private:
    std::string prefix_;
    EntityType type_;
};

// date:2018, date:2018-04..2018-06, date:..2019-12-31 (checked by check_query_syntax first).
class DateField : public Xapian::FieldProcessor {
public:
    Xapian::Query operator()(const std::string& value) override {
        // check_query_syntax() has reported a bad value already; throwing here instead would
        // make Xapian 1.4 leak its parser state, so an unreadable value matches nothing.
        auto range = DateRange::parse(value);
        return range ? date_filter(*range) : Xapian::Query::MatchNothing;
    }
};

// Xapian ANDs the n-grams of an unquoted Hangul word, so 김정은 would also find a text that has
// 김정 in one place and 정은 in another (과정은). Quoting each run of two or more such
// characters outside phrases makes them a phrase of n-grams: the characters in this order.
std::string quote_ngram_runs(std::string_view q) {
    std::string out;
    bool in_phrase = false;
    for (std::size_t i = 0; i < q.size();) {
        if (q[i] == '"') in_phrase = !in_phrase;
        std::size_t end = i, chars = 0;
        if (!in_phrase)
            while (is_ngram_char(three_byte_char(q, end))) end += 3, ++chars;
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

constexpr unsigned term_generator_flags = Xapian::TermGenerator::FLAG_CJK_NGRAM;
constexpr unsigned query_parser_flags =
    Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_CJK_NGRAM | Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE;

}  // namespace

Xapian::Stem stemmer() { return Xapian::Stem("english"); }

bool is_ngram_char(char32_t c) {
    return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF);
}

// The code point of the 3-byte UTF-8 sequence at s[i], or 0 if there is none.
char32_t three_byte_char(std::string_view s, std::size_t i) {
    if (i + 2 >= s.size()) return 0;
    unsigned char a = s[i], b = s[i + 1], c = s[i + 2];
    if ((a & 0xF0) != 0xE0 || (b & 0xC0) != 0x80 || (c & 0xC0) != 0x80) return 0;
    return ((a & 0x0F) << 12) | ((b & 0x3F) << 6) | (c & 0x3F);
}

bool has_ngram_text(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i)
        if (is_ngram_char(three_byte_char(text, i))) return true;
    return false;
}

std::string index_text(std::string_view text) {
    // Replace the apostrophe of a word-final "'s" by a space; everything else is kept as is.
    static constexpr std::string_view curly = "\xE2\x80\x99";  // U+2019
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t apos_len = text[i] == '\'' ? 1 : text.substr(i, 3) == curly ? 3 : 0;
        if (apos_len && i > 0 && is_word_byte(static_cast<unsigned char>(text[i - 1])) &&
            i + apos_len < text.size() && (text[i + apos_len] | 0x20) == 's' &&
            (i + apos_len + 1 == text.size() ||
             !is_word_byte(static_cast<unsigned char>(text[i + apos_len + 1])))) {
            out += ' ';
            i += apos_len;
            continue;
        }
        out += text[i++];
    }
    return out;
}

std::string id_term(std::string_view id) { return prefix_id + std::string(id); }

std::string text_term(std::string_view text) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(text_key(text)));
    return prefix_text + std::string(hex);
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
        case EntityType::person: return prefix_person;
        case EntityType::org: return prefix_org;
        case EntityType::place: return prefix_place;
        case EntityType::event: return prefix_event;
    }
    return {};
}

std::string entity_term(const Entity& entity) { return entity_prefix(entity.type) + entity.id; }

std::string entities_value(const std::vector<const Entity*>& entities) {
    std::string value;
    for (const Entity* e : entities) value += (value.empty() ? "" : "\n") + entity_term(*e);
    return value;
}

Xapian::Document make_document(const Document& doc, StoreLocation where, const std::string& origin,
                               const std::vector<const Entity*>& entities) {
    Xapian::TermGenerator tg;
    tg.set_stemmer(stemmer());
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    tg.set_flags(term_generator_flags);
    Xapian::Document xd;
    tg.set_document(xd);
    if (!doc.title.empty()) {
        std::string title = index_text(doc.title);
        tg.index_text(title, 1, prefix_title);
        tg.index_text(title, title_wdf);
        tg.increase_termpos();
    }
    tg.index_text(index_text(doc.text));

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
        xd.add_value(slot_near_duplicate, std::string(reinterpret_cast<const char*>(&key), sizeof key));
    if (!origin.empty()) xd.add_boolean_term(origin_term(origin));
    xd.add_boolean_term(text_term(doc.text));
    for (const Entity* e : entities) xd.add_boolean_term(entity_term(*e));
    if (!entities.empty()) xd.add_value(slot_entities, entities_value(entities));
    xd.set_data(doc.id);
    return xd;
}

Xapian::QueryParser make_query_parser(const Xapian::Database& db) {
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(stemmer());
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_default_op(Xapian::Query::OP_AND);
    qp.add_prefix("title", prefix_title);
    qp.add_boolean_prefix("id", prefix_id);
    qp.add_boolean_prefix("source", (new LowercaseField(prefix_source))->release());
    qp.add_boolean_prefix("lang", (new LowercaseField(prefix_lang))->release());
    qp.add_boolean_prefix("date", (new DateField)->release());
    for (EntityType type : entity_types)
        qp.add_boolean_prefix(std::string(entity_type_name(type)), (new EntityField(type))->release());
    return qp;
}

Xapian::Query parse_query(Xapian::QueryParser& parser, const std::string& query) {
    check_query_syntax(query);
    try {
        return parser.parse_query(quote_ngram_runs(index_text(query)), query_parser_flags);
    } catch (const Xapian::QueryParserError& e) {
        throw UsageError("query '" + query + "': " + e.get_msg());
    }
}

Xapian::Query date_filter(const DateRange& range) {
    if (range.is_open()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot_date, "0");
    if (range.low.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot_date, range.high);
    if (range.high.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot_date, range.low);
    if (range.high < range.low) return Xapian::Query::MatchNothing;
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot_date, range.low, range.high);
}

}  // namespace panmun::schema
