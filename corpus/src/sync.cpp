// sync_tree(): directory walk, per-file marks, and deletions of what disappeared.
#include "panmun/sync.hpp"

#include <boost/filesystem.hpp>
#include <map>
#include <set>
#include <unordered_set>

#include "panmun/readers.hpp"
#include "walk.hpp"

namespace fs = boost::filesystem;

namespace panmun {
namespace {

// "size mtime": what marks a file as unchanged since it was last read.
std::string file_mark(const fs::path& file) {
    boost::system::error_code ec;
    auto size = fs::file_size(file, ec);
    auto mtime = fs::last_write_time(file, ec);
    return std::to_string(size) + " " + std::to_string(static_cast<long long>(mtime));
}

}  // namespace

bool is_syncable_file(const std::string& name) { return has_input_extension(name); }

IngestReport sync_tree(ArchiveWriter& archive, const std::string& dir, IngestOptions options,
                       const IngestProgress& progress) {
    options.existing = IngestOptions::Existing::update;
    Ingestor ingestor(archive, options, progress);
    InputReport& walk = ingestor.report().inputs.emplace_back();
    walk.input = dir;
    auto problem = [&](const std::string& where, const std::string& message) {
        ++walk.skipped;
        ++walk.problem_count;
        if (walk.problems.size() < InputReport::max_problems)
            walk.problems.push_back({{where, 0}, message});
    };
    if (!fs::is_directory(dir)) {
        problem(dir, "skipped: not a directory");
        walk.complete = false;
        return ingestor.finish();
    }

    std::map<std::string, fs::path> files;  // relative path -> file, sorted for a stable order
    std::uint64_t ignored = 0;
    boost::system::error_code sec;
    for (auto& [rel, path] : files_under(dir, problem)) {
        if (!is_syncable_file(fs::path(rel).filename().string())) {
            ++ignored;
            continue;
        }
        files[rel] = path;
        ingestor.expect_bytes(fs::file_size(path, sec));
    }
    if (ignored) {
        ++walk.problem_count;
        walk.problems.push_back(
            {{dir, 0},
             "note: " + std::to_string(ignored) + " file(s) of no known input format ignored"});
    }

    for (const auto& [rel, path] : files) {
        std::string mark = file_mark(path);
        if (archive.file_mark(rel) == mark) continue;  // unchanged since the last sync
        std::vector<std::string> before = archive.ids_from(rel), now;
        InputReport& r = ingestor.read(path.string(), rel, &now);
        if (!r.complete) continue;  // keep its documents; the next sync tries again
        std::unordered_set<std::string> present(now.begin(), now.end());
        std::vector<std::string> missing;
        for (const auto& id : before)
            if (!present.count(id)) missing.push_back(id);
        if (r.skipped) {
            // A record that could not be read may be one of those documents (a line cut short,
            // a --map that finds no text): keep them all, and read the file again next time.
            if (!missing.empty())
                ingestor.note(r, {path.string(), 0},
                              "note: " + std::to_string(missing.size()) +
                                  " archived document(s) of this file not read again were kept, "
                                  "since " +
                                  std::to_string(r.skipped) +
                                  " of its records were skipped; the next sync reads it again");
            continue;
        }
        std::uint64_t gone = 0;
        for (const auto& id : missing)
            if (archive.remove(id)) ++gone;
        ingestor.deleted(gone);
        archive.set_file_mark(rel, mark);
    }
    // Files that were synced before and are no longer in the tree.
    for (const std::string& rel : archive.marked_files()) {
        if (files.count(rel)) continue;
        std::uint64_t gone = 0;
        for (const auto& id : archive.ids_from(rel))
            if (archive.remove(id)) ++gone;
        ingestor.deleted(gone);
        archive.set_file_mark(rel, "");
    }
    return ingestor.finish();
}

}  // namespace panmun
