#include "panmun/schema.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "panmun/errors.hpp"
#include "panmun/query.hpp"

using namespace panmun;

namespace {

bool has_term(const Xapian::Document& d, const std::string& term) {
    auto it = d.termlist_begin();
    it.skip_to(term);
    return it != d.termlist_end() && *it == term;
}

Document sample() {
    Document d;
    d.id = "sample-1";
    d.title = "Hotline restored";
    d.date = *Date::parse_iso("2021-07-27");
    d.source = "Peninsula Desk";
    d.lang = "EN";
    d.text = "Kim Jong Il's letters. 김정은의 친서. Kim Jong-un agreed.";
    return d;
}

// How many documents of `db` match query `q`, parsed as panmun parses queries.
Xapian::doccount matches(const Xapian::Database& db, const std::string& q) {
    Xapian::Enquire e(db);
    e.set_query(build_query(q, db, Gazetteer::builtin));
    return e.get_mset(0, 10).size();
}

}  // namespace

TEST(Schema, PossessiveBecomesItsOwnWord) {
    EXPECT_EQ(schema::index_text("Kim Jong Il's visit"), "Kim Jong Il s visit");
    EXPECT_EQ(schema::index_text("Kim Jong Il\xE2\x80\x99s visit"), "Kim Jong Il s visit");
    EXPECT_EQ(schema::index_text("Workers' Party"), "Workers' Party");  // not a possessive 's
    EXPECT_EQ(schema::index_text("it's'sx 's"), "it s'sx 's");
}

TEST(Schema, DocumentGetsTermsAndValues) {
    Xapian::Document d = schema::make_document(sample(), StoreLocation{42, 99});
    EXPECT_TRUE(has_term(d, "Qsample-1"));
    EXPECT_TRUE(has_term(d, "XSpeninsula desk"));
    EXPECT_TRUE(has_term(d, "Len"));
    EXPECT_TRUE(has_term(d, "Y2021"));
    EXPECT_TRUE(has_term(d, "M202107"));
    EXPECT_TRUE(has_term(d, "D20210727"));
    EXPECT_TRUE(has_term(d, "Shotline"));  // title words with the title prefix
    EXPECT_TRUE(has_term(d, "ZShotlin"));  // and their stems
    EXPECT_TRUE(has_term(d, "il"));        // from "Il's"
    EXPECT_FALSE(has_term(d, "il's"));
    EXPECT_TRUE(has_term(d, "김정"));  // Hangul n-grams
    EXPECT_EQ(d.get_value(schema::slot_date), "20210727");
    StoreLocation where = *StoreLocation::unserialise(d.get_value(schema::slot_store));
    EXPECT_EQ(where.cluster_offset, 42u);
    EXPECT_EQ(where.index, 99u);
    EXPECT_EQ(d.get_data(), "sample-1");
}

TEST(Schema, UndatedDocumentHasNoDateTermsOrValue) {
    Document doc = sample();
    doc.date = {};
    Xapian::Document d = schema::make_document(doc, {});
    EXPECT_EQ(d.get_value(schema::slot_date), "");
    auto it = d.termlist_begin();
    it.skip_to("Y");
    EXPECT_TRUE(it == d.termlist_end() || (*it)[0] != 'Y');
}

TEST(Schema, QueryParserKnowsTheFields) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    db.add_document(schema::make_document(sample(), {}));
    auto count = [&](const std::string& q) { return matches(db, q); };
    EXPECT_EQ(count("source:\"PENINSULA DESK\" letters"), 1u);
    EXPECT_EQ(count("lang:en"), 1u);
    EXPECT_EQ(count("id:sample-1"), 1u);
    EXPECT_EQ(count("title:restored"), 1u);
    EXPECT_EQ(count("title:letters"), 0u);
    EXPECT_EQ(count("\"Kim Jong Il\""), 1u);    // found in "Kim Jong Il's"
    EXPECT_EQ(count("\"Kim Jong Il's\""), 1u);  // and the query may say it too
    EXPECT_EQ(count("\"Kim Jong Il letters\""), 0u);
    EXPECT_EQ(count("\"Kim Jong-un\""), 1u);
    EXPECT_EQ(count("김정은"), 1u);  // found in 김정은의
    EXPECT_EQ(count("lett*"), 1u);
    EXPECT_EQ(count("letters NOT hotline"), 0u);
}

// person:, org:, place: read the entity terms (XP, XO, XG), case-insensitively.
TEST(Schema, EntityFieldsReadEntityTerms) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Xapian::Document doc = schema::make_document(sample(), {});
    doc.add_boolean_term(std::string(schema::prefix_person) + "kim-jong-un");
    doc.add_boolean_term(std::string(schema::prefix_org) + "kcna");
    doc.add_boolean_term(std::string(schema::prefix_place) + "panmunjom");
    db.add_document(doc);
    db.add_document(schema::make_document(sample(), {}));
    auto count = [&](const std::string& q) { return matches(db, q); };
    EXPECT_EQ(count("person:Kim-Jong-Un"), 1u);
    EXPECT_EQ(count("org:kcna letters"), 1u);
    EXPECT_EQ(count("place:panmunjom OR person:moon-jae-in"), 1u);
    EXPECT_EQ(count("letters -place:panmunjom"), 1u);
}

TEST(Schema, AnArchiveOfSchemaOneKeepsItsNgramsForDocumentsAndQueries) {
    Document d;
    d.id = "a";
    d.text = "로동신문 김정은 위원장";
    // Version 1: Xapian's n-grams, no readings; version 2: the Korean analysis.
    auto terms = [&](int version) {
        std::set<std::string> out;
        const Xapian::Document xd = schema::make_document(d, StoreLocation{}, {}, {}, version);
        for (auto t = xd.termlist_begin(); t != xd.termlist_end(); ++t) out.insert(*t);
        return out;
    };
    EXPECT_FALSE(terms(1).count("XK노동"));
    EXPECT_TRUE(terms(2).count("XK노동"));
    for (int version : {1, 2}) {
        Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
        if (version == 2) db.set_metadata(schema::meta_version, "2");
        db.add_document(schema::make_document(d, StoreLocation{}, {}, {}, version));
        EXPECT_EQ(schema::version_of(db), version);
        auto count = [&](const std::string& q) {
            Xapian::Enquire e(db);
            e.set_query(build_query(q, db, [] { return std::cref(Gazetteer::builtin()); }));
            return e.get_mset(0, 10).size();
        };
        EXPECT_EQ(count("김정은"), 1u) << "schema " << version;
        EXPECT_EQ(count("\"로동신문\""), 1u) << "schema " << version;
        EXPECT_EQ(count("노동신문"), version == 2 ? 1u : 0u) << "schema " << version;
    }
}

TEST(Schema, OwnStemWordIsTheWordAStemTermLeavesOut) {
    EXPECT_EQ(schema::own_stem_word("Zmarket"), "market");
    EXPECT_EQ(schema::own_stem_word("ZSmarket"), "Smarket");  // a title word's stem
    EXPECT_EQ(schema::own_stem_word("Zhotlin"), "hotlin");    // no word, never indexed: harmless
    EXPECT_EQ(schema::own_stem_word("Zmarkets"), "");         // stems to "market"
    EXPECT_EQ(schema::own_stem_word("Zg20"), "");             // not a-z only
    EXPECT_EQ(schema::own_stem_word("ZXKabc"), "");           // other prefixes
    EXPECT_EQ(schema::own_stem_word("market"), "");
    EXPECT_EQ(schema::own_stem_word("Z"), "");
}

// Schema 3 takes a word that is its own stem out of its stem's term, and keeps the document's
// length; queries for the stem find the same documents as in schema 2, with the same weights.
TEST(Schema, StemTermsLeaveOutTheirOwnWordsInSchemaThree) {
    auto doc = [](const std::string& id, const std::string& title, const std::string& text) {
        Document d;
        d.id = id;
        d.title = title;
        d.text = text;
        return d;
    };
    const std::vector<Document> docs = {
        doc("a", "Market day", "The market fell; markets elsewhere rose. The market closed."),
        doc("b", "Markets", "Marketing of markets."),
        doc("c", "Rice", "The harvest was good, the market quiet."),
        doc("d", "Nothing", "No such word here at all."),
    };
    auto wdf = [](const Xapian::Document& d, const std::string& term) -> Xapian::termcount {
        auto it = d.termlist_begin();
        it.skip_to(term);
        return it != d.termlist_end() && *it == term ? it.get_wdf() : 0;
    };
    const Xapian::Document two = schema::make_document(docs[0], {}, {}, {}, 2);
    const Xapian::Document three = schema::make_document(docs[0], {}, {}, {}, 3);
    EXPECT_EQ(wdf(two, "market"), 2u + schema::title_wdf);
    EXPECT_EQ(wdf(two, "Zmarket"), 3u + schema::title_wdf);
    EXPECT_EQ(wdf(three, "market"), 2u + schema::title_wdf);
    EXPECT_EQ(wdf(three, "Zmarket"), 1u);  // "markets" only
    EXPECT_EQ(wdf(three, "Smarket"), 1u);
    EXPECT_EQ(wdf(three, "ZSmarket"), 0u);  // the title has no other word of that stem
    EXPECT_GT(wdf(three, schema::length_term), 2u + schema::title_wdf + 1u);  // "the" too
    EXPECT_EQ(wdf(two, schema::length_term), 0u);

    Xapian::WritableDatabase db2(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Xapian::WritableDatabase db3(std::string(), Xapian::DB_BACKEND_INMEMORY);
    db2.set_metadata(schema::meta_version, "2");
    db3.set_metadata(schema::meta_version, "3");
    for (const Document& d : docs) {
        db2.add_document(schema::make_document(d, {}, {}, {}, 2));
        db3.add_document(schema::make_document(d, {}, {}, {}, 3));
    }
    for (Xapian::docid id = 1; id <= docs.size(); ++id)
        EXPECT_EQ(db2.get_doclength(id), db3.get_doclength(id)) << id;
    // Each query's documents and weights, in id order.
    auto hits = [](const Xapian::Database& db, const std::string& q) {
        Xapian::Enquire e(db);
        e.set_query(build_query(q, db, Gazetteer::builtin));
        std::map<std::string, double> out;
        Xapian::MSet m = e.get_mset(0, 10);
        for (auto it = m.begin(); it != m.end(); ++it)
            out[it.get_document().get_data()] = it.get_weight();
        return out;
    };
    for (const std::string q :
         {"market", "markets", "marketing", "title:market", "title:markets", "market harvest",
          "market OR rice", "\"the market\"", "market NEAR/2 closed", "Market", "mark*"}) {
        const auto two_hits = hits(db2, q), three_hits = hits(db3, q);
        ASSERT_EQ(two_hits.size(), three_hits.size()) << q;
        for (const auto& [id, weight] : two_hits) {
            ASSERT_TRUE(three_hits.count(id)) << q << ": " << id;
            if (q.find('"') != std::string::npos || q == "Market") {  // no stem: same weight
                EXPECT_DOUBLE_EQ(three_hits.at(id), weight) << q << ": " << id;
            }
        }
    }
    EXPECT_EQ(hits(db3, "market").size(), 3u);
    EXPECT_EQ(hits(db3, "title:market").size(), 2u);
}
