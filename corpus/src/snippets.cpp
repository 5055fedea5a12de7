// Snippets: Korean passages chosen and marked by the Korean analysis; every snippet split into
// its text and marks.
#include "snippets.hpp"

#include <algorithm>

#include "panmun/schema.hpp"
#include "panmun/unicode.hpp"

namespace panmun {
namespace {

// The nearest byte at or before `at` where a character starts, and then back to a space if one
// lies within `slack` bytes (a passage starts and ends at whole words).
std::size_t word_boundary(std::string_view text, std::size_t at, std::size_t slack, bool back) {
    at = std::min(at, text.size());
    while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80)
        --at;
    for (std::size_t k = 0; k < slack; ++k) {
        const std::size_t p = back ? at - std::min(at, k) : at + k;
        if (p == 0 || p >= text.size()) return back ? p : text.size();
        if (text[p] == ' ' || text[p] == '\n') return back ? p + 1 : p;
    }
    return at;
}

}  // namespace

std::string korean_snippet(const Document& doc, const std::vector<korean::Target>& targets,
                           std::size_t bytes) {
    if (targets.empty()) return {};
    korean::Context context;
    if (doc.date.is_set()) context.date = doc.date;
    const std::string_view text = doc.text;
    const auto spans = korean::find(text, targets, context);
    if (spans.empty()) return {};
    // The window of `bytes` that starts a fifth of its length before a marked word and holds
    // the most marked words.
    std::size_t best = 0, best_count = 0;
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const std::size_t from = spans[i].first - std::min(spans[i].first, bytes / 5);
        std::size_t count = 0;
        for (std::size_t j = i; j < spans.size() && spans[j].second <= from + bytes; ++j) ++count;
        if (count > best_count) best = i, best_count = count;
    }
    std::size_t from = spans[best].first - std::min(spans[best].first, bytes / 5);
    from = word_boundary(text, from, 24, true);
    std::size_t to = word_boundary(text, from + bytes, 24, true);
    if (to <= spans[best].second) to = spans[best].second;
    std::string out = from > 0 ? "…" : "";
    std::size_t at = from;
    for (const auto& [b, e] : spans) {
        if (b < from || e > to) continue;
        out.append(text, at, b - at);
        out += mark_open;
        out.append(text, b, e - b);
        out += mark_close;
        at = e;
    }
    out.append(text, at, to - at);
    if (to < text.size()) out += "…";
    return out;
}

// Splits a snippet made with the internal markers into the plain text and its marked spans,
// merging spans that touch: Xapian marks each n-gram of Hangul separately ("김여", "여정"). The
// zero width spaces of schema::snippet_text() go, and every run of white space (a line break of
// hard-wrapped wire copy) becomes one space: a snippet is one line of text.
void split_marks(const std::string& marked, Hit& hit, const Highlight& marks) {
    hit.plain_snippet.clear();
    hit.highlights.clear();
    bool space = false;
    for (std::size_t i = 0; i < marked.size(); ++i) {
        const char c = marked[i];
        if (c == mark_open) {
            std::size_t at = hit.plain_snippet.size() + (space ? 1 : 0);
            if (space) hit.plain_snippet += ' ', space = false;
            if (!hit.highlights.empty() && hit.highlights.back().end == at)
                continue;  // extends the previous span
            hit.highlights.push_back({at, at});
        } else if (c == mark_close) {
            if (!hit.highlights.empty()) hit.highlights.back().end = hit.plain_snippet.size();
        } else if (marked.compare(i, schema::zero_width_space.size(), schema::zero_width_space) ==
                   0) {
            i += schema::zero_width_space.size() - 1;
        } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = !hit.plain_snippet.empty();
        } else {
            if (space) hit.plain_snippet += ' ', space = false;
            hit.plain_snippet += c;
        }
    }
    hit.snippet.clear();
    std::size_t from = 0;
    for (const Span& s : hit.highlights) {
        hit.snippet.append(hit.plain_snippet, from, s.begin - from);
        hit.snippet += marks.start;
        hit.snippet.append(hit.plain_snippet, s.begin, s.end - s.begin);
        hit.snippet += marks.end;
        from = s.end;
    }
    hit.snippet.append(hit.plain_snippet, from);
}

}  // namespace panmun
