// How panmun-query prints a result: text for people, or JSON, JSON Lines or CSV for programs,
// with the columns the user chose. One option group shared by `search` and `like`.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "panmun/search.hpp"

namespace panmun::query {

struct OutputOptions {
    enum class Format { text, json, jsonl, csv };
    Format format = Format::text;
    std::vector<std::string> fields;  // empty: the default columns of the format
    bool count_only = false;
    Xapian::doccount limit = 10;
    Xapian::doccount offset = 0;
    FacetRequest facets;  // printed after the hits when any is asked for (search only)

    void add_to(CLI::App& cmd);
    // Checks the choices once parsed; throws UsageError naming a bad field.
    void validate() const;
    // ANSI colour marks on a terminal for text, "**" otherwise.
    Highlight highlight() const;
    // Whether the chosen columns need the stored documents (anything but rank, id, date, score
    // and duplicates, which the index holds).
    bool needs_documents() const;
    // Writes `result`; returns the exit status (0 something found, 1 nothing).
    int print(const SearchResult& result, std::ostream& out) const;

private:
    bool json_flag_ = false, jsonl_flag_ = false, csv_flag_ = false;
    std::string fields_text_;
    std::vector<std::string> chosen() const;
};

}  // namespace panmun::query
