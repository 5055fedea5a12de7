// Search correctness on real corpora, against oracles written here (issue 5):
// - KCNA 2011–12 (../shared/corpora/kcna-marquez, 20,305 English stories): 36 phrase, boolean and
//   date queries; the set of matching documents must equal a scan of the stored texts.
// - North Korean New Year addresses 1946–2019 (../shared/corpora/nk-newyear-ko, Korean): names
//   and words followed by particles are found; recall and precision against a substring scan.
// Both skip with a message when the corpora are absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "helpers.hpp"
#include "oracle.hpp"
#include "panmun/archive.hpp"
#include "panmun/input.hpp"
#include "panmun/search.hpp"

using nlohmann::json;
using namespace panmun;
using namespace panmun::test;

namespace {

struct Story {
    std::string id, date;  // date: ISO as in the input, "" when absent
    std::vector<std::string> title, body;  // words_of()
};

// A document-level predicate: the oracle's reading of one query.
using Oracle = std::function<bool(const Story&)>;

bool has_phrase(const Story& s, const std::string& phrase) {
    auto target = words_of(phrase);
    return contains_phrase(s.title, target) || contains_phrase(s.body, target);
}
Oracle phrase(std::string p) {
    return [p](const Story& s) { return has_phrase(s, p); };
}
Oracle in_title(std::string p) {
    return [p](const Story& s) { return contains_phrase(s.title, words_of(p)); };
}
Oracle dated(std::string from, std::string to) {  // ISO strings compare in time order
    return [from, to](const Story& s) {
        return !s.date.empty() && s.date >= from && s.date <= to;
    };
}
Oracle operator&&(Oracle a, Oracle b) { return [a, b](const Story& s) { return a(s) && b(s); }; }
Oracle operator||(Oracle a, Oracle b) { return [a, b](const Story& s) { return a(s) || b(s); }; }
Oracle operator!(Oracle a) { return [a](const Story& s) { return !a(s); }; }

class KcnaQueries : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (corpora_dir().empty()) return;
        const std::string dir = corpora_dir() + "/kcna-marquez/";
        if (!fs::exists(dir + "KCNA_2011.jsonl.zst")) return;
        tmp_ = new TempDir;
        stories_ = new std::vector<Story>;
        RunResult r = run(std::string(PANMUN_INDEX_BIN) + " build --quiet --source KCNA --archive " +
                          archive() + " --map text=story,url=index.link,lang=language " + dir +
                          "KCNA_2011.jsonl.zst " + dir + "KCNA_2012.jsonl.zst");
        ASSERT_EQ(r.status, 1) << "records with empty stories are skipped\n" << r.err;
        // The oracle's own reading of the inputs: every record with a story, once per
        // (title, date, story), under the id panmun derives from exactly those fields, and once
        // per text (a repeat of a stored text under another title or date is a duplicate).
        std::set<std::string> seen, seen_text;
        for (const char* file : {"KCNA_2011.jsonl.zst", "KCNA_2012.jsonl.zst"}) {
            LineReader reader(dir + file);
            for (std::string line; reader.next(line);) {
                json rec = json::parse(line);
                if (!rec["story"].is_string()) continue;
                Document probe;
                probe.text = rec["story"];
                if (probe.text.find_first_not_of(" \t\r\n") == std::string::npos) continue;
                if (rec["title"].is_string()) probe.title = rec["title"];
                std::string date = rec["date"].is_string() ? rec["date"].get<std::string>() : "";
                if (auto d = Date::parse_iso(date)) probe.date = *d;
                Story s{content_id(probe), date, words_of(probe.title), words_of(probe.text)};
                if (seen.insert(s.id).second && seen_text.insert(same_text_key(probe.text)).second)
                    stories_->push_back(std::move(s));
            }
        }
    }
    static void TearDownTestSuite() {
        delete stories_;
        delete tmp_;
    }
    void SetUp() override {
        if (!stories_) GTEST_SKIP() << "../shared/corpora/kcna-marquez is absent: real-corpus test skipped";
    }
    static std::string archive() { return *tmp_ / "kcna.panmun"; }

    static TempDir* tmp_;
    static std::vector<Story>* stories_;
};
TempDir* KcnaQueries::tmp_ = nullptr;
std::vector<Story>* KcnaQueries::stories_ = nullptr;

}  // namespace

TEST_F(KcnaQueries, ThirtySixQueriesMatchExactlyWhatAScanFinds) {
    // Every query of tests/queries-kcna.txt (the set scripts/bench-query times) with the
    // oracle's reading of it.
    const std::map<std::string, Oracle> oracles = {
        // names, with hyphens, possessives and case as the agency writes them
        {"\"Kim Jong Il\"", phrase("Kim Jong Il")},
        {"\"Kim Jong Un\"", phrase("Kim Jong Un")},
        {"\"Kim Jong-un\"", phrase("Kim Jong Un")},
        {"\"kim jong il's\"", phrase("Kim Jong Il's")},
        {"\"Kim Il Sung\"", phrase("Kim Il Sung")},
        {"\"Lee Myung Bak\"", phrase("Lee Myung Bak")},
        {"\"Lee Myung-bak\" OR \"Lee Myung Bak\"", phrase("Lee Myung Bak")},
        {"\"Kim Yong Nam\"", phrase("Kim Yong Nam")},
        // apostrophes
        {"\"Workers' Party\"", phrase("Workers' Party")},
        {"\"Workers' Party of Korea\"", phrase("Workers' Party of Korea")},
        {"\"Korean People's Army\"", phrase("Korean People's Army")},
        {"\"Democratic People's Republic of Korea\"", phrase("Democratic People's Republic of Korea")},
        // set phrases
        {"\"south Korean puppet\"", phrase("south Korean puppet")},
        {"\"six-party talks\"", phrase("six party talks")},
        {"\"Juche idea\"", phrase("Juche idea")},
        {"\"Songun politics\"", phrase("Songun politics")},
        {"\"Rodong Sinmun\"", phrase("Rodong Sinmun")},
        {"\"Supreme Commander\"", phrase("Supreme Commander")},
        {"\"nuclear deterrent\"", phrase("nuclear deterrent")},
        // numbers and dates in the text
        {"\"2012\"", phrase("2012")},
        {"\"100th birth anniversary\"", phrase("100th birth anniversary")},
        {"\"December 17\"", phrase("December 17")},
        {"\"April 15\"", phrase("April 15")},
        {"\"June 25\" \"1950\"", phrase("June 25") && phrase("1950")},
        {"\"Juche 101\"", phrase("Juche 101")},
        // boolean combinations
        {"\"Kim Jong Il\" AND \"Kim Jong Un\"", phrase("Kim Jong Il") && phrase("Kim Jong Un")},
        {"\"Kim Jong Il\" NOT \"Kim Jong Un\"", phrase("Kim Jong Il") && !phrase("Kim Jong Un")},
        {"\"Kim Jong Il\" -\"Kim Jong Un\"", phrase("Kim Jong Il") && !phrase("Kim Jong Un")},
        {"(\"Japan\" OR \"Japanese\") AND \"nuclear\"",
         (phrase("Japan") || phrase("Japanese")) && phrase("nuclear")},
        {"\"Workers' Party\" AND NOT \"Kim Jong Un\"", phrase("Workers' Party") && !phrase("Kim Jong Un")},
        {"\"Lee Myung Bak\" XOR \"puppet\"", (phrase("Lee Myung Bak") && !phrase("puppet")) || (!phrase("Lee Myung Bak") && phrase("puppet"))},
        // fields and dates
        {"title:\"Kim Jong Il\"", in_title("Kim Jong Il")},
        {"\"Kim Jong Un\" date:2011-12-17..2011-12-31",
         phrase("Kim Jong Un") && dated("2011-12-17", "2011-12-31")},
        {"\"Kim Jong Il\" date:2012", phrase("Kim Jong Il") && dated("2012-01-01", "2012-12-31")},
        {"\"Juche idea\" date:..2011-06", phrase("Juche idea") && dated("0000", "2011-06-31")},
        {"date:2012-04-01..2012-04-30", dated("2012-04-01", "2012-04-30")},
    };
    std::vector<std::string> queries;
    std::istringstream lines(read_file(source_dir() + "/tests/queries-kcna.txt"));
    for (std::string line; std::getline(lines, line);)
        if (!line.empty() && line[0] != '#') queries.push_back(line);
    ASSERT_GE(queries.size(), 30u);
    ArchiveReader reader(archive());
    ASSERT_EQ(reader.document_count(), stories_->size());
    // A story without a title is stored with one derived from its text: the title field is
    // checked against the stored titles of those.
    for (Story& s : *stories_)
        if (s.title.empty()) {
            auto doc = reader.find(s.id);
            ASSERT_TRUE(doc) << s.id;
            s.title = words_of(doc->title);
        }
    for (const std::string& query : queries) {
        ASSERT_TRUE(oracles.count(query)) << "no oracle for '" << query << "'";
        const Oracle& oracle = oracles.at(query);
        std::set<std::string> expected;
        for (const Story& s : *stories_)
            if (oracle(s)) expected.insert(s.id);
        SearchResult result = search(reader, request(query, 0, 100000), {});
        std::set<std::string> got;
        for (const Hit& h : result.hits) got.insert(h.document.id);
        std::vector<std::string> missing, extra;
        std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                            std::back_inserter(missing));
        std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(),
                            std::back_inserter(extra));
        EXPECT_EQ(result.total, expected.size()) << query;
        EXPECT_TRUE(missing.empty() && extra.empty())
            << query << ": scan " << expected.size() << ", index " << got.size() << "; missing "
            << missing.size() << (missing.empty() ? "" : " e.g. " + missing[0]) << ", extra "
            << extra.size() << (extra.empty() ? "" : " e.g. " + extra[0]);
        EXPECT_FALSE(expected.empty()) << query << ": a query that matches nothing tests nothing";
        RecordProperty(query, std::to_string(expected.size()));
    }
}

// Facet counts against the scan: dates from the input records' own metadata, entities from the
// stories' words (the gazetteer's aliases for Kim Jong Un and North Korea, as phrases).
TEST_F(KcnaQueries, FacetsCountExactlyWhatAScanCounts) {
    ArchiveReader reader(archive());
    for (Story& s : *stories_)  // untitled stories carry the title derived at ingest
        if (s.title.empty()) s.title = words_of(reader.find(s.id)->title);
    // The gazetteer's aliases of North Korea, as the scan's words see them.
    const std::initializer_list<const char*> dprk_names = {
        "North Korea", "North Korean", "North Koreans", "DPRK", "D P R K",
        "Democratic People's Republic of Korea", "N Korea", "NKorea", "N Korean"};
    auto any_phrase = [](const Story& s, std::initializer_list<const char*> phrases) {
        return std::any_of(phrases.begin(), phrases.end(), [&](const char* p) { return has_phrase(s, p); });
    };
    for (const char* query : {"\"Kim Jong Il\"", "\"nuclear weapons\"", "date:2012-04"}) {
        SearchRequest r = request(query, 0, 0);
        r.facets = FacetRequest::parse("date,person,place");
        r.facets.by = DateBucket::month;
        r.facets.top = 100000;
        SearchResult result = search(reader, r, {});
        std::map<std::string, Xapian::doccount> months;
        Xapian::doccount undated = 0, kju = 0, dprk = 0;
        for (const Story& s : *stories_) {
            bool match = std::string(query) == "\"nuclear weapons\""
                             ? has_phrase(s, "nuclear weapons")
                             : std::string(query) == "date:2012-04" ? s.date.rfind("2012-04", 0) == 0
                                                                     : has_phrase(s, "Kim Jong Il");
            if (!match) continue;
            if (s.date.empty()) ++undated;
            else ++months[s.date.substr(0, 7)];
            kju += any_phrase(s, {"Kim Jong Un", "Kim Jongun", "Kim Jung Un", "Kim Jung eun"});
            dprk += any_phrase(s, dprk_names);
        }
        std::map<std::string, Xapian::doccount> faceted;
        for (const DateCount& d : result.facets.dates)
            if (d.count) faceted[d.bucket] = d.count;
        EXPECT_EQ(faceted, months) << query;
        EXPECT_EQ(result.facets.undated, undated) << query;
        auto count_of = [&](EntityType t, const std::string& id) -> Xapian::doccount {
            for (const EntityCount& c : result.facets.entities[static_cast<int>(t)])
                if (c.id == id) return c.count;
            return 0;
        };
        EXPECT_EQ(count_of(EntityType::person, "kim-jong-un"), kju) << query;
        EXPECT_EQ(count_of(EntityType::place, "dprk"), dprk) << query;
        if (count_of(EntityType::place, "dprk") != dprk) {  // name one story the two disagree on
            SearchResult tagged = search(reader, request(std::string(query) + " place:dprk", 0, 100000), {});
            std::set<std::string> ids;
            for (const Hit& h : tagged.hits) ids.insert(h.document.id);
            for (const Story& s : *stories_)
                if (ids.count(s.id) && !any_phrase(s, dprk_names)) {
                    ADD_FAILURE() << "tagged, not found by the scan: " << s.id << ": " << reader.find(s.id)->text.substr(0, 3000);
                    break;
                }
        }
        EXPECT_GT(kju, 0u) << query;
        RecordProperty(std::string("facets ") + query, std::to_string(kju) + " " + std::to_string(dprk));
    }
}

namespace {

// The New Year addresses, one document per year: line 1 the title, the rest the text.
class NewYearKo : public ::testing::Test {
protected:
    void SetUp() override {
        if (corpora_dir().empty()) GTEST_SKIP() << "../shared/corpora is absent: real-corpus test skipped";
        const std::string tarball = corpora_dir() + "/nk-newyear-ko/nk-newyear-speeches-data.tar.zst";
        if (!fs::exists(tarball)) GTEST_SKIP() << tarball << " is absent: skipped";
        RunResult r = run("tar --zstd -xf " + shell_quote(tarball) + " -C " + shell_quote(tmp_.path().string()));
        ASSERT_EQ(r.status, 0) << r.err;
        ArchiveWriter writer = ArchiveWriter::create(tmp_ / "ko.panmun");
        for (fs::directory_iterator it(tmp_.path() / "north-korea-new-years-speechs/data"), end;
             it != end; ++it) {
            std::string text = read_file(it->path().string());
            Document d;
            d.id = "newyear-" + it->path().stem().string();
            d.lang = "ko";
            d.date = *Date::parse_iso(it->path().stem().string());
            std::size_t eol = text.find('\n');
            d.title = text.substr(0, eol);
            d.text = eol == std::string::npos ? "" : text.substr(eol + 1);
            writer.add(d);
            docs_.push_back(std::move(d));
        }
        writer.commit();
    }
    TempDir tmp_;
    std::vector<Document> docs_;
};

}  // namespace

TEST_F(NewYearKo, NamesAndWordsWithParticlesAreFoundWithFullRecall) {
    ASSERT_EQ(docs_.size(), 73u);  // SOURCE.md: 1946–2019 without 1957
    ArchiveReader reader(tmp_ / "ko.panmun");
    // Names, North Korean spellings (initial ㄹ kept: 로동, 력사), and common words; in the
    // texts they carry particles (김일성동지의, 로동당은, 력사적) that must not hide them.
    const std::vector<std::string> queries = {"김일성", "김정일", "김정은", "로동", "력사",
                                              "조국통일", "인민경제", "사회주의", "미제", "핵",
                                              "청년", "평화"};
    // Recall against the exact string; precision against the string with spaces allowed
    // between its characters (조국 통일 is the same words as 조국통일, as "Kim  Jong" is).
    auto without_spaces = [](std::string s) {
        std::erase_if(s, [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; });
        return s;
    };
    std::map<std::string, std::string> squeezed;
    for (const Document& d : docs_) squeezed[d.id] = without_spaces(d.title + "\n" + d.text);
    std::size_t relevant_total = 0, found_total = 0, returned_total = 0, correct_total = 0;
    for (const std::string& q : queries) {
        std::set<std::string> expected, got;
        for (const Document& d : docs_)
            if (d.text.find(q) != std::string::npos || d.title.find(q) != std::string::npos)
                expected.insert(d.id);
        SearchResult r = search(reader, request(q, 0, 1000), {});
        for (const Hit& h : r.hits) got.insert(h.document.id);
        std::size_t found = 0, correct = 0;
        for (const auto& id : got) {
            found += expected.count(id);
            correct += squeezed[id].find(q) != std::string::npos;
        }
        relevant_total += expected.size();
        found_total += found;
        returned_total += got.size();
        correct_total += correct;
        EXPECT_FALSE(expected.empty()) << q;
        EXPECT_EQ(found, expected.size()) << q << ": recall " << found << "/" << expected.size();
        EXPECT_EQ(correct, got.size()) << q << ": " << got.size() - correct << " hits without " << q;
        RecordProperty(q, std::to_string(found) + "/" + std::to_string(expected.size()) + " found, " +
                              std::to_string(got.size() - found) + " more with spaces");
    }
    std::cout << "nk-newyear-ko: " << queries.size() << " queries, recall " << found_total << "/"
              << relevant_total << ", precision " << correct_total << "/" << returned_total
              << " (" << returned_total - found_total << " hits with spaces inside the word)\n";

    // The particle forms themselves: a document saying only "김정은동지의" is found by 김정은.
    std::set<std::string> particle_docs;
    for (const Document& d : docs_)
        for (const char* form : {"김정은동지", "김정은의", "김정은은", "김정은이"})
            if (d.text.find(form) != std::string::npos) particle_docs.insert(d.id);
    ASSERT_FALSE(particle_docs.empty());
    SearchResult r = search(reader, request("김정은", 0, 1000), {});
    std::set<std::string> got;
    for (const Hit& h : r.hits) got.insert(h.document.id);
    for (const auto& id : particle_docs) EXPECT_TRUE(got.count(id)) << id;
}
