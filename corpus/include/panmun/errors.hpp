// The one exception hierarchy of panmun. Programs catch these at main(), print one line and
// map the kind to a documented exit code (see exit_code()).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace panmun {

// Base of every error panmun reports to a user. what() is one complete sentence-like line.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The command line or a query is wrong: the user can fix it by changing what they typed.
class UsageError : public Error {
public:
    using Error::Error;
};

// One input record cannot be used. Carries where it was found (file and line or record number).
// Readers report these per record and go on; only --strict style callers turn them fatal.
class InputError : public Error {
public:
    InputError(std::string file, std::uint64_t line, const std::string& reason);
    const std::string& file() const { return file_; }
    std::uint64_t line() const { return line_; }
    const std::string& reason() const { return reason_; }

private:
    std::string file_;
    std::uint64_t line_;
    std::string reason_;
};

// An archive cannot be opened or is damaged: names the path and what is wrong.
class ArchiveError : public Error {
public:
    ArchiveError(const std::string& path, const std::string& problem);
};

// Another process holds the archive's writer lock.
class ArchiveLockedError : public ArchiveError {
public:
    using ArchiveError::ArchiveError;
};

// Stored bytes fail their checksum or do not decompress: never returned as text.
class CorruptDataError : public ArchiveError {
public:
    using ArchiveError::ArchiveError;
};

// Exit codes shared by both programs (documented in README.md and --help).
enum ExitCode : int {
    exit_ok = 0,
    exit_no_match = 1,  // panmun-query: the query matched nothing (like grep)
    exit_skipped = 1,   // panmun-index: some input records were skipped
    exit_usage = 2,     // bad options, bad query syntax, or (panmun-query) any error
    exit_locked = 3,    // the archive is being updated by another process
    exit_damaged = 4,   // the archive is damaged, of another format version, or an I/O
                        // error (disk full) stopped an update at its last commit
};

}  // namespace panmun
