// Option groups of panmun-index, each a small struct that registers its CLI11 options and turns
// them into the library's settings; the commands compose the groups they need
// (indexer/*.cpp). CLI11 checks and converts every value: a bad one is a usage error naming it.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "panmun/archive.hpp"
#include "panmun/ingest.hpp"

namespace panmun::cli {

// --format, --map, --source, cleaning and the rest: how inputs become documents.
struct InputOptions {
    Format format = Format::automatic;
    std::string map_spec;
    std::string source;
    char delimiter = 0;  // 0: by name and header
    std::vector<std::string> include, exclude;
    std::string boilerplate_file;
    bool no_boilerplate = false;
    bool date_from_mtime = false;
    IngestOptions::IdFrom id_from = IngestOptions::IdFrom::content;
    bool strict = false;
    std::size_t batch = IngestOptions{}.batch_docs;
    unsigned threads = IngestOptions{}.threads;

    void add_to(CLI::App& cmd);
    // The settings, with --map and --boilerplate read. Throws UsageError naming a bad one.
    IngestOptions options() const;
};

// --entities FILE: the archive's own gazetteer entries, added to the built-in ones.
struct EntitiesOption {
    std::string file;
    void add_to(CLI::App& cmd);
    // Reads the file and gives it to the writer; nothing if no file was named.
    void apply(ArchiveWriter& writer) const;
};

// --wait: what a writer does when another process is updating the archive.
struct WaitOption {
    bool wait = false;
    void add_to(CLI::App& cmd);
};

// --wait and --dry-run: how an update meets the archive.
struct UpdateOptions {
    WaitOption waiting;
    bool dry_run = false;
    void add_to(CLI::App& cmd);
};

// --verbose: list every problem kept rather than the first few.
struct VerboseOption {
    bool verbose = false;
    void add_to(CLI::App& cmd);
};

// --best, --zstd-level, --cluster-bytes, --dictionary-bytes: the store of a new archive.
struct StoreOptionsGroup {
    StoreOptions store;
    bool best = false;  // end with Compaction::best rather than fast
    void add_to(CLI::App& cmd);
};

}  // namespace panmun::cli
