// Archives of shards (ArchiveWriter::create with shards > 1): each document in the shard of its
// id, the shards read as one archive, updates routed, duplicates found across shards.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "helpers.hpp"
#include "panmun/archive.hpp"
#include "panmun/errors.hpp"
#include "panmun/ingest.hpp"
#include "panmun/inspect.hpp"
#include "panmun/schema.hpp"
#include "panmun/search.hpp"

using namespace panmun;
using panmun::test::doc;
using panmun::test::request;
using panmun::test::TempDir;

namespace {

// The ids of the documents of the archive (or shard) at `path`.
std::set<std::string> ids_in(const std::string& path) {
    ArchiveReader r(path);
    std::set<std::string> ids;
    const Xapian::Database& db = r.database();
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
        ids.insert(db.get_document(*it).get_data());
    return ids;
}

// An id that goes to shard `k` of `n`, not among `taken`.
std::string id_in_shard(std::size_t k, std::size_t n, const std::set<std::string>& taken = {}) {
    for (int i = 0;; ++i) {
        std::string id = "doc-" + std::to_string(i);
        if (shard_of(id, n) == k && !taken.count(id)) return id;
    }
}

const char* const texts[] = {
    "The two leaders met at Panmunjom and walked across the military demarcation line.",
    "The North cut the military hotline and the liaison office telephone.",
    "Families separated by the war met at Mount Kumgang for three days.",
    "The Kaesong industrial complex closed and its workers went home.",
    "A joint team marched at the opening of the winter games in Pyeongchang.",
};

}  // namespace

TEST(Shards, EachDocumentIsInTheShardOfItsIdAndTheShardsAreReadAsOne) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    std::vector<Document> docs;
    for (int i = 0; i < 40; ++i)
        docs.push_back(doc("d" + std::to_string(i),
                           std::string(texts[i % 5]) + " Number " + std::to_string(i) + "."));
    {
        ArchiveWriter w = ArchiveWriter::create(path, {}, 3);
        EXPECT_EQ(w.shard_count(), 3u);
        std::vector<ArchiveWriter::Addition> batch;
        for (int i = 0; i < 30; ++i) batch.push_back({&docs[i], w.prepare(docs[i]), ""});
        w.post(std::move(batch));
        auto results = w.added();
        ASSERT_EQ(results.size(), 30u);
        for (auto r : results) EXPECT_EQ(r, ArchiveWriter::AddResult::added);
        for (int i = 30; i < 40; ++i) EXPECT_EQ(w.add(docs[i]), ArchiveWriter::AddResult::added);
        EXPECT_EQ(w.document_count(), 40u);
        w.commit();
    }
    ArchiveReader r(path);
    EXPECT_EQ(r.document_count(), 40u);
    EXPECT_EQ(r.archive_count(), 1u);
    EXPECT_EQ(r.name(), path);
    EXPECT_EQ(r.manifest().format_version, sharded_archive_format_version);
    EXPECT_EQ(r.manifest().shards, (std::vector<std::string>{"shard-1", "shard-2", "shard-3"}));
    EXPECT_EQ(r.manifest().documents, 40u);
    for (const Document& d : docs) {
        auto found = r.find_with_archive(d.id);
        ASSERT_TRUE(found) << d.id;
        EXPECT_EQ(found->first.text, d.text);
        EXPECT_EQ(found->second, path);
    }
    std::size_t total = 0;
    for (std::size_t k = 0; k < 3; ++k) {
        const std::string shard = path + "/shard-" + std::to_string(k + 1);
        std::set<std::string> ids = ids_in(shard);
        EXPECT_FALSE(ids.empty()) << shard;
        for (const std::string& id : ids) EXPECT_EQ(shard_of(id, 3), k) << id;
        total += ids.size();
    }
    EXPECT_EQ(total, 40u);
    SearchResult found = search(r, request("hotline", 0, 100), {});
    EXPECT_EQ(found.total, 8u);
    for (const Hit& h : found.hits) EXPECT_EQ(h.archive, "");  // one archive, however sharded

    VerifyReport v = verify_archive(path);
    EXPECT_TRUE(v.ok()) << (v.problems.empty() ? "" : v.problems.front());
    EXPECT_EQ(v.documents, 40u);
    ArchiveStats s = archive_stats(r);
    EXPECT_EQ(s.documents, 40u);
    EXPECT_EQ(s.format_version, sharded_archive_format_version);
    std::uint64_t text_bytes = 0;
    for (const Document& d : docs) text_bytes += d.text.size();
    EXPECT_EQ(s.text_bytes, text_bytes);
    EXPECT_GT(s.store_bytes, 0u);
    EXPECT_GT(s.index_bytes, 0u);
}

// Whatever the number of shards, a search finds the same documents with the same weights:
// Xapian combines the shards' statistics as one database's.
TEST(Shards, SearchesAnswerAsTheArchiveOfOneShard) {
    TempDir tmp;
    std::vector<Document> docs;
    for (int i = 0; i < 60; ++i)
        docs.push_back(doc("d" + std::to_string(i), std::string(texts[i % 5]) + " " +
                                                        texts[(i * 7 + 1) % 5] + " Item " +
                                                        std::to_string(i) + "."));
    for (std::size_t n : {1u, 2u, 5u}) {
        ArchiveWriter w = ArchiveWriter::create(tmp / ("s" + std::to_string(n)), {}, n);
        for (const Document& d : docs) w.add(d);
        w.commit();
    }
    ArchiveReader one(tmp / "s1"), two(tmp / "s2"), five(tmp / "s5");
    for (const char* q : {"hotline", "\"military demarcation line\"", "Kaesong OR Kumgang",
                          "leaders AND NOT games", "item"}) {
        auto scores = [&](ArchiveReader& r) {
            std::map<std::string, double> s;
            for (const Hit& h : search(r, request(q, 0, 1000), {}).hits) s[h.document.id] = h.score;
            return s;
        };
        auto a = scores(one), b = scores(two), c = scores(five);
        EXPECT_FALSE(a.empty()) << q;
        ASSERT_EQ(a.size(), b.size()) << q;
        ASSERT_EQ(a.size(), c.size()) << q;
        for (const auto& [id, score] : a) {
            EXPECT_NEAR(b[id], score, 1e-9) << q << " " << id;
            EXPECT_NEAR(c[id], score, 1e-9) << q << " " << id;
        }
    }
}

// With more matches than a search counts on one thread, each shard counts its own at once and
// only the hits shown are ranked over the shards as one: the totals, facets and hits are still
// those of the archive of one shard.
TEST(Shards, ManyMatchesAreCountedOnEachShardAtOnceAsOneShardCountsThem) {
    TempDir tmp;
    const char* const names[] = {"Kim Jong Un", "Moon Jae-in", "the Unification Ministry",
                                 "Kaesong", "Panmunjom"};
    std::vector<Document> docs;
    for (int i = 0; i < 1400; ++i) {
        Document d =
            doc("n" + std::to_string(i), std::string(texts[i % 5]) + " " + names[i % 5] + " and " +
                                             names[(i / 5) % 5] + " spoke of Korea" +
                                             (i % 3 ? " and the hotline." : ".") + " Note " +
                                             std::to_string(i % 97) + ".");
        d.date = *Date::parse_iso(std::to_string(2000 + i % 19) + "-0" + std::to_string(1 + i % 9) +
                                  "-1" + std::to_string(i % 10));
        if (i % 50 == 0) d.date = {};  // some undated
        docs.push_back(std::move(d));
    }
    for (std::size_t n : {1u, 3u}) {
        ArchiveWriter w = ArchiveWriter::create(tmp / ("s" + std::to_string(n)), {}, n);
        for (const Document& d : docs) w.add(d);
        w.commit();
    }
    ArchiveReader one(tmp / "s1"), three(tmp / "s3");
    ASSERT_EQ(three.part_count(), 3u);
    std::size_t many = 0;
    for (const char* q : {"korea", "hotline", "korea -hotline", "\"spoke of Korea\"",
                          "kaesong OR panmunjom", "note", "hotline date:2005..2012", "note 42"}) {
        for (bool facets : {false, true}) {
            SearchRequest r = request(q, 0, 10);
            r.fetch = false;
            if (facets) r.facets = FacetRequest::parse("person,org,place,date");
            const SearchResult a = search(one, r, {}), b = search(three, r, {});
            ASSERT_EQ(a.total, b.total) << q;
            EXPECT_TRUE(b.total_exact) << q;
            many += a.total > 500;
            ASSERT_EQ(a.hits.size(), b.hits.size()) << q;
            for (std::size_t k = 0; k < a.hits.size(); ++k) {
                EXPECT_EQ(a.hits[k].document.id, b.hits[k].document.id) << q << " rank " << k;
                EXPECT_NEAR(a.hits[k].score, b.hits[k].score, 1e-9) << q;
            }
            test::expect_same_facets(a, b, q);
            if (facets) EXPECT_FALSE(b.facets.entities[0].empty()) << q;
        }
    }
    EXPECT_GE(many, 8u);  // the queries that the shards count at once
}

// A page of hits is read from the shards' stores at once, a thread for each (but this one):
// every document as it was added, in the order of the hits; a damaged store of a shard read on
// another thread is named as one read here would be, and the reader stays usable.
TEST(Shards, HitsAreReadFromEachShardsStoreAtOnceAndTheirDamageIsNamed) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    std::map<std::string, std::string> text_of;
    {
        ArchiveWriter w = ArchiveWriter::create(path, {}, 3);
        for (int i = 0; i < 30; ++i) {
            Document d = doc("d" + std::to_string(i),
                             texts[i % 5] + std::string(" Korea, day ") + std::to_string(i) + ".");
            text_of[d.id] = d.text;
            w.add(d);
        }
        w.commit();
    }
    {
        ArchiveReader r(path);
        SearchResult found = search(r, request("korea", 0, 30), {});
        ASSERT_EQ(found.hits.size(), 30u);
        std::set<std::string> seen;
        for (const Hit& h : found.hits) {
            EXPECT_EQ(h.document.text, text_of.at(h.document.id));
            seen.insert(h.document.id);
        }
        EXPECT_EQ(seen.size(), 30u);
        SearchRequest ids = request("korea", 0, 30);
        ids.fetch = false;  // the same order, read from the index alone
        SearchResult listed = search(r, ids, {});
        ASSERT_EQ(listed.hits.size(), 30u);
        for (std::size_t k = 0; k < 30; ++k)
            EXPECT_EQ(listed.hits[k].document.id, found.hits[k].document.id);
    }
    const std::string store = path + "/shard-2/store-1.dat";
    const std::string bytes = test::read_file(store);
    test::write_file(store, bytes.substr(0, bytes.size() / 2));
    ArchiveReader r(path);
    for (int attempt = 0; attempt < 2; ++attempt) {  // the second after the first failed
        try {
            search(r, request("korea", 0, 30), {});
            ADD_FAILURE() << "a damaged shard's store was read without an error";
        } catch (const CorruptDataError& e) {
            EXPECT_NE(std::string(e.what()).find("shard-2"), std::string::npos) << e.what();
        }
    }
    SearchRequest ids = request("korea", 0, 30);
    ids.fetch = false;
    EXPECT_EQ(search(r, ids, {}).hits.size(), 30u);
}

// While the shards' threads add what was posted, same_text() and contains() answer from each
// shard's last commit and what was posted since; the answers are those of the archive as it
// will be, before and after a commit, and after other changes (which wait for the additions).
TEST(Shards, PostedAdditionsAreSeenBeforeTheyAreAdded) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    const std::string a = id_in_shard(0, 2), b = id_in_shard(1, 2), c = id_in_shard(1, 2, {b});
    std::vector<Document> docs = {doc(a, texts[0]), doc(b, texts[1]), doc(a, texts[2]),
                                  doc(c, texts[0]), doc(b, texts[3])};
    auto post = [&](ArchiveWriter& w, std::initializer_list<std::size_t> which) {
        std::vector<ArchiveWriter::Addition> batch;
        for (std::size_t i : which) batch.push_back({&docs[i], std::nullopt, ""});
        w.post(std::move(batch));
    };
    using R = ArchiveWriter::AddResult;
    ArchiveWriter w = ArchiveWriter::create(path, {}, 2);
    w.commit();  // from here on the answers come from the committed shards and the posted
    post(w, {0, 1});
    EXPECT_TRUE(w.contains(a));
    EXPECT_TRUE(w.contains(b));
    EXPECT_FALSE(w.contains(c));
    EXPECT_EQ(w.same_text(doc(c, texts[0])), a);
    EXPECT_EQ(w.same_text(doc(a, texts[0])), "");  // its own
    post(w, {2});                                  // a's text changes
    EXPECT_EQ(w.same_text(doc(c, texts[0])), "");
    EXPECT_EQ(w.same_text(doc(c, texts[2])), a);
    post(w, {3});
    EXPECT_EQ(w.same_text(doc(b, texts[0])), c);
    EXPECT_EQ(w.added(), (std::vector<R>{R::added, R::added, R::replaced, R::added}));
    w.commit();
    EXPECT_EQ(w.same_text(doc(b, texts[2])), a);  // committed
    EXPECT_EQ(w.same_text(doc(a, texts[0])), c);
    post(w, {4});  // b's committed text is no longer b's
    EXPECT_EQ(w.same_text(doc(a, texts[1])), "");
    EXPECT_EQ(w.same_text(doc(a, texts[3])), b);
    EXPECT_EQ(w.same_text(doc(b, texts[0])), c);
    EXPECT_EQ(w.added(), std::vector<R>{R::replaced});
    EXPECT_TRUE(w.remove(c));  // a change of another kind: the answers come from the shards again
    post(w, {3});
    EXPECT_EQ(w.same_text(doc(b, texts[0])), c);
    EXPECT_TRUE(w.contains(c));
    EXPECT_EQ(w.added(), std::vector<R>{R::added});
    EXPECT_EQ(w.document_count(), 3u);
}

// A shard's thread that fails drops what was posted to it after, and the failure comes back
// from added(), not a hang; the writer goes on afterwards.
TEST(Shards, AFailedAdditionComesBackFromAdded) {
    TempDir tmp;
    ArchiveWriter w = ArchiveWriter::create(tmp / "a.panmun", {}, 2);
    w.commit();
    const std::string bad_id(400, 'x');  // a term longer than Xapian takes
    std::vector<Document> docs = {doc(bad_id, texts[0])};
    for (int i = 0; i < 40; ++i)
        docs.push_back(
            doc("d" + std::to_string(i), std::string(texts[1]) + " " + std::to_string(i)));
    for (int round = 0; round < 3; ++round) {  // the bad one first, then behind others
        std::vector<ArchiveWriter::Addition> batch;
        for (const Document& d : docs) batch.push_back({&d, std::nullopt, ""});
        if (round) std::rotate(batch.begin(), batch.begin() + 1, batch.end());
        w.post(std::move(batch));
        for (int more = 0; more < round; ++more) {
            std::vector<ArchiveWriter::Addition> again;
            for (std::size_t i = 1; i < docs.size(); ++i)
                again.push_back({&docs[i], std::nullopt, ""});
            w.post(std::move(again));
        }
        EXPECT_THROW(w.added(), Xapian::Error) << round;
    }
    std::vector<ArchiveWriter::Addition> good;
    for (std::size_t i = 1; i < docs.size(); ++i) good.push_back({&docs[i], std::nullopt, ""});
    w.post(std::move(good));
    EXPECT_EQ(w.added().size(), 40u);
}

TEST(Shards, ReplacingRemovingAndSameTextWorkAcrossShards) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    const std::string a = id_in_shard(0, 2), b = id_in_shard(1, 2);
    {
        ArchiveWriter w = ArchiveWriter::create(path, {}, 2);
        EXPECT_EQ(w.add(doc(a, texts[0])), ArchiveWriter::AddResult::added);
        EXPECT_EQ(w.same_text(doc(b, texts[0])), a);  // pending, in another shard
        w.commit();
    }
    {
        ArchiveWriter w = ArchiveWriter::open(path);
        EXPECT_TRUE(w.contains(a));
        EXPECT_FALSE(w.contains(b));
        EXPECT_EQ(w.same_text(doc(b, texts[0])), a);  // committed
        EXPECT_EQ(w.add(doc(a, texts[0])), ArchiveWriter::AddResult::unchanged);
        EXPECT_EQ(w.add(doc(a, texts[1])), ArchiveWriter::AddResult::replaced);
        EXPECT_EQ(w.add(doc(b, texts[0])), ArchiveWriter::AddResult::added);
        w.set_file_mark("in.jsonl", "12 34");
        w.commit();
        EXPECT_EQ(w.remove_matching("Panmunjom"), std::vector<std::string>{b});
        EXPECT_FALSE(w.remove(b));
        w.commit();
        EXPECT_EQ(w.document_count(), 1u);
    }
    ArchiveWriter w = ArchiveWriter::open(path);
    EXPECT_EQ(w.file_mark("in.jsonl"), "12 34");
    EXPECT_EQ(w.marked_files(), std::vector<std::string>{"in.jsonl"});
    EXPECT_EQ(ids_in(path), std::set<std::string>{a});
    EXPECT_EQ(ArchiveReader(path).find(a)->text, texts[1]);
    EXPECT_EQ(ArchiveReader(path).manifest().dead_documents, 2u);
    w.compact(Compaction::fast);
    EXPECT_EQ(ArchiveReader(path).manifest().dead_documents, 0u);
    EXPECT_TRUE(verify_archive(path).ok());
}

TEST(Shards, AShardIsNeverWrittenAloneAndItsDamageIsNamed) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    {
        ArchiveWriter w = ArchiveWriter::create(path, {}, 3);
        for (int i = 0; i < 20; ++i)
            w.add(
                doc("d" + std::to_string(i), texts[i % 5] + std::string(" ") + std::to_string(i)));
        w.commit();
        EXPECT_THROW(ArchiveWriter::open(path), ArchiveLockedError);
    }
    try {
        ArchiveWriter::open(path + "/shard-2");
        ADD_FAILURE() << "a shard was opened for writing by itself";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("shard 2 of 3"), std::string::npos) << e.what();
    }
    EXPECT_EQ(ids_in(path + "/shard-2").size() + ids_in(path + "/shard-1").size() +
                  ids_in(path + "/shard-3").size(),
              20u);  // a reader may read a shard alone
    // but not as well as its archive, whose documents it would count twice
    for (const std::vector<std::string>& both :
         {std::vector<std::string>{path, path + "/shard-2"}, {path + "/./shard-2", path}}) {
        try {
            ArchiveReader r(both);
            ADD_FAILURE() << "an archive and its shard were read together";
        } catch (const UsageError& e) {
            EXPECT_NE(std::string(e.what()).find("given"), std::string::npos) << e.what();
        }
    }

    // A document routed to the wrong shard (moved by hand) is found by verify.
    const std::string stray = id_in_shard(0, 3);
    {
        ArchiveWriter w = ArchiveWriter::create(tmp / "other", {}, 1);
        w.add(doc(stray, "a stray document"));
        w.commit();
    }
    {
        // Shard 2's own writer, as a shard of one (its marker taken off), given the stray.
        const std::string manifest_path = path + "/shard-2/manifest.json";
        const std::string saved = test::read_file(manifest_path);
        auto m = nlohmann::json::parse(saved);
        m.erase("shard");
        test::write_file(manifest_path, m.dump());
        {
            ArchiveWriter w = ArchiveWriter::open(path + "/shard-2");
            w.add(doc(stray, "a stray document"));
            w.commit();
        }
        test::write_file(manifest_path, saved);
    }
    VerifyReport v = verify_archive(path);
    ASSERT_EQ(v.problems.size(), 1u);
    EXPECT_NE(v.problems[0].find("shard-2: index: document " + stray +
                                 " is in shard 2, but its id belongs in shard 1"),
              std::string::npos)
        << v.problems[0];
}

// The ingestor checks a window of records before adding it in one batch: a record is still a
// duplicate of a text accepted earlier in its window, and not of a stored text that a record
// before it replaced.
TEST(Shards, IngestFindsDuplicatesAsIfRecordsWereAddedOneByOne) {
    for (std::size_t n : {1u, 3u}) {
        TempDir tmp;
        const std::string path = tmp / "a.panmun";
        test::write_file(tmp / "first.jsonl", "{\"id\":\"x\",\"text\":\"The old text of x.\"}\n");
        test::write_file(tmp / "second.jsonl",
                         "{\"id\":\"a\",\"text\":\"A text sent twice.\"}\n"
                         "{\"id\":\"b\",\"text\":\"A text sent twice.\"}\n"
                         "{\"id\":\"x\",\"text\":\"The new text of x.\"}\n"
                         "{\"id\":\"y\",\"text\":\"The old text of x.\"}\n"
                         "{\"id\":\"z\",\"text\":\"The new text of x.\"}\n");
        IngestOptions options;
        options.existing = IngestOptions::Existing::update;
        {
            ArchiveWriter w = ArchiveWriter::create(path, {}, n);
            ingest(w, {tmp / "first.jsonl"}, options);
        }
        ArchiveWriter w = ArchiveWriter::open(path);
        IngestReport report = ingest(w, {tmp / "second.jsonl"}, options);
        const InputReport& r = report.inputs.at(0);
        EXPECT_EQ(r.added, 2u) << n;  // a, y (x no longer has y's text)
        EXPECT_EQ(r.replaced, 1u) << n;
        ASSERT_EQ(r.duplicate_list.size(), 2u) << n;
        EXPECT_EQ(r.duplicate_list[0].id, "b");
        EXPECT_EQ(r.duplicate_list[0].into, "a");
        EXPECT_EQ(r.duplicate_list[1].id, "z");
        EXPECT_EQ(r.duplicate_list[1].into, "x");
        EXPECT_EQ(w.document_count(), 3u) << n;
    }
}

namespace {

// What an archive answers and holds, as text to compare: the ids and scores of a few queries,
// and every entry's terms that do not come from its text (the file it came from, its entity
// tags) with its stored text.
std::string answers_of(const std::string& path) {
    ArchiveReader r(path);
    std::ostringstream out;
    for (const char* q : {"hotline", "\"military demarcation line\"", "Kaesong OR Kumgang",
                          "leaders AND NOT games", "Hyon"}) {
        std::map<std::string, double> scores;
        SearchResult found = search(r, request(q, 0, 1000), {});
        for (const Hit& h : found.hits) scores[h.document.id] = h.score;
        out << q << " " << found.total << ":";
        for (const auto& [id, score] : scores) out << " " << id << "=" << std::lround(score * 1e6);
        out << "\n";
    }
    std::map<std::string, std::string> entries;
    const Xapian::Database& db = r.database();
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        Xapian::Document entry = db.get_document(*it);
        std::string& line = entries[entry.get_data()];
        auto t = entry.termlist_begin();
        for (t.skip_to("X"); t != entry.termlist_end() && (*t)[0] == 'X'; ++t)
            if ((*t).rfind("XF", 0) == 0 || (*t).rfind("XP", 0) == 0) line += *t + " ";
        line += entry.get_value(schema::slot_entities) + " " + r.find(entry.get_data())->text;
    }
    for (const auto& [id, line] : entries) out << id << ": " << line << "\n";
    return out.str();
}

}  // namespace

// compact --shards: 1 -> 3 -> 2 -> 1, each time the same answers, documents, file marks and
// the archive's own entities; a reader open meanwhile keeps its snapshot until it reopens.
TEST(Shards, ReshardingKeepsEverythingAndAnswersAsBefore) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    {
        ArchiveWriter w = ArchiveWriter::create(path, {}, 1);
        w.set_entities("hyon-jong-un\tperson\tHyon Jong Un\tHyon Jong Un\n", "own.tsv");
        for (int i = 0; i < 60; ++i)
            w.add(
                doc("d" + std::to_string(i),
                    std::string(texts[i % 5]) + " " + texts[(i * 7 + 1) % 5] +
                        (i % 4 ? "" : " Hyon Jong Un spoke.") + " Item " + std::to_string(i) + "."),
                i % 3 ? "one.jsonl" : "two.jsonl");
        w.set_file_mark("one.jsonl", "1 2");
        w.set_file_mark("two.jsonl", "3 4");
        w.commit();
        w.add(doc("d5", "Replaced: the hotline rang at nine."), "one.jsonl");
        w.remove("d6");
        w.commit();
    }
    const std::string before = answers_of(path);
    EXPECT_NE(before.find("XPhyon-jong-un"), std::string::npos);
    EXPECT_NE(before.find("XFtwo.jsonl"), std::string::npos);
    ArchiveReader open_meanwhile(path);
    for (std::size_t n : {3u, 2u, 1u}) {
        SCOPED_TRACE(n);
        ArchiveWriter::reshard(path, n, Compaction::fast);
        EXPECT_EQ(answers_of(path), before);
        const Manifest m = Manifest::read(path);
        EXPECT_EQ(m.shards.size(), n == 1 ? 0u : n);
        EXPECT_EQ(m.documents, 59u);
        EXPECT_EQ(m.dead_documents, 0u);
        EXPECT_TRUE(verify_archive(path).ok());
        ArchiveWriter w = ArchiveWriter::open(path);
        EXPECT_EQ(w.shard_count(), n);
        EXPECT_EQ(w.marked_files(), (std::vector<std::string>{"one.jsonl", "two.jsonl"}));
        EXPECT_EQ(w.file_mark("two.jsonl"), "3 4");
        EXPECT_EQ(w.ids_from("two.jsonl").size(), 19u);  // d6 removed
        EXPECT_EQ(w.notes(), std::vector<std::string>{});
        // Nothing left beside the archive.
        std::vector<std::string> names;
        for (const auto& e : boost::filesystem::directory_iterator(tmp.path()))
            names.push_back(e.path().filename().string());
        EXPECT_EQ(names, std::vector<std::string>{"a.panmun"});
    }
    // The reader opened before keeps its snapshot; reopened, it reads the archive now there.
    ArchiveReader now(path);
    EXPECT_EQ(search(open_meanwhile, request("hotline", 0, 100), {}).total,
              search(now, request("hotline", 0, 100), {}).total);
    {
        ArchiveWriter w = ArchiveWriter::open(path);
        w.add(doc("new", "Hyon Jong Un spoke at the hotline."));  // tagged with the own entities
        w.commit();
    }
    open_meanwhile.reopen();
    EXPECT_EQ(open_meanwhile.find("new")->text, "Hyon Jong Un spoke at the hotline.");
    EXPECT_EQ(search(open_meanwhile, request("Hyon", 0, 100), {}).total, 16u);
    EXPECT_NE(answers_of(path).find("new: XPhyon-jong-un"), std::string::npos);
}

// A store compacted --best (its dictionary trained on its documents) is compacted --best when
// resharded.
TEST(Shards, ReshardingAStoreCompactedBestTrainsItsDictionariesAgain) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    {
        ArchiveWriter w = ArchiveWriter::create(path, {}, 1);
        for (int i = 0; i < 2000; ++i)
            w.add(doc("d" + std::to_string(i), std::string(texts[i % 5]) + " " +
                                                   texts[(i * 7 + 1) % 5] + " Item " +
                                                   std::to_string(i * 7919 % 10007) + "."));
        w.commit();
    }
    ArchiveWriter::reshard(path, 2, Compaction::fast);
    EXPECT_FALSE(ArchiveReader(path + "/shard-1").store().has_dictionary());
    ArchiveWriter::reshard(path, 3, Compaction::best);
    for (const char* shard : {"/shard-1", "/shard-2", "/shard-3"})
        EXPECT_TRUE(ArchiveReader(path + shard).store().has_dictionary()) << shard;
    ArchiveWriter::reshard(path, 1, Compaction::fast);
    EXPECT_TRUE(ArchiveReader(path).store().has_dictionary());
    EXPECT_EQ(ArchiveReader(path).document_count(), 2000u);
}

// A replacement of an archive (build --force, compact --shards) killed between its renames
// leaves the complete new archive beside the missing one: readers read it, the next writer
// renames it into place; what dead processes left beside an archive is removed.
TEST(Shards, AReplacementInterruptedBetweenItsRenamesIsCompleted) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    for (const char* name : {"a.panmun", "b.panmun"}) {
        ArchiveWriter w = ArchiveWriter::create(tmp / name, {}, 2);
        w.add(doc(std::string("in-") + name, texts[0]));
        w.commit();
    }
    const pid_t dead = ::fork();  // a pid no process has any more
    if (dead == 0) ::_exit(0);
    ::waitpid(dead, nullptr, 0);
    const std::string suffix = "-" + std::to_string(dead);
    boost::filesystem::rename(tmp / "b.panmun", path + ".new" + suffix);
    boost::filesystem::rename(path, path + ".old" + suffix);
    boost::filesystem::create_directories(path + ".building" + suffix + "/xapian");
    boost::filesystem::create_directories(path + ".building-" + std::to_string(::getpid()));

    EXPECT_TRUE(ArchiveReader(path).find("in-b.panmun"));
    {
        ArchiveWriter w = ArchiveWriter::open(path);
        ASSERT_EQ(w.notes().size(), 3u);
        EXPECT_NE(
            w.notes()[0].find("completed the replacement of the archive by a.panmun.new" + suffix),
            std::string::npos)
            << w.notes()[0];
        EXPECT_NE(w.notes()[1].find("removed a.panmun.old" + suffix), std::string::npos);
        EXPECT_NE(w.notes()[2].find("removed a.panmun.building" + suffix), std::string::npos);
    }
    std::set<std::string> names;
    for (const auto& e : boost::filesystem::directory_iterator(tmp.path()))
        names.insert(e.path().filename().string());
    // A live process's build is left alone.
    EXPECT_EQ(names, (std::set<std::string>{"a.panmun",
                                            "a.panmun.building-" + std::to_string(::getpid())}));
    EXPECT_EQ(ids_in(path), std::set<std::string>{"in-b.panmun"});
}

// A writer that waited for the lock of an archive that was replaced meanwhile writes to the
// archive now there, and sees its number of shards.
TEST(Shards, AWriterThatWaitedWritesToTheArchiveThatReplacedTheOneItWaitedFor) {
    for (std::size_t n : {3u, 1u}) {
        SCOPED_TRACE(n);
        TempDir tmp;
        const std::string path = tmp / "a.panmun";
        {
            ArchiveWriter w = ArchiveWriter::create(path, {}, 1);
            w.add(doc("first", texts[0]));
            w.commit();
        }
        std::optional<ArchiveWriter> holder(ArchiveWriter::open(path));
        std::atomic<bool> opened{false};
        std::thread waiter([&] {
            try {
                ArchiveWriter w = ArchiveWriter::open(path, /*wait=*/true);
                opened = true;
                EXPECT_EQ(w.shard_count(), n);
                w.add(doc("second", texts[1]));
                w.commit();
            } catch (const std::exception& e) {
                ADD_FAILURE() << e.what();
            }
        });
        // The replacement, as compact --shards or build --force makes it, under the lock the
        // waiter waits for.
        {
            ArchiveWriter built = ArchiveWriter::create(tmp / "built", {}, n);
            built.add(doc("first", texts[0]));
            built.commit();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        EXPECT_FALSE(opened);
        boost::filesystem::rename(path, tmp / "old");
        boost::filesystem::rename(tmp / "built", path);
        // A writer of the new archive comes first: the waiter, given the old archive's lock,
        // must wait for the new one's.
        std::optional<ArchiveWriter> newcomer(ArchiveWriter::open(path));
        holder.reset();  // releases the old archive's lock
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        EXPECT_FALSE(opened);
        newcomer->add(doc("third", texts[2]));
        newcomer->commit();
        newcomer.reset();
        waiter.join();
        EXPECT_EQ(ids_in(path), (std::set<std::string>{"first", "second", "third"}));
        EXPECT_TRUE(verify_archive(path).ok());
    }
}
