// The web API of `panmun-query serve` over the sample archive, through cpp-httplib's client:
// every route against what the CLI prints for the same request, bad input of every kind answered
// with its status and a JSON error (and the server still serving), and an update made beside
// the running server seen at the next request.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "app.hpp"
#include "helpers.hpp"
#include "panmun/errors.hpp"

using nlohmann::json;
using namespace panmun::test;

namespace {

const std::string index_bin = PANMUN_INDEX_BIN;
const std::string query_bin = PANMUN_QUERY_BIN;

class Web : public SampleArchiveSuite {
protected:
    static void SetUpTestSuite() {
        SampleArchiveSuite::SetUpTestSuite();
        if (::testing::Test::HasFatalFailure()) return;
        panmun::web::WebSettings settings;
        settings.archives = {archive()};
        app_ = new panmun::web::WebApp(settings);
        server_ = panmun::web::make_http_server().release();
        panmun::web::ServerSettings s;
        s.port = 0;
        s.threads = 4;
        port_ = server_->bind(s);
        thread_ = new std::thread([] {
            server_->run([](const panmun::web::HttpRequest& r) { return app_->handle(r); });
        });
    }
    static void TearDownTestSuite() {
        server_->stop();
        thread_->join();
        delete thread_;
        delete server_;
        delete app_;
        SampleArchiveSuite::TearDownTestSuite();
    }
    static httplib::Result get(const std::string& target, const std::string& host = "") {
        httplib::Client client("127.0.0.1", port_);
        client.set_read_timeout(30, 0);
        client.set_url_encode(false);  // the targets are written encoded, '+' for a space
        httplib::Headers headers;
        if (!host.empty()) headers.emplace("Host", host);
        return client.Get(target.c_str(), headers);
    }
    static json get_json(const std::string& target, int status = 200) {
        auto res = get(target);
        EXPECT_TRUE(res) << target;
        if (!res) return {};
        EXPECT_EQ(res->status, status) << target << "\n" << res->body;
        EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8")
            << target;
        return json::parse(res->body);
    }
    static json cli_json(const std::string& args) {
        RunResult r = run(query_bin + " " + args + " --archive " + archive());
        EXPECT_LE(r.status, 1) << args << "\n" << r.err;
        return json::parse(r.out);
    }
    static panmun::web::WebApp* app_;
    static panmun::web::HttpServer* server_;
    static std::thread* thread_;
    static int port_;
};
panmun::web::WebApp* Web::app_ = nullptr;
panmun::web::HttpServer* Web::server_ = nullptr;
std::thread* Web::thread_ = nullptr;
int Web::port_ = 0;

TEST_F(Web, SearchGivesWhatSearchJsonPrints) {
    for (const auto& [api, cli] : std::vector<std::pair<std::string, std::string>>{
             {"/api/search?q=hotline&facets=person,org,place,event,date&limit=5",
              "search --json --facets person,org,place,event,date --limit 5 hotline"},
             {"/api/search?q=hotline&page=2&limit=3&sort=date",
              "search --json --offset 3 --limit 3 --sort date hotline"},
             {"/api/search?q=%EB%B6%81%ED%95%9C&facets=place&facet_top=3",
              "search --json --facets place --facet-top 3 \xEB\xB6\x81\xED\x95\x9C"},  // 북한
             {"/api/search?q=Kaesong&from=2013&to=2016&collapse=1&fields=id,date,title",
              "search --json --from 2013 --to 2016 --collapse --fields id,date,title Kaesong"}}) {
        json served = get_json(api), printed = cli_json(cli);
        EXPECT_EQ(served, printed) << api;
        EXPECT_GT(served["total"].get<int>(), 0) << api;
    }
}

TEST_F(Web, DocumentLikeEntitiesAndStats) {
    const std::string id = "sample-20130327-hotline-cut-2013";
    json doc = get_json("/api/doc/" + id);
    json shown = cli_json("show --json " + id);
    for (auto& [key, value] : shown.items()) EXPECT_EQ(doc[key], value) << key;
    std::set<std::string> tags;
    for (const auto& e : doc["entities"])
        tags.insert(e["type"].get<std::string>() + ":" + e["id"].get<std::string>());
    EXPECT_TRUE(tags.count("person:kim-jong-un")) << doc["entities"].dump();
    EXPECT_TRUE(tags.count("place:kaesong")) << doc["entities"].dump();
    get_json("/api/doc/no-such-id", 404);
    // Several at once (a remote shard's texts), in the order asked, as `show` prints them.
    const std::string other = "sample-20180427-panmunjom-summit-2018";
    json docs = get_json("/api/docs?id=" + other + "&id=" + id)["documents"];
    ASSERT_EQ(docs.size(), 2u) << docs;
    EXPECT_EQ(docs[0], cli_json("show --json " + other));
    EXPECT_EQ(docs[1], shown);
    EXPECT_NE(
        get_json("/api/docs?id=" + id + "&id=no-such-id", 404)["error"].get<std::string>().find(
            "no-such-id"),
        std::string::npos);
    get_json("/api/docs", 400);

    EXPECT_EQ(get_json("/api/like?id=" + id + "&before=2013-03-27&limit=3"),
              cli_json("like --json --limit 3 --before 2013-03-27 " + id));
    httplib::Client client("127.0.0.1", port_);
    auto posted = client.Post("/api/like?limit=2",
                              "The North cut the military hotline and the liaison office "
                              "stopped answering calls from the South.",
                              "text/plain");
    ASSERT_TRUE(posted);
    EXPECT_EQ(posted->status, 200) << posted->body;
    EXPECT_EQ(json::parse(posted->body)["hits"].size(), 2u);

    json entities = get_json("/api/entities?type=person&top=5");
    json listed = cli_json("entities --json --type person --top 5");
    EXPECT_EQ(entities["entities"], listed["entities"]);
    EXPECT_EQ(entities["entities"].size(), 5u);

    json stats = get_json("/api/stats");
    EXPECT_EQ(stats["documents"].get<int>(), sample_size());
    EXPECT_EQ(stats["archives"], json::array({"sample.panmun"}));
}

TEST_F(Web, CooccurrenceAndSharesAsTheCliGivesThem) {
    json served = get_json("/api/cooccurrence?e=person:kim-jong-un&by=year&top=5");
    json printed = cli_json("entities --json --with person:kim-jong-un --by year --top 5");
    served.erase("archive");
    printed.erase("archive");
    EXPECT_EQ(served, printed);
    EXPECT_EQ(served["entities"].size(), 5u);
    EXPECT_EQ(get_json("/api/cooccurrence?e=place:kaesong&q=hotline&type=person&top=3"), [&] {
        json j = cli_json("entities --json --with place:kaesong --type person --top 3 hotline");
        j["archive"] = "sample.panmun";
        return j;
    }());
    EXPECT_EQ(get_json("/api/search?q=hotline&facets=date&share=1&by=year&limit=0"),
              cli_json("search --json --facets date --share --by year --limit 0 hotline"));
    get_json("/api/cooccurrence?e=person:nobody-at-all", 400);
    get_json("/api/cooccurrence?e=hotline", 400);
    // A reversed range is refused as /api/search refuses it, not answered with an empty table.
    json reversed = get_json("/api/cooccurrence?e=person:kim-jong-un&from=2019&to=2018", 400);
    EXPECT_NE(reversed.dump().find("after --to"), std::string::npos) << reversed.dump();
    get_json("/api/search?q=hotline&from=2019&to=2018", 400);
    // The id in any case, and a name of the person, as the query's person: filter takes them.
    EXPECT_EQ(get_json("/api/cooccurrence?e=person:Kim-Jong-Un&by=year&top=5")["documents"],
              served["documents"]);
    EXPECT_EQ(get_json("/api/cooccurrence?e=person:%22Kim%20Jong-un%22&by=year&top=5")["documents"],
              served["documents"]);

    auto page = get("/with?e=person:kim-jong-un&by=year");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    for (const char* part :
         {"<h1>Named with Kim Jong Un</h1>", "<table class=\"cooccurrence\">",
          "<th scope=\"row\"><a href=\"/with?e=", "href=\"/search?f=person%3Akim-jong-un&amp;f="})
        EXPECT_NE(page->body.find(part), std::string::npos) << part;
    auto shares = get("/search?q=hotline&share=1");
    ASSERT_TRUE(shares);
    EXPECT_NE(shares->body.find("as a share of all articles"), std::string::npos);
    EXPECT_NE(shares->body.find("aria-label=\"2013: 1 article of "), std::string::npos);
    auto search_page = get("/search?q=hotline");
    ASSERT_TRUE(search_page);
    EXPECT_NE(search_page->body.find(
                  "class=\"with\" href=\"/with?e=person%3Akim-jong-un&amp;q=hotline\""),
              std::string::npos);
    // An entity asked by its Korean name: Korean names, and links that name it by its id.
    auto korean = get("/with?e=person:%EA%B9%80%EC%A0%95%EC%9D%80");  // person:김정은
    ASSERT_TRUE(korean);
    EXPECT_EQ(korean->status, 200);
    EXPECT_NE(korean->body.find("<h1>Named with \xEA\xB9\x80\xEC\xA0\x95\xEC\x9D\x80</h1>"),
              std::string::npos);
    EXPECT_NE(korean->body.find("href=\"/search?f=person%3Akim-jong-un"), std::string::npos);
    EXPECT_EQ(korean->body.find("f=person%3A%EA"), std::string::npos);
    auto bad = get("/with?e=person:nobody-at-all");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_NE(bad->body.find("class=\"error\""), std::string::npos);
}

TEST_F(Web, ExportStreamsTheWholeResultSet) {
    const int total = get_json("/api/search?q=the&limit=0")["total"];
    ASSERT_GT(total, 20);
    auto csv = get("/api/export?format=csv&q=the&fields=id,date");
    ASSERT_TRUE(csv);
    EXPECT_EQ(csv->status, 200);
    EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
    EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), total + 1);  // and a header
    EXPECT_EQ(csv->body.substr(0, 9), "id,date\r\n");
    auto jsonl = get("/api/export?format=jsonl&q=the");
    ASSERT_TRUE(jsonl);
    EXPECT_EQ(std::count(jsonl->body.begin(), jsonl->body.end(), '\n'), total);
    std::set<std::string> ids;
    std::istringstream lines(jsonl->body);
    for (std::string line; std::getline(lines, line);) ids.insert(json::parse(line)["id"]);
    EXPECT_EQ(static_cast<int>(ids.size()), total);
    get_json("/api/export?format=xml&q=the", 400);
}

TEST_F(Web, BadRequestsGetTheirStatusAndAJsonErrorAndTheServerKeepsServing) {
    struct Case {
        std::string target;
        int status;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"/api/nothing", 404, "no API route"},
        {"/api/search?q=hotline+NEAR%2F0+cut", 400, "NEAR/0"},
        {"/api/search?q=%22unclosed", 400, "column"},
        {"/api/search?q=persn%3Akim", 400, "did you mean 'person:'"},
        {"/api/search", 400, "give a query"},
        {"/api/search?q=%FF%FE", 400, "not valid UTF-8"},
        {"/api/search?q=hotline&page=0", 400, "'page'"},
        {"/api/search?q=hotline&page=abc", 400, "'page'"},
        {"/api/search?q=hotline&page=-1", 400, "'page'"},
        {"/api/search?q=hotline&limit=100000", 400, "'limit'"},
        {"/api/search?q=hotline&from=2013-13", 400, "not a date"},
        {"/api/search?q=hotline&from=2014&to=2013", 400, "no date is in that range"},
        {"/api/search?q=hotline&sort=best", 400, "'sort'"},
        {"/api/search?q=hotline&facets=people", 400, "people"},
        {"/api/search?q=hotline&fields=id,colour", 400, "unknown field 'colour'"},
        {"/api/search?q=hotline&archive=other", 404, "no archive named 'other'"},
        {"/api/like", 400, "give an example"},
        {"/api/search?q=" + std::string(5000, 'a'), 414, "too long"},
        {"/api/search?q=" + std::string(1 << 20, 'a'), 414, "too long"},
    };
    for (const Case& c : cases) {
        auto res = get(c.target);
        ASSERT_TRUE(res) << c.target.substr(0, 80);
        EXPECT_EQ(res->status, c.status) << c.target.substr(0, 80) << "\n" << res->body;
        json body = json::parse(res->body, nullptr, false);
        ASSERT_FALSE(body.is_discarded())
            << c.target.substr(0, 80) << ": " << res->body.substr(0, 200);
        EXPECT_NE(body["error"].get<std::string>().find(c.says), std::string::npos)
            << c.target.substr(0, 80) << ": " << body["error"];
    }
    // A query error carries its column, as the CLI's message does.
    json near = get_json("/api/search?q=hotline+NEAR%2F0+cut", 400);
    EXPECT_EQ(near["column"], 14);
    // Paths out of the assets: never a file, whatever the encoding.
    for (const std::string path :
         {"/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
          "/static/..%2f..%2fetc%2fpasswd", "/static/%252e%252e%252fetc%252fpasswd",
          "/../../etc/passwd", "/static//etc/passwd", "/static/app.js/../../../../etc/passwd"}) {
        auto res = get(path);
        ASSERT_TRUE(res) << path;
        EXPECT_TRUE(res->status == 404 || res->status == 400) << path << " " << res->status;
        EXPECT_EQ(res->body.find("root:"), std::string::npos) << path;
    }
    // DNS rebinding: a name that resolves here but is not this server's.
    auto rebound = get("/api/stats", "evil.example:8080");
    ASSERT_TRUE(rebound);
    EXPECT_EQ(rebound->status, 403);
    EXPECT_NE(json::parse(rebound->body)["error"].get<std::string>().find("DNS rebinding"),
              std::string::npos);
    EXPECT_EQ(get("/api/stats", "localhost:" + std::to_string(port_))->status, 200);
    // Read-only: nothing but GET (and POST of an example to like).
    httplib::Client client("127.0.0.1", port_);
    auto del = client.Delete("/api/doc/sample-20130327-hotline-cut-2013");
    ASSERT_TRUE(del);
    EXPECT_EQ(del->status, 405);
    auto big = client.Post("/api/like", std::string(2 << 20, 'a'), "text/plain");
    ASSERT_TRUE(big);
    EXPECT_EQ(big->status, 413);
    EXPECT_FALSE(json::parse(big->body, nullptr, false).is_discarded()) << big->body;
    // Still serving, with the right answer.
    EXPECT_EQ(get_json("/api/stats")["documents"].get<int>(), sample_size());
}

// The server's HTTP (beast_server.cpp): connections kept alive and idle, more than its four
// workers, do not keep a new client waiting; HEAD answers the headers of GET; a client that asks
// before sending a body (Expect: 100-continue, as curl does past 1 KiB) is told to go on.
TEST_F(Web, IdleConnectionsHEADAndExpectContinue) {
    std::vector<std::unique_ptr<httplib::Client>> idle;
    for (int i = 0; i < 6; ++i) {
        idle.push_back(std::make_unique<httplib::Client>("127.0.0.1", port_));
        idle.back()->set_keep_alive(true);
        auto res = idle.back()->Get("/api/stats");
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 200);
    }
    httplib::Client late("127.0.0.1", port_);
    late.set_read_timeout(3, 0);  // the server's idle connections would hold it 5 s
    auto res = late.Get("/api/stats");
    ASSERT_TRUE(res) << "a new client waited behind idle connections";
    EXPECT_EQ(res->status, 200);

    auto head = late.Head("/api/search?q=hotline");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_TRUE(head->body.empty());
    EXPECT_EQ(head->get_header_value("Content-Length"),
              std::to_string(get("/api/search?q=hotline")->body.size()));

    httplib::Headers expect{{"Expect", "100-continue"}};
    auto posted =
        late.Post("/api/like?limit=1", expect, std::string(4000, 'a') + " hotline", "text/plain");
    ASSERT_TRUE(posted);
    EXPECT_EQ(posted->status, 200) << posted->body;
}

// A second server on a taken port must fail, not share its requests with the first in silence.
TEST_F(Web, ASecondServerOnTheSamePortIsRefused) {
    auto other = panmun::web::make_http_server();
    panmun::web::ServerSettings s;
    s.port = port_;
    EXPECT_THROW(other->bind(s), panmun::UsageError);
    EXPECT_EQ(get_json("/api/stats")["documents"].get<int>(), sample_size());
}

TEST_F(Web, PagesWorkWithoutJavaScript) {
    auto page = get("/search?q=hotline&f=person:kim-jong-un");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    const std::string& html = page->body;
    const int total = get_json("/api/search?q=hotline+person:kim-jong-un&limit=0")["total"];
    EXPECT_NE(html.find("data-total=\"" + std::to_string(total) + "\""), std::string::npos);
    for (const char* part :
         {"<header role=\"banner\"", "<main id=\"main\"", "role=\"search\"", "<label for=\"q\">",
          "aria-label=\"Facets\"", "class=\"timeline\"", "Remove filter Kim Jong Un",
          "<mark>hotline</mark>", "href=\"/doc/sample-"})
        EXPECT_NE(html.find(part), std::string::npos) << part;
    EXPECT_NE(page->get_header_value("Content-Security-Policy").find("script-src 'self'"),
              std::string::npos);
    auto bad = get("/search?q=%22unclosed");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_NE(bad->body.find("class=\"at\""), std::string::npos);
    auto doc = get("/doc/sample-20130327-hotline-cut-2013");
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->status, 200);
    EXPECT_NE(doc->body.find("Precedents before 2013-03-27"), std::string::npos);
    EXPECT_NE(doc->body.find("sample-20090309-hotline-cut-key-resolve"), std::string::npos);
    for (const char* asset : {"/static/app.js", "/static/style.css"}) {
        auto res = get(asset);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 200) << asset;
        EXPECT_GT(res->body.size(), 1000u) << asset;
    }
}

TEST_F(Web, AnUpdateBesideTheServerShowsAtTheNextRequest) {
    const int before = get_json("/api/stats")["documents"];
    // Asked before the update too: an answer kept by the server must not outlive its commit.
    EXPECT_EQ(get_json("/api/search?q=zebrafinch&limit=0")["total"], 0);
    EXPECT_EQ(get_json("/api/search?q=zebrafinch&limit=0")["total"], 0);
    TempDir extra;
    write_file(extra / "new.jsonl",
               R"({"id":"web-test-added","title":"Zebrafinch talks","date":"2024-01-02",)"
               R"("text":"The zebrafinch delegation met at the border village."})"
               "\n");
    RunResult r =
        run(index_bin + " add --quiet --archive " + archive() + " " + (extra / "new.jsonl"));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(get_json("/api/search?q=zebrafinch&limit=0")["total"], 1);
    EXPECT_EQ(get_json("/api/stats")["documents"].get<int>(), before + 1);
    r = run(index_bin + " delete --quiet --archive " + archive() + " web-test-added");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(get_json("/api/search?q=zebrafinch&limit=0")["total"], 0);
}

}  // namespace

// Issue 22: two archives served each on its own and together as "all", which answers as one
// archive of all their documents would, each hit naming the archive it came from and linking to
// its page there.
TEST(WebArchives, AllSearchesTheArchivesAsOne) {
    TempDir tmp;
    const auto [a, b] = sample_in_two(tmp);
    const std::string one = tmp / "one.panmun";
    ASSERT_EQ(run(index_bin + " build --quiet --archive " + one + " " + sample_corpus()).status, 0);
    ASSERT_FALSE(HasFailure());
    panmun::web::WebSettings settings;
    settings.archives = {one};
    panmun::web::WebApp single_app(settings);
    settings.archives = {a, b};
    panmun::web::WebApp app(settings);
    auto get = [](const panmun::web::WebApp& on, const std::string& path,
                  std::multimap<std::string, std::string> params) {
        panmun::web::HttpRequest r;
        r.method = "GET";
        r.path = path;
        r.params = std::move(params);
        return on.handle(r);
    };
    auto search = [&](const panmun::web::WebApp& on, const std::string& archive) {
        auto r = get(
            on, "/api/search",
            {{"q", "hotline"}, {"limit", "50"}, {"archive", archive}, {"facets", "person,date"}});
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body);
    };
    const json single = search(single_app, "one.panmun"), all = search(app, "all");
    EXPECT_EQ(single["total"], all["total"]);
    EXPECT_EQ(single["facets"], all["facets"]);
    ASSERT_EQ(single["hits"].size(), all["hits"].size());
    std::set<std::string> archives;
    for (std::size_t k = 0; k < all["hits"].size(); ++k) {
        EXPECT_EQ(single["hits"][k]["id"], all["hits"][k]["id"]);
        EXPECT_FALSE(single["hits"][k].contains("archive"));
        archives.insert(all["hits"][k]["archive"]);
    }
    EXPECT_EQ(archives, (std::set<std::string>{"first.panmun", "second.panmun"}));
    EXPECT_LT(search(app, "first.panmun")["total"], all["total"]);
    EXPECT_EQ(get(app, "/api/stats", {{"archive", "all"}}).status, 400);
    EXPECT_EQ(json::parse(get(app, "/api/stats", {{"archive", "first.panmun"}}).body)["archives"],
              json::array({"first.panmun", "second.panmun", "all"}));
    // The page lists the view and links each hit to its own archive's page.
    auto page = get(app, "/search", {{"q", "\"liaison office\""}, {"archive", "all"}});
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("href=\"/?archive=all\""), std::string::npos);
    EXPECT_NE(page.body.find("?archive=second.panmun\""), std::string::npos) << page.body;
    EXPECT_NE(page.body.find("in <span class=\"archive\">"), std::string::npos);
}
