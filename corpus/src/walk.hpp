// The directory walk shared by ingest (directory inputs) and sync (internal to the library).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace panmun {

// Regular files under `dir` as (path relative to dir, path), sorted by relative path. Directory
// symlinks are followed, never into a directory twice; hidden entries (".name") are passed
// over; what cannot be read, and symlink loops, are reported through `problem(path, message)`.
std::vector<std::pair<std::string, std::string>> files_under(
    const std::string& dir,
    const std::function<void(const std::string&, const std::string&)>& problem);

}  // namespace panmun
