// Identity of documents: content ids and fingerprints.
#include "panmun/document.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <limits>

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
    return fmt::format("h{:016x}", hash_fields({&doc.title, &doc.text, &date}));
}

std::uint64_t text_key(std::string_view text) {
    std::string folded;
    folded.reserve(text.size());
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = !folded.empty();
            continue;
        }
        if (space) folded += ' ';
        space = false;
        folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return XXH3_64bits(folded.data(), folded.size());
}

std::uint64_t fingerprint(const Document& doc) {
    std::string date = doc.date.iso();
    // The author joins the hash only when there is one, so that documents stored before the
    // field existed keep their fingerprints (an update of them changes nothing). The path never
    // does: where a file was read from says nothing about what the article says.
    if (doc.author.empty())
        return hash_fields(
            {&doc.id, &doc.title, &date, &doc.source, &doc.url, &doc.lang, &doc.text});
    return hash_fields(
        {&doc.id, &doc.title, &date, &doc.source, &doc.url, &doc.lang, &doc.text, &doc.author});
}

std::uint64_t near_duplicate_key(const std::string& text) {
    constexpr std::size_t shingle_words = 5;
    constexpr std::array<std::uint64_t, 3> seeds = {0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full,
                                                    0x165667B19E3779F9ull};
    std::array<std::uint64_t, 3> minima;
    minima.fill(std::numeric_limits<std::uint64_t>::max());
    std::deque<std::uint64_t> window;  // hashes of the last words
    std::size_t words = 0;
    auto add_shingle = [&] {
        for (std::size_t k = 0; k < seeds.size(); ++k) {
            std::uint64_t h = seeds[k];
            for (std::uint64_t w : window) h = XXH3_64bits_withSeed(&w, sizeof w, h);
            minima[k] = std::min(minima[k], h);
        }
    };
    std::string word;
    auto end_word = [&] {
        if (word.empty()) return;
        window.push_back(XXH3_64bits(word.data(), word.size()));
        word.clear();
        ++words;
        if (window.size() > shingle_words) window.pop_front();
        if (window.size() == shingle_words) add_shingle();
    };
    for (unsigned char c : text) {
        if (std::isalnum(c) || c >= 0x80)
            word += static_cast<char>(std::tolower(c));
        else
            end_word();
    }
    end_word();
    if (words == 0) return 0;
    if (words < shingle_words) add_shingle();
    return XXH3_64bits(minima.data(), sizeof minima) | 1;  // never 0
}

}  // namespace panmun
