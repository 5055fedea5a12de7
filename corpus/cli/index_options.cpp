// panmun-index's option groups.
#include "index_options.hpp"

#include <fstream>
#include <iterator>
#include <map>

#include "panmun/errors.hpp"

namespace panmun::cli {

void InputOptions::add_to(CLI::App& cmd) {
    std::map<std::string, Format> formats;
    for (Format f : {Format::automatic, Format::jsonl, Format::json, Format::csv, Format::html,
                     Format::text, Format::sgml, Format::nitf})
        formats.emplace(std::string(format_name(f)), f);
    cmd.add_option(
           "--format", format,
           "Input format: auto (by name and content), jsonl, json, csv, html, text, sgml, nitf")
        ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case))
        ->default_str("auto");
    cmd.add_option("--map", map_spec,
                   "Input keys (JSON) or columns (CSV) for our fields, e.g. "
                   "title=headline,date=date_str,text=story_text");
    cmd.add_option("--source", source, "Source for records that name none (e.g. KCNA)");
    cmd.add_option("--delimiter", delimiter,
                   "CSV field delimiter (default: tab for .tsv, else comma; 'tab' for a tab)")
        ->transform(
            CLI::Transformer(std::map<std::string, std::string>{{"tab", "\t"}, {"\\t", "\t"}}))
        ->check(CLI::Validator(
            [](std::string& v) { return v.size() == 1 ? "" : "give one character or 'tab'"; },
            "CHAR"));
    cmd.add_option("--include", include,
                   "Read only files and tar members matching this glob (repeatable)");
    cmd.add_option("--exclude", exclude,
                   "Do not read files and tar members matching this glob (repeatable)");
    cmd.add_option(
           "--boilerplate", boilerplate_file,
           "File of line patterns to drop (one regular expression a line), instead of the defaults")
        ->check(CLI::ExistingFile);
    cmd.add_flag("--no-boilerplate", no_boilerplate, "Keep every line (no boilerplate patterns)");
    cmd.add_option(
           "--date-from", date_from_mtime,
           "Where undated documents get a date: content (their own metadata, dateline or path; "
           "default) or mtime (else the file's modification time)")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, bool>{{"content", false}, {"mtime", true}}))
        ->default_str("content");
    cmd.add_option("--id-from", id_from,
                   "Ids of records without one: content (a hash of the record; default) or url "
                   "(a hash of the URL when there is one)")
        ->transform(CLI::CheckedTransformer(std::map<std::string, IngestOptions::IdFrom>{
            {"content", IngestOptions::IdFrom::content}, {"url", IngestOptions::IdFrom::url}}))
        ->default_str("content");
    cmd.add_flag("--strict", strict, "Any skipped record or file is an error: commit nothing");
    cmd.add_option("--batch", batch, "Documents per commit (each commit is atomic)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd.add_option(
           "--threads", threads,
           "Threads: 1 does everything on one core; 2 or more clean and tag records on one "
           "core while another indexes and stores them (build compresses its final store on all)")
        ->capture_default_str()
        ->check(CLI::Range(1u, 64u));
}

IngestOptions InputOptions::options() const {
    IngestOptions o;
    o.format = format;
    o.map = FieldMap::parse(map_spec);
    o.default_source = source;
    o.batch_docs = batch;
    o.threads = threads;
    o.delimiter = delimiter;
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
    o.date_from_mtime = date_from_mtime;
    o.id_from = id_from;
    o.strict = strict;
    return o;
}

void EntitiesOption::add_to(CLI::App& cmd) {
    cmd.add_option(
           "--entities", file,
           "A gazetteer of your own (the TSV format of corpus/entities/gazetteer.tsv), kept in the "
           "archive and used from now on with the built-in one")
        ->check(CLI::ExistingFile);
}

void EntitiesOption::apply(ArchiveWriter& writer) const {
    if (file.empty()) return;
    std::ifstream in(file, std::ios::binary);
    if (!in) throw UsageError("cannot read --entities file " + file);
    std::string tsv((std::istreambuf_iterator<char>(in)), {});
    writer.set_entities(tsv, file);
}

void WaitOption::add_to(CLI::App& cmd) {
    cmd.add_flag("--wait", wait,
                 "If another process is updating the archive, wait for it (default: exit 3)");
}

void UpdateOptions::add_to(CLI::App& cmd) {
    waiting.add_to(cmd);
    cmd.add_flag("-n,--dry-run", dry_run, "Report what would change, change nothing");
}

void VerboseOption::add_to(CLI::App& cmd) {
    cmd.add_flag("-v,--verbose", verbose, "List every problem kept (up to 100 per input)");
}

void StoreOptionsGroup::add_to(CLI::App& cmd) {
    CLI::Option* best_flag = cmd.add_flag(
        "--best", best,
        "End with the archival rewrite of the store: a dictionary trained on the documents, "
        "each recompressed at --zstd-level (a smaller store, a longer build; compact --best "
        "does it later)");
    cmd.add_option("--zstd-level", store.compact_level,
                   "Store compression level of --best: higher is smaller and slower to build; "
                   "reading speed barely changes (if unsure, keep the default)")
        ->capture_default_str()
        ->check(CLI::Range(1, 22))
        ->needs(best_flag);
    cmd.add_option(
           "--cluster-bytes", store.cluster_bytes,
           "Uncompressed bytes per store cluster: bigger compresses better, costs more to read one "
           "document (if unsure, keep the default)")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{1}, std::size_t{64} << 20));
    cmd.add_option(
           "--dictionary-bytes", store.dictionary_max_bytes,
           "Largest store dictionary of --best, 0 for none: bigger compresses better; every "
           "process that reads documents decompresses it once, 1-2 ms a MiB")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{0}, std::size_t{64} << 20))
        ->needs(best_flag);
}

}  // namespace panmun::cli
