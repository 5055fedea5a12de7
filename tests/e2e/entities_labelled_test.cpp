// The tagger's precision where it means something (issue 25; docs/BENCHMARKS.md "Entity
// precision"):
// - on mentions drawn at random from five shared corpora and judged by reading them
//   (tests/data/entity-mentions.tsv): precision per language and entity type over the judged
//   mentions the tagger still makes, at least 0.95, over all draws and over the last uniform one
//   (draw 3; draw 4 is of Korean names of several words only); and the mentions judged right
//   must still be made (at least 95% of them), so that the judgments keep describing the tagger;
// - on KLUE-NER (klue-ner-ko, 5,000 Korean sentences with person, place and organisation spans):
//   recall on the spans whose text is a gazetteer alias, and precision of the tags that land in
//   its sentences (a tag is right when it covers a span of its type), both printed and checked.
//   KLUE marks names, not the words made with them: 한국영화 ("Korean film"), 중국인, 국회의원
//   are no spans of it, though they name Korea, China and the Assembly. The precision checked
//   is that of names standing alone (with their particles); the tags in compound words are
//   counted apart and printed, and the judged sample above grades them.
// Skips with a message when ../shared/corpora is absent.
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "helpers.hpp"
#include "panmun/archive.hpp"
#include "panmun/entities.hpp"
#include "panmun/entity_report.hpp"
#include "panmun/input.hpp"

using namespace panmun;
using namespace panmun::test;

namespace {

struct Label {
    std::string draw, corpus, id;
    std::size_t begin = 0, end = 0;
    std::string entity, type;
    bool right = false;
};

std::vector<Label> labels() {
    std::ifstream in(source_dir() + "/tests/data/entity-mentions.tsv");
    std::vector<Label> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream cols(line);
        Label l;
        std::string begin, end, right;
        std::getline(cols, l.draw, '\t');
        std::getline(cols, l.corpus, '\t');
        std::getline(cols, l.id, '\t');
        std::getline(cols, begin, '\t');
        std::getline(cols, end, '\t');
        std::getline(cols, l.entity, '\t');
        std::getline(cols, l.type, '\t');
        std::getline(cols, right, '\t');
        l.begin = std::stoul(begin);
        l.end = std::stoul(end);
        l.right = right == "1";
        out.push_back(std::move(l));
    }
    return out;
}

bool korean_corpus(const std::string& corpus) {
    return corpus == "summits" || corpus == "new-year" || corpus == "seoul-papers";
}

// How each labelled corpus is built (as the labels were drawn).
std::map<std::string, std::string> builds(const std::string& c) {
    return {
        {"kcna-en-2024",
         "--source KCNA --map title=headline,date=date_str,text=story_text,url=link " +
             shell_quote(c + "/kcna-en-2024/headlines_2024-11-11.json.zst")},
        {"reuters",
         "--include 'reut2-00[01].sgm' " + shell_quote(c + "/reuters21578/reuters21578.tar.zst")},
        {"summits", "--map id=doc_id,title=headline,source=newspaper,date=year " +
                        shell_quote(c + "/korean-summit-news/"
                                        "inter_korean_summit_articles_chosun_ilbo.csv.zst") +
                        " " +
                        shell_quote(c + "/korean-summit-news/"
                                        "inter_korean_summit_articles_hankyoreh.csv.zst")},
        {"new-year", shell_quote(c + "/nk-newyear-ko/nk-newyear-speeches-data.tar.zst")},
        {"seoul-papers", "--map source=paper_name,date=created " +
                             shell_quote(c + "/kr-newspapers-2017/"
                                             "korean_newspapers_twitter.csv.zst")},
    };
}

struct Tally {
    std::size_t right = 0, all = 0;
    double share() const { return all ? static_cast<double>(right) / static_cast<double>(all) : 1; }
};

}  // namespace

TEST(EntitiesLabelled, JudgedMentionsArePrecisePerLanguageAndType) {
    const std::string c = corpora_dir();
    if (c.empty() || !boost::filesystem::exists(c + "/kr-newspapers-2017"))
        GTEST_SKIP() << "../shared/corpora is absent: the judged mentions cannot be found again";
    const std::vector<Label> all = labels();
    std::size_t english = 0, korean = 0;
    for (const Label& l : all) (korean_corpus(l.corpus) ? korean : english) += 1;
    ASSERT_GE(english, 200u);
    ASSERT_GE(korean, 200u);

    TempDir tmp;
    std::map<std::string, std::unique_ptr<ArchiveReader>> archives;
    for (const auto& [name, args] : builds(c)) {
        const std::string path = tmp / (name + ".panmun");
        RunResult r =
            run(std::string(PANMUN_INDEX_BIN) + " build --quiet --archive " + path + " " + args);
        ASSERT_LE(r.status, 1) << name << ": " << r.err;
        archives[name] = std::make_unique<ArchiveReader>(path);
    }
    // Per (language, type): all draws, and the last draw (made after the last fixes) alone.
    std::map<std::string, Tally> precision, last;
    Tally kept;  // mentions judged right that the tagger still makes
    for (const Label& l : all) {
        ArchiveReader& archive = *archives.at(l.corpus);
        std::optional<Document> doc = archive.find(l.id);
        ASSERT_TRUE(doc) << l.corpus << " has no document " << l.id;
        bool made = false;
        for (const Mention& m : mentions_of(archive.gazetteer(), *doc))
            made = made || (m.begin == l.begin && m.end == l.end && m.entity->id == l.entity);
        if (l.right) {
            ++kept.all;
            kept.right += made;
            if (!made)
                std::printf("no longer tagged: %s %s %zu-%zu %s\n", l.corpus.c_str(), l.id.c_str(),
                            l.begin, l.end, l.entity.c_str());
        }
        if (!made) continue;
        const std::string key = (korean_corpus(l.corpus) ? "ko " : "en ") + l.type;
        precision[key].all += 1;
        precision[key].right += l.right;
        if (l.draw == "3") {
            last[key].all += 1;
            last[key].right += l.right;
        }
    }
    std::printf("judged right and still tagged: %zu of %zu (%.3f)\n", kept.right, kept.all,
                kept.share());
    EXPECT_GE(kept.share(), 0.95);
    for (const auto& [key, t] : precision) {
        std::printf("%-10s precision %.3f (%zu of %zu); last draw %.3f (%zu of %zu)\n", key.c_str(),
                    t.share(), t.right, t.all, last[key].share(), last[key].right, last[key].all);
        EXPECT_GE(t.share(), 0.95) << key;
        EXPECT_GE(last[key].share(), 0.95) << key;
    }
}

TEST(EntitiesLabelled, KlueSpansRecallAndPrecision) {
    const std::string path = corpora_dir() + "/klue-ner-ko/klue-ner-v1.1_dev.tsv.zst";
    if (corpora_dir().empty() || !boost::filesystem::exists(path))
        GTEST_SKIP() << path << " is absent: skipped";
    const Gazetteer& g = Gazetteer::builtin();
    struct Span {
        std::size_t begin, end;
        std::string type;  // PS, LC, OG
    };
    auto fits = [](EntityType t, const std::string& klue) {
        // KLUE marks a country acting as a state (미국 정부) OG, and a place-named body LC.
        return (t == EntityType::person && klue == "PS") ||
               (t == EntityType::place && (klue == "LC" || klue == "OG")) ||
               (t == EntityType::org && (klue == "OG" || klue == "LC"));
    };
    static const std::regex tag("<([^<>]+?):(PS|LC|OG|DT|TI|QT)>");
    std::map<std::string, Tally> recall, precision, compounds;
    std::size_t sentences = 0;
    LineReader reader(path);
    std::string line;
    while (reader.next(line)) {
        if (line.rfind("## klue-ner", 0) != 0) continue;
        const std::size_t tab = line.find('\t');
        if (tab == std::string::npos) continue;
        const std::string tagged = line.substr(tab + 1);
        ++sentences;
        // The sentence without its tags, and the spans of people, places and organisations.
        std::string text;
        std::vector<Span> spans;
        std::size_t from = 0;
        for (auto it = std::sregex_iterator(tagged.begin(), tagged.end(), tag);
             it != std::sregex_iterator(); ++it) {
            const std::smatch& m = *it;
            text += tagged.substr(from, static_cast<std::size_t>(m.position()) - from);
            const std::size_t begin = text.size();
            text += m[1].str();
            if (m[2] == "PS" || m[2] == "LC" || m[2] == "OG")
                spans.push_back({begin, text.size(), m[2].str()});
            from = static_cast<std::size_t>(m.position() + m.length());
        }
        text += tagged.substr(from);
        const std::vector<Mention> mentions = g.mentions(text);
        for (const Span& s : spans) {
            const std::vector<const Entity*> named = g.named(text.substr(s.begin, s.end - s.begin));
            if (named.empty()) continue;
            bool found = false;
            for (const Mention& m : mentions)
                found = found || (m.begin < s.end && s.begin < m.end &&
                                  std::find(named.begin(), named.end(), m.entity) != named.end());
            recall[s.type].all += 1;
            recall[s.type].right += found;
            if (!found && std::getenv("PANMUN_PRINT_MISSES"))
                std::printf("missed %s '%s' in: %s\n", s.type.c_str(),
                            text.substr(s.begin, s.end - s.begin).c_str(), text.c_str());
        }
        for (const Mention& m : mentions) {
            if (m.entity->type == EntityType::event) continue;  // KLUE has no events
            bool right = false;
            for (const Span& s : spans)
                right =
                    right || (m.begin < s.end && s.begin < m.end && fits(m.entity->type, s.type));
            const std::string key(entity_type_name(m.entity->type));
            // KLUE marks names, not words made with them (한국영화, 중국인, 국회의원): it can
            // grade only the tags of names that stand alone; the others are counted apart.
            Tally& t = m.compound || m.inner ? compounds[key] : precision[key];
            t.all += 1;
            t.right += right;
            if (!right && std::getenv("PANMUN_PRINT_MISSES"))
                std::printf("wrong %s '%s' in: %s\n", m.entity->id.c_str(),
                            text.substr(m.begin, m.end - m.begin).c_str(), text.c_str());
        }
    }
    EXPECT_EQ(sentences, 5000u);
    Tally all_recall, all_precision;
    for (const auto& [type, t] : recall) {
        std::printf("KLUE %s spans that are aliases: recall %.3f (%zu of %zu)\n", type.c_str(),
                    t.share(), t.right, t.all);
        all_recall.right += t.right;
        all_recall.all += t.all;
    }
    for (const auto& [type, t] : precision) {
        const Tally& c = compounds[type];
        std::printf(
            "KLUE %s tags of names alone: precision %.3f (%zu of %zu); in compounds "
            "%zu of %zu fall in a span of KLUE's\n",
            type.c_str(), t.share(), t.right, t.all, c.right, c.all);
        all_precision.right += t.right;
        all_precision.all += t.all;
        EXPECT_GE(t.share(), 0.95) << type;
    }
    std::printf("KLUE overall: recall %.3f, precision %.3f\n", all_recall.share(),
                all_precision.share());
    EXPECT_GE(all_recall.share(), 0.9);
}
