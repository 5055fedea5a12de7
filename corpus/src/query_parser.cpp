// The query grammar: a tokenizer and a recursive-descent parser into query::Node, reporting
// every mistake with its column. Precedence, loosest first: OR, XOR, AND/NOT, words side by side
// (a run), NEAR/ADJ chains. Filters standing in a run with words are lifted to the group.
#include <algorithm>
#include <cctype>
#include <optional>

#include "panmun/date.hpp"
#include "panmun/query.hpp"
#include "panmun/unicode.hpp"
#include "query_ast.hpp"

namespace panmun {
namespace {

std::size_t column_of(std::string_view s, std::size_t byte) {
    return unicode::chars_before(s, byte) + 1;
}

// Spaces that put a caret under character `column` on a terminal (Hangul takes two cells).
std::string caret_padding(std::string_view query, std::size_t column) {
    std::string pad;
    std::size_t ch = 1;
    for (std::size_t i = 0; i < query.size() && ch < column; ++ch)
        pad.append(static_cast<std::size_t>(std::max(1, unicode::width(unicode::next(query, i)))),
                   ' ');
    return pad;
}

}  // namespace

QueryError::QueryError(const char* kind, std::string_view query, std::size_t column,
                       const std::string& problem)
    : UsageError(std::string(kind) + " at column " + std::to_string(column) + ": " + problem +
                 "\n  " + std::string(query) + "\n  " + caret_padding(query, column) + "^"),
      column_(column) {}

namespace query {
namespace {

// Phrase quotes: ASCII and the typographic pair, as users paste them.
std::size_t quote_at(std::string_view s, std::size_t i) {
    if (i >= s.size()) return 0;
    if (s[i] == '"') return 1;
    if (s.compare(i, 3, "\xE2\x80\x9C") == 0 || s.compare(i, 3, "\xE2\x80\x9D") == 0) return 3;
    return 0;
}

bool space_at(std::string_view s, std::size_t i) {
    return i < s.size() && unicode::is_space(unicode::at(s, i));
}

bool ends_token(std::string_view s, std::size_t i) {
    return i >= s.size() || space_at(s, i) || s[i] == '(' || s[i] == ')' || quote_at(s, i);
}

struct Token {
    enum class Kind { leaf, open, close, and_, or_, xor_, not_, near } kind = Kind::leaf;
    std::size_t at = 0;
    std::string text;  // as typed
    Leaf leaf;         // Kind::leaf
    unsigned window = 10;
    bool ordered = false;  // ADJ
};

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

const std::string date_forms =
    "expected YYYY, YYYY-MM, YYYY-MM-DD, or FROM..TO with either end left out";

class Parser {
public:
    explicit Parser(std::string_view q) : q_(q) { tokenize(); }

    Node parse() {
        if (tokens_.empty()) fail(0, "the query is empty");
        Node n = group();
        if (pos_ < tokens_.size()) {
            const Token& t = tokens_[pos_];
            fail(t.at, t.kind == Token::Kind::close ? "this ')' has no '(' before it"
                                                    : "unexpected '" + t.text + "'");
        }
        return n;
    }

private:
    [[noreturn]] void fail(std::size_t byte, const std::string& problem) const {
        throw QuerySyntaxError(q_, column_of(q_, byte), problem);
    }

    // ---- tokens ----

    void tokenize() {
        for (std::size_t i = 0; i < q_.size();) {
            if (space_at(q_, i)) {
                unicode::next(q_, i);
                continue;
            }
            if (q_[i] == '(' || q_[i] == ')') {
                Token& t = tokens_.emplace_back();
                t.kind = q_[i] == '(' ? Token::Kind::open : Token::Kind::close;
                t.at = i;
                t.text = std::string(1, q_[i]);
                ++i;
                continue;
            }
            i = read_token(i);
        }
    }

    // One word or phrase with its sign and field, or an operator. Returns where it ends.
    std::size_t read_token(std::size_t start) {
        Token t;
        t.at = start;
        std::size_t i = start;
        if (!quote_at(q_, i)) {
            std::size_t end = i;
            while (!ends_token(q_, end)) unicode::next(q_, end);
            std::string word(q_.substr(i, end - i));
            t.text = word;
            if (operator_token(word, t)) {
                tokens_.push_back(std::move(t));
                return end;
            }
        }
        Leaf& leaf = t.leaf;
        leaf.at = start;
        if ((q_[i] == '+' || q_[i] == '-') && (!ends_token(q_, i + 1) || quote_at(q_, i + 1)))
            leaf.sign = q_[i++];
        // A field name: letters, then a colon (Xapian, too, finds one after punctuation: "%date:").
        std::size_t name_at = i;
        while (name_at < q_.size() && !ends_token(q_, name_at) &&
               std::ispunct(static_cast<unsigned char>(q_[name_at])) && q_[name_at] != ':')
            ++name_at;
        std::size_t colon = name_at;
        while (colon < q_.size() &&
               (std::isalpha(static_cast<unsigned char>(q_[colon])) || q_[colon] == '_'))
            ++colon;
        if (colon > name_at && colon < q_.size() && q_[colon] == ':') {
            std::string_view name = q_.substr(name_at, colon - name_at);
            const bool has_value = !ends_token(q_, colon + 1) || quote_at(q_, colon + 1);
            const bool url = q_.compare(colon + 1, 2, "//") == 0;
            if (const schema::QueryField* f = schema::query_field(name)) {
                if (!has_value)
                    fail(name_at, "expected a value after '" + std::string(f->name) +
                                      ":' (no space after the colon)");
                leaf.field = f;
                leaf.at = name_at;
                i = colon + 1;
            } else if (has_value && !url) {
                fail(name_at, "unknown field '" + std::string(name) + ":'" + suggestion(name) +
                                  " (fields: " + schema::query_field_names() +
                                  "; to search the words, put a space after the colon)");
            }
        }
        if (std::size_t open = quote_at(q_, i)) {
            std::size_t close = i + open;
            while (close < q_.size() && !quote_at(q_, close)) ++close;
            if (close == q_.size()) fail(i, "the phrase opened here has no closing '\"'");
            leaf.kind = Leaf::Kind::phrase;
            leaf.value_at = i;
            leaf.text = std::string(q_.substr(i + open, close - i - open));
            i = close + quote_at(q_, close);
        } else {
            std::size_t end = i;
            while (!ends_token(q_, end)) unicode::next(q_, end);
            leaf.value_at = i;
            leaf.text = std::string(q_.substr(i, end - i));
            i = end;
            check_word(leaf);
        }
        if (leaf.field && leaf.field->kind == schema::FieldKind::date) check_date(leaf);
        t.text = std::string(q_.substr(start, i - start));
        tokens_.push_back(std::move(t));
        return i;
    }

    bool operator_token(const std::string& word, Token& t) const {
        const std::string up = upper(word);
        if (up == "AND" || up == "&" || up == "&&")
            t.kind = Token::Kind::and_;
        else if (up == "OR")
            t.kind = Token::Kind::or_;
        else if (up == "XOR")
            t.kind = Token::Kind::xor_;
        else if (up == "NOT")
            t.kind = Token::Kind::not_;
        else if (up == "|" || up == "||")
            fail(t.at, "write OR for either of two words ('" + word + "' is not an operator)");
        else if (up == "!")
            fail(t.at, "write NOT to exclude a word ('!' is not an operator)");
        else {
            for (const char* op : {"NEAR", "ADJ"}) {
                const std::string_view o(op);
                if (up.compare(0, o.size(), o) != 0) continue;
                if (up.size() == o.size()) {
                    t.kind = Token::Kind::near;
                    t.ordered = o == "ADJ";
                    return true;
                }
                if (up[o.size()] != '/') continue;
                const std::string n = up.substr(o.size() + 1);
                if (n.empty() || n.size() > 4 ||
                    !std::all_of(n.begin(), n.end(),
                                 [](unsigned char c) { return std::isdigit(c); }))
                    fail(t.at + o.size() + 1,
                         std::string(op) + "/ takes a number of words, e.g. " + op + "/5");
                t.kind = Token::Kind::near;
                t.ordered = o == "ADJ";
                t.window = static_cast<unsigned>(std::stoul(n));
                if (t.window < 1)
                    fail(t.at + o.size() + 1, std::string(op) + "/0 can match nothing: " + op +
                                                  "/n allows up to "
                                                  "n - 1 words between, so the smallest is " +
                                                  op + "/1 (side by side)");
                return true;
            }
            return false;
        }
        return true;
    }

    // A word's wildcard: only a trailing '*', after at least one letter or digit.
    void check_word(const Leaf& leaf) const {
        const std::string& w = leaf.text;
        const std::size_t star = w.find('*');
        if (star == std::string::npos) return;
        if (star + 1 != w.size())
            fail(leaf.value_at + star, "a wildcard '*' goes at the end of a word (provocat*)");
        bool stem = false;
        for (std::size_t i = 0; i < star && !stem;) {
            const char32_t c = unicode::next(w, i);
            stem = unicode::is_letter(c) || unicode::is_digit(c);
        }
        if (!stem)
            fail(leaf.value_at + star,
                 "a wildcard needs the start of a word before '*' (provocat*)");
    }

    void check_date(const Leaf& leaf) const {
        if (DateRange::parse(leaf.text)) return;
        const std::size_t dots = leaf.text.find("..");
        if (dots != std::string::npos && leaf.text != "..") {
            auto low = DateRange::parse(leaf.text.substr(0, dots) + "..");
            auto high = DateRange::parse(".." + leaf.text.substr(dots + 2));
            if (low && high && dots > 0 && dots + 2 < leaf.text.size())
                fail(leaf.value_at, "'" + leaf.text + "': the range ends before it starts");
        }
        fail(leaf.value_at, "'" + leaf.text + "' is not a date or range: " + date_forms);
    }

    // " (did you mean 'person:'?)" for a misspelt field name.
    static std::string suggestion(std::string_view name) {
        std::string lower(name);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const schema::QueryField& f : schema::query_fields())
            if (unicode::edit_distance(lower, f.name) <= (f.name.size() > 4 ? 2u : 1u))
                return " (did you mean '" + std::string(f.name) + ":'?)";
        return {};
    }

    // ---- grammar ----

    struct Group {
        std::vector<Leaf> filters, excluded;  // lifted from runs that also hold words
    };

    const Token* peek() const { return pos_ < tokens_.size() ? &tokens_[pos_] : nullptr; }
    bool at(Token::Kind k) const { return peek() && peek()->kind == k; }

    // A parenthesised group or the whole query: its filters restrict all of it.
    Node group() {
        Group g;
        Node body = disjunction(g);
        if (g.filters.empty() && g.excluded.empty()) return body;
        Node n;
        n.kind = Node::Kind::filtered;
        n.children.push_back(std::move(body));
        n.filters = std::move(g.filters);
        n.excluded = std::move(g.excluded);
        return n;
    }

    static Node combine(Node::Kind kind, Node a, Node b) {
        Node n;
        n.kind = kind;
        n.children.push_back(std::move(a));
        n.children.push_back(std::move(b));
        return n;
    }

    // Operands joined by `op`, left to right: a OR b OR c.
    Node joined(Group& g, Token::Kind op, Node::Kind kind, Node (Parser::*operand)(Group&)) {
        Node left = (this->*operand)(g);
        while (at(op)) {
            ++pos_;
            left = combine(kind, std::move(left), (this->*operand)(g));
        }
        return left;
    }
    Node disjunction(Group& g) {
        return joined(g, Token::Kind::or_, Node::Kind::or_, &Parser::exclusive_or);
    }
    Node exclusive_or(Group& g) {
        return joined(g, Token::Kind::xor_, Node::Kind::xor_, &Parser::conjunction);
    }

    Node conjunction(Group& g) {
        Node left = run(g);
        for (;;) {
            if (at(Token::Kind::and_)) {
                ++pos_;
                if (at(Token::Kind::not_)) {
                    ++pos_;
                    left = combine(Node::Kind::and_not, std::move(left), run(g));
                } else {
                    left = combine(Node::Kind::and_, std::move(left), run(g));
                }
            } else if (at(Token::Kind::not_)) {
                ++pos_;
                left = combine(Node::Kind::and_not, std::move(left), run(g));
            } else {
                return left;
            }
        }
    }

    // What an operator was missing, for its message.
    [[noreturn]] void expected_operand() const {
        const Token* before = pos_ ? &tokens_[pos_ - 1] : nullptr;
        const Token* here = peek();
        if (!here) fail(before->at, "expected a word or phrase after '" + before->text + "'");
        if (here->kind == Token::Kind::close) {
            if (before && before->kind == Token::Kind::open)
                fail(here->at, "expected a query inside '( )'");
            if (before) fail(here->at, "expected a word or phrase after '" + before->text + "'");
            fail(here->at, "this ')' has no '(' before it");
        }
        if (here->kind == Token::Kind::not_)
            fail(here->at,
                 "NOT excludes from what comes before it: expected a word or phrase before '" +
                     here->text + "' (write 'a NOT b' or 'a -b')");
        fail(here->at, "expected a word or phrase before '" + here->text + "'");
    }

    // Words, phrases, fields and groups side by side: all must match. Filters here restrict the
    // whole group when the run also holds something else; a run of filters alone is an operand.
    Node run(Group& g) {
        std::vector<Node> required, excluded;
        std::vector<Leaf> filters, excluded_filters;
        while (const Token* t = peek()) {
            if (t->kind != Token::Kind::leaf && t->kind != Token::Kind::open) break;
            if (t->kind == Token::Kind::leaf && t->leaf.is_filter()) {
                (t->leaf.sign == '-' ? excluded_filters : filters).push_back(t->leaf);
                ++pos_;
                if (at(Token::Kind::near))
                    fail(peek()->at, "NEAR and ADJ take words and phrases, not fields");
                continue;
            }
            const char sign = t->kind == Token::Kind::leaf ? t->leaf.sign : 0;
            Node item = chain();
            (sign == '-' ? excluded : required).push_back(std::move(item));
        }
        if (required.empty() && excluded.empty() && filters.empty() && excluded_filters.empty())
            expected_operand();
        if (required.empty() && excluded.empty()) {
            Node n;  // filters alone: the documents they select
            n.kind = Node::Kind::filtered;
            n.children.emplace_back();  // Node::Kind::all
            n.filters = std::move(filters);
            n.excluded = std::move(excluded_filters);
            return n;
        }
        g.filters.insert(g.filters.end(), filters.begin(), filters.end());
        g.excluded.insert(g.excluded.end(), excluded_filters.begin(), excluded_filters.end());
        Node n;
        if (required.size() == 1)
            n = std::move(required[0]);
        else if (required.size() > 1) {
            n.kind = Node::Kind::and_;
            n.children = std::move(required);
        }  // else every document, less the excluded
        for (Node& x : excluded) n = combine(Node::Kind::and_not, std::move(n), std::move(x));
        return n;
    }

    // An item, or items joined by NEAR/ADJ.
    Node chain() {
        const Token& first = *peek();
        if (first.kind == Token::Kind::open) {
            ++pos_;
            if (at(Token::Kind::close)) fail(peek()->at, "expected a query inside '( )'");
            Node inner = group();
            if (!at(Token::Kind::close)) fail(first.at, "this '(' is never closed");
            ++pos_;
            if (at(Token::Kind::near))
                fail(peek()->at, "NEAR and ADJ take words and phrases, not groups in '( )'");
            return inner;
        }
        ++pos_;
        if (!at(Token::Kind::near)) {
            Node n;
            n.kind = Node::Kind::leaf;
            n.leaf = first.leaf;
            n.leaf.sign = 0;
            return n;
        }
        Node n;
        n.kind = Node::Kind::near;
        n.near.push_back(first.leaf);
        bool window_set = false;
        while (at(Token::Kind::near)) {
            const Token& op = *peek();
            ++pos_;
            if (!window_set) {
                near_operand(first, &op);
                n.window = op.window;
                n.ordered = op.ordered;
                window_set = true;
            } else if (op.window != n.window || op.ordered != n.ordered) {
                fail(op.at,
                     "'" + op.text +
                         "' differs from the operator before it in this chain: "
                         "one chain has one window (write the same, e.g. a NEAR/5 b NEAR/5 c)");
            }
            const Token* operand = peek();
            if (!operand ||
                (operand->kind != Token::Kind::leaf && operand->kind != Token::Kind::open))
                fail(operand ? operand->at : op.at,
                     "expected a word or phrase after '" + op.text + "'");
            near_operand(*operand, &op);
            n.near.push_back(operand->leaf);
            ++pos_;
        }
        return n;
    }

    void near_operand(const Token& t, const Token* op) const {
        const std::string& name = op->text;
        if (t.kind == Token::Kind::open)
            fail(t.at, "NEAR and ADJ take words and phrases, not groups in '( )'");
        if (t.leaf.field) fail(t.at, "NEAR and ADJ take words and phrases, not fields");
        if (t.leaf.sign) fail(t.at, "NEAR and ADJ take words and phrases without + or -");
        if (unicode::has_ngram(t.leaf.text))
            fail(op->at, "'" + name +
                             "' counts words, and Hangul and Hanja are indexed letter by letter: "
                             "NEAR and ADJ take words of other scripts only (write Korean words "
                             "side by side, or as a phrase)");
    }

    std::string_view q_;
    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
};

}  // namespace

Node parse(std::string_view query) { return Parser(query).parse(); }

}  // namespace query

void check_query_syntax(std::string_view query) { query::parse(query); }

}  // namespace panmun
