// Readers: one per input format, each turning the bytes of one file (or archive member) into
// documents, one ReadEvent at a time. Which reader reads a file is chosen by --format, or by its
// name and first bytes (detect_format). Readers extract fields; cleaning happens after them
// (clean.hpp), in the ingestor, the same for every format.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "panmun/input.hpp"
#include "panmun/jsonl.hpp"

namespace panmun {

enum class Format {
    automatic,  // by name and content
    jsonl,      // one JSON object a line (.jsonl, .ndjson)
    json,       // a JSON array of objects, or objects one after another (.json)
    csv,        // RFC 4180 with a header row (.csv; .tsv and .tab are tab-separated)
    html,       // a web page: title, <meta> date and url, the article's text
    text,       // plain text: one article a file, with optional header lines
    sgml,       // SGML record streams: Reuters-21578 <REUTERS>, TREC <DOC>
    nitf,       // News Industry Text Format (XML), one article a file
};
// "auto", "jsonl", ... Throws UsageError listing the formats for an unknown name.
Format parse_format(std::string_view name);
std::string_view format_name(Format format);

// The format of a file from its path (extensions; .zst/.gz/.bz2/.xz are looked through) and its
// first bytes. nullopt-like Format::automatic is never returned: undecided files are text.
// `binary` is set when the first bytes hold NUL bytes (not a text file at all).
Format detect_format(std::string_view path, std::string_view head, bool& binary);

// The file name's extension (looking through compression suffixes) is one of an input format:
// .jsonl .ndjson .json .csv .tsv .tab .html .htm .xhtml .shtml .sgm .sgml .nitf .xml .txt .text.
bool has_input_extension(std::string_view path);

struct ReaderOptions {
    FieldMap map;  // key names, for the formats whose records have keys
    Format format = Format::automatic;
    char delimiter = 0;  // CSV: 0 chooses by name (.tsv: tab) and header line
};

// Reads one file's records. Whole-file formats (json, html, text, sgml, nitf) read at most
// max_whole_file_bytes; streaming formats (jsonl, csv) any size, a record at a time.
class RecordReader {
public:
    static constexpr std::size_t max_whole_file_bytes = std::size_t{1} << 30;  // 1 GiB
    virtual ~RecordReader() = default;
    // The next document, skipped record or the end. Throws InputError only when the input
    // cannot be read any further (I/O or decompression error, or too large).
    virtual ReadEvent next() = 0;
    virtual std::uint64_t bytes_read() const = 0;
    // Whether text fields may hold HTML markup to strip (JSON and CSV exports of web pages).
    virtual bool markup() const { return false; }
    // The keys or columns the records read so far have, for formats whose records are keyed
    // by --map (JSON, JSON Lines, CSV); null for the others.
    virtual const KeySet* keys() const { return nullptr; }
};

// Opens the reader for `source`, whose name and first bytes choose the format when
// options.format is automatic. The source must outlive the reader. Throws InputError for a
// binary file or a file that is not in the format asked for.
std::unique_ptr<RecordReader> open_reader(ByteSource& source, std::string_view path,
                                          const ReaderOptions& options);

}  // namespace panmun
