// Messages of the error hierarchy: each names where the problem is.
#include "panmun/errors.hpp"

namespace panmun {

InputError::InputError(std::string file, std::uint64_t line, const std::string& reason)
    : Error(file + (line ? ":" + std::to_string(line) : std::string()) + ": " + reason),
      file_(std::move(file)),
      line_(line),
      reason_(reason) {}

ArchiveError::ArchiveError(const std::string& path, const std::string& problem)
    : Error("archive " + path + ": " + problem) {}

}  // namespace panmun
