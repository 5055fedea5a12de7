// The manual page and shell completions of a program, written from its CLI11 definitions (the
// subcommands, options, descriptions and footers that --help prints), so that they cannot drift
// from --help. The build runs `PROGRAM --generate man|bash|zsh` (dist/CMakeLists.txt); pandoc
// turns the manual's Markdown into roff.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace panmun::cli {

// `man_template` (dist/man/PROGRAM.1.md) with "@COMMANDS@" replaced by a section per subcommand
// (what it does, its usage, every option as --help shows it, and its footer) and "@VERSION@" by
// the version: pandoc Markdown.
std::string manual_markdown(const CLI::App& app, const std::string& man_template);

// A bash completion script: subcommands, each subcommand's options, the choices of options that
// take one of a set, directories for --archive, files for file arguments.
std::string bash_completion(const CLI::App& app);

// The same for zsh (#compdef), with each option's description.
std::string zsh_completion(const CLI::App& app);

// Handles `PROGRAM --generate man TEMPLATE | bash | zsh` (not listed in --help: a build step),
// writing to standard output. Returns false if argv asks for something else.
bool generate_requested(const CLI::App& app, int argc, char** argv, int& status);

}  // namespace panmun::cli
