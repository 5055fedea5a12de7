// libFuzzer target: the JSON Lines reader (and the line reader under it, zstd included) on
// arbitrary bytes. Never crashes; every record is a document or a located skip.
#include <cstdint>
#include <string>

#include "memory_file.hpp"
#include "panmun/errors.hpp"
#include "panmun/jsonl.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    MemoryFile file(data, size);
    if (!file) return 0;
    const std::string path = file.path();
    try {
        panmun::JsonlReader reader(path, panmun::FieldMap::parse("title=headline,text=text"));
        for (auto ev = reader.next(); ev.kind != panmun::ReadEvent::Kind::end; ev = reader.next()) {
            if (ev.kind == panmun::ReadEvent::Kind::document && ev.document.text.empty())
                __builtin_trap();
            if (ev.kind == panmun::ReadEvent::Kind::skipped && ev.reason.empty()) __builtin_trap();
        }
    } catch (const panmun::InputError&) {
        // A damaged zstd stream: reported, not a crash.
    }
    return 0;
}
