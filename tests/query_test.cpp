#include "panmun/query.hpp"

#include <gtest/gtest.h>

#include <set>

#include "near.hpp"
#include "panmun/schema.hpp"

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
    for (const char* ok : {"hotline",
                           "hotline restored",
                           "\"military hotline\"",
                           "hotline OR \"liaison line\"",
                           "Kaesong NOT tourism",
                           "Kaesong -tourism",
                           "Kaesong AND NOT tourism",
                           "summit NEAR Panmunjom",
                           "summit NEAR/5 Panmunjom",
                           "summit ADJ/3 Panmunjom",
                           "provocat*",
                           "title:reopens",
                           "source:KCNA",
                           "source:\"Peninsula Desk\"",
                           "lang:ko",
                           "id:sample-1",
                           "date:2018",
                           "date:2018-04..",
                           "date:..2019-06-30",
                           "date:2020-06-01..2020-06-30 hotline",
                           "(hotline OR \"liaison line\") AND cut",
                           "((a OR b) AND (c OR d))",
                           "김정은",
                           "“Kim Jong Un”",
                           "Kim Jong-un's",
                           "+hotline cut",
                           "Note: the hotline",
                           "a XOR b",
                           "hotline and cut",
                           "date:\"2018\"",
                           "Note:",
                           "http://example.com/a",
                           "10:30",
                           "a NEAR/1 b",
                           "\"Lee Myung-bak\" NEAR/5 traitor",
                           "provocat* NEAR puppet",
                           "a ADJ/2 \"b c\" ADJ/2 d",
                           "(Kaesong NOT Hyundai) date:2012",
                           "lang:en",
                           "-lang:es Kaesong",
                           "Kaesong OR lang:es",
                           "DATE:2012 kaesong",
                           "a && b",
                           "k*"})
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
        {"hotline date:2019..2018", 14, "ends before it starts"},
        {"김정은 AND", 5, "after 'AND'"},  // columns count characters, not bytes
        {"김정은 NEAR 판문점", 5, "take words of other scripts only"},
        {"hotline +date:2018-13", 15, "not a date"},  // a field after a sign
        {"hotline NOT %date:x", 19, "not a date"},    // or after punctuation (found by fuzz_query)
        {"-title:", 2, "value after 'title:'"},
        {"date:\"spring\"", 6, "not a date"},
        {"summit ADJ/3 판문점", 8, "take words of other scripts only"},
        // Forms that Xapian's own parser reads as something else, silently (issue 18).
        {"persn:kim", 1, "did you mean 'person:'"},
        {"foo:bar", 1, "unknown field 'foo:'"},
        {"update:\"x y\"", 1, "unknown field 'update:'"},
        {"hotline Title:x extra:y", 17, "unknown field 'extra:'"},
        {"*", 1, "start of a word before '*'"},
        {"hotline -*", 10, "start of a word before '*'"},
        {"a*b", 2, "at the end of a word"},
        {"a NEAR/0 b", 8, "NEAR/0 can match nothing"},
        {"a ADJ/0 b", 7, "ADJ/0 can match nothing"},
        {"a NEAR/x b", 8, "takes a number"},
        {"a NEAR/5 b NEAR/3 c", 12, "one window"},
        {"a NEAR (b OR c)", 8, "not groups"},
        {"(a OR b) NEAR c", 10, "not groups"},
        {"a NEAR title:b", 8, "not fields"},
        {"date:2012 NEAR b", 11, "not fields"},
        {"a NEAR -b", 8, "without + or -"},
        {"a NEAR", 3, "after 'NEAR'"},
        {"a | b", 3, "write OR"},
        {"! b", 1, "write NOT"},
        {"a OR NOT b", 6, "NOT excludes"},
        {"(a) (", 5, "after '('"},
        {"date:2012..2011", 6, "ends before it starts"},
        {"date:12", 6, "not a date"},
        {"date:2012-02-30", 6, "not a date"},
        {"title:", 1, "value after 'title:'"},
    };
    for (const Case& c : cases) {
        auto [column, message] = error_of(c.query);
        EXPECT_EQ(column, c.column) << c.query << ": " << message;
        EXPECT_NE(message.find(c.says), std::string::npos) << c.query << ": " << message;
        EXPECT_NE(message.find(c.query), std::string::npos) << "the query is quoted back";
    }
}

namespace {

// A small archive index in memory: each document a line of words, with a date and language.
class QuerySemantics : public ::testing::Test {
protected:
    void SetUp() override {
        db_.set_metadata(schema::meta_version, std::to_string(schema::version));  // as build's
        add("a", "Kaesong zone reopens", "2012-03-01", "en",
            "Kaesong talks with Hyundai Asan ended.");
        add("b", "Kaesong workers", "2011-05-02", "en", "Workers returned to the Kaesong zone.");
        add("c", "Hyundai chairman", "2012-07-09", "en", "The Hyundai chairman visited Pyongyang.");
        add("d", "Zona de Kaesong", "2012-08-10", "es", "La zona de Kaesong y Hyundai.");
        add("e", "Puppet group", "2012-01-05", "en",
            "Lee Myung-bak, the traitor, and the puppet group's warmongers met in Seoul.");
        add("f", "Traitor named", "2011-02-03", "en",
            "The traitor went to Seoul. Weeks later Lee Myung-bak spoke about peace and about "
            "nothing else.");
    }
    void add(const char* id, const char* title, const char* date, const char* lang,
             const char* text) {
        Document d;
        d.id = id;
        d.title = title;
        d.date = *Date::parse_iso(date);
        d.lang = lang;
        d.source = lang == std::string("es") ? "Spanish Desk" : "KCNA";
        d.text = text;
        db_.add_document(schema::make_document(d, {}));
    }
    // The ids a query matches, in id order ("a c d").
    std::string ids(const std::string& q) {
        Xapian::Enquire e(db_);
        e.set_query(build_query(q, db_, Gazetteer::builtin));
        std::set<std::string> out;
        Xapian::MSet m = e.get_mset(0, 100);
        for (auto it = m.begin(); it != m.end(); ++it) out.insert(it.get_document().get_data());
        std::string s;
        for (const auto& id : out) s += (s.empty() ? "" : " ") + id;
        return s;
    }
    Xapian::WritableDatabase db_{std::string(), Xapian::DB_BACKEND_INMEMORY};
};

}  // namespace

TEST_F(QuerySemantics, FiltersRestrictTheWholeGroupTheyStandIn) {
    EXPECT_EQ(ids("Kaesong date:2012"), "a d");
    EXPECT_EQ(ids("Kaesong NOT Hyundai date:2012"), "");  // a and d both name Hyundai
    EXPECT_EQ(ids("Kaesong NOT Hyundai"), "b");
    EXPECT_EQ(ids("Kaesong OR Hyundai date:2012"), "a c d");  // not b, of 2011
    EXPECT_EQ(ids("date:2012 Kaesong OR Hyundai"), "a c d");
    EXPECT_EQ(ids("Kaesong OR Hyundai lang:en"), "a b c");
    EXPECT_EQ(ids("(Kaesong date:2011) OR Hyundai"), "a b c d");  // inside ( ): that group only
    EXPECT_EQ(ids("(Kaesong date:2011) OR (Hyundai lang:es)"), "b d");
    EXPECT_EQ(ids("Kaesong NOT (Hyundai date:2012)"), "b");
    EXPECT_EQ(ids("Kaesong -lang:es"), "a b");
    EXPECT_EQ(ids("Kaesong OR lang:es"), "a b d");  // a filter alone is an operand
    EXPECT_EQ(ids("lang:es"), "d");
    EXPECT_EQ(ids("Kaesong source:\"spanish desk\""), "d");
    EXPECT_EQ(ids("Kaesong date:2011 date:2012-03"), "a b");  // one field: either value
    EXPECT_EQ(ids("Kaesong date:2012 lang:en"), "a");         // two fields: both
    EXPECT_EQ(ids("-\"Kaesong\" Hyundai"), "c");              // a sign before a phrase
}

TEST_F(QuerySemantics, NearAndAdjTakePhrasesAndCountTheWordsBetween) {
    // e: "Lee Myung-bak, the traitor" (one word between); f: eleven words apart.
    EXPECT_EQ(ids("\"Lee Myung-bak\" NEAR/2 traitor"), "e");
    EXPECT_EQ(ids("\"Lee Myung-bak\" NEAR/1 traitor"), "");
    EXPECT_EQ(ids("traitor NEAR/2 \"Lee Myung-bak\""), "e");
    EXPECT_EQ(ids("traitor ADJ/2 \"Lee Myung-bak\""), "");  // in that order: no
    EXPECT_EQ(ids("\"Lee Myung-bak\" ADJ/2 traitor"), "e");
    EXPECT_EQ(ids("\"Lee Myung-bak\" NEAR/20 traitor"), "e f");
    EXPECT_EQ(ids("\"puppet group\" NEAR/2 warmongers"),
              "e");  // "group's" is group + 's: one between
    EXPECT_EQ(ids("\"puppet group\" NEAR/1 warmongers"), "");
    EXPECT_EQ(ids("\"puppet\" NEAR/3 \"warmongers\""), "e");
    EXPECT_EQ(ids("puppet NEAR/2 warmongers"), "");  // puppet group 's warmongers: two between
    EXPECT_EQ(ids("puppet NEAR/3 warmongers"), "e");
    EXPECT_EQ(ids("warm* NEAR/1 met"), "e");                  // a wildcard operand
    EXPECT_EQ(ids("Lee NEAR/6 traitor NEAR/6 puppet"), "e");  // three operands, 3 + 2 between
    EXPECT_EQ(ids("Lee NEAR/5 traitor NEAR/5 puppet"), "");
    EXPECT_EQ(ids("Seoul NEAR/3 traitor date:2011"), "f");
}

TEST(NearMatch, OperandsMayNotOverlapAndTheWordsBetweenAreCounted) {
    using query::Occurrence;
    // "a b c": a at 1, b at 2, c at 3.
    EXPECT_TRUE(query::near_match({{{1, 1}}, {{2, 2}}}, 1, false));
    EXPECT_TRUE(query::near_match({{{2, 2}}, {{1, 1}}}, 1, false));
    EXPECT_FALSE(query::near_match({{{2, 2}}, {{1, 1}}}, 1, true));  // ordered
    EXPECT_FALSE(query::near_match({{{1, 1}}, {{3, 3}}}, 1, false));
    EXPECT_TRUE(query::near_match({{{1, 1}}, {{3, 3}}}, 2, false));
    EXPECT_FALSE(query::near_match({{{1, 2}}, {{2, 3}}}, 5, false));  // overlapping phrases
    EXPECT_TRUE(
        query::near_match({{{1, 3}}, {{5, 5}}}, 2, false));  // a phrase of three, one between
    EXPECT_TRUE(
        query::near_match({{{1, 1}}, {{9, 9}}, {{3, 3}}}, 7, false));  // 1 + 5 words between
    EXPECT_FALSE(query::near_match({{{1, 1}}, {{9, 9}}, {{3, 3}}}, 6, false));
    EXPECT_FALSE(query::near_match({{{1, 1}}, {}}, 10, false));  // an operand that never occurs
    // The best of several occurrences.
    EXPECT_TRUE(query::near_match({{{1, 1}, {50, 50}}, {{30, 30}, {52, 52}}}, 2, false));
}

TEST_F(QuerySemantics, EntityNamesTheGazetteerLacksAreReportedWithTheClosest) {
    try {
        build_query("person:\"Kim Jung-eun\"", db_, Gazetteer::builtin);  // an alias: fine
    } catch (const QueryError& e) {
        FAIL() << e.what();
    }
    try {
        build_query("Kaesong person:\"Hyon Jong Un\"", db_, Gazetteer::builtin);
        FAIL() << "an unknown name matched nothing in silence";
    } catch (const QueryError& e) {
        const std::string m = e.what();
        EXPECT_EQ(e.column(), 9u) << m;
        EXPECT_NE(m.find("no person in the gazetteer is called 'Hyon Jong Un'"), std::string::npos)
            << m;
        EXPECT_NE(m.find("closest: Kim Jong Un (person:kim-jong-un)"), std::string::npos) << m;
        EXPECT_NE(m.find("entities --discover"), std::string::npos) << m;
    }
    try {
        build_query("place:\"Kim Jong Un\"", db_, Gazetteer::builtin);
        FAIL();
    } catch (const QueryError& e) {
        EXPECT_NE(std::string(e.what()).find("is a person in the gazetteer, not a place"),
                  std::string::npos)
            << e.what();
    }
}

// A stem finds every word of it, the word that is its own stem too (schema 3 indexes that word
// once, in its own term: schema::stem_query()).
TEST_F(QuerySemantics, AStemFindsEveryWordOfIt) {
    EXPECT_EQ(ids("zone"), "a b");
    EXPECT_EQ(ids("zones"), "a b");
    EXPECT_EQ(ids("title:zone"), "a");
    EXPECT_EQ(ids("title:zones OR chairman"), "a c");
    EXPECT_EQ(ids("zone -title:zone"), "b");
    EXPECT_EQ(ids("visit"), "c");
    EXPECT_EQ(ids("zone;chairman"), "");  // two words ANDed by Xapian's parser
    EXPECT_EQ(ids("zone;workers"), "b");
}

TEST_F(QuerySemantics, AWildcardThatStandsForTooManyWordsIsAnError) {
    for (int i = 0; i < static_cast<int>(max_wildcard_words) + 1; ++i) {
        Document d;
        d.id = "w" + std::to_string(i);
        d.text = "zz" + std::to_string(i);
        db_.add_document(schema::make_document(d, {}));
    }
    EXPECT_THROW(ids("zz*"), QueryError);
    EXPECT_EQ(ids("zz9999*"), "w9999");
    EXPECT_THROW(ids("zz* NEAR Kaesong"), QueryError);
}
