// Reading documents from JSON Lines: one JSON object a line, keys named by a FieldMap.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "panmun/document.hpp"
#include "panmun/input.hpp"

namespace panmun {

// Our field names, in Document order.
enum class Field { id, title, date, source, url, lang, text, author };
inline constexpr std::array<std::string_view, 8> field_names = {"id",  "title", "date", "source",
                                                                "url", "lang",  "text", "author"};

// Which input key fills each of our fields. By default each field reads the key of its own
// name; "--map title=headline,text=story" changes some of them.
class FieldMap {
public:
    FieldMap();
    // Parses "ours=theirs,ours=theirs". Throws UsageError naming the bad part.
    static FieldMap parse(std::string_view spec);
    const std::string& key(Field f) const { return keys_[static_cast<std::size_t>(f)]; }
    // Whether --map named the key of `f` (rather than its default, the field's own name).
    bool mapped(Field f) const { return mapped_[static_cast<std::size_t>(f)]; }

private:
    std::array<std::string, field_names.size()> keys_;
    std::array<bool, field_names.size()> mapped_{};
};

// The keys (JSON) or columns (CSV) that an input's records have, for the warnings about a
// --map that names none of them (KeySet::note is cheap for a key already seen).
class KeySet {
public:
    void note(std::string_view key) {
        if (keys_.find(key) == keys_.end()) keys_.emplace(key);
    }
    const std::set<std::string, std::less<>>& keys() const { return keys_; }

private:
    std::set<std::string, std::less<>> keys_;
};

// Where a record came from: "file:line".
struct Location {
    std::string file;
    std::uint64_t line = 0;
    // "file:line", or just "file" for a whole-file record (line 0).
    std::string str() const { return line ? file + ":" + std::to_string(line) : file; }
};

// One step of reading: a document (perhaps with warnings about fields that were dropped),
// a skipped record with the reason, or the end of the input.
struct ReadEvent {
    enum class Kind { document, skipped, end };
    Kind kind = Kind::end;
    Location where;
    Document document;                  // kind == document
    std::string reason;                 // kind == skipped
    std::vector<std::string> warnings;  // kind == document: e.g. an unreadable date
    std::size_t repaired = 0;           // invalid UTF-8 bytes the reader replaced
    std::uint64_t repair_line = 0;      // the line of the first one, when not where.line
    bool converted = false;             // the reader decoded CP949/EUC-KR
    bool generated_id = false;          // the record had no id: document.id is its content_id
};

// A record's fields looked up by a reader (in Field order; absent fields empty) made into an
// event: skipped if it has no text; the date parsed (an unreadable one dropped with a warning);
// a content id given if it has none.
ReadEvent record_event(Location where, std::array<std::string, field_names.size()> values,
                       const FieldMap& map);

// Reads one JSON Lines input. Bad records are skipped with a reason, never fatal; a document
// without an id gets a stable one derived from its content (content_id), so reading the same
// article twice gives the same id.
class JsonlReader {
public:
    // Throws InputError if the file cannot be opened.
    JsonlReader(const std::string& path, FieldMap map);
    // Reads `source`, which must outlive the reader.
    JsonlReader(ByteSource& source, FieldMap map);
    // Throws InputError only if the input cannot be read any further (I/O or zstd error).
    ReadEvent next();
    std::uint64_t bytes_read() const { return lines_.bytes_read(); }
    std::uint64_t raw_bytes_read() const { return lines_.raw_bytes_read(); }
    const KeySet& keys() const { return keys_; }

private:
    LineReader lines_;
    FieldMap map_;
    std::string line_;
    KeySet keys_;
};

}  // namespace panmun
