// Choosing a reader (by --format, name and first bytes), and the readers of keyed records:
// JSON Lines, JSON and CSV, which share the field map.
#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "../json_fields.hpp"
#include "internal.hpp"
#include "panmun/errors.hpp"

namespace panmun {
namespace {

constexpr std::array<std::pair<Format, std::string_view>, 8> format_names = {{
    {Format::automatic, "auto"},
    {Format::jsonl, "jsonl"},
    {Format::json, "json"},
    {Format::csv, "csv"},
    {Format::html, "html"},
    {Format::text, "text"},
    {Format::sgml, "sgml"},
    {Format::nitf, "nitf"},
}};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The file name's extension, looking through compression suffixes: "a/b.jsonl.zst" -> "jsonl".
std::string extension(std::string_view path) {
    std::string name = lower(path.substr(path.find_last_of('/') + 1));
    for (std::string_view z : {".zst", ".gz", ".bz2", ".xz", ".lz4"})
        if (ends_with(name, z)) {
            name.resize(name.size() - z.size());
            break;
        }
    auto dot = name.rfind('.');
    return dot == std::string::npos || dot == 0 ? std::string() : name.substr(dot + 1);
}

// Serves the bytes it peeked first, then the rest of the source.
class PeekSource : public ByteSource {
public:
    PeekSource(ByteSource& source, std::size_t n) : source_(source) {
        head_.resize(n);
        std::size_t got = 0;
        while (got < n) {
            std::size_t k = source_.read(head_.data() + got, n - got);
            if (k == 0) break;
            got += k;
        }
        head_.resize(got);
    }
    std::string_view head() const { return head_; }
    std::size_t read(char* buffer, std::size_t n) override {
        if (pos_ < head_.size()) {
            std::size_t k = std::min(n, head_.size() - pos_);
            std::memcpy(buffer, head_.data() + pos_, k);
            pos_ += k;
            return k;
        }
        return source_.read(buffer, n);
    }
    std::uint64_t raw_bytes_read() const override { return source_.raw_bytes_read(); }
    const std::string& name() const override { return source_.name(); }

private:
    ByteSource& source_;
    std::string head_;
    std::size_t pos_ = 0;
};

// A reader together with the peeking source it reads from.
class Owning : public RecordReader {
public:
    Owning(std::unique_ptr<PeekSource> source, std::unique_ptr<RecordReader> reader)
        : source_(std::move(source)), reader_(std::move(reader)) {}
    ReadEvent next() override { return reader_->next(); }
    std::uint64_t bytes_read() const override { return reader_->bytes_read(); }
    bool markup() const override { return reader_->markup(); }
    const KeySet* keys() const override { return reader_->keys(); }

private:
    std::unique_ptr<PeekSource> source_;
    std::unique_ptr<RecordReader> reader_;
};

class JsonlRecords : public RecordReader {
public:
    JsonlRecords(ByteSource& source, const FieldMap& map) : reader_(source, map) {}
    ReadEvent next() override { return reader_.next(); }
    std::uint64_t bytes_read() const override { return reader_.bytes_read(); }
    bool markup() const override { return true; }
    const KeySet* keys() const override { return &reader_.keys(); }

private:
    JsonlReader reader_;
};

// JSON: a top-level array's elements are records; top-level objects one after another are
// records too. Each value is found by a scan that knows strings and nesting, then parsed on its
// own, so one bad record (or a file cut short) loses only that record.
class JsonRecords : public readers::EventList {
public:
    JsonRecords(readers::WholeFile file, const FieldMap& map)
        : EventList(file.content.text.size()) {
        set_markup(true);
        const std::string& s = file.content.text;
        std::size_t i = 0;
        auto ws = [&] {
            while (i < s.size() && std::strchr(" \t\r\n", s[i]) && s[i]) ++i;
        };
        auto skip = [&](std::size_t at, std::string reason) {
            ReadEvent ev;
            ev.kind = ReadEvent::Kind::skipped;
            ev.where = {file.name, readers::line_at(s, at)};
            ev.reason = std::move(reason);
            push(std::move(ev));
        };
        // One value from s[i]: returns its end, or npos if the file ends inside it.
        auto value_end = [&](std::size_t from) {
            int depth = 0;
            bool in_string = false;
            for (std::size_t k = from; k < s.size(); ++k) {
                char c = s[k];
                if (in_string) {
                    if (c == '\\')
                        ++k;
                    else if (c == '"')
                        in_string = false;
                    if (depth == 0 && !in_string) return k + 1;
                    continue;
                }
                if (c == '"')
                    in_string = true;
                else if (c == '{' || c == '[')
                    ++depth;
                else if (c == '}' || c == ']') {
                    if (--depth <= 0) return k + 1;
                } else if (depth == 0 && (c == ',' || std::strchr(" \t\r\n", c)))
                    return k;
            }
            return std::string::npos;
        };
        auto record = [&](std::size_t start, std::size_t end) {
            nlohmann::json obj;
            try {
                obj = nlohmann::json::parse(s.begin() + start, s.begin() + end);
            } catch (const nlohmann::json::parse_error& e) {
                return skip(start, "invalid JSON in this record (at line " +
                                       std::to_string(
                                           readers::line_at(s, start + (e.byte ? e.byte - 1 : 0))) +
                                       ")");
            } catch (const nlohmann::json::out_of_range&) {
                return skip(start, "a number in the record is too large to read");
            }
            if (!obj.is_object()) return skip(start, "not a JSON object");
            for (const auto& item : obj.items()) keys_.note(item.key());
            std::string why;
            auto values = json_fields(obj, map, why);
            if (!why.empty()) return skip(start, why);
            ReadEvent ev =
                record_event({file.name, readers::line_at(s, start)}, std::move(values), map);
            ev.repaired = std::exchange(file.content.repaired, 0);
            if (ev.repaired) ev.repair_line = readers::line_at(s, file.content.first_repair);
            ev.converted =
                std::exchange(file.content.from, Utf8Text::From::utf8) == Utf8Text::From::cp949;
            push(std::move(ev));
        };
        for (ws(); i < s.size(); ws()) {
            if (s[i] == '[') {  // an array of records
                ++i;
                for (ws(); i < s.size() && s[i] != ']'; ws()) {
                    std::size_t end = value_end(i);
                    if (end == std::string::npos) {
                        skip(i, "the file ends inside this record (truncated JSON)");
                        return;
                    }
                    record(i, end);
                    i = end;
                    ws();
                    if (i < s.size() && s[i] == ',')
                        ++i;
                    else if (i < s.size() && s[i] != ']') {
                        skip(i, "expected ',' or ']' between records");
                        return;
                    }
                }
                if (i >= s.size()) {
                    skip(s.size(), "the file ends before the array is closed (truncated JSON)");
                    return;
                }
                ++i;
                continue;
            }
            std::size_t end = value_end(i);
            if (end == std::string::npos) {
                skip(i, "the file ends inside this record (truncated JSON)");
                return;
            }
            record(i, std::max(end, i + 1));
            i = std::max(end, i + 1);
        }
    }
    const KeySet* keys() const override { return &keys_; }

private:
    KeySet keys_;
};

// CSV (RFC 4180): a header row names the columns; quoted fields may hold delimiters, quotes
// ("") and line breaks. A row with the wrong number of fields is skipped with its line.
class CsvRecords : public RecordReader {
public:
    CsvRecords(ByteSource& source, std::string_view path, const FieldMap& map, char delimiter)
        : lines_(source), map_(map), delimiter_(delimiter) {
        std::string text, why;
        std::uint64_t line = 0;
        if (!row_text(text, line, why)) {
            if (!why.empty()) pending_ = skipped(line, why);
            done_ = true;
            return;
        }
        if (text.substr(0, 3) == "\xEF\xBB\xBF") text.erase(0, 3);
        if (delimiter_ == 0) {  // by name, else tab if the header has tabs and no commas
            std::string ext = extension(path);
            bool tabs = text.find('\t') != std::string::npos && text.find(',') == std::string::npos;
            delimiter_ = ext == "tsv" || ext == "tab" || tabs ? '\t' : ',';
        }
        split(text, header_);
        for (const std::string& column : header_) keys_.note(column);
        for (std::size_t f = 0; f < field_names.size(); ++f) {
            columns_[f] = -1;
            for (std::size_t c = 0; c < header_.size(); ++c)
                if (header_[c] == map_.key(static_cast<Field>(f)))
                    columns_[f] = static_cast<int>(c);
        }
        if (columns_[static_cast<std::size_t>(Field::text)] < 0) {
            pending_ = skipped(line, "the header row has no column '" + map_.key(Field::text) +
                                         "' for the text (use --map text=COLUMN)");
            done_ = true;
        }
    }
    const KeySet* keys() const override { return &keys_; }
    ReadEvent next() override {
        if (pending_.kind != ReadEvent::Kind::end) return std::exchange(pending_, ReadEvent{});
        if (done_) return {};
        std::string text, why;
        std::uint64_t line = 0;
        do {
            if (!row_text(text, line, why)) {
                done_ = true;
                return why.empty() ? ReadEvent{} : skipped(line, why);
            }
        } while (text.empty());  // blank lines are not rows
        std::vector<std::string> fields;
        split(text, fields);
        if (fields.size() != header_.size())
            return skipped(line, std::to_string(fields.size()) + " fields where the header has " +
                                     std::to_string(header_.size()));
        std::array<std::string, field_names.size()> values;
        for (std::size_t f = 0; f < field_names.size(); ++f)
            if (columns_[f] >= 0)
                values[f] = std::move(fields[static_cast<std::size_t>(columns_[f])]);
        std::size_t repaired = 0;
        bool converted = false;
        for (auto& v : values) {
            if (is_valid_utf8(v)) continue;
            Utf8Text u = to_utf8(v);
            repaired += u.repaired;
            converted = converted || u.from == Utf8Text::From::cp949;
            v = std::move(u.text);
        }
        ReadEvent ev = record_event({lines_.name(), line}, std::move(values), map_);
        ev.repaired = repaired;
        ev.converted = converted;
        return ev;
    }
    std::uint64_t bytes_read() const override { return lines_.bytes_read(); }
    bool markup() const override { return true; }

private:
    ReadEvent skipped(std::uint64_t line, std::string why) const {
        ReadEvent ev;
        ev.kind = ReadEvent::Kind::skipped;
        ev.where = {lines_.name(), line};
        ev.reason = std::move(why);
        return ev;
    }
    // One row's text (quoted line breaks included); false at the end or on an error (`why`).
    bool row_text(std::string& text, std::uint64_t& line, std::string& why) {
        text.clear();
        std::string l;
        bool in_quotes = false, any = false;
        while (lines_.next(l)) {
            if (!any) line = lines_.line_number();
            if (lines_.too_long()) {
                why =
                    "line longer than " + std::to_string(LineReader::max_line_bytes >> 20) + " MiB";
                return false;
            }
            if (any) text += '\n';
            any = true;
            text += l;
            for (char c : l)
                if (c == '"') in_quotes = !in_quotes;
            if (!in_quotes) return true;
            if (text.size() > LineReader::max_line_bytes) {
                why = "a quoted field opened here is never closed (row longer than 64 MiB)";
                return false;
            }
        }
        if (in_quotes)
            why = "a quoted field opened in this row is never closed before the end of the file";
        return false;
    }
    void split(const std::string& text, std::vector<std::string>& fields) const {
        fields.assign(1, std::string());
        bool quoted = false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            char c = text[i];
            if (quoted) {
                if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                    fields.back() += '"';
                    ++i;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    fields.back() += c;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter_) {
                fields.emplace_back();
            } else {
                fields.back() += c;
            }
        }
    }

    LineReader lines_;
    FieldMap map_;
    char delimiter_;
    std::vector<std::string> header_;
    KeySet keys_;
    std::array<int, field_names.size()> columns_{};
    ReadEvent pending_;
    bool done_ = false;
};

}  // namespace

namespace readers {

std::uint64_t line_at(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<std::uint64_t>(std::count(
                   text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

ReadEvent file_event(WholeFile& file, Document doc, std::uint64_t line) {
    ReadEvent ev;
    ev.where = {file.name, line};
    ev.repaired = std::exchange(file.content.repaired, 0);
    if (ev.repaired) ev.repair_line = line_at(file.content.text, file.content.first_repair);
    ev.converted = std::exchange(file.content.from, Utf8Text::From::utf8) == Utf8Text::From::cp949;
    if (doc.text.find_first_not_of(" \t\r\n") == std::string::npos) {
        ev.kind = ReadEvent::Kind::skipped;
        ev.reason = "no text";
        return ev;
    }
    if (doc.id.empty()) {
        doc.id = content_id(doc);
        ev.generated_id = true;
    }
    ev.document = std::move(doc);
    ev.kind = ReadEvent::Kind::document;
    return ev;
}

std::unique_ptr<RecordReader> json_reader(WholeFile file, const FieldMap& map) {
    return std::make_unique<JsonRecords>(std::move(file), map);
}
std::unique_ptr<RecordReader> csv_reader(ByteSource& source, std::string_view path,
                                         const FieldMap& map, char delimiter) {
    return std::make_unique<CsvRecords>(source, path, map, delimiter);
}

}  // namespace readers

Format parse_format(std::string_view name) {
    for (const auto& [f, n] : format_names)
        if (n == name) return f;
    std::string all;
    for (const auto& [f, n] : format_names) all += (all.empty() ? "" : ", ") + std::string(n);
    throw UsageError("unknown format '" + std::string(name) + "' (formats: " + all + ")");
}

std::string_view format_name(Format format) {
    for (const auto& [f, n] : format_names)
        if (f == format) return n;
    return "?";
}

bool has_input_extension(std::string_view path) {
    static const std::set<std::string, std::less<>> known = {
        "jsonl", "ndjson", "json", "csv",  "tsv",  "tab", "html", "htm",
        "xhtml", "shtml",  "sgm",  "sgml", "nitf", "xml", "txt",  "text"};
    return known.count(extension(path)) > 0;
}

Format detect_format(std::string_view path, std::string_view head, bool& binary) {
    binary = head.find('\0') != std::string_view::npos;
    std::string ext = extension(path);
    if (ext == "jsonl" || ext == "ndjson") return Format::jsonl;
    if (ext == "json") return Format::json;
    // A .tsv of "## " comment lines is an annotated sentence set (KLUE, CoNLL), not a table.
    if ((ext == "tsv" || ext == "tab") && head.substr(0, 3) == "## ") return Format::text;
    if (ext == "csv" || ext == "tsv" || ext == "tab") return Format::csv;
    if (ext == "html" || ext == "htm" || ext == "xhtml" || ext == "shtml") return Format::html;
    if (ext == "sgm" || ext == "sgml") return Format::sgml;
    if (ext == "nitf") return Format::nitf;
    if (ext == "txt" || ext == "text" || ext == "md") return Format::text;
    // Otherwise by content: the first non-blank bytes.
    std::size_t i = head.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    while (i < head.size() && std::strchr(" \t\r\n", head[i]) && head[i]) ++i;
    std::string_view start = head.substr(i);
    if (start.empty()) return Format::text;
    if (start[0] == '{') return Format::jsonl;
    if (start[0] == '[') return Format::json;
    if (start[0] == '<') {
        std::string h = lower(start.substr(0, 4096));
        if (h.find("<nitf") != std::string::npos) return Format::nitf;
        if (h.find("<!doctype lewis") != std::string::npos ||
            h.find("<reuters") != std::string::npos || h.find("<doc>") != std::string::npos)
            return Format::sgml;
        if (h.find("<html") != std::string::npos || h.find("<!doctype html") != std::string::npos ||
            h.find("<head") != std::string::npos || h.find("<body") != std::string::npos)
            return Format::html;
        if (h.find("<!--") == 0) {  // a comment first (scrapes): look further
            if (h.find("<html") != std::string::npos || h.find("<body") != std::string::npos)
                return Format::html;
        }
    }
    return Format::text;
}

std::unique_ptr<RecordReader> open_reader(ByteSource& source, std::string_view path,
                                          const ReaderOptions& options) {
    auto peek = std::make_unique<PeekSource>(source, 8192);
    bool binary = false;
    Format format = detect_format(path, peek->head(), binary);
    if (binary)
        throw InputError(source.name(), 0, "a binary file (it holds NUL bytes), not text; skipped");
    if (options.format != Format::automatic) format = options.format;
    auto whole = [&] {
        std::string bytes;
        char buf[1 << 16];
        for (std::size_t n; (n = peek->read(buf, sizeof buf)) > 0;) {
            if (bytes.size() + n > RecordReader::max_whole_file_bytes)
                throw InputError(source.name(), 0,
                                 "larger than 1 GiB, too large for the " +
                                     std::string(format_name(format)) + " format");
            bytes.append(buf, n);
        }
        return readers::WholeFile{source.name(), std::string(path), to_utf8(bytes)};
    };
    std::unique_ptr<RecordReader> reader;
    switch (format) {
        case Format::automatic:
        case Format::jsonl:
            reader = std::make_unique<JsonlRecords>(*peek, options.map);
            break;
        case Format::csv:
            reader = readers::csv_reader(*peek, path, options.map, options.delimiter);
            break;
        case Format::json:
            reader = readers::json_reader(whole(), options.map);
            break;
        case Format::text:
            reader = readers::text_reader(whole());
            break;
        case Format::sgml:
            reader = readers::sgml_reader(whole());
            break;
        case Format::html:
            reader = readers::html_reader(whole());
            break;
        case Format::nitf:
            reader = readers::nitf_reader(whole());
            break;
    }
    return std::make_unique<Owning>(std::move(peek), std::move(reader));
}

}  // namespace panmun
