// Cleaning: what every reader's text goes through before it is stored. Encodings become UTF-8,
// markup and boilerplate go, whitespace is tidied, Unicode is normalised (NFC).
#pragma once

#include <cstdint>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace panmun {

// Bytes made UTF-8, and how. Valid UTF-8 is kept (a leading byte-order mark dropped). Bytes that
// are not UTF-8 but decode entirely as CP949 (the superset of EUC-KR that Korean Windows and
// older Korean sites use) are converted with iconv. Anything else keeps its valid parts and has
// each invalid byte replaced by U+FFFD, counted in `repaired`.
struct Utf8Text {
    std::string text;
    enum class From { utf8, cp949, repaired } from = From::utf8;
    std::size_t repaired = 0;      // invalid bytes replaced
    std::size_t first_repair = 0;  // offset in `text` of the first replacement, if any
};
Utf8Text to_utf8(std::string_view bytes);
bool is_valid_utf8(std::string_view bytes);

// "&amp;", "&lt;", "&#39;", "&#x2019;", "&nbsp;" and the other common named references decoded;
// references to control characters (Reuters-21578 has &#2; &#3; ...) dropped; unknown names kept.
std::string decode_entities(std::string_view text);

// Text with HTML comments removed, tags of HTML elements removed (block elements leave a line
// break) and entities decoded. Text that merely mentions "<" is left alone.
std::string strip_markup(std::string_view text);

// Unicode Normalization Form C (ICU). Hangul syllables, already composed, are unchanged.
std::string to_nfc(std::string_view utf8);

// Lines dropped as boilerplate unless the user gives their own list: related-link, image credit,
// share and subscribe lines that scrapers leave in article text. ECMAScript regular expressions,
// matched case-insensitively at the start of a line (after leading spaces).
const std::vector<std::string>& default_boilerplate_patterns();

struct CleanOptions {
    std::vector<std::string> boilerplate = default_boilerplate_patterns();
};

// Counts of what cleaning changed in one text, for the ingest report.
struct CleanCounts {
    std::size_t repaired = 0;  // invalid bytes replaced
    bool converted = false;    // decoded from CP949/EUC-KR
    std::size_t boilerplate_lines = 0;
};

class Cleaner {
public:
    // Throws UsageError naming a pattern that is not a valid regular expression.
    explicit Cleaner(const CleanOptions& options = {});

    // The cleaning steps, in order: to UTF-8; markup (HTML comments always; tags and entities when
    // `markup` says the text may hold HTML); boilerplate lines; kcna-style ", , , ," paragraph
    // joins; control characters, line endings and horizontal whitespace; blank-line runs; NFC.
    std::string text(std::string_view raw, bool markup, CleanCounts& counts) const;
    // The same for a one-line field (title): no boilerplate, line breaks become spaces.
    std::string line(std::string_view raw, bool markup, CleanCounts& counts) const;

private:
    std::regex boilerplate_;
    bool has_boilerplate_ = false;
};

// A title for a document that has none: its first line if that reads like a headline (short, no
// final full stop), else its first sentence, cut at a word boundary to at most 120 characters.
std::string title_from_text(std::string_view text);

}  // namespace panmun
