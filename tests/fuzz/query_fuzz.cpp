// libFuzzer target: the query parser with panmun's schema, and running the built query. A bad
// query is a UsageError, never a crash.
#include <cstdint>
#include <string>

#include "panmun/errors.hpp"
#include "panmun/query.hpp"
#include "panmun/schema.hpp"

namespace {

Xapian::Database& database() {
    static Xapian::WritableDatabase db = [] {
        Xapian::WritableDatabase d(std::string(), Xapian::DB_BACKEND_INMEMORY);
        panmun::Document doc;
        doc.id = "a";
        doc.title = "Hotline restored";
        doc.source = "Peninsula Desk";
        doc.lang = "en";
        doc.date = *panmun::Date::parse_iso("2021-07-27");
        doc.text = "Kim Jong Un's letters restored the military hotline. 김정은의 친서.";
        d.add_document(panmun::schema::make_document(doc, {}));
        return d;
    }();
    return db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string query(reinterpret_cast<const char*>(data), size);
    try {
        Xapian::Enquire enquire(database());
        enquire.set_query(panmun::build_query(query, database(), panmun::Gazetteer::builtin));
        (void)enquire.get_mset(0, 10);
    } catch (const panmun::UsageError&) {
    } catch (const Xapian::Error&) {
        // Xapian may refuse a query it parsed (e.g. a term over its length limit): not a crash.
    }
    return 0;
}
