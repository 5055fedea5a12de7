// panmun-index: builds and maintains archives. Parses options, calls the corpus library, prints.
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cstdio>
#include <iostream>

#include "options.hpp"
#include "panmun/archive.hpp"
#include "panmun/errors.hpp"
#include "panmun/ingest.hpp"

namespace {

using namespace panmun;

struct BuildCommand {
    cli::ArchiveOption archive;
    cli::QuietOption quiet;
    cli::JsonOption json;
    std::vector<std::string> inputs;
    std::string map_spec;
    std::string source;
    std::size_t batch = IngestOptions{}.batch_docs;
    int level = StoreWriter::default_level;
    bool force = false;
    bool verbose = false;

    void add_to(CLI::App& app) {
        auto* cmd = app.add_subcommand("build", "Build a new archive from JSON Lines inputs");
        cmd->footer(
            "Each input line is a JSON object with keys id, title, date, source, url, lang, text\n"
            "(rename them with --map). Inputs may be zstd-compressed; '-' reads standard input.\n"
            "Records without text are skipped, and so are records whose id was already read;\n"
            "records without an id get one derived from their content.\n"
            "Exit status: 0 all indexed, 1 some records skipped, 2 usage error,\n"
            "3 archive locked, 4 archive damaged, 5 an input cannot be read.");
        archive.add_to(*cmd);
        cmd->add_option("inputs", inputs, "JSON Lines files (.zst accepted), or - for stdin")
            ->required();
        cmd->add_option("--map", map_spec,
                        "Input keys for our fields, e.g. title=headline,date=date_str,text=story_text");
        cmd->add_option("--source", source, "Source for records that name none (e.g. KCNA)");
        cmd->add_option("--batch", batch, "Documents per commit")
            ->capture_default_str()
            ->check(CLI::PositiveNumber);
        cmd->add_option("--zstd-level", level,
                        "Store compression level: higher is smaller and slower to build; "
                        "reading speed barely changes (if unsure, keep the default)")
            ->capture_default_str()
            ->check(CLI::Range(1, 22));
        cmd->add_flag("--force", force, "Replace the archive if it exists (atomically, at the end)");
        cmd->add_flag("-v,--verbose", verbose, "List every skipped record and warning kept");
        quiet.add_to(*cmd);
        json.add_to(*cmd);
    }

    int run() {
        IngestOptions options;
        options.map = FieldMap::parse(map_spec);
        options.default_source = source;
        options.batch_docs = batch;
        for (const auto& in : inputs)
            if (in != "-" && ::access(in.c_str(), R_OK) != 0)
                throw InputError(in, 0, "cannot read input: " + std::string(std::strerror(errno)));
        if (boost::filesystem::exists(archive.path) && !force)
            throw UsageError("archive " + archive.path +
                             " already exists (use --force to rebuild it)");

        // Build beside the target and move it in place only when complete: a failed build
        // leaves any existing archive untouched.
        std::string building = archive.path + ".building-" + std::to_string(::getpid());
        IngestReport report;
        try {
            ArchiveWriter writer = ArchiveWriter::create(building, level);
            cli::ProgressLine line(quiet.progress_wanted());
            report = ingest(writer, inputs, options, [&](const IngestReport& r) {
                InputReport t = r.total();
                char buf[160];
                std::snprintf(buf, sizeof buf, "%s: %llu docs indexed, %.1f MB read, %.0f docs/s",
                              r.inputs.back().input.c_str(), static_cast<unsigned long long>(t.indexed),
                              t.bytes / 1e6, r.seconds > 0 ? t.indexed / r.seconds : 0.0);
                line.update(buf);
            });
            line.update("compacting the index", true);
            writer.compact_index();
        } catch (...) {
            boost::system::error_code ec;
            boost::filesystem::remove_all(building, ec);
            throw;
        }
        replace_archive(building, archive.path);
        print(report);
        return report.total().skipped ? exit_skipped : exit_ok;
    }

    void print(const IngestReport& report) const {
        InputReport t = report.total();
        if (json.json) {
            nlohmann::json j = {{"archive", archive.path}, {"seconds", report.seconds}};
            for (const auto& r : report.inputs) {
                nlohmann::json problems = nlohmann::json::array();
                for (const auto& p : r.problems)
                    problems.push_back({{"where", p.where.str()}, {"message", p.message}});
                j["inputs"].push_back({{"input", r.input},
                                       {"read", r.read},
                                       {"indexed", r.indexed},
                                       {"skipped", r.skipped},
                                       {"warnings", r.warnings},
                                       {"bytes", r.bytes},
                                       {"problems", problems}});
            }
            j["total"] = {{"read", t.read}, {"indexed", t.indexed}, {"skipped", t.skipped},
                          {"warnings", t.warnings}, {"bytes", t.bytes}};
            std::cout << j.dump(2) << "\n";
            return;
        }
        if (quiet.quiet) return;
        const std::size_t shown = verbose ? InputReport::max_problems : 5;
        for (const auto& r : report.inputs) {
            std::cerr << r.input << ": read " << r.read << ", indexed " << r.indexed
                      << ", skipped " << r.skipped << ", warnings " << r.warnings << "\n";
            for (std::size_t i = 0; i < r.problems.size() && i < shown; ++i)
                std::cerr << "  " << r.problems[i].where.str() << ": " << r.problems[i].message
                          << "\n";
            std::uint64_t more = r.problem_count - std::min(r.problems.size(), shown);
            if (more) std::cerr << "  ... and " << more << " more (--verbose or --json to list)\n";
        }
        char buf[200];
        std::snprintf(buf, sizeof buf,
                      "%s: %llu documents indexed in %.2f s (%.0f docs/s, %.1f MB/s of input)\n",
                      archive.path.c_str(), static_cast<unsigned long long>(t.indexed),
                      report.seconds, report.seconds > 0 ? t.indexed / report.seconds : 0.0,
                      report.seconds > 0 ? t.bytes / 1e6 / report.seconds : 0.0);
        std::cerr << buf;
    }
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("panmun-index: build and maintain panmun archives of news articles",
                 "panmun-index");
    app.require_subcommand(1);
    BuildCommand build;
    build.add_to(app);
    return cli::run(app, argc, argv, cli::ErrorStyle::indexer, [&] { return build.run(); });
}
