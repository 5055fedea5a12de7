// Mirroring a directory tree of JSON Lines files into an archive: new files are added, changed
// files re-read (their changed documents replaced, vanished ones deleted), removed files' documents
// deleted. Each file's size and mtime are recorded with the documents, so an unchanged tree
// costs a directory walk.
#pragma once

#include <string>

#include "panmun/ingest.hpp"

namespace panmun {

// File names sync reads; other files in the tree are counted and ignored.
bool is_syncable_file(const std::string& name);

// Makes `archive` mirror `dir` (options.existing is taken as update). Symlink loops and
// unreadable entries are reported as problems of the first InputReport (named after the tree);
// a file that cannot be read completely keeps its documents as they were.
IngestReport sync_tree(ArchiveWriter& archive, const std::string& dir, IngestOptions options,
                       const IngestProgress& progress = {});

}  // namespace panmun
