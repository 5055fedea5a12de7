// The programs' shared pieces (corpus/cli/): option groups, wrapping.
#include "options.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "index_options.hpp"
#include "panmun/errors.hpp"
#include "query_options.hpp"
#include "results.hpp"

using namespace panmun;

// Snippets wrap to the terminal with their indent kept on every line; colour sequences and the
// double width of Hangul are counted as a terminal shows them.
TEST(Wrap, LinesKeepTheirIndentAndFitTheTerminal) {
    const std::string text = "one two three four five six seven eight nine ten eleven twelve";
    const std::string wrapped = cli::wrap(text, 24, "   ");
    EXPECT_EQ(wrapped,
              "one two three four\n   five six seven eight\n   nine ten eleven\n   twelve");
    EXPECT_EQ(cli::wrap(text, 0, "   "), text);  // not a terminal: one line
    // "\033[1;33m" takes no cell; each Hangul syllable takes two.
    EXPECT_EQ(cli::wrap("aa \033[1;33mbb\033[0m cc dd ee ff gg", 15, "  "),
              "aa \033[1;33mbb\033[0m cc dd\n  ee ff gg");
    EXPECT_EQ(cli::wrap("김정은 위원장이 판문점에서 말했다 그리고", 20, "  "),
              "김정은 위원장이\n  판문점에서 말했다\n  그리고");
}

namespace {

// Parses `args` (after the program name) into an app holding one option group.
template <class Group>
Group parsed(std::vector<std::string> args) {
    CLI::App app("test");
    Group group;
    group.add_to(app);
    std::vector<const char*> argv = {"test"};
    for (const auto& a : args) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    return group;
}

template <class Group>
std::string refused(std::vector<std::string> args) {
    try {
        parsed<Group>(std::move(args));
    } catch (const CLI::ParseError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

// Each option group converts and checks its values as PISA's option groups do: the programs
// get typed settings or a usage error naming the bad value.
TEST(OptionGroups, InputOptionsConvertEveryValue) {
    cli::InputOptions in =
        parsed<cli::InputOptions>({"--format", "CSV", "--delimiter", "tab", "--date-from", "mtime",
                                   "--id-from", "url", "--map", "text=story,title=headline",
                                   "--batch", "50", "--threads", "1", "--include", "*.sgm"});
    IngestOptions o = in.options();
    EXPECT_EQ(o.format, Format::csv);
    EXPECT_EQ(o.delimiter, '\t');
    EXPECT_TRUE(o.date_from_mtime);
    EXPECT_EQ(o.id_from, IngestOptions::IdFrom::url);
    EXPECT_EQ(o.map.key(Field::text), "story");
    EXPECT_TRUE(o.map.mapped(Field::title));
    EXPECT_FALSE(o.map.mapped(Field::date));
    EXPECT_EQ(o.batch_docs, 50u);
    EXPECT_EQ(o.threads, 1u);
    EXPECT_EQ(o.include, std::vector<std::string>{"*.sgm"});
    IngestOptions defaults = parsed<cli::InputOptions>({}).options();
    EXPECT_EQ(defaults.format, Format::automatic);
    EXPECT_EQ(defaults.delimiter, 0);
    EXPECT_FALSE(defaults.date_from_mtime);
    EXPECT_EQ(parsed<cli::InputOptions>({"--delimiter", ";"}).options().delimiter, ';');
    for (const auto& bad : std::vector<std::vector<std::string>>{{"--format", "pdf"},
                                                                 {"--date-from", "ctime"},
                                                                 {"--id-from", "title"},
                                                                 {"--delimiter", "::"},
                                                                 {"--batch", "0"},
                                                                 {"--threads", "99"}})
        EXPECT_NE(refused<cli::InputOptions>(bad), "") << bad[0] << " " << bad[1];
    EXPECT_THROW(parsed<cli::InputOptions>({"--map", "text=a,text=b"}).options(), UsageError);
}

TEST(OptionGroups, SearchAndLikeOptionsFillTheRequest) {
    SearchRequest r;
    parsed<cli::SearchOptions>({"--sort", "-date", "--by", "month", "--facets", "date,person",
                                "--from", "2012", "--to", "2012-06", "--collapse"})
        .apply(r);
    EXPECT_EQ(r.sort, SortOrder::newest);
    EXPECT_EQ(r.facets.by, DateBucket::month);
    EXPECT_TRUE(r.facets.date);
    EXPECT_TRUE(r.facets.entity[static_cast<int>(EntityType::person)]);
    EXPECT_TRUE(r.collapse);
    EXPECT_EQ(r.dates.low, "20120000");
    EXPECT_EQ(r.dates.high, "20120699");
    EXPECT_NE(refused<cli::SearchOptions>({"--sort", "newest"}), "");
    EXPECT_NE(refused<cli::SearchOptions>({"--by", "week"}), "");
    EXPECT_NE(refused<cli::SearchOptions>({"--from", "2019-02-30"}), "");
    SearchRequest reversed;
    EXPECT_THROW(parsed<cli::SearchOptions>({"--from", "2012", "--to", "2011"}).apply(reversed),
                 UsageError);
    LikeRequest l;
    parsed<cli::LikeOptions>({"--before", "2020-06-01", "--no-collapse", "--terms", "7"}).apply(l);
    EXPECT_FALSE(l.collapse);
    EXPECT_EQ(l.terms, 7u);
    EXPECT_EQ(l.dates.high, "20200600");  // sorts after every day of May, before June
    EXPECT_NE(refused<cli::LikeOptions>({"--terms", "0"}), "");
    LikeRequest empty;
    EXPECT_THROW(parsed<cli::LikeOptions>({"--after", "2012", "--before", "2011"}).apply(empty),
                 UsageError);
}

TEST(OptionGroups, OutputColumnsAreChecked) {
    cli::OutputOptions o =
        parsed<cli::OutputOptions>({"--csv", "--fields", "id,date,path", "--limit", "5"});
    EXPECT_EQ(o.fields, (std::vector<std::string>{"id", "date", "path"}));
    EXPECT_EQ(o.limit, 5u);
    EXPECT_TRUE(o.needs_documents());  // the path is in the store
    EXPECT_FALSE(
        parsed<cli::OutputOptions>({"--csv", "--fields", "id,date,score"}).needs_documents());
    EXPECT_NE(
        refused<cli::OutputOptions>({"--fields", "id,headline"}).find("unknown field 'headline'"),
        std::string::npos);
    EXPECT_NE(refused<cli::OutputOptions>({"--json", "--csv"}), "");
}

TEST(OptionGroups, ShareNeedsTheDateFacetAndPrintsAsAShare) {
    SearchRequest r;
    parsed<cli::SearchOptions>({"--facets", "date", "--share"}).apply(r);
    EXPECT_TRUE(r.facets.share);
    SearchRequest no_dates;
    EXPECT_THROW(parsed<cli::SearchOptions>({"--share"}).apply(no_dates), UsageError);

    // A timeline of months, mostly empty: runs of three empty months or more are one line.
    SearchResult result;
    result.total = 7;
    result.facets.by = DateBucket::month;
    result.facets.dates = {{"2012-01", 3, 300}, {"2012-02", 0, 250}, {"2012-03", 0, 250},
                           {"2012-04", 0, 250}, {"2012-05", 4, 100}, {"2012-06", 0, 90},
                           {"2012-07", 0, 80}};
    cli::OutputOptions o = parsed<cli::OutputOptions>({"--count"});
    o.facets = r.facets;
    std::ostringstream text;
    o.print(result, text);
    EXPECT_NE(text.str().find("2012-01          3 of     300   1.00%"), std::string::npos)
        << text.str();
    EXPECT_NE(text.str().find("2012-02…         0  (to 2012-04: 3 months without a match)"),
              std::string::npos)
        << text.str();
    EXPECT_NE(text.str().find("2012-05          4 of     100   4.00%"), std::string::npos);
    EXPECT_NE(text.str().find("2012-06          0 of      90"), std::string::npos)
        << "two empty months stay two lines";
    cli::OutputOptions csv = parsed<cli::OutputOptions>({"--count", "--csv"});
    csv.facets = r.facets;
    std::ostringstream rows;
    csv.print(result, rows);
    EXPECT_NE(rows.str().find("facet,key,name,count,all,share\r\ntotal,,,7,,\r\n"
                              "date,2012-01,,3,300,0.010000\r\n"),
              std::string::npos)
        << rows.str();
    EXPECT_NE(rows.str().find("date,2012-03,,0,250,0.000000\r\n"), std::string::npos)
        << "CSV keeps every bucket";
}
