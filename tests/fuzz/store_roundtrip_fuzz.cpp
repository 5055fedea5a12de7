// libFuzzer target: documents made from arbitrary bytes go into a store and come back exactly,
// through the writer used while indexing and through compact_store() with a dictionary. A
// difference aborts (the fuzzer reports it); so does any exception but a disk error.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "panmun/errors.hpp"
#include "panmun/store.hpp"

namespace {

// Splits the input at 0xFF bytes into fields, 9 to a document (dates from two bytes).
std::vector<panmun::Document> documents_of(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> parts(1);
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == 0xFF)
            parts.emplace_back();
        else
            parts.back() += static_cast<char>(data[i]);
    }
    std::vector<panmun::Document> docs;
    for (std::size_t i = 0; i + 8 < parts.size() || (i < parts.size() && docs.empty()); i += 9) {
        auto part = [&](std::size_t k) {
            return i + k < parts.size() ? parts[i + k] : std::string();
        };
        panmun::Document d;
        d.id = part(0), d.title = part(1), d.source = part(3), d.url = part(4), d.lang = part(5);
        d.author = part(6), d.path = part(7), d.text = part(8);
        const std::string date = part(2);
        if (date.size() >= 2) {
            const int year = 1900 + static_cast<unsigned char>(date[0]) % 200;
            const int month = static_cast<unsigned char>(date[1]) % 13;
            const int day = date.size() > 2 && month ? static_cast<unsigned char>(date[2]) % 29 : 0;
            if (auto parsed = panmun::Date::from_fields(year, month, day)) d.date = *parsed;
        }
        docs.push_back(std::move(d));
    }
    return docs;
}

std::string scratch(const char* name) {
    return "/tmp/panmun-fuzz-" + std::to_string(::getpid()) + "-" + name;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<panmun::Document> docs = documents_of(data, size);
    const std::string written = scratch("w.dat"), compacted = scratch("c.dat");
    try {
        panmun::StoreOptions options;
        options.cluster_bytes = 1 + size % 4096;  // one document a cluster, or many
        std::vector<panmun::StoreLocation> where;
        {
            panmun::StoreWriter writer(written, 0, options);
            for (const auto& d : docs) where.push_back(writer.append(d));
            writer.sync();
        }
        panmun::DocumentStore store(written);
        for (std::size_t i = 0; i < docs.size(); ++i)
            if (!(store.fetch(where[i], docs[i].id) == docs[i])) std::abort();
        // compact_store: with a dictionary when the documents are many and large enough.
        std::vector<std::string> samples;
        for (int copy = 0; copy < 40; ++copy)
            for (const auto& d : docs)
                samples.push_back(d.title + "\n" + d.text + std::to_string(copy));
        std::size_t next = 0;
        std::vector<panmun::StoreLocation> placed(docs.size());
        options.dictionary_max_bytes = 64 << 10;
        options.compact_level = 1;
        panmun::compact_store(
            compacted, options,
            [&](panmun::Document& d) {
                if (next == docs.size()) return false;
                d = docs[next++];
                return true;
            },
            samples, [&](std::uint64_t i, panmun::StoreLocation w) { placed.at(i) = w; });
        panmun::DocumentStore again(compacted);
        for (std::size_t i = 0; i < docs.size(); ++i)
            if (!(again.fetch(placed[i], docs[i].id) == docs[i])) std::abort();
    } catch (const panmun::ArchiveError&) {
        std::abort();  // a store panmun wrote is never damaged
    }
    ::unlink(written.c_str());
    ::unlink(compacted.c_str());
    return 0;
}
