// Ingest as inputs really come: the seed scrape, a bad-input directory, and every real corpus
// in ../shared/corpora (record counts as their SOURCE.md gives them).
#include <gtest/gtest.h>
#include <zstd.h>

#include <boost/filesystem.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "helpers.hpp"
#include "panmun/archive.hpp"
#include "panmun/clean.hpp"
#include "panmun/entities.hpp"
#include "panmun/errors.hpp"
#include "panmun/input.hpp"
#include "panmun/readers.hpp"
#include "panmun/search.hpp"

using nlohmann::json;
using namespace panmun;
using namespace panmun::test;
namespace fs = boost::filesystem;

namespace {

const std::string index_bin = PANMUN_INDEX_BIN;
const std::string query_bin = PANMUN_QUERY_BIN;

// What the readers make of an input, without an archive: fast enough for the 106,520 files of
// reuters-financial in every build.
struct Tally {
    std::uint64_t files = 0, documents = 0, skipped = 0, refused = 0;  // refused: whole files
    std::vector<std::string> warnings, skips;
    std::vector<Document> docs;
};
Tally tally(const std::string& path, const std::function<bool(const std::string&)>& wanted,
            bool keep_docs = false, ReaderOptions options = {}) {
    Tally t;
    InputFile file(path);
    while (file.next_entry()) {
        if (file.is_archive() && !wanted(file.entry_path())) continue;
        ++t.files;
        std::unique_ptr<RecordReader> reader;
        try {
            reader = open_reader(file, file.entry_path(), options);
        } catch (const InputError& e) {
            ++t.refused;
            t.skips.push_back(e.what());
            continue;
        }
        for (ReadEvent ev = reader->next(); ev.kind != ReadEvent::Kind::end; ev = reader->next()) {
            if (ev.kind == ReadEvent::Kind::skipped) {
                ++t.skipped;
                t.skips.push_back(ev.where.str() + ": " + ev.reason);
                continue;
            }
            ++t.documents;
            for (auto& w : ev.warnings) t.warnings.push_back(ev.where.str() + ": " + w);
            if (keep_docs) t.docs.push_back(std::move(ev.document));
        }
    }
    return t;
}
bool any(const std::string&) { return true; }
bool ends(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string corpus(const std::string& rel) {
    if (corpora_dir().empty() || !fs::exists(corpora_dir() + "/" + rel)) return {};
    return corpora_dir() + "/" + rel;
}
#define NEED_CORPUS(path) \
    if (path.empty()) GTEST_SKIP() << "../shared/corpora is absent (set PANMUN_CORPORA): skipped"

// The Hangul syllables of a text, in order.
std::u32string hangul(const std::string& s) {
    std::u32string out;
    for (std::size_t i = 0; i + 2 < s.size(); ++i) {
        auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
        if ((b(0) & 0xF0) != 0xE0) continue;
        char32_t c = ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
        if (c >= 0xAC00 && c <= 0xD7A3) out += c;
    }
    return out;
}

}  // namespace

TEST(Ingest, TheSeedScrapeIsCleanedTitledAndUndated) {
    TempDir tmp;
    const std::string seed = source_dir() + "/../shared/seed/000_c597437d7f6d60af.txt";
    if (!fs::exists(seed)) GTEST_SKIP() << "../shared/seed is absent: skipped";
    const std::string a = tmp / "seed.panmun";
    RunResult b = run(index_bin + " build -q --archive " + a + " " + seed);
    ASSERT_EQ(b.status, 0) << b.err;
    auto ids = archive_ids(a);
    ASSERT_EQ(ids.size(), 1u);
    RunResult s = run(query_bin + " show --json --archive " + a + " " + ids[0]);
    ASSERT_EQ(s.status, 0) << s.err;
    json doc = json::parse(s.out);
    std::string text = doc["text"];
    for (const char* gone : {"<!--", "!--", "-->", "gtag", "Also read", "Image Source"})
        EXPECT_EQ(text.find(gone), std::string::npos) << gone;
    EXPECT_NE(text.find("liaison office"), std::string::npos);
    EXPECT_FALSE(doc["title"].get<std::string>().empty());
    EXPECT_EQ(doc["title"].get<std::string>().rfind("North Korea is set to cut off", 0), 0u);
    EXPECT_TRUE(doc["date"].is_null()) << doc["date"];
    // Tagged with its people, organisations and places, whatever their spelling in the text
    // ("Kim Yo-Jong", "Kim Jong-un", "Moon Jae-in", "the South's presidential Blue House").
    for (const char* filter : {"person:kim-yo-jong", "person:kim-jong-un", "person:moon-jae-in",
                               "org:kcna", "place:panmunjom", "org:blue-house"}) {
        RunResult c =
            run(query_bin + " search --count " +
                shell_quote(std::string("id:") + ids[0] + " " + filter) + " --archive " + a);
        EXPECT_EQ(c.out, "1\n") << filter << c.err;
    }
}

TEST(Ingest, BadInputsGiveLocatedErrorsAndEverythingElseIsIndexed) {
    TempDir tmp;
    const std::string in = tmp / "in";
    fs::create_directories(in + "/sub");
    write_file(in + "/good.jsonl",
               "{\"id\":\"g1\",\"text\":\"alpha hotline one\"}\n{\"id\":\"g2\",\"text\":\"alpha "
               "hotline two\"}\n");
    write_file(in + "/cut.json",
               "[{\"id\":\"j1\",\"text\":\"alpha from json\"},\n {\"id\":\"j2\",\"text\":\"alp");
    {
        std::ofstream big(in + "/sub/big.jsonl", std::ios::binary);
        big << "{\"id\":\"huge\",\"text\":\"" << std::string(100u << 20, 'x') << "\"}\n";
        big << "{\"id\":\"after\",\"text\":\"alpha after the huge line\"}\n";
    }
    write_file(in + "/blob.bin", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
    write_file(in + "/euckr.txt",
               "\xB1\xE8\xC1\xA4\xC0\xBA \xC0\xA7\xBF\xF8\xC0\xE5\xC0\xCC alpha\n");  // CP949
    write_file(in + "/latin1.txt", "Talks\nCaf\xE9 talks, alpha edition\n");
    write_file(in + "/broken.sgm",
               "<REUTERS NEWID=\"1\"><TEXT><BODY>alpha never closed\n"
               "<REUTERS NEWID=\"2\"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT><BODY>alpha "
               "sgml</BODY></TEXT></REUTERS>\n");
    write_file(in + "/dates.jsonl",
               "{\"id\":\"d1\",\"date\":\"2019-02-30\",\"text\":\"alpha no such day\"}\n");
    write_file(in + "/.hidden.jsonl", "{\"id\":\"h\",\"text\":\"alpha hidden\"}\n");
    const std::string a = tmp / "a.panmun";
    RunResult r = run(index_bin + " build --json --archive " + a + " " + in);
    EXPECT_EQ(r.status, 1) << r.err;
    json rep = json::parse(r.out);
    std::string problems;
    for (const auto& p : rep["inputs"][0]["problems"])
        problems += p["where"].get<std::string>() + ": " + p["message"].get<std::string>() + "\n";
    EXPECT_NE(problems.find(in + "/cut.json:2: skipped: the file ends inside this record"),
              std::string::npos)
        << problems;
    EXPECT_NE(problems.find(in + "/sub/big.jsonl:1: skipped: line longer than 64 MiB"),
              std::string::npos)
        << problems;
    EXPECT_NE(problems.find(in + "/blob.bin: skipped: a binary file"), std::string::npos)
        << problems;
    EXPECT_NE(problems.find(in + "/broken.sgm:1: skipped: no </REUTERS> closes this record"),
              std::string::npos)
        << problems;
    EXPECT_NE(problems.find(in + "/dates.jsonl:1: warning: date '2019-02-30' not understood"),
              std::string::npos)
        << problems;
    EXPECT_NE(problems.find(in + "/latin1.txt:2: repaired: 1 invalid UTF-8 byte"),
              std::string::npos)
        << problems;
    EXPECT_EQ(rep["total"]["converted"], 1);
    EXPECT_EQ(rep["total"]["repaired"], 1);
    // Everything else: g1 g2 j1 after euckr latin1 sgml-2 d1 = 8 documents, the hidden file not
    // read.
    EXPECT_EQ(rep["total"]["added"], 8) << problems;
    RunResult q = run(query_bin + " search --count alpha --archive " + a);
    EXPECT_EQ(q.out, "8\n") << q.err;
    RunResult k = run(query_bin + " search --count 김정은 --archive " + a);
    EXPECT_EQ(k.out, "1\n") << "the CP949 file was converted";
    RunResult und = run(query_bin + " show --json d1 --archive " + a);
    EXPECT_TRUE(json::parse(und.out)["date"].is_null());
    // --strict: the same inputs are refused, and nothing is built.
    RunResult strict =
        run(index_bin + " build --strict --archive " + (tmp / "s.panmun") + " " + in);
    EXPECT_NE(strict.status, 0);
    EXPECT_NE(strict.err.find("--strict"), std::string::npos) << strict.err;
    EXPECT_FALSE(fs::exists(tmp / "s.panmun"));
}

// A compressed file cut short: every record decompressed before the damage is indexed, in
// order, whatever window of records the ingest pipeline was at; the file is reported as stopped.
TEST(Ingest, ACompressedFileCutShortKeepsEveryRecordReadBeforeTheDamage) {
    std::string plain;
    std::mt19937 rng(7);
    for (int i = 0; i < 3000; ++i) {
        std::string words;
        for (int w = 0; w < 40; ++w) words += std::to_string(rng() % 100000) + " ";
        plain += json{{"id", "r" + std::to_string(i)}, {"text", "alpha " + words}}.dump() + "\n";
    }
    std::string packed(ZSTD_compressBound(plain.size()), '\0');
    packed.resize(ZSTD_compress(packed.data(), packed.size(), plain.data(), plain.size(), 1));
    packed.resize(packed.size() * 3 / 5);
    TempDir tmp;
    write_file(tmp / "cut.jsonl.zst", packed);
    // Independently: the records the reader yields, one by one, before reading fails. (Fewer
    // than `zstd -dc` recovers: libarchive stops at the block it could not finish.)
    std::size_t lines = 0;
    bool stopped = false;
    try {
        InputFile file(tmp / "cut.jsonl.zst");
        ASSERT_TRUE(file.next_entry());
        auto reader = open_reader(file, file.entry_path(), {});
        for (ReadEvent ev = reader->next(); ev.kind != ReadEvent::Kind::end; ev = reader->next())
            lines += ev.kind == ReadEvent::Kind::document;
    } catch (const InputError&) {
        stopped = true;
    }
    ASSERT_TRUE(stopped);
    ASSERT_GT(lines, 200u);                         // several windows of the pipeline
    for (const std::string threads : {"1", "2"}) {  // prepared in turn, and on a worker thread
        SCOPED_TRACE("--threads " + threads);
        const std::string a = tmp / ("a" + threads + ".panmun");
        RunResult r = run(index_bin + " build --json --threads " + threads + " --archive " + a +
                          " " + (tmp / "cut.jsonl.zst"));
        EXPECT_EQ(r.status, 1) << r.err;
        json rep = json::parse(r.out);
        EXPECT_EQ(rep["total"]["added"], lines);
        EXPECT_NE(rep.dump().find("stopped reading"), std::string::npos) << rep.dump();
        std::vector<std::string> ids = archive_ids(a);
        ASSERT_EQ(ids.size(), lines);
        for (std::size_t i = 0; i < ids.size(); ++i) ASSERT_EQ(ids[i], "r" + std::to_string(i));
    }
}

// --date-from mtime with a file older than 1973 (whose epoch milliseconds have fewer than 12
// digits): dated to its day, not a crash.
TEST(Ingest, OldModificationTimesDateFiles) {
    TempDir tmp;
    write_file(tmp / "old.txt", "An undated memo about the armistice talks.\n");
    ASSERT_EQ(run("touch -d '1960-05-07 12:00:00 UTC' " + shell_quote(tmp / "old.txt")).status, 0);
    const std::string a = tmp / "a.panmun";
    RunResult r =
        run(index_bin + " build -q --date-from mtime --archive " + a + " " + (tmp / "old.txt"));
    ASSERT_EQ(r.status, 0) << r.err;
    json d =
        json::parse(run(query_bin + " show --json --archive " + a + " " + archive_ids(a)[0]).out);
    EXPECT_EQ(d["date"], "1960-05-07");
}

TEST(Ingest, DatelinesGiveTheDayWhenTheYearIsKnown) {
    TempDir tmp;
    fs::create_directories(tmp / "kcna/2011");
    write_file(tmp / "kcna/2011/story.txt", "Pyongyang, December 24 (KCNA) -- A dateline story.\n");
    write_file(tmp / "kcna/2011/plain.txt", "No dateline here, December 24 is mentioned later.\n");
    write_file(
        tmp / "kcna/year.jsonl",
        "{\"id\":\"y\",\"date\":\"2012\",\"text\":\"Pyongyang, March 3 (KCNA) -- Year given.\"}\n"
        "{\"id\":\"n\",\"text\":\"Pyongyang, March 3 (KCNA) -- No year anywhere.\"}\n");
    const std::string a = tmp / "a.panmun";
    RunResult r = run(index_bin + " build -q --archive " + a + " " + (tmp / "kcna"));
    ASSERT_EQ(r.status, 0) << r.err;
    auto date_of = [&](const std::string& id) {
        json d = json::parse(run(query_bin + " show --json --archive " + a + " " + id).out);
        return d["date"].is_null() ? std::string("undated") : d["date"].get<std::string>();
    };
    std::map<std::string, std::string> by_text;
    for (const auto& id : archive_ids(a)) {
        json d = json::parse(run(query_bin + " show --json --archive " + a + " " + id).out);
        by_text[d["text"].get<std::string>().substr(0, 16)] = date_of(id);
    }
    EXPECT_EQ(by_text["Pyongyang, Decem"], "2011-12-24");  // year from the folder
    EXPECT_EQ(by_text["No dateline here"], "undated");
    EXPECT_EQ(date_of("y"), "2012-03-03");  // year from the record
    EXPECT_EQ(date_of("n"), "undated");     // no year: no guess
}

// A file named after a year dates its article to that year; a date line in it gives the day
// when it falls in that year or the month around it; one further off is reported.
TEST(Ingest, FilesNamedAfterAYearAreDated) {
    TempDir tmp;
    fs::create_directories(tmp / "years");
    write_file(tmp / "years/2005.txt", "신년사\n2005/01/01 08:17송고\n본문 2005년.\n");
    write_file(tmp / "years/2014.txt", "친애하는 동지들. 새해 2014년을 맞이합니다.\n");
    write_file(tmp / "years/1987.txt", "연설 1986년 12월 30일\n본문.\n");
    write_file(tmp / "years/2011.txt", "사설\n\n2010.1.1.\n\n본문.\n");
    write_file(tmp / "years/notes.txt",
               "Memo of 2005/01/01 on the talks.\n");  // not named after a year
    const std::string a = tmp / "a.panmun";
    RunResult r = run(index_bin + " build --json --archive " + a + " " + (tmp / "years"));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("the text's date 2010-01-01 is not in 2011"), std::string::npos) << r.out;
    std::map<std::string, std::string> by_name;
    for (const auto& id : archive_ids(a)) {
        json d = json::parse(run(query_bin + " show --json --archive " + a + " " + id).out);
        const std::string path = d["path"];
        by_name[path.substr(path.rfind('/') + 1)] =
            d["date"].is_null() ? "undated" : d["date"].get<std::string>();
    }
    EXPECT_EQ(by_name["2005.txt"], "2005-01-01");
    EXPECT_EQ(by_name["2014.txt"], "2014");
    EXPECT_EQ(by_name["1987.txt"], "1986-12-30");
    EXPECT_EQ(by_name["2011.txt"], "2011");
    EXPECT_EQ(by_name["notes.txt"], "2005-01-01");
}

// A --map key no record has, a date column left unread, a field mapped twice: said, not silent.
TEST(Ingest, MappingsThatReadNothingAreReported) {
    TempDir tmp;
    write_file(tmp / "a.jsonl",
               "{\"id\":\"1\",\"date\":\"2012-01-01\",\"text\":\"one\"}\n"
               "{\"id\":\"2\",\"date\":\"2012-01-02\",\"text\":\"two\"}\n");
    RunResult r = run(index_bin + " build --json --map date=date_str --archive " +
                      (tmp / "a.panmun") + " " + (tmp / "a.jsonl"));
    ASSERT_EQ(r.status, 0) << r.err;
    json rep = json::parse(r.out);
    EXPECT_EQ(rep["total"]["warnings"], 2) << rep.dump(1);  // the key, and the unread 'date'
    const std::string problems = rep["inputs"][0]["problems"].dump();
    EXPECT_NE(problems.find(
                  "--map date=date_str: no record of this input has a key or column 'date_str'"),
              std::string::npos)
        << problems;
    EXPECT_NE(problems.find("'date' looks like one: read it with --map date=date"),
              std::string::npos)
        << problems;
    write_file(tmp / "t.csv",
               "user,tweet_date,text\nx,2017-07-28 10:00:00,Missile launch\ny,2017-07-29 "
               "11:00:00,Sanctions\n");
    RunResult c = run(index_bin + " build --archive " + (tmp / "t.panmun") + " " + (tmp / "t.csv"));
    EXPECT_EQ(c.status, 0) << c.err;
    EXPECT_NE(c.err.find("'tweet_date' looks like one: read it with --map date=tweet_date"),
              std::string::npos)
        << c.err;
    RunResult read = run(index_bin + " build --json --map date=tweet_date --archive " +
                         (tmp / "t2.panmun") + " " + (tmp / "t.csv"));
    EXPECT_EQ(json::parse(read.out)["total"]["warnings"], 0) << read.out;
    RunResult twice = run(index_bin + " build --map text=a,text=b --archive " + (tmp / "x.panmun") +
                          " " + (tmp / "t.csv"));
    EXPECT_EQ(twice.status, 2);
    EXPECT_NE(twice.err.find("field 'text' is mapped twice"), std::string::npos) << twice.err;
}

// Every hit can be cited: a document without a URL keeps the path of its file (and a tar
// member's), shown by show, --json and --csv.
TEST(Ingest, DocumentsKeepThePathTheyWereReadFrom) {
    TempDir tmp;
    fs::create_directories(tmp / "in/sub");
    write_file(tmp / "in/sub/story.txt", "Hotline story\n\nThe hotline rang.\n");
    write_file(tmp / "in/feed.jsonl", "{\"id\":\"j1\",\"text\":\"A hotline record.\"}\n");
    fs::create_directories(tmp / "t/member");
    write_file(tmp / "t/member/story.txt", "Another hotline story\n\nA hotline in a tar.\n");
    RunResult tar =
        run("cd " + shell_quote((tmp / "t").c_str()) + " && tar -cf ../pack.tar member/story.txt");
    ASSERT_EQ(tar.status, 0) << tar.err;
    const std::string a = tmp / "a.panmun";
    ASSERT_EQ(
        run(index_bin + " build -q --archive " + a + " " + (tmp / "in") + " " + (tmp / "pack.tar"))
            .status,
        0);
    RunResult csv =
        run(query_bin + " search --csv --fields id,path --limit 10 hotline --archive " + a);
    EXPECT_NE(csv.out.find((tmp / "in/sub/story.txt") + "\r\n"), std::string::npos) << csv.out;
    EXPECT_NE(csv.out.find((tmp / "in/feed.jsonl") + ":1\r\n"), std::string::npos) << csv.out;
    EXPECT_NE(csv.out.find((tmp / "pack.tar") + ":member/story.txt"), std::string::npos) << csv.out;
    json hits = json::parse(run(query_bin + " search --json hotline --archive " + a).out)["hits"];
    for (const auto& h : hits) EXPECT_FALSE(h["path"].get<std::string>().empty()) << h.dump();
    RunResult show = run(query_bin + " show j1 --archive " + a);
    EXPECT_NE(show.out.find("path:   " + (tmp / "in/feed.jsonl") + ":1"), std::string::npos)
        << show.out;
    // The same file added from another place changes nothing: the path is not the content.
    RunResult again = run("cd " + shell_quote((tmp / "in").c_str()) + " && " + index_bin +
                          " add --json --archive " + a + " feed.jsonl");
    EXPECT_EQ(json::parse(again.out)["total"]["unchanged"], 1) << again.out;
}

TEST(Ingest, KcnaEn2024JsonArray) {
    std::string path = corpus("kcna-en-2024/headlines_2024-11-11.json.zst");
    NEED_CORPUS(path);
    TempDir tmp;
    const std::string a = tmp / "a.panmun";
    RunResult r = run(index_bin +
                      " build --json --source KCNA --map "
                      "title=headline,date=date_str,text=story_text,url=link --archive " +
                      a + " " + path);
    json t = json::parse(r.out)["total"];
    EXPECT_EQ(t["read"], 2111);    // SOURCE.md: 2,111 records
    EXPECT_EQ(t["skipped"], 249);  // 249 with "" story_text
    EXPECT_EQ(t["added"].get<int>() + t["duplicates"].get<int>(), 1862);  // 1,862 with a story
    EXPECT_EQ(t["warnings"], 0);                                          // every date_str parses

    // The scrape glued names to their neighbours ("ComradeKim Jong Unwas", SOURCE.md): the
    // phrase and the entity find at least 95 % of the stored articles whose raw text names the
    // person, in any case and however glued, and nothing else.
    ReaderOptions options;
    options.map = FieldMap::parse("title=headline,date=date_str,text=story_text,url=link");
    Tally raw = tally(path, any, true, options);
    ArchiveReader reader(a);
    for (const auto& [name, entity] :
         {std::pair<std::string, std::string>{"Kim Jong Un", "kim-jong-un"},
          {"Kim Il Sung", "kim-il-sung"},
          {"Kim Jong Il", "kim-jong-il"}}) {
        std::string lower_name = name;
        for (char& c : lower_name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        // Names of places and bodies named after the person do not name him (the gazetteer's
        // fifth column: Kim Il Sung Square, Kim Il Sung University); they are cut out first.
        std::vector<std::string> after_him;
        for (const Entity& e : Gazetteer::builtin().entities())
            if (std::find(e.opaque_to.begin(), e.opaque_to.end(), entity) != e.opaque_to.end())
                for (std::string alias : e.aliases) {
                    for (char& c : alias)
                        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    after_him.push_back(alias);
                }
        std::set<std::string> written, person;  // the name written; the person named
        for (const Document& d : raw.docs) {
            // The archived text: the scrape's glued words ("Kim Il SungUniversity") are apart.
            const std::optional<Document> archived = reader.find(d.id);
            if (!archived) continue;
            std::string text = archived->title + "\n" + archived->text;
            for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (text.find(lower_name) != std::string::npos) written.insert(d.id);
            for (const std::string& cut : after_him)
                for (std::size_t at = text.find(cut); at != std::string::npos; at = text.find(cut))
                    text.erase(at, cut.size());
            if (text.find(lower_name) != std::string::npos) person.insert(d.id);
        }
        ASSERT_GT(person.size(), 50u) << name;
        for (const std::string& q : {"\"" + name + "\"", "person:" + entity}) {
            const std::set<std::string>& named = q[0] == '"' ? written : person;
            std::set<std::string> found;
            for (const Hit& h : search(reader, request(q, 0, 100000), {}).hits)
                found.insert(h.document.id);
            std::size_t both = 0;
            for (const auto& id : found) both += named.count(id);
            if (std::getenv("PANMUN_PRINT_MISSES"))
                for (const auto& id : named)
                    if (!found.count(id))
                        std::printf("%s not found by %s\n", id.c_str(), q.c_str());
            EXPECT_EQ(both, found.size()) << q << ": every hit names " << name;
            EXPECT_GE(both * 100, named.size() * 95) << q << ": " << both << " of " << named.size();
            RecordProperty(q, std::to_string(both) + " of " + std::to_string(named.size()));
        }
    }
}

TEST(Ingest, NkNewYearHangulSurvivesByteExactAfterNfc) {
    std::string path = corpus("nk-newyear-ko/nk-newyear-speeches-data.tar.zst");
    NEED_CORPUS(path);
    TempDir tmp;
    const std::string a = tmp / "nk.panmun";
    RunResult r = run(index_bin + " build --json --archive " + a + " " + path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["total"]["added"], 73);  // 1946-2019 without 1957
    Tally t = tally(path, any, true);
    ASSERT_EQ(t.documents, 73u);
    ArchiveReader reader(a);
    InputFile raw(path);
    std::size_t checked = 0;
    std::map<std::string, std::string> raw_by_id;
    for (const Document& d : t.docs) raw_by_id[d.id] = d.text;
    for (const auto& [id, text] : raw_by_id) {
        auto stored = reader.find(id);
        ASSERT_TRUE(stored) << id;
        EXPECT_EQ(hangul(stored->text), hangul(to_nfc(text))) << id;
        EXPECT_GT(hangul(stored->text).size(), 500u);
        ++checked;
    }
    EXPECT_EQ(checked, 73u);
}

TEST(Ingest, Reuters21578EveryRecordAndEveryDateButTheMalformedOne) {
    std::string path = corpus("reuters21578/reuters21578.tar.zst");
    NEED_CORPUS(path);
    Tally t = tally(path, [](const std::string& p) { return ends(p, ".sgm"); });
    EXPECT_EQ(t.files, 22u);
    EXPECT_EQ(t.documents + t.skipped, 21578u);  // SOURCE.md: 21,578 documents
    EXPECT_LE(t.skipped, 1u) << (t.skips.empty() ? ""
                                                 : t.skips[0]);  // one record has no text at all
    ASSERT_EQ(t.warnings.size(), 1u);
    EXPECT_NE(t.warnings[0].find("31-MAR-1987 605:12:19.12"), std::string::npos) << t.warnings[0];
}

TEST(Ingest, ReutersFinancialHeadersEmptyBodiesAndHeaderlessFiles) {
    std::string path = corpus("reuters-financial/reuters-financial-news.tar.zst");
    NEED_CORPUS(path);
    std::uint64_t without_url = 0, undated = 0;  // among the documents
    Tally t = tally(
        path, [](const std::string& p) { return !ends(p, "README.md"); }, true);
    for (const Document& d : t.docs) {
        without_url += d.url.empty();
        undated += !d.date.is_set();
    }
    // SOURCE.md: 106,520 files, 1,161 of them without a body, 26 without the "-- " header. The
    // 26 are 25 empty files ("no text") and ReutersNews106521/20131120/153.tar.gz, a gzip file
    // (binary: refused); the other 1,135 have the header and nothing after it.
    EXPECT_EQ(t.files, 106520u);
    EXPECT_EQ(t.refused, 1u);
    EXPECT_EQ(t.skipped + t.refused, 1161u);
    EXPECT_EQ(t.documents, 106520u - 1161u);
    // Every file with a body has the header: every article has its URL and date.
    EXPECT_EQ(without_url, 0u);
    EXPECT_EQ(undated, 0u);
    EXPECT_TRUE(t.warnings.empty()) << t.warnings[0];
}

TEST(Ingest, TimeCollectionAndKlueSentences) {
    std::string time = corpus("time-ir/TIME.ALL.zst"),
                klue = corpus("klue-ner-ko/klue-ner-v1.1_dev.tsv.zst");
    NEED_CORPUS(time);
    Tally t = tally(time, any);
    EXPECT_EQ(t.documents, 423u);  // SOURCE.md: 423 documents
    ASSERT_EQ(t.warnings.size(), 1u);
    EXPECT_NE(t.warnings[0].find("08/30 63"), std::string::npos);
    NEED_CORPUS(klue);
    Tally k = tally(klue, any);
    EXPECT_EQ(k.documents, 5000u);  // SOURCE.md: 5,000 sentences
}
