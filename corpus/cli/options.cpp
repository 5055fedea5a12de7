// Shared option groups, progress line, JSON form of documents and the error-to-exit-code map.
#include "options.hpp"

#include <sys/ioctl.h>
#include <unistd.h>
#include <xapian.h>

#include <iostream>

#include "panmun/errors.hpp"
#include "panmun/unicode.hpp"

namespace panmun::cli {

void ArchiveOption::add_to(CLI::App& app) {
    app.add_option("-a,--archive", path, "Archive directory (NAME.panmun); default $PANMUN_ARCHIVE")
        ->envname("PANMUN_ARCHIVE")
        ->required();
}

void QuietOption::add_to(CLI::App& app) {
    app.add_flag("-q,--quiet", quiet,
                 "Print nothing but results and errors (no progress, no summary)");
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

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO); }

std::size_t terminal_columns() {
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
        std::cerr << name << ": " << message << "\n";
        return style == ErrorStyle::grep ? int(exit_usage) : indexer_code;
    };
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
        return action();
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
