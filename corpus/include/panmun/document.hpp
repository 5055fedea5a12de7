// The document model: one news article as panmun stores and indexes it.
#pragma once

#include <cstdint>
#include <string>

#include "panmun/date.hpp"

namespace panmun {

struct Document {
    std::string id;      // stable, unique within an archive; what `show ID` takes
    std::string title;
    Date date;           // may be undated (Date::is_set() false)
    std::string source;  // outlet or agency, e.g. "KCNA"
    std::string url;
    std::string lang;    // ISO 639-1 code as given by the input, e.g. "en", "ko"; may be empty
    std::string text;    // full body text, UTF-8, exactly as stored

    bool operator==(const Document&) const = default;
};

// Stable id for a document that has none: "h" + 16 hex digits of XXH3-64 over title, date and
// text, so that reading the same article twice gives the same id.
std::string content_id(const Document& doc);

// XXH3-64 over every field: equal fingerprints mean an update would change nothing.
std::uint64_t fingerprint(const Document& doc);

}  // namespace panmun
