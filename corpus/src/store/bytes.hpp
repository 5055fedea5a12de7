// The store's byte-level helpers (internal): little-endian integers, LEB128 varints, whole
// reads and writes at an offset, and page-aligned buffers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace panmun::store {

void put_u32(std::string& out, std::uint32_t v);
void put_u64(std::string& out, std::uint64_t v);
// The `n`-byte little-endian integer at `p`.
std::uint64_t get_le(const char* p, int n);
void put_varint(std::string& out, std::uint64_t v);
// Reads a varint from the front of `in`, consuming it; false if `in` ends inside it.
bool get_varint(std::string_view& in, std::uint64_t& v);

// strerror(errno), for messages.
std::string errno_text();

// Writes all `n` bytes at `offset`. Throws ArchiveError naming `path`.
void pwrite_all(int fd, const char* data, std::size_t n, std::uint64_t offset,
                const std::string& path);
// Reads exactly `n` bytes at `offset`; false if the file ends first or reading fails.
[[nodiscard]] bool pread_all(int fd, char* data, std::size_t n, std::uint64_t offset);

// Memory for a dictionary and the clusters decompressed after it, in 2 MiB pages where the
// kernel gives them: a fetch's matches land anywhere in an 8 MiB dictionary, 2,048 pages of
// 4 KiB. Measured (fetch p50, median of four runs each): kcna-marquez 0.150 against 0.155 ms,
// reuters-financial 0.24 against 0.29 ms; the machine was noisy, so call it a small gain.
struct HugeFree {
    void operator()(char* p) const;
};
using HugeBuffer = std::unique_ptr<char[], HugeFree>;
HugeBuffer huge_buffer(std::size_t bytes);

}  // namespace panmun::store
