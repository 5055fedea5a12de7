// Cleaning steps. Encodings: the Unicode layer (ICU) to validate UTF-8, iconv for CP949, ICU for
// NFC. Markup: a small scanner, since text fields from JSON or CSV hold fragments, not documents
// (whole HTML pages go through libxml2 in the HTML reader); entities by libxml2's table.
#include "panmun/clean.hpp"

#include <iconv.h>
#include <libxml/HTMLparser.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <unordered_set>

#include "panmun/errors.hpp"
#include "panmun/unicode.hpp"

namespace panmun {
namespace {

struct IconvClose {
    void operator()(void* cd) const { ::iconv_close(static_cast<iconv_t>(cd)); }
};
using Iconv = std::unique_ptr<void, IconvClose>;  // iconv_t is a pointer type

bool from_cp949(std::string_view bytes, std::string& out) {
    Iconv converter(::iconv_open("UTF-8", "CP949"));
    if (converter.get() == reinterpret_cast<void*>(-1)) {
        converter.release();
        return false;
    }
    iconv_t cd = static_cast<iconv_t>(converter.get());
    out.assign(bytes.size() * 3 / 2 + 16, '\0');
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size(), out_left = out.size();
    char* o = out.data();
    bool ok = true;
    while (in_left) {
        if (::iconv(cd, &in, &in_left, &o, &out_left) != static_cast<std::size_t>(-1)) continue;
        if (errno != E2BIG) {
            ok = false;
            break;
        }
        std::size_t used = static_cast<std::size_t>(o - out.data());
        out.resize(out.size() * 2);
        o = out.data() + used;
        out_left = out.size() - used;
    }
    out.resize(static_cast<std::size_t>(o - out.data()));
    return ok;
}

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// HTML elements whose tags are stripped from text fields; the block ones leave a line break.
const std::unordered_set<std::string>& html_elements() {
    static const std::unordered_set<std::string> names = {
        "a",        "abbr",    "b",      "big",    "blockquote", "br",     "center",     "cite",
        "code",     "dd",      "div",    "dl",     "dt",         "em",     "figcaption", "figure",
        "font",     "h1",      "h2",     "h3",     "h4",         "h5",     "h6",         "hr",
        "i",        "img",     "li",     "ol",     "p",          "pre",    "q",          "s",
        "section",  "small",   "span",   "strong", "sub",        "sup",    "table",      "tbody",
        "td",       "th",      "thead",  "tr",     "tt",         "u",      "ul",         "article",
        "header",   "footer",  "nav",    "aside",  "main",       "iframe", "script",     "style",
        "noscript", "picture", "source", "video",  "audio",      "time",   "mark",       "ins",
        "del",      "wbr"};
    return names;
}
bool is_block(const std::string& name) {
    static const std::unordered_set<std::string> blocks = {
        "blockquote", "br",     "dd",  "div",     "dl",    "dt", "figcaption", "figure",
        "h1",         "h2",     "h3",  "h4",      "h5",    "h6", "hr",         "li",
        "ol",         "p",      "pre", "section", "table", "tr", "ul",         "article",
        "header",     "footer", "nav", "aside",   "main"};
    return blocks.count(name) > 0;
}

bool is_hspace(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

// Control characters out, CR and CRLF to LF, runs of horizontal space to one space, spaces at
// line ends out, more than one blank line in a row to one, the whole trimmed.
std::string tidy_whitespace(std::string_view s, bool one_line) {
    std::string out;
    out.reserve(s.size());
    std::size_t newlines = 0;  // line breaks pending
    bool space = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\r') {
            if (i + 1 < s.size() && s[i + 1] == '\n') continue;
            c = '\n';
        }
        if (c == '\n') {
            ++newlines;
            space = false;
            continue;
        }
        if (is_hspace(c)) {
            space = true;
            continue;
        }
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) continue;
        // U+00A0 no-break space counts as a space (scrapes are full of it).
        if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {
            ++i;
            space = true;
            continue;
        }
        if (!out.empty()) {
            if (newlines)
                out.append(one_line ? std::size_t{1} : std::min<std::size_t>(newlines, 2),
                           one_line ? ' ' : '\n');
            else if (space)
                out += ' ';
        }
        newlines = 0;
        space = false;
        out += c;
    }
    return out;
}

// kcna-marquez joined paragraphs with ", ": a paragraph's end shows as "., " and an empty
// paragraph leaves ", , ," runs. Both become paragraph breaks (at the end of the text: nothing).
std::string drop_comma_runs(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        // "word., Next": a paragraph break joined as ", " (an abbreviation like "U.S., " is not:
        // the full stop must end a word of two or more lowercase letters).
        if (s[i] == '.' && i >= 2 && s.substr(i + 1, 2) == ", " && i + 3 < s.size() &&
            std::isupper(static_cast<unsigned char>(s[i + 3])) &&
            std::islower(static_cast<unsigned char>(s[i - 1])) &&
            std::islower(static_cast<unsigned char>(s[i - 2]))) {
            out += ".\n";
            i += 3;
            continue;
        }
        if (s[i] == ',') {
            std::size_t j = i, commas = 0;
            while (j < s.size() && (s[j] == ',' || is_hspace(s[j]))) commas += s[j++] == ',';
            if (commas >= 2) {
                if (j < s.size()) out += '\n';
                // A run after a full stop closes a paragraph; after anything else it joined
                // sentences, so keep one comma's worth of pause as a line break too.
                i = j;
                continue;
            }
        }
        out += s[i++];
    }
    return out;
}

// HTML comments only: plain text keeps its angle brackets, but a scrape's "<!-- ... -->" goes.
std::string strip_markup_comments_only(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        std::size_t open = s.find("<!--", i);
        if (open == std::string_view::npos) {
            out.append(s.substr(i));
            break;
        }
        out.append(s.substr(i, open - i));
        std::size_t end = s.find("-->", open + 4);
        i = end == std::string_view::npos ? s.size() : end + 3;
    }
    return out;
}

// What a scraper leaves of an HTML comment whose "<" it lost: a line "!-- Google tag -->".
bool comment_fragment(std::string_view line) {
    std::size_t a = line.find_first_not_of(" \t");
    if (a == std::string_view::npos) return false;
    line.remove_prefix(a);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
        line.remove_suffix(1);
    return line.size() >= 6 && line.substr(0, 3) == "!--" && line.substr(line.size() - 3) == "-->";
}

}  // namespace

bool is_valid_utf8(std::string_view s) { return unicode::is_valid(s); }

Utf8Text to_utf8(std::string_view bytes) {
    Utf8Text r;
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    if (is_valid_utf8(bytes)) {
        r.text.assign(bytes);
        return r;
    }
    if (from_cp949(bytes, r.text)) {
        r.from = Utf8Text::From::cp949;
        return r;
    }
    r.from = Utf8Text::From::repaired;
    r.text.clear();
    r.text.reserve(bytes.size() + 16);
    for (std::size_t i = 0; i < bytes.size();) {
        std::size_t n = unicode::sequence_length(bytes, i);
        if (n == 0) {
            if (r.repaired == 0) r.first_repair = r.text.size();
            r.text += "\xEF\xBF\xBD";
            ++r.repaired;
            ++i;
        } else {
            r.text.append(bytes.substr(i, n));
            i += n;
        }
    }
    return r;
}

std::string decode_entities(std::string_view s) {
    if (s.find('&') == std::string_view::npos) return std::string(s);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') {
            out += s[i];
            continue;
        }
        std::size_t semi = s.find(';', i + 1);
        if (semi == std::string_view::npos || semi - i > 12) {
            out += '&';
            continue;
        }
        std::string_view ref = s.substr(i + 1, semi - i - 1);
        char32_t code = 0;
        bool known = false;
        if (ref.size() >= 2 && ref[0] == '#') {
            bool hex = ref[1] == 'x' || ref[1] == 'X';
            std::string_view digits = ref.substr(hex ? 2 : 1);
            known = !digits.empty();
            for (char c : digits) {
                int v = c >= '0' && c <= '9'          ? c - '0'
                        : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                      : -1;
                if (v < 0 || code > 0x10FFFF) {
                    known = false;
                    break;
                }
                code = code * (hex ? 16 : 10) + static_cast<char32_t>(v);
            }
            if (known && (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))) code = 0xFFFD;
        } else if (ref == "apos") {  // XML's, not HTML 4's
            code = '\'';
            known = true;
        } else if (const htmlEntityDesc* e = htmlEntityLookup(
                       reinterpret_cast<const xmlChar*>(std::string(ref).c_str()))) {
            code = e->value == 0xA0 ? ' ' : e->value;  // a no-break space is a space in stored text
            known = true;
        }
        if (!known) {
            out += '&';
            continue;
        }
        if (code >= 0x20 && code != 0x7F)
            unicode::append(out, code);
        else if (code == '\n' || code == '\t')
            out += static_cast<char>(code);
        // other control characters: dropped
        i = semi;
    }
    return out;
}

std::string strip_markup(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    const auto& elements = html_elements();
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '<') {
            out += s[i];
            continue;
        }
        if (s.substr(i, 4) == "<!--") {
            std::size_t end = s.find("-->", i + 4);
            i = end == std::string_view::npos ? s.size() : end + 2;
            continue;
        }
        std::size_t j = i + 1;
        if (j < s.size() && s[j] == '/') ++j;
        std::size_t name_start = j;
        while (j < s.size() &&
               (is_ascii_alpha(s[j]) || (j > name_start && s[j] >= '0' && s[j] <= '9')))
            ++j;
        std::string name(s.substr(name_start, j - name_start));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        std::size_t close = s.find('>', j);
        bool tag = !name.empty() && elements.count(name) && close != std::string_view::npos &&
                   (j == close || s[j] == ' ' || s[j] == '/' || s[j] == '\t' || s[j] == '\n');
        if (!tag) {
            out += '<';
            continue;
        }
        if ((name == "script" || name == "style") && s[name_start - 1] != '/') {
            std::string end_tag = "</" + name;
            std::size_t end = std::string_view::npos;
            for (std::size_t k = close; k < s.size(); ++k) {  // case-insensitive find
                if (s[k] == '<' && k + end_tag.size() <= s.size()) {
                    std::string cand(s.substr(k, end_tag.size()));
                    std::transform(cand.begin(), cand.end(), cand.begin(),
                                   [](unsigned char c) { return std::tolower(c); });
                    if (cand == end_tag) {
                        end = s.find('>', k);
                        break;
                    }
                }
            }
            i = end == std::string_view::npos ? s.size() : end;
            continue;
        }
        out += is_block(name) ? '\n' : ' ';
        i = close;
    }
    return decode_entities(out);
}

std::string to_nfc(std::string_view utf8) {
    bool ascii = std::all_of(utf8.begin(), utf8.end(),
                             [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) return std::string(utf8);
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) return std::string(utf8);
    icu::StringPiece piece(utf8.data(), static_cast<int32_t>(utf8.size()));
    if (nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return std::string(utf8);
    status = U_ZERO_ERROR;
    std::string out;
    icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(utf8.size()));
    nfc->normalizeUTF8(0, piece, sink, nullptr, status);
    return U_SUCCESS(status) ? out : std::string(utf8);
}

const std::vector<std::string>& default_boilerplate_patterns() {
    static const std::vector<std::string> patterns = {
        R"(also read\s*:)",
        R"(read more\s*:)",
        R"(read also\s*:)",
        R"(related( articles?| stories| news)?\s*:)",
        R"(image (source|credit)s?\s*:)",
        R"(photo (source|credit)s?\s*:)",
        R"((click|tap) here\b)",
        R"(share (this|on)\b)",
        R"(subscribe (to|now)\b)",
        R"(follow us\b)",
        R"(sign up for\b)",
        R"(advertisement\s*$)",
        R"(copyright ©)",
        R"(all rights reserved\.?\s*$)",
    };
    return patterns;
}

Cleaner::Cleaner(const CleanOptions& options) {
    if (options.boilerplate.empty()) return;
    std::string all;
    for (const auto& p : options.boilerplate) {
        try {
            std::regex check(p, std::regex::ECMAScript | std::regex::icase);
        } catch (const std::regex_error& e) {
            throw UsageError("boilerplate pattern '" + p +
                             "' is not a valid regular expression: " + e.what());
        }
        all += (all.empty() ? "(?:" : "|(?:") + p + ")";
    }
    boilerplate_ = std::regex("[ \\t]*(?:" + all + ")",
                              std::regex::ECMAScript | std::regex::icase | std::regex::optimize);
    has_boilerplate_ = true;
}

std::string Cleaner::text(std::string_view raw, bool markup, CleanCounts& counts) const {
    Utf8Text u = to_utf8(raw);
    counts.repaired += u.repaired;
    counts.converted = counts.converted || u.from == Utf8Text::From::cp949;
    std::string s = markup || u.text.find("<!--") != std::string::npos
                        ? (markup ? strip_markup(u.text) : strip_markup_comments_only(u.text))
                        : std::move(u.text);
    {
        std::string kept;
        kept.reserve(s.size());
        std::size_t start = 0;
        while (start <= s.size()) {
            std::size_t end = s.find('\n', start);
            if (end == std::string::npos) end = s.size();
            std::string_view line(s.data() + start, end - start);
            bool drop =
                line.size() <= 300 &&
                (comment_fragment(line) ||
                 (has_boilerplate_ && std::regex_search(line.begin(), line.end(), boilerplate_,
                                                        std::regex_constants::match_continuous)));
            if (drop)
                ++counts.boilerplate_lines;
            else
                kept.append(line).append("\n");
            start = end + 1;
        }
        s = std::move(kept);
    }
    if (s.find(", ,") != std::string::npos || s.find(",,") != std::string::npos ||
        s.find("., ") != std::string::npos)
        s = drop_comma_runs(s);
    return to_nfc(tidy_whitespace(s, false));
}

std::string Cleaner::line(std::string_view raw, bool markup, CleanCounts& counts) const {
    Utf8Text u = to_utf8(raw);
    counts.repaired += u.repaired;
    counts.converted = counts.converted || u.from == Utf8Text::From::cp949;
    std::string s = markup ? strip_markup(u.text) : std::move(u.text);
    return to_nfc(tidy_whitespace(s, true));
}

std::string title_from_text(std::string_view text) {
    constexpr std::size_t max_chars = 120;
    std::size_t nl = text.find('\n');
    std::string_view first = text.substr(0, nl);
    auto chars = [](std::string_view s) { return unicode::length(s); };
    auto cut = [&](std::string_view s) {
        if (chars(s) <= max_chars) return std::string(s);
        std::size_t bytes = 0;
        for (std::size_t n = 0; bytes < s.size() && n < max_chars; ++n) unicode::next(s, bytes);
        std::size_t space = s.substr(0, bytes).rfind(' ');
        if (space != std::string_view::npos && space > bytes / 2) bytes = space;
        return std::string(s.substr(0, bytes)) + "…";
    };
    if (!first.empty() && chars(first) <= max_chars && first.back() != '.')
        return std::string(first);
    // First sentence: up to a full stop followed by a space (or the end of the line).
    for (std::size_t i = 0; i + 1 < first.size(); ++i)
        if ((first[i] == '.' || first[i] == '?' || first[i] == '!') && first[i + 1] == ' ' &&
            i > 20)
            return cut(first.substr(0, i + 1));
    return cut(first);
}

}  // namespace panmun
