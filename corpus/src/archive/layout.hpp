// What an archive directory holds and how its parts are named (internal): file names, the
// Xapian metadata keys of the committed state, and small helpers shared by the reader, the
// writer and the compaction. docs/FORMAT.md describes the layout.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "panmun/archive.hpp"
#include "panmun/entities.hpp"
#include "panmun/store.hpp"

namespace panmun::archive {

inline constexpr const char* manifest_name = "manifest.json";
inline constexpr const char* xapian_dir = "xapian";
inline constexpr const char* lock_name = "lock";
inline constexpr const char* format_name = "panmun-archive";

// Xapian metadata keys, committed together with the index.
inline constexpr const char* meta_entities =
    "panmun.entities";  // the archive's own gazetteer (TSV)
inline constexpr const char* meta_store_file = "panmun.store_file";
inline constexpr const char* meta_store_bytes = "panmun.store_bytes";
inline constexpr const char* meta_text_bytes = "panmun.text_bytes";
inline constexpr const char* meta_dead = "panmun.dead_documents";
inline constexpr const char* meta_compacted_index = "panmun.compacted_index_bytes";
inline constexpr const char* meta_commits = "panmun.commits";
inline constexpr const char* meta_created = "panmun.created";
inline constexpr const char* meta_file_prefix = "panmun.file:";  // sync's mark per input file

// Compaction writes the new index here and renames it into place; if a crash comes between the
// two renames, whoever opens the archive next finds the complete copy here.
inline constexpr const char* xapian_compact_dir = "xapian.compact";
inline constexpr const char* xapian_old_dir = "xapian.old";
// Compaction points a copy of the index at the new store here, before compacting it.
inline constexpr const char* xapian_work_dir = "xapian.work";

// What replace_archive() and the commands that build beside an archive leave next to it,
// NAME.panmun + one of these + the pid of the process: the complete new archive between the
// renames of a replacement, the old one moved aside, an archive being built or resharded.
inline constexpr const char* beside_new = ".new-";
inline constexpr const char* beside_old = ".old-";
inline constexpr const char* beside_building = ".building-";
inline constexpr const char* beside_reshard = ".reshard-";

// The directories beside `archive` named archive + `infix` + a pid, with the pid.
std::vector<std::pair<std::string, long>> beside(const std::string& archive, const char* infix);
// `archive`; or, when it is missing because a replacement was interrupted between its last two
// renames, the complete new archive waiting beside it.
std::string settled_dir(const std::string& archive);

// dir/name.
std::string sub(const std::string& dir, const std::string& name);
// The directory of shard i of an archive of shards: "shard-1", "shard-2", ... (from 1).
std::string shard_dir_name(std::size_t i);
// "store-N.dat", and N back from it.
std::string store_file_name(std::uint64_t generation);
std::uint64_t store_generation(const std::string& name);
// Now, as ISO 8601 UTC.
std::string now_utc();
// The index directory to open: xapian/, or xapian.compact/ when a compaction was interrupted
// between its two renames.
std::string index_dir(const std::string& archive);

void write_state(Xapian::WritableDatabase& db, const CommittedState& state);

// The bytes of the files under `dir`.
std::uint64_t directory_bytes(const std::string& dir);

// Where an index entry's document is stored. Throws CorruptDataError naming the archive and the
// document when the entry has no valid location.
StoreLocation location_of(const Xapian::Document& entry, const std::string& archive);

// The gazetteer an archive tags with: the built-in one and the archive's own additions.
Gazetteer archive_gazetteer(const Xapian::Database& db, const std::string& path);

}  // namespace panmun::archive
