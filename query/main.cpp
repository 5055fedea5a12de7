// panmun-query: searches an archive and shows its documents. Parses options, calls the corpus
// library, prints (output.cpp). Exit status like grep: 0 something found, 1 nothing found,
// 2 error.
#include <fstream>
#include <iostream>
#include <iterator>

#include "options.hpp"
#include "output.hpp"
#include "panmun/archive.hpp"
#include "panmun/entity_report.hpp"
#include "panmun/errors.hpp"
#include "panmun/schema.hpp"
#include "panmun/search.hpp"

namespace {

using namespace panmun;

constexpr const char* exit_footer =
    "Exit status: 0 something found, 1 nothing found, 2 error (bad query, unreadable archive).";

// A date option's value: YYYY, YYYY-MM or YYYY-MM-DD.
Date date_option(const std::string& option, const std::string& value) {
    if (value.size() == 4 || value.size() == 7 || value.size() == 10)
        if (auto d = Date::parse_iso(value)) return *d;
    throw UsageError(option + ": '" + value + "' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)");
}

struct SearchCommand {
    cli::ArchiveOption archive;
    query::OutputOptions output;
    std::vector<std::string> words;
    std::string from, to, sort = "relevance";
    bool collapse = false;
    std::string facets, by = "auto";
    std::size_t facet_top = FacetRequest{}.top;

    void add_to(CLI::App& app) {
        auto* cmd = app.add_subcommand("search", "Ranked full-text search (BM25) with snippets");
        std::string fields;
        for (const schema::QueryField& f : schema::query_fields())
            fields += "  " + std::string(f.help) + "\n";
        cmd->footer("QUERY words must all match; \"quoted phrases\" match in order; AND, OR, XOR,\n"
                    "NOT (or -word), NEAR/n and ADJ/n (words or phrases at most n words apart),\n"
                    "( ) and wildcards (nucle*) work as docs/QUERY.md describes. Fields:\n" + fields +
                    "Filters (every field but title:) restrict the whole query, or the ( ) group\n"
                    "they stand in. Several QUERY arguments are joined with spaces.\n" +
                    std::string(exit_footer));
        archive.add_to(*cmd);
        cmd->add_option("query", words, "The query")->required();
        cmd->add_option("--from", from, "Only articles dated on or after (YYYY, YYYY-MM, YYYY-MM-DD)");
        cmd->add_option("--to", to, "Only articles dated on or before (YYYY, YYYY-MM, YYYY-MM-DD)");
        cmd->add_option("--sort", sort, "relevance, date (oldest first) or -date (newest first)")
            ->check(CLI::IsMember({"relevance", "date", "-date"}))
            ->capture_default_str();
        cmd->add_flag("--collapse", collapse, "Show near-duplicate articles as one hit");
        cmd->add_option("--facets", facets,
                        "Count over all matches: person, org, place, event (top entities) and date "
                        "(a histogram), e.g. --facets date,person");
        cmd->add_option("--facet-top", facet_top, "Entities shown per facet")->capture_default_str();
        cmd->add_option("--by", by, "Date facet buckets: auto (by the span), year, month or day")
            ->check(CLI::IsMember({"auto", "year", "month", "day"}))
            ->capture_default_str();
        output.add_to(*cmd);
    }

    int run() {
        output.validate();
        SearchRequest request;
        for (const auto& w : words) request.query += (request.query.empty() ? "" : " ") + w;
        if (!from.empty()) request.dates.low = DateRange::of(date_option("--from", from)).low;
        if (!to.empty()) request.dates.high = DateRange::of(date_option("--to", to)).high;
        if (!from.empty() && !to.empty() && request.dates.high < request.dates.low)
            throw UsageError("--from " + from + " is after --to " + to + ": no date is in that range");
        request.sort = sort == "date" ? SortOrder::date : sort == "-date" ? SortOrder::newest
                                                                          : SortOrder::relevance;
        request.collapse = collapse;
        request.offset = output.offset;
        request.limit = output.count_only ? 0 : output.limit;
        request.fetch = output.needs_documents();
        request.facets = FacetRequest::parse(facets);
        request.facets.top = facet_top;
        request.facets.by = by == "year" ? DateBucket::year : by == "month" ? DateBucket::month
                            : by == "day" ? DateBucket::day : DateBucket::automatic;
        output.facets = request.facets;
        ArchiveReader reader(archive.path);
        return output.print(search(reader, request, output.highlight()), std::cout);
    }
};

struct LikeCommand {
    cli::ArchiveOption archive;
    query::OutputOptions output;
    std::string id, file, before, after;
    bool no_collapse = false;
    unsigned terms = LikeRequest{}.terms;

    void add_to(CLI::App& app) {
        auto* cmd = app.add_subcommand(
            "like", "Articles most similar to an archived one, a file, or text on stdin (-)");
        cmd->footer(std::string(
                        "The example's most distinctive words (relevance feedback) are searched\n"
                        "for; near-duplicates show as one hit. With --before, \"what happened\n"
                        "before this?\".\n") +
                    exit_footer);
        archive.add_to(*cmd);
        auto* id_opt = cmd->add_option("id", id, "Id of an archived article, or - to read text from stdin");
        auto* file_opt = cmd->add_option("-f,--file", file, "Read the example text from FILE");
        id_opt->excludes(file_opt);
        cmd->add_option("--before", before, "Only articles dated before (YYYY, YYYY-MM, YYYY-MM-DD)");
        cmd->add_option("--after", after, "Only articles dated after (YYYY, YYYY-MM, YYYY-MM-DD)");
        cmd->add_flag("--no-collapse", no_collapse, "Show every near-duplicate as its own hit");
        cmd->add_option("--terms", terms, "Words taken from the example")->capture_default_str();
        output.add_to(*cmd);
    }

    int run() {
        output.validate();
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
        if (!before.empty()) request.dates = DateRange::before(date_option("--before", before));
        if (!after.empty())
            request.dates = request.dates.intersect(DateRange::after(date_option("--after", after)));
        if (!before.empty() && !after.empty() && request.dates.high < request.dates.low)
            throw UsageError("--after " + after + " and --before " + before + ": no date is in between");
        request.collapse = !no_collapse;
        request.terms = terms;
        request.fetch = output.needs_documents();
        request.offset = output.offset;
        request.limit = output.count_only ? 0 : output.limit;
        ArchiveReader reader(archive.path);
        return output.print(like(reader, request, output.highlight()), std::cout);
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
                  << "\nlang:   " << doc->lang
                  << (doc->author.empty() ? "" : "\nauthor: " + doc->author)
                  << (doc->path.empty() ? "" : "\npath:   " + doc->path) << "\n\n"
                  << doc->text << "\n";
        return exit_ok;
    }
};

struct EntitiesCommand {
    cli::ArchiveOption archive;
    cli::JsonOption json;
    std::string type;
    std::size_t top = 50;
    bool discover = false;
    Xapian::doccount scan = 20000;

    void add_to(CLI::App& app) {
        auto* cmd = app.add_subcommand("entities", "The gazetteer's entities in an archive, with counts");
        cmd->footer("Lists the people, organisations, places and events the archive names, with the\n"
                    "number of documents for each (use them as person:ID, org:ID, place:ID, event:ID).\n"
                    "With --discover: frequent capitalised names (and Hangul names before a title)\n"
                    "that no entity covers, to extend the gazetteer with.\n"
                    "Exit status: 0 done, 2 error.");
        archive.add_to(*cmd);
        cmd->add_option("--type", type, "Only this type: person, org, place or event")
            ->check(CLI::IsMember({"person", "org", "place", "event"}));
        cmd->add_option("--top", top, "How many to list")->capture_default_str();
        cmd->add_flag("--discover", discover, "List frequent names that no entity covers");
        cmd->add_option("--scan", scan, "--discover reads this many documents")->capture_default_str();
        json.add_to(*cmd);
    }

    int run() {
        ArchiveReader reader(archive.path);
        if (discover) {
            auto names = discover_names(reader, top, scan);
            if (json.json) {
                nlohmann::json list = nlohmann::json::array();
                for (const auto& n : names) list.push_back({{"name", n.name}, {"documents", n.documents}});
                std::cout << nlohmann::json{{"archive", archive.path}, {"candidates", list}}.dump(2) << "\n";
            } else {
                for (const auto& n : names) std::cout << n.documents << "\t" << n.name << "\n";
            }
            return exit_ok;
        }
        nlohmann::json list = nlohmann::json::array();
        std::size_t shown = 0;
        for (const auto& p : entities_in(reader)) {
            if (!type.empty() && entity_type_name(p.entity->type) != type) continue;
            if (shown++ == top) break;
            if (json.json)
                list.push_back({{"id", p.entity->id}, {"name", p.entity->name},
                                {"type", entity_type_name(p.entity->type)}, {"count", p.documents}});
            else
                std::cout << p.documents << "\t" << entity_type_name(p.entity->type) << ":" << p.entity->id
                          << "\t" << p.entity->name << "\n";
        }
        if (json.json) std::cout << nlohmann::json{{"archive", archive.path}, {"entities", list}}.dump(2) << "\n";
        return exit_ok;
    }
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("panmun-query: search a panmun archive of news articles", "panmun-query");
    app.require_subcommand(1);
    SearchCommand search_cmd;
    EntitiesCommand entities_cmd;
    LikeCommand like_cmd;
    ShowCommand show_cmd;
    search_cmd.add_to(app);
    like_cmd.add_to(app);
    show_cmd.add_to(app);
    entities_cmd.add_to(app);
    return cli::run(app, argc, argv, cli::ErrorStyle::grep, [&] {
        if (app.got_subcommand("search")) return search_cmd.run();
        if (app.got_subcommand("like")) return like_cmd.run();
        if (app.got_subcommand("entities")) return entities_cmd.run();
        return show_cmd.run();
    });
}
