// Snippets (internal to search.cpp): the passage of a hit's text shown under its title, with
// the query's words marked.
#pragma once

#include <string>
#include <vector>

#include "panmun/document.hpp"
#include "panmun/korean.hpp"
#include "panmun/search.hpp"

namespace panmun {

// Internal snippet markers, replaced by the caller's marks once their positions are known.
inline constexpr char mark_open = '\x01';
inline constexpr char mark_close = '\x02';

// A passage of about `bytes` of the document's text around the most of its words that hold the
// Korean targets, those words marked with the internal markers, "…" where the text goes on; ""
// when the text holds none of them (no targets, or the match is in the title only).
std::string korean_snippet(const Document& doc, const std::vector<korean::Target>& targets,
                           std::size_t bytes);

// Splits a snippet made with the internal markers into Hit::plain_snippet and its marked spans,
// and makes Hit::snippet with the caller's marks.
void split_marks(const std::string& marked, Hit& hit, const Highlight& marks);

}  // namespace panmun
