// Draws entity mentions at random from an archive, for judging by a person (issue 25):
//   panmun_sample_mentions ARCHIVE LABEL COUNT SEED [TYPE]
// prints COUNT lines "LABEL<TAB>doc id<TAB>begin<TAB>end<TAB>entity<TAB>type<TAB>context", the
// offsets into the document's title + "\n" + text (entity_report.hpp's mentions_of), drawn
// uniformly from every mention of every document (of entities of TYPE, if given) with a seeded
// generator. The context (60
// characters either side, the mention in [[ ]]) is for the judge; tests/data keeps only the
// columns before it and the judgment, never the text.
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "panmun/archive.hpp"
#include "panmun/entity_report.hpp"
#include "panmun/unicode.hpp"

using namespace panmun;

int main(int argc, char** argv) {
    if (argc != 5 && argc != 6) {
        std::fprintf(stderr, "usage: %s ARCHIVE LABEL COUNT SEED [TYPE]\n", argv[0]);
        return 2;
    }
    ArchiveReader archive(argv[1]);
    const Xapian::Database& db = archive.database();
    struct Drawn {
        Xapian::docid doc;
        Mention mention;
    };
    std::vector<Drawn> all;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
        for (const Mention& m : mentions_of(archive.gazetteer(), archive.fetch(*it)))
            if (argc == 5 || entity_type_name(m.entity->type) == argv[5]) all.push_back({*it, m});
    std::mt19937_64 random(std::stoull(argv[4]));
    std::shuffle(all.begin(), all.end(), random);
    const std::size_t n = std::min<std::size_t>(std::stoul(argv[3]), all.size());
    for (std::size_t i = 0; i < n; ++i) {
        const Document doc = archive.fetch(all[i].doc);
        const std::string text = doc.title + "\n" + doc.text;
        const Mention& m = all[i].mention;
        std::size_t from = m.begin, to = m.end;
        for (int k = 0; k < 60 && from > 0; ++k) unicode::previous(text, from);
        for (int k = 0; k < 60 && to < text.size(); ++k) unicode::next(text, to);
        std::string context = text.substr(from, m.begin - from) + "[[" +
                              text.substr(m.begin, m.end - m.begin) + "]]" +
                              text.substr(m.end, to - m.end);
        for (char& c : context)
            if (c == '\n' || c == '\t' || c == '\r') c = ' ';
        std::printf("%s\t%s\t%zu\t%zu\t%s\t%s\t%s\n", argv[2], doc.id.c_str(), m.begin, m.end,
                    m.entity->id.c_str(), std::string(entity_type_name(m.entity->type)).c_str(),
                    context.c_str());
    }
    return 0;
}
