// panmun-index's subcommands (internal to the program): each registers its options and runs.
#pragma once

#include "options.hpp"

namespace panmun::indexer {

inline constexpr const char* exit_footer =
    "Exit status: 0 done, 1 some records or inputs skipped, 2 usage error,\n"
    "3 archive locked by another writer, 4 archive damaged or I/O error (disk full).";

// build, add, sync (ingest_commands.cpp).
void add_ingest_commands(CLI::App& app, cli::Commands& commands);
// delete, verify, stats, compact, retag (archive_commands.cpp).
void add_archive_commands(CLI::App& app, cli::Commands& commands);

}  // namespace panmun::indexer
