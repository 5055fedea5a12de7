#include "panmun/input.hpp"

#include <gtest/gtest.h>
#include <zstd.h>

#include "helpers.hpp"
#include "panmun/errors.hpp"

using namespace panmun;
using panmun::test::TempDir;

namespace {

std::string zstd_compress(const std::string& plain) {
    std::string out(ZSTD_compressBound(plain.size()), '\0');
    out.resize(ZSTD_compress(out.data(), out.size(), plain.data(), plain.size(), 3));
    return out;
}

std::vector<std::string> all_lines(const std::string& path) {
    LineReader reader(path);
    std::vector<std::string> lines;
    std::string line;
    while (reader.next(line)) lines.push_back(line);
    return lines;
}

}  // namespace

TEST(LineReader, SplitsLinesAndStripsCarriageReturns) {
    TempDir tmp;
    test::write_file(tmp / "a.txt", "one\r\ntwo\n\nthree");
    EXPECT_EQ(all_lines(tmp / "a.txt"), (std::vector<std::string>{"one", "two", "", "three"}));
}

TEST(LineReader, DecompressesZstdByMagicNotName) {
    TempDir tmp;
    std::string text;
    for (int i = 0; i < 50000; ++i) text += "line number " + std::to_string(i) + "\n";
    // Two concatenated frames, as `cat a.zst b.zst` makes.
    test::write_file(tmp / "plain-looking.jsonl", zstd_compress(text) + zstd_compress("last\n"));
    auto lines = all_lines(tmp / "plain-looking.jsonl");
    ASSERT_EQ(lines.size(), 50001u);
    EXPECT_EQ(lines[49999], "line number 49999");
    EXPECT_EQ(lines.back(), "last");
}

TEST(LineReader, TruncatedZstdIsAnErrorNamingTheFile) {
    TempDir tmp;
    std::string text(100000, 'x');
    std::string z = zstd_compress(text + "\n");
    test::write_file(tmp / "cut.zst", z.substr(0, z.size() / 2));
    std::string line;
    try {
        LineReader reader(tmp / "cut.zst");  // libarchive may notice at once or while reading
        while (reader.next(line)) {
        }
        FAIL() << "no error for a truncated stream";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("cut.zst"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos);
    }
}

TEST(LineReader, OverlongLineIsSkippedNotBuffered) {
    TempDir tmp;
    {
        std::ofstream out(tmp / "big.jsonl", std::ios::binary);
        out << "before\n";
        std::string chunk(1 << 20, 'a');
        for (std::size_t i = 0; i <= LineReader::max_line_bytes >> 20; ++i) out << chunk;
        out << "\nafter\n";
    }
    LineReader reader(tmp / "big.jsonl");
    std::string line;
    ASSERT_TRUE(reader.next(line));
    EXPECT_EQ(line, "before");
    ASSERT_TRUE(reader.next(line));
    EXPECT_TRUE(reader.too_long());
    EXPECT_TRUE(line.empty());
    EXPECT_EQ(reader.line_number(), 2u);
    ASSERT_TRUE(reader.next(line));
    EXPECT_FALSE(reader.too_long());
    EXPECT_EQ(line, "after");
    EXPECT_FALSE(reader.next(line));
}

TEST(LineReader, MissingFileIsAnInputError) {
    EXPECT_THROW(LineReader("/nonexistent/panmun/input.jsonl"), InputError);
}
