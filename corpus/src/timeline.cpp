// Date buckets, the archive's documents per bucket (term frequencies of the date terms), and
// co-occurrence counted by a match spy over every document that names the entity.
#include "panmun/timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "panmun/errors.hpp"
#include "panmun/query.hpp"
#include "panmun/schema.hpp"

namespace panmun {
namespace {

int year_of(std::string_view v) { return std::stoi(std::string(v.substr(0, 4))); }
int month_of(std::string_view v) { return std::stoi(std::string(v.substr(4, 2))); }
// Months since year 0 of a sortable value; an unknown month counts as January.
int month_index(std::string_view v) { return year_of(v) * 12 + std::max(1, month_of(v)) - 1; }

// A bucket name ("2013", "2013-03", "2013-03-27") as the start of a sortable value.
std::string digits_of(std::string_view bucket) {
    std::string out;
    for (char c : bucket)
        if (c != '-') out += c;
    return out;
}

constexpr int modified_retries = 3;

}  // namespace

std::string_view bucket_name(DateBucket by) {
    switch (by) {
        case DateBucket::year:
            return "year";
        case DateBucket::month:
            return "month";
        case DateBucket::day:
            return "day";
        case DateBucket::automatic:
            break;
    }
    return "auto";
}

DateBucket choose_bucket(DateBucket by, std::string_view first, std::string_view last,
                         DateBucket finest) {
    if (by != DateBucket::automatic) return by;
    if (year_of(last) - year_of(first) >= 3 || finest == DateBucket::year) return DateBucket::year;
    if (month_index(last) - month_index(first) >= 3 || finest == DateBucket::month)
        return DateBucket::month;
    return DateBucket::day;
}

DateBucket precision_of(std::string_view value) {
    if (value.substr(4, 2) == "00") return DateBucket::year;
    if (value.substr(6, 2) == "00") return DateBucket::month;
    return DateBucket::day;
}

std::string bucket_of(std::string_view value, DateBucket by) {
    const std::string_view y = value.substr(0, 4), m = value.substr(4, 2), d = value.substr(6, 2);
    std::string key(y);
    if (by != DateBucket::year && m != "00") (key += '-') += m;
    if (by == DateBucket::day && m != "00" && d != "00") (key += '-') += d;
    return key;
}

std::vector<std::string> bucket_range(DateBucket by, std::string_view first,
                                      std::string_view last) {
    std::vector<std::string> out;
    const std::string a = digits_of(first) + "0000", b = digits_of(last) + "0000";
    if (by == DateBucket::year)
        for (int y = year_of(a); y <= year_of(b); ++y) out.push_back(std::to_string(y));
    else if (by == DateBucket::month)
        for (int i = month_index(a); i <= month_index(b); ++i)
            out.push_back(fmt::format("{:04}-{:02}", i / 12, i % 12 + 1));
    return out;
}

Xapian::doccount documents_in(const Xapian::Database& db, std::string_view bucket, DateBucket by) {
    const std::string digits = digits_of(bucket);
    if (digits.size() == 8) return db.get_termfreq(schema::prefix_day + digits);
    if (digits.size() == 6) {
        const Xapian::doccount month = db.get_termfreq(schema::prefix_month + digits);
        if (by != DateBucket::day) return month;
        Xapian::doccount days = 0;  // among days, "2013-03" holds the month-only dates
        const std::string prefix = schema::prefix_day + digits;
        for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
            days += t.get_termfreq();
        return month - days;
    }
    const Xapian::doccount year = db.get_termfreq(schema::prefix_year + digits);
    if (by == DateBucket::year) return year;
    Xapian::doccount months = 0;  // among months or days, "2013" holds the year-only dates
    const std::string prefix = schema::prefix_month + digits;
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
        months += t.get_termfreq();
    return year - months;
}

namespace {

// Each matching document's date value and entity terms (as numbers).
class Collector : public Xapian::MatchSpy {
public:
    struct Seen {
        std::string date;
        std::vector<std::uint32_t> entities;
    };
    void operator()(const Xapian::Document& doc, double) override {
        Seen s;
        s.date = doc.get_value(schema::slot_date);
        const std::string v = doc.get_value(schema::slot_entities);
        std::string_view rest = v;
        while (!rest.empty()) {
            const std::size_t nl = std::min(rest.find('\n'), rest.size());
            const std::string_view term = rest.substr(0, nl);
            rest.remove_prefix(std::min(nl + 1, rest.size()));
            auto [it, added] =
                numbers.emplace(std::string(term), static_cast<std::uint32_t>(terms.size()));
            if (added) terms.emplace_back(term);
            s.entities.push_back(it->second);
        }
        seen.push_back(std::move(s));
    }
    std::vector<Seen> seen;
    std::vector<std::string> terms;
    std::unordered_map<std::string, std::uint32_t> numbers;
};

// The entities `with` names ("person:kim-jong-un", `person:"Kim Jong-un"`, "person:김정은"), as
// the query's person: filter reads it (Gazetteer::resolve): usually one.
std::vector<const Entity*> entities_named(const Gazetteer& gazetteer, const std::string& with) {
    const std::size_t colon = with.find(':');
    std::optional<EntityType> type;
    if (colon != std::string::npos) type = entity_type_named(with.substr(0, colon));
    if (!type)
        throw UsageError(
            "--with takes an entity as person:ID, org:ID, place:ID or event:ID, not '" + with +
            "'");
    std::string value = with.substr(colon + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
    return gazetteer.resolve(*type, value);  // if empty, build_query says why, with the closest
}

}  // namespace

CooccurrenceResult cooccurrence(ArchiveReader& archive, const CooccurrenceRequest& request) {
    if (archive.has_remote())  // Collector pairs two values a document: Xapian's spies cannot
        throw UsageError(
            "co-occurrence (entities --with) cannot be counted on a remote shard: xapian-tcpsrv "
            "runs Xapian's own match spies only; run it on the shard's host");
    for (int attempt = 1;; ++attempt) {
        try {
            const Xapian::Database& db = archive.database();
            const Gazetteer& gazetteer = archive.gazetteer();
            CooccurrenceResult result;
            result.with = request.with;
            const std::vector<const Entity*> named = entities_named(gazetteer, request.with);
            if (!named.empty()) result.entity = named.front();
            const std::string text =
                request.with + (request.query.empty() ? "" : " (" + request.query + ")");
            Xapian::Query query =
                build_query(text, db, [&]() -> const Gazetteer& { return gazetteer; });
            if (!result.entity) throw UsageError("no entity is called '" + request.with + "'");
            if (!request.dates.is_open())
                query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                                      schema::date_filter(request.dates));
            Xapian::Enquire enquire(db);
            enquire.set_query(query);
            Collector spy;
            enquire.add_matchspy(&spy);
            enquire.get_mset(0, 0, db.get_doccount());  // every match is seen: exact counts
            result.documents = static_cast<Xapian::doccount>(spy.seen.size());

            // The buckets: the range of the dates seen, then each date's own bucket.
            std::string first, last;
            DateBucket finest = DateBucket::year;
            for (const auto& s : spy.seen)
                if (!s.date.empty()) {
                    if (first.empty() || s.date < first) first = s.date;
                    if (last.empty() || s.date > last) last = s.date;
                    finest = std::max(finest, precision_of(s.date));
                }
            std::map<std::string, std::size_t> index;  // bucket -> column
            bool undated = false;
            if (!first.empty()) {
                result.by = choose_bucket(request.by, first, last, finest);
                for (const std::string& b : bucket_range(result.by, bucket_of(first, result.by),
                                                         bucket_of(last, result.by)))
                    index.emplace(b, 0);
            }
            for (const auto& s : spy.seen) {
                if (s.date.empty())
                    undated = true;
                else
                    index.emplace(bucket_of(s.date, result.by), 0);
            }
            for (auto& [bucket, column] : index) {
                column = result.buckets.size();
                result.buckets.push_back(bucket);
            }
            if (undated) result.buckets.push_back("undated");
            const std::size_t columns = result.buckets.size();
            result.totals.assign(columns, 0);

            // Counts per entity term and bucket.
            std::set<std::string> itself;  // the entity asked for is not listed beside itself
            for (const Entity* e : named) itself.insert(schema::entity_term(*e));
            std::vector<std::vector<Xapian::doccount>> counts(spy.terms.size());
            std::vector<Xapian::doccount> documents(spy.terms.size(), 0);
            for (const auto& s : spy.seen) {
                const std::size_t column =
                    s.date.empty() ? columns - 1 : index.at(bucket_of(s.date, result.by));
                ++result.totals[column];
                for (std::uint32_t e : s.entities) {
                    if (counts[e].empty()) counts[e].assign(columns, 0);
                    ++counts[e][column];
                    ++documents[e];
                }
            }
            for (std::size_t e = 0; e < spy.terms.size(); ++e) {
                const std::string& term = spy.terms[e];
                if (itself.count(term)) continue;
                for (EntityType t : entity_types) {
                    const std::string prefix = schema::entity_prefix(t);
                    if (term.compare(0, prefix.size(), prefix) != 0) continue;
                    if (!request.types[static_cast<int>(t)]) break;
                    CooccurrenceRow row;
                    row.type = t;
                    row.id = term.substr(prefix.size());
                    row.entity = gazetteer.find(row.id);
                    row.documents = documents[e];
                    row.counts = counts[e];
                    result.rows.push_back(std::move(row));
                    break;
                }
            }
            std::sort(result.rows.begin(), result.rows.end(), [](const auto& a, const auto& b) {
                return a.documents != b.documents ? a.documents > b.documents : a.id < b.id;
            });
            if (result.rows.size() > request.top) result.rows.resize(request.top);
            return result;
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt == modified_retries) throw;
            archive.reopen();
        }
    }
}

}  // namespace panmun
