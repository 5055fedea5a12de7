// build, add and sync: inputs read into an archive, with progress and a report.
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstring>
#include <functional>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "index_options.hpp"
#include "panmun/archive.hpp"
#include "panmun/errors.hpp"
#include "panmun/ingest.hpp"
#include "panmun/sync.hpp"
#include "reports.hpp"

namespace panmun::indexer {
namespace {

IngestProgress progress_to(cli::ProgressLine& line) {
    return [&line](const IngestReport& r) { line.update(cli::ingest_progress(r)); };
}

// The summary of an ingest: JSON on stdout for scripts, or lines on stderr for people.
void print_report(const cli::IngestSummary& summary, bool json, bool quiet, bool verbose) {
    if (json)
        std::cout << cli::ingest_json(summary).dump(2) << "\n";
    else if (!quiet)
        cli::print_ingest(summary, verbose, std::cerr);
}

int exit_for(const IngestReport& report) { return report.total().skipped ? exit_skipped : exit_ok; }

struct BuildCommand {
    CLI::App* cmd = nullptr;
    cli::ArchiveOption archive;
    cli::QuietOption quiet;
    cli::JsonOption json;
    cli::InputOptions input;
    cli::VerboseOption verbose;
    cli::StoreOptionsGroup store;
    cli::EntitiesOption entities;
    std::vector<std::string> inputs;
    bool force = false;
    std::size_t shards = 1;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("build", "Build a new archive from news inputs");
        cmd->footer(
            std::string(
                "Inputs are files, directories (read recursively) or tar archives, compressed or "
                "not\n"
                "(zstd, gzip, bzip2, xz); '-' reads standard input. Formats: JSON Lines and JSON\n"
                "(keys id, title, date, source, url, lang, text, author; rename with --map), CSV\n"
                "with a header row, HTML pages, plain text (with optional '-- ' or 'Title:' "
                "header\n"
                "lines), SGML records (Reuters-21578, TREC) and NITF. Text is cleaned (markup,\n"
                "boilerplate lines, encodings, NFC). Records without text are skipped; repeats of "
                "an\n"
                "id or of a stored text are reported as duplicates. The archive is built beside "
                "the\n"
                "target and moved in place when complete.\n") +
            exit_footer);
        archive.add_to(*cmd);
        cmd->add_option("inputs", inputs, "Files, directories or tar archives, or - for stdin")
            ->required();
        input.add_to(*cmd);
        store.add_to(*cmd);
        cmd->add_flag("--force", force,
                      "Replace the archive if it exists (atomically, at the end)");
        cmd->add_option("--shards", shards,
                        "Split the archive into N shards by document id, written at once, one "
                        "thread each (docs/FORMAT.md)")
            ->check(CLI::Range(1, 64))
            ->default_val(1);
        entities.add_to(*cmd);
        verbose.add_to(*cmd);
        quiet.add_to(*cmd);
        json.add_to(*cmd);
    }

    int run() {
        IngestOptions options = input.options();
        // A build replaces an archive: refuse before starting if an input is not there.
        for (const auto& in : inputs)
            if (in != "-" && ::access(in.c_str(), R_OK) != 0)
                throw UsageError("cannot read input " + in + ": " + std::strerror(errno));
        if (boost::filesystem::exists(archive.path) && !force)
            throw UsageError("archive " + archive.path +
                             " already exists (use --force to rebuild it)");

        // Build beside the target and move it in place only when complete: a failed build
        // leaves any existing archive untouched.
        std::string building = archive.path + ".building-" + std::to_string(::getpid());
        IngestReport report;
        CompactReport compaction;
        try {
            StoreOptions store_options = store.store;
            store_options.threads = options.threads;
            ArchiveWriter writer = ArchiveWriter::create(building, store_options, shards);
            entities.apply(writer);
            cli::ProgressLine line(quiet.progress_wanted());
            report = ingest(writer, inputs, options, progress_to(line));
            line.update(store.best ? "rewriting the store (--best), then compacting the index"
                                   : "compacting the index",
                        true);
            compaction = writer.compact(store.best ? Compaction::best : Compaction::fast);
        } catch (...) {
            boost::system::error_code ec;
            boost::filesystem::remove_all(building, ec);
            throw;
        }
        replace_archive(building, archive.path);
        print_report({archive.path, &report, {}, false, &compaction}, json.json, quiet.quiet,
                     verbose.verbose);
        return exit_for(report);
    }
};

// What add and sync share: their options, and the run (create the archive if missing, open it,
// ingest with progress, print the report).
struct UpdateCommand {
    CLI::App* cmd = nullptr;
    cli::ArchiveOption archive;
    cli::QuietOption quiet;
    cli::JsonOption json;
    cli::InputOptions input;
    cli::UpdateOptions update;
    cli::VerboseOption verbose;
    cli::EntitiesOption entities;
    bool no_compact = false;

    void add_common(CLI::App& app, const char* name, const char* description, const char* footer) {
        cmd = app.add_subcommand(name, description);
        cmd->footer(std::string(footer) +
                    "Then compacts the archive if it has outgrown its last compaction (the index\n"
                    "at 1.25 times its compacted size, a quarter of the documents replaced or\n"
                    "deleted, or never compacted), unless --no-compact.\n" +
                    exit_footer);
        archive.add_to(*cmd);
        input.add_to(*cmd);
        update.add_to(*cmd);
        cmd->add_flag("--no-compact", no_compact,
                      "Do not compact afterwards, even if the archive has outgrown its last "
                      "compaction (by default it is compacted then: see compact)");
        entities.add_to(*cmd);
        verbose.add_to(*cmd);
        quiet.add_to(*cmd);
        json.add_to(*cmd);
    }

    using Body = std::function<IngestReport(ArchiveWriter&, IngestOptions, const IngestProgress&)>;
    int run_with(const Body& body) {
        IngestOptions options = input.options();
        options.existing = IngestOptions::Existing::update;
        options.dry_run = update.dry_run;
        if (!boost::filesystem::exists(archive.path) && !update.dry_run)
            ArchiveWriter::create(archive.path);
        ArchiveWriter writer = ArchiveWriter::open(archive.path, update.waiting.wait);
        entities.apply(writer);
        cli::ProgressLine line(quiet.progress_wanted());
        IngestReport report = body(writer, options, progress_to(line));
        // The index grows fast after a compaction (its blocks are full): compacting it again
        // costs seconds and keeps the archive near the size of a fresh build.
        std::optional<CompactReport> compaction;
        if (!update.dry_run && !no_compact && writer.needs_compaction()) {
            line.update("compacting the index", true);
            compaction = writer.compact(Compaction::fast);
        }
        line.finish();
        print_report({archive.path, &report, writer.notes(), update.dry_run,
                      compaction ? &*compaction : nullptr},
                     json.json, quiet.quiet, verbose.verbose);
        return exit_for(report);
    }
};

struct AddCommand : UpdateCommand {
    std::vector<std::string> inputs;

    void add_to(CLI::App& app) {
        add_common(app, "add", "Add new documents and replace changed ones",
                   "A record whose id is in the archive replaces the stored document if they\n"
                   "differ and changes nothing if not: running add twice on the same input\n"
                   "adds nothing the second time. Commits every --batch documents; a crash\n"
                   "leaves the archive at the last commit. Creates the archive if missing.\n");
        cmd->add_option("inputs", inputs, "Files, directories or tar archives, or - for stdin")
            ->required();
    }

    int run() {
        return run_with([&](ArchiveWriter& w, IngestOptions o, const IngestProgress& p) {
            return ingest(w, inputs, o, p);
        });
    }
};

struct SyncCommand : UpdateCommand {
    std::string dir;

    void add_to(CLI::App& app) {
        add_common(
            app, "sync", "Make the archive mirror a directory tree of input files",
            "New files are added, changed files re-read (changed documents replaced,\n"
            "documents no longer in the file deleted), removed files' documents\n"
            "deleted. Files are those of a known format (.jsonl .ndjson .json .csv .tsv .html\n"
            ".htm .txt .sgm .sgml .xml .nitf, optionally compressed); others are ignored.\n"
            "Directory symlinks are followed once; loops and unreadable entries are\n"
            "reported. Creates the archive if missing.\n");
        cmd->add_option("dir", dir, "The directory tree to mirror")->required();
    }

    int run() {
        return run_with([&](ArchiveWriter& w, IngestOptions o, const IngestProgress& p) {
            return sync_tree(w, dir, o, p);
        });
    }
};

}  // namespace

void add_ingest_commands(CLI::App& app, cli::Commands& commands) {
    commands.add<BuildCommand>(app);
    commands.add<AddCommand>(app);
    commands.add<SyncCommand>(app);
}

}  // namespace panmun::indexer
