// Test support: temporary directories, paths to the sample and real corpora, running binaries.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/filesystem.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "panmun/archive.hpp"
#include "panmun/search.hpp"

namespace panmun::test {

namespace fs = boost::filesystem;

// A document for the archive tests: `id`, "Title of ID", `text`, dated 2020-06-09.
inline Document doc(const std::string& id, const std::string& text) {
    Document d;
    d.id = id;
    d.title = "Title of " + id;
    d.text = text;
    d.date = *Date::parse_iso("2020-06-09");
    return d;
}

// A fresh directory, removed with everything in it when the object dies.
class TempDir {
public:
    TempDir() : path_(fs::temp_directory_path() / fs::unique_path("panmun-test-%%%%-%%%%-%%%%")) {
        fs::create_directories(path_);
    }
    ~TempDir() {
        boost::system::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// A search for `query`, hits offset+1 .. offset+limit, everything else at its default.
inline SearchRequest request(std::string query, Xapian::doccount offset, Xapian::doccount limit) {
    SearchRequest r;
    r.query = std::move(query);
    r.offset = offset;
    r.limit = limit;
    return r;
}

// Expects two searches' facets equal: each entity facet's ids and counts in order, the date
// buckets and their counts, the undated matches. `label` names the query in failures.
inline void expect_same_facets(const SearchResult& a, const SearchResult& b,
                               const std::string& label) {
    for (int t = 0; t < 4; ++t) {
        ASSERT_EQ(a.facets.entities[t].size(), b.facets.entities[t].size()) << label;
        for (std::size_t k = 0; k < a.facets.entities[t].size(); ++k) {
            EXPECT_EQ(a.facets.entities[t][k].id, b.facets.entities[t][k].id) << label;
            EXPECT_EQ(a.facets.entities[t][k].count, b.facets.entities[t][k].count) << label;
        }
    }
    ASSERT_EQ(a.facets.dates.size(), b.facets.dates.size()) << label;
    for (std::size_t k = 0; k < a.facets.dates.size(); ++k) {
        EXPECT_EQ(a.facets.dates[k].bucket, b.facets.dates[k].bucket) << label;
        EXPECT_EQ(a.facets.dates[k].count, b.facets.dates[k].count) << label;
    }
    EXPECT_EQ(a.facets.undated, b.facets.undated) << label;
}

inline std::string source_dir() { return PANMUN_SOURCE_DIR; }
inline std::string sample_corpus() { return source_dir() + "/corpus/sample/articles.jsonl"; }

// ../shared/corpora beside the checkout, or $PANMUN_CORPORA. Empty if absent.
inline std::string corpora_dir() {
    const char* env = std::getenv("PANMUN_CORPORA");
    std::string dir = env ? env : source_dir() + "/../shared/corpora";
    return fs::is_directory(dir) ? dir : std::string();
}

inline void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The sample corpus's articles (one a line), counted rather than written into the tests.
inline int sample_size() {
    const std::string text = read_file(sample_corpus());
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

struct RunResult {
    int status = -1;  // exit code
    std::string out;  // standard output
    std::string err;  // standard error
};

// With PANMUN_JSON_CAPTURE naming a directory (CTest sets it for the end-to-end tests), the
// standard output of every run of panmun-query or panmun-index with --json or --jsonl is kept
// there, to be checked against docs/schemas when the tests are done
// (tests/install/check_json_outputs.py).
inline void capture_json_output(const std::string& command, const std::string& out) {
    const char* dir = std::getenv("PANMUN_JSON_CAPTURE");
    if (!dir || !*dir || out.empty() || command.find("--json") == std::string::npos ||
        (command.find("panmun-query") == std::string::npos &&
         command.find("panmun-index") == std::string::npos))
        return;
    static std::atomic<int> serial = 0;
    const std::string name = std::string(dir) + "/" + std::to_string(::getpid()) + "-" +
                             std::to_string(++serial) + ".json";
    // Invalid UTF-8 is replaced here, so that the check reports the output rather than this
    // helper throwing.
    std::ofstream(name, std::ios::binary)
        << nlohmann::json{{"command", command}, {"stdout", out}}.dump(
               -1, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
}

// Runs a shell command line, capturing stdout and stderr separately.
inline RunResult run(const std::string& command) {
    TempDir tmp;
    std::string full =
        "( " + command + " ) >" + (tmp / "out") + " 2>" + (tmp / "err") + " </dev/null";
    int raw = std::system(full.c_str());
    RunResult r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = read_file(tmp / "out");
    r.err = read_file(tmp / "err");
    capture_json_output(command, r.out);
    return r;
}

inline std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// A suite over one archive of the sample corpus, built once for the suite by the real
// panmun-index (quietly: it prints nothing). Suites that need more set-up call these first.
class SampleArchiveSuite : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        RunResult r = run(std::string(PANMUN_INDEX_BIN) + " build --quiet --archive " + archive() +
                          " " + shell_quote(sample_corpus()));
        ASSERT_EQ(r.status, 0) << r.err;
        ASSERT_EQ(r.err, "");  // --quiet: nothing but errors
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static std::string archive() { return *dir_ / "sample.panmun"; }

private:
    static inline TempDir* dir_ = nullptr;
};

// The sample corpus in two archives built by the real panmun-index: its records alternately in
// dir/first.panmun (the first record, the third...) and dir/second.panmun, with `more_second`
// (JSON Lines) added to the second. Returns their paths; a failed build fails the test.
inline std::pair<std::string, std::string> sample_in_two(const TempDir& dir,
                                                         const std::string& more_second = "") {
    std::istringstream in(read_file(sample_corpus()));
    std::string halves[2];
    int n = 0;
    for (std::string line; std::getline(in, line); ++n) halves[n % 2] += line + "\n";
    halves[1] += more_second;
    const std::string paths[2] = {dir / "first.panmun", dir / "second.panmun"};
    for (int i = 0; i < 2; ++i) {
        const std::string input = dir / (i ? "second.jsonl" : "first.jsonl");
        write_file(input, halves[i]);
        RunResult r = run(std::string(PANMUN_INDEX_BIN) + " build --quiet --archive " + paths[i] +
                          " " + input);
        EXPECT_EQ(r.status, 0) << r.err;
    }
    return {paths[0], paths[1]};
}

// The ids of every document in an archive, in docid order.
inline std::vector<std::string> archive_ids(const std::string& archive) {
    ArchiveReader r(archive);
    std::vector<std::string> ids;
    const auto& db = r.database();
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
        ids.push_back(db.get_document(*it).get_data());
    return ids;
}

}  // namespace panmun::test
