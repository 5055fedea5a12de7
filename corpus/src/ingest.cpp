// Ingestor: the loop from reader to archive writer.
#include "panmun/ingest.hpp"

#include <sys/stat.h>

#include "panmun/errors.hpp"

namespace panmun {
namespace {

void note(InputReport& report, Location where, std::string message) {
    ++report.problem_count;
    if (report.problems.size() < InputReport::max_problems)
        report.problems.push_back({std::move(where), std::move(message)});
}

}  // namespace

InputReport IngestReport::total() const {
    InputReport t;
    t.input = "total";
    for (const auto& r : inputs) {
        t.read += r.read;
        t.added += r.added;
        t.replaced += r.replaced;
        t.unchanged += r.unchanged;
        t.skipped += r.skipped;
        t.warnings += r.warnings;
        t.bytes += r.bytes;
        t.problem_count += r.problem_count;
    }
    return t;
}

Ingestor::Ingestor(ArchiveWriter& archive, IngestOptions options, IngestProgress progress)
    : archive_(archive), options_(std::move(options)), progress_(std::move(progress)) {}

void Ingestor::count_document() {
    if (++pending_ >= options_.batch_docs && !options_.dry_run) {
        archive_.commit();
        pending_ = 0;
    }
}

InputReport& Ingestor::read(const std::string& input, const std::string& origin,
                            std::vector<std::string>* ids) {
    InputReport& r = report_.inputs.emplace_back();
    r.input = input == "-" ? "<stdin>" : input;
    std::uint64_t raw_before = report_.raw_bytes_done;
    auto tick = [&](const JsonlReader& reader) {
        r.bytes = reader.bytes_read();
        report_.raw_bytes_done = raw_before + reader.raw_bytes_read();
        report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        if (progress_) progress_(report_);
    };
    std::optional<JsonlReader> reader;
    try {
        reader.emplace(input, options_.map);
    } catch (const InputError& e) {
        ++r.skipped;
        r.complete = false;
        note(r, {r.input, 0}, std::string("skipped: ") + e.reason());
        return r;
    }
    try {
        for (ReadEvent ev = reader->next(); ev.kind != ReadEvent::Kind::end; ev = reader->next()) {
            ++r.read;
            if (ev.kind == ReadEvent::Kind::skipped) {
                ++r.skipped;
                note(r, ev.where, "skipped: " + ev.reason);
                continue;
            }
            Document& doc = ev.document;
            if (options_.existing == IngestOptions::Existing::skip && archive_.contains(doc.id)) {
                ++r.skipped;
                note(r, ev.where, "skipped: duplicate id '" + doc.id + "' (an earlier record has it)");
                continue;
            }
            if (doc.source.empty()) doc.source = options_.default_source;
            if (!ev.warnings.empty()) {
                ++r.warnings;
                for (auto& w : ev.warnings) note(r, ev.where, "warning: " + w);
            }
            if (ids) ids->push_back(doc.id);
            switch (archive_.add(doc, origin)) {
                case ArchiveWriter::AddResult::added: ++r.added; break;
                case ArchiveWriter::AddResult::replaced: ++r.replaced; break;
                case ArchiveWriter::AddResult::unchanged: ++r.unchanged; continue;
            }
            count_document();
            if (progress_ && r.indexed() % 256 == 0) tick(*reader);
        }
    } catch (const InputError& e) {
        // Reading stopped in the middle (I/O error, damaged zstd stream): what was read stays.
        ++r.skipped;
        r.complete = false;
        note(r, {e.file(), e.line()}, "stopped reading: " + e.reason());
    }
    tick(*reader);
    return r;
}

IngestReport Ingestor::finish() {
    if (!options_.dry_run) archive_.commit();
    pending_ = 0;
    report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    return report_;
}

IngestReport ingest(ArchiveWriter& archive, const std::vector<std::string>& inputs,
                    const IngestOptions& options, const IngestProgress& progress) {
    Ingestor ingestor(archive, options, progress);
    for (const std::string& input : inputs) {
        struct stat st {};
        if (input != "-" && ::stat(input.c_str(), &st) == 0 && S_ISREG(st.st_mode))
            ingestor.expect_bytes(static_cast<std::uint64_t>(st.st_size));
    }
    for (const std::string& input : inputs) ingestor.read(input);
    return ingestor.finish();
}

}  // namespace panmun
