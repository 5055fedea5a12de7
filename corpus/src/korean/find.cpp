// Finding a query's Korean words in a text, for snippets and their highlights: whole words are
// marked (남북연락사무소 for 연락), not the letters that matched.
#include <algorithm>

#include "panmun/korean.hpp"

namespace panmun::korean {

std::vector<Target> targets(std::string_view words, bool exact) {
    Context query;
    query.query = true;
    std::vector<Target> out;
    const std::vector<Word> ws = analyze(words, query);
    for (std::size_t i = 0; i < ws.size();) {
        std::u32string surface, reading;
        std::size_t j = i;
        do {  // words joined by middle dots are one
            surface += ws[j].stem;
            reading += ws[j].reading.empty() ? ws[j].stem : ws[j].reading;
        } while (++j < ws.size() && ws[j].joined);
        if (!surface.empty()) {
            out.push_back({exact ? surface : reading, exact});
            if (!exact && reading != surface) out.push_back({surface, true});
            if (!exact && j == i + 1)
                for (const Alternative& a : ws[i].alternatives)
                    if (a.offset == 0) out.push_back({a.reading, false});
        }
        i = j;
    }
    return out;
}

std::vector<std::pair<std::size_t, std::size_t>> find(std::string_view text,
                                                      const std::vector<Target>& targets,
                                                      const Context& context) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    if (targets.empty()) return out;
    const std::vector<Word> ws = analyze(text, context);
    // A word's letters as read, as written, and in its other readings.
    auto forms = [](const Word& w) {
        std::vector<std::pair<std::u32string_view, bool>> f{{w.stem, true}};
        if (!w.reading.empty()) f.emplace_back(w.reading, false);
        for (const Alternative& a : w.alternatives) f.emplace_back(a.reading, false);
        return f;
    };
    auto holds = [&](std::u32string_view letters, bool written, const Target& t) {
        return (written || !t.exact) && letters.find(t.letters) != std::u32string_view::npos;
    };
    std::vector<char> marked(ws.size(), 0);
    for (std::size_t i = 0; i < ws.size(); ++i) {
        if (ws[i].stem.empty()) continue;
        for (const Target& t : targets) {
            bool found = false;
            for (const auto& [letters, written] : forms(ws[i]))
                found = found || holds(letters, written, t);
            if (found) {
                marked[i] = 1;
                break;
            }
            // Two words written apart, the target across the space between them: 정상 + 회담.
            if (i + 1 < ws.size() && !ws[i + 1].stem.empty() && ws[i].stem_end == ws[i].end) {
                const std::u32string written = ws[i].stem + ws[i + 1].stem;
                const std::u32string read =
                    (ws[i].reading.empty() ? ws[i].stem : ws[i].reading) +
                    (ws[i + 1].reading.empty() ? ws[i + 1].stem : ws[i + 1].reading);
                const std::size_t first = ws[i].stem.size();
                auto across = [&](const std::u32string& s, std::size_t boundary) {
                    for (std::size_t at = s.find(t.letters); at != std::u32string::npos;
                         at = s.find(t.letters, at + 1))
                        if (at < boundary && at + t.letters.size() > boundary) return true;
                    return false;
                };
                if (across(written, first) ||
                    (!t.exact &&
                     across(read, ws[i].reading.empty() ? first : ws[i].reading.size()))) {
                    marked[i] = marked[i + 1] = 1;
                    break;
                }
            }
        }
    }
    for (std::size_t i = 0; i < ws.size(); ++i) {
        if (!marked[i]) continue;
        std::size_t end = ws[i].stem_end;
        // A last letter that may be a particle, when the target is found without it.
        const Word& w = ws[i];
        if (!w.hanja && end == w.end && shown_length(w.stem) < w.stem.size()) {
            const std::u32string_view shorter =
                std::u32string_view(w.stem).substr(0, w.stem.size() - 1);
            const std::u32string shorter_read = south_spelling(shorter);
            const bool still = std::any_of(targets.begin(), targets.end(), [&](const Target& t) {
                return shorter.find(t.letters) != std::u32string_view::npos ||
                       (!t.exact && shorter_read.find(t.letters) != std::u32string::npos);
            });
            if (still) end -= std::string_view("가").size();  // one Hangul syllable: 3 bytes
        }
        out.emplace_back(w.begin, end);
    }
    return out;
}

}  // namespace panmun::korean
