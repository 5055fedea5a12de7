// LineReader: a byte source (file descriptor, optionally wrapped by a zstd decoder) and a line
// splitter that never holds more than one line plus one buffer in memory.
#include "panmun/input.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "panmun/errors.hpp"
#include "unique_fd.hpp"

namespace panmun {
namespace {

constexpr std::size_t chunk_bytes = 1 << 17;  // zstd's recommended stream buffer size (128 KiB)
constexpr unsigned char zstd_magic[4] = {0x28, 0xB5, 0x2F, 0xFD};

struct DStreamDeleter {
    void operator()(ZSTD_DStream* s) const { ZSTD_freeDStream(s); }
};

}  // namespace

struct LineReader::Impl {
    std::string name;
    UniqueFd fd;
    bool compressed = false;
    std::unique_ptr<ZSTD_DStream, DStreamDeleter> dstream;

    std::vector<char> raw = std::vector<char>(chunk_bytes);  // bytes as read from the fd
    std::size_t raw_pos = 0, raw_end = 0;
    bool raw_eof = false;

    std::vector<char> out = std::vector<char>(chunk_bytes);  // decompressed bytes
    std::size_t out_pos = 0, out_end = 0;
    bool frame_open = false;  // a zstd frame was started and not finished

    std::uint64_t line_no = 0, consumed = 0, raw_total = 0;
    bool last_too_long = false;

    void fill_raw() {
        raw_pos = 0;
        raw_end = 0;
        while (!raw_eof && raw_end == 0) {
            ssize_t n = ::read(fd.get(), raw.data(), raw.size());
            if (n < 0) {
                if (errno == EINTR) continue;
                throw InputError(name, line_no + 1, std::string("read error: ") + std::strerror(errno));
            }
            if (n == 0) raw_eof = true;
            raw_end = static_cast<std::size_t>(n);
            raw_total += raw_end;
        }
    }

    // Refills `out`; returns false at the end of the input.
    bool fill_out() {
        out_pos = out_end = 0;
        if (!compressed) {
            if (raw_pos == raw_end) fill_raw();
            if (raw_pos == raw_end) return false;
            std::swap(raw, out);
            out_end = raw_end;
            raw_pos = raw_end = 0;
            if (raw.size() < chunk_bytes) raw.resize(chunk_bytes);
            return true;
        }
        while (out_end == 0) {
            if (raw_pos == raw_end) {
                fill_raw();
                if (raw_pos == raw_end) {
                    if (frame_open)
                        throw InputError(name, line_no + 1, "zstd stream is truncated");
                    return false;
                }
            }
            ZSTD_inBuffer in{raw.data(), raw_end, raw_pos};
            ZSTD_outBuffer o{out.data(), out.size(), 0};
            std::size_t r = ZSTD_decompressStream(dstream.get(), &o, &in);
            if (ZSTD_isError(r))
                throw InputError(name, line_no + 1,
                                 std::string("zstd decompression failed: ") + ZSTD_getErrorName(r));
            frame_open = r != 0;
            raw_pos = in.pos;
            out_end = o.pos;
        }
        return true;
    }
};

LineReader::LineReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
    auto& d = *impl_;
    if (path == "-") {
        d.name = "<stdin>";
        d.fd = UniqueFd(::dup(STDIN_FILENO));
    } else {
        d.name = path;
        d.fd = UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    }
    if (!d.fd) throw InputError(d.name, 0, std::string("cannot open: ") + std::strerror(errno));
    d.fill_raw();
    if (d.raw_end >= 4 && std::memcmp(d.raw.data(), zstd_magic, 4) == 0) {
        d.compressed = true;
        d.dstream.reset(ZSTD_createDStream());
        ZSTD_initDStream(d.dstream.get());
    }
}

LineReader::~LineReader() = default;

bool LineReader::next(std::string& line) {
    auto& d = *impl_;
    line.clear();
    d.last_too_long = false;
    bool any = false;
    for (;;) {
        if (d.out_pos == d.out_end && !d.fill_out()) break;
        any = true;
        const char* begin = d.out.data() + d.out_pos;
        const char* end = d.out.data() + d.out_end;
        const char* nl = static_cast<const char*>(std::memchr(begin, '\n', end - begin));
        const char* stop = nl ? nl : end;
        std::size_t n = static_cast<std::size_t>(stop - begin);
        if (!d.last_too_long) {
            if (line.size() + n > max_line_bytes) {
                d.last_too_long = true;
                std::string().swap(line);  // release the memory, keep skipping to the newline
            } else {
                line.append(begin, n);
            }
        }
        d.consumed += n + (nl ? 1 : 0);
        d.out_pos += n + (nl ? 1 : 0);
        if (nl) break;
    }
    if (!any) return false;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ++d.line_no;
    return true;
}

bool LineReader::too_long() const { return impl_->last_too_long; }
std::uint64_t LineReader::line_number() const { return impl_->line_no; }
std::uint64_t LineReader::bytes_read() const { return impl_->consumed; }
std::uint64_t LineReader::raw_bytes_read() const { return impl_->raw_total; }
const std::string& LineReader::name() const { return impl_->name; }

}  // namespace panmun
