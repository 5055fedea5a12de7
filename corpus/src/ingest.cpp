// ingest(): the loop from reader to archive writer.
#include "panmun/ingest.hpp"

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
        t.indexed += r.indexed;
        t.skipped += r.skipped;
        t.warnings += r.warnings;
        t.bytes += r.bytes;
    }
    return t;
}

IngestReport ingest(ArchiveWriter& archive, const std::vector<std::string>& inputs,
                    const IngestOptions& options, const IngestProgress& progress) {
    auto start = std::chrono::steady_clock::now();
    IngestReport report;
    std::size_t pending = 0;
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    for (const std::string& input : inputs) {
        JsonlReader reader(input, options.map);
        InputReport& r = report.inputs.emplace_back();
        r.input = input == "-" ? "<stdin>" : input;
        for (ReadEvent ev = reader.next(); ev.kind != ReadEvent::Kind::end; ev = reader.next()) {
            ++r.read;
            if (ev.kind == ReadEvent::Kind::skipped) {
                ++r.skipped;
                note(r, ev.where, "skipped: " + ev.reason);
                continue;
            }
            Document& doc = ev.document;
            if (archive.contains(doc.id)) {
                ++r.skipped;
                note(r, ev.where, "skipped: duplicate id '" + doc.id + "' (an earlier record has it)");
                continue;
            }
            if (doc.source.empty()) doc.source = options.default_source;
            if (!ev.warnings.empty()) {
                ++r.warnings;
                for (auto& w : ev.warnings) note(r, ev.where, "warning: " + w);
            }
            archive.add(doc);
            ++r.indexed;
            if (++pending >= options.batch_docs) {
                archive.commit();
                pending = 0;
            }
            if (progress && r.indexed % 256 == 0) {
                r.bytes = reader.bytes_read();
                report.seconds = elapsed();
                progress(report);
            }
        }
        r.bytes = reader.bytes_read();
        report.seconds = elapsed();
        if (progress) progress(report);
    }
    archive.commit();
    report.seconds = elapsed();
    return report;
}

}  // namespace panmun
