// Looking at an archive as a whole: statistics, and a full verification that the manifest, the
// index and the store are intact and agree with each other.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "panmun/archive.hpp"

namespace panmun {

struct ArchiveStats {
    std::uint64_t documents = 0;
    std::uint64_t text_bytes = 0;   // the documents' texts, uncompressed
    std::uint64_t store_bytes = 0;  // the store file
    std::uint64_t index_bytes = 0;  // the Xapian directory
    std::uint64_t dead_documents = 0;
    bool dictionary = false;
    std::map<int, std::uint64_t> per_year;
    std::uint64_t undated = 0;
    int format_version = 0;
    // Of the index (schema::version_of). In the text output only: the JSON output keeps its
    // shape (schemas v1); scripts find it in manifest.json.
    int schema_version = 0;
    std::string created, created_by;  // when, and by which panmun (empty: not recorded)
    std::string updated, updated_by;
};

ArchiveStats archive_stats(const ArchiveReader& archive);

struct VerifyReport {
    std::uint64_t documents = 0;        // index entries checked
    std::uint64_t clusters = 0;         // store clusters read and checksummed
    std::uint64_t store_documents = 0;  // documents found in the store
    std::vector<std::string> problems;  // each names what is damaged and where
    std::vector<std::string> notes;     // not damage, but worth saying
    bool ok() const { return problems.empty(); }
};

// Checks the manifest, the Xapian tables, every stored document against its checksum, and that
// index and store agree: every index entry's document is in the store under the same id, and the
// store holds no document the index does not know except the replaced and deleted ones it
// counts (reclaimed by compact). Never throws for damage: it is reported. `progress` is called
// with (documents checked, total) now and then.
VerifyReport verify_archive(const std::string& path,
                            const std::function<void(std::uint64_t, std::uint64_t)>& progress = {});

}  // namespace panmun
