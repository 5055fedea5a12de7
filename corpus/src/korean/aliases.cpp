#include "korean/aliases.hpp"

#include <algorithm>

#include "panmun/unicode.hpp"

namespace panmun::korean {

void Aliases::add(std::string_view alias, std::size_t entity) {
    std::u32string letters;
    bool hangul = false;
    for (std::size_t i = 0; i < alias.size();) {
        const char32_t c = unicode::next(alias, i);
        if (!is_korean_letter(c)) continue;  // spaces and dots between the parts of a name
        hangul = hangul || unicode::is_hangul(c);
        letters += c;
    }
    if (letters.empty()) return;
    if (hangul) letters = south_spelling(letters);
    by_letter_[letters[0]].push_back({letters, std::string(alias), entity});
}

void Aliases::finish() {
    for (auto& [c, list] : by_letter_)  // longest first: 개성공단 before 개성
        std::stable_sort(list.begin(), list.end(), [](const Alias& a, const Alias& b) {
            return a.letters.size() > b.letters.size();
        });
}

void Aliases::match(std::u32string_view word, bool whole_hanja, std::vector<char>& found) const {
    if (word.empty()) return;
    const auto it = by_letter_.find(word[0]);
    if (it == by_letter_.end()) return;
    for (const Alias& a : it->second) {
        if (word.substr(0, a.letters.size()) != a.letters) continue;
        if (whole_hanja && a.letters.size() == 1 && word.size() != 1) continue;
        found[a.entity] = 1;
        return;  // the longest alias that matches
    }
}

void Aliases::tag(std::string_view text, const Context& context, std::vector<char>& found) const {
    if (by_letter_.empty()) return;
    for (const Word& w : analyze(text, context)) {
        if (w.hanja) match(w.stem, true, found);
        match(w.reading.empty() ? w.stem : w.reading, false, found);
        for (const Alternative& a : w.alternatives) match(a.reading, false, found);
    }
}

std::vector<std::size_t> Aliases::named(std::string_view name) const {
    std::vector<std::size_t> out;
    for (const auto& [c, list] : by_letter_)
        for (const Alias& a : list)
            if (a.written == name) out.push_back(a.entity);
    return out;
}

}  // namespace panmun::korean
