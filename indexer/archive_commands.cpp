// delete, verify, stats, compact, retag: what is done to an archive as a whole.
#include <fmt/format.h>

#include <iostream>

#include "commands.hpp"
#include "index_options.hpp"
#include "panmun/archive.hpp"
#include "panmun/errors.hpp"
#include "panmun/inspect.hpp"
#include "reports.hpp"

namespace panmun::indexer {
namespace {

struct DeleteCommand {
    CLI::App* cmd = nullptr;
    cli::ArchiveOption archive;
    cli::QuietOption quiet;
    cli::JsonOption json;
    cli::UpdateOptions update;
    std::vector<std::string> ids;
    std::string match;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("delete", "Delete documents by id or by query");
        cmd->footer(
            std::string("Deletes in one commit. Ids that are not in the archive are reported\n"
                        "(exit 1). Space is reclaimed by compact.\n") +
            exit_footer);
        archive.add_to(*cmd);
        cmd->add_option("ids", ids, "Document ids");
        cmd->add_option("--match", match, "Delete every document matching this query");
        update.add_to(*cmd);
        quiet.add_to(*cmd);
        json.add_to(*cmd);
    }

    int run() {
        if (ids.empty() && match.empty())
            throw UsageError("delete: give document ids or --match QUERY");
        ArchiveWriter writer = ArchiveWriter::open(archive.path, update.waiting.wait);
        cli::DeleteSummary summary{archive.path, {}, {}, writer.notes(), update.dry_run};
        for (const auto& id : ids)
            (writer.remove(id) ? summary.deleted : summary.missing).push_back(id);
        if (!match.empty())
            for (auto& id : writer.remove_matching(match)) summary.deleted.push_back(std::move(id));
        if (!update.dry_run) writer.commit();
        if (json.json)
            std::cout << cli::delete_json(summary).dump(2) << "\n";
        else if (!quiet.quiet)
            cli::print_delete(summary, std::cerr);
        return summary.missing.empty() ? exit_ok : exit_skipped;
    }
};

struct VerifyCommand {
    CLI::App* cmd = nullptr;
    cli::ArchiveOption archive;
    cli::QuietOption quiet;
    cli::JsonOption json;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("verify",
                                 "Check an archive: manifest, index, every stored document");
        cmd->footer(
            "Reads every stored document and checks its checksum, and that the index and the\n"
            "store agree (same ids, no document in one that the other does not account for).\n"
            "Exit status: 0 intact, 4 damaged (each problem is printed), 2 usage error.");
        archive.add_to(*cmd);
        quiet.add_to(*cmd);
        json.add_to(*cmd);
    }

    int run() {
        cli::ProgressLine line(quiet.progress_wanted());
        VerifyReport r = verify_archive(archive.path, [&](std::uint64_t done, std::uint64_t total) {
            line.update(fmt::format("verifying: {}/{} documents", done, total));
        });
        line.finish();
        if (json.json)
            std::cout << cli::verify_json(archive.path, r).dump(2) << "\n";
        else
            cli::print_verify(archive.path, r, quiet.quiet, std::cerr);
        return r.ok() ? exit_ok : exit_damaged;
    }
};

struct StatsCommand {
    CLI::App* cmd = nullptr;
    cli::ArchiveOption archive;
    cli::JsonOption json;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("stats", "Sizes, ratios and documents per year of an archive");
        archive.add_to(*cmd);
        json.add_to(*cmd);
    }

    int run() {
        ArchiveReader reader(archive.path);
        ArchiveStats s = archive_stats(reader);
        if (json.json)
            std::cout << cli::stats_json(archive.path, s).dump(2) << "\n";
        else
            cli::print_stats(s, std::cout);
        return exit_ok;
    }
};

struct RetagCommand {
    CLI::App* cmd = nullptr;
    cli::ArchiveOption archive;
    cli::QuietOption quiet;
    cli::JsonOption json;
    cli::EntitiesOption entities;
    cli::WaitOption waiting;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("retag",
                                 "Re-derive every document's entity tags from its stored text");
        cmd->footer(
            "Tags the stored texts again with the built-in gazetteer and the archive's own\n"
            "(--entities FILE adds to it first): after a gazetteer update, no original input is\n"
            "needed. Commits every 1,000 documents; a crash leaves the archive at the last "
            "commit.\n"
            "Exit status: 0 done, 1 bad --entities file (its line is named), 2 usage error,\n"
            "3 archive locked, 4 archive damaged.");
        archive.add_to(*cmd);
        entities.add_to(*cmd);
        waiting.add_to(*cmd);
        quiet.add_to(*cmd);
        json.add_to(*cmd);
    }

    int run() {
        ArchiveWriter writer = ArchiveWriter::open(archive.path, waiting.wait);
        entities.apply(writer);
        cli::ProgressLine line(quiet.progress_wanted());
        RetagReport r = writer.retag([&](std::uint64_t done, std::uint64_t total) {
            line.update(fmt::format("retagging: {}/{} documents", done, total));
        });
        line.finish();
        if (json.json)
            std::cout << cli::retag_json(archive.path, r).dump(2) << "\n";
        else if (!quiet.quiet)
            cli::print_retag(archive.path, r, std::cerr);
        return exit_ok;
    }
};

struct CompactCommand {
    CLI::App* cmd = nullptr;
    cli::ArchiveOption archive;
    cli::QuietOption quiet;
    cli::WaitOption waiting;
    bool best = false;
    std::size_t shards = 0;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("compact",
                                 "Compact the index and drop replaced and deleted "
                                 "documents; --best also recompresses the store; --shards "
                                 "changes the number of shards");
        cmd->footer(
            "Compacts the index, and rewrites the store if it holds replaced or deleted\n"
            "documents (at the level documents are added at, with the dictionary the store\n"
            "has). --best is the archival rewrite: a dictionary trained on the documents and\n"
            "every document recompressed at the archive's level (19 unless built with\n"
            "--zstd-level): a smaller store, in about as long as the archive took to build.\n"
            "--shards N rewrites the archive as N shards (1: not sharded; docs/FORMAT.md):\n"
            "every document, the marks of sync's files and the archive's entities are copied\n"
            "as they are, beside the archive (as much disk again), then swapped in; a store\n"
            "compacted --best is compacted --best again.\n"
            "Atomic: a crash leaves the old or the new archive, never a mixture. Readers keep\n"
            "working meanwhile.\n"
            "Exit status: 0 done, 2 usage error, 3 archive locked, 4 archive damaged or I/O "
            "error.");
        archive.add_to(*cmd);
        cmd->add_flag("--best", best, "Train a dictionary and recompress every document");
        cmd->add_option("--shards", shards,
                        "Rewrite the archive as N shards (a document goes to the shard of its id)")
            ->check(CLI::Range(1, 64));
        waiting.add_to(*cmd);
        quiet.add_to(*cmd);
    }

    int run() {
        const auto sizes = [&] {
            const ArchiveStats s = archive_stats(ArchiveReader(archive.path));
            return std::pair(s.store_bytes, s.index_bytes);
        };
        const Compaction how = best ? Compaction::best : Compaction::fast;
        const std::size_t had =
            std::max<std::size_t>(1, Manifest::read(archive.path).shards.size());
        const auto [store_before, index_before] = sizes();
        CompactReport r;
        std::vector<std::string> notes;
        if (shards && shards != had) {
            cli::ProgressLine line(quiet.progress_wanted());
            r = ArchiveWriter::reshard(
                archive.path, shards, how, waiting.wait,
                [&](std::uint64_t done, std::uint64_t total) {
                    line.update(fmt::format("copying into {} shards: {}/{} documents", shards, done,
                                            total));
                });
            notes = r.notes;
        } else {
            ArchiveWriter writer = ArchiveWriter::open(archive.path, waiting.wait);
            r = writer.compact(how);
            notes = writer.notes();
        }
        if (!quiet.quiet) {
            for (const auto& n : notes) std::cerr << "recovered: " << n << "\n";
            const auto [store_after, index_after] = sizes();
            const std::string store_done =
                r.store_rewritten ? fmt::format("rewritten in {:.1f} s", r.store_seconds)
                                  : std::string("kept");
            std::cerr << fmt::format(
                "{}: {}store {:.1f} MB -> {:.1f} MB{}, index {:.1f} MB -> {:.1f} MB (compacted in "
                "{:.1f} s)\n",
                archive.path,
                shards && shards != had
                    ? fmt::format("{} -> {} shards, documents copied in {:.1f} s; ", had, shards,
                                  r.copy_seconds)
                    : std::string(),
                store_before / 1e6, store_after / 1e6,
                shards && shards != had && !r.store_rewritten ? "" : " (" + store_done + ")",
                index_before / 1e6, index_after / 1e6, r.index_seconds);
        }
        return exit_ok;
    }
};

}  // namespace

void add_archive_commands(CLI::App& app, cli::Commands& commands) {
    commands.add<DeleteCommand>(app);
    commands.add<VerifyCommand>(app);
    commands.add<StatsCommand>(app);
    commands.add<CompactCommand>(app);
    commands.add<RetagCommand>(app);
}

}  // namespace panmun::indexer
