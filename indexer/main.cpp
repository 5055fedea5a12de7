// panmun-index: builds and maintains archives. Parses options, calls the corpus library, prints.
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>

#include "options.hpp"
#include "panmun/archive.hpp"
#include "panmun/errors.hpp"
#include "panmun/ingest.hpp"
#include "panmun/inspect.hpp"
#include "panmun/sync.hpp"

namespace {

using namespace panmun;

constexpr const char* exit_footer =
    "Exit status: 0 done, 1 some records or inputs skipped, 2 usage error,\n"
    "3 archive locked by another writer, 4 archive damaged or I/O error (disk full).";

// --format, --map, --source, cleaning and the rest: how inputs become documents.
struct InputOptions {
    std::string format = "auto";
    std::string map_spec;
    std::string source;
    std::string delimiter;
    std::vector<std::string> include, exclude;
    std::string boilerplate_file;
    bool no_boilerplate = false;
    std::string date_from = "content";
    std::string id_from = "content";
    bool strict = false;
    std::size_t batch = IngestOptions{}.batch_docs;
    unsigned threads = IngestOptions{}.threads;

    void add_to(CLI::App& cmd) {
        cmd.add_option("--format", format,
                       "Input format: auto (by name and content), jsonl, json, csv, html, text, sgml, nitf")
            ->capture_default_str();
        cmd.add_option("--map", map_spec,
                       "Input keys (JSON) or columns (CSV) for our fields, e.g. title=headline,date=date_str,text=story_text");
        cmd.add_option("--source", source, "Source for records that name none (e.g. KCNA)");
        cmd.add_option("--delimiter", delimiter, "CSV field delimiter (default: tab for .tsv, else comma; 'tab' for a tab)");
        cmd.add_option("--include", include, "Read only files and tar members matching this glob (repeatable)");
        cmd.add_option("--exclude", exclude, "Do not read files and tar members matching this glob (repeatable)");
        cmd.add_option("--boilerplate", boilerplate_file,
                       "File of line patterns to drop (one regular expression a line), instead of the defaults");
        cmd.add_flag("--no-boilerplate", no_boilerplate, "Keep every line (no boilerplate patterns)");
        cmd.add_option("--date-from", date_from,
                       "Where undated documents get a date: content (their own metadata, dateline or path; "
                       "default) or mtime (else the file's modification time)")
            ->check(CLI::IsMember({"content", "mtime"}));
        cmd.add_option("--id-from", id_from,
                       "Ids of records without one: content (a hash of the record; default) or url "
                       "(a hash of the URL when there is one)")
            ->check(CLI::IsMember({"content", "url"}));
        cmd.add_flag("--strict", strict, "Any skipped record or file is an error: commit nothing");
        cmd.add_option("--batch", batch, "Documents per commit (each commit is atomic)")
            ->capture_default_str()
            ->check(CLI::PositiveNumber);
        cmd.add_option("--threads", threads,
                       "Threads: 1 does everything on one core; 2 or more clean and tag records on one "
                       "core while another indexes and stores them (build compresses its final store on all)")
            ->capture_default_str()
            ->check(CLI::Range(1u, 64u));
    }
    IngestOptions options() const {
        IngestOptions o;
        o.format = parse_format(format);
        o.map = FieldMap::parse(map_spec);
        o.default_source = source;
        o.batch_docs = batch;
        o.threads = threads;
        if (delimiter == "tab" || delimiter == "\\t") o.delimiter = '\t';
        else if (delimiter.size() == 1) o.delimiter = delimiter[0];
        else if (!delimiter.empty()) throw UsageError("--delimiter: give one character or 'tab'");
        o.include = include;
        o.exclude = exclude;
        if (no_boilerplate) o.clean.boilerplate.clear();
        if (!boilerplate_file.empty()) {
            std::ifstream in(boilerplate_file);
            if (!in) throw UsageError("cannot read --boilerplate file " + boilerplate_file);
            o.clean.boilerplate.clear();
            for (std::string line; std::getline(in, line);)
                if (!line.empty() && line[0] != '#') o.clean.boilerplate.push_back(line);
        }
        o.date_from_mtime = date_from == "mtime";
        o.id_from = id_from == "url" ? IngestOptions::IdFrom::url : IngestOptions::IdFrom::content;
        o.strict = strict;
        return o;
    }
};

// --entities FILE: the archive's own gazetteer entries, added to the built-in ones.
struct EntitiesOption {
    std::string file;
    void add_to(CLI::App& cmd) {
        cmd.add_option("--entities", file,
                       "A gazetteer of your own (the TSV format of corpus/entities/gazetteer.tsv), "
                       "kept in the archive and used from now on with the built-in one");
    }
    // Reads the file and gives it to the writer; nothing if no file was named.
    void apply(ArchiveWriter& writer) const {
        if (file.empty()) return;
        std::ifstream in(file, std::ios::binary);
        if (!in) throw UsageError("cannot read --entities file " + file);
        std::string tsv((std::istreambuf_iterator<char>(in)), {});
        writer.set_entities(tsv, file);
    }
};

// --wait: what a writer does when another process is updating the archive.
struct WaitOption {
    bool wait = false;
    void add_to(CLI::App& cmd) {
        cmd.add_flag("--wait", wait, "If another process is updating the archive, wait for it (default: exit 3)");
    }
};

// --wait and --dry-run: how an update meets the archive.
struct UpdateOptions {
    WaitOption waiting;
    bool dry_run = false;
    void add_to(CLI::App& cmd) {
        waiting.add_to(cmd);
        cmd.add_flag("-n,--dry-run", dry_run, "Report what would change, change nothing");
    }
};

// --verbose: list every problem kept rather than the first few.
struct VerboseOption {
    bool verbose = false;
    void add_to(CLI::App& cmd) { cmd.add_flag("-v,--verbose", verbose, "List every problem kept (up to 100 per input)"); }
};

std::string clock_text(double seconds) {
    char buf[32];
    long s = static_cast<long>(seconds + 0.5);
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    return buf;
}

// Progress for people: documents, rate, bytes and ETA (when the input size is known).
IngestProgress progress_to(cli::ProgressLine& line) {
    return [&line](const IngestReport& r) {
        InputReport t = r.total();
        double rate = r.seconds > 0 ? (t.indexed() + t.unchanged) / r.seconds : 0.0;
        char buf[200];
        int n = std::snprintf(buf, sizeof buf, "%llu docs (%llu new, %llu replaced, %llu unchanged)  %.0f docs/s",
                              static_cast<unsigned long long>(t.indexed() + t.unchanged),
                              static_cast<unsigned long long>(t.added),
                              static_cast<unsigned long long>(t.replaced),
                              static_cast<unsigned long long>(t.unchanged), rate);
        std::string text = buf;
        if (r.raw_bytes_total && r.raw_bytes_done && n > 0) {
            double done = std::min(1.0, double(r.raw_bytes_done) / r.raw_bytes_total);
            double left = r.seconds * (1 / done - 1);
            constexpr int width = 24;
            int filled = static_cast<int>(done * width);
            text = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] " +
                   std::to_string(static_cast<int>(done * 100)) + "%  " + text + "  ETA " +
                   clock_text(std::max(0.0, left));
        }
        line.update(text);
    };
}

// The summary of an ingest: JSON on stdout for scripts, or lines on stderr for people.
void print_report(const std::string& archive, const IngestReport& report,
                  const std::vector<std::string>& notes, bool json, bool quiet, bool verbose,
                  bool dry_run) {
    InputReport t = report.total();
    if (json) {
        nlohmann::json j = {{"archive", archive}, {"seconds", report.seconds}, {"dry_run", dry_run},
                            {"recovered", notes}, {"inputs", nlohmann::json::array()}};
        auto counts = [](const InputReport& r) {
            return nlohmann::json{{"read", r.read},           {"added", r.added},
                                  {"replaced", r.replaced},   {"unchanged", r.unchanged},
                                  {"skipped", r.skipped},     {"duplicates", r.duplicates},
                                  {"repaired", r.repaired},   {"converted", r.converted},
                                  {"warnings", r.warnings},   {"files", r.files},
                                  {"bytes", r.bytes}};
        };
        for (const auto& r : report.inputs) {
            nlohmann::json problems = nlohmann::json::array();
            for (const auto& p : r.problems)
                problems.push_back({{"where", p.where.str()}, {"message", p.message}});
            nlohmann::json in = counts(r);
            in["input"] = r.input;
            in["problems"] = problems;
            in["replaced_ids"] = r.replaced_ids;
            nlohmann::json duplicates = nlohmann::json::array();
            for (const auto& d : r.duplicate_list)
                duplicates.push_back({{"where", d.where.str()}, {"id", d.id}, {"into", d.into}});
            in["duplicate_records"] = std::move(duplicates);
            j["inputs"].push_back(in);
        }
        j["total"] = counts(t);
        j["total"]["deleted"] = report.deleted;
        std::cout << j.dump(2) << "\n";
        return;
    }
    if (quiet) return;
    for (const auto& n : notes) std::cerr << "recovered: " << n << "\n";
    const std::size_t shown = verbose ? InputReport::max_problems : 5;
    for (const auto& r : report.inputs) {
        std::cerr << r.input << ": read " << r.read;
        if (r.files > 1) std::cerr << " from " << r.files << " files";
        std::cerr << ", added " << r.added << ", replaced " << r.replaced << ", unchanged "
                  << r.unchanged << ", duplicates " << r.duplicates << ", skipped " << r.skipped
                  << ", warnings " << r.warnings;
        if (r.repaired) std::cerr << ", repaired " << r.repaired;
        if (r.converted) std::cerr << ", converted from CP949 " << r.converted;
        std::cerr << "\n";
        for (std::size_t i = 0; i < r.problems.size() && i < shown; ++i)
            std::cerr << "  " << r.problems[i].where.str() << ": " << r.problems[i].message << "\n";
        std::uint64_t more = r.problem_count - std::min<std::uint64_t>(r.problems.size(), shown);
        if (more) std::cerr << "  ... and " << more << " more (--verbose or --json to list)\n";
    }
    char buf[300];
    std::snprintf(buf, sizeof buf,
                  "%s: %s%llu added, %llu replaced, %llu unchanged, %llu deleted, %llu duplicates, %llu skipped in "
                  "%.2f s (%.0f docs/s, %.1f MB/s of input)\n",
                  archive.c_str(), dry_run ? "DRY RUN, nothing changed: " : "",
                  static_cast<unsigned long long>(t.added), static_cast<unsigned long long>(t.replaced),
                  static_cast<unsigned long long>(t.unchanged),
                  static_cast<unsigned long long>(report.deleted),
                  static_cast<unsigned long long>(t.duplicates),
                  static_cast<unsigned long long>(t.skipped), report.seconds,
                  report.seconds > 0 ? (t.indexed() + t.unchanged) / report.seconds : 0.0,
                  report.seconds > 0 ? t.bytes / 1e6 / report.seconds : 0.0);
    std::cerr << buf;
}

int exit_for(const IngestReport& report) { return report.total().skipped ? exit_skipped : exit_ok; }

struct BuildCommand {
    CLI::App* cmd = nullptr;
    cli::ArchiveOption archive;
    cli::QuietOption quiet;
    cli::JsonOption json;
    InputOptions input;
    VerboseOption verbose;
    std::vector<std::string> inputs;
    StoreOptions store;
    EntitiesOption entities;
    bool force = false;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("build", "Build a new archive from news inputs");
        cmd->footer(
            std::string(
                "Inputs are files, directories (read recursively) or tar archives, compressed or not\n"
                "(zstd, gzip, bzip2, xz); '-' reads standard input. Formats: JSON Lines and JSON\n"
                "(keys id, title, date, source, url, lang, text, author; rename with --map), CSV\n"
                "with a header row, HTML pages, plain text (with optional '-- ' or 'Title:' header\n"
                "lines), SGML records (Reuters-21578, TREC) and NITF. Text is cleaned (markup,\n"
                "boilerplate lines, encodings, NFC). Records without text are skipped; repeats of an\n"
                "id or of a stored text are reported as duplicates. The archive is built beside the\n"
                "target and moved in place when complete.\n") +
            exit_footer);
        archive.add_to(*cmd);
        cmd->add_option("inputs", inputs, "Files, directories or tar archives, or - for stdin")->required();
        input.add_to(*cmd);
        cmd->add_option("--zstd-level", store.compact_level,
                        "Final store compression level: higher is smaller and slower to build; "
                        "reading speed barely changes (if unsure, keep the default)")
            ->capture_default_str()
            ->check(CLI::Range(1, 22));
        cmd->add_option("--cluster-bytes", store.cluster_bytes,
                        "Uncompressed bytes per store cluster: bigger compresses better, costs "
                        "more to read one document (if unsure, keep the default)")
            ->capture_default_str()
            ->check(CLI::Range(std::size_t{1}, std::size_t{64} << 20));
        cmd->add_option("--dictionary-bytes", store.dictionary_max_bytes,
                        "Largest store dictionary, 0 for none: bigger compresses better; every "
                        "process that reads documents decompresses it once, 1-2 ms a MiB")
            ->capture_default_str()
            ->check(CLI::Range(std::size_t{0}, std::size_t{64} << 20));
        cmd->add_flag("--force", force, "Replace the archive if it exists (atomically, at the end)");
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
            throw UsageError("archive " + archive.path + " already exists (use --force to rebuild it)");

        // Build beside the target and move it in place only when complete: a failed build
        // leaves any existing archive untouched.
        std::string building = archive.path + ".building-" + std::to_string(::getpid());
        IngestReport report;
        try {
            store.threads = options.threads;
            ArchiveWriter writer = ArchiveWriter::create(building, store);
            entities.apply(writer);
            cli::ProgressLine line(quiet.progress_wanted());
            report = ingest(writer, inputs, options, progress_to(line));
            line.update("compacting the store and the index", true);
            writer.compact();
        } catch (...) {
            boost::system::error_code ec;
            boost::filesystem::remove_all(building, ec);
            throw;
        }
        replace_archive(building, archive.path);
        print_report(archive.path, report, {}, json.json, quiet.quiet, verbose.verbose, false);
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
    InputOptions input;
    UpdateOptions update;
    VerboseOption verbose;
    EntitiesOption entities;

    void add_common(CLI::App& app, const char* name, const char* description, const char* footer) {
        cmd = app.add_subcommand(name, description);
        cmd->footer(std::string(footer) + exit_footer);
        archive.add_to(*cmd);
        input.add_to(*cmd);
        update.add_to(*cmd);
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
        line.finish();
        print_report(archive.path, report, writer.notes(), json.json, quiet.quiet, verbose.verbose,
                     update.dry_run);
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
        cmd->add_option("inputs", inputs, "Files, directories or tar archives, or - for stdin")->required();
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
        add_common(app, "sync", "Make the archive mirror a directory tree of input files",
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

struct DeleteCommand {
    CLI::App* cmd = nullptr;
    cli::ArchiveOption archive;
    cli::QuietOption quiet;
    cli::JsonOption json;
    UpdateOptions update;
    std::vector<std::string> ids;
    std::string match;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("delete", "Delete documents by id or by query");
        cmd->footer(std::string("Deletes in one commit. Ids that are not in the archive are reported\n"
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
        if (ids.empty() && match.empty()) throw UsageError("delete: give document ids or --match QUERY");
        ArchiveWriter writer = ArchiveWriter::open(archive.path, update.waiting.wait);
        std::vector<std::string> deleted, missing;
        for (const auto& id : ids) (writer.remove(id) ? deleted : missing).push_back(id);
        if (!match.empty())
            for (auto& id : writer.remove_matching(match)) deleted.push_back(std::move(id));
        if (!update.dry_run) writer.commit();
        if (json.json) {
            std::cout << nlohmann::json{{"archive", archive.path}, {"dry_run", update.dry_run},
                                        {"recovered", writer.notes()}, {"deleted", deleted},
                                        {"missing", missing}}
                             .dump(2)
                      << "\n";
        } else if (!quiet.quiet) {
            for (const auto& n : writer.notes()) std::cerr << "recovered: " << n << "\n";
            for (const auto& id : missing) std::cerr << "panmun-index: no document with id '" << id << "'\n";
            std::cerr << archive.path << ": " << (update.dry_run ? "DRY RUN, nothing changed: " : "")
                      << deleted.size() << " deleted\n";
        }
        return missing.empty() ? exit_ok : exit_skipped;
    }
};

struct VerifyCommand {
    CLI::App* cmd = nullptr;
    cli::ArchiveOption archive;
    cli::QuietOption quiet;
    cli::JsonOption json;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("verify", "Check an archive: manifest, index, every stored document");
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
            line.update("verifying: " + std::to_string(done) + "/" + std::to_string(total) + " documents");
        });
        line.finish();
        if (json.json) {
            std::cout << nlohmann::json{{"archive", archive.path}, {"ok", r.ok()},
                                        {"documents", r.documents}, {"clusters", r.clusters},
                                        {"store_documents", r.store_documents},
                                        {"problems", r.problems}, {"notes", r.notes}}
                             .dump(2)
                      << "\n";
        } else {
            for (const auto& p : r.problems) std::cerr << "panmun-index: " << p << "\n";
            if (!quiet.quiet) {
                for (const auto& n : r.notes) std::cerr << "note: " << n << "\n";
                std::cerr << archive.path << ": " << (r.ok() ? "ok" : "DAMAGED") << " ("
                          << r.documents << " documents, " << r.clusters << " clusters checked, "
                          << r.problems.size() << " problem(s))\n";
            }
        }
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
        const double text = static_cast<double>(std::max<std::uint64_t>(1, s.text_bytes));
        if (json.json) {
            nlohmann::json years = nlohmann::json::object();
            for (auto [year, n] : s.per_year) years[std::to_string(year)] = n;
            std::cout << nlohmann::json{{"archive", archive.path},
                                        {"documents", s.documents},
                                        {"text_bytes", s.text_bytes},
                                        {"store_bytes", s.store_bytes},
                                        {"index_bytes", s.index_bytes},
                                        {"store_ratio", s.store_bytes / text},
                                        {"archive_ratio", (s.store_bytes + s.index_bytes) / text},
                                        {"dead_documents", s.dead_documents},
                                        {"dictionary", s.dictionary},
                                        {"per_year", years},
                                        {"undated", s.undated}}
                             .dump(2)
                      << "\n";
            return exit_ok;
        }
        char buf[320];
        std::snprintf(buf, sizeof buf,
                      "documents   %llu (%llu replaced or deleted, awaiting compact)\n"
                      "text        %.1f MB\n"
                      "store       %.1f MB  (%.3f of the text%s)\n"
                      "index       %.1f MB\n"
                      "archive     %.1f MB  (%.3f of the text)\n",
                      static_cast<unsigned long long>(s.documents),
                      static_cast<unsigned long long>(s.dead_documents), s.text_bytes / 1e6,
                      s.store_bytes / 1e6, s.store_bytes / text,
                      s.dictionary ? ", with dictionary" : "", s.index_bytes / 1e6,
                      (s.store_bytes + s.index_bytes) / 1e6, (s.store_bytes + s.index_bytes) / text);
        std::cout << buf << "per year:\n";
        for (auto [year, n] : s.per_year) std::cout << "  " << year << "  " << n << "\n";
        if (s.undated) std::cout << "  undated  " << s.undated << "\n";
        return exit_ok;
    }
};

struct RetagCommand {
    CLI::App* cmd = nullptr;
    cli::ArchiveOption archive;
    cli::QuietOption quiet;
    cli::JsonOption json;
    EntitiesOption entities;
    WaitOption waiting;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("retag", "Re-derive every document's entity tags from its stored text");
        cmd->footer(
            "Tags the stored texts again with the built-in gazetteer and the archive's own\n"
            "(--entities FILE adds to it first): after a gazetteer update, no original input is\n"
            "needed. Commits every 1,000 documents; a crash leaves the archive at the last commit.\n"
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
            line.update("retagging: " + std::to_string(done) + "/" + std::to_string(total) + " documents");
        });
        line.finish();
        if (json.json)
            std::cout << nlohmann::json{{"archive", archive.path}, {"documents", r.documents}, {"changed", r.changed}}.dump(2) << "\n";
        else if (!quiet.quiet)
            std::cerr << archive.path << ": " << r.documents << " documents read, " << r.changed
                      << " with changed entity tags\n";
        return exit_ok;
    }
};

struct CompactCommand {
    CLI::App* cmd = nullptr;
    cli::ArchiveOption archive;
    cli::QuietOption quiet;
    WaitOption waiting;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("compact", "Rewrite the store and index densely, reclaiming space");
        cmd->footer(
            "Trains a new store dictionary, recompresses every document, drops replaced and\n"
            "deleted ones, and compacts the index. Atomic: a crash leaves the old or the new\n"
            "archive, never a mixture. Readers keep working meanwhile.\n"
            "Exit status: 0 done, 3 archive locked, 4 archive damaged or I/O error.");
        archive.add_to(*cmd);
        waiting.add_to(*cmd);
        quiet.add_to(*cmd);
    }

    int run() {
        ArchiveWriter writer = ArchiveWriter::open(archive.path, waiting.wait);
        auto before = std::chrono::steady_clock::now();
        std::uint64_t old_bytes = ArchiveReader(archive.path).state().store_bytes;
        writer.compact();
        if (!quiet.quiet) {
            for (const auto& n : writer.notes()) std::cerr << "recovered: " << n << "\n";
            char buf[200];
            std::snprintf(buf, sizeof buf, "%s: store %.1f MB -> %.1f MB in %.1f s\n",
                          archive.path.c_str(), old_bytes / 1e6,
                          ArchiveReader(archive.path).state().store_bytes / 1e6,
                          std::chrono::duration<double>(std::chrono::steady_clock::now() - before).count());
            std::cerr << buf;
        }
        return exit_ok;
    }
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("panmun-index: build and maintain panmun archives of news articles", "panmun-index");
    app.require_subcommand(1);
    BuildCommand build;
    AddCommand add;
    SyncCommand sync;
    DeleteCommand del;
    VerifyCommand verify;
    StatsCommand stats;
    CompactCommand compact;
    RetagCommand retag;
    build.add_to(app);
    add.add_to(app);
    sync.add_to(app);
    del.add_to(app);
    verify.add_to(app);
    stats.add_to(app);
    compact.add_to(app);
    retag.add_to(app);
    return cli::run(app, argc, argv, cli::ErrorStyle::indexer, [&] {
        if (*add.cmd) return add.run();
        if (*sync.cmd) return sync.run();
        if (*del.cmd) return del.run();
        if (*verify.cmd) return verify.run();
        if (*stats.cmd) return stats.run();
        if (*compact.cmd) return compact.run();
        if (*retag.cmd) return retag.run();
        return build.run();
    });
}
