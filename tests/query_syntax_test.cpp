#include "panmun/query_syntax.hpp"

#include <gtest/gtest.h>

using namespace panmun;

namespace {

// The column and message of the syntax error in `query`, or {0, ""} if it is accepted.
std::pair<std::size_t, std::string> error_of(const std::string& query) {
    try {
        check_query_syntax(query);
    } catch (const QuerySyntaxError& e) {
        return {e.column(), e.what()};
    }
    return {0, ""};
}

}  // namespace

TEST(QuerySyntax, AcceptsTheDocumentedLanguage) {
    for (const char* ok :
         {"hotline", "hotline restored", "\"military hotline\"", "hotline OR \"liaison line\"",
          "Kaesong NOT tourism", "Kaesong -tourism", "Kaesong AND NOT tourism",
          "summit NEAR Panmunjom", "summit NEAR/5 Panmunjom", "summit ADJ/3 Panmunjom",
          "provocat*", "title:reopens", "source:KCNA", "source:\"Peninsula Desk\"", "lang:ko",
          "id:sample-1", "date:2018", "date:2018-04..", "date:..2019-06-30",
          "date:2020-06-01..2020-06-30 hotline", "(hotline OR \"liaison line\") AND cut",
          "((a OR b) AND (c OR d))", "김정은", "“Kim Jong Un”", "Kim Jong-un's", "+hotline cut",
          "Note: the hotline", "a XOR b", "hotline and cut", "date:\"2018\"", "update:\"x y\""})
        EXPECT_EQ(error_of(ok).first, 0u) << ok << ": " << error_of(ok).second;
}

TEST(QuerySyntax, ReportsTheColumnAndWhatWasExpected) {
    struct Case {
        const char* query;
        std::size_t column;
        const char* says;
    };
    const Case cases[] = {
        {"", 1, "empty"},
        {"   ", 1, "empty"},
        {"\"Kim Jong", 1, "no closing"},
        {"hotline \"liaison office", 9, "no closing"},
        {"hotline AND", 9, "after 'AND'"},
        {"AND hotline", 1, "before 'AND'"},
        {"hotline OR OR cut", 12, "before 'OR'"},
        {"NOT hotline", 1, "NOT excludes"},
        {"(hotline OR cut", 1, "never closed"},
        {"hotline) cut", 8, "no '('"},
        {"hotline ()", 10, "inside '( )'"},
        {"(hotline OR) cut", 12, "after 'OR'"},
        {"title: hotline", 1, "value after 'title:'"},
        {"date:2018-13", 6, "not a date"},
        {"hotline date:2019..2018", 14, "not a date"},
        {"김정은 AND", 5, "after 'AND'"},  // columns count characters, not bytes
        {"김정은 NEAR 판문점", 5, "takes English words"},
        {"hotline +date:2018-13", 15, "not a date"},   // a field after a sign
        {"hotline NOT %date:x", 19, "not a date"},     // or after punctuation (found by fuzz_query)
        {"-title:", 2, "value after 'title:'"},
        {"date:\"spring\"", 6, "not a date"},
        {"summit ADJ/3 판문점", 8, "takes English words"},
    };
    for (const Case& c : cases) {
        auto [column, message] = error_of(c.query);
        EXPECT_EQ(column, c.column) << c.query << ": " << message;
        EXPECT_NE(message.find(c.says), std::string::npos) << c.query << ": " << message;
        EXPECT_NE(message.find(c.query), std::string::npos) << "the query is quoted back";
    }
}
