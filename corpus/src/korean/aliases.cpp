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

namespace {

// Whether only spaces (one to three) stand between two words: the parts of one name.
bool spaces_between(std::string_view text, const Word& a, const Word& b) {
    if (b.begin <= a.end || b.begin - a.end > 3) return false;
    for (std::size_t i = a.end; i < b.begin; ++i)
        if (text[i] != ' ') return false;
    return true;
}

// A word's letters as an alias spelling of several words reads it: its reading, then its
// particles as written (고난의 of "고난의 행군").
std::u32string whole_word(std::string_view text, const Word& w) {
    std::u32string out = w.reading.empty() ? w.stem : w.reading;
    for (std::size_t i = w.stem_end; i < w.end;) {
        const char32_t c = unicode::next(text, i);
        if (is_korean_letter(c)) out += c;
    }
    return out;
}

}  // namespace

const Aliases::Alias* Aliases::across(std::u32string_view letters, std::size_t joined,
                                      std::string_view text, const Word& first) const {
    const auto it = by_letter_.find(letters[0]);
    if (it == by_letter_.end()) return nullptr;
    for (const Alias& a : it->second) {  // longest first
        if (a.letters.size() <= joined || letters.substr(0, a.letters.size()) != a.letters ||
            !a.after.empty())
            continue;
        // After the name, the last word holds particles only ("판문점 선언을", not "선언문").
        const std::u32string_view tail = letters.substr(a.letters.size());
        if (!tail.empty() && stem_length(tail, true) != 0 && tail != U"의" && tail != U"도" &&
            tail != U"로")
            continue;
        if (!a.before.empty() && !written_before(text, first.begin, a.before)) continue;
        return &a;
    }
    return nullptr;
}

void Aliases::tag(std::string_view text, const Context& context, std::vector<Found>& out) const {
    if (by_letter_.empty()) return;
    const std::vector<Word> words = analyze(text, context);
    for (std::size_t i = 0; i < words.size(); ++i) {
        const Word& w = words[i];
        const std::size_t first = out.size();
        auto has = [&](std::size_t e) {
            for (std::size_t k = first; k < out.size(); ++k)
                if (out[k].entity == e) return true;
            return false;
        };
        auto add = [&](const Alias* a, std::u32string_view letters, std::size_t end) {
            if (!a || a->entity == none) return;
            const bool compound = a->letters.size() < letters.size();
            if (!has(a->entity)) out.push_back({a->entity, w.begin, end, false, compound});
            for (std::size_t e : a->inner)
                if (!has(e)) out.push_back({e, w.begin, end, true, compound});
        };
        if (w.hanja) add(match(w.stem, true, SIZE_MAX, text, &w), w.stem, w.end);
        const std::u32string& read = w.reading.empty() ? w.stem : w.reading;
        add(match(read, false, SIZE_MAX, text, &w), read, w.end);
        for (const Alternative& a : w.alternatives)
            add(match(a.reading, false, SIZE_MAX, text, &w), a.reading, w.end);
        // A name of several words ("판문점 선언", "9월 평양 공동 선언", "고난의 행군"): the words
        // read together, spaces between, are the alias and then particles only. The longest
        // wins its words, as a longer name does within one word.
        std::u32string joined = whole_word(text, w);
        const Alias* best = nullptr;
        std::size_t last = i;
        for (std::size_t j = i + 1; j < words.size() && j <= i + 4; ++j) {
            if (!spaces_between(text, words[j - 1], words[j])) break;
            const std::u32string next = whole_word(text, words[j]);
            if (const Alias* a = across(joined + next, joined.size(), text, w)) {
                best = a;
                last = j;
            }
            joined += next;
        }
        if (best) {
            out.resize(first);  // its words are named by it, and by the names inside it only
            add(best, best->letters, words[last].end);
            i = last;
        }
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
