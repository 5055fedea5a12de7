// libFuzzer target: reading a document store from arbitrary bytes. Damage is a CorruptDataError
// or ArchiveError naming the offset, never a crash or garbage text.
#include <cstdint>
#include <string>

#include "memory_file.hpp"
#include "panmun/errors.hpp"
#include "panmun/store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    MemoryFile file(data, size);
    if (!file) return 0;
    try {
        panmun::DocumentStore store(file.path());
        store.scan(size, [](std::uint64_t, std::vector<panmun::Document>&) {});
        (void)store.fetch({12, 0}, "fuzz");
    } catch (const panmun::Error&) {
    }
    return 0;
}
