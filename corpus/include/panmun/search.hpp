// Ranked search over an archive: BM25 (Xapian's default weighting) with snippets.
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

#include "panmun/archive.hpp"
#include "panmun/document.hpp"

namespace panmun {

struct SearchRequest {
    std::string query;  // the user's query, in the syntax of docs/QUERY.md
    Xapian::doccount offset = 0;
    Xapian::doccount limit = 10;
};

// How matched words are marked in snippets: ANSI bold on a terminal, "**" in plain text and JSON.
struct Highlight {
    std::string start = "**";
    std::string end = "**";
    std::size_t snippet_bytes = 240;  // the length of the passage, as Xapian counts it
};

struct Hit {
    Xapian::doccount rank = 0;  // 1-based, counting from the first result of the whole query
    double score = 0;           // BM25 weight
    Document document;
    std::string snippet;  // the best passage with matched words marked; "…" where text is cut
};

struct SearchResult {
    std::string query;
    Xapian::doccount total = 0;  // exact number of matching documents
    std::vector<Hit> hits;
};

// Runs `request` on `archive`. Throws UsageError on a query syntax error; reopens the archive
// and retries if a writer commits while the results are being read.
SearchResult search(ArchiveReader& archive, const SearchRequest& request, const Highlight& marks);

}  // namespace panmun
