// The cluster codecs: encoding (codec 5) and decoding (codecs 2 to 5).
#include "store/cluster.hpp"

#include <algorithm>
#include <array>

#include "store/bytes.hpp"

namespace panmun::store {
namespace {

// 5 added the path of the input file (before the texts); 4 put the texts last, so that a fetch
// can stop decompressing at its document's text; 3 added the author (after the texts); 2 had 7
// fields. All of them still read.
constexpr unsigned char codec_version = 5;
constexpr std::size_t field_count = 9;
constexpr std::size_t text_field = field_count - 1;

// The fields of a document, in codec 5's order; the date in its sortable form.
std::array<std::string_view, field_count> fields_of(const Document& d, const std::string& date) {
    return {d.id, d.title, date, d.source, d.url, d.lang, d.author, d.path, d.text};
}
std::array<std::string*, field_count> targets_of(Document& d, std::string& date) {
    return {&d.id, &d.title, &date, &d.source, &d.url, &d.lang, &d.author, &d.path, &d.text};
}

// The k-th field a codec stores is fields_of()[order[k]].
struct Codec {
    unsigned char version;
    std::size_t fields;
    std::array<std::size_t, field_count> order;
};
constexpr Codec codecs[] = {
    {5, 9, {0, 1, 2, 3, 4, 5, 6, 7, 8}},
    {4, 8, {0, 1, 2, 3, 4, 5, 6, 8}},  // no path
    {3, 8, {0, 1, 2, 3, 4, 5, 8, 6}},  // the text before the author
    {2, 7, {0, 1, 2, 3, 4, 5, 8}},     // no author
};

enum class HeadResult { ok, incomplete, malformed };

// Parses the head of `in`, the first bytes of a plaintext of `whole` bytes: incomplete while
// more bytes are needed.
HeadResult parse_head(std::string_view in, std::size_t whole, ClusterHead& head) {
    const std::size_t got = in.size();
    const HeadResult short_ = got < whole ? HeadResult::incomplete : HeadResult::malformed;
    if (in.empty()) return short_;
    const auto version = static_cast<unsigned char>(in[0]);
    const Codec* codec = std::find_if(std::begin(codecs), std::end(codecs),
                                      [&](const Codec& c) { return c.version == version; });
    if (codec == std::end(codecs)) return HeadResult::malformed;
    head.order = codec->order.data();
    head.fields = codec->fields;
    in.remove_prefix(1);
    if (!get_varint(in, head.count)) return short_;
    if (head.count > whole / head.fields)
        return HeadResult::malformed;  // a byte per length at least
    head.lengths.resize(head.count * head.fields);
    for (auto& len : head.lengths)
        if (!get_varint(in, len)) return short_;
    head.bytes = got - in.size();
    return HeadResult::ok;
}

}  // namespace

void ClusterEncoder::add(const Document& d) {
    docs_.push_back(d);
    bytes_ += d.text.size() + d.title.size() + d.url.size() + d.id.size() + d.author.size() +
              d.path.size() + 32;
}

void ClusterEncoder::clear() {
    docs_.clear();
    bytes_ = 0;
}

ClusterEncoder::Plain ClusterEncoder::encode() const {
    std::vector<std::string> dates;
    dates.reserve(docs_.size());
    for (const auto& d : docs_) dates.push_back(d.date.sortable());
    Plain out;
    std::string& bytes = out.bytes;
    bytes.reserve(bytes_ + 16);
    bytes.push_back(static_cast<char>(codec_version));
    put_varint(bytes, docs_.size());
    for (std::size_t f = 0; f < field_count; ++f)
        for (std::size_t i = 0; i < docs_.size(); ++i)
            put_varint(bytes, fields_of(docs_[i], dates[i])[f].size());
    const std::size_t first_part = (docs_.size() * 11 + 19) / 20;  // 55 %, rounded up
    for (std::size_t f = 0; f < field_count; ++f)
        for (std::size_t i = 0; i < docs_.size(); ++i) {
            bytes += fields_of(docs_[i], dates[i])[f];
            if (f == text_field && i + 1 == first_part && first_part < docs_.size())
                out.block_end = bytes.size();
        }
    return out;
}

std::size_t bytes_needed(std::string_view in, std::size_t only, std::size_t whole,
                         ClusterHead& head) {
    HeadResult r = parse_head(in, whole, head);
    if (r == HeadResult::incomplete) return 0;
    if (r == HeadResult::malformed || head.order[head.fields - 1] != text_field ||
        only >= head.count)
        return whole;
    std::uint64_t end = head.bytes;  // every field before the texts, then texts up to `only`'s
    const std::size_t texts = (head.fields - 1) * head.count;
    for (std::size_t k = 0; k < texts + only + 1; ++k) end += head.lengths[k];
    return static_cast<std::size_t>(std::min<std::uint64_t>(end, whole));
}

bool decode_cluster(std::string_view in, ClusterHead& head, std::vector<Document>& docs,
                    std::size_t only) {
    if (!head.bytes && parse_head(in, in.size(), head) != HeadResult::ok) return false;
    const std::uint64_t n = head.count;
    if (only != SIZE_MAX && only >= n) return false;
    in.remove_prefix(head.bytes);
    docs.assign(only == SIZE_MAX ? n : only + 1, Document{});
    std::vector<std::string> dates(docs.size());
    bool done = false;
    for (std::size_t k = 0; k < head.fields && !done; ++k) {
        for (std::size_t i = 0; i < n; ++i) {
            std::uint64_t len = head.lengths[k * n + i];
            if (len > in.size()) return false;
            if (only == SIZE_MAX || i == only) {
                *targets_of(docs[i], dates[i])[head.order[k]] = in.substr(0, len);
                if (i == only && k == head.fields - 1) {
                    done = true;  // the rest of the plaintext may not be there
                    break;
                }
            }
            in.remove_prefix(len);
        }
    }
    if (!done && !in.empty()) return false;
    for (std::size_t i = 0; i < docs.size(); ++i) {
        if (only != SIZE_MAX && i != only) continue;
        auto date = Date::from_sortable(dates[i]);
        if (!date) return false;
        docs[i].date = *date;
    }
    return true;
}

}  // namespace panmun::store
