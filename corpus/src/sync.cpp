// sync_tree(): directory walk, per-file marks, and deletions of what disappeared.
#include "panmun/sync.hpp"

#include <boost/filesystem.hpp>
#include <map>
#include <set>
#include <unordered_set>

namespace fs = boost::filesystem;

namespace panmun {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "size mtime": what marks a file as unchanged since it was last read.
std::string file_mark(const fs::path& file) {
    boost::system::error_code ec;
    auto size = fs::file_size(file, ec);
    auto mtime = fs::last_write_time(file, ec);
    return std::to_string(size) + " " + std::to_string(static_cast<long long>(mtime));
}

}  // namespace

bool is_syncable_file(const std::string& name) {
    std::string base = name;
    for (const char* z : {".zst", ".gz", ".bz2", ".xz"})
        if (ends_with(base, z)) {
            base.resize(base.size() - std::string(z).size());
            break;
        }
    for (const char* ext : {".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".html", ".htm", ".txt",
                            ".sgm", ".sgml", ".xml", ".nitf"})
        if (ends_with(base, ext)) return true;
    return false;
}

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

    // Walk the tree, following directory symlinks but never into a directory twice.
    std::map<std::string, fs::path> files;  // relative path -> file, sorted for a stable order
    std::set<fs::path> entered{fs::canonical(dir)};
    std::uint64_t ignored = 0;
    boost::system::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec), end;
    if (ec) problem(dir, "cannot read: " + ec.message());
    for (; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        boost::system::error_code sec;
        fs::file_status st = it->status(sec);
        if (sec) {
            problem(p.string(), "skipped: " + sec.message());
            continue;
        }
        if (fs::is_directory(st)) {
            fs::path canonical = fs::canonical(p, sec);
            if (sec || !entered.insert(canonical).second) {
                problem(p.string(), sec ? "skipped: " + sec.message()
                                        : "skipped: symlink loop (" + canonical.string() + " already walked)");
                it.disable_recursion_pending();
            }
            continue;
        }
        if (!fs::is_regular_file(st)) continue;
        if (!is_syncable_file(p.filename().string())) {
            ++ignored;
            continue;
        }
        files[fs::relative(p, dir).generic_string()] = p;
        ingestor.expect_bytes(fs::file_size(p, sec));
    }
    if (ec) problem(dir, "walk stopped: " + ec.message());
    if (ignored) {
        ++walk.problem_count;
        walk.problems.push_back({{dir, 0}, "note: " + std::to_string(ignored) +
                                               " file(s) of no known input format ignored"});
    }

    for (const auto& [rel, path] : files) {
        std::string mark = file_mark(path);
        if (archive.file_mark(rel) == mark) continue;  // unchanged since the last sync
        std::vector<std::string> before = archive.ids_from(rel), now;
        InputReport& r = ingestor.read(path.string(), rel, &now);
        if (!r.complete) continue;  // keep its documents; the next sync tries again
        std::unordered_set<std::string> present(now.begin(), now.end());
        std::uint64_t gone = 0;
        for (const auto& id : before)
            if (!present.count(id) && archive.remove(id)) ++gone;
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
