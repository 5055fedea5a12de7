// The Xapian index schema: which terms and values a document gets, and the query parser that
// reads the same terms back. Indexing and querying must agree, so both live here.
//
// Terms (Omega's prefix conventions where one exists):
//   free text      body and title words, stemmed (English, "Z" prefix) and unstemmed, with
//                  positions; Korean words (korean.hpp) as their letters and pairs of letters,
//                  one position a letter; other CJK scripts as Xapian's character n-grams
//   XK<letters>    Korean: the Hangul reading of Hanja and the South's spelling of the North's,
//                  where they differ from the letters written (XKS in the title)
//   S<word>        title words (the title: field)
//   Q<id>          the document id, unique (the id: field, and how show/replace find a document)
//   XS<source>     source, lowercased (the source: field)
//   L<lang>        language code, lowercased (the lang: field)
//   Y<yyyy> M<yyyymm> D<yyyymmdd>   date terms at the document's precision
//   XZ             schema 3: the occurrences its stem terms leave out (length_term)
//   XF<path>       the input file the document came from, for `sync` (relative to the synced tree)
//   XP<id> XO<id> XG<id> XE<id>   entities: person, organisation, place, event (the person:,
//                  org:, place:, event: fields), from the gazetteer (Gazetteer::tag)
// Values:
//   slot 0  date, 8 digits YYYYMMDD (00 for unknown month/day), absent when undated
//   slot 1  StoreLocation of the document in the store (12 bytes)
//   slot 2  text size in bytes (sortable_serialise), for the archive's byte counts
//   slot 3  fingerprint() of the document, 8 bytes: an update that changes nothing is skipped
//   slot 4  near_duplicate_key() of the text, 8 bytes: hits sharing it collapse to one
//           (archives written before it existed lack it; their hits never collapse)
//   slot 5  the document's entity terms, one a line, for the entity facets
// Document data: the document id (for messages that must name a document).
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "panmun/date.hpp"
#include "panmun/document.hpp"
#include "panmun/entities.hpp"
#include "panmun/korean.hpp"
#include "panmun/store.hpp"

namespace panmun::schema {

// 3: a stem's term leaves out the word that is its own stem (own_stem_word(), below); 2: Korean
// read by the Korean analysis (korean.hpp, XK terms); 1: Korean and other CJK text as Xapian's
// character n-grams. An archive keeps the version it was created with (metadata key
// panmun.schema, absent in version 1): documents added later are indexed, and queries read, as
// its version says, so an old archive stays consistent until it is rebuilt.
inline constexpr int version = 3;
inline constexpr const char* meta_version = "panmun.schema";
// The schema version of an archive's index.
int version_of(const Xapian::Database& db);

inline constexpr Xapian::valueno slot_date = 0;
inline constexpr Xapian::valueno slot_store = 1;
inline constexpr Xapian::valueno slot_text_bytes = 2;
inline constexpr Xapian::valueno slot_fingerprint = 3;
inline constexpr Xapian::valueno slot_near_duplicate = 4;
// The document's entity terms ("XPkim-jong-un\nXOkcna"), read by the entity facets: one value
// per document instead of its whole term list.
inline constexpr Xapian::valueno slot_entities = 5;

inline constexpr const char* prefix_id = "Q";
inline constexpr const char* prefix_title = "S";
inline constexpr const char* prefix_source = "XS";
inline constexpr const char* prefix_lang = "L";
inline constexpr const char* prefix_year = "Y";
inline constexpr const char* prefix_month = "M";
inline constexpr const char* prefix_day = "D";
inline constexpr const char* prefix_origin = "XF";
// The document's text key (text_key(), hex): documents with the same text share it.
inline constexpr const char* prefix_text = "XT";
inline constexpr const char* prefix_person = "XP";
inline constexpr const char* prefix_org = "XO";
inline constexpr const char* prefix_place = "XG";
inline constexpr const char* prefix_event = "XE";
// Schema 3: its within-document frequency is how many occurrences own_stem_word() took out of
// the document's stem terms (schema.cpp), so that the document's length, the sum of those
// frequencies that BM25 weighs a match by, is what schema 2 gave it.
inline constexpr const char* length_term = "XZ";
// Korean readings (korean_terms.cpp): "XK" + the field's prefix + letters.
inline constexpr const char* prefix_reading = "XK";
std::string reading_prefix(std::string_view prefix);
// The term prefix of an entity type ("XP" for people).
std::string entity_prefix(EntityType type);
// The boolean term for an entity: its type's prefix and its id ("XPkim-jong-un").
std::string entity_term(const Entity& entity);
// The slot_entities value of a document tagged with `entities`: their terms, one a line.
std::string entities_value(const std::vector<const Entity*>& entities);

// Title words count this many times a body word in BM25's within-document frequency: a word in
// the headline says more about the article than one in its body.
inline constexpr unsigned title_wdf = 3;

// Text as the term generator and query parser should see it. Possessive "'s" (also with a curly
// apostrophe) becomes a separate word, so that "Kim Jong Il's" contains the phrase "Kim Jong Il";
// Xapian alone would index "il's" as one word and miss it.
std::string index_text(std::string_view text);
// Text as Xapian's snippet generator should see it: split into words as index_text() splits it,
// but showing the same: a ZERO WIDTH SPACE (which Xapian takes for a word break) before each
// possessive apostrophe, so that a hit for "puppet group" in "puppet group's" shows it. The
// caller removes the zero width spaces from the snippet.
std::string snippet_text(std::string_view text);
inline constexpr std::string_view zero_width_space = "\xE2\x80\x8B";  // U+200B

// Indexes one field of a document: its words through the term generator (stemmed English,
// positions), its Korean words (korean::analyze, read in `context`) as Korean terms at positions
// that continue the generator's. `prefix` is the field's ("" for the text, "S" for the title).
void index_field(Xapian::TermGenerator& tg, Xapian::Document& doc, std::string_view text,
                 unsigned wdf, const std::string& prefix, const korean::Context& context);

// One position of a phrase query: any of these terms.
using Slot = std::vector<std::string>;
// Slots in order, all within `window` positions, for words that take `length` positions.
struct Phrase {
    std::vector<Slot> slots;
    unsigned window = 0, length = 0;
};
// The phrases that find a group of Korean words of a query joined by middle dots (one word, as a
// rule), in a field with `prefix`; any one of them is to match. Not `exact`: in either Korea's
// spelling and any reading (the reading's letters as written or as read, and the Hanja
// themselves); exact: the letters as written only ("로동" finds the North's spelling).
std::vector<Phrase> korean_phrases(const std::vector<korean::Word>& group, bool exact,
                                   std::string_view prefix);

// The Xapian document for `doc`, whose stored record is at `where`; `origin` (may be empty) is
// the input file it came from; `entities` are the entities found in it (Gazetteer::tag); its
// terms as an archive of `schema_version` has them.
Xapian::Document make_document(const Document& doc, StoreLocation where,
                               const std::string& origin = {},
                               const std::vector<const Entity*>& entities = {},
                               int schema_version = version);

// Schema 3's one change: an English word whose stem is the word itself ("market", of a-z only)
// gave each occurrence twice, to its word's term and to its stem's ("Zmarket"); in schema 3 the
// stem's term counts the other words of that stem only ("markets", "marketing"), and is left
// out of a document that has no other. More than half of an English document's stem terms go
// (137 of 237 a Reuters article): postings and term list entries that only repeated the word's.
// A query for the stem asks for the stem's term and the word's as one term (OP_SYNONYM, whose
// within-document frequency is their sum, as the stem's was): the same documents match.

// The word that a stem term of schema 3 leaves out ("Zmarket" -> "market", the title's
// "ZSmarket" -> "Smarket"); empty for every other term.
std::string own_stem_word(std::string_view term);
// The query for a stem term: with `merged` (schema 3) the stem and its own word as one term.
Xapian::Query stem_query(const std::string& term, bool merged);

// The term marking documents that came from input file `origin` (long paths are hashed, since
// Xapian terms are limited to 245 bytes).
std::string origin_term(std::string_view origin);

// The value stored in slot_fingerprint.
std::string fingerprint_value(const Document& doc);

// The unique id term of a document.
std::string id_term(std::string_view id);
std::string text_term(std::string_view text);  // prefix_text + text_key(text) in hex

// The fields of the query language, the one table that the parser, its error messages and
// --help read. `text` fields are words in a part of the article (ranked); the others are
// filters (boolean terms: they restrict, they do not rank).
enum class FieldKind {
    text,    // words of a part of the article, with positions: title:
    exact,   // a boolean term, as written: id:
    folded,  // a boolean term, lowercased (indexed so): source:, lang:
    date,    // a date or range, on slot_date: date:
    entity,  // an entity id or any of its names, resolved by the gazetteer: person: ...
};
struct QueryField {
    std::string_view name;  // as typed before the colon
    FieldKind kind;
    std::string_view prefix;  // of its terms
    // A document has at most one value of this field (one language, one date): several filters
    // of the field in one group are ORed (lang:en lang:es: either). The entity fields are not
    // exclusive (an article names many people): person:a person:b means both.
    bool exclusive;
    EntityType entity;      // for FieldKind::entity
    std::string_view help;  // one line for --help and docs
};
// Every field, in the order help lists them.
const std::vector<QueryField>& query_fields();
// The field called `name` (case-insensitive), or null.
const QueryField* query_field(std::string_view name);
// "title:, source:, lang:, id:, date:, person:, org:, place:, event:" for help texts.
std::string query_field_names();

// Schema 1's query text: each run of two or more n-gram characters (unicode::is_ngram) outside
// "phrases" put in quotes, so that Xapian's parser requires its n-grams in order (김정은, not 김정
// here and 정은 there).
std::string quote_ngram_runs(std::string_view text);

// Most words a wildcard of the query parser may expand to (query.hpp's max_wildcard_words).
inline constexpr unsigned max_wildcard_words = 10000;

// A query parser configured for this schema over `db`: stemming, the title: prefix, the flags
// the words and phrases of a query are read with (panmun's own parser, query.hpp, does the rest).
Xapian::QueryParser make_query_parser(const Xapian::Database& db);
// The flags make_query_parser()'s parser is to be called with.
unsigned query_parser_flags();

// A filter on slot_date: documents whose date lies in `range`. Undated documents never match.
Xapian::Query date_filter(const DateRange& range);

// The stemmer used for English text and queries.
Xapian::Stem stemmer();

}  // namespace panmun::schema
