// Option groups and program plumbing shared by panmun-index and panmun-query: each group is a
// small struct that registers its CLI11 options, so every subcommand spells them the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "panmun/document.hpp"

namespace panmun::cli {

// --archive A, defaulting to $PANMUN_ARCHIVE.
struct ArchiveOption {
    std::string path;
    void add_to(CLI::App& app);
};

// panmun-query's archives, searched as one: --archive A, repeatable (default $PANMUN_ARCHIVE),
// and --archives FILE, a list of archive paths, one a line (blank lines and # comments skipped;
// a relative path is relative to the list's directory).
struct ArchivesOption {
    std::vector<std::string> paths;
    std::string list;
    void add_to(CLI::App& app);
    // The archives given, in order: --archive's, then the list's. Throws UsageError if there
    // are none or the list cannot be read.
    std::vector<std::string> chosen() const;
};

// --quiet, and whether progress may be drawn (only on a terminal, never when quiet).
struct QuietOption {
    bool quiet = false;
    void add_to(CLI::App& app);
    bool progress_wanted() const;
};

// --json: one JSON document on standard output instead of text for people.
struct JsonOption {
    bool json = false;
    void add_to(CLI::App& app);
};

// --color=auto|always|never and --no-pager, for the commands whose text output is for people.
// apply() settles colour (NO_COLOR counts as --color=never unless --color is given) and starts
// the pager when standard output is a terminal: PANMUN_PAGER, else PAGER, else less (with
// LESS=FRX unless LESS is set, so that a short output prints as it would without it); an empty
// value or "cat" pages nothing. run() waits for the pager before it returns.
struct TerminalOptions {
    std::string color = "auto";
    bool no_pager = false;
    void add_to(CLI::App& app);
    void apply() const;
};

// Whether text output is coloured: --color, NO_COLOR, and whether standard output is (or, with
// the pager, was) a terminal.
bool colour_wanted();

// A one-line progress display on standard error, redrawn at most ten times a second.
class ProgressLine {
public:
    explicit ProgressLine(bool enabled) : enabled_(enabled) {}
    ~ProgressLine() { finish(); }
    void update(const std::string& text, bool force = false);
    void finish();  // clears the line

private:
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point last_{};
};

// True if standard output is a terminal, or a pager that panmun started on one.
bool stdout_is_terminal();
// The terminal's width in columns when standard output is one, else 0.
std::size_t terminal_columns();
// `text` broken at spaces into lines of at most `columns` terminal cells (Hangul counts two,
// ANSI colour sequences none), each line after the first starting with `indent`.
std::string wrap(std::string_view text, std::size_t columns, std::string_view indent);

// A program's subcommands and what each runs: each Command registers itself (add_to(app), which
// sets its `cmd`) and runs when chosen (run(), returning the exit status). The commands live as
// long as this object.
class Commands {
public:
    template <class Command>
    Command& add(CLI::App& app) {
        auto command = std::make_shared<Command>();
        command->add_to(app);
        entries_.push_back({command->cmd, [command] { return command->run(); }});
        return *command;
    }
    // The chosen subcommand's run(); 2 if none was chosen (CLI11 requires one first).
    int run_chosen() const;

private:
    struct Entry {
        CLI::App* cmd;
        std::function<int()> run;
    };
    std::vector<Entry> entries_;
};

// How a program maps errors to exit codes.
enum class ErrorStyle {
    grep,     // panmun-query: every error exits 2
    indexer,  // panmun-index: usage 2, locked 3, damaged 4, unreadable input 1
};

// Parses the command line and runs the chosen subcommand's action, catching every error at
// one place: one line on standard error ("PROGRAM: what went wrong"), then the exit code.
int run(CLI::App& app, int argc, char** argv, ErrorStyle style, const std::function<int()>& action);

}  // namespace panmun::cli
