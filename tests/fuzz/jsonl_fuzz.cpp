// libFuzzer target: the JSON Lines reader (and the line reader under it, zstd included) on
// arbitrary bytes. Never crashes; every record is a document or a located skip.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "panmun/errors.hpp"
#include "panmun/jsonl.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    int fd = ::memfd_create("jsonl-fuzz", MFD_CLOEXEC);
    if (fd < 0) return 0;
    if (::write(fd, data, size) != static_cast<ssize_t>(size)) {
        ::close(fd);
        return 0;
    }
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    try {
        panmun::JsonlReader reader(path, panmun::FieldMap::parse("title=headline,text=text"));
        for (auto ev = reader.next(); ev.kind != panmun::ReadEvent::Kind::end; ev = reader.next()) {
            if (ev.kind == panmun::ReadEvent::Kind::document && ev.document.text.empty()) __builtin_trap();
            if (ev.kind == panmun::ReadEvent::Kind::skipped && ev.reason.empty()) __builtin_trap();
        }
    } catch (const panmun::InputError&) {
        // A damaged zstd stream: reported, not a crash.
    }
    ::close(fd);
    return 0;
}
