// What an archive says about entities: which gazetteer entities it names and how often, and
// frequent names no entity covers (to help researchers extend the gazetteer).
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

#include "panmun/archive.hpp"
#include "panmun/entities.hpp"

namespace panmun {

struct EntityPresence {
    const Entity* entity = nullptr;
    Xapian::doccount documents = 0;  // documents tagged with it (exact: its term's frequency)
};
// The archive's gazetteer's entities (the built-in ones and its own) present in it, most
// documents first.
std::vector<EntityPresence> entities_in(const ArchiveReader& archive);

struct TaggedEntity {
    const Entity* entity = nullptr;  // in the archive's gazetteer; null if it no longer has the id
    EntityType type = EntityType::person;
    std::string id;
};
// The entities the archived document `id` is tagged with, in the order of its tags; empty if
// there is no such document.
std::vector<TaggedEntity> entities_of(const ArchiveReader& archive, std::string_view id);

// Where a document names entities, as the indexer tags it: mentions in doc.title + "\n" +
// doc.text (offsets into that string), read with the document's date (korean::Context).
std::vector<Mention> mentions_of(const Gazetteer& gazetteer, const Document& doc);

struct NameCandidate {
    std::string name;                // as written, most frequent spelling
    Xapian::doccount documents = 0;  // documents (of those scanned) that contain it
};
// Names no gazetteer alias covers: runs of two to four capitalised words ("Choe Yong Rim",
// "Korean Peninsula Energy"), and Hangul words of two to four syllables before a title
// (위원장, 장관, 대통령, 총리, 부부장, 동지). Scans the titles and texts of the first
// `max_documents` documents, or of the best `max_documents` hits of `query` (docs/QUERY.md's
// syntax) when it is not empty; returns the `top` most frequent, found in at least two of them.
// Throws QueryError for a bad query.
std::vector<NameCandidate> discover_names(ArchiveReader& archive, std::size_t top,
                                          Xapian::doccount max_documents,
                                          const std::string& query = {});

}  // namespace panmun
