// check_query_syntax(): a small tokenizer and a one-pass check of the operator grammar.
#include "panmun/query_syntax.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "panmun/date.hpp"
#include "panmun/schema.hpp"

namespace panmun {
namespace {

std::size_t column_of(std::string_view s, std::size_t byte) {
    std::size_t col = 1;
    for (std::size_t i = 0; i < byte && i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++col;
    return col;
}

std::string upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

// Phrase quotes: ASCII and the typographic pair, as Xapian accepts both.
std::size_t quote_at(std::string_view s, std::size_t i) {
    if (s[i] == '"') return 1;
    if (s.compare(i, 3, "\xE2\x80\x9C") == 0 || s.compare(i, 3, "\xE2\x80\x9D") == 0) return 3;
    return 0;
}

enum class Kind { word, phrase, open, close, binary, not_op };

struct Token {
    Kind kind;
    std::size_t at;     // byte offset
    std::string text;   // as typed
};

bool is_word_char(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return std::isalnum(u) || u >= 0x80 || c == '_';
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// NEAR and ADJ take an optional window: NEAR/5.
bool is_binary(const std::string& up) {
    if (up == "AND" || up == "OR" || up == "XOR") return true;
    for (const char* op : {"NEAR", "ADJ"}) {
        std::string_view o(op);
        if (up == o) return true;
        if (up.size() > o.size() + 1 && up.compare(0, o.size(), o) == 0 && up[o.size()] == '/' &&
            std::all_of(up.begin() + o.size() + 1, up.end(),
                        [](unsigned char c) { return std::isdigit(c); }))
            return true;
    }
    return false;
}

constexpr std::string_view fields[] = {"title", "source", "lang", "id",    "date",
                                       "person", "org",   "place", "event"};

// Spaces that put a caret under character `column` on a terminal, where Hangul and Chinese
// characters take two cells.
std::string caret_padding(std::string_view query, std::size_t column) {
    std::string pad;
    std::size_t ch = 1;
    for (std::size_t i = 0; i < query.size() && ch < column; ++i) {
        unsigned char c = static_cast<unsigned char>(query[i]);
        if ((c & 0xC0) == 0x80) continue;
        pad += c >= 0xE3 && c <= 0xED ? "  " : " ";
        ++ch;
    }
    return pad;
}

}  // namespace

QuerySyntaxError::QuerySyntaxError(std::string_view query, std::size_t column,
                                   const std::string& problem)
    : UsageError("query syntax error at column " + std::to_string(column) + ": " + problem +
                 "\n  " + std::string(query) + "\n  " + caret_padding(query, column) + "^"),
      column_(column) {}

void check_query_syntax(std::string_view q) {
    auto fail = [&](std::size_t byte, const std::string& problem) {
        throw QuerySyntaxError(q, column_of(q, byte), problem);
    };
    std::vector<Token> tokens;
    for (std::size_t i = 0; i < q.size();) {
        if (is_space(q[i])) {
            ++i;
            continue;
        }
        if (q[i] == '(' || q[i] == ')') {
            tokens.push_back({q[i] == '(' ? Kind::open : Kind::close, i, std::string(1, q[i])});
            ++i;
            continue;
        }
        const std::size_t start = i;
        // A word, possibly with a field prefix, a +/- sign, and a phrase as its value.
        while (i < q.size() && !is_space(q[i]) && q[i] != '(' && q[i] != ')' && !quote_at(q, i))
            ++i;
        if (i < q.size() && quote_at(q, i)) {
            const std::size_t open = i;
            i += quote_at(q, i);
            while (i < q.size() && !quote_at(q, i)) ++i;
            if (i == q.size()) fail(open, "the phrase opened here has no closing '\"'");
            const std::string_view lead = q.substr(start, open - start), inner =
                q.substr(open + quote_at(q, open), i - open - quote_at(q, open));
            if (lead.size() >= 5 && lead.substr(lead.size() - 5) == "date:" &&
                (lead.size() == 5 || !is_word_char(lead[lead.size() - 6])) && !DateRange::parse(inner))
                fail(open, "'" + std::string(inner) + "' is not a date or range: expected YYYY, "
                           "YYYY-MM, YYYY-MM-DD, or FROM..TO with either end left out");
            i += quote_at(q, i);
            tokens.push_back({Kind::phrase, start, std::string(q.substr(start, i - start))});
            continue;
        }
        std::string text(q.substr(start, i - start));
        std::string up = upper(text);
        Kind kind = is_binary(up) ? Kind::binary : up == "NOT" ? Kind::not_op : Kind::word;
        if (kind == Kind::word) {
            // Xapian sees a field wherever a word starts, also after punctuation ("+date:",
            // "%date:"), and its value runs to the end of the token.
            for (std::size_t p = 0; p < text.size(); ++p) {
                if (p > 0 && is_word_char(text[p - 1])) continue;
                auto field = std::find_if(std::begin(fields), std::end(fields), [&](std::string_view f) {
                    return text.compare(p, f.size(), f) == 0 && p + f.size() < text.size() &&
                           text[p + f.size()] == ':';
                });
                if (field == std::end(fields)) continue;
                const std::size_t value_at = p + field->size() + 1;
                const std::string value = text.substr(value_at);
                if (value.empty())
                    fail(start + p, "expected a value after '" + std::string(*field) +
                                        ":' (no space after the colon)");
                if (*field == "date" && !DateRange::parse(value))
                    fail(start + value_at,
                         "'" + value + "' is not a date or range: expected YYYY, YYYY-MM, "
                         "YYYY-MM-DD, or FROM..TO with either end left out");
                break;
            }
        }
        tokens.push_back({kind, start, std::move(text)});
    }
    if (tokens.empty()) fail(0, "the query is empty");

    std::vector<std::size_t> groups;  // byte offsets of the open parentheses
    const Token* previous = nullptr;
    auto is_operand_end = [&] {
        return previous && (previous->kind == Kind::word || previous->kind == Kind::phrase ||
                            previous->kind == Kind::close);
    };
    for (const Token& t : tokens) {
        switch (t.kind) {
            case Kind::word:
            case Kind::phrase:
            case Kind::open:
                if (t.kind == Kind::open) groups.push_back(t.at);
                break;
            case Kind::close:
                if (groups.empty()) fail(t.at, "this ')' has no '(' before it");
                if (previous->kind == Kind::open) fail(t.at, "expected a query inside '( )'");
                if (!is_operand_end())
                    fail(t.at, "expected a word or phrase after '" + previous->text + "'");
                groups.pop_back();
                break;
            case Kind::binary:
                if (!is_operand_end())
                    fail(t.at, "expected a word or phrase before '" + t.text + "'");
                if ((upper(t.text).rfind("NEAR", 0) == 0 || upper(t.text).rfind("ADJ", 0) == 0) &&
                    (schema::has_ngram_text(previous->text) ||
                     (&t + 1 != tokens.data() + tokens.size() && schema::has_ngram_text((&t + 1)->text))))
                    fail(t.at, "'" + t.text + "' takes English words: Hangul and Chinese are "
                               "indexed as n-grams, which NEAR and ADJ cannot use (write the "
                               "words side by side, or as a phrase)");
                break;
            case Kind::not_op:
                if (!is_operand_end() && !(previous && upper(previous->text) == "AND"))
                    fail(t.at, "NOT excludes from what comes before it: expected a word or phrase "
                               "before '" + t.text + "' (write 'a NOT b' or 'a -b')");
                break;
        }
        previous = &t;
    }
    if (!is_operand_end())
        fail(previous->at, "expected a word or phrase after '" + previous->text + "'");
    if (!groups.empty()) fail(groups.back(), "this '(' is never closed");
}

}  // namespace panmun
