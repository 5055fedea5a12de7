// The parsed form of a query (internal): what query_parser.cpp reads from the text and
// query_builder.cpp turns into a Xapian::Query. docs/QUERY.md states the grammar.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "panmun/schema.hpp"

namespace panmun::query {

// A word, a "phrase", or a field with its value (title:word, date:2018, person:"Kim Jong Un").
struct Leaf {
    enum class Kind { word, phrase } kind = Kind::word;
    const schema::QueryField* field = nullptr;  // null: the text of the articles
    std::string text;          // the word, or the phrase without its quotes, or the field's value
    std::size_t at = 0;        // byte offset of the leaf (its field name, if any) in the query
    std::size_t value_at = 0;  // byte offset of the value (after "field:" and an opening quote)
    char sign = 0;             // '+', '-' or 0

    bool is_filter() const { return field && field->kind != schema::FieldKind::text; }
};

struct Node {
    enum class Kind {
        leaf,      // leaf
        all,       // every document (a run of filters or of exclusions only)
        and_,      // children, all of them
        or_,       // children, any
        xor_,      // children, an odd number of them
        and_not,   // children[0] without children[1]
        near,      // the leaves of `near` within `window`, in order if `ordered`
        filtered,  // children[0] restricted by `filters` and without `excluded`
    } kind = Kind::all;
    Leaf leaf;
    std::vector<Node> children;
    std::vector<Leaf> near;  // operands of a NEAR/ADJ chain
    unsigned window = 10;
    bool ordered = false;
    std::vector<Leaf> filters, excluded;  // of a filtered node
};

// Parses `query` into its tree. Throws QuerySyntaxError with the column and what was expected.
Node parse(std::string_view query);

}  // namespace panmun::query
