// Reading input files line by line: plain files, standard input ("-"), and zstd-compressed
// streams (recognised by their magic number, whatever the file is called), decompressed on the fly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace panmun {

class LineReader {
public:
    // Lines longer than this are skipped (reported by next() via too_long()), never buffered whole.
    // 64 MiB: ten times the longest article we have seen in any corpus, small enough to be safe.
    static constexpr std::size_t max_line_bytes = 64u << 20;

    // Opens path ("-" for standard input). Throws InputError naming the file if it cannot be read.
    explicit LineReader(const std::string& path);
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    // Reads the next line into `line` (without its "\n" or "\r\n"). Returns false at the end.
    // If the line was longer than max_line_bytes, `line` is empty and too_long() is true.
    // Throws InputError (with the line number) on a read or decompression error.
    bool next(std::string& line);

    bool too_long() const;
    std::uint64_t line_number() const;  // of the line last returned, counting from 1
    std::uint64_t bytes_read() const;   // decompressed bytes consumed so far
    std::uint64_t raw_bytes_read() const;  // bytes read from the file (compressed, if it is)
    const std::string& name() const;    // the path as given, or "<stdin>"

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace panmun
