// The programs as a terminal and a script see them: --version, the writer recorded in an archive,
// colour (--color, NO_COLOR), the pager on a terminal (a pseudo-terminal from script(1)), and
// every JSON output checked against its schema in docs/schemas.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "helpers.hpp"

using namespace panmun;
using namespace panmun::test;
using nlohmann::json;

namespace {

const std::string index_bin = PANMUN_INDEX_BIN;
const std::string query_bin = PANMUN_QUERY_BIN;

class Terminal : public SampleArchiveSuite {
protected:
    // `command` run on a pseudo-terminal (script(1)), with `environment` (NAME=value ...): what
    // the terminal showed.
    static RunResult on_terminal(const std::string& environment, const std::string& command) {
        return run("env -u NO_COLOR -u PAGER -u PANMUN_PAGER " + environment + " script -qefc " +
                   shell_quote(command) + " /dev/null");
    }
};

}  // namespace

TEST_F(Terminal, VersionNamesTheProgramFormatAndLibraries) {
    for (const std::string& program : {index_bin, query_bin}) {
        for (const char* flag : {" --version", " -V"}) {
            RunResult r = run(program + flag);
            ASSERT_EQ(r.status, 0) << r.err;
            const std::string name = program.substr(program.rfind('/') + 1);
            EXPECT_EQ(r.out.rfind(name + " 0.", 0), 0u) << r.out;
            for (const char* part :
                 {"archive format 2, 3 for an archive of shards (reads 1 to 3)", "index schema 3",
                  "Xapian 1.", "zstd 1.", "ICU ", "JSON outputs: schemas v1"})
                EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
        }
    }
}

TEST_F(Terminal, AnArchiveRecordsWhichPanmunWroteIt) {
    RunResult r = run(index_bin + " stats --json --archive " + archive());
    ASSERT_EQ(r.status, 0) << r.err;
    json stats = json::parse(r.out);
    RunResult v = run(index_bin + " --version");
    const std::string writer =
        "panmun " + v.out.substr(v.out.find(' ') + 1, v.out.find('\n') - v.out.find(' ') - 1);
    EXPECT_EQ(stats["created_by"], writer);
    EXPECT_EQ(stats["updated_by"], writer);
    EXPECT_EQ(stats["format_version"], 2);
    const json manifest = json::parse(read_file(archive() + "/manifest.json"));
    EXPECT_EQ(manifest["created_by"], writer);
    RunResult text = run(index_bin + " stats --archive " + archive());
    EXPECT_NE(text.out.find("by " + writer), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("format      2, index schema 3,"), std::string::npos) << text.out;
}

TEST_F(Terminal, ColourFollowsTheTerminalColorAndNoColor) {
    const std::string search = query_bin + " search --no-pager -n 1 --archive " + archive() + " ";
    // On a terminal: bold titles and highlighted words.
    RunResult tty = on_terminal("", search + "Kaesong");
    ASSERT_EQ(tty.status, 0) << tty.err << tty.out;
    EXPECT_NE(tty.out.find("\033[1;33m"), std::string::npos) << tty.out;
    // NO_COLOR (any value but empty) and --color=never turn it off there.
    for (const std::string& off : {std::string("NO_COLOR=1"), std::string("")}) {
        RunResult r = on_terminal(off, search + (off.empty() ? "--color=never " : "") + "Kaesong");
        ASSERT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(r.out.find("\033["), std::string::npos) << off << r.out;
        EXPECT_NE(r.out.find("Kaesong"), std::string::npos) << r.out;
    }
    // --color=always colours a pipe too, even with NO_COLOR; --color=auto does not.
    RunResult always = run("NO_COLOR=1 " + search + "--color=always Kaesong");
    EXPECT_NE(always.out.find("\033[1;33mKaesong\033[0m"), std::string::npos) << always.out;
    RunResult pipe = run(search + "--color=auto Kaesong");
    EXPECT_EQ(pipe.out.find("\033["), std::string::npos) << pipe.out;
    RunResult bad = run(search + "--color=sometimes Kaesong");
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("--color"), std::string::npos) << bad.err;
}

TEST_F(Terminal, TextOutputOnATerminalGoesThroughThePager) {
    const std::string search = query_bin + " search -n 3 --archive " + archive() + " hotline";
    // The pager reads everything the command prints, and its exit ends the command.
    RunResult paged = on_terminal("PANMUN_PAGER='sed s/^/paged:/'", search);
    ASSERT_EQ(paged.status, 0) << paged.err << paged.out;
    EXPECT_NE(paged.out.find("paged:1. "), std::string::npos) << paged.out;
    EXPECT_NE(paged.out.find("paged:3. "), std::string::npos) << paged.out;
    // Colour stays on through the pager, as on the terminal itself.
    EXPECT_NE(paged.out.find("\033[1;33m"), std::string::npos) << paged.out;
    // PAGER when PANMUN_PAGER is unset; PANMUN_PAGER wins over it.
    RunResult pager = on_terminal("PAGER='sed s/^/pager:/'", search);
    EXPECT_NE(pager.out.find("pager:1. "), std::string::npos) << pager.out;
    RunResult both = on_terminal("PAGER='sed s/^/pager:/' PANMUN_PAGER='sed s/^/ours:/'", search);
    EXPECT_NE(both.out.find("ours:1. "), std::string::npos) << both.out;
    // --no-pager, an empty PANMUN_PAGER, "cat", or a pager that is not installed: no pager.
    for (const std::string& how :
         {std::string("--no-pager"), std::string("PANMUN_PAGER="), std::string("PANMUN_PAGER=cat"),
          std::string("PANMUN_PAGER=no-such-pager-here")}) {
        const bool flag = how[0] == '-';
        RunResult r = on_terminal(flag ? "PANMUN_PAGER='sed s/^/paged:/'" : how,
                                  flag ? search + " --no-pager" : search);
        ASSERT_EQ(r.status, 0) << how << r.err;
        EXPECT_EQ(r.out.find("paged:"), std::string::npos) << how << r.out;
        EXPECT_NE(r.out.find("1. "), std::string::npos) << how << r.out;
    }
    // A reader who quits the pager before the end (here: one that reads nothing and quits)
    // ends the output, and the command exits with its own status, not killed by SIGPIPE (141).
    // 300 kB of output: more than the pipe holds, so that the writes outlast the pager.
    TempDir big;
    std::string lines;
    for (int i = 0; i < 200; ++i) {
        lines += "{\"id\":\"b" + std::to_string(i) + "\",\"title\":\"Talks\",\"text\":\"";
        for (int w = 0; w < 150; ++w)  // every text its own: identical ones are stored once
            lines += "Korea talks " + std::to_string(i * 1000 + w) + " ";
        lines += "\"}\n";
    }
    write_file(big / "big.jsonl", lines);
    ASSERT_EQ(
        run(index_bin + " build -q -a " + (big / "big.panmun") + " " + (big / "big.jsonl")).status,
        0);
    RunResult quit = on_terminal(
        "PANMUN_PAGER='sleep 0.2'",
        query_bin + " search -n 200 --jsonl --fields text -a " + (big / "big.panmun") + " Korea");
    EXPECT_EQ(quit.status, 0) << quit.out.substr(0, 300) << quit.err;
    // Not a terminal (a script's pipe): never paged.
    RunResult piped = run("PANMUN_PAGER='sed s/^/paged:/' " + search);
    EXPECT_EQ(piped.out.find("paged:"), std::string::npos) << piped.out;
    // The exit status is the command's, with the pager: 1 when nothing matched.
    RunResult none = on_terminal("PANMUN_PAGER='sed s/^/paged:/'",
                                 query_bin + " search --archive " + archive() + " zzzyxw");
    EXPECT_EQ(none.status, 1) << none.out;
    // An error after the pager started is printed after it, and exits 2.
    RunResult error = on_terminal("PANMUN_PAGER='sed s/^/paged:/'",
                                  query_bin + " search --archive " + archive() + " 'date:2020..x'");
    EXPECT_EQ(error.status, 2) << error.out;
    EXPECT_NE(error.out.find("panmun-query: "), std::string::npos) << error.out;
}

// Every JSON output, one run each on the sample, checked against docs/schemas; the check must
// use every schema (the end-to-end tests' other outputs are checked after them by
// json_outputs.schemas).
TEST_F(Terminal, EveryJsonOutputFollowsItsSchema) {
    TempDir work;
    const std::string outputs = work / "outputs";
    fs::create_directories(outputs);
    const std::string a = " --archive " + (work / "copy.panmun");
    int serial = 0;
    auto json_run = [&](const std::string& command) {
        RunResult r = run(command);
        EXPECT_LE(r.status, 1) << command << "\n" << r.err;
        EXPECT_FALSE(r.out.empty()) << command;
        std::ofstream(outputs + "/" + std::to_string(++serial) + ".json")
            << json{{"command", command}, {"stdout", r.out}}.dump() << "\n";
    };
    const std::string sample = shell_quote(sample_corpus());
    json_run(index_bin + " build --json" + a + " " + sample);
    json_run(index_bin + " add --json" + a + " " + sample);
    json_run("printf '%s\\n' '{\"id\":\"x1\",\"title\":\"T\",\"text\":\"Kaesong talks.\"}' | " +
             index_bin + " add --json" + a + " -");
    json_run(index_bin + " sync --json --dry-run" + a + " " +
             shell_quote(source_dir() + "/corpus/sample"));
    json_run(index_bin + " delete --json" + a + " x1 no-such-id");
    json_run(index_bin + " retag --json" + a);
    json_run(index_bin + " stats --json" + a);
    json_run(index_bin + " verify --json" + a);
    json_run(query_bin + " search --json --facets date,person,place --share" + a + " Kaesong");
    json_run(query_bin +
             " search --json --fields rank,id,date,source,title,url,path,lang,author,"
             "score,snippet,highlights,duplicates,text" +
             a + " hotline");
    json_run(query_bin + " search --json --count --facets date,org" + a + " hotline");
    json_run(query_bin + " search --jsonl --facets event" + a + " summit");
    json_run(query_bin + " search --jsonl --count" + a + " summit");
    json_run(query_bin + " like --json --limit 3" + a + " sample-20180914-liaison-office-opens");
    json_run(query_bin + " show --json" + a + " sample-20180914-liaison-office-opens");
    json_run(query_bin + " entities --json" + a);
    json_run(query_bin + " entities --json --with person:kim-jong-un --by year" + a);
    json_run(query_bin + " entities --json --discover" + a);
    RunResult check = run("/usr/bin/python3 " + source_dir() +
                          "/tests/install/check_json_outputs.py --require-all " + outputs);
    EXPECT_EQ(check.status, 0) << check.out << check.err;
    EXPECT_NE(check.out.find(": ok"), std::string::npos) << check.out;

    // The check fails on an output that does not follow its schema.
    std::ofstream(outputs + "/zz-broken.json")
        << json{{"command", query_bin + " search --json x"},
                {"stdout", R"({"query":"x","total":-1,"offset":0,"limit":10,"hits":[]})"}}
               .dump()
        << "\n";
    RunResult broken =
        run("/usr/bin/python3 " + source_dir() + "/tests/install/check_json_outputs.py " + outputs);
    EXPECT_EQ(broken.status, 1) << broken.out;
    EXPECT_NE(broken.err.find("zz-broken.json"), std::string::npos) << broken.err;
}
