// panmun-query: searches an archive and shows its documents. Parses options, calls the corpus
// library, prints. Exit status like grep: 0 something found, 1 nothing found, 2 error.
#include <iostream>

#include "options.hpp"
#include "panmun/archive.hpp"
#include "panmun/errors.hpp"
#include "panmun/search.hpp"

namespace {

using namespace panmun;

constexpr const char* exit_footer =
    "Exit status: 0 something found, 1 nothing found, 2 error (bad query, unreadable archive).";

struct SearchCommand {
    CLI::App* cmd = nullptr;
    cli::ArchiveOption archive;
    cli::JsonOption json;
    std::vector<std::string> words;
    Xapian::doccount limit = 10;
    Xapian::doccount offset = 0;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("search", "Ranked full-text search (BM25) with snippets");
        cmd->footer(std::string(
                        "QUERY words must all match; \"quoted phrases\" match in order; AND, OR,\n"
                        "NOT, NEAR, wildcards (nucle*) and the fields title:, source:, lang:, id:\n"
                        "work as described in docs/QUERY.md. Several QUERY arguments are joined\n"
                        "with spaces.\n") +
                    exit_footer);
        archive.add_to(*cmd);
        cmd->add_option("query", words, "The query")->required();
        cmd->add_option("-n,--limit", limit, "Hits to show")->capture_default_str();
        cmd->add_option("--offset", offset, "Hits to skip first (for paging)")->capture_default_str();
        json.add_to(*cmd);
    }

    int run() {
        ArchiveReader reader(archive.path);
        SearchRequest request;
        for (const auto& w : words) request.query += (request.query.empty() ? "" : " ") + w;
        request.offset = offset;
        request.limit = limit;
        Highlight marks;
        const bool colour = !json.json && cli::stdout_is_terminal();
        if (colour) {
            marks.start = "\033[1;33m";
            marks.end = "\033[0m";
        }
        SearchResult result = search(reader, request, marks);
        if (json.json) {
            nlohmann::json hits = nlohmann::json::array();
            for (const Hit& h : result.hits) {
                nlohmann::json j = cli::to_json(h.document, false);
                j["rank"] = h.rank;
                j["score"] = h.score;
                j["snippet"] = h.snippet;
                hits.push_back(std::move(j));
            }
            nlohmann::json out = {{"query", result.query}, {"total", result.total},
                                  {"offset", offset},      {"limit", limit},
                                  {"hits", hits}};
            std::cout << out.dump(2) << "\n";
        } else {
            print_text(result, colour);
        }
        return result.total ? exit_ok : exit_no_match;
    }

    void print_text(const SearchResult& result, bool colour) const {
        const char* bold = colour ? "\033[1m" : "";
        const char* plain = colour ? "\033[0m" : "";
        std::cout << result.total << (result.total == 1 ? " match" : " matches") << " for "
                  << result.query;
        if (!result.hits.empty())
            std::cout << " (showing " << result.hits.front().rank << "-" << result.hits.back().rank
                      << ")";
        std::cout << "\n";
        for (const Hit& h : result.hits) {
            const Document& d = h.document;
            char score[32];
            std::snprintf(score, sizeof score, "%.2f", h.score);
            std::cout << "\n"
                      << h.rank << ". " << bold << (d.title.empty() ? "(untitled)" : d.title)
                      << plain << "\n   " << (d.date.is_set() ? d.date.iso() : "undated") << " | "
                      << (d.source.empty() ? "unknown source" : d.source) << " | " << d.id
                      << " | score " << score << "\n   " << h.snippet << "\n";
        }
    }
};

struct ShowCommand {
    cli::ArchiveOption archive;
    cli::JsonOption json;
    std::string id;

    void add_to(CLI::App& app) {
        auto* cmd = app.add_subcommand("show", "Print one document: metadata and full text");
        cmd->footer("Exit status: 0 shown, 1 no document with that id, 2 error.");
        archive.add_to(*cmd);
        cmd->add_option("id", id, "Document id (as printed by search)")->required();
        json.add_to(*cmd);
    }

    int run() {
        ArchiveReader reader(archive.path);
        std::optional<Document> doc = reader.find(id);
        if (!doc) {
            std::cerr << "panmun-query: no document with id '" << id << "' in " << archive.path
                      << "\n";
            return exit_no_match;
        }
        if (json.json) {
            std::cout << cli::to_json(*doc, true).dump(2) << "\n";
            return exit_ok;
        }
        std::cout << "id:     " << doc->id << "\ntitle:  " << doc->title
                  << "\ndate:   " << (doc->date.is_set() ? doc->date.iso() : "undated")
                  << "\nsource: " << doc->source << "\nurl:    " << doc->url
                  << "\nlang:   " << doc->lang << "\n\n"
                  << doc->text << "\n";
        return exit_ok;
    }
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("panmun-query: search a panmun archive of news articles", "panmun-query");
    app.require_subcommand(1);
    SearchCommand search_cmd;
    ShowCommand show_cmd;
    search_cmd.add_to(app);
    show_cmd.add_to(app);
    return cli::run(app, argc, argv, cli::ErrorStyle::grep, [&] {
        if (app.got_subcommand("search")) return search_cmd.run();
        return show_cmd.run();
    });
}
