// libFuzzer target: every reader (the first byte chooses the format, or auto) and the cleaning
// after it, on arbitrary bytes. Never crashes; every record is a document or a located skip, and
// cleaned text is always valid UTF-8.
#include <cstdint>
#include <string>

#include "memory_file.hpp"
#include "panmun/clean.hpp"
#include "panmun/errors.hpp"
#include "panmun/readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    static const panmun::Format formats[] = {panmun::Format::automatic, panmun::Format::json,
                                             panmun::Format::csv,       panmun::Format::html,
                                             panmun::Format::text,      panmun::Format::sgml,
                                             panmun::Format::nitf,      panmun::Format::jsonl};
    panmun::ReaderOptions options;
    options.format = formats[data[0] % 8];
    options.map = panmun::FieldMap::parse("title=headline,text=text");
    MemoryFile file(data + 1, size - 1);
    if (!file) return 0;
    static const panmun::Cleaner cleaner;
    try {
        panmun::InputFile input(file.path());
        while (input.next_entry()) {
            std::unique_ptr<panmun::RecordReader> reader;
            try {
                reader = panmun::open_reader(input, input.entry_path(), options);
            } catch (const panmun::InputError&) {
                continue;  // a binary file: refused, not a crash
            }
            for (auto ev = reader->next(); ev.kind != panmun::ReadEvent::Kind::end;
                 ev = reader->next()) {
                if (ev.kind == panmun::ReadEvent::Kind::skipped) {
                    if (ev.reason.empty()) __builtin_trap();
                    continue;
                }
                if (ev.document.text.find_first_not_of(" \t\r\n") == std::string::npos)
                    __builtin_trap();
                panmun::CleanCounts counts;
                std::string text = cleaner.text(ev.document.text, reader->markup(), counts);
                std::string title = cleaner.line(ev.document.title, reader->markup(), counts);
                if (!panmun::is_valid_utf8(text) || !panmun::is_valid_utf8(title)) __builtin_trap();
                if (!panmun::is_valid_utf8(panmun::title_from_text(text))) __builtin_trap();
            }
        }
    } catch (const panmun::InputError&) {
        // A damaged compressed stream or archive: reported, not a crash.
    }
    return 0;
}
