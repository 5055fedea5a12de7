// panmun-query: searches an archive and shows its documents. Parses options, calls the corpus
// library, prints (corpus/cli: results.cpp, reports.cpp). Exit status like grep: 0 something found,
// 1 nothing found, 2 error.
#include <fstream>
#include <iostream>
#include <iterator>

#include "entity_reports.hpp"
#include "options.hpp"
#include "panmun/archive.hpp"
#include "panmun/entity_report.hpp"
#include "panmun/errors.hpp"
#include "panmun/schema.hpp"
#include "panmun/search.hpp"
#include "panmun/timeline.hpp"
#include "query_options.hpp"
#include "reports.hpp"
#include "results.hpp"
#include "serve.hpp"

namespace {

using namespace panmun;

constexpr const char* exit_footer =
    "Exit status: 0 something found, 1 nothing found, 2 error (bad query, unreadable archive).";

struct SearchCommand {
    CLI::App* cmd = nullptr;
    cli::ArchivesOption archives;
    cli::SearchOptions options;
    cli::OutputOptions output;
    cli::TerminalOptions terminal;
    std::vector<std::string> words;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("search", "Ranked full-text search (BM25) with snippets");
        std::string fields;
        for (const schema::QueryField& f : schema::query_fields())
            fields += "  " + std::string(f.help) + "\n";
        cmd->footer(
            "QUERY words must all match; \"quoted phrases\" match in order; AND, OR, XOR,\n"
            "NOT (or -word), NEAR/n and ADJ/n (words or phrases at most n words apart),\n"
            "( ) and wildcards (nucle*) work as docs/QUERY.md describes. Fields:\n" +
            fields +
            "Filters (every field but title:) restrict the whole query, or the ( ) group\n"
            "they stand in. Several QUERY arguments are joined with spaces.\n" +
            std::string(exit_footer));
        archives.add_to(*cmd);
        cmd->add_option("query", words, "The query")->required();
        options.add_to(*cmd);
        output.add_to(*cmd);
        terminal.add_to(*cmd);
    }

    int run() {
        terminal.apply();
        SearchRequest request;
        for (const auto& w : words) request.query += (request.query.empty() ? "" : " ") + w;
        options.apply(request);
        output.apply(request);
        output.facets = request.facets;
        ArchiveReader reader(archives.chosen());
        return output.print(search(reader, request, output.highlight()), std::cout);
    }
};

struct LikeCommand {
    CLI::App* cmd = nullptr;
    cli::ArchivesOption archives;
    cli::LikeOptions options;
    cli::OutputOptions output;
    cli::TerminalOptions terminal;
    std::string id, file;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand(
            "like", "Articles most similar to an archived one, a file, or text on stdin (-)");
        cmd->footer(
            std::string("The example's most distinctive words (relevance feedback) are searched\n"
                        "for; near-duplicates show as one hit. With --before, \"what happened\n"
                        "before this?\".\n") +
            exit_footer);
        archives.add_to(*cmd);
        auto* id_opt =
            cmd->add_option("id", id, "Id of an archived article, or - to read text from stdin");
        auto* file_opt = cmd->add_option("-f,--file", file, "Read the example text from FILE");
        id_opt->excludes(file_opt);
        options.add_to(*cmd);
        output.add_to(*cmd);
        terminal.add_to(*cmd);
    }

    int run() {
        terminal.apply();
        LikeRequest request;
        if (!file.empty()) {
            std::ifstream in(file, std::ios::binary);
            if (!in) throw UsageError("cannot read " + file);
            request.text.assign(std::istreambuf_iterator<char>(in), {});
        } else if (id == "-") {
            request.text.assign(std::istreambuf_iterator<char>(std::cin), {});
        } else if (!id.empty()) {
            request.id = id;
        } else {
            throw UsageError("like: give an article id, --file FILE, or - for stdin");
        }
        options.apply(request);
        output.apply(request);
        ArchiveReader reader(archives.chosen());
        return output.print(like(reader, request, output.highlight()), std::cout);
    }
};

struct ShowCommand {
    CLI::App* cmd = nullptr;
    cli::ArchivesOption archives;
    cli::JsonOption json;
    cli::TerminalOptions terminal;
    std::string id;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("show", "Print one document: metadata and full text");
        cmd->footer("Exit status: 0 shown, 1 no document with that id, 2 error.");
        archives.add_to(*cmd);
        cmd->add_option("id", id, "Document id (as printed by search)")->required();
        json.add_to(*cmd);
        terminal.add_to(*cmd);
    }

    int run() {
        ArchiveReader reader(archives.chosen());
        auto found = reader.find_with_archive(id);
        if (!found) {
            std::cerr << "panmun-query: no document with id '" << id << "' in " << reader.name()
                      << "\n";
            return exit_no_match;
        }
        const auto& [doc, in] = *found;
        terminal.apply();
        // With several archives, which one it is in (the first that has the id).
        const bool several = reader.archive_count() > 1;
        if (json.json) {
            nlohmann::json j = cli::document_json(doc, true);
            if (several) j["archive"] = in;
            std::cout << j.dump(2) << "\n";
        } else {
            std::cout << (several ? "archive: " + in + "\n" : "") << cli::document_text(doc);
        }
        return exit_ok;
    }
};

struct EntitiesCommand {
    CLI::App* cmd = nullptr;
    cli::ArchivesOption archives;
    cli::JsonOption json;
    cli::TerminalOptions terminal;
    bool csv = false;
    std::string type;
    std::size_t top = 50;
    bool discover = false, gazetteer = false;
    Xapian::doccount scan = 20000;
    std::string lang = "en";
    std::string with, from, to;
    DateBucket by = DateBucket::automatic;
    std::vector<std::string> words;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("entities", "The gazetteer's entities in an archive, with counts");
        cmd->footer(
            "Lists the people, organisations, places and events the archive names, with the\n"
            "number of documents for each (use them as person:ID, org:ID, place:ID, event:ID).\n"
            "With --with ENTITY: the entities named in the documents that name it, counted in\n"
            "total and by year, month or day (--by), e.g. --with person:kim-jong-un --by year.\n"
            "With --discover: frequent capitalised names (and Hangul names before a title)\n"
            "that no entity covers, to extend the gazetteer with (--gazetteer writes them as\n"
            "gazetteer lines for `panmun-index retag --entities`).\n"
            "QUERY narrows --with and --discover to the documents that match it.\n"
            "Exit status: 0 done, 2 error.");
        archives.add_to(*cmd);
        cmd->add_option("query", words, "Only documents matching this query (--with, --discover)");
        cmd->add_option("--type", type, "Only this type: person, org, place or event")
            ->check(CLI::IsMember({"person", "org", "place", "event"}));
        cmd->add_option("--top", top, "How many to list")->capture_default_str();
        auto* with_opt = cmd->add_option(
            "--with", with, "Entities named together with this one (person:ID, org:ID, ...)");
        cmd->add_option("--by", by, "--with: count by auto (by the span), year, month or day")
            ->transform(CLI::CheckedTransformer(cli::date_buckets()))
            ->default_str("auto");
        cmd->add_option("--from", from, "--with: only documents dated on or after")
            ->check(cli::date_value());
        cmd->add_option("--to", to, "--with: only documents dated on or before")
            ->check(cli::date_value());
        auto* discover_opt =
            cmd->add_flag("--discover", discover, "List frequent names that no entity covers");
        discover_opt->excludes(with_opt);
        cmd->add_flag("--gazetteer", gazetteer,
                      "--discover: print the names as gazetteer lines to edit and retag with");
        cmd->add_option("--scan", scan, "--discover reads this many documents (or hits)")
            ->capture_default_str();
        cmd->add_option("--lang", lang, "Language of the names: en or ko")
            ->check(CLI::IsMember({"ko", "en"}))
            ->capture_default_str();
        json.add_to(*cmd);
        cmd->add_flag("--csv", csv, "--with: CSV, a row per entity and date bucket")
            ->excludes(cmd->get_option("--json"));
        terminal.add_to(*cmd);
    }

    int run() {
        terminal.apply();
        std::string query;
        for (const auto& w : words) query += (query.empty() ? "" : " ") + w;
        if (!query.empty() && !discover && with.empty())
            throw UsageError("entities: a QUERY narrows --with or --discover; give one of them");
        if (csv && with.empty()) throw UsageError("entities: --csv is for --with");
        ArchiveReader reader(archives.chosen());
        if (discover) {
            auto names = discover_names(reader, top, scan, query);
            if (json.json)
                std::cout << cli::discovered_json(reader.name(), query, names).dump(2) << "\n";
            else
                cli::print_discovered(names, gazetteer, std::cout);
            return exit_ok;
        }
        if (!with.empty()) {
            CooccurrenceRequest request;
            request.with = with;
            request.query = query;
            request.dates = cli::date_range(from, to);
            request.by = by;
            request.top = top;
            if (!type.empty())
                for (EntityType t : entity_types)
                    request.types[static_cast<int>(t)] = entity_type_name(t) == type;
            const CooccurrenceResult r = cooccurrence(reader, request);
            if (json.json)
                std::cout << cli::cooccurrence_json(reader.name(), request, r, lang).dump(2)
                          << "\n";
            else if (csv)
                std::cout << cli::cooccurrence_csv(r, lang);
            else
                cli::print_cooccurrence(r, lang, std::cout);
            return exit_ok;
        }
        const auto list = entities_in(reader);
        if (json.json)
            std::cout << cli::entities_json(reader.name(), list, type, top, lang).dump(2) << "\n";
        else
            cli::print_entities(list, type, top, lang, std::cout);
        return exit_ok;
    }
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("panmun-query: search a panmun archive of news articles", "panmun-query");
    app.require_subcommand(1);
    cli::Commands commands;
    commands.add<SearchCommand>(app);
    commands.add<LikeCommand>(app);
    commands.add<ShowCommand>(app);
    commands.add<EntitiesCommand>(app);
    commands.add<ServeCommand>(app);
    return cli::run(app, argc, argv, cli::ErrorStyle::grep, [&] { return commands.run_chosen(); });
}
