#include "panmun/store.hpp"

#include <gtest/gtest.h>

#include "helpers.hpp"
#include "panmun/errors.hpp"
#include "panmun/jsonl.hpp"

using namespace panmun;
using panmun::test::TempDir;

namespace {

Document make(int i, std::size_t text_bytes = 500) {
    Document d;
    d.id = "doc-" + std::to_string(i);
    d.title = "Title " + std::to_string(i) + " 김정은";
    d.date = Date::from_fields(1972 + i % 50, 1 + i % 12, 1 + i % 28);
    d.source = "Source";
    d.url = "https://example.invalid/" + std::to_string(i);
    d.lang = i % 3 ? "en" : "ko";
    for (std::size_t k = 0; d.text.size() < text_bytes; ++k)
        d.text += "word" + std::to_string((i * 7919 + k) % 1000) + " ";
    return d;
}

}  // namespace

TEST(DocumentStore, RoundTripsEveryField) {
    TempDir tmp;
    std::vector<StoreLocation> where;
    std::vector<Document> docs;
    {
        StoreWriter w(tmp / "store.dat", 0);
        for (int i = 0; i < 200; ++i) {
            docs.push_back(make(i, 10 + i * 37));
            where.push_back(w.append(docs.back()));
        }
        docs.push_back(Document{"undated", "", {}, "", "", "", "only text"});
        where.push_back(w.append(docs.back()));
        w.sync();
    }
    DocumentStore store(tmp / "store.dat");
    for (std::size_t i = 0; i < docs.size(); ++i)
        EXPECT_EQ(store.fetch(where[i], docs[i].id), docs[i]) << i;
}

TEST(DocumentStore, LocationSerialisesIn12Bytes) {
    StoreLocation l{0x0123456789ULL, 77};
    std::string s = l.serialise();
    EXPECT_EQ(s.size(), 12u);
    StoreLocation back = StoreLocation::unserialise(s);
    EXPECT_EQ(back.offset, l.offset);
    EXPECT_EQ(back.bytes, l.bytes);
    EXPECT_THROW(StoreLocation::unserialise("short"), std::invalid_argument);
}

// Flip each byte of one record in turn: every flip must be detected, never returned as text.
TEST(DocumentStore, EveryCorruptByteIsDetectedAndNamed) {
    TempDir tmp;
    StoreLocation a, b;
    {
        StoreWriter w(tmp / "store.dat", 0);
        a = w.append(make(1));
        b = w.append(make(2));
        w.sync();
    }
    std::string pristine = test::read_file(tmp / "store.dat");
    for (std::uint64_t off = b.offset; off < b.offset + b.bytes; ++off) {
        std::string bytes = pristine;
        bytes[off] = static_cast<char>(bytes[off] ^ 0x10);
        test::write_file(tmp / "store.dat", bytes);
        DocumentStore store(tmp / "store.dat");
        EXPECT_EQ(store.fetch(a, "doc-1"), make(1));  // the neighbour is untouched
        try {
            store.fetch(b, "doc-2");
            ADD_FAILURE() << "flip at " << off << " not detected";
        } catch (const CorruptDataError& e) {
            std::string msg = e.what();
            EXPECT_NE(msg.find("doc-2"), std::string::npos) << msg;
            EXPECT_NE(msg.find("offset " + std::to_string(b.offset)), std::string::npos) << msg;
        }
    }
}

TEST(DocumentStore, TruncatedStoreIsReported) {
    TempDir tmp;
    StoreLocation a;
    {
        StoreWriter w(tmp / "store.dat", 0);
        a = w.append(make(1));
    }
    std::string bytes = test::read_file(tmp / "store.dat");
    test::write_file(tmp / "store.dat", bytes.substr(0, bytes.size() - 5));
    DocumentStore store(tmp / "store.dat");
    EXPECT_THROW(store.fetch(a, "doc-1"), CorruptDataError);
}

TEST(DocumentStore, RejectsFilesThatAreNotStores) {
    TempDir tmp;
    test::write_file(tmp / "junk", "this is not a store at all");
    EXPECT_THROW(DocumentStore(tmp / "junk"), ArchiveError);
    EXPECT_THROW(DocumentStore(tmp / "missing"), ArchiveError);
}

TEST(StoreWriter, ReopeningDropsBytesPastTheCommittedSize) {
    TempDir tmp;
    StoreLocation first;
    std::uint64_t committed;
    {
        StoreWriter w(tmp / "store.dat", 0);
        first = w.append(make(1));
        committed = w.size();
        w.append(make(2));  // never committed
    }
    {
        StoreWriter w(tmp / "store.dat", committed);
        EXPECT_EQ(w.size(), committed);
        StoreLocation next = w.append(make(3));
        EXPECT_EQ(next.offset, committed);
    }
    DocumentStore store(tmp / "store.dat");
    EXPECT_EQ(store.fetch(first, "doc-1"), make(1));
    EXPECT_THROW(StoreWriter(tmp / "store.dat", 1u << 30), ArchiveError);  // shorter than committed
}
