// Ingestion: read inputs, add their documents to an archive in batches, and report per input
// what was read, indexed and skipped (with file:line and reason).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "panmun/archive.hpp"
#include "panmun/jsonl.hpp"

namespace panmun {

struct IngestOptions {
    FieldMap map;
    std::string default_source;  // for records without a source
    // Documents per commit. Measured on KCNA 2012 (10,315 stories, one core): batches of
    // 250/500/1,000/2,000/10,000 took 7.1/6.7/7.3/8.1/11.0 s with peak RSS 26/34/49/75/268 MB.
    // Xapian's pending changes grow costly to merge beyond a few hundred documents.
    std::size_t batch_docs = 500;
};

struct Problem {
    Location where;
    std::string message;
};

struct InputReport {
    std::string input;
    std::uint64_t read = 0;      // records seen (documents plus skipped)
    std::uint64_t indexed = 0;   // documents added to the archive
    std::uint64_t skipped = 0;
    std::uint64_t warnings = 0;  // documents indexed with a field dropped (e.g. unreadable date)
    std::uint64_t bytes = 0;     // input bytes read (decompressed)
    std::uint64_t problem_count = 0;  // skips and warnings, each warning counted once
    // The first problems (skips and warnings), at most max_problems of them.
    std::vector<Problem> problems;
    static constexpr std::size_t max_problems = 100;
};

struct IngestReport {
    std::vector<InputReport> inputs;
    double seconds = 0;
    InputReport total() const;  // sums over inputs (problems not copied)
};

// Called now and then (every 256 documents and at the end of each input) with the report so far.
using IngestProgress = std::function<void(const IngestReport&)>;

// Adds every document of `inputs` ("-" is standard input) to `archive`, committing every
// options.batch_docs documents and at the end. A record whose id is already in the archive is
// skipped as a duplicate. An input that cannot be opened throws InputError before anything of
// it is added; earlier inputs stay committed.
IngestReport ingest(ArchiveWriter& archive, const std::vector<std::string>& inputs,
                    const IngestOptions& options, const IngestProgress& progress = {});

}  // namespace panmun
