#include "panmun/archive.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "helpers.hpp"
#include "panmun/errors.hpp"
#include "panmun/inspect.hpp"
#include "panmun/schema.hpp"

using namespace panmun;
namespace fs = boost::filesystem;
using panmun::test::doc;
using panmun::test::TempDir;

namespace {

// Documents d0 .. d(n-1), texts "text number i", committed.
// The bytes of an archive's index directory.
std::uintmax_t index_bytes(const std::string& archive) {
    std::uintmax_t n = 0;
    for (const auto& f : boost::filesystem::directory_iterator(archive + "/xapian"))
        n += boost::filesystem::file_size(f.path());
    return n;
}

void add_numbered(ArchiveWriter& w, int n) {
    for (int i = 0; i < n; ++i)
        w.add(doc("d" + std::to_string(i), "text number " + std::to_string(i)));
    w.commit();
}

}  // namespace

TEST(Archive, CreateAddCommitAndRead) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    {
        ArchiveWriter w = ArchiveWriter::create(path);
        EXPECT_EQ(w.add(doc("one", "hotline cut")), ArchiveWriter::AddResult::added);
        EXPECT_EQ(w.add(doc("two", "liaison office")), ArchiveWriter::AddResult::added);
        w.commit();
    }
    ArchiveReader r(path);
    EXPECT_EQ(r.document_count(), 2u);
    EXPECT_EQ(r.manifest().documents, 2u);
    EXPECT_EQ(r.manifest().format_version, archive_format_version);
    EXPECT_EQ(r.manifest().text_bytes,
              std::string("hotline cut").size() + std::string("liaison office").size());
    EXPECT_FALSE(r.manifest().created.empty());
    ASSERT_TRUE(r.find("two"));
    EXPECT_EQ(*r.find("two"), doc("two", "liaison office"));
    EXPECT_FALSE(r.find("three"));
}

// Several archives read as one: every document fetched from its own archive's store (Xapian
// interleaves the docids), ids found in the first archive that has them, each archive's own
// entities merged, revisions joined; a mix of index schemas, a repeat and nothing refused.
TEST(Archive, SeveralArchivesReadAsOne) {
    TempDir tmp;
    const std::string a = tmp / "a.panmun", b = tmp / "b.panmun", c = tmp / "c.panmun";
    {
        ArchiveWriter w = ArchiveWriter::create(a);
        add_numbered(w, 5);  // d0 .. d4
        ArchiveWriter v = ArchiveWriter::create(b);
        v.add(doc("d2", "the second archive's d2"));
        v.add(doc("only-b", "in b alone"));
        v.set_entities("hyon-jong-un\tperson\tHyon Jong Un\tHyon Jong Un\n", "b.tsv");
        v.commit();
    }
    ArchiveReader r({a, b});
    EXPECT_EQ(r.archive_count(), 2u);
    EXPECT_EQ(r.document_count(), 7u);
    EXPECT_EQ(r.name(), a + " + " + b);
    std::map<std::string, std::string> where;  // text -> archive
    for (auto it = r.database().postlist_begin(""); it != r.database().postlist_end(""); ++it)
        where[r.fetch(*it).text] = r.archive_of(*it);
    EXPECT_EQ(where.size(), 7u);
    EXPECT_EQ(where["text number 4"], a);
    EXPECT_EQ(where["the second archive's d2"], b);
    EXPECT_EQ(where["in b alone"], b);
    EXPECT_EQ(r.find_with_archive("d2")->second, a);  // the first archive that has it
    EXPECT_EQ(r.find_with_archive("only-b")->first.text, "in b alone");
    EXPECT_FALSE(r.find("nowhere"));
    ASSERT_NE(r.gazetteer().find("hyon-jong-un"), nullptr);
    EXPECT_NE(r.gazetteer().find("kim-jong-un"), nullptr);  // the built-in ones too
    const std::string before = r.revision();
    {
        ArchiveWriter v = ArchiveWriter::open(b);
        v.add(doc("later", "added to b"));
        v.commit();
    }
    r.reopen();
    EXPECT_NE(r.revision(), before);
    EXPECT_EQ(r.find_with_archive("later")->second, b);

    {
        ArchiveWriter w = ArchiveWriter::create(c);
        add_numbered(w, 1);
    }
    {
        Xapian::WritableDatabase db(c + "/xapian");
        db.set_metadata(schema::meta_version, "1");
        db.commit();
    }
    try {
        ArchiveReader mixed({a, c});
        ADD_FAILURE() << "archives of two schemas were read as one";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot be searched together"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(ArchiveReader({a, b, tmp / "./a.panmun"}), UsageError);  // a, another way
    EXPECT_THROW(ArchiveReader(std::vector<std::string>{}), UsageError);
}

// A remote shard's name (docs/REMOTE.md) is read, never written: no writer opens or creates
// one (it would make a directory "tcp:"), and a malformed one is named with the form expected.
TEST(Archive, ARemoteShardIsNeverWrittenAndAMalformedNameIsExplained) {
    TempDir tmp;
    const std::string name = "tcp://127.0.0.1:1?texts=http://127.0.0.1:2";
    EXPECT_TRUE(is_remote_shard(name));
    EXPECT_FALSE(is_remote_shard(tmp / "a.panmun"));
    const fs::path before = fs::current_path();
    fs::current_path(tmp.path());
    EXPECT_THROW(ArchiveWriter::create(name), UsageError);
    EXPECT_THROW(ArchiveWriter::open(name), UsageError);
    EXPECT_FALSE(fs::exists(tmp / "tcp:"));
    fs::current_path(before);
    for (const char* bad : {"tcp://127.0.0.1", "tcp://127.0.0.1:7001", "tcp://:7001?texts=x",
                            "tcp://127.0.0.1:7001?texts=http://127.0.0.1",
                            "tcp://127.0.0.1:99999?texts=http://127.0.0.1:2"}) {
        try {
            ArchiveReader r(bad);
            ADD_FAILURE() << bad << " was opened";
        } catch (const UsageError& e) {
            EXPECT_NE(std::string(e.what()).find("the form is tcp://HOST:PORT?texts="),
                      std::string::npos)
                << e.what();
        }
    }
    // Well formed, but nothing listens there: the error names the shard and its server.
    try {
        ArchiveReader r(name);
        ADD_FAILURE() << "nothing serves " << name;
    } catch (const ArchiveError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot reach xapian-tcpsrv at 127.0.0.1:1"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Archive, SameIdReplacesAndCountsStayRight) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    {
        ArchiveWriter w = ArchiveWriter::create(path);
        w.add(doc("one", "first version"));
        w.commit();
        EXPECT_EQ(w.add(doc("one", "second")), ArchiveWriter::AddResult::replaced);
        w.commit();
        EXPECT_EQ(w.document_count(), 1u);
    }
    ArchiveReader r(path);
    EXPECT_EQ(r.find("one")->text, "second");
    EXPECT_EQ(r.manifest().text_bytes, 6u);
}

TEST(Archive, UncommittedDocumentsAreDiscarded) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    StoreOptions small;
    small.cluster_bytes = 256;  // so that uncommitted documents reach the store file
    {
        ArchiveWriter w = ArchiveWriter::create(path, small);
        w.add(doc("kept", "committed text"));
        w.commit();
        for (int i = 0; i < 20; ++i) w.add(doc("lost-" + std::to_string(i), std::string(100, 'x')));
    }
    ArchiveReader r(path);
    EXPECT_EQ(r.document_count(), 1u);
    EXPECT_TRUE(r.find("kept"));
    EXPECT_FALSE(r.find("lost-0"));
    // A writer that gives up (destroyed without commit) leaves the store at its committed size.
    const std::string store_file = tmp / ("a.panmun/" + r.state().store_file);
    std::uint64_t committed = r.state().store_bytes;
    EXPECT_EQ(r.manifest().store_bytes, committed);
    EXPECT_EQ(boost::filesystem::file_size(store_file), committed);
    // A writer that was killed leaves bytes past it: the next writer drops them, and says so.
    {
        std::ofstream tail(store_file, std::ios::app | std::ios::binary);
        tail << std::string(1000, 'x');
    }
    {
        ArchiveWriter w = ArchiveWriter::open(path);
        EXPECT_EQ(boost::filesystem::file_size(store_file), committed);
        ASSERT_EQ(w.notes().size(), 1u);
        EXPECT_NE(w.notes()[0].find("discarded 1000 store bytes"), std::string::npos)
            << w.notes()[0];
        w.add(doc("next", "after reopening"));
        w.commit();
    }
    ArchiveReader again(path);
    EXPECT_EQ(again.find("next")->text, "after reopening");
    EXPECT_EQ(again.find("kept")->text, "committed text");
}

TEST(Archive, RemoveReplaceAndCompactKeepEveryOtherDocumentExact) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    std::map<std::string, Document> expected;
    std::uint64_t dead = 0;
    StoreOptions options;
    options.cluster_bytes = 2048;
    {
        ArchiveWriter w = ArchiveWriter::create(path, options);
        for (int i = 0; i < 300; ++i) {
            Document d = doc("d" + std::to_string(i), "text number " + std::to_string(i) + " " +
                                                          std::string(i % 50, 'a' + i % 26));
            w.add(d);
            expected[d.id] = d;
        }
        w.commit();
        for (int i = 0; i < 300; i += 7) {
            ASSERT_TRUE(w.remove("d" + std::to_string(i)));
            expected.erase("d" + std::to_string(i));
            ++dead;
        }
        EXPECT_FALSE(w.remove("no-such-id"));
        for (int i = 1; i < 300; i += 10) {
            Document d = doc("d" + std::to_string(i), "replaced " + std::to_string(i));
            // Some of these were removed just above: adding them again is an add, not a replace.
            bool was_live = expected.count(d.id);
            EXPECT_EQ(w.add(d), was_live ? ArchiveWriter::AddResult::replaced
                                         : ArchiveWriter::AddResult::added);
            dead += was_live;
            expected[d.id] = d;
        }
        w.commit();
    }
    auto check = [&](const char* when) -> CommittedState {
        ArchiveReader r(path);
        EXPECT_EQ(r.document_count(), expected.size()) << when;
        std::uint64_t text = 0;
        for (const auto& [id, d] : expected) {
            auto got = r.find(id);
            if (!got) {
                ADD_FAILURE() << when << ": " << id << " missing";
                continue;
            }
            EXPECT_EQ(*got, d) << when << " " << id;
            text += d.text.size();
        }
        for (int i = 0; i < 300; ++i) {
            if (!expected.count("d" + std::to_string(i))) {
                EXPECT_FALSE(r.find("d" + std::to_string(i))) << when << " d" << i;
            }
        }
        EXPECT_EQ(r.state().text_bytes, text) << when;
        return r.state();
    };
    CommittedState before = check("before compact");
    EXPECT_EQ(before.dead_documents, dead);
    EXPECT_EQ(expected.size(), 300u - 43u + 4u);  // 21, 91, 161 and 231 came back
    {
        ArchiveWriter w = ArchiveWriter::open(path);
        w.compact(Compaction::fast);  // dead documents: the store is rewritten
    }
    CommittedState after = check("after compact");
    EXPECT_EQ(after.dead_documents, 0u);
    EXPECT_LT(after.store_bytes, before.store_bytes);
    EXPECT_NE(after.store_file, before.store_file);
    EXPECT_FALSE(boost::filesystem::exists(tmp / ("a.panmun/" + before.store_file)));
    {  // and the archive keeps working after compaction
        ArchiveWriter w = ArchiveWriter::open(path);
        w.add(doc("late", "added after compaction"));
        w.commit();
    }
    EXPECT_EQ(ArchiveReader(path).find("late")->text, "added after compaction");
}

// Compaction stores a reprint (same text, so the same near-duplicate key) right after the first
// version, in its cluster, though twenty documents were added between them.
TEST(Archive, CompactionStoresNearDuplicatesTogether) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    StoreOptions options;
    options.cluster_bytes = 2048;
    const std::string story =
        "The two Koreas reopened the liaison hotline at the truce village on "
        "Tuesday, thirteen months after the North cut every channel.";
    std::map<std::string, Document> expected;
    {
        ArchiveWriter w = ArchiveWriter::create(path, options);
        auto add = [&](const Document& d) {
            w.add(d);
            expected[d.id] = d;
        };
        add(doc("first", story));
        for (int i = 0; i < 20; ++i)
            add(doc("filler" + std::to_string(i),
                    "filler text " + std::to_string(i) + " " + std::string(300, 'a' + i)));
        add(doc("reprint", story));
        w.commit();
    }
    auto location = [](const ArchiveReader& r, const std::string& id) {
        const Xapian::Database& db = r.database();
        return r.location(db.get_document(*db.postlist_begin(schema::id_term(id))));
    };
    {
        ArchiveReader r(path);
        EXPECT_NE(location(r, "first").cluster_offset, location(r, "reprint").cluster_offset);
    }
    ArchiveWriter::open(path).compact(Compaction::best);
    ArchiveReader r(path);
    StoreLocation first = location(r, "first"), reprint = location(r, "reprint");
    EXPECT_EQ(reprint.cluster_offset, first.cluster_offset);
    EXPECT_EQ(reprint.index, first.index + 1);
    EXPECT_EQ(location(r, "filler0").cluster_offset, first.cluster_offset);  // the rest follow
    for (const auto& [id, d] : expected) EXPECT_EQ(r.find(id), d) << id;
}

// Issue 23: a fast compaction of a store without dead documents compacts the index alone; with
// dead documents it rewrites the store at the adding level and keeps the dictionary a best
// compaction trained.
TEST(Archive, FastCompactionRewritesTheStoreOnlyToDropDeadDocuments) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    std::map<std::string, Document> expected;
    {
        ArchiveWriter w = ArchiveWriter::create(path);
        for (int i = 0; i < 400; ++i) {
            Document d = doc("d" + std::to_string(i),
                             "The liaison office at Kaesong reported item " + std::to_string(i) +
                                 " of the talks on " + std::to_string(i % 37) +
                                 " separated families and the railway across the border.");
            w.add(d);
            expected[d.id] = d;
            if (i % 50 == 49) w.commit();  // several commits: an index to compact
        }
        w.commit();
    }
    auto all_there = [&](const std::string& when) {
        ArchiveReader r(path);
        EXPECT_EQ(r.document_count(), expected.size()) << when;
        for (const auto& [id, d] : expected) EXPECT_EQ(r.find(id), d) << when << " " << id;
        return r.state();
    };
    const CommittedState built = all_there("built");
    const std::uintmax_t index_before = index_bytes(path);
    CompactReport fast = ArchiveWriter::open(path).compact(Compaction::fast);
    EXPECT_FALSE(fast.store_rewritten);
    EXPECT_EQ(fast.store_seconds, 0.0);
    EXPECT_GT(fast.index_seconds, 0.0);
    EXPECT_LT(index_bytes(path), index_before);
    const CommittedState kept = all_there("after the fast compaction");
    EXPECT_EQ(kept.store_file, built.store_file);
    EXPECT_EQ(kept.store_bytes, built.store_bytes);
    EXPECT_FALSE(DocumentStore(tmp / ("a.panmun/" + kept.store_file)).has_dictionary());

    CompactReport best = ArchiveWriter::open(path).compact(Compaction::best);
    EXPECT_TRUE(best.store_rewritten);
    const CommittedState rewritten = all_there("after the best compaction");
    const std::string dictionary =
        DocumentStore(tmp / ("a.panmun/" + rewritten.store_file)).dictionary();
    ASSERT_FALSE(dictionary.empty());
    EXPECT_LT(rewritten.store_bytes, built.store_bytes);

    {
        ArchiveWriter w = ArchiveWriter::open(path);
        Document d = doc("d7", "replaced: the talks were called off");
        w.add(d);
        expected["d7"] = d;
        ASSERT_TRUE(w.remove("d8"));
        expected.erase("d8");
        CompactReport again = w.compact(Compaction::fast);
        EXPECT_TRUE(again.store_rewritten);
    }
    const CommittedState dropped = all_there("after dropping dead documents");
    EXPECT_EQ(dropped.dead_documents, 0u);
    EXPECT_NE(dropped.store_file, rewritten.store_file);
    EXPECT_EQ(DocumentStore(tmp / ("a.panmun/" + dropped.store_file)).dictionary(), dictionary);
}

// A compaction replaces the index by one whose revisions start again: a reader open since
// before sees the new state at its next reopen() even when the new revision number is its own
// (which Xapian's reopen() alone takes for "nothing changed").
TEST(Archive, AReaderFollowsACompactionThatReusedItsRevisionNumber) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    ArchiveWriter w = ArchiveWriter::create(path);
    add_numbered(w, 20);
    w.compact(Compaction::fast);
    ArchiveReader r(path);
    const Xapian::rev seen = r.database().get_revision();
    const std::string before = r.revision();
    w.add(doc("late", "added between two compactions"));
    w.commit();
    w.compact(Compaction::fast);
    ASSERT_EQ(ArchiveReader(path).database().get_revision(), seen) << "the case in question";
    r.reopen();
    EXPECT_NE(r.revision(), before);
    EXPECT_EQ(r.document_count(), 21u);
    ASSERT_TRUE(r.find("late"));
    EXPECT_EQ(r.find("late")->text, "added between two compactions");
    for (int i = 0; i < 20; ++i) EXPECT_TRUE(r.find("d" + std::to_string(i))) << i;
}

// Issue 23: an archive needs compacting when it was never compacted, when its index has grown
// past 1.25 times its compacted size, or when a quarter of its stored documents are dead.
TEST(Archive, NeedsCompactionAfterGrowingOrReplacing) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    ArchiveWriter w = ArchiveWriter::create(path);
    auto story = [](int i) {
        std::string text = "Story " + std::to_string(i) + ":";
        for (int k = 0; k < 40; ++k) text += " word" + std::to_string((i * 31 + k * 7) % 997);
        return doc("d" + std::to_string(i), text);
    };
    for (int i = 0; i < 200; ++i) w.add(story(i));
    w.commit();
    EXPECT_TRUE(w.needs_compaction()) << "never compacted";
    w.compact(Compaction::fast);
    EXPECT_FALSE(w.needs_compaction());
    EXPECT_GT(ArchiveReader(path).state().compacted_index_bytes, 0u);
    w.commit();
    EXPECT_FALSE(w.needs_compaction()) << "a commit that changes nothing";
    for (int i = 200; i < 400; ++i) w.add(story(i));
    w.commit();
    EXPECT_TRUE(w.needs_compaction()) << "twice the documents";
    w.compact(Compaction::fast);
    EXPECT_FALSE(w.needs_compaction());
    const std::uint64_t compacted = ArchiveReader(path).state().compacted_index_bytes;
    auto index_grown = [&] { return index_bytes(path) > compacted * 5 / 4 + (64 << 10); };
    for (int i = 0; i < 80; ++i) ASSERT_TRUE(w.remove("d" + std::to_string(i)));
    w.commit();
    EXPECT_EQ(w.needs_compaction(), index_grown()) << "a fifth dead: only if the index grew";
    for (int i = 80; i < 120; ++i) ASSERT_TRUE(w.remove("d" + std::to_string(i)));
    w.commit();
    EXPECT_TRUE(w.needs_compaction()) << "over a quarter dead";
}

// A crash inside compact() leaves one of two states, depending on whether it came before or
// after the live index was moved aside; the next writer completes or discards the compaction and
// nothing committed is lost either way.
TEST(Archive, InterruptedCompactionIsCompletedOrDiscarded) {
    namespace fs = boost::filesystem;
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    {
        ArchiveWriter w = ArchiveWriter::create(path);
        add_numbered(w, 50);
    }
    auto copy_dir = [](const fs::path& from, const fs::path& to) {
        fs::create_directory(to);
        for (const auto& f : fs::directory_iterator(from))
            fs::copy_file(f.path(), to / f.path().filename());
    };
    auto all_there = [&](const char* when) {
        ArchiveReader r(path);
        EXPECT_EQ(r.document_count(), 50u) << when;
        for (int i = 0; i < 50; ++i)
            EXPECT_EQ(r.find("d" + std::to_string(i))->text, "text number " + std::to_string(i))
                << when;
    };
    const std::string first_store = ArchiveReader(path).state().store_file;

    // Before the switch: a half-written store of the next generation and index copies.
    test::write_file(tmp / "a.panmun/store-9.dat", "PANMUNST half written");
    copy_dir(tmp / "a.panmun/xapian", tmp / "a.panmun/xapian.work");
    copy_dir(tmp / "a.panmun/xapian", tmp / "a.panmun/xapian.compact");
    all_there("before the switch, read as it is");
    {
        ArchiveWriter w = ArchiveWriter::open(path);
        std::string notes;
        for (const auto& n : w.notes()) notes += n + "\n";
        EXPECT_NE(notes.find("xapian.work"), std::string::npos) << notes;
        EXPECT_NE(notes.find("store-9.dat"), std::string::npos) << notes;
    }
    for (const char* gone : {"store-9.dat", "xapian.work", "xapian.compact"})
        EXPECT_FALSE(fs::exists(tmp / ("a.panmun/" + std::string(gone)))) << gone;
    all_there("after discarding");

    // Between the renames: the old index moved aside, the compacted one not yet in place.
    std::string old_index = (tmp / "a.panmun/xapian.keep");
    copy_dir(tmp / "a.panmun/xapian", old_index);
    {
        ArchiveWriter w = ArchiveWriter::open(path);
        w.compact(Compaction::best);
    }
    const std::string second_store = ArchiveReader(path).state().store_file;
    ASSERT_NE(second_store, first_store);
    fs::rename(tmp / "a.panmun/xapian", tmp / "a.panmun/xapian.compact");
    fs::rename(old_index, tmp / "a.panmun/xapian.old");
    test::write_file(tmp / ("a.panmun/" + first_store), "the old store, not yet removed");
    all_there("between the renames, read as it is");
    const VerifyReport v = verify_archive(path);  // as readers read it: not damaged
    EXPECT_TRUE(v.ok()) << (v.problems.empty() ? "" : v.problems.front());
    ASSERT_FALSE(v.notes.empty());
    EXPECT_NE(v.notes.front().find("interrupted between its two renames"), std::string::npos)
        << v.notes.front();
    { ArchiveWriter w = ArchiveWriter::open(path); }
    EXPECT_TRUE(fs::exists(tmp / "a.panmun/xapian"));
    EXPECT_FALSE(fs::exists(tmp / "a.panmun/xapian.old"));
    EXPECT_FALSE(fs::exists(tmp / ("a.panmun/" + first_store)));
    EXPECT_EQ(ArchiveReader(path).state().store_file, second_store);
    all_there("after completing");
}

TEST(Archive, FailedCompactionLeavesTheArchiveAsItWas) {
    namespace fs = boost::filesystem;
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    ArchiveWriter w = ArchiveWriter::create(path);
    add_numbered(w, 20);
    const std::string store = ArchiveReader(path).state().store_file;
    // The next generation's store cannot be created: a directory is in its way.
    const std::string next = "store-" + std::to_string(std::stoi(store.substr(6)) + 1) + ".dat";
    fs::create_directory(tmp / ("a.panmun/" + next));
    EXPECT_THROW(w.compact(Compaction::best), ArchiveError);
    for (const char* gone : {"xapian.work", "xapian.compact", "xapian.old"})
        EXPECT_FALSE(fs::exists(tmp / ("a.panmun/" + std::string(gone)))) << gone;
    EXPECT_FALSE(fs::exists(tmp / ("a.panmun/" + next)));
    // The writer goes on as if compact() had not been called.
    w.add(doc("late", "added after the failed compaction"));
    w.commit();
    ArchiveReader r(path);
    EXPECT_EQ(r.state().store_file, store);
    EXPECT_EQ(r.document_count(), 21u);
    EXPECT_EQ(r.find("d7")->text, "text number 7");
    EXPECT_EQ(r.find("late")->text, "added after the failed compaction");
}

TEST(Archive, OtherFormatVersionFailsWithClearMessage) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    ArchiveWriter::create(path).commit();
    auto manifest = nlohmann::json::parse(test::read_file(tmp / "a.panmun/manifest.json"));
    manifest["format_version"] = 99;
    test::write_file(tmp / "a.panmun/manifest.json", manifest.dump());
    try {
        ArchiveReader r(path);
        FAIL() << "opened an archive of format version 99";
    } catch (const ArchiveError& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("format version 99"), std::string::npos) << msg;
        EXPECT_NE(msg.find("reads versions 1 to " + std::to_string(sharded_archive_format_version)),
                  std::string::npos)
            << msg;
        EXPECT_NE(msg.find(path), std::string::npos) << msg;
    }
    EXPECT_THROW(ArchiveWriter::open(path), ArchiveError);
}

TEST(Archive, NotAnArchiveIsReportedAsSuch) {
    TempDir tmp;
    EXPECT_THROW(ArchiveReader(tmp / "missing.panmun"), ArchiveError);
    boost::filesystem::create_directories(tmp / "empty.panmun");
    try {
        ArchiveReader r(tmp / "empty.panmun");
        FAIL();
    } catch (const ArchiveError& e) {
        EXPECT_NE(std::string(e.what()).find("not a panmun archive"), std::string::npos);
    }
    test::write_file(tmp / "empty.panmun/manifest.json", "{ not json");
    EXPECT_THROW(ArchiveReader(tmp / "empty.panmun"), ArchiveError);
}

TEST(Archive, CreateRefusesAnExistingPath) {
    TempDir tmp;
    ArchiveWriter::create(tmp / "a.panmun").commit();
    EXPECT_THROW(ArchiveWriter::create(tmp / "a.panmun"), UsageError);
}

TEST(Archive, SecondWriterIsRefusedWithTheHoldersPid) {
    TempDir tmp;
    const std::string path = tmp / "a.panmun";
    ArchiveWriter first = ArchiveWriter::create(path);
    // flock is per open file description: a second writer in a child process must be refused.
    pid_t child = ::fork();
    if (child == 0) {
        try {
            ArchiveWriter second = ArchiveWriter::open(path);
            ::_exit(10);
        } catch (const ArchiveLockedError& e) {
            std::string msg = e.what();
            ::_exit(msg.find("pid " + std::to_string(::getppid())) != std::string::npos ? 0 : 11);
        } catch (...) {
            ::_exit(12);
        }
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "10: not refused, 11: message lacks pid, 12: wrong error";
}

TEST(Archive, ReplaceArchiveSwapsInTheNewOne) {
    TempDir tmp;
    {
        ArchiveWriter w = ArchiveWriter::create(tmp / "a.panmun");
        w.add(doc("old", "old text"));
        w.commit();
    }
    {
        ArchiveWriter w = ArchiveWriter::create(tmp / "b.panmun");
        w.add(doc("new", "new text"));
        w.compact(Compaction::fast);
    }
    replace_archive(tmp / "b.panmun", tmp / "a.panmun");
    ArchiveReader r(tmp / "a.panmun");
    EXPECT_TRUE(r.find("new"));
    EXPECT_FALSE(r.find("old"));
    EXPECT_FALSE(boost::filesystem::exists(tmp / "b.panmun"));
}
