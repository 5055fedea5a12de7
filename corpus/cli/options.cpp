// Shared option groups, progress line, JSON form of documents and the error-to-exit-code map.
#include "options.hpp"

#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <boost/filesystem.hpp>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "manual.hpp"
#include "panmun/archive.hpp"
#include "panmun/errors.hpp"
#include "panmun/unicode.hpp"
#include "panmun/version.hpp"

namespace fs = boost::filesystem;

namespace panmun::cli {

void ArchiveOption::add_to(CLI::App& app) {
    app.add_option("-a,--archive", path, "Archive directory (NAME.panmun); default $PANMUN_ARCHIVE")
        ->envname("PANMUN_ARCHIVE")
        ->required()
        ->check([](const std::string& name) {
            return is_remote_shard(name) ? name +
                                               " is a remote shard: update, verify or inspect "
                                               "it on its host, with panmun-index there"
                                         : std::string();
        })
        // "a.panmun/" is a.panmun: what is built beside it (build, compact --shards) is named
        // after it.
        ->transform([](std::string name) {
            while (name.size() > 1 && name.back() == '/') name.pop_back();
            return name;
        });
}

void ArchivesOption::add_to(CLI::App& app) {
    app.add_option("-a,--archive", paths,
                   "Archive directory (NAME.panmun), or a remote shard "
                   "(tcp://HOST:PORT?texts=http://HOST:PORT); repeat to search several as one; "
                   "default $PANMUN_ARCHIVE")
        ->envname("PANMUN_ARCHIVE")
        ->allow_extra_args(false);  // one value each: what follows is the query or the id
    app.add_option("--archives", list,
                   "File listing archive directories (or remote shards, tcp://...), one a line, "
                   "searched as one");
}

std::vector<std::string> ArchivesOption::chosen() const {
    std::vector<std::string> all = paths;
    if (!list.empty()) {
        std::ifstream in(list);
        if (!in) throw UsageError("cannot read the archive list " + list);
        const fs::path dir = fs::path(list).parent_path();
        std::string line;
        while (std::getline(in, line)) {
            const std::size_t first = line.find_first_not_of(" \t\r");
            if (first == std::string::npos || line[first] == '#') continue;
            const std::string path = line.substr(first, line.find_last_not_of(" \t\r") + 1 - first);
            all.push_back(is_remote_shard(path) || fs::path(path).is_absolute() || dir.empty()
                              ? path
                              : (dir / path).string());
        }
        if (all.size() == paths.size())
            throw UsageError("the archive list " + list + " names no archive");
    }
    if (all.empty())
        throw UsageError(
            "no archive: give --archive A (or set PANMUN_ARCHIVE), or --archives FILE");
    return all;
}

void QuietOption::add_to(CLI::App& app) {
    app.add_flag("-q,--quiet", quiet,
                 "Print nothing but results and errors (no progress, no summary)");
}

namespace {

enum class Colour { automatic, always, never };
Colour colour_setting = Colour::automatic;

// The pager this process writes its standard output to, and the terminal it writes on.
struct Pager {
    pid_t pid = -1;
    winsize window{};
};
Pager pager;

const char* environment(const char* name) { return std::getenv(name); }

// True if `command` can run: a command line with spaces or a path is trusted; a bare name must
// be on PATH (a pager that is not installed would swallow the output).
bool runnable(const std::string& command) {
    if (command.find_first_of(" /") != std::string::npos) return true;
    const char* path = environment("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    for (std::size_t from = 0; from <= dirs.size();) {
        std::size_t colon = std::min(dirs.find(':', from), dirs.size());
        std::string candidate = dirs.substr(from, colon - from) + "/" + command;
        if (::access(candidate.c_str(), X_OK) == 0) return true;
        from = colon + 1;
    }
    return false;
}

void start_pager() {
    if (pager.pid != -1 || !::isatty(STDOUT_FILENO)) return;
    const char* chosen = environment("PANMUN_PAGER");
    if (!chosen) chosen = environment("PAGER");
    const std::string command = chosen ? chosen : "less";
    if (command.empty() || command == "cat" || !runnable(command)) return;
    int fds[2];
    if (::pipe(fds) != 0) return;
    ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &pager.window);
    std::cout.flush();
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return;
    }
    if (pid == 0) {
        ::dup2(fds[0], STDIN_FILENO);
        ::close(fds[0]);
        ::close(fds[1]);
        ::setenv("LESS", "FRX", 0);
        ::setenv("LV", "-c", 0);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    // A reader who quits the pager before the end stops the output, not the program: writes
    // fail (and are dropped) instead of killing it, and it exits with its own status.
    ::signal(SIGPIPE, SIG_IGN);
    pager.pid = pid;
}

// Sends the rest of the output to the pager and waits until the reader has quit it.
void finish_pager() {
    if (pager.pid == -1) return;
    std::cout.flush();
    std::fflush(stdout);
    ::close(STDOUT_FILENO);
    int status = 0;
    while (::waitpid(pager.pid, &status, 0) < 0 && errno == EINTR) {
    }
    pager.pid = -1;
}

}  // namespace

void TerminalOptions::add_to(CLI::App& app) {
    app.add_option("--color,--colour", color,
                   "Colour in text output: auto (on a terminal, unless NO_COLOR is set), always "
                   "or never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    app.add_flag("--no-pager", no_pager,
                 "Do not page text output on a terminal (default: $PANMUN_PAGER, $PAGER or less)");
}

void TerminalOptions::apply() const {
    const char* no_colour = environment("NO_COLOR");
    if (color == "always")
        colour_setting = Colour::always;
    else if (color == "never" || (no_colour && *no_colour))
        colour_setting = Colour::never;
    else
        colour_setting = Colour::automatic;
    if (!no_pager) start_pager();
}

bool colour_wanted() {
    switch (colour_setting) {
        case Colour::always:
            return true;
        case Colour::never:
            return false;
        case Colour::automatic:
            break;
    }
    return stdout_is_terminal();
}

bool QuietOption::progress_wanted() const { return !quiet && ::isatty(STDERR_FILENO); }

void JsonOption::add_to(CLI::App& app) {
    app.add_flag("--json", json, "Write one JSON document to standard output");
}

void ProgressLine::update(const std::string& text, bool force) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (!force && drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::cerr << "\r\033[K" << text << std::flush;
    drawn_ = true;
}

void ProgressLine::finish() {
    if (drawn_) std::cerr << "\r\033[K" << std::flush;
    drawn_ = false;
}

bool stdout_is_terminal() { return pager.pid != -1 || ::isatty(STDOUT_FILENO); }

std::size_t terminal_columns() {
    if (pager.pid != -1) return pager.window.ws_col;
    struct winsize w {};
    if (!stdout_is_terminal() || ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) != 0) return 0;
    return w.ws_col;
}

std::string wrap(std::string_view text, std::size_t columns, std::string_view indent) {
    if (columns <= indent.size() + 10) return std::string(text);
    const std::size_t room = columns - indent.size();
    std::string out, line;
    std::size_t line_cells = 0;
    auto cells_of = [](std::string_view word) {
        std::size_t cells = 0;
        for (std::size_t i = 0; i < word.size();) {
            if (word[i] == '\033') {  // ESC [ ... m: no cells
                while (i < word.size() && word[i] != 'm') ++i;
                ++i;
                continue;
            }
            cells += static_cast<std::size_t>(unicode::width(unicode::next(word, i)));
        }
        return cells;
    };
    for (std::size_t from = 0; from <= text.size();) {
        std::size_t space = std::min(text.find(' ', from), text.size());
        std::string_view word = text.substr(from, space - from);
        const std::size_t cells = cells_of(word);
        if (!line.empty() && line_cells + 1 + cells > room) {
            out += line + "\n" + std::string(indent);
            line.clear();
            line_cells = 0;
        }
        if (!line.empty()) line += ' ', ++line_cells;
        line += word;
        line_cells += cells;
        from = space + 1;
    }
    return out + line;
}

int Commands::run_chosen() const {
    for (const Entry& e : entries_)
        if (*e.cmd) return e.run();
    return exit_usage;
}

int run(CLI::App& app, int argc, char** argv, ErrorStyle style,
        const std::function<int()>& action) {
    const std::string name = app.get_name();
    auto fail = [&](const std::string& message, int indexer_code) {
        finish_pager();  // the message comes after the output, not inside the pager's screen
        std::cerr << name << ": " << message << "\n";
        return style == ErrorStyle::grep ? int(exit_usage) : indexer_code;
    };
    app.set_version_flag(
        "-V,--version", [name] { return version_report(name); },
        "Print the versions of the program, the archive format and the libraries");
    if (int status = 0; generate_requested(app, argc, argv, status)) return status;
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return fail(std::string(e.what()) + " (see --help)", exit_usage);
    }
    try {
        const int status = action();
        finish_pager();
        return status;
    } catch (const UsageError& e) {
        return fail(e.what(), exit_usage);
    } catch (const ArchiveLockedError& e) {
        return fail(e.what(), exit_locked);
    } catch (const ArchiveError& e) {
        return fail(e.what(), exit_damaged);
    } catch (const InputError& e) {
        return fail(e.what(), exit_skipped);
    } catch (const Xapian::Error& e) {
        return fail("index error: " + e.get_description(), exit_damaged);
    } catch (const std::bad_alloc&) {
        return fail("out of memory", exit_damaged);
    } catch (const std::exception& e) {
        return fail(std::string("unexpected error: ") + e.what(), exit_damaged);
    }
}

}  // namespace panmun::cli
