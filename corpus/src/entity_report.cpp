// entities_in: term frequencies of the entity terms. discover_names: a scan of stored texts.
#include "panmun/entity_report.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "panmun/query.hpp"
#include "panmun/schema.hpp"
#include "panmun/unicode.hpp"

namespace panmun {
namespace {

bool is_capitalised(std::string_view w) {
    if (w.size() < 2 || !(w[0] >= 'A' && w[0] <= 'Z')) return false;
    return std::any_of(w.begin() + 1, w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Words that open sentences or join names, never a name's first word.
bool is_function_word(std::string_view w) {
    static const std::set<std::string, std::less<>> words = {
        "The",     "A",        "An",     "In",      "On",        "At",        "Of",
        "For",     "And",      "But",    "By",      "To",        "From",      "With",
        "As",      "It",       "He",     "She",     "They",      "We",        "This",
        "That",    "These",    "Those",  "Mr",      "Ms",        "Mrs",       "Dr",
        "His",     "Her",      "Their",  "Its",     "Our",       "After",     "Before",
        "When",    "While",    "If",     "Monday",  "Tuesday",   "Wednesday", "Thursday",
        "Friday",  "Saturday", "Sunday", "January", "February",  "March",     "April",
        "May",     "June",     "July",   "August",  "September", "October",   "November",
        "December"};
    return words.count(w) > 0;
}

// "Workers' Party" -> "workers' party": ASCII lowercased, runs of spaces and hyphens one space.
std::string lower_words(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == ' ' || c == '-') {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

void latin_candidates(std::string_view text, std::set<std::string>& out) {
    std::vector<std::string_view> run;
    auto flush = [&] {
        while (!run.empty() && is_function_word(run.front())) run.erase(run.begin());
        if (run.size() >= 2 && run.size() <= 4) {
            std::string name;
            for (auto w : run) name += (name.empty() ? "" : " ") + std::string(w);
            out.insert(name);
        }
        run.clear();
    };
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t b = i;
        while (i < text.size() && (std::isalpha(static_cast<unsigned char>(text[i])) ||
                                   text[i] == '-' || (text[i] == '\'' && i > b)))
            ++i;  // "People's" stays one word
        std::string_view word = text.substr(b, i - b);
        if (!word.empty() && is_capitalised(word))
            run.push_back(word);
        else if (!word.empty())
            flush();
        if (i < text.size() && text[i] != ' ') flush();  // punctuation ends a name
        if (i == b)
            ++i;
        else if (i < text.size() && text[i] == ' ')
            ++i;
    }
    flush();
}

void hangul_candidates(std::string_view text, std::set<std::string>& out) {
    static const std::vector<std::string> titles = {"위원장", "장관", "대통령", "총리",
                                                    "부부장", "동지", "의장",   "대사"};
    for (const std::string& t : titles) {
        for (std::size_t at = text.find(t); at != std::string_view::npos;
             at = text.find(t, at + 1)) {
            std::size_t end = at;
            if (end > 0 && text[end - 1] == ' ') --end;
            std::size_t b = end, syllables = 0;  // the Hangul run right before the title
            for (std::size_t before = b;
                 b > 0 && unicode::is_hangul(unicode::previous(text, before)); before = b)
                b = before, ++syllables;
            if (syllables >= 2 && syllables <= 4) out.insert(std::string(text.substr(b, end - b)));
        }
    }
}

}  // namespace

std::vector<EntityPresence> entities_in(const ArchiveReader& archive) {
    const Xapian::Database& db = archive.database();
    std::vector<EntityPresence> out;
    for (const Entity& e : archive.gazetteer().entities())
        if (Xapian::doccount n = db.get_termfreq(schema::entity_term(e))) out.push_back({&e, n});
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.documents > b.documents; });
    return out;
}

std::vector<TaggedEntity> entities_of(const ArchiveReader& archive, std::string_view id) {
    const Xapian::Database& db = archive.database();
    std::vector<TaggedEntity> out;
    auto it = db.postlist_begin(schema::id_term(id));
    if (it == db.postlist_end(schema::id_term(id))) return out;
    const std::string value = db.get_document(*it).get_value(schema::slot_entities);
    std::string_view rest = value;
    while (!rest.empty()) {
        const std::size_t nl = std::min(rest.find('\n'), rest.size());
        const std::string_view term = rest.substr(0, nl);
        rest.remove_prefix(std::min(nl + 1, rest.size()));
        for (EntityType type : entity_types) {
            const std::string prefix = schema::entity_prefix(type);
            if (term.substr(0, prefix.size()) != prefix) continue;
            TaggedEntity t;
            t.type = type;
            t.id = std::string(term.substr(prefix.size()));
            t.entity = archive.gazetteer().find(t.id);
            out.push_back(std::move(t));
            break;
        }
    }
    return out;
}

std::vector<Mention> mentions_of(const Gazetteer& gazetteer, const Document& doc) {
    korean::Context context;
    if (doc.date.is_set()) context.date = doc.date;
    return gazetteer.mentions(doc.title + "\n" + doc.text, context);
}

std::vector<NameCandidate> discover_names(ArchiveReader& archive, std::size_t top,
                                          Xapian::doccount max_documents,
                                          const std::string& query) {
    const Xapian::Database& db = archive.database();
    // The archive's own gazetteer: a name added with `retag --entities` is no longer missing.
    const Gazetteer& gazetteer = archive.gazetteer();
    std::vector<Xapian::docid> scan;
    if (query.empty()) {
        for (auto it = db.postlist_begin("");
             it != db.postlist_end("") && scan.size() < max_documents; ++it)
            scan.push_back(*it);
    } else {
        Xapian::Enquire enquire(db);
        enquire.set_query(
            build_query(query, db, [&]() -> const Gazetteer& { return archive.gazetteer(); }));
        const Xapian::MSet hits = enquire.get_mset(0, max_documents);
        for (auto it = hits.begin(); it != hits.end(); ++it) scan.push_back(*it);
    }
    std::unordered_map<std::string, Xapian::doccount> counts;
    for (Xapian::docid id : scan) {
        Document doc = archive.fetch(id);
        std::set<std::string> names;
        latin_candidates(doc.title, names);
        latin_candidates(doc.text, names);
        hangul_candidates(doc.title, names);
        hangul_candidates(doc.text, names);
        for (const auto& n : names) ++counts[n];
    }
    // Known names in lower case, space-separated, to drop the parts of them that capitalised
    // runs cut out ("Democratic People's Republic" of "... Republic of Korea").
    std::vector<std::string> known;
    for (const Entity& e : gazetteer.entities())
        for (const std::string& alias : e.aliases) known.push_back(" " + lower_words(alias) + " ");
    auto part_of_known = [&](const std::string& name) {
        const std::string needle = " " + lower_words(name) + " ";
        return std::any_of(known.begin(), known.end(), [&](const std::string& k) {
            return k.find(needle) != std::string::npos;
        });
    };
    std::vector<NameCandidate> out;
    for (const auto& [name, n] : counts)
        if (n >= 2 && gazetteer.tag(name).empty() && !part_of_known(name)) out.push_back({name, n});
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.documents != b.documents ? a.documents > b.documents : a.name < b.name;
    });
    if (out.size() > top) out.resize(top);
    return out;
}

}  // namespace panmun
