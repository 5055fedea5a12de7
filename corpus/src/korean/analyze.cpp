// The words of a Korean text: runs of Hangul or Hanja, their particles, their readings.
#include <algorithm>

#include "korean/hangul.hpp"
#include "korean/hanja.hpp"
#include "panmun/korean.hpp"
#include "panmun/unicode.hpp"

namespace panmun::korean {
namespace {

enum class Script { other, hangul, han };

// Middle dots that join the parts of a pair written as one (한·미, 남ㆍ북). ㆍ (U+318D, the old
// vowel arae-a) is a Hangul letter that Korean text uses as a middle dot.
bool is_middle_dot(char32_t c) {
    return c == 0x00B7 || c == 0x318D || c == 0x2027 || c == 0x30FB || c == 0x2219;
}

Script script_of(char32_t c) {
    if (is_syllable(c)) return Script::hangul;  // the common case, without asking ICU
    if (c < 0x1100 || is_middle_dot(c)) return Script::other;
    if (!unicode::is_ngram(c)) return Script::other;
    return unicode::is_hangul(c) ? Script::hangul : Script::han;
}

// Characters after which a Hangul run may be a particle alone: the end of a quotation or of a
// bracket, a digit, a letter of another script ('감옥'이란, 30년이란, 北이, IAEA가).
bool ends_attachable(char32_t c) {
    return c == '\'' || c == '"' || c == 0x2019 || c == 0x201D || c == ')' || c == ']' ||
           c == 0x300D || c == 0x300F || c == 0x300B || c == 0x3009 || c == 0xFF09 ||
           unicode::is_digit(c) || (unicode::is_letter(c) && !is_middle_dot(c));
}

struct Run {
    std::size_t begin, end;
    std::u32string text;
    Script script;
};

// The readings of a run of Hanja, given what stands around it.
void read_hanja(Word& w, bool after_hangul, bool gloss, const Context& context) {
    const std::u32string& run = w.stem;
    // An abbreviation stands alone, before Hangul, or among other abbreviations (韓美); after
    // Hangul with no space it is a suffix (논의中: 중), and in brackets after Hangul a gloss of the
    // word before it (원(圓)).
    std::vector<std::vector<std::u32string>> words;
    bool all = !after_hangul && !gloss;
    for (std::size_t i = 0; all && i < run.size(); ++i) {
        words.push_back(hanja::abbreviations(run[i], context));
        all = !words.back().empty();
    }
    if (all && run.size() == 1) {
        w.reading = words[0][0];
        for (std::size_t k = 1; k < words[0].size(); ++k)
            w.alternatives.push_back({0, words[0][k]});
        return;
    }
    w.reading = hanja::word_reading(run);
    if (all)
        for (std::size_t i = 0; i < run.size(); ++i)
            for (const std::u32string& a : words[i]) w.alternatives.push_back({i, a});
    if (run.size() == 1) {  // a character of two readings: both (金: 금, 김)
        const std::vector<char32_t> r = hanja::char_readings(run[0]);
        for (std::size_t k = 1; k < r.size(); ++k)
            w.alternatives.push_back({0, south_spelling(std::u32string(1, r[k]))});
    }
    if (!w.reading.empty()) w.reading = south_spelling(w.reading);
}

}  // namespace

bool is_korean_letter(char32_t c) { return script_of(c) != Script::other; }

bool has_korean(std::string_view text) { return unicode::has_ngram(text); }

std::string utf8(std::u32string_view s) {
    std::string out;
    for (char32_t c : s) unicode::append(out, c);
    return out;
}

std::vector<Word> analyze(std::string_view text, const Context& context) {
    std::vector<Word> out;
    if (!has_korean(text)) return out;
    char32_t before = 0, before_that = 0;  // the two characters before the current position
    bool dotted = false;  // since the previous run: a middle dot, and nothing else but spaces
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t at = i;
        const char32_t c = unicode::next(text, i);
        const Script s = script_of(c);
        if (s == Script::other) {
            if (is_middle_dot(c))
                dotted = true;
            else if (!(c == ' ' || c == 0x3000 || c == 0xA0))
                dotted = false;
            before_that = before;
            before = c;
            continue;
        }
        Run run{at, i, std::u32string(1, c), s};
        while (run.end < text.size()) {
            std::size_t next = run.end;
            const char32_t d = unicode::next(text, next);
            if (script_of(d) != s) break;
            run.text += d;
            run.end = next;
        }
        Word w;
        w.begin = run.begin;
        w.end = run.end;
        const Word* previous = out.empty() ? nullptr : &out.back();
        w.joined =
            previous && previous->stem_end == previous->end && !previous->stem.empty() && dotted;
        if (s == Script::hangul) {
            // A straight quotation mark closes a quotation when it follows something other than
            // a space ('감옥'이란); before a word it opens one.
            const bool attached = before != 0 && ends_attachable(before) &&
                                  !((before == '\'' || before == '"') &&
                                    (before_that == 0 || unicode::is_space(before_that)));
            const std::size_t n = stem_length(run.text, attached);
            w.stem = run.text.substr(0, n);
            w.stem_end = run.begin;
            for (std::size_t k = 0; k < n; ++k) unicode::next(text, w.stem_end);
            w.reading = south_spelling(w.stem);
        } else {
            w.hanja = true;
            w.stem = run.text;
            w.stem_end = run.end;
            const bool after_hangul = before != 0 && script_of(before) == Script::hangul;
            const bool gloss = (before == '(' || before == 0xFF08) && before_that != 0 &&
                               script_of(before_that) == Script::hangul;
            read_hanja(w, after_hangul, gloss, context);
        }
        if (w.stem.empty()) w.joined = false;
        out.push_back(std::move(w));
        before_that = run.text.size() > 1 ? run.text[run.text.size() - 2] : before;
        before = run.text.back();
        i = run.end;
        dotted = false;
    }
    return out;
}

}  // namespace panmun::korean
