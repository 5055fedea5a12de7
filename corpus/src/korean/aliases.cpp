#include "korean/aliases.hpp"

#include <algorithm>
#include <cctype>

#include "panmun/unicode.hpp"

namespace panmun::korean {

namespace {

bool is_ascii_alnum(char32_t c) { return c < 0x80 && std::isalnum(static_cast<int>(c)); }
char32_t ascii_lower(char32_t c) { return c < 0x80 ? std::tolower(static_cast<int>(c)) : c; }

// What may stand between the parts of a name in a text: spaces and the dots of "6·15", "6.15",
// "6ㆍ15", and hyphens ("화성-15").
bool is_part_separator(char32_t c) {
    return c == ' ' || c == '.' || c == '-' || c == 0xB7 || c == 0x2027 || c == 0x2219 ||
           c == 0x30FB || c == 0x318D || c == 0xFF0E || c == 0xA0;
}

}  // namespace

void Aliases::add(std::string_view alias, std::size_t entity) {
    // The last run of Korean letters is matched on a word; letters and digits written before it
    // ("10·4 선언", "AP통신", "제1연평해전") or Latin after it ("조선중앙TV", "화성-15") must be
    // in the text around the word: without them, "선언" alone would be the 2007 declaration.
    std::u32string letters, before, after;
    bool hangul = false;
    for (std::size_t i = 0; i < alias.size();) {
        const char32_t c = unicode::next(alias, i);
        if (is_ascii_alnum(c)) {
            (letters.empty() ? before : after) += ascii_lower(c);
        } else if (is_korean_letter(c) && c != 0x318D) {
            if (!after.empty()) {  // Latin or digits between Korean letters: all before
                before += letters + after;
                letters.clear();
                after.clear();
            }
            letters += c;
        }  // spaces and dots between the parts of a name
    }
    if (letters.empty()) return;
    for (char32_t c : letters) hangul = hangul || unicode::is_hangul(c);
    if (hangul) letters = south_spelling(letters);
    by_letter_[letters[0]].push_back(
        {letters, std::string(alias), entity, {}, std::move(before), std::move(after)});
}

void Aliases::finish(const std::function<bool(std::size_t, std::size_t)>& nests) {
    for (auto& [c, list] : by_letter_)  // longest first: 개성공단 before 개성
        std::stable_sort(list.begin(), list.end(), [](const Alias& a, const Alias& b) {
            return a.letters.size() > b.letters.size();
        });
    // Names inside names: the longest other alias that starts each part of an alias as written
    // (parts are separated by anything but Korean letters: "4·27 판문점 선언").
    for (auto& [c, list] : by_letter_)
        for (Alias& outer : list) {
            if (outer.entity == none) continue;
            std::u32string part;
            auto look = [&] {
                if (part.empty()) return;
                std::u32string letters = part;
                bool hangul = false;
                for (char32_t l : letters) hangul = hangul || unicode::is_hangul(l);
                if (hangul) letters = south_spelling(letters);
                if (const Alias* in = match(letters, !hangul, outer.entity))  // no Latin ones
                    if (in->entity != none && in->letters.size() < outer.letters.size() &&
                        std::find(outer.inner.begin(), outer.inner.end(), in->entity) ==
                            outer.inner.end() &&
                        nests(outer.entity, in->entity))
                        outer.inner.push_back(in->entity);
                part.clear();
            };
            for (std::size_t i = 0; i < outer.written.size();) {
                const char32_t l = unicode::next(outer.written, i);
                if (is_korean_letter(l))
                    part += l;
                else
                    look();
            }
            look();
        }
}

namespace {

// Whether the letters and digits written right before byte `at` of `text` (the dots and spaces
// between them skipped) are `want`, from a word's start: "10·4 선언", not "2010.4 선언".
bool written_before(std::string_view text, std::size_t at, std::u32string_view want) {
    std::size_t i = at, k = want.size();
    while (k > 0 && i > 0) {
        const char32_t c = unicode::previous(text, i);
        if (is_part_separator(c)) continue;
        if (ascii_lower(c) != want[k - 1]) return false;
        --k;
    }
    if (k != 0) return false;
    if (i == 0) return true;
    const char32_t c = unicode::previous(text, i);
    return !is_ascii_alnum(c) && !is_korean_letter(c);
}

// Whether the letters and digits written from byte `at` on (dots and spaces skipped) start with
// `want`.
bool written_after(std::string_view text, std::size_t at, std::u32string_view want) {
    std::size_t i = at, k = 0;
    while (k < want.size() && i < text.size()) {
        const char32_t c = unicode::next(text, i);
        if (is_part_separator(c)) continue;
        if (ascii_lower(c) != want[k]) return false;
        ++k;
    }
    return k == want.size();
}

}  // namespace

const Aliases::Alias* Aliases::match(std::u32string_view letters, bool whole_hanja,
                                     std::size_t skip, std::string_view text,
                                     const Word* word) const {
    if (letters.empty()) return nullptr;
    const auto it = by_letter_.find(letters[0]);
    if (it == by_letter_.end()) return nullptr;
    for (const Alias& a : it->second) {
        if (a.entity == skip || letters.substr(0, a.letters.size()) != a.letters) continue;
        if (whole_hanja && a.letters.size() == 1 && letters.size() != 1) continue;
        if (!a.before.empty() || !a.after.empty()) {
            if (!word) continue;
            if (!a.before.empty() && !written_before(text, word->begin, a.before)) continue;
            // Latin after the letters: right after the stem, which they must be whole.
            if (!a.after.empty() && (a.letters.size() != letters.size() ||
                                     !written_after(text, word->stem_end, a.after)))
                continue;
        }
        return &a;  // the longest alias that matches
    }
    return nullptr;
}

void Aliases::tag(std::string_view text, const Context& context, std::vector<Found>& out) const {
    if (by_letter_.empty()) return;
    for (const Word& w : analyze(text, context)) {
        const std::size_t first = out.size();
        auto add = [&](const Alias* a, std::u32string_view letters) {
            if (!a || a->entity == none) return;
            auto has = [&](std::size_t e) {
                for (std::size_t i = first; i < out.size(); ++i)
                    if (out[i].entity == e) return true;
                return false;
            };
            const bool compound = a->letters.size() < letters.size();
            if (!has(a->entity)) out.push_back({a->entity, w.begin, w.end, false, compound});
            for (std::size_t e : a->inner)
                if (!has(e)) out.push_back({e, w.begin, w.end, true, compound});
        };
        if (w.hanja) add(match(w.stem, true, SIZE_MAX, text, &w), w.stem);
        const std::u32string& read = w.reading.empty() ? w.stem : w.reading;
        add(match(read, false, SIZE_MAX, text, &w), read);
        for (const Alternative& a : w.alternatives)
            add(match(a.reading, false, SIZE_MAX, text, &w), a.reading);
    }
}

std::vector<std::size_t> Aliases::inner_of(std::size_t entity) const {
    std::vector<std::size_t> out;
    for (const auto& [c, list] : by_letter_)
        for (const Alias& a : list)
            if (a.entity == entity)
                for (std::size_t e : a.inner)
                    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
    return out;
}

std::vector<std::size_t> Aliases::named(std::string_view name) const {
    std::vector<std::size_t> out;
    for (const auto& [c, list] : by_letter_)
        for (const Alias& a : list)
            if (a.written == name && a.entity != none) out.push_back(a.entity);
    return out;
}

}  // namespace panmun::korean
