// Identity of documents: content ids and fingerprints.
#include "panmun/document.hpp"

#include <cstdio>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace panmun {
namespace {

std::uint64_t hash_fields(std::initializer_list<const std::string*> fields) {
    XXH3_state_t state;
    XXH3_64bits_reset(&state);
    for (const std::string* f : fields) {
        XXH3_64bits_update(&state, f->data(), f->size());
        XXH3_64bits_update(&state, "\0", 1);  // "ab","c" and "a","bc" differ
    }
    return XXH3_64bits_digest(&state);
}

}  // namespace

std::string content_id(const Document& doc) {
    std::string date = doc.date.iso();
    char buf[24];
    std::snprintf(buf, sizeof buf, "h%016llx",
                  static_cast<unsigned long long>(hash_fields({&doc.title, &doc.text, &date})));
    return buf;
}

std::uint64_t fingerprint(const Document& doc) {
    std::string date = doc.date.iso();
    return hash_fields({&doc.id, &doc.title, &date, &doc.source, &doc.url, &doc.lang, &doc.text});
}

}  // namespace panmun
