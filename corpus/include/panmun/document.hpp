// The document model: one news article as panmun stores and indexes it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "panmun/date.hpp"

namespace panmun {

struct Document {
    std::string id;  // stable, unique within an archive; what `show ID` takes
    std::string title;
    Date date;           // may be undated (Date::is_set() false)
    std::string source;  // outlet or agency, e.g. "KCNA"
    std::string url;
    std::string lang;    // ISO 639-1 code as given by the input, e.g. "en", "ko"; may be empty
    std::string text;    // full body text, UTF-8, exactly as stored
    std::string author;  // byline as given ("By Jane Doe" -> "Jane Doe"); may be empty
    // Where it was read: the input file (a tar member as "archive:member"), and the line of a
    // file of many records ("KCNA_2011.jsonl.zst:1234"), as given to panmun-index. Not part of
    // the fingerprint: adding the same file from another directory changes nothing.
    std::string path;

    bool operator==(const Document&) const = default;
};

// Stable id for a document that has none: "h" + 16 hex digits of XXH3-64 over title, date and
// text, so that reading the same article twice gives the same id.
std::string content_id(const Document& doc);

// XXH3-64 over the text with case and whitespace ignored: equal keys mean the same article
// text (an exact duplicate, whatever its id, title or date).
std::uint64_t text_key(std::string_view text);

// XXH3-64 over every field but the path: equal fingerprints mean an update would change nothing.
std::uint64_t fingerprint(const Document& doc);

// A key shared by near-duplicate texts (syndicated copies, re-runs with a new headline, small
// edits), for collapsing them to one hit. The text's words (lowercased, letters and digits) are
// cut into overlapping 5-word shingles; the key combines the minimum over the shingles of three
// independent hashes (three MinHashes). Two texts whose shingle sets have Jaccard similarity J
// share the key with probability J³: identical texts always, texts differing in a sentence of
// twenty (J ≈ 0.9) about 3 times in 4, unrelated articles practically never. Texts of fewer than
// five words hash whole. 0 for a text without words.
std::uint64_t near_duplicate_key(const std::string& text);

}  // namespace panmun
