// The store file's header and records.
#include "store/records.hpp"

#include <sys/stat.h>

#include <cstring>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "panmun/errors.hpp"
#include "store/bytes.hpp"
#include "store/zstd.hpp"

namespace panmun::store {

std::string file_header() {
    std::string header(file_magic, sizeof file_magic);
    put_u32(header, store_version);
    return header;
}

void check_header(int fd, const std::string& path) {
    char header[header_bytes];
    if (!pread_all(fd, header, sizeof header, 0) ||
        std::memcmp(header, file_magic, sizeof file_magic) != 0)
        throw ArchiveError(path, "not a panmun document store (bad header)");
    auto version = get_le(header + 8, 4);
    if (version != store_version)
        throw ArchiveError(path, "document store version " + std::to_string(version) +
                                     " (this panmun reads version " +
                                     std::to_string(store_version) + ")");
}

std::string make_record(const char magic[4], std::string_view payload) {
    std::string record(magic, 4);
    put_u32(record, static_cast<std::uint32_t>(payload.size()));
    put_u64(record, XXH3_64bits(payload.data(), payload.size()));
    record += payload;
    return record;
}

bool read_record(int fd, std::uint64_t offset, const char magic[4], std::string& payload,
                 std::string& problem, std::uint64_t limit) {
    char header[record_header_bytes];
    if (!pread_all(fd, header, sizeof header, offset)) {
        problem = "record lies beyond the end of the store (truncated file?)";
        return false;
    }
    if (std::memcmp(header, magic, 4) != 0) {
        problem = "bad record header";
        return false;
    }
    std::uint64_t n = get_le(header + 4, 4);
    if (offset + record_header_bytes + n > limit) {
        problem = "record runs past the committed end of the store";
        return false;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 ||
        offset + record_header_bytes + n > static_cast<std::uint64_t>(st.st_size)) {
        problem = "record is cut short (truncated file?)";  // checked before allocating n bytes
        return false;
    }
    payload.resize(n);
    if (!pread_all(fd, payload.data(), n, offset + record_header_bytes)) {
        problem = "record is cut short (truncated file?)";
        return false;
    }
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION  // fuzzers need to reach what checksums guard
    if (XXH3_64bits(payload.data(), n) != get_le(header + 8, 8)) {
        problem = "checksum mismatch";
        return false;
    }
#endif
    return true;
}

std::uint64_t record_size(int fd, std::uint64_t offset) {
    char header[record_header_bytes];
    if (!pread_all(fd, header, sizeof header, offset)) return 0;
    return record_header_bytes + get_le(header + 4, 4);
}

DictionaryRecord read_dictionary_record(int fd, const std::string& path) {
    DictionaryRecord result;
    char magic[4];
    if (!pread_all(fd, magic, 4, header_bytes) || std::memcmp(magic, dictionary_magic, 4) != 0)
        return result;
    std::string problem;
    if (!read_record(fd, header_bytes, dictionary_magic, result.frame, problem))
        throw CorruptDataError(path, "dictionary at offset 12: " + problem);
    result.end = header_bytes + record_header_bytes + result.frame.size();
    return result;
}

std::size_t dictionary_size(const std::string& frame, const std::string& path) {
    unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
        size > max_dictionary_bytes)
        throw CorruptDataError(path, "dictionary at offset 12: bad zstd frame");
    return size;
}

void decompress_dictionary(const std::string& frame, char* out, std::size_t size,
                           const std::string& path) {
    std::size_t got = ZSTD_decompress(out, size, frame.data(), frame.size());
    if (ZSTD_isError(got) || got != size)
        throw CorruptDataError(path, "dictionary at offset 12: does not decompress");
}

std::string decompress_dictionary(const std::string& frame, const std::string& path) {
    if (frame.empty()) return {};
    std::string out(dictionary_size(frame, path), '\0');
    decompress_dictionary(frame, out.data(), out.size(), path);
    return out;
}

}  // namespace panmun::store
