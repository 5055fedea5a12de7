// InputFile: libarchive with every decompression filter and two formats, tar (members) and raw
// (a single, possibly compressed, file). LineReader: a line splitter over any ByteSource.
#include "panmun/input.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "panmun/errors.hpp"
#include "unique_fd.hpp"

namespace panmun {
namespace {

constexpr std::size_t chunk_bytes = 1 << 17;  // bytes per read from the file (128 KiB)

struct ArchiveDeleter {
    void operator()(archive* a) const { archive_read_free(a); }
};

}  // namespace

struct InputFile::Impl {
    std::string input_name;  // "path" or "<stdin>"
    std::string entry_name;  // what reports call the current entry
    std::string entry_path;
    std::uint64_t entry_size = 0;
    UniqueFd fd;
    std::unique_ptr<archive, ArchiveDeleter> a;
    bool empty = false;  // a zero-byte input: one empty entry
    bool archive_format_seen = false;
    bool in_entry = false, done = false;
    int entries = 0;

    [[noreturn]] void fail(const std::string& what) const {
        const char* why = a ? archive_error_string(a.get()) : nullptr;
        throw InputError(entry_name.empty() ? input_name : entry_name, 0,
                         what + (why ? std::string(": ") + why : std::string()));
    }
};

InputFile::InputFile(const std::string& path) : impl_(std::make_unique<Impl>()) {
    auto& d = *impl_;
    if (path == "-") {
        d.input_name = "<stdin>";
        d.fd = UniqueFd(::dup(STDIN_FILENO));
    } else {
        d.input_name = path;
        d.fd = UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    }
    if (!d.fd)
        throw InputError(d.input_name, 0, std::string("cannot open: ") + std::strerror(errno));
    d.a.reset(archive_read_new());
    // The decompressors linked into libarchive, by name: filter_all would also run external
    // programs (lrzip, lzop, grzip) on inputs that merely start with their magic numbers.
    for (auto support : {archive_read_support_filter_gzip, archive_read_support_filter_bzip2,
                         archive_read_support_filter_xz, archive_read_support_filter_lzma,
                         archive_read_support_filter_zstd, archive_read_support_filter_lz4})
        support(d.a.get());
    archive_read_support_format_tar(d.a.get());
    archive_read_support_format_raw(d.a.get());
    if (archive_read_open_fd(d.a.get(), d.fd.get(), chunk_bytes) != ARCHIVE_OK) {
        // libarchive refuses a zero-byte input as "unrecognized"; for us it is an empty file.
        if (archive_filter_count(d.a.get()) >= 1 && archive_filter_bytes(d.a.get(), -1) == 0) {
            d.empty = true;
            return;
        }
        std::string why = archive_error_string(d.a.get()) ? archive_error_string(d.a.get()) : "";
        if (why.find("runcated") != std::string::npos || why.find("rror") != std::string::npos)
            throw InputError(d.input_name, 0,
                             "cannot decompress (stream is truncated or damaged): " + why);
        throw InputError(d.input_name, 0, "cannot read: " + why);
    }
}

InputFile::~InputFile() = default;

bool InputFile::next_entry() {
    auto& d = *impl_;
    if (d.done) return false;
    if (d.empty) {
        d.done = d.entries++ > 0;
        d.entry_name = d.entry_path = d.input_name;
        d.entry_size = 0;
        d.in_entry = !d.done;
        return d.in_entry;
    }
    for (;;) {
        archive_entry* entry = nullptr;
        int r = archive_read_next_header(d.a.get(), &entry);
        if (r == ARCHIVE_EOF) {
            d.done = true;
            d.in_entry = false;
            return false;
        }
        if (r < ARCHIVE_WARN) {
            d.done = true;
            d.fail("cannot read the next archive member");
        }
        bool raw = archive_format(d.a.get()) == ARCHIVE_FORMAT_RAW;
        d.archive_format_seen = !raw;
        if (!raw && archive_entry_filetype(entry) != AE_IFREG) continue;  // dirs, links
        const char* member = archive_entry_pathname(entry);
        d.entry_path = raw ? d.input_name : std::string(member ? member : "");
        d.entry_name = raw ? d.input_name : d.input_name + ":" + d.entry_path;
        d.entry_size = !raw && archive_entry_size_is_set(entry) ? archive_entry_size(entry) : 0;
        d.in_entry = true;
        ++d.entries;
        return true;
    }
}

bool InputFile::is_archive() const { return impl_->archive_format_seen; }
const std::string& InputFile::entry_path() const { return impl_->entry_path; }
std::uint64_t InputFile::entry_size() const { return impl_->entry_size; }
const std::string& InputFile::name() const {
    return impl_->entry_name.empty() ? impl_->input_name : impl_->entry_name;
}

std::size_t InputFile::read(char* buffer, std::size_t n) {
    auto& d = *impl_;
    if (!d.in_entry || d.empty) return 0;
    la_ssize_t got = archive_read_data(d.a.get(), buffer, n);
    if (got < 0) {
        std::string why = archive_error_string(d.a.get()) ? archive_error_string(d.a.get()) : "";
        if (why.find("runcated") != std::string::npos) why = "stream is truncated (" + why + ")";
        throw InputError(name(), 0, "read or decompression error: " + why);
    }
    return static_cast<std::size_t>(got);
}

std::uint64_t InputFile::raw_bytes_read() const {
    if (impl_->empty) return 0;
    la_int64_t n = archive_filter_bytes(impl_->a.get(), -1);
    return n > 0 ? static_cast<std::uint64_t>(n) : 0;
}

std::string InputFile::read_all(std::size_t max_bytes) {
    std::string out;
    char buf[1 << 16];
    for (std::size_t n; (n = read(buf, sizeof buf)) > 0;) {
        if (out.size() + n > max_bytes)
            throw InputError(name(), 0,
                             "larger than " + std::to_string(max_bytes >> 20) +
                                 " MiB, too large for a whole-file format");
        out.append(buf, n);
    }
    return out;
}

LineReader::LineReader(ByteSource& source) : source_(&source) {}

LineReader::LineReader(const std::string& path)
    : owned_(std::make_unique<InputFile>(path)), source_(owned_.get()) {
    if (!owned_->next_entry()) eof_ = true;
}

LineReader::~LineReader() = default;

bool LineReader::next(std::string& line) {
    line.clear();
    too_long_ = false;
    bool any = false;
    for (;;) {
        if (pos_ == buffer_.size()) {
            if (eof_) break;
            buffer_.resize(chunk_bytes);
            std::size_t n;
            try {
                n = source_->read(buffer_.data(), buffer_.size());
            } catch (const InputError& e) {
                throw InputError(e.file(), line_no_ + 1, e.reason());
            }
            buffer_.resize(n);
            pos_ = 0;
            if (n == 0) {
                eof_ = true;
                break;
            }
        }
        any = true;
        const char* begin = buffer_.data() + pos_;
        const char* end = buffer_.data() + buffer_.size();
        const char* nl = static_cast<const char*>(std::memchr(begin, '\n', end - begin));
        const char* stop = nl ? nl : end;
        std::size_t n = static_cast<std::size_t>(stop - begin);
        if (!too_long_) {
            if (line.size() + n > max_line_bytes) {
                too_long_ = true;
                std::string().swap(line);  // release the memory, keep skipping to the newline
            } else {
                line.append(begin, n);
            }
        }
        consumed_ += n + (nl ? 1 : 0);
        pos_ += n + (nl ? 1 : 0);
        if (nl) break;
    }
    if (!any) return false;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ++line_no_;
    return true;
}

}  // namespace panmun
