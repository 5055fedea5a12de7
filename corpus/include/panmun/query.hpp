// The query language of docs/QUERY.md: its grammar, the errors it reports, and the Xapian query
// a text becomes. panmun parses queries itself rather than handing them to Xapian's parser,
// which never fails on a mistake (an unclosed quote, a dangling AND, an unknown field: it
// quietly rereads the text as plain words) and binds a filter such as date:2012 to its
// neighbouring word instead of the whole query. Xapian's parser still reads each word and
// phrase, so that words are stemmed and split exactly as the indexer split them.
#pragma once

#include <xapian.h>

#include <functional>
#include <string>
#include <string_view>

#include "panmun/entities.hpp"
#include "panmun/errors.hpp"
#include "panmun/schema.hpp"

namespace panmun {

// A query that cannot be run as written. what() reads
//   query error at column 9: ... (or "query syntax error at ...")
// followed by the query and a caret under the column.
class QueryError : public UsageError {
public:
    QueryError(std::string_view query, std::size_t column, const std::string& problem)
        : QueryError("query error", query, column, problem) {}
    std::size_t column() const { return column_; }  // 1-based, in characters

protected:
    QueryError(const char* kind, std::string_view query, std::size_t column,
               const std::string& problem);

private:
    std::size_t column_;
};

// A query that breaks the grammar: an unclosed quote or parenthesis, an operator without its
// operands, an unknown field, a value that is not a date.
class QuerySyntaxError : public QueryError {
public:
    QuerySyntaxError(std::string_view query, std::size_t column, const std::string& problem)
        : QueryError("query syntax error", query, column, problem) {}
};

// Throws QuerySyntaxError if `query` breaks the grammar; does nothing else.
void check_query_syntax(std::string_view query);

// The Xapian query for `query` over `db`, whose entity names are resolved with the gazetteer
// `gazetteer` returns (called only when the query names an entity: loading one costs
// milliseconds that a query without entities should not pay).
// Throws QuerySyntaxError, or QueryError for a query that is well formed but names what cannot
// be found: an entity no gazetteer entry has (with the closest names), a wildcard matching too
// many words. Filters (date:, lang:, source:, id:, person: ...) restrict the whole group they
// stand in; NEAR and ADJ take words and phrases and are checked position by position.
using GazetteerSource = std::function<const Gazetteer&()>;
Xapian::Query build_query(std::string_view query, const Xapian::Database& db,
                          const GazetteerSource& gazetteer);

// The Korean words `query` asks for (not those it excludes), for marking them in snippets.
std::vector<korean::Target> korean_targets(std::string_view query);

// Most different words one wildcard may stand for ("k*" on a large archive): more is an error
// asking for a longer prefix, so that a query never silently leaves words out.
inline constexpr unsigned max_wildcard_words = schema::max_wildcard_words;

}  // namespace panmun
