// NEAR and ADJ over words and phrases, checked position by position. Xapian's own OP_NEAR takes
// single terms only (a phrase operand throws UnimplementedError, and its query parser silently
// turns `"a b" NEAR c` into something that matches nothing), so panmun finds the documents
// itself: a posting source that, when Xapian initialises it on a database (each shard of a
// combined database on its own), lists the documents in which the operands occur within the
// window, and yields them. docs/QUERY.md states the rule.
#pragma once

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

namespace panmun::query {

struct NearSpec {
    // One operand: a word (one alternative of one term), a phrase (one alternative of its terms
    // in order) or a wildcard (an alternative for each word it stands for).
    struct Operand {
        std::vector<std::vector<std::string>> alternatives;
    };
    std::vector<Operand> operands;
    // NEAR/n: at most n - 1 other words between the operands (each operand, a phrase too, counted
    // as one), so NEAR/1 is side by side. For two single words this is Xapian's parser's NEAR/n,
    // which Omega users know: the words at most n positions apart.
    unsigned window = 10;
    bool ordered = false;  // ADJ: in the order written
};

// Where one occurrence of an operand lies: its first and last word positions.
struct Occurrence {
    Xapian::termpos first = 0, last = 0;
};

// True if one occurrence of each operand (occurrences[k] for operand k), none overlapping
// another, have at most window - 1 words between them in all (in operand order when `ordered`).
bool near_match(const std::vector<std::vector<Occurrence>>& occurrences, unsigned window,
                bool ordered);

class NearSource : public Xapian::PostingSource {
public:
    explicit NearSource(std::shared_ptr<const NearSpec> spec) : spec_(std::move(spec)) {}

    void init(const Xapian::Database& db) override;
    Xapian::PostingSource* clone() const override { return new NearSource(spec_); }
    Xapian::doccount get_termfreq_min() const override {
        return static_cast<Xapian::doccount>(docs_.size());
    }
    Xapian::doccount get_termfreq_est() const override {
        return static_cast<Xapian::doccount>(docs_.size());
    }
    Xapian::doccount get_termfreq_max() const override {
        return static_cast<Xapian::doccount>(docs_.size());
    }
    void next(double) override { pos_ = started_ ? pos_ + 1 : 0, started_ = true; }
    void skip_to(Xapian::docid did, double) override;
    bool at_end() const override { return started_ && pos_ >= docs_.size(); }
    Xapian::docid get_docid() const override { return docs_[pos_]; }
    std::string get_description() const override { return "NearSource"; }

private:
    std::shared_ptr<const NearSpec> spec_;
    std::vector<Xapian::docid> docs_;  // matching, ascending
    std::size_t pos_ = 0;
    bool started_ = false;
};

}  // namespace panmun::query
