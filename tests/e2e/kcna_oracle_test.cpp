// Search correctness on KCNA 2011–12 (../shared/corpora/kcna-marquez), against an oracle written
// here: every query's set of matching documents must equal what a scan of the input records
// finds, read by the rules docs/QUERY.md states (issues 5 and 18). The archive holds 2011 under
// the source "KCNA" and 2012, added afterwards, under "Korean Central News Agency", so that
// source: filters select something. Skips with a message when the corpus is absent.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "helpers.hpp"
#include "oracle.hpp"
#include "panmun/archive.hpp"
#include "panmun/input.hpp"
#include "panmun/search.hpp"
#include "panmun/timeline.hpp"
#include "servers.hpp"

using nlohmann::json;
using namespace panmun;
using namespace panmun::test;

namespace {

// Words as numbers, so that 22,000 stories' words fit in little memory.
class Vocabulary {
public:
    std::uint32_t id(const std::string& w) {
        auto [it, added] = ids_.emplace(w, static_cast<std::uint32_t>(words_.size()));
        if (added) words_.push_back(w);
        return it->second;
    }
    std::vector<std::uint32_t> ids(const std::vector<std::string>& words) {
        std::vector<std::uint32_t> out;
        for (const auto& w : words) out.push_back(id(w));
        return out;
    }
    // The ids of the words starting with `prefix`.
    std::unordered_set<std::uint32_t> starting(const std::string& prefix) const {
        std::unordered_set<std::uint32_t> out;
        for (std::uint32_t i = 0; i < words_.size(); ++i)
            if (words_[i].compare(0, prefix.size(), prefix) == 0) out.insert(i);
        return out;
    }

private:
    std::unordered_map<std::string, std::uint32_t> ids_;
    std::vector<std::string> words_;
};

struct Story {
    std::string id, date, lang, source;      // date: ISO as in the input, "" when absent
    std::vector<std::uint32_t> title, body;  // positioned_words(), as vocabulary ids
};

using Oracle = std::function<bool(const Story&)>;
Oracle operator&&(Oracle a, Oracle b) {
    return [a, b](const Story& s) { return a(s) && b(s); };
}
Oracle operator||(Oracle a, Oracle b) {
    return [a, b](const Story& s) { return a(s) || b(s); };
}
Oracle operator!(Oracle a) {
    return [a](const Story& s) { return !a(s); };
}

// Where `phrase` (word ids) starts in `words`.
std::vector<std::size_t> starts(const std::vector<std::uint32_t>& words,
                                const std::vector<std::uint32_t>& phrase) {
    std::vector<std::size_t> out;
    if (phrase.empty() || phrase.size() > words.size()) return out;
    for (std::size_t i = 0; i + phrase.size() <= words.size(); ++i)
        if (std::equal(phrase.begin(), phrase.end(),
                       words.begin() + static_cast<std::ptrdiff_t>(i)))
            out.push_back(i);
    return out;
}

// One operand of NEAR/ADJ: a phrase (word ids in order) or the words a wildcard stands for.
struct Operand {
    std::vector<std::uint32_t> phrase;
    std::unordered_set<std::uint32_t> any;  // a wildcard's words; phrase empty
    std::size_t length() const { return phrase.empty() ? 1 : phrase.size(); }
    std::vector<std::size_t> in(const std::vector<std::uint32_t>& words) const {
        if (!phrase.empty()) return starts(words, phrase);
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < words.size(); ++i)
            if (any.count(words[i])) out.push_back(i);
        return out;
    }
};

// docs/QUERY.md: NEAR/n holds when the operands (a phrase counts as one) occur, none overlapping
// another, with at most n - 1 other words between them in all; ADJ/n also in the order written.
// Checked here by trying every combination of occurrences (two or three operands).
bool near_in(const std::vector<std::uint32_t>& words, const std::vector<Operand>& ops, unsigned n,
             bool ordered) {
    std::vector<std::vector<std::size_t>> at;
    for (const Operand& op : ops) {
        at.push_back(op.in(words));
        if (at.back().empty()) return false;
    }
    std::vector<std::size_t> pick(ops.size());
    std::function<bool(std::size_t)> choose = [&](std::size_t k) {
        if (k == ops.size()) {
            std::vector<std::size_t> order(ops.size());
            for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
            std::sort(order.begin(), order.end(),
                      [&](std::size_t a, std::size_t b) { return pick[a] < pick[b]; });
            if (ordered && !std::is_sorted(order.begin(), order.end())) return false;
            long between = 0;
            for (std::size_t i = 1; i < order.size(); ++i) {
                const long prev_end =
                    static_cast<long>(pick[order[i - 1]] + ops[order[i - 1]].length()) - 1;
                const long gap = static_cast<long>(pick[order[i]]) - prev_end - 1;
                if (gap < 0) return false;  // overlapping
                between += gap;
            }
            return between <= static_cast<long>(n) - 1;
        }
        for (std::size_t p : at[k]) {
            pick[k] = p;
            if (choose(k + 1)) return true;
        }
        return false;
    };
    return choose(0);
}

class KcnaOracle : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (corpora_dir().empty()) return;
        const std::string dir = corpora_dir() + "/kcna-marquez/";
        if (!fs::exists(dir + "KCNA_2011.jsonl.zst")) return;
        tmp_ = new TempDir;
        stories_ = new std::vector<Story>;
        words_ = new Vocabulary;
        build_archive(dir);
        if (::testing::Test::HasFatalFailure()) return;
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
                Story s{content_id(probe),
                        date,
                        rec["language"].is_string() ? rec["language"].get<std::string>() : "",
                        std::string(file).find("2011") != std::string::npos
                            ? "KCNA"
                            : "Korean Central News Agency",
                        {},
                        {}};
                if (!seen.insert(s.id).second ||
                    !seen_text.insert(same_text_key(probe.text)).second)
                    continue;
                s.title = words_->ids(positioned_words(probe.title));
                s.body = words_->ids(positioned_words(probe.text));
                stories_->push_back(std::move(s));
            }
        }
    }
    static void TearDownTestSuite() {
        delete stories_;
        delete words_;
        delete tmp_;
    }
    void SetUp() override {
        if (!stories_)
            GTEST_SKIP() << "../shared/corpora/kcna-marquez is absent: real-corpus test skipped";
    }
    // The archive, read-only: built once per panmun-index binary and shared by the suite's
    // processes (CTest runs each test in its own, and the build is most of a test's time).
    static std::string archive() { return (shared_dir() / "kcna.panmun").string(); }
    static fs::path shared_dir() {
        return fs::path(PANMUN_INDEX_BIN).parent_path().parent_path() / "kcna-oracle";
    }

    // Under a lock, the first process builds the archive (KCNA 2011, then 2012 added under
    // another source name) and stamps it with the binary that built it; the others wait, then
    // reuse it. A new panmun-index binary builds it anew.
    static void build_archive(const std::string& dir) {
        fs::create_directories(shared_dir());
        const int lock =
            ::open((shared_dir() / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        ASSERT_GE(lock, 0);
        ::flock(lock, LOCK_EX);
        struct Unlock {
            int fd;
            ~Unlock() { ::close(fd); }
        } unlock{lock};
        const std::string stamp = std::to_string(fs::last_write_time(PANMUN_INDEX_BIN)) + " " +
                                  std::to_string(fs::file_size(PANMUN_INDEX_BIN));
        const fs::path stamp_file = shared_dir() / "stamp";
        if (fs::exists(stamp_file) && read_file(stamp_file.string()) == stamp) return;
        fs::remove(stamp_file);
        fs::remove_all(archive());
        const std::string map = " --map text=story,url=index.link,lang=language ";
        RunResult r =
            run(std::string(PANMUN_INDEX_BIN) + " build --quiet --source KCNA --archive " +
                archive() + map + dir + "KCNA_2011.jsonl.zst");
        ASSERT_EQ(r.status, 1) << "records with empty stories are skipped\n" << r.err;
        r = run(std::string(PANMUN_INDEX_BIN) +
                " add --json --source 'Korean Central News Agency' --archive " + archive() + map +
                dir + "KCNA_2012.jsonl.zst");
        ASSERT_EQ(r.status, 1) << r.err;
        ASSERT_EQ(json::parse(r.out)["total"]["replaced"], 0) << "2012 replaces no story of 2011";
        write_file(stamp_file.string(), stamp);
    }

    // The oracle's predicates.
    static std::vector<std::uint32_t> phrase_ids(const std::string& p) {
        return words_->ids(positioned_words(p));
    }
    static Oracle phrase(const std::string& p) {
        auto ids = phrase_ids(p);
        return [ids](const Story& s) {
            return !starts(s.title, ids).empty() || !starts(s.body, ids).empty();
        };
    }
    static Oracle in_title(const std::string& p) {
        auto ids = phrase_ids(p);
        return [ids](const Story& s) { return !starts(s.title, ids).empty(); };
    }
    static Oracle dated(std::string from, std::string to) {  // ISO strings compare in time order
        return [from, to](const Story& s) {
            return !s.date.empty() && s.date >= from && s.date <= to;
        };
    }
    static Oracle lang(std::string l) {
        return [l](const Story& s) { return s.lang == l; };
    }
    static Oracle source(std::string src) {
        return [src](const Story& s) { return s.source == src; };
    }
    static Operand word(const std::string& w) { return Operand{phrase_ids(w), {}}; }
    static Operand wildcard(const std::string& prefix) {
        return Operand{{}, words_->starting(prefix)};
    }
    static Oracle near(std::vector<Operand> ops, unsigned n, bool ordered = false) {
        return [ops, n, ordered](const Story& s) {
            return near_in(s.title, ops, n, ordered) || near_in(s.body, ops, n, ordered);
        };
    }

    static TempDir* tmp_;
    static std::vector<Story>* stories_;
    static Vocabulary* words_;
};
TempDir* KcnaOracle::tmp_ = nullptr;
std::vector<Story>* KcnaOracle::stories_ = nullptr;
Vocabulary* KcnaOracle::words_ = nullptr;

struct Case {
    std::string query;
    Oracle oracle;
    DateRange dates;  // --from/--to
};

}  // namespace

TEST_F(KcnaOracle, EveryQueryMatchesExactlyWhatAScanFinds) {
    const DateRange open;
    const DateRange first_half_2012 = *DateRange::parse("2012-01..2012-06"),
                    from_dec17 = *DateRange::parse("2011-12-17..");
    const Oracle kaesong = phrase("Kaesong"), hyundai = phrase("Hyundai"),
                 y2012 = dated("2012-01-01", "2012-12-31");
    std::map<std::string, Oracle> fixed = {
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
        {"\"Democratic People's Republic of Korea\"",
         phrase("Democratic People's Republic of Korea")},
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
        {"\"Workers' Party\" AND NOT \"Kim Jong Un\"",
         phrase("Workers' Party") && !phrase("Kim Jong Un")},
        {"\"Lee Myung Bak\" XOR \"puppet\"", (phrase("Lee Myung Bak") && !phrase("puppet")) ||
                                                 (!phrase("Lee Myung Bak") && phrase("puppet"))},
        // fields and dates
        {"title:\"Kim Jong Il\"", in_title("Kim Jong Il")},
        {"\"Kim Jong Un\" date:2011-12-17..2011-12-31",
         phrase("Kim Jong Un") && dated("2011-12-17", "2011-12-31")},
        {"\"Kim Jong Il\" date:2012", phrase("Kim Jong Il") && y2012},
        {"\"Juche idea\" date:..2011-06", phrase("Juche idea") && dated("0000", "2011-06-31")},
        {"date:2012-04-01..2012-04-30", dated("2012-04-01", "2012-04-30")},
    };
    std::vector<Case> cases;
    // The query set scripts/bench-query times: each line has its oracle above.
    std::istringstream lines(read_file(source_dir() + "/tests/queries-kcna.txt"));
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        ASSERT_TRUE(fixed.count(line)) << "no oracle for '" << line << "'";
        cases.push_back({line, fixed.at(line), open});
    }
    ASSERT_GE(cases.size(), 30u);
    const Oracle kcna = source("KCNA"), central = source("Korean Central News Agency");
    const std::vector<Case> more = {
        // OR, NOT and parentheses
        {"Kaesong OR Hyundai", kaesong || hyundai, open},
        {"Kaesong NOT Hyundai", kaesong && !hyundai, open},
        {"(Kaesong OR Hyundai) NOT \"Mt Kumgang\"", (kaesong || hyundai) && !phrase("Mt Kumgang"),
         open},
        {"Kaesong AND (Hyundai OR \"industrial zone\")",
         kaesong && (hyundai || phrase("industrial zone")), open},
        {"(\"Lee Myung Bak\" OR \"Lee Myung-bak\") AND \"traitor\"",
         phrase("Lee Myung Bak") && phrase("traitor"), open},
        // filters at the top level restrict the whole query (the figures of issue 18)
        {"Kaesong date:2012", kaesong && y2012, open},
        {"Kaesong NOT Hyundai date:2012", kaesong && !hyundai && y2012, open},
        {"Kaesong OR Hyundai date:2012", (kaesong || hyundai) && y2012, open},
        {"date:2012 Kaesong OR Hyundai", (kaesong || hyundai) && y2012, open},
        {"Kaesong OR Hyundai lang:en", (kaesong || hyundai) && lang("en"), open},
        {"(Kaesong OR Hyundai) lang:en", (kaesong || hyundai) && lang("en"), open},
        {"Kaesong -lang:es", kaesong && !lang("es"), open},
        {"\"Kim Jong Un\" source:\"Korean Central News Agency\"", phrase("Kim Jong Un") && central,
         open},
        {"\"Kim Jong Il\" OR \"Kim Jong Un\" source:KCNA",
         (phrase("Kim Jong Il") || phrase("Kim Jong Un")) && kcna, open},
        {"\"Kim Jong Un\" lang:en date:2011",
         phrase("Kim Jong Un") && lang("en") && dated("2011-01-01", "2011-12-31"), open},
        {"date:2011-12 date:2012-01 \"Kim Jong Un\"",
         phrase("Kim Jong Un") &&
             (dated("2011-12-01", "2011-12-31") || dated("2012-01-01", "2012-01-31")),
         open},
        {"\"Kim Jong Un\" -date:2012", phrase("Kim Jong Un") && !y2012, open},
        {"lang:es", lang("es"), open},
        {"Kaesong OR lang:es", kaesong || lang("es"), open},  // a filter alone is an operand
        // filters inside a group restrict the group
        {"(Kaesong date:2012) OR Hyundai", (kaesong && y2012) || hyundai, open},
        {"(\"Kim Jong Un\" lang:es) OR (\"Kim Jong Il\" date:2011-12-17..2011-12-31)",
         (phrase("Kim Jong Un") && lang("es")) ||
             (phrase("Kim Jong Il") && dated("2011-12-17", "2011-12-31")),
         open},
        {"Hyundai AND (Kaesong source:KCNA)", hyundai && kaesong && kcna, open},
        {"(Kaesong -lang:en) OR \"Mt Kumgang\"", (kaesong && !lang("en")) || phrase("Mt Kumgang"),
         open},
        {"Kaesong NOT (Hyundai date:2012)", kaesong && !(hyundai && y2012), open},
        // --from/--to
        {"Kaesong OR Hyundai", (kaesong || hyundai) && dated("2012-01-01", "2012-06-30"),
         first_half_2012},
        {"\"Kim Jong Un\"", phrase("Kim Jong Un") && dated("2011-12-17", "9999"), from_dec17},
        {"Kaesong date:2012-03..2012-12", kaesong && dated("2012-03-01", "2012-06-30"),
         first_half_2012},
        // NEAR and ADJ, with words, phrases, a wildcard, three operands
        {"\"Lee Myung-bak\" NEAR/5 traitor", near({word("Lee Myung Bak"), word("traitor")}, 5),
         open},
        {"\"puppet\" NEAR/3 \"warmongers\"", near({word("puppet"), word("warmongers")}, 3), open},
        {"puppet NEAR/3 warmongers", near({word("puppet"), word("warmongers")}, 3), open},
        {"puppet ADJ/3 warmongers", near({word("puppet"), word("warmongers")}, 3, true), open},
        {"\"south Korean puppet\" NEAR/6 war", near({word("south Korean puppet"), word("war")}, 6),
         open},
        {"Kaesong NEAR Hyundai", near({word("Kaesong"), word("Hyundai")}, 10), open},
        {"\"Kim Jong Un\" ADJ/4 inspected", near({word("Kim Jong Un"), word("inspected")}, 4, true),
         open},
        {"provocat* NEAR/4 puppet", near({wildcard("provocat"), word("puppet")}, 4), open},
        {"nuclear NEAR/15 war NEAR/15 \"United States\"",
         near({word("nuclear"), word("war"), word("United States")}, 15), open},
        {"(\"Kim Jong Un\" NEAR/5 visited) date:2012",
         near({word("Kim Jong Un"), word("visited")}, 5) && y2012, open},
        {"\"Workers' Party\" NEAR/2 Korea", near({word("Workers' Party"), word("Korea")}, 2), open},
        {"U.S. ADJ/1 imperialists", near({word("U.S."), word("imperialists")}, 1, true), open},
        {"Hyundai NEAR/1 Asan OR \"Hyundai Group\"",
         near({word("Hyundai"), word("Asan")}, 1) || phrase("Hyundai Group"), open},
    };
    cases.insert(cases.end(), more.begin(), more.end());
    ASSERT_GE(cases.size(), 60u);

    ArchiveReader reader(archive());
    ASSERT_EQ(reader.document_count(), stories_->size());
    // A story without a title is stored with one derived from its text: the title field is
    // checked against the stored titles of those.
    for (Story& s : *stories_)
        if (s.title.empty()) {
            auto doc = reader.find(s.id);
            ASSERT_TRUE(doc) << s.id;
            s.title = words_->ids(positioned_words(doc->title));
        }
    for (const Case& c : cases) {
        std::set<std::string> expected;
        for (const Story& s : *stories_)
            if (c.oracle(s)) expected.insert(s.id);
        SearchRequest r = request(c.query, 0, 100000);
        r.dates = c.dates;
        SearchResult result = search(reader, r, {});
        std::set<std::string> got;
        for (const Hit& h : result.hits) got.insert(h.document.id);
        std::vector<std::string> missing, extra;
        std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                            std::back_inserter(missing));
        std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(),
                            std::back_inserter(extra));
        const std::string label =
            c.query + (c.dates.is_open() ? "" : " [" + c.dates.low + ".." + c.dates.high + "]");
        EXPECT_EQ(result.total, expected.size()) << label;
        EXPECT_TRUE(missing.empty() && extra.empty())
            << label << ": scan " << expected.size() << ", index " << got.size() << "; missing "
            << missing.size() << (missing.empty() ? "" : " e.g. " + missing[0]) << ", extra "
            << extra.size() << (extra.empty() ? "" : " e.g. " + extra[0]);
        EXPECT_FALSE(expected.empty()) << label << ": a query that matches nothing tests nothing";
        RecordProperty(label, std::to_string(expected.size()));
    }
    std::cout << "[ oracle   ] " << cases.size() << " queries on " << stories_->size()
              << " stories\n";
}

// --collapse: the total is the number of distinct near-duplicate keys among the matches (a
// match without a key counts alone), never more than the uncollapsed total; so is a count.
TEST_F(KcnaOracle, CollapsedTotalsAreExact) {
    ArchiveReader reader(archive());
    Xapian::doccount folded = 0;
    for (const char* query : {"\"Kim Jong Un\"", "\"Kim Jong Il\" date:2012", "Kaesong"}) {
        SearchResult all = search(reader, request(query, 0, 100000), {});
        std::set<std::string> keys;
        std::size_t unkeyed = 0;
        for (const Hit& h : all.hits) {
            const std::uint64_t key = near_duplicate_key(h.document.text);
            if (key)
                keys.insert(std::to_string(key));
            else
                ++unkeyed;
        }
        const Xapian::doccount expected = static_cast<Xapian::doccount>(keys.size() + unkeyed);
        for (Xapian::doccount limit : {10u, 0u}) {  // a page, and a count
            SearchRequest r = request(query, 0, limit);
            r.collapse = true;
            SearchResult collapsed = search(reader, r, {});
            EXPECT_EQ(collapsed.total, expected) << query << " limit " << limit;
            EXPECT_TRUE(collapsed.total_exact) << query;
            EXPECT_LE(collapsed.total, all.total) << query;
        }
        folded += all.total - expected;
        RecordProperty(std::string("collapsed ") + query,
                       std::to_string(expected) + " of " + std::to_string(all.total));
    }
    EXPECT_GT(folded, 0u) << "some of the matches are near-duplicates, or the test tests little";
}

// Facet counts against the scan: dates from the input records' own metadata, entities from the
// stories' words (the gazetteer's aliases for Kim Jong Un and North Korea, as phrases).
TEST_F(KcnaOracle, FacetsCountExactlyWhatAScanCounts) {
    ArchiveReader reader(archive());
    for (Story& s : *stories_)  // untitled stories carry the title derived at ingest
        if (s.title.empty()) s.title = words_->ids(positioned_words(reader.find(s.id)->title));
    const std::vector<std::string> kju_names = {"Kim Jong Un", "Kim Jongun", "Kim Jung Un",
                                                "Kim Jung eun"};
    const std::vector<std::string> dprk_names = {
        "North Korea", "North Korean", "North Koreans",
        "DPRK",        "D P R K",      "Democratic People's Republic of Korea",
        "N Korea",     "NKorea",       "N Korean"};
    auto any_phrase = [&](const std::vector<std::string>& names) {
        Oracle o = phrase(names[0]);
        for (std::size_t i = 1; i < names.size(); ++i) o = o || phrase(names[i]);
        return o;
    };
    const Oracle kju = any_phrase(kju_names), dprk = any_phrase(dprk_names);
    const std::map<std::string, Oracle> queries = {
        {"\"Kim Jong Il\"", phrase("Kim Jong Il")},
        {"\"nuclear weapons\"", phrase("nuclear weapons")},
        {"date:2012-04", dated("2012-04-01", "2012-04-31")}};
    for (const auto& [query, oracle] : queries) {
        SearchRequest r = request(query, 0, 0);
        r.facets = FacetRequest::parse("date,person,place");
        r.facets.by = DateBucket::month;
        r.facets.top = 100000;
        SearchResult result = search(reader, r, {});
        std::map<std::string, Xapian::doccount> months;
        Xapian::doccount undated = 0, named_kju = 0, named_dprk = 0;
        for (const Story& s : *stories_) {
            if (!oracle(s)) continue;
            if (s.date.empty())
                ++undated;
            else
                ++months[s.date.substr(0, 7)];
            named_kju += kju(s);
            named_dprk += dprk(s);
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
        EXPECT_EQ(count_of(EntityType::person, "kim-jong-un"), named_kju) << query;
        EXPECT_EQ(count_of(EntityType::place, "dprk"), named_dprk) << query;
        EXPECT_GT(named_kju, 0u) << query;
        RecordProperty("facets " + query,
                       std::to_string(named_kju) + " " + std::to_string(named_dprk));
    }
}

// Issue 25: a timeline's shares divide by the archive's documents in each month, and who is
// named with Kim Jong Un, month by month, is what a scan of the stories counts.
TEST_F(KcnaOracle, SharesAndCooccurrenceEqualAScan) {
    ArchiveReader reader(archive());
    std::map<std::string, Xapian::doccount> stories_per_month;
    for (const Story& s : *stories_)
        if (!s.date.empty()) ++stories_per_month[s.date.substr(0, 7)];

    SearchRequest r = request("Kaesong", 0, 0);
    r.facets = FacetRequest::parse("date");
    r.facets.by = DateBucket::month;
    r.facets.share = true;
    const SearchResult shares = search(reader, r, {});
    ASSERT_FALSE(shares.facets.dates.empty());
    for (const DateCount& d : shares.facets.dates)
        EXPECT_EQ(d.all, stories_per_month[d.bucket]) << d.bucket;
    r.facets.by = DateBucket::year;  // a year's documents are its months'
    for (const DateCount& d : search(reader, r, {}).facets.dates) {
        Xapian::doccount year = 0;
        for (const auto& [month, n] : stories_per_month)
            year += month.rfind(d.bucket, 0) == 0 ? n : 0;
        EXPECT_EQ(d.all, year) << d.bucket;
    }

    const Oracle kju = phrase("Kim Jong Un") || phrase("Kim Jongun") || phrase("Kim Jung Un") ||
                       phrase("Kim Jung eun");
    const Oracle dprk = phrase("North Korea") || phrase("North Korean") ||
                        phrase("North Koreans") || phrase("DPRK") || phrase("D P R K") ||
                        phrase("Democratic People's Republic of Korea") || phrase("N Korea") ||
                        phrase("NKorea") || phrase("N Korean");
    for (const auto& [query, narrowed] :
         {std::pair<std::string, Oracle>{"", [](const Story&) { return true; }},
          {"\"nuclear weapons\"", phrase("nuclear weapons")}}) {
        CooccurrenceRequest c;
        c.with = "person:kim-jong-un";
        c.query = query;
        c.by = DateBucket::month;
        c.top = 100000;
        const CooccurrenceResult result = cooccurrence(reader, c);
        std::map<std::string, Xapian::doccount> with_him, with_both;
        Xapian::doccount documents = 0;
        for (const Story& s : *stories_) {
            if (!kju(s) || !narrowed(s)) continue;
            ++documents;
            ++with_him[s.date.substr(0, 7)];
            if (dprk(s)) ++with_both[s.date.substr(0, 7)];
        }
        EXPECT_EQ(result.documents, documents) << query;
        const CooccurrenceRow* row = nullptr;
        for (const CooccurrenceRow& x : result.rows)
            if (x.id == "dprk") row = &x;
        ASSERT_TRUE(row) << query;
        Xapian::doccount both = 0, counted = 0, counted_both = 0;
        for (const auto& [month, n] : with_both) both += n;
        for (std::size_t b = 0; b < result.buckets.size(); ++b) {
            counted += result.totals[b];
            counted_both += row->counts[b];
        }
        EXPECT_EQ(counted, documents) << query;  // no month left out
        EXPECT_EQ(counted_both, both) << query;
        EXPECT_EQ(row->documents, both) << query;
        for (std::size_t b = 0; b < result.buckets.size(); ++b) {
            EXPECT_EQ(result.totals[b], with_him[result.buckets[b]]) << query << result.buckets[b];
            EXPECT_EQ(row->counts[b], with_both[result.buckets[b]]) << query << result.buckets[b];
        }
        RecordProperty("cooccurrence " + query,
                       std::to_string(documents) + " " + std::to_string(row->documents));
    }
}

// Issue 25: a name the gazetteer lacks, found among a query's hits, becomes an entity by the
// documented path: `entities --discover --gazetteer QUERY` > file, `retag --entities file`.
// Hyon Jong Un (Hyundai's chair) is in KCNA's Kaesong stories and in no built-in entity.
TEST_F(KcnaOracle, ADiscoveredNameBecomesAnEntityByRetag) {
    TempDir tmp;
    const std::string copy = tmp / "kcna.panmun";
    ASSERT_EQ(run("cp -r " + shell_quote(archive()) + " " + shell_quote(copy)).status, 0);
    const std::string query_bin = std::string(PANMUN_QUERY_BIN) + " ";
    RunResult found = run(query_bin + "entities --discover --gazetteer --top 5 --archive " + copy +
                          " 'Kaesong Hyundai'");
    ASSERT_EQ(found.status, 0) << found.err;
    EXPECT_NE(found.out.find("hyon-jong-un\tperson\tHyon Jong Un\tHyon Jong Un\n"),
              std::string::npos)
        << found.out;
    const RunResult everywhere = run(query_bin + "entities --discover --top 200 --archive " + copy);
    EXPECT_EQ(everywhere.out.find("Hyon Jong Un"), std::string::npos)
        << "too rare to be found without the query";
    write_file(tmp / "mine.tsv", found.out);
    RunResult retag = run(std::string(PANMUN_INDEX_BIN) + " retag --quiet --entities " +
                          (tmp / "mine.tsv") + " --archive " + copy);
    ASSERT_EQ(retag.status, 0) << retag.err;
    auto count = [&](const std::string& q) {
        return std::stoul(
            run(query_bin + "search --count --archive " + copy + " " + shell_quote(q)).out);
    };
    const std::size_t tagged = count("person:hyon-jong-un"), written = count("\"Hyon Jong Un\"");
    EXPECT_GE(tagged, 10u);
    EXPECT_EQ(tagged, written);
    EXPECT_NE(run(query_bin + "entities --type person --top 1000 --archive " + copy)
                  .out.find("person:hyon-jong-un"),
              std::string::npos);
    EXPECT_EQ(run(query_bin + "entities --discover --top 50 --archive " + copy + " Kaesong")
                  .out.find("Hyon Jong Un"),
              std::string::npos)
        << "an entity now";
    RecordProperty("hyon-jong-un", std::to_string(tagged));
}

// Issue 22: the archive's documents split into three archives by a hash of their ids (as shards
// would split them), written at once, one writer each; `part_of` says which part has each id.
static std::vector<std::string> split_in_three(ArchiveReader& one, const fs::path& dir,
                                               std::map<std::string, std::size_t>& part_of) {
    std::vector<std::vector<Document>> split(3);
    for (auto it = one.database().postlist_begin(""); it != one.database().postlist_end(""); ++it) {
        Document d = one.fetch(*it);
        std::uint32_t h = 2166136261u;  // FNV-1a of the id
        for (unsigned char c : d.id) h = (h ^ c) * 16777619u;
        part_of[d.id] = h % 3;
        split[h % 3].push_back(std::move(d));
    }
    std::vector<std::string> paths;  // all named before any writer starts: threads read them
    for (std::size_t i = 0; i < split.size(); ++i) {
        EXPECT_GT(split[i].size(), 5000u);
        paths.push_back((dir / ("part-" + std::to_string(i) + ".panmun")).string());
    }
    std::vector<std::thread> writers;
    for (std::size_t i = 0; i < split.size(); ++i) {
        writers.emplace_back([&, i] {
            ArchiveWriter w = ArchiveWriter::create(paths[i]);
            for (const Document& d : split[i]) w.add(d);
            w.commit();
        });
    }
    for (auto& t : writers) t.join();
    return paths;
}

// For every query of the set, `three` (the parts of split_in_three, a hit from part i named
// names[i]; or one archive of shards, `names` empty) answers as `one`: the same total, the same
// facets, the same top 10 in the same order (equal scores in the order of their ids), each hit
// fetched from the part that holds it; and the same totals with near-duplicates collapsed.
static void expect_same_answers(ArchiveReader& one, ArchiveReader& three,
                                const std::vector<std::string>& names,
                                const std::map<std::string, std::size_t>& part_of) {
    ASSERT_EQ(three.archive_count(), names.empty() ? 1u : 3u);
    ASSERT_EQ(three.document_count(), one.document_count());
    std::istringstream lines(read_file(source_dir() + "/tests/queries-kcna.txt"));
    std::size_t queries = 0, ties = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        ++queries;
        SearchRequest request;
        request.query = line;
        request.facets = FacetRequest::parse("person,org,place,event,date");
        const SearchResult a = search(one, request, Highlight{}),
                           b = search(three, request, Highlight{});
        ASSERT_EQ(a.total, b.total) << line;
        ASSERT_EQ(a.hits.size(), b.hits.size()) << line;
        for (std::size_t k = 0; k < a.hits.size(); ++k) {
            const Hit &x = a.hits[k], &y = b.hits[k];
            EXPECT_EQ(x.document.id, y.document.id) << line << ", rank " << k + 1;
            EXPECT_NEAR(x.score, y.score, 1e-9) << line;
            EXPECT_EQ(x.document.title, y.document.title) << line;
            EXPECT_EQ(x.snippet, y.snippet) << line;
            EXPECT_TRUE(x.archive.empty());
            EXPECT_EQ(y.archive, names.empty() ? "" : names[part_of.at(y.document.id)]) << line;
            if (k && x.score == a.hits[k - 1].score) ++ties;
        }
        expect_same_facets(a, b, line);
        request.collapse = true;
        request.facets = {};
        request.limit = 0;
        EXPECT_EQ(search(one, request, Highlight{}).total,
                  search(three, request, Highlight{}).total)
            << line << ", collapsed";
    }
    EXPECT_GE(queries, 30u);
    // The set has queries whose top 10 tie (a date filter alone scores every match 0): the order
    // of ids is what makes them agree.
    EXPECT_GT(ties, 9u);
}

TEST_F(KcnaOracle, ThreeArchivesSearchedAsOneAnswerAsTheOneArchive) {
    ArchiveReader one(archive());
    std::map<std::string, std::size_t> part_of;  // id -> the archive it was copied into
    const std::vector<std::string> paths = split_in_three(one, tmp_->path(), part_of);
    ArchiveReader three(paths);
    expect_same_answers(one, three, paths, part_of);
}

// The same inputs built by panmun-index as one archive of three shards (build --shards 3, then
// add): the same documents (a text repeated under another id is found across shards), and the
// same answers.
TEST_F(KcnaOracle, AnArchiveOfThreeShardsAnswersAsTheArchiveOfOne) {
    const std::string dir = corpora_dir() + "/kcna-marquez/";
    const std::string sharded = *tmp_ / "sharded.panmun";
    const std::string map = " --map text=story,url=index.link,lang=language ";
    RunResult r =
        run(std::string(PANMUN_INDEX_BIN) + " build --quiet --shards 3 --source KCNA --archive " +
            sharded + map + dir + "KCNA_2011.jsonl.zst");
    ASSERT_EQ(r.status, 1) << r.err;
    r = run(std::string(PANMUN_INDEX_BIN) +
            " add --quiet --source 'Korean Central News Agency' --archive " + sharded + map + dir +
            "KCNA_2012.jsonl.zst");
    ASSERT_EQ(r.status, 1) << r.err;
    ArchiveReader one(archive()), three(sharded);
    ASSERT_EQ(three.manifest().shards.size(), 3u);
    expect_same_answers(one, three, {}, {});
    r = run(std::string(PANMUN_INDEX_BIN) + " verify --quiet --archive " + sharded);
    EXPECT_EQ(r.status, 0) << r.out << r.err;
}

// The same three parts served as remote shards, each by xapian-tcpsrv (its index) and
// `panmun-query serve` (its texts) on 127.0.0.1 ports, started and stopped here: the same answers
// through Xapian's remote backend; and sorted by date, the same pages as the three on disk (the
// sample's remote test has undated articles, which KCNA has none of).
TEST_F(KcnaOracle, ThreeShardsServedByXapianTcpsrvAnswerAsTheOneArchive) {
    ASSERT_TRUE(std::ifstream(tcpsrv_bin).good())
        << tcpsrv_bin << " is missing: install Debian's xapian-tools (scripts/install-deps)";
    ArchiveReader one(archive());
    std::map<std::string, std::size_t> part_of;
    const std::vector<std::string> paths = split_in_three(one, tmp_->path(), part_of);
    std::vector<std::unique_ptr<RemoteShardServers>> servers;
    std::vector<std::string> names;
    for (const std::string& p : paths) {
        servers.push_back(std::make_unique<RemoteShardServers>(p, *tmp_ / "servers.log"));
        names.push_back(servers.back()->name());
    }
    for (const auto& s : servers) ASSERT_TRUE(s->ready()) << read_file(*tmp_ / "servers.log");
    ArchiveReader three(names);
    expect_same_answers(one, three, names, part_of);

    ArchiveReader on_disk(paths);
    for (const char* q : {"\"Kim Jong Un\"", "nuclear", "-id:none", "date:2012-04 Juche"})
        for (SortOrder sort : {SortOrder::newest, SortOrder::date})
            for (Xapian::doccount offset : {0u, 19430u}) {  // the first page, and the last
                SearchRequest request;
                request.query = q;
                request.sort = sort;
                request.offset = offset;
                const SearchResult a = search(on_disk, request, Highlight{}),
                                   b = search(three, request, Highlight{});
                ASSERT_EQ(a.total, b.total) << q;
                ASSERT_EQ(a.hits.size(), b.hits.size()) << q << " from " << offset;
                for (std::size_t k = 0; k < a.hits.size(); ++k)
                    EXPECT_EQ(a.hits[k].document.id, b.hits[k].document.id) << q << " " << k;
            }
}
