// The query language's grammar, checked before Xapian sees a query. Xapian's parser never
// fails on a mistake such as an unclosed quote or a dangling AND: it quietly reparses the text
// as plain words, and the user gets a different query from the one they typed. panmun reports
// the mistake instead, with its position and what was expected.
#pragma once

#include <string_view>

#include "panmun/errors.hpp"

namespace panmun {

// A query that breaks the grammar of docs/QUERY.md. what() reads
//   query syntax error at column 9: ... expected ...
// followed by the query and a caret under the column.
class QuerySyntaxError : public UsageError {
public:
    QuerySyntaxError(std::string_view query, std::size_t column, const std::string& problem);
    std::size_t column() const { return column_; }  // 1-based, in characters

private:
    std::size_t column_;
};

// Throws QuerySyntaxError for: an empty query; an unclosed "phrase"; unbalanced parentheses;
// AND, OR, XOR, NEAR, ADJ without a word or phrase on each side; NOT without one after it, or
// at the start of the query or a group; a field (title:, source:, lang:, id:, date:, person:,
// org:, place:) with
// nothing after it; a date: value that is not a date or a range of dates.
void check_query_syntax(std::string_view query);

}  // namespace panmun
