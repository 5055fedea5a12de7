// NearSource: candidates from Xapian (documents holding every operand), then each candidate's
// term positions checked against the window.
#include "near.hpp"

#include <algorithm>

namespace panmun::query {
namespace {

struct Placed {
    Occurrence at;
    std::size_t operand;
};

// Depth-first over occurrences in position order: the chosen ones, sorted, each starting after
// the previous one ends, with `budget` words still allowed between them.
bool extend(const std::vector<Placed>& all, std::size_t from, Xapian::termpos last, unsigned used,
            std::size_t chosen, std::size_t operands, long budget, bool ordered) {
    if (chosen == operands) return true;
    for (std::size_t j = from; j < all.size(); ++j) {
        const Placed& p = all[j];
        if (p.at.first <= last) continue;  // overlaps the previous one
        const long gap = static_cast<long>(p.at.first - last) - 1;
        if (gap > budget) break;  // and so are all that follow
        if (used & (1u << p.operand)) continue;
        if (ordered && p.operand != chosen) continue;
        if (extend(all, j + 1, p.at.last, used | (1u << p.operand), chosen + 1, operands,
                   budget - gap, ordered))
            return true;
    }
    return false;
}

// Where each alternative of `operand` occurs in document `did`.
std::vector<Occurrence> occurrences_of(const Xapian::Database& db, Xapian::docid did,
                                       const NearSpec::Operand& operand) {
    std::vector<Occurrence> out;
    for (const auto& terms : operand.alternatives) {
        std::vector<std::vector<Xapian::termpos>> positions;
        for (const std::string& term : terms) {
            auto& p = positions.emplace_back();
            for (auto it = db.positionlist_begin(did, term); it != db.positionlist_end(did, term);
                 ++it)
                p.push_back(*it);
        }
        if (positions.empty()) continue;
        for (Xapian::termpos start : positions[0]) {
            bool whole = true;
            for (std::size_t k = 1; k < positions.size() && whole; ++k)
                whole = std::binary_search(positions[k].begin(), positions[k].end(), start + k);
            if (whole)
                out.push_back({start, static_cast<Xapian::termpos>(start + terms.size() - 1)});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const Occurrence& a, const Occurrence& b) { return a.first < b.first; });
    return out;
}

}  // namespace

bool near_match(const std::vector<std::vector<Occurrence>>& occurrences, unsigned window,
                bool ordered) {
    const std::size_t n = occurrences.size();
    if (n == 0 || n > 31 || window == 0) return false;
    std::vector<Placed> all;
    for (std::size_t k = 0; k < n; ++k) {
        if (occurrences[k].empty()) return false;
        for (const Occurrence& o : occurrences[k]) all.push_back({o, k});
    }
    std::sort(all.begin(), all.end(),
              [](const Placed& a, const Placed& b) { return a.at.first < b.at.first; });
    const long budget = static_cast<long>(window) - 1;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (ordered && all[i].operand != 0) continue;
        if (extend(all, i + 1, all[i].at.last, 1u << all[i].operand, 1, n, budget, ordered))
            return true;
    }
    return false;
}

void NearSource::init(const Xapian::Database& db) {
    docs_.clear();
    pos_ = 0;
    started_ = false;
    // Candidates: documents holding every term of some alternative of every operand.
    std::vector<Xapian::Query> operands;
    for (const auto& operand : spec_->operands) {
        std::vector<Xapian::Query> alternatives;
        for (const auto& terms : operand.alternatives)
            alternatives.emplace_back(Xapian::Query::OP_AND, terms.begin(), terms.end());
        if (alternatives.empty()) return;  // a wildcard that stands for no word
        operands.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, operands.begin(), operands.end()));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::MSet candidates = enquire.get_mset(0, db.get_doccount());
    std::vector<std::vector<Occurrence>> occurrences(spec_->operands.size());
    for (auto it = candidates.begin(); it != candidates.end(); ++it) {
        for (std::size_t k = 0; k < spec_->operands.size(); ++k)
            occurrences[k] = occurrences_of(db, *it, spec_->operands[k]);
        if (near_match(occurrences, spec_->window, spec_->ordered)) docs_.push_back(*it);
    }
    std::sort(docs_.begin(), docs_.end());
}

void NearSource::skip_to(Xapian::docid did, double) {
    if (!started_) {
        started_ = true;
        pos_ = 0;
    }
    pos_ = static_cast<std::size_t>(
        std::lower_bound(docs_.begin() + static_cast<std::ptrdiff_t>(std::min(pos_, docs_.size())),
                         docs_.end(), did) -
        docs_.begin());
}

}  // namespace panmun::query
