// zstd wrappers and dictionary training for the store.
#include "store/zstd.hpp"

#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>

#include <algorithm>

#include "panmun/errors.hpp"

namespace panmun::store {
namespace {

// Dictionaries smaller than this are not worth their header (ZDICT's own floor is close).
constexpr std::size_t dictionary_min_bytes = 16 << 10;

}  // namespace

CCtxPtr compressor(int level, const std::string& path) {
    CCtxPtr cctx(ZSTD_createCCtx());
    if (!cctx) throw ArchiveError(path, "zstd: cannot create a compression context");
    if (std::size_t r = ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
        ZSTD_isError(r))
        throw ArchiveError(path, "zstd refuses compression level " + std::to_string(level) + ": " +
                                     ZSTD_getErrorName(r));
    return cctx;
}

std::string compress(ZSTD_CCtx* cctx, const ZSTD_CDict* cdict, std::string_view plain,
                     std::size_t block_end, const std::string& path) {
    auto failed = [&](std::size_t r) {
        throw ArchiveError(path, std::string("zstd compression failed: ") + ZSTD_getErrorName(r));
    };
    ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only);
    if (std::size_t r = ZSTD_CCtx_refCDict(cctx, cdict); ZSTD_isError(r)) failed(r);
    if (std::size_t r = ZSTD_CCtx_setPledgedSrcSize(cctx, plain.size()); ZSTD_isError(r)) failed(r);
    std::string frame(ZSTD_compressBound(plain.size()) + 1024, '\0');
    ZSTD_outBuffer out{frame.data(), frame.size(), 0};
    ZSTD_inBuffer in{plain.data(), 0, 0};
    auto run = [&](std::size_t upto, ZSTD_EndDirective step) {
        in.size = upto;
        for (;;) {
            std::size_t left = ZSTD_compressStream2(cctx, &out, &in, step);
            if (ZSTD_isError(left)) failed(left);
            if (left == 0) return;
            frame.resize(frame.size() * 2);  // more than compressBound: only the flush's few bytes
            out.dst = frame.data();
            out.size = frame.size();
        }
    };
    if (block_end) run(block_end, ZSTD_e_flush);
    run(plain.size(), ZSTD_e_end);
    frame.resize(out.pos);
    return frame;
}

std::string train_dictionary(const std::vector<std::string>& samples, std::size_t max_bytes) {
    std::size_t total = 0;
    for (const auto& s : samples) total += s.size();
    // Up to a third of the sample, and long segments (k). On kcna-marquez (26.5 MB of fields,
    // all of them the sample; 256 KiB clusters, level 19): a sixteenth of the sample with
    // ZDICT's search over k, 5.09 MB; a quarter with k = 16 KiB, 4.94 MB; a third, 4.88 MB; a
    // half, 4.90 MB. On reuters-financial (64 MB sample, 4 MiB dictionary, 128 KiB clusters) the
    // same training took the store from 79.6 to 77.2 MB (docs/BENCHMARKS.md). Then segments of
    // 128 KiB in big dictionaries (a 64th of the dictionary, at least 16 KiB) and a frequency
    // table of 2^22 d-mers (ZDICT's default 2^20 lets more of them collide): kcna-marquez at
    // 192 KiB clusters 4.908 to 4.889 MB (k = 32 / 64 / 256 KiB: 4.892 / 4.893 / 4.892 MB;
    // f = 21 / 23 with k = 64 KiB: 4.894 / 4.891 MB), at 256 KiB 4.885 to 4.871 MB;
    // d = 6, or the dictionary's entropy tables at level 19, compressed worse.
    std::size_t target = std::min(max_bytes, total / 3);
    if (target < dictionary_min_bytes || samples.size() < 8) return {};
    std::string joined;
    joined.reserve(total);
    std::vector<std::size_t> sizes;
    sizes.reserve(samples.size());
    for (const auto& s : samples) {
        joined += s;
        sizes.push_back(s.size());
    }
    std::string dict(target, '\0');
    ZDICT_fastCover_params_t params{};
    params.k = static_cast<unsigned>(std::clamp<std::size_t>(target / 64, 16 << 10, 128 << 10));
    params.d = 8;
    params.f = 22;
    params.steps = 1;         // this k and d only: ZDICT's search over k picks short segments
    params.splitPoint = 1.0;  // all of the sample for training
    params.nbThreads = 2;
    params.accel = 1;
    params.zParams.compressionLevel = 3;
    std::size_t n = ZDICT_optimizeTrainFromBuffer_fastCover(
        dict.data(), dict.size(), joined.data(), sizes.data(), static_cast<unsigned>(sizes.size()),
        &params);
    if (ZDICT_isError(n)) return {};  // too little or too uniform data: no dictionary
    dict.resize(n);
    return dict;
}

}  // namespace panmun::store
