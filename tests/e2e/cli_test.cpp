// End-to-end: the real panmun-index and panmun-query binaries on the bundled sample corpus.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "helpers.hpp"

using nlohmann::json;
using namespace panmun::test;

namespace {

const std::string index_bin = PANMUN_INDEX_BIN;
const std::string query_bin = PANMUN_QUERY_BIN;

std::vector<json> sample_records() {
    std::vector<json> records;
    std::istringstream in(read_file(sample_corpus()));
    for (std::string line; std::getline(in, line);) records.push_back(json::parse(line));
    return records;
}

// Characters [from, to) of UTF-8 `s` (JSON offsets count characters, as JSON readers index).
std::string characters(const std::string& s, std::size_t from, std::size_t to) {
    std::size_t ch = 0, begin = s.size(), end = s.size();
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
        if (ch == from) begin = std::min(begin, i);
        if (ch == to) end = std::min(end, i);
        ++ch;
    }
    return s.substr(begin, end - begin);
}

// One archive of the sample corpus for the whole suite, built by the real binary.
class SampleCli : public SampleArchiveSuite {
protected:
    static RunResult query(const std::string& args) {
        return run(query_bin + " " + args + " --archive " + archive());
    }
};

}  // namespace

TEST_F(SampleCli, PhraseQueryHitsExactlyTheArticlesContainingThePhrase) {
    for (const std::string phrase :
         {"liaison office", "Kim Jong Un", "military hotline", "family reunions", "Kim Yo Jong"}) {
        RunResult r = query("search --json --limit 1000 " + shell_quote("\"" + phrase + "\""));
        ASSERT_EQ(r.status, 0) << phrase << r.err;
        json out = json::parse(r.out);
        std::set<std::string> got;
        for (const auto& h : out["hits"]) got.insert(h["id"].get<std::string>());

        // Independent oracle: the words in order, separated only by non-alphanumerics, any case.
        std::string pattern = std::regex_replace(phrase, std::regex(" "), "[^[:alnum:]]+");
        std::regex re("(^|[^[:alnum:]])" + pattern + "($|[^[:alnum:]])", std::regex::icase);
        std::set<std::string> expected;
        for (const auto& rec : sample_records())
            if (std::regex_search(rec["text"].get<std::string>(), re) ||
                std::regex_search(rec["title"].get<std::string>(), re))
                expected.insert(rec["id"].get<std::string>());
        EXPECT_FALSE(expected.empty()) << phrase;
        EXPECT_EQ(got, expected) << phrase;
        EXPECT_EQ(out["total"].get<std::size_t>(), expected.size()) << phrase;
    }
}

TEST_F(SampleCli, SearchJsonHasTheDocumentedShape) {
    RunResult r = query("search --json --limit 3 hotline");
    ASSERT_EQ(r.status, 0) << r.err;
    json out = json::parse(r.out);
    EXPECT_EQ(out["query"], "hotline");
    EXPECT_GT(out["total"].get<int>(), 3);
    ASSERT_EQ(out["hits"].size(), 3u);
    int rank = 0;
    for (const auto& h : out["hits"]) {
        EXPECT_EQ(h["rank"].get<int>(), ++rank);
        for (const char* key :
             {"id", "rank", "score", "title", "date", "source", "url", "snippet", "highlights"})
            EXPECT_TRUE(h.contains(key)) << key;
        // The snippet is plain text; highlights are [start, end) character offsets into it.
        const std::string snippet = h["snippet"];
        EXPECT_EQ(snippet.find("**"), std::string::npos);
        ASSERT_FALSE(h["highlights"].empty()) << snippet;
        for (const auto& span : h["highlights"]) {
            std::string word = characters(snippet, span[0], span[1]);
            EXPECT_EQ(word.substr(0, 7), "hotline") << word;
        }
    }
    json page = json::parse(query("search --json --limit 2 --offset 1 hotline").out);
    EXPECT_EQ(page["hits"][0]["id"], out["hits"][1]["id"]);
    EXPECT_EQ(page["hits"][0]["rank"], 2);
}

TEST_F(SampleCli, TextOutputShowsRankDateSourceTitleAndSnippet) {
    RunResult r = query("search --limit 2 \"liaison office\" leaflet");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("1. Kim Yo Jong warns Seoul"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("2020-06-04 | Peninsula Desk | sample-20200604-kim-yo-jong-leaflets"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Peninsula Desk"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("**"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\033["), std::string::npos) << "no colour when not a terminal";
}

TEST_F(SampleCli, ShowReturnsTheExactOriginalText) {
    for (const auto& rec : sample_records()) {
        const std::string id = rec["id"];
        RunResult r = query("show --json " + shell_quote(id));
        ASSERT_EQ(r.status, 0) << id << r.err;
        json doc = json::parse(r.out);
        for (const char* key : {"id", "title", "date", "source", "url", "lang", "text"})
            EXPECT_EQ(doc[key], rec[key]) << id << " " << key;
    }
    const auto first = sample_records().front();
    RunResult text = query("show " + shell_quote(first["id"].get<std::string>()));
    ASSERT_EQ(text.status, 0);
    EXPECT_NE(text.out.find("\n\n" + first["text"].get<std::string>() + "\n"), std::string::npos);
}

TEST_F(SampleCli, ExitStatusIsLikeGrep) {
    EXPECT_EQ(query("search nosuchwordanywhere").status, 1);
    EXPECT_EQ(query("show no-such-id").status, 1);
    RunResult bad = run(query_bin + " search hotline --archive /nonexistent/x.panmun");
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("/nonexistent/x.panmun"), std::string::npos) << bad.err;
    EXPECT_EQ(run(query_bin + " search").status, 2);
    EXPECT_EQ(run(query_bin + " frobnicate").status, 2);
}

TEST_F(SampleCli, ArchiveDefaultsToTheEnvironment) {
    RunResult r = run("PANMUN_ARCHIVE=" + archive() + " " + query_bin + " search --json Kaesong");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_GT(json::parse(r.out)["total"].get<int>(), 0);
}

TEST_F(SampleCli, KoreanQueriesFindParticleForms) {
    RunResult r = query("search --json --limit 100 김정은");
    ASSERT_EQ(r.status, 0) << r.err;
    json out = json::parse(r.out);
    std::size_t expected = 0;
    for (const auto& rec : sample_records())
        if (rec["text"].get<std::string>().find("김정은") != std::string::npos) ++expected;
    EXPECT_EQ(out["total"].get<std::size_t>(), expected);
}

// Facet names follow the query's language, or --lang; 북한 also finds the headlines that write 北.
TEST_F(SampleCli, KoreanQueriesGetKoreanFacetNamesAndFindHanjaHeadlines) {
    auto place_name = [&](const std::string& args) {
        json out = json::parse(query("search --json --facets place --facet-top 100 " + args).out);
        for (const auto& p : out["facets"]["place"])
            if (p["id"] == "dprk") return p["name"].get<std::string>();
        return std::string("(no dprk)");
    };
    EXPECT_EQ(place_name("북한"), "\xEB\xB6\x81\xED\x95\x9C");  // 북한
    EXPECT_EQ(place_name("--lang en 북한"), "North Korea");
    EXPECT_EQ(place_name("Pyongyang"), "North Korea");
    EXPECT_EQ(place_name("--lang ko Pyongyang"), "\xEB\xB6\x81\xED\x95\x9C");
    EXPECT_EQ(query("search --lang fr Pyongyang").status, 2);
    // Every sample article whose title or text has 北 (as a word of its own, not in 南北) is found.
    json hits = json::parse(query("search --json --limit 100 --fields id 북한").out)["hits"];
    std::set<std::string> found;
    for (const auto& h : hits) found.insert(h["id"].get<std::string>());
    int with_hanja = 0;
    for (const auto& rec : sample_records()) {
        const std::string all =
            rec["title"].get<std::string>() + " " + rec["text"].get<std::string>();
        if (all.find("\xE5\x8C\x97") == std::string::npos) continue;              // 北
        if (all.find("\xE5\x8D\x97\xE5\x8C\x97") != std::string::npos) continue;  // 南北
        ++with_hanja;
        EXPECT_TRUE(found.count(rec["id"].get<std::string>())) << rec["id"];
    }
    EXPECT_GE(with_hanja, 1) << "the sample has a headline in Hanja";
}

TEST_F(SampleCli, JsonLinesCsvFieldsAndCountAreForPrograms) {
    RunResult jsonl = query("search --jsonl --limit 4 hotline");
    ASSERT_EQ(jsonl.status, 0) << jsonl.err;
    std::istringstream lines(jsonl.out);
    int rank = 0;
    for (std::string line; std::getline(lines, line);) {
        json hit = json::parse(line);
        EXPECT_EQ(hit["rank"].get<int>(), ++rank);
        EXPECT_TRUE(hit.contains("url") && hit.contains("source") && hit.contains("date"));
    }
    EXPECT_EQ(rank, 4);

    RunResult count = query("search --count hotline");
    ASSERT_EQ(count.status, 0);
    const int total = json::parse(query("search --json hotline").out)["total"];
    EXPECT_EQ(count.out, std::to_string(total) + "\n");
    EXPECT_EQ(query("search --count nosuchwordanywhere").out, "0\n");

    // RFC 4180: header row, CRLF, fields with commas or quotes quoted, quotes doubled.
    RunResult csv = query("search --csv --limit 100 --fields id,date,title,snippet hotline");
    ASSERT_EQ(csv.status, 0) << csv.err;
    EXPECT_EQ(csv.out.substr(0, 23), "id,date,title,snippet\r\n");
    std::size_t rows = 0;
    for (std::size_t at = 0; (at = csv.out.find("\r\n", at)) != std::string::npos; at += 2) ++rows;
    EXPECT_EQ(rows, static_cast<std::size_t>(total) + 1);
    EXPECT_NE(csv.out.find(",\"…"), std::string::npos) << "snippets with commas are quoted";

    RunResult fields = query("search --jsonl --limit 1 --fields id,date hotline");
    EXPECT_EQ(json::parse(fields.out).size(), 2u);
    // Columns the index holds are answered without the store: the same rows as with a stored
    // column beside them.
    RunResult bare = query("search --csv --limit 100 --fields rank,id,date,score hotline");
    RunResult stored = query("search --csv --limit 100 --fields rank,id,date,score,source hotline");
    ASSERT_EQ(bare.status, 0) << bare.err;
    std::istringstream a(bare.out), b(stored.out);
    std::size_t compared = 0;
    for (std::string x, y; std::getline(a, x) && std::getline(b, y); ++compared)
        if (compared) {
            EXPECT_EQ(y.rfind(x.substr(0, x.size() - 1) + ",", 0), 0u) << x << " / " << y;
        }
    EXPECT_EQ(compared, static_cast<std::size_t>(total) + 1);
    RunResult bad = query("search --csv --fields id,colour hotline");
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("colour"), std::string::npos) << bad.err;
}

TEST_F(SampleCli, DateOptionsAndSortNarrowAndOrderTheHits) {
    RunResult r = query(
        "search --csv --fields date --limit 100 --sort date --from 2009 --to 2013-06 hotline");
    ASSERT_EQ(r.status, 0) << r.err;
    std::istringstream rows(r.out);
    std::string line, previous;
    std::getline(rows, line);
    EXPECT_EQ(line, "date\r");
    int n = 0;
    while (std::getline(rows, line)) {
        EXPECT_GE(line, "2009-01-01");
        EXPECT_LE(line, "2013-06-30\r");
        EXPECT_GE(line, previous);
        previous = line;
        ++n;
    }
    EXPECT_GE(n, 3);
    RunResult same = query("search --count date:2009..2013-06 hotline");
    EXPECT_EQ(same.out, std::to_string(n) + "\n");
    EXPECT_EQ(query("search --from 2019-02-30 hotline").status, 2);
}

TEST_F(SampleCli, SyntaxErrorsSayWhereAndExitTwo) {
    RunResult r = query("search '\"Kim Jong Un'");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("column 1"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("closing"), std::string::npos) << r.err;
    RunResult dangling = query("search 'hotline OR'");
    EXPECT_EQ(dangling.status, 2);
    EXPECT_NE(dangling.err.find("column 9: expected a word or phrase after 'OR'"),
              std::string::npos)
        << dangling.err;
}

// Issue 18: every malformed or unanswerable query is an error that says where (exit 2), never
// "0 matches" (exit 1); a name the gazetteer lacks gets a notice with the closest names.
TEST_F(SampleCli, BadQueriesAreErrorsWithTheirColumn) {
    struct Bad {
        const char* args;
        const char* says;  // in the message, with its column
    };
    const Bad table[] = {
        {"search 'persn:kim'", "column 1: unknown field 'persn:' (did you mean 'person:'?)"},
        {"search 'foo:bar'", "column 1: unknown field 'foo:'"},
        {"search 'hotline Source:kcna extra:x'", "column 21: unknown field 'extra:'"},
        {"search '*'", "column 1: a wildcard needs the start of a word"},
        {"search 'hot*line'", "column 4: a wildcard '*' goes at the end of a word"},
        {"search 'hotline NEAR/0 cut'", "column 14: NEAR/0 can match nothing"},
        {"search 'hotline ADJ/x cut'", "column 13: ADJ/ takes a number"},
        {"search 'hotline NEAR/3 cut ADJ/3 line'",
         "column 20: 'ADJ/3' differs from the operator before it"},
        {"search 'hotline NEAR (cut OR line)'",
         "column 14: NEAR and ADJ take words and phrases, not groups"},
        {"search 'hotline NEAR date:2018'",
         "column 14: NEAR and ADJ take words and phrases, not fields"},
        {"search '김정은 NEAR 판문점'", "column 5: 'NEAR' counts words, and Hangul"},
        {"search 'hotline | cut'", "column 9: write OR"},
        {"search 'hotline date:2019..2018'",
         "column 14: '2019..2018': the range ends before it starts"},
        {"search 'date:2019-02-30'", "column 6: '2019-02-30' is not a date"},
        {"search 'title:'", "column 1: expected a value after 'title:'"},
        {"search '\"hotline'", "column 1: the phrase opened here has no closing"},
        {"search 'hotline ('", "column 9: expected a word or phrase after '('"},
        {"search 'hotline AND'", "column 9: expected a word or phrase after 'AND'"},
        {"search 'NOT hotline'", "column 1: NOT excludes from what comes before it"},
        {"search '\"...\"'", "column 1: the query has no word to search for"},
        {"search 'person:\"Hyon Jong Un\"'",
         "column 1: no person in the gazetteer is called 'Hyon Jong Un'"},
        {"search 'hotline place:\"Kim Jong Un\"'",
         "column 9: 'Kim Jong Un' is a person in the gazetteer, not a place"},
        {"search 'org:nobody-at-all'",
         "column 1: no org in the gazetteer is called 'nobody-at-all'"},
    };
    for (const Bad& b : table) {
        RunResult r = query(b.args);
        EXPECT_EQ(r.status, 2) << b.args << "\n" << r.out << r.err;
        EXPECT_EQ(r.out, "") << b.args;
        EXPECT_NE(r.err.find(b.says), std::string::npos) << b.args << "\n" << r.err;
        EXPECT_NE(r.err.find("^"), std::string::npos) << b.args << ": a caret under the column\n"
                                                      << r.err;
    }
    RunResult notice = query("search 'person:\"Hyon Jong Un\"'");
    EXPECT_NE(notice.err.find("entities --discover"), std::string::npos) << notice.err;
    // Options are checked as well as queries.
    RunResult dates = query("search --from 2012 --to 2011 hotline");
    EXPECT_EQ(dates.status, 2);
    EXPECT_NE(dates.err.find("--from 2012 is after --to 2011"), std::string::npos) << dates.err;
    RunResult like_dates =
        query("like --after 2012 --before 2011 sample-20200616-liaison-office-demolished");
    EXPECT_EQ(like_dates.status, 2);
    EXPECT_NE(like_dates.err.find("no date is in between"), std::string::npos) << like_dates.err;
}

// Issue 5: "when did the North last cut the hotlines?" — the seed article (the June 2020 cut,
// a real scrape) as the example, bounded to what came before it.
TEST_F(SampleCli, LikeTheSeedArticleFindsEarlierHotlineCutsFirst) {
    const std::string seed = source_dir() + "/../shared/seed/000_c597437d7f6d60af.txt";
    if (!fs::exists(seed)) GTEST_SKIP() << seed << " is absent: skipped";
    RunResult r = query("like --jsonl --limit 5 --before 2020-06-01 --file " + shell_quote(seed));
    ASSERT_EQ(r.status, 0) << r.err;
    std::vector<json> hits;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) hits.push_back(json::parse(line));
    ASSERT_EQ(hits.size(), 5u);
    for (const auto& h : hits) EXPECT_LT(h["date"].get<std::string>(), "2020-06-01") << h["id"];
    const std::set<std::string> hotline_cuts = {"sample-20090309-hotline-cut-key-resolve",
                                                "sample-20100527-military-lines-cut-2010",
                                                "sample-20130327-hotline-cut-2013"};
    EXPECT_TRUE(hotline_cuts.count(hits[0]["id"])) << hits[0]["id"];

    // The same example from stdin; and an archived article as the example, never its own hit.
    RunResult piped = run(query_bin + " like --jsonl --limit 5 --before 2020-06-01 --archive " +
                          archive() + " - < " + shell_quote(seed));
    EXPECT_EQ(piped.out, r.out);
    RunResult by_id = query("like --csv --fields id sample-20130327-hotline-cut-2013");
    ASSERT_EQ(by_id.status, 0) << by_id.err;
    EXPECT_EQ(by_id.out.find("sample-20130327-hotline-cut-2013"), std::string::npos);
    EXPECT_EQ(query("like no-such-id").status, 2);
}

// Facets on the sample: date counts from the records' own dates, people from a scan of the
// texts for Kim Yo Jong's spellings; the text output draws the years as bars.
TEST_F(SampleCli, HotlineFacetsShowTheEpisodesYearsAndKimYoJong) {
    RunResult r = query("search --json --facets date,person --facet-top 50 hotline");
    ASSERT_EQ(r.status, 0) << r.err;
    json facets = json::parse(r.out)["facets"];
    std::map<std::string, int> years, scanned;
    for (const auto& b : facets["date"]["buckets"])
        if (b["count"].get<int>() > 0) years[b["bucket"]] = b["count"];
    EXPECT_EQ(facets["date"]["by"], "year");
    int yo_jong = 0, scanned_yo_jong = 0;
    for (const auto& p : facets["person"])
        if (p["id"] == "kim-yo-jong") {
            yo_jong = p["count"];
            EXPECT_EQ(p["name"], "Kim Yo Jong");
            EXPECT_EQ(p["type"], "person");
        }
    const std::regex hotline("\\bhotlines?\\b", std::regex::icase);
    const std::regex yo("Kim Yo[- ]?Jong|\xEA\xB9\x80\xEC\x97\xAC\xEC\xA0\x95",
                        std::regex::icase);  // 김여정
    std::istringstream lines(read_file(sample_corpus()));
    for (std::string line; std::getline(lines, line);) {
        json rec = json::parse(line);
        std::string all = rec["title"].get<std::string>() + "\n" + rec["text"].get<std::string>();
        if (!std::regex_search(all, hotline)) continue;
        ++scanned[rec["date"].get<std::string>().substr(0, 4)];
        scanned_yo_jong += std::regex_search(all, yo);
    }
    EXPECT_EQ(years, scanned);
    EXPECT_GE(years.size(), 4u) << "cuts and restorations in several years";
    for (const char* year : {"2009", "2010", "2013", "2018"})
        EXPECT_TRUE(years.count(year)) << year;
    EXPECT_EQ(yo_jong, scanned_yo_jong);
    EXPECT_GE(yo_jong, 1);
    RunResult text = query("search --facets date,person hotline");
    EXPECT_NE(text.out.find("date (by year):"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("Kim Yo Jong  [person:kim-yo-jong]"), std::string::npos) << text.out;
    EXPECT_TRUE(std::regex_search(text.out, std::regex("\n  2013 +1 #+\n"))) << text.out;
    // Drilling down: the facet value added to the query.
    RunResult down = query("search --count 'hotline person:kim-yo-jong'");
    EXPECT_EQ(down.out, std::to_string(yo_jong) + "\n");
    EXPECT_EQ(query("search --facets date,nobody hotline").status, 2);
}

TEST_F(SampleCli, EntitiesListsTheGazetteerEntitiesWithCountsAndDiscoversOthers) {
    RunResult r = query("entities --json --top 1000");
    ASSERT_EQ(r.status, 0) << r.err;
    json list = json::parse(r.out)["entities"];
    ASSERT_GT(list.size(), 20u);
    for (const auto& e : list) {  // each count is the count of the matching filter
        if (e["id"] != "kim-yo-jong" && e["id"] != "panmunjom" && e["id"] != "kaesong") continue;
        RunResult c = query("search --count " + e["type"].get<std::string>() + ":" +
                            e["id"].get<std::string>());
        EXPECT_EQ(c.out, std::to_string(e["count"].get<int>()) + "\n") << e;
    }
    EXPECT_GE(list[0]["count"].get<int>(), list[list.size() - 1]["count"].get<int>());
    RunResult people = query("entities --type person --top 3");
    EXPECT_EQ(std::count(people.out.begin(), people.out.end(), '\n'), 3) << people.out;
    EXPECT_EQ(people.out.find("place:"), std::string::npos) << people.out;
    RunResult d = query("entities --discover --json");
    ASSERT_EQ(d.status, 0) << d.err;
    const json candidates = json::parse(d.out)["candidates"];  // kept: the loop reads into it
    for (const auto& c : candidates) {
        EXPECT_GE(c["documents"].get<int>(), 2);
        EXPECT_NE(c["name"], "Kim Jong Un") << "covered names are not candidates";
    }
}

// Issue 22: the sample split into two archives, searched as one with --archive A --archive B or
// a list file (--archives), answers as the one archive does, and each hit says where it is.
TEST_F(SampleCli, TwoArchivesAreSearchedAsOne) {
    TempDir tmp;
    const auto [a, b] = sample_in_two(tmp);
    ASSERT_FALSE(HasFailure());
    const std::vector<json> records = sample_records();
    std::map<std::string, std::string> archive_of;  // id -> the archive that holds it
    for (std::size_t i = 0; i < records.size(); ++i) archive_of[records[i]["id"]] = i % 2 ? b : a;
    // A list: comments, a blank line, a path relative to the list's directory.
    write_file(tmp / "list", "# the sample in two\n" + a + "\n\n  second.panmun  \n");
    const std::string both = " --archive " + a + " --archive " + b,
                      listed = " --archives " + (tmp / "list");

    for (const std::string q :
         {"hotline", "\"liaison office\"", "person:kim-yo-jong", "date:2018"}) {
        RunResult one = query("search --json -n 100 --facets person,place,date " + shell_quote(q));
        RunResult two = run(query_bin + " search --json -n 100 --facets person,place,date " +
                            shell_quote(q) + both);
        ASSERT_EQ(two.status, 0) << q << two.err;
        EXPECT_EQ(run(query_bin + " search --json -n 100 --facets person,place,date " +
                      shell_quote(q) + listed)
                      .out,
                  two.out)
            << q;
        const json x = json::parse(one.out), y = json::parse(two.out);
        EXPECT_EQ(x["total"], y["total"]) << q;
        EXPECT_EQ(x["facets"], y["facets"]) << q;
        ASSERT_EQ(x["hits"].size(), y["hits"].size()) << q;
        for (std::size_t k = 0; k < x["hits"].size(); ++k) {
            json hx = x["hits"][k], hy = y["hits"][k];
            EXPECT_FALSE(hx.contains("archive"));
            EXPECT_EQ(hy["archive"], archive_of.at(hy["id"])) << q;
            hy.erase("archive");
            hx.erase("path");  // the input files differ
            hy.erase("path");
            EXPECT_EQ(hx, hy) << q;
        }
    }
    // The columns do not depend on what was found: a script's CSV has the same header either way.
    RunResult none_found = run(query_bin + " search --csv zzzxqj" + both);
    EXPECT_EQ(none_found.status, 1);
    EXPECT_EQ(none_found.out, "rank,id,archive,date,source,title,url,path,score,snippet\r\n");
    // Text names the archive; show finds a document of the second archive and says so.
    const std::string id = records[1]["id"];
    RunResult text = run(query_bin + " search -n 1 " + shell_quote("id:" + id) + both);
    EXPECT_NE(text.out.find(id + " in " + b), std::string::npos) << text.out << text.err;
    RunResult shown = run(query_bin + " show --json " + shell_quote(id) + both);
    ASSERT_EQ(shown.status, 0) << shown.err;
    EXPECT_EQ(json::parse(shown.out)["archive"], b);
    EXPECT_EQ(json::parse(shown.out)["text"], records[1]["text"]);
    EXPECT_FALSE(json::parse(query("show --json " + shell_quote(id)).out).contains("archive"));
    // like takes an example from any of them; an id in none names them all.
    RunResult liked = run(query_bin + " like --json " + shell_quote(id) + both);
    ASSERT_EQ(liked.status, 0) << liked.err;
    auto scores = [](const std::string& out) {  // equal scores may come in either order
        const json parsed = json::parse(out);
        std::vector<double> s;
        for (const auto& h : parsed["hits"]) s.push_back(h["score"]);
        return s;
    };
    const std::vector<double> like_two = scores(liked.out),
                              like_one = scores(query("like --json " + shell_quote(id)).out);
    ASSERT_EQ(like_two.size(), like_one.size());
    EXPECT_FALSE(like_two.empty());
    for (std::size_t k = 0; k < like_one.size(); ++k) EXPECT_NEAR(like_two[k], like_one[k], 1e-9);
    RunResult unknown = run(query_bin + " like no-such-id" + both);
    EXPECT_EQ(unknown.status, 2);
    EXPECT_NE(unknown.err.find("no document with id 'no-such-id' in " + a + " + " + b),
              std::string::npos)
        << unknown.err;
    // Entity counts are summed.
    EXPECT_EQ(json::parse(query("entities --json --top 1000").out)["entities"],
              json::parse(run(query_bin + " entities --json --top 1000" + both).out)["entities"]);

    // Mistakes are named.
    RunResult twice = run(query_bin + " search hotline --archive " + a + both);
    EXPECT_EQ(twice.status, 2);
    EXPECT_NE(twice.err.find("archive " + a + " is given twice"), std::string::npos) << twice.err;
    RunResult missing = run(query_bin + " search hotline --archives " + (tmp / "nothing"));
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("cannot read the archive list " + (tmp / "nothing")),
              std::string::npos)
        << missing.err;
    write_file(tmp / "empty", "# nothing yet\n");
    RunResult empty = run(query_bin + " search hotline --archives " + (tmp / "empty"));
    EXPECT_EQ(empty.status, 2);
    EXPECT_NE(empty.err.find("names no archive"), std::string::npos) << empty.err;
    RunResult none = run("env -u PANMUN_ARCHIVE " + query_bin + " search hotline");
    EXPECT_EQ(none.status, 2);
    EXPECT_NE(none.err.find("no archive: give --archive"), std::string::npos) << none.err;
}

TEST(Cli, HelpIsCompleteForEveryCommand) {
    for (const std::string& cmd :
         {index_bin + " --help", index_bin + " build --help", query_bin + " --help",
          query_bin + " search --help", query_bin + " like --help", query_bin + " show --help",
          query_bin + " entities --help"}) {
        RunResult r = run(cmd);
        EXPECT_EQ(r.status, 0) << cmd;
        EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd;
    }
    std::string build_help = run(index_bin + " build --help").out;
    for (const char* opt : {"--archive", "--map", "--source", "--batch", "--force", "--quiet",
                            "--json", "PANMUN_ARCHIVE", "Exit status"})
        EXPECT_NE(build_help.find(opt), std::string::npos) << opt;
    std::string search_help = run(query_bin + " search --help").out;
    for (const char* opt :
         {"--archive", "--limit", "--offset", "--json", "--jsonl", "--csv", "--fields", "--count",
          "--from", "--to", "--sort", "--collapse", "Exit status"})
        EXPECT_NE(search_help.find(opt), std::string::npos) << opt;
    std::string like_help = run(query_bin + " like --help").out;
    for (const char* opt : {"--file", "--before", "--after", "--no-collapse", "--jsonl", "--csv"})
        EXPECT_NE(like_help.find(opt), std::string::npos) << opt;
}

TEST(Cli, BadLinesAreReportedWithFileAndLineAndTheRestIsIndexed) {
    TempDir tmp;
    write_file(tmp / "in.jsonl",
               "{\"id\":\"a\",\"title\":\"Good\",\"text\":\"alpha hotline\"}\n"
               "{\"id\":\"b\",\"text\":\"truncated\n"
               "not json at all\n"
               "{\"id\":\"c\",\"text\":\"gamma hotline\"}\n"
               "{\"id\":\"a\",\"text\":\"duplicate id\"}\n");
    RunResult r =
        run(index_bin + " build --archive " + (tmp / "a.panmun") + " " + (tmp / "in.jsonl"));
    EXPECT_EQ(r.status, 1) << "some records skipped";
    EXPECT_NE(r.err.find(tmp / "in.jsonl:2: skipped: invalid JSON"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(tmp / "in.jsonl:3: skipped: invalid JSON"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(tmp / "in.jsonl:5: duplicate: id 'a' was read before"), std::string::npos)
        << r.err;
    RunResult q = run(query_bin + " search --json hotline --archive " + (tmp / "a.panmun"));
    ASSERT_EQ(q.status, 0) << q.err;
    EXPECT_EQ(json::parse(q.out)["total"], 2);

    RunResult j = run(index_bin + " build --json --force --archive " + (tmp / "a.panmun") + " " +
                      (tmp / "in.jsonl"));
    json summary = json::parse(j.out);
    EXPECT_EQ(summary["total"]["read"], 5);
    EXPECT_EQ(summary["total"]["added"], 2);
    EXPECT_EQ(summary["total"]["skipped"], 2);
    EXPECT_EQ(summary["total"]["duplicates"], 1);
    EXPECT_EQ(summary["inputs"][0]["problems"].size(), 3u);
}

TEST(Cli, ExistingArchiveIsKeptUnlessForced) {
    TempDir tmp;
    write_file(tmp / "one.jsonl", "{\"id\":\"one\",\"text\":\"first archive\"}\n");
    write_file(tmp / "two.jsonl", "{\"id\":\"two\",\"text\":\"second archive\"}\n");
    const std::string a = tmp / "a.panmun";
    ASSERT_EQ(run(index_bin + " build -q --archive " + a + " " + (tmp / "one.jsonl")).status, 0);
    RunResult again = run(index_bin + " build -q --archive " + a + " " + (tmp / "two.jsonl"));
    EXPECT_EQ(again.status, 2);
    EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
    // A build that cannot start (unreadable input) leaves the old archive as it was.
    RunResult missing =
        run(index_bin + " build -q --force --archive " + a + " " + (tmp / "missing.jsonl"));
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("missing.jsonl"), std::string::npos) << missing.err;
    EXPECT_EQ(run(query_bin + " show one --archive " + a).status, 0);
    ASSERT_EQ(
        run(index_bin + " build -q --force --archive " + a + " " + (tmp / "two.jsonl")).status, 0);
    EXPECT_EQ(run(query_bin + " show one --archive " + a).status, 1);
    EXPECT_EQ(run(query_bin + " show two --archive " + a).status, 0);
    EXPECT_EQ(fs::directory_iterator(tmp.path()) == fs::directory_iterator(), false);
    for (fs::directory_iterator it(tmp.path()), end; it != end; ++it)
        EXPECT_EQ(it->path().filename().string().find(".building-"), std::string::npos)
            << "leftover " << it->path();
}

TEST(Cli, ReadsStdinAndZstdInputs) {
    TempDir tmp;
    write_file(tmp / "in.jsonl",
               "{\"headline\":\"Lines cut\",\"story_text\":\"all lines cut "
               "today\",\"date_str\":\"2020-06-09\"}\n");
    ASSERT_EQ(run("zstd -q " + (tmp / "in.jsonl") + " -o " + (tmp / "in.jsonl.zst")).status, 0);
    const std::string map = " --map title=headline,date=date_str,text=story_text ";
    RunResult z =
        run(index_bin + " build -q --archive " + (tmp / "z.panmun") + map + (tmp / "in.jsonl.zst"));
    ASSERT_EQ(z.status, 0) << z.err;
    RunResult s = run("cat " + (tmp / "in.jsonl") + " | " + index_bin + " build -q --archive " +
                      (tmp / "s.panmun") + map + "-");
    ASSERT_EQ(s.status, 0) << s.err;
    for (const char* a : {"z.panmun", "s.panmun"}) {
        json out = json::parse(run(query_bin + " search --json cut --archive " + (tmp / a)).out);
        ASSERT_EQ(out["total"], 1) << a;
        EXPECT_EQ(out["hits"][0]["title"], "Lines cut");
        EXPECT_EQ(out["hits"][0]["date"], "2020-06-09");
    }
}

// --dictionary-bytes is kept in the manifest and bounds the dictionary that --best trains: 0
// writes a store without one. Without --best the store has none, and the option is refused.
TEST(Cli, DictionaryBytesBoundsTheStoresDictionary) {
    TempDir tmp;
    std::string in;
    for (int i = 0; i < 300; ++i) {
        std::string text = "Story " + std::to_string(i) + ":";
        for (int w = 0; w < 80; ++w) text += " word" + std::to_string((i * 31 + w * 7) % 400);
        in += "{\"id\":\"s" + std::to_string(i) + "\",\"text\":\"" + text + "\"}\n";
    }
    write_file(tmp / "in.jsonl", in);
    auto store_of = [&](const std::string& a) {
        return read_file(
            a + "/" +
            json::parse(read_file(a + "/manifest.json"))["store"]["file"].get<std::string>());
    };
    for (const char* bytes : {"", "0"}) {
        const std::string a = tmp / (std::string("a") + bytes + ".panmun");
        std::string option =
            std::string(" --best") + (*bytes ? " --dictionary-bytes " : "") + bytes;
        RunResult r =
            run(index_bin + " build -q --archive " + a + option + " " + (tmp / "in.jsonl"));
        ASSERT_EQ(r.status, 0) << r.err;
        json manifest = json::parse(read_file(a + "/manifest.json"));
        EXPECT_EQ(manifest["store"]["dictionary_max_bytes"], *bytes ? 0 : 8 << 20) << option;
        EXPECT_EQ(store_of(a).substr(12, 4) == "PMDI", !*bytes) << option;
        RunResult show = run(query_bin + " show s299 --archive " + a);
        EXPECT_NE(show.out.find("word"), std::string::npos) << option << show.err;
    }
    const std::string fast = tmp / "fast.panmun";
    ASSERT_EQ(run(index_bin + " build -q --archive " + fast + " " + (tmp / "in.jsonl")).status, 0);
    EXPECT_NE(store_of(fast).substr(12, 4), "PMDI");
    RunResult refused = run(index_bin + " build -q --archive " + (tmp / "refused.panmun") +
                            " --dictionary-bytes 0 " + (tmp / "in.jsonl"));
    EXPECT_EQ(refused.status, 2);
    EXPECT_NE(refused.err.find("--best"), std::string::npos) << refused.err;
}

TEST(Cli, OtherFormatVersionIsRefusedClearly) {
    TempDir tmp;
    write_file(tmp / "in.jsonl", "{\"id\":\"x\",\"text\":\"text\"}\n");
    const std::string a = tmp / "a.panmun";
    ASSERT_EQ(run(index_bin + " build -q --archive " + a + " " + (tmp / "in.jsonl")).status, 0);
    json manifest = json::parse(read_file(a + "/manifest.json"));
    manifest["format_version"] = 4;
    write_file(a + "/manifest.json", manifest.dump());
    RunResult r = run(query_bin + " search text --archive " + a);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("format version 4"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("written by a newer panmun"), std::string::npos) << r.err;
}

TEST(Cli, CorruptStoreIsReportedNotPrinted) {
    TempDir tmp;
    write_file(tmp / "in.jsonl", "{\"id\":\"x\",\"text\":\"some text that will be damaged\"}\n");
    const std::string a = tmp / "a.panmun";
    ASSERT_EQ(run(index_bin + " build -q --archive " + a + " " + (tmp / "in.jsonl")).status, 0);
    const std::string file =
        a + "/" + json::parse(read_file(a + "/manifest.json"))["store"]["file"].get<std::string>();
    std::string store = read_file(file);
    store[store.size() - 3] ^= 0x01;
    write_file(file, store);
    RunResult r = run(query_bin + " show x --archive " + a);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("document x"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("checksum"), std::string::npos) << r.err;
}
