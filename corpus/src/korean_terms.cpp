// The index terms of Korean words and the phrases that find them again (schema.hpp, "Korean").
#include <algorithm>

#include "panmun/korean.hpp"
#include "panmun/schema.hpp"
#include "panmun/unicode.hpp"

namespace panmun::schema {
namespace {

std::string letters(std::u32string_view s) { return korean::utf8(s); }

// Adds the terms of the Korean words of one field to a document, each letter a position,
// continuing the term generator's positions.
class KoreanIndexer {
public:
    KoreanIndexer(Xapian::Document& doc, const std::string& prefix, unsigned wdf)
        : doc_(doc), prefix_(prefix), reading_prefix_(reading_prefix(prefix)), wdf_(wdf) {}

    // Indexes `w` from position `first`; returns the positions it takes: a letter each, its
    // reading's if longer, and its particles'. `joined`: the previous call was the word before
    // it, with nothing indexed in between.
    Xapian::termpos add(const korean::Word& w, std::size_t particles, Xapian::termpos first,
                        bool joined) {
        const std::u32string& s = w.stem;
        const std::u32string& r = w.reading.empty() ? w.stem : w.reading;
        if (s.empty()) return static_cast<Xapian::termpos>(particles);
        for (std::size_t i = 0; i < s.size(); ++i) {
            post(prefix_, s.substr(i, 1), first + i);
            if (i + 1 < s.size()) post(prefix_, s.substr(i, 2), first + i);
        }
        // The reading where it is not the text's own letters (the query asks for either).
        for (std::size_t i = 0; i < r.size(); ++i) {
            const bool same1 = i < s.size() && s[i] == r[i];
            if (!same1) post(reading_prefix_, r.substr(i, 1), first + i);
            if (i + 1 < r.size() && !(same1 && i + 1 < s.size() && s[i + 1] == r[i + 1]))
                post(reading_prefix_, r.substr(i, 2), first + i);
        }
        for (const korean::Alternative& a : w.alternatives)
            for (std::size_t i = 0; i < a.reading.size(); ++i) {
                post(reading_prefix_, a.reading.substr(i, 1), first + a.offset + i);
                if (i + 1 < a.reading.size())
                    post(reading_prefix_, a.reading.substr(i, 2), first + a.offset + i);
            }
        // Across the middle dot of a pair written as one word (북·미 is 북미).
        if (joined && !last_surface_.empty()) {
            const std::u32string bridge{last_surface_.back(), s.front()};
            post(prefix_, bridge, last_surface_at_);
            const std::u32string read_bridge{last_reading_.back(), r.front()};
            if (read_bridge != bridge || last_reading_at_ != last_surface_at_)
                post(reading_prefix_, read_bridge, last_reading_at_);
        }
        last_surface_ = s;
        last_reading_ = r;
        last_surface_at_ = first + s.size() - 1;
        last_reading_at_ = first + r.size() - 1;
        return static_cast<Xapian::termpos>(std::max(s.size(), r.size()) + particles);
    }

private:
    void post(const std::string& prefix, std::u32string_view term, std::size_t pos) {
        doc_.add_posting(prefix + letters(term), static_cast<Xapian::termpos>(pos), wdf_);
    }

    Xapian::Document& doc_;
    const std::string& prefix_;
    const std::string reading_prefix_;
    unsigned wdf_;
    std::u32string last_surface_, last_reading_;
    std::size_t last_surface_at_ = 0, last_reading_at_ = 0;
};

// True if `s` holds a letter or digit that the term generator would index.
bool has_word(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const char32_t c = unicode::next(s, i);
        if (unicode::is_letter(c) || unicode::is_digit(c)) return true;
    }
    return false;
}

Xapian::Utf8Iterator utf8_iterator(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

std::string reading_prefix(std::string_view prefix) { return prefix_reading + std::string(prefix); }

void index_field(Xapian::TermGenerator& tg, Xapian::Document& doc, std::string_view text,
                 unsigned wdf, const std::string& prefix, const korean::Context& context) {
    const std::vector<korean::Word> words = korean::analyze(text, context);
    if (words.empty()) {
        tg.index_text(utf8_iterator(text), wdf, prefix);
        return;
    }
    KoreanIndexer korean(doc, prefix, wdf);
    std::size_t from = 0;
    bool joined_ok = false;  // nothing indexed since the previous Korean word
    for (const korean::Word& w : words) {
        const std::string_view gap = text.substr(from, w.begin - from);
        if (has_word(gap)) {
            tg.index_text(utf8_iterator(gap), wdf, prefix);
            joined_ok = false;
        }
        const Xapian::termpos first = tg.get_termpos() + 1;
        const std::size_t particles = unicode::length(text.substr(w.stem_end, w.end - w.stem_end));
        if (const Xapian::termpos n = korean.add(w, particles, first, w.joined && joined_ok)) {
            tg.set_termpos(first + n - 1);
            joined_ok = true;
        }
        from = w.end;
    }
    if (from < text.size()) tg.index_text(utf8_iterator(text.substr(from)), wdf, prefix);
}

std::vector<Phrase> korean_phrases(const std::vector<korean::Word>& group, bool exact,
                                   std::string_view prefix) {
    const std::string p(prefix), rp = reading_prefix(prefix);
    // A letter sequence as phrases of its pairs of letters, one pair every two letters (a letter
    // alone at the end): 정상회담 as 정상 then 회담 two positions on. Every pair is indexed, but
    // none across a space (that would find 여성 in 하여 성과), so a compound written apart (정상
    // 회담, 김 위원장) is found where its parts meet between two pairs: the phrase from the first
    // letter finds a break after an even number of letters, the one that starts with the first
    // letter alone, after an odd number. Two letters are one pair only.
    auto phrases = [&](const std::u32string& seq, bool with_reading, std::vector<Phrase>& out) {
        auto slot = [&](std::u32string_view t) {
            Slot s{p + letters(t)};
            if (with_reading) s.push_back(rp + letters(t));
            return s;
        };
        const std::u32string_view v(seq);
        for (std::size_t start = 0; start < 2 && (start == 0 || seq.size() >= 3); ++start) {
            Phrase ph;
            std::size_t last = 0;  // where the last slot starts
            if (start == 1) ph.slots.push_back(slot(v.substr(0, 1)));
            std::size_t i = start;
            for (; i + 1 < seq.size(); i += 2) ph.slots.push_back(slot(v.substr(i, 2))), last = i;
            if (i < seq.size()) ph.slots.push_back(slot(v.substr(i, 1))), last = i;
            ph.window = static_cast<unsigned>(last + 1);
            ph.length = static_cast<unsigned>(seq.size());
            out.push_back(std::move(ph));
        }
    };
    std::u32string surface, reading;
    bool hanja = false;
    for (const korean::Word& w : group) {
        surface += w.stem;
        reading += w.reading.empty() ? w.stem : w.reading;
        hanja = hanja || w.hanja;
    }
    std::vector<Phrase> out;
    if (surface.empty()) return out;
    if (exact) {
        phrases(surface, false, out);
        return out;
    }
    phrases(reading, true, out);
    if (hanja) phrases(surface, false, out);
    if (group.size() == 1)
        for (const korean::Alternative& a : group[0].alternatives)
            if (a.offset == 0) phrases(a.reading, true, out);
    return out;
}

}  // namespace panmun::schema
