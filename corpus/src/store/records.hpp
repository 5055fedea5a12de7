// The store file's framing (internal; docs/FORMAT.md): a header, then checksummed records, the
// first of which may be the dictionary.
//   header      "PANMUNST" u32 version                                          12 bytes
//   dictionary  "PMDI" u32 payload_bytes u64 XXH3(payload) payload   optional, right after header
//   cluster     "PMCL" u32 payload_bytes u64 XXH3(payload) payload   payload: one zstd frame
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace panmun::store {

inline constexpr char file_magic[8] = {'P', 'A', 'N', 'M', 'U', 'N', 'S', 'T'};
inline constexpr std::uint32_t store_version = 2;
inline constexpr std::uint64_t header_bytes = 12;
inline constexpr char dictionary_magic[4] = {'P', 'M', 'D', 'I'};
inline constexpr char cluster_magic[4] = {'P', 'M', 'C', 'L'};
inline constexpr std::size_t record_header_bytes = 16;
// No dictionary is larger: a damaged frame header claiming more is refused.
inline constexpr std::uint64_t max_dictionary_bytes = 64 << 20;

std::string file_header();
// Throws ArchiveError naming `path` unless the file starts with a header of our version.
void check_header(int fd, const std::string& path);

// A record: magic, size, XXH3-64 of the payload, payload.
std::string make_record(const char magic[4], std::string_view payload);
// Reads the record at `offset` into `payload`, checking magic, size (against `limit` and the
// file's size, before allocating) and checksum. False with `problem` on failure.
bool read_record(int fd, std::uint64_t offset, const char magic[4], std::string& payload,
                 std::string& problem, std::uint64_t limit = UINT64_MAX);
// The size of the record at `offset` (header and payload), or 0 if it cannot be read.
std::uint64_t record_size(int fd, std::uint64_t offset);

// The dictionary record right after the header, if any: its compressed bytes (checksum
// verified) and the offset where clusters begin.
struct DictionaryRecord {
    std::string frame;  // the zstd frame of the dictionary; empty if none
    std::uint64_t end = header_bytes;
};
// Throws CorruptDataError naming `path` if there is a dictionary record and it is damaged.
DictionaryRecord read_dictionary_record(int fd, const std::string& path);
// The dictionary of a record's frame, decompressed into `out`, whose size must be
// dictionary_size(frame). Both throw CorruptDataError naming `path`.
std::size_t dictionary_size(const std::string& frame, const std::string& path);
void decompress_dictionary(const std::string& frame, char* out, std::size_t size,
                           const std::string& path);
// The same, into a string of its own (empty if `frame` is).
std::string decompress_dictionary(const std::string& frame, const std::string& path);

}  // namespace panmun::store
