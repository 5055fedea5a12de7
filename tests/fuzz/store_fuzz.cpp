// libFuzzer target: reading a document store from arbitrary bytes. Damage is a CorruptDataError
// or ArchiveError naming the offset, never a crash or garbage text.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "panmun/errors.hpp"
#include "panmun/store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    int fd = ::memfd_create("store-fuzz", MFD_CLOEXEC);
    if (fd < 0) return 0;
    if (::write(fd, data, size) != static_cast<ssize_t>(size)) {
        ::close(fd);
        return 0;
    }
    try {
        panmun::DocumentStore store("/proc/self/fd/" + std::to_string(fd));
        store.scan(size, [](std::uint64_t, std::vector<panmun::Document>&) {});
        (void)store.fetch({12, 0}, "fuzz");
    } catch (const panmun::Error&) {
    }
    ::close(fd);
    return 0;
}
