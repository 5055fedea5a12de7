// zstd for the store (internal): owning pointers for its contexts and dictionaries, one-frame
// compression with a block boundary where the cluster codec wants one, dictionary training.
#pragma once

#define ZSTD_STATIC_LINKING_ONLY  // buffer-less block-by-block decompression (exported by libzstd)
#include <zstd.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace panmun::store {

struct CCtxDeleter {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxDeleter {
    void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};
struct DDictDeleter {
    void operator()(ZSTD_DDict* c) const { ZSTD_freeDDict(c); }
};
struct CDictDeleter {
    void operator()(ZSTD_CDict* c) const { ZSTD_freeCDict(c); }
};
using CCtxPtr = std::unique_ptr<ZSTD_CCtx, CCtxDeleter>;
using DCtxPtr = std::unique_ptr<ZSTD_DCtx, DCtxDeleter>;
using CDictPtr = std::unique_ptr<ZSTD_CDict, CDictDeleter>;
using DDictPtr = std::unique_ptr<ZSTD_DDict, DDictDeleter>;

// A compression context at `level`. Throws ArchiveError naming `path` if zstd refuses it.
CCtxPtr compressor(int level, const std::string& path);

// Compresses `plain` into one zstd frame (with `cdict` if not null), ending a block at
// `block_end` if it is not 0. Throws ArchiveError naming `path`.
std::string compress(ZSTD_CCtx* cctx, const ZSTD_CDict* cdict, std::string_view plain,
                     std::size_t block_end, const std::string& path);

// A dictionary of at most `max_bytes` trained on `samples` (ZDICT fastCover), or "" when the
// samples are too few or too small to make one worth having.
std::string train_dictionary(const std::vector<std::string>& samples, std::size_t max_bytes);

}  // namespace panmun::store
