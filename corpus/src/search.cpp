// search(): parse, match, rank, then fetch each hit's stored text for its snippet.
#include "panmun/search.hpp"

#include "panmun/schema.hpp"

namespace panmun {
namespace {

constexpr int modified_retries = 3;

// Xapian marks each matched n-gram of Hangul or CJK text separately ("**김****여****정**");
// one mark around the run reads better ("**김여정**").
void merge_adjacent_marks(std::string& snippet, const Highlight& marks) {
    const std::string seam = marks.end + marks.start;
    for (std::size_t at = snippet.find(seam); at != std::string::npos; at = snippet.find(seam, at))
        snippet.erase(at, seam.size());
}

SearchResult run_once(ArchiveReader& archive, const SearchRequest& request, const Highlight& marks) {
    const Xapian::Database& db = archive.database();
    Xapian::QueryParser parser = schema::make_query_parser(db);
    Xapian::Query query = schema::parse_query(parser, request.query);

    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    // Asking Xapian to check every document makes `total` exact rather than an estimate:
    // researchers count matches, so an estimate is not good enough.
    Xapian::MSet mset = enquire.get_mset(request.offset, request.limit, db.get_doccount());

    SearchResult result;
    result.query = request.query;
    result.total = mset.get_matches_estimated();
    Xapian::doccount rank = request.offset;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Hit hit;
        hit.rank = ++rank;
        hit.score = it.get_weight();
        hit.document = archive.fetch(*it);
        hit.snippet = mset.snippet(hit.document.text, marks.snippet_bytes, schema::stemmer(),
                                   Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
                                       Xapian::MSet::SNIPPET_EXHAUSTIVE |
                                       Xapian::MSet::SNIPPET_CJK_NGRAM,
                                   marks.start, marks.end, "…");
        merge_adjacent_marks(hit.snippet, marks);
        result.hits.push_back(std::move(hit));
    }
    return result;
}

}  // namespace

SearchResult search(ArchiveReader& archive, const SearchRequest& request, const Highlight& marks) {
    for (int attempt = 1;; ++attempt) {
        try {
            return run_once(archive, request, marks);
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt == modified_retries) throw;
            archive.reopen();
        }
    }
}

}  // namespace panmun
