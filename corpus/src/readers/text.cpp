// Plain text and SGML record streams. Text: one article a file, optionally opened by header
// lines ("-- title / -- byline / -- date / -- url", or "Title: / Date: / URL:" lines); or
// record sets: a SMART test collection's "*TEXT 017 01/04/63 PAGE 020" records, annotated
// sentences ("## id<TAB>sentence"). SGML: a lenient scanner, since
// Reuters-21578 is not well-formed XML (no root, control-character references).
#include <regex>

#include "internal.hpp"
#include "panmun/date_clues.hpp"
#include "panmun/unicode.hpp"

namespace panmun::readers {
namespace {

std::vector<std::string_view> split_lines(std::string_view s) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t nl = s.find('\n', start);
        if (nl == std::string_view::npos) nl = s.size();
        std::string_view l = s.substr(start, nl - start);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        lines.push_back(l);
        start = nl + 1;
    }
    return lines;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string join(const std::vector<std::string_view>& lines, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to && i < lines.size(); ++i) out.append(lines[i]).append("\n");
    return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

// Only white space (U+3000 IDEOGRAPHIC SPACE included, as the New Year addresses have it).
bool blank_line(std::string_view line) {
    for (std::size_t i = 0; i < line.size();)
        if (!unicode::is_space(unicode::next(line, i))) return false;
    return true;
}

// Header lines of the "-- " kind (reuters-financial): title, byline, date, url, in any order
// after the title. Returns the number of header lines, 0 if the file does not open so.
std::size_t dash_header(const std::vector<std::string_view>& lines, Document& doc,
                        std::vector<std::string>& warnings) {
    if (lines.empty() || lines[0].substr(0, 3) != "-- ") return 0;
    std::size_t n = 0;
    while (n < lines.size() && n < 6 && lines[n].substr(0, 2) == "--") ++n;
    if (n < 2) return 0;
    doc.title = std::string(trim(lines[0].substr(2)));
    for (std::size_t i = 1; i < n; ++i) {
        std::string_view v = trim(lines[i].substr(2));
        if (v.empty()) continue;
        if (starts_with_ci(v, "by ")) {
            doc.author = std::string(trim(v.substr(3)));
            continue;
        }
        if (starts_with_ci(v, "http://") || starts_with_ci(v, "https://")) {
            doc.url = std::string(v);
        } else if (auto d = Date::parse(v)) {
            doc.date = *d;
        } else if (doc.date.is_set() || i != 2) {
            continue;
        } else {
            warnings.push_back(unreadable_date_warning(v));
        }
    }
    return n;
}

// "Title: ..." header lines, as mail-like exports write them, up to the first blank line.
std::size_t key_header(const std::vector<std::string_view>& lines, Document& doc,
                       std::vector<std::string>& warnings) {
    static const std::vector<std::string_view> keys = {
        "title:", "headline:", "date:", "url:",    "link:", "source:",
        "lang:",  "language:", "id:",   "author:", "by:"};
    auto key_of = [&](std::string_view l) -> std::string_view {
        for (auto k : keys)
            if (starts_with_ci(l, k)) return k;
        return {};
    };
    if (lines.empty() || key_of(lines[0]).empty()) return 0;
    std::size_t n = 0;
    for (; n < lines.size() && !trim(lines[n]).empty(); ++n) {
        std::string_view k = key_of(lines[n]);
        if (k.empty()) return 0;  // not a header block after all
        std::string v(trim(lines[n].substr(k.size())));
        if (k == "title:" || k == "headline:")
            doc.title = v;
        else if (k == "url:" || k == "link:")
            doc.url = v;
        else if (k == "source:")
            doc.source = v;
        else if (k == "lang:" || k == "language:")
            doc.lang = v;
        else if (k == "id:")
            doc.id = v;
        else if (k == "author:" || k == "by:")
            doc.author = v;
        else if (auto d = Date::parse(v))
            doc.date = *d;
        else
            warnings.push_back(unreadable_date_warning(v));
    }
    return n;
}

// SMART collections (TIME, CACM...): "*TEXT 017 01/04/63 PAGE 020" opens each record.
bool smart_records(WholeFile& file, const std::vector<std::string_view>& lines, EventList& out) {
    static const std::regex header(R"(\*TEXT\s+(\S+)\s+(.*?)\s+PAGE\s+(\S+)\s*)");
    std::size_t first = 0;
    while (first < lines.size() && trim(lines[first]).empty()) ++first;
    std::match_results<std::string_view::const_iterator> m;
    if (first == lines.size() ||
        !std::regex_match(lines[first].begin(), lines[first].end(), m, header))
        return false;
    std::size_t i = first;
    while (i < lines.size()) {
        std::regex_match(lines[i].begin(), lines[i].end(), m, header);
        std::size_t end = i + 1;
        while (end < lines.size() &&
               !(lines[end].substr(0, 6) == "*TEXT " &&
                 std::regex_match(lines[end].begin(), lines[end].end(), header)))
            ++end;
        Document doc;
        doc.id = "text-" + m[1].str();
        doc.text = join(lines, i + 1, end);
        std::vector<std::string> warnings;
        // MM/DD/YY, the collections' own form (all from the 20th century).
        static const std::regex us(R"((\d{1,2})/(\d{1,2})/(\d{2}))");
        std::string when = m[2].str();
        std::smatch d;
        if (std::regex_match(when, d, us)) {
            if (auto day = Date::from_fields(1900 + std::stoi(d[3].str()), std::stoi(d[1].str()),
                                             std::stoi(d[2].str())))
                doc.date = *day;
        }
        if (!doc.date.is_set()) warnings.push_back(unreadable_date_warning(when));
        ReadEvent ev = file_event(file, std::move(doc), i + 1);
        ev.warnings = std::move(warnings);
        out.push(std::move(ev));
        i = end;
    }
    return true;
}

// Annotated sentence sets (KLUE-NER and other CoNLL-style files): "## <id>\t<sentence>" comment
// lines, with inline tags "<경찰:OG>", each followed by one row per token. Each sentence is a
// record; the tags are dropped (the text is "경찰"), the token rows skipped.
bool annotated_sentences(WholeFile& file, const std::vector<std::string_view>& lines,
                         EventList& out) {
    static const std::regex sentence(R"(## (\S+)\t(.*))");
    static const std::regex tag(R"(<([^<>:]+):[A-Z]{2,3}>)");
    std::size_t found = 0;
    for (std::size_t i = 0; i < lines.size() && i < 20 && !found; ++i)
        if (std::regex_match(lines[i].begin(), lines[i].end(), sentence)) found = 1;
    if (!found) return false;
    std::match_results<std::string_view::const_iterator> m;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].substr(0, 3) != "## " ||
            !std::regex_match(lines[i].begin(), lines[i].end(), m, sentence))
            continue;
        Document doc;
        doc.id = m[1].str();
        doc.text = std::regex_replace(m[2].str(), tag, "$1");
        out.push(file_event(file, std::move(doc), i + 1));
    }
    return true;
}

class TextRecords : public EventList {
public:
    explicit TextRecords(WholeFile file) : EventList(file.content.text.size()) {
        auto lines = split_lines(file.content.text);
        if (smart_records(file, lines, *this)) return;
        if (annotated_sentences(file, lines, *this)) return;
        Document doc;
        std::vector<std::string> warnings;
        std::size_t body = dash_header(lines, doc, warnings);
        if (body == 0) body = key_header(lines, doc, warnings);
        // The first lines with words in them (the New Year addresses put theirs up to seven
        // lines down, after blank ones).
        for (std::size_t i = body, seen = 0;
             !doc.date.is_set() && warnings.empty() && i < lines.size() && seen < 8; ++i) {
            if (blank_line(lines[i])) continue;
            ++seen;
            if (auto d = date_in_line(lines[i])) doc.date = *d;
        }
        doc.text = join(lines, body, lines.size());
        ReadEvent ev = file_event(file, std::move(doc));
        if (ev.kind == ReadEvent::Kind::skipped && body)
            ev.reason = "no text after the header lines (an empty article)";
        ev.warnings = std::move(warnings);
        push(std::move(ev));
    }
};

// The text between <tag ...> and </tag>, or nullopt. `attrs` receives the opening tag's attributes.
std::optional<std::string_view> element(std::string_view s, std::string_view tag,
                                        std::string_view* attrs = nullptr) {
    std::string open = "<" + std::string(tag);
    for (std::size_t at = s.find(open); at != std::string_view::npos; at = s.find(open, at + 1)) {
        std::size_t after = at + open.size();
        if (after >= s.size() || (s[after] != '>' && s[after] != ' ')) continue;
        std::size_t gt = s.find('>', after);
        if (gt == std::string_view::npos) return std::nullopt;
        if (attrs) *attrs = s.substr(after, gt - after);
        std::string close = "</" + std::string(tag) + ">";
        std::size_t end = s.find(close, gt + 1);
        if (end == std::string_view::npos) return s.substr(gt + 1);
        return s.substr(gt + 1, end - gt - 1);
    }
    return std::nullopt;
}

std::string attribute(std::string_view attrs, std::string_view name) {
    std::string key = std::string(name) + "=\"";
    std::size_t at = attrs.find(key);
    if (at == std::string_view::npos) return {};
    std::size_t end = attrs.find('"', at + key.size());
    return std::string(attrs.substr(at + key.size(), end - at - key.size()));
}

// SGML content as text: tags out (each leaves a line break), references decoded.
std::string sgml_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '<' && i + 1 < s.size() &&
            (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/')) {
            std::size_t gt = s.find('>', i);
            if (gt != std::string_view::npos) {
                out += '\n';
                i = gt;
                continue;
            }
        }
        out += s[i];
    }
    return decode_entities(out);
}

class SgmlRecords : public EventList {
public:
    explicit SgmlRecords(WholeFile file) : EventList(file.content.text.size()) {
        std::string_view s = file.content.text;
        std::uint64_t line = 1;
        std::size_t counted = 0;
        auto line_of = [&](std::size_t at) {
            line += static_cast<std::uint64_t>(
                std::count(s.begin() + static_cast<std::ptrdiff_t>(counted),
                           s.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
            counted = at;
            return line;
        };
        std::size_t found = 0;
        for (std::size_t at = next_record(s, 0); at != std::string_view::npos;) {
            std::string tag = record_tag(s, at);
            std::uint64_t here = line_of(at);
            std::string close = "</" + tag + ">";
            std::size_t end = s.find(close, at);
            std::size_t following = next_record(s, at + 1);
            ++found;
            if (end == std::string_view::npos ||
                (following != std::string_view::npos && following < end)) {
                ReadEvent ev;
                ev.kind = ReadEvent::Kind::skipped;
                ev.where = {file.name, here};
                ev.reason =
                    "no " + close + " closes this record before " +
                    (following == std::string_view::npos ? std::string("the end of the file")
                                                         : "the next record");
                push(std::move(ev));
                at = following;
                continue;
            }
            push(record(file, tag, s.substr(at, end - at), here));
            at = next_record(s, end);
        }
        if (found == 0) {
            ReadEvent ev;
            ev.kind = ReadEvent::Kind::skipped;
            ev.where = {file.name, 0};
            ev.reason = "no <REUTERS> or <DOC> records in this SGML file";
            push(std::move(ev));
        }
    }

private:
    static std::size_t next_record(std::string_view s, std::size_t from) {
        std::size_t r = s.find("<REUTERS", from), d = s.find("<DOC>", from);
        return std::min(r, d);
    }
    static std::string record_tag(std::string_view s, std::size_t at) {
        return s.substr(at, 8) == "<REUTERS" ? "REUTERS" : "DOC";
    }
    static ReadEvent record(WholeFile& file, const std::string& tag, std::string_view rec,
                            std::uint64_t line) {
        std::string_view attrs;
        element(rec, tag, &attrs);
        Document doc;
        std::vector<std::string> warnings;
        if (auto no = element(rec, "DOCNO"))
            doc.id = std::string(trim(*no));
        else if (std::string id = attribute(attrs, "NEWID"); !id.empty())
            doc.id = "reuters-" + id;
        for (const char* t : {"TITLE", "HEADLINE", "HL"})
            if (auto v = element(rec, t)) {
                doc.title = sgml_text(*v);
                break;
            }
        for (const char* t : {"DATE", "DATE_TIME"})
            if (auto v = element(rec, t)) {
                std::string when(trim(sgml_text(*v)));
                while (!when.empty() && (when.back() == '\n' || when.back() == ' '))
                    when.pop_back();
                while (!when.empty() && (when.front() == '\n' || when.front() == ' '))
                    when.erase(0, 1);
                if (auto d = Date::parse(when))
                    doc.date = *d;
                else
                    warnings.push_back(unreadable_date_warning(when));
                break;
            }
        if (auto author = element(rec, "AUTHOR"))
            doc.author = std::string(trim(sgml_text(*author)));
        if (auto body = element(rec, "BODY"))
            doc.text = sgml_text(*body);
        else if (auto text = element(rec, "TEXT"))
            doc.text = sgml_text(*text);
        ReadEvent ev = file_event(file, std::move(doc), line);
        ev.warnings = std::move(warnings);
        return ev;
    }
};

}  // namespace

std::unique_ptr<RecordReader> text_reader(WholeFile file) {
    return std::make_unique<TextRecords>(std::move(file));
}
std::unique_ptr<RecordReader> sgml_reader(WholeFile file) {
    return std::make_unique<SgmlRecords>(std::move(file));
}

}  // namespace panmun::readers
