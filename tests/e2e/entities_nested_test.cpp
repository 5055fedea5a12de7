// Names inside names, on real texts (issue 25): for every person, organisation and place that
// the gazetteer finds inside the name of an event or institution (Panmunjom in the Panmunjom
// Declaration, 평양 in 평양공동선언), the documents its filter finds must be at least 95% of
// those that name it in any spelling, found here by a plain scan of the stored texts: Latin
// aliases as whole words ignoring case, spaces and hyphens, Hangul and Hanja aliases at the
// start of a word. On the sample corpus always; on the Korean corpora when ../shared/corpora has
// them.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "helpers.hpp"
#include "panmun/archive.hpp"
#include "panmun/entities.hpp"
#include "panmun/korean.hpp"
#include "panmun/schema.hpp"
#include "panmun/search.hpp"
#include "panmun/unicode.hpp"

using namespace panmun;
using namespace panmun::test;

namespace {

// The text with every run of characters other than ASCII letters and digits and Korean letters
// made one space, ASCII lowercased, and a space at both ends: " the panmunjom declaration ".
std::string scan_form(std::string_view text) {
    std::string out = " ";
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t at = i;
        const char32_t c = unicode::next(text, i);
        if (c < 0x80 && std::isalnum(static_cast<int>(c)))
            out += static_cast<char>(std::tolower(static_cast<int>(c)));
        else if (korean::is_korean_letter(c))
            out.append(text.substr(at, i - at));
        else if (out.back() != ' ')
            out += ' ';
    }
    return out + " ";
}

// Whether `form` (scan_form of a text) names the alias: a Latin alias as whole words, spaces and
// hyphens between its parts optional; a Korean one as letters that start a word (particles and
// other words may follow: 판문점선언에, 평양냉면; 아시아태평양 does not name 평양).
bool names(const std::string& form, const std::string& alias) {
    const std::string a = scan_form(alias);
    if (korean::has_korean(alias)) {
        std::string letters;
        for (char c : a)
            if (c != ' ') letters += c;
        return form.find(" " + letters) != std::string::npos;
    }
    // Each space of the alias may be a space or nothing in the text ("Kim Jong-un", "Kimjongun").
    std::vector<std::string> parts;
    std::istringstream words(a);
    for (std::string w; words >> w;) parts.push_back(w);
    std::function<bool(std::size_t, std::size_t)> from = [&](std::size_t part, std::size_t at) {
        if (part == parts.size()) return form[at] == ' ';
        if (form.compare(at, parts[part].size(), parts[part]) != 0) return false;
        at += parts[part].size();
        if (part + 1 == parts.size()) return form[at] == ' ';
        return from(part + 1, at) || (form[at] == ' ' && from(part + 1, at + 1));
    };
    for (std::size_t at = form.find(" " + parts.front()); at != std::string::npos;
         at = form.find(" " + parts.front(), at + 1))
        if (from(0, at + 1)) return true;
    return false;
}

struct Corpus {
    const char* name;
    std::string args;  // for panmun-index build
};

}  // namespace

TEST(EntitiesNested, EveryNameInsideAnEventOrInstitutionNameIsFound) {
    const Gazetteer& g = Gazetteer::builtin();
    // The entities named inside others' names, and the longer names they are inside.
    std::map<const Entity*, std::set<std::string>> inner;
    for (const Entity& e : g.entities())
        if (e.type == EntityType::event)
            for (const Entity* in : g.inner_names(e)) inner[in].insert(e.id);
    ASSERT_TRUE(inner.count(g.find("panmunjom")));

    std::vector<Corpus> corpora = {{"sample", shell_quote(sample_corpus())}};
    const std::string c = corpora_dir();
    if (!c.empty() && boost::filesystem::exists(c + "/korean-summit-news")) {
        corpora.push_back(
            {"summits", "--map id=doc_id,title=headline,source=newspaper,date=year " +
                            shell_quote(c + "/korean-summit-news/"
                                            "inter_korean_summit_articles_chosun_ilbo."
                                            "csv.zst") +
                            " " +
                            shell_quote(c + "/korean-summit-news/"
                                            "inter_korean_summit_articles_hankyoreh."
                                            "csv.zst")});
        corpora.push_back({"new-year", shell_quote(c + "/nk-newyear-ko/"
                                                       "nk-newyear-speeches-data.tar.zst")});
        corpora.push_back(
            {"seoul-papers", "--map source=paper_name,date=created " +
                                 shell_quote(c + "/kr-newspapers-2017/"
                                                 "korean_newspapers_twitter.csv.zst")});
    } else {
        std::printf("../shared/corpora absent: nested names checked on the sample corpus only\n");
    }
    TempDir tmp;
    std::size_t checked = 0;
    for (const Corpus& corpus : corpora) {
        const std::string archive = tmp / (std::string(corpus.name) + ".panmun");
        RunResult r = run(std::string(PANMUN_INDEX_BIN) + " build --quiet --archive " + archive +
                          " " + corpus.args);
        ASSERT_LE(r.status, 1) << r.err;
        ArchiveReader reader(archive);
        const Xapian::Database& db = reader.database();
        std::map<const Entity*, std::size_t> named, found;
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
            const Xapian::Document entry = db.get_document(*it);
            const Document doc = reader.fetch(*it);
            const std::string form = scan_form(doc.title + "\n" + doc.text);
            for (const auto& [e, outer] : inner) {
                const std::string* alias = nullptr;
                for (const std::string& a : e->aliases)
                    if (!alias && names(form, a)) alias = &a;
                if (!alias) continue;
                ++named[e];
                bool tagged = false;
                for (auto t = entry.termlist_begin(); t != entry.termlist_end() && !tagged; ++t)
                    tagged = *t == schema::entity_term(*e);
                found[e] += tagged;
                if (!tagged && std::getenv("PANMUN_PRINT_MISSES")) {
                    const std::string a = scan_form(*alias).substr(1);
                    const std::size_t at = form.find(a.substr(0, a.size() - 1));
                    std::printf("miss %s %s '%s': …%s…\n", corpus.name, e->id.c_str(),
                                alias->c_str(), form.substr(at < 60 ? 0 : at - 60, 140).c_str());
                }
            }
        }
        for (const auto& [e, n] : named) {
            const double share = static_cast<double>(found[e]) / static_cast<double>(n);
            std::printf("%-12s %-22s named in %5zu, tagged in %5zu (%.3f)\n", corpus.name,
                        e->id.c_str(), n, found[e], share);
            EXPECT_GE(share, 0.95) << corpus.name << ": " << e->id;
            ++checked;
        }
    }
    EXPECT_GE(checked, 10u);
}
