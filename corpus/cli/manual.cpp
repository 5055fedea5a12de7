// Manual page (pandoc Markdown) and bash/zsh completions from a program's CLI11 definitions.
#include "manual.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "panmun/version.hpp"

namespace panmun::cli {
namespace {

std::vector<const CLI::App*> subcommands(const CLI::App& app) {
    return app.get_subcommands([](const CLI::App*) { return true; });
}

// The options --help lists (a hidden one has no group): the positionals, or all the others.
std::vector<const CLI::Option*> visible_options(const CLI::App& app, bool positional) {
    return app.get_options([positional](const CLI::Option* o) {
        return !o->get_group().empty() && o->get_positional() == positional;
    });
}

bool is_flag(const CLI::Option& o) { return !o.get_positional() && o.get_expected_max() == 0; }

// The items of `list` with `separator` between them.
std::string join(const std::vector<std::string>& list, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i) out += separator;
        out += list[i];
    }
    return out;
}

// "-a", "--archive": an option's names as written on a command line.
std::vector<std::string> option_names(const CLI::Option& o) {
    std::vector<std::string> out;
    for (const auto& s : o.get_snames()) out.push_back("-" + s);
    for (const auto& l : o.get_lnames()) out.push_back("--" + l);
    return out;
}

// What a value of the option completes to.
enum class Completion { none, choices, directories, files };

// The choices of an option checked by CLI::IsMember or CLI::CheckedTransformer, read from its
// type name ("TEXT:{person,org}", "ENUM:value in {auto->0,year->1} OR {0,1}").
std::vector<std::string> choices(const CLI::Option& o) {
    const std::string type = o.get_type_name();
    const std::size_t open = type.find('{'), close = type.find('}', open);
    std::vector<std::string> out;
    if (open == std::string::npos || close == std::string::npos) return out;
    std::stringstream items(type.substr(open + 1, close - open - 1));
    for (std::string item; std::getline(items, item, ',');) {
        item = item.substr(0, item.find("->"));
        if (!item.empty() && item.find_first_of(" \t\\") == std::string::npos) out.push_back(item);
    }
    return out;
}

Completion completion_of(const CLI::Option& o) {
    if (is_flag(o)) return Completion::none;
    const auto& l = o.get_lnames();
    if (std::find(l.begin(), l.end(), "archive") != l.end() || o.get_name(true) == "dir")
        return Completion::directories;
    if (!choices(o).empty()) return Completion::choices;
    if (o.get_type_name().find("FILE") != std::string::npos || o.get_name(true) == "inputs" ||
        std::find(l.begin(), l.end(), "file") != l.end())
        return Completion::files;
    return Completion::none;
}

// What an option's value is called in the manual: its choices ("{auto,year,month,day}"), else
// its type as --help shows it ("TEXT:DATE").
std::string value_name(const CLI::Option& o) {
    const std::vector<std::string> list = choices(o);
    return list.empty() ? o.get_type_name() : "{" + join(list, ",") + "}";
}

// Markdown with every ASCII punctuation character escaped: the text stays as written.
std::string md(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (std::ispunct(static_cast<unsigned char>(c))) out += '\\';
        out += c;
    }
    return out;
}

std::string option_markdown(const CLI::Option& o) {
    std::string head = o.get_positional() ? "*" + md(o.get_name(true)) + "*" : "";
    if (!o.get_positional()) {
        for (const auto& s : o.get_snames())
            head += (head.empty() ? "" : ", ") + ("**" + md("-" + s) + "**");
        for (const auto& l : o.get_lnames())
            head += (head.empty() ? "" : ", ") + ("**" + md("--" + l) + "**");
        if (!is_flag(o)) head += " *" + md(value_name(o)) + "*";
    }
    std::string body = md(o.get_description());
    std::vector<std::string> notes;
    if (!o.get_default_str().empty() && !is_flag(o))
        notes.push_back("default: " + o.get_default_str());
    if (o.get_required()) notes.push_back("required");
    if (!o.get_envname().empty()) notes.push_back("from $" + o.get_envname() + " if not given");
    if (o.get_expected_max() > 1)
        notes.push_back(o.get_positional() ? "one or more" : "repeatable");
    if (!notes.empty()) body += " (" + md(join(notes, "; ")) + ")";
    return head + "\n:   " + body + "\n\n";
}

std::string usage_line(const CLI::App& app, const CLI::App& sub) {
    std::string out = "**" + md(app.get_name()) + " " + md(sub.get_name()) + "** \\[*OPTIONS*\\]";
    for (const CLI::Option* p : visible_options(sub, true)) {
        std::string name =
            "*" + md(p->get_name(true)) + "*" + (p->get_expected_max() > 1 ? "..." : "");
        out += " " + (p->get_required() ? name : "\\[" + name + "\\]");
    }
    return out + "\n\n";
}

std::string commands_markdown(const CLI::App& app) {
    std::string out;
    for (const CLI::App* sub : subcommands(app)) {
        out += "## " + md(sub->get_name()) + "\n\n" + md(sub->get_description()) + "\n\n";
        out += usage_line(app, *sub);
        for (const CLI::Option* p : visible_options(*sub, true)) out += option_markdown(*p);
        for (const CLI::Option* o : visible_options(*sub, false)) out += option_markdown(*o);
        const std::string footer = sub->get_footer();
        if (!footer.empty()) out += "```\n" + footer + "\n```\n\n";
    }
    return out;
}

std::string replace_all(std::string text, std::string_view from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The shell function's name: "_panmun_query".
std::string function_name(const CLI::App& app) {
    std::string name = "_" + app.get_name();
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

// zsh _arguments wants [ ] : \ escaped in descriptions; the spec sits in single quotes.
std::string zsh_text(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '[' || c == ']' || c == ':' || c == '\\') out += '\\';
        if (c == '\'') {
            out += "'\\''";
            continue;
        }
        out += c;
    }
    return out;
}

std::string zsh_action(const CLI::Option& o) {
    switch (completion_of(o)) {
        case Completion::directories:
            return "_files -/";
        case Completion::files:
            return "_files";
        case Completion::choices:
            return "(" + join(choices(o), " ") + ")";
        case Completion::none:
            break;
    }
    return " ";
}

}  // namespace

std::string manual_markdown(const CLI::App& app, const std::string& man_template) {
    std::string out = replace_all(man_template, "@COMMANDS@", commands_markdown(app));
    return replace_all(out, "@VERSION@", version());
}

std::string bash_completion(const CLI::App& app) {
    const std::string fn = function_name(app);
    std::vector<std::string> commands, top_options;  // the program's own: --help, --version
    for (const CLI::App* sub : subcommands(app)) commands.push_back(sub->get_name());
    for (const CLI::Option* o : visible_options(app, false))
        for (const std::string& name : option_names(*o)) top_options.push_back(name);
    std::ostringstream out;
    out << "# bash completion for " << app.get_name() << " (panmun " << version()
        << "), written from its command line definitions by `" << app.get_name()
        << " --generate bash`.\n"
        << fn << "() {\n"
        << "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
        << "    local command=\"\" i\n"
        << "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        << "        case ${COMP_WORDS[i]} in\n"
        << "        " << join(commands, "|") << ") command=${COMP_WORDS[i]}; break ;;\n"
        << "        esac\n"
        << "    done\n"
        << "    if [[ -z $command ]]; then\n"
        << "        COMPREPLY=($(compgen -W \"" << join(commands, " ") << " "
        << join(top_options, " ") << "\" -- \"$cur\"))\n"
        << "        return\n"
        << "    fi\n"
        << "    local options=\"\" positional=none\n"
        << "    case $command in\n";
    for (const CLI::App* sub : subcommands(app)) {
        std::vector<std::string> all;
        std::string values;
        for (const CLI::Option* o : visible_options(*sub, false)) {
            const std::vector<std::string> names = option_names(*o);
            all.insert(all.end(), names.begin(), names.end());
            if (is_flag(*o)) continue;
            std::string action = "return";  // a value nobody can guess: nothing to offer
            switch (completion_of(*o)) {
                case Completion::directories:
                    action =
                        "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")); "
                        "return";
                    break;
                case Completion::files:
                    action =
                        "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); "
                        "return";
                    break;
                case Completion::choices:
                    action = "COMPREPLY=($(compgen -W \"" + join(choices(*o), " ") +
                             "\" -- \"$cur\")); return";
                    break;
                case Completion::none:
                    break;
            }
            values += "            " + join(names, "|") + ") " + action + " ;;\n";
        }
        std::string positional = "none";
        for (const CLI::Option* p : visible_options(*sub, true))
            if (completion_of(*p) == Completion::files)
                positional = "files";
            else if (completion_of(*p) == Completion::directories)
                positional = "directories";
        out << "    " << sub->get_name() << ")\n"
            << "        options=\"" << join(all, " ") << "\" positional=" << positional << "\n";
        if (!values.empty()) out << "        case $prev in\n" << values << "        esac\n";
        out << "        ;;\n";
    }
    out << "    esac\n"
        << "    if [[ $cur == -* ]]; then\n"
        << "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
        << "    elif [[ $positional == files ]]; then\n"
        << "        compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))\n"
        << "    elif [[ $positional == directories ]]; then\n"
        << "        compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\"))\n"
        << "    fi\n"
        << "}\n"
        << "complete -F " << fn << " " << app.get_name() << "\n";
    return out.str();
}

std::string zsh_completion(const CLI::App& app) {
    const std::string fn = function_name(app);
    std::ostringstream out;
    out << "#compdef " << app.get_name() << "\n"
        << "# zsh completion for " << app.get_name() << " (panmun " << version()
        << "), written from its command line definitions by `" << app.get_name()
        << " --generate zsh`.\n"
        << fn << "() {\n"
        << "    local -a commands\n"
        << "    commands=(\n";
    for (const CLI::App* sub : subcommands(app))
        out << "        '" << sub->get_name() << ":" << zsh_text(sub->get_description()) << "'\n";
    out << "    )\n"
        << "    if (( CURRENT == 2 )); then\n"
        << "        _describe -t commands command commands\n"
        << "        return\n"
        << "    fi\n"
        << "    local command=$words[2]\n"
        << "    shift words\n"
        << "    (( CURRENT-- ))\n"
        << "    curcontext=\"${curcontext%:*:*}:" << app.get_name() << "-$command:\"\n"
        << "    case $command in\n";
    for (const CLI::App* sub : subcommands(app)) {
        out << "    " << sub->get_name() << ")\n        _arguments -s -S";
        for (const CLI::Option* o : visible_options(*sub, false)) {
            const std::vector<std::string> all = option_names(*o);
            const std::string description = "[" + zsh_text(o->get_description()) + "]";
            const std::string value =
                is_flag(*o) ? "" : ":" + zsh_text(o->get_single_name()) + ":" + zsh_action(*o);
            const std::string repeat = o->get_expected_max() > 1 ? "*" : "";
            if (all.size() == 1) {
                out << " \\\n            '" << repeat << all[0] << description << value << "'";
            } else {
                out << " \\\n            '"
                    << (repeat.empty() ? "(" + join(all, " ") + ")" : repeat) << "'{"
                    << join(all, ",") << "}'" << description << value << "'";
            }
        }
        for (const CLI::Option* p : visible_options(*sub, true))
            out << " \\\n            '" << (p->get_expected_max() > 1 ? "*" : "") << ":"
                << zsh_text(p->get_name(true)) << ":" << zsh_action(*p) << "'";
        out << "\n        ;;\n";
    }
    out << "    esac\n"
        << "}\n"
        << fn << " \"$@\"\n";
    return out.str();
}

bool generate_requested(const CLI::App& app, int argc, char** argv, int& status) {
    if (argc < 3 || std::string_view(argv[1]) != "--generate") return false;
    const std::string_view what = argv[2];
    status = 0;
    if (what == "man" && argc == 4) {
        std::ifstream in(argv[3]);
        if (!in) {
            std::cerr << app.get_name() << ": cannot read " << argv[3] << "\n";
            status = 2;
            return true;
        }
        std::cout << manual_markdown(app, std::string(std::istreambuf_iterator<char>(in), {}));
    } else if (what == "bash" && argc == 3) {
        std::cout << bash_completion(app);
    } else if (what == "zsh" && argc == 3) {
        std::cout << zsh_completion(app);
    } else {
        std::cerr << app.get_name() << ": --generate man TEMPLATE | bash | zsh\n";
        status = 2;
    }
    return true;
}

}  // namespace panmun::cli
