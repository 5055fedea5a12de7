// The Xapian index schema: which terms and values a document gets, and the query parser that
// reads the same terms back. Indexing and querying must agree, so both live here.
//
// Terms (Omega's prefix conventions where one exists):
//   free text      body and title words, stemmed (English, "Z" prefix) and unstemmed, with positions;
//                  CJK/Hangul as character n-grams
//   S<word>        title words (the title: field)
//   Q<id>          the document id, unique (the id: field, and how show/replace find a document)
//   XS<source>     source, lowercased (the source: field)
//   L<lang>        language code, lowercased (the lang: field)
//   Y<yyyy> M<yyyymm> D<yyyymmdd>   date terms at the document's precision
//   XF<path>       the input file the document came from, for `sync` (relative to the synced tree)
//   XP<id> XO<id> XG<id>   entities: person, organisation, place (the person:, org:, place: fields;
//                  written by entity tagging, which is not built yet: until then they match nothing)
// Values:
//   slot 0  date, 8 digits YYYYMMDD (00 for unknown month/day), absent when undated
//   slot 1  StoreLocation of the document in the store (12 bytes)
//   slot 2  text size in bytes (sortable_serialise), for the archive's byte counts
//   slot 3  fingerprint() of the document, 8 bytes: an update that changes nothing is skipped
//   slot 4  near_duplicate_key() of the text, 8 bytes: hits sharing it collapse to one
//           (archives written before it existed lack it; their hits never collapse)
// Document data: the document id (for messages that must name a document).
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

#include "panmun/date.hpp"
#include "panmun/document.hpp"
#include "panmun/entities.hpp"
#include "panmun/store.hpp"

namespace panmun::schema {

inline constexpr int version = 1;

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

// The Xapian document for `doc`, whose stored record is at `where`; `origin` (may be empty) is
// the input file it came from; `entities` are the entities found in it (Gazetteer::tag).
Xapian::Document make_document(const Document& doc, StoreLocation where,
                               const std::string& origin = {},
                               const std::vector<const Entity*>& entities = {});

// The term marking documents that came from input file `origin` (long paths are hashed, since
// Xapian terms are limited to 245 bytes).
std::string origin_term(std::string_view origin);

// The value stored in slot_fingerprint.
std::string fingerprint_value(const Document& doc);

// The unique id term of a document.
std::string id_term(std::string_view id);
std::string text_term(std::string_view text);  // prefix_text + text_key(text) in hex

// A query parser configured for this schema over `db` (stemming, prefixes, flags).
Xapian::QueryParser make_query_parser(const Xapian::Database& db);

// Parses a user's query. Throws QuerySyntaxError (a UsageError) with the column and what was
// expected when the query breaks the grammar (see query_syntax.hpp).
Xapian::Query parse_query(Xapian::QueryParser& parser, const std::string& query);

// A filter on slot_date: documents whose date lies in `range`. Undated documents never match.
Xapian::Query date_filter(const DateRange& range);

// The stemmer used for English text and queries.
Xapian::Stem stemmer();

// Hangul syllables and CJK ideographs: the scripts indexed as character n-grams.
bool is_ngram_char(char32_t c);
// The code point of the 3-byte UTF-8 sequence at s[i], or 0 if there is none.
char32_t three_byte_char(std::string_view s, std::size_t i);
// True if `text` holds a character of those scripts.
bool has_ngram_text(std::string_view text);

}  // namespace panmun::schema
