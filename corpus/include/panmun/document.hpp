// The document model: one news article as panmun stores and indexes it.
#pragma once

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

}  // namespace panmun
