// Where input bytes come from: a file or standard input, decompressed on the fly whatever its
// name says (zstd, gzip, bzip2, xz, lz4: recognised by their magic numbers), and, if it is a tar
// archive, each of its member files in turn. libarchive does the decoding.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace panmun {

// A stream of decompressed bytes: one input file or one member of a tar archive.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to n bytes; returns 0 at the end. Throws InputError (naming the input) on a read,
    // decompression or archive error.
    virtual std::size_t read(char* buffer, std::size_t n) = 0;
    // Bytes read from the underlying file so far (compressed, if it is): for progress.
    virtual std::uint64_t raw_bytes_read() const = 0;
    // What reports call the stream: "path", "<stdin>" or "archive.tar.zst:member/path".
    virtual const std::string& name() const = 0;
};

// Opens one input and walks its entries: a plain or compressed file has one entry (itself), a
// tar archive (compressed or not) one per member file; directories and links inside are passed
// over. Life cycle: construct -> next_entry() -> read() the entry ... -> next_entry() false.
class InputFile : public ByteSource {
public:
    // path "-" is standard input. Throws InputError naming the file if it cannot be opened or
    // its compression is damaged from the start.
    explicit InputFile(const std::string& path);
    ~InputFile() override;
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    // Moves to the next entry; false at the end. The rest of the current entry is skipped.
    bool next_entry();
    bool is_archive() const;                // a tar archive (entries are its members)
    const std::string& entry_path() const;  // the member path, or the input path itself
    std::uint64_t entry_size() const;       // the member's size if the archive says, else 0

    std::size_t read(char* buffer, std::size_t n) override;
    std::uint64_t raw_bytes_read() const override;
    const std::string& name() const override;  // of the current entry

    // Reads the rest of the current entry into a string. Throws InputError if it is longer than
    // max_bytes (the reader of whole-file formats refuses such files rather than exhaust memory).
    std::string read_all(std::size_t max_bytes);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Splits a byte source into lines, holding no more than one line plus one buffer in memory.
class LineReader {
public:
    // Lines longer than this are skipped (reported by next() via too_long()), never buffered whole.
    // 64 MiB: ten times the longest article we have seen in any corpus, small enough to be safe.
    static constexpr std::size_t max_line_bytes = 64u << 20;

    // Reads lines of `source`, which must outlive the reader.
    explicit LineReader(ByteSource& source);
    // Opens path ("-" for standard input; compressed files are decompressed) and reads its
    // first entry. Throws InputError naming the file if it cannot be read.
    explicit LineReader(const std::string& path);
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    // Reads the next line into `line` (without its "\n" or "\r\n"). Returns false at the end.
    // If the line was longer than max_line_bytes, `line` is empty and too_long() is true.
    // Throws InputError (with the line number) on a read or decompression error.
    bool next(std::string& line);

    bool too_long() const { return too_long_; }
    std::uint64_t line_number() const { return line_no_; }  // of the line last returned, from 1
    std::uint64_t bytes_read() const { return consumed_; }  // decompressed bytes consumed so far
    std::uint64_t raw_bytes_read() const { return source_->raw_bytes_read(); }
    const std::string& name() const { return source_->name(); }

private:
    std::unique_ptr<InputFile> owned_;
    ByteSource* source_;
    std::string buffer_;
    std::size_t pos_ = 0;
    bool eof_ = false;
    bool too_long_ = false;
    std::uint64_t line_no_ = 0, consumed_ = 0;
};

}  // namespace panmun
