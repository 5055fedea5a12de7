// libFuzzer target: the date parsers and the date ranges of queries. Whatever parse_iso accepts
// must be a real date that survives the sortable round trip; whatever DateRange::parse accepts
// must be a non-empty range whose bounds are 8 digits.
#include <cstdint>
#include <string_view>

#include "panmun/date.hpp"
#include "panmun/date_clues.hpp"

namespace {

bool bound_ok(const std::string& b) {
    if (b.empty()) return true;
    if (b.size() != 8) return false;
    for (char c : b)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto range = panmun::DateRange::parse(text)) {
        if (!bound_ok(range->low) || !bound_ok(range->high) || range->is_open()) __builtin_trap();
        if (!range->low.empty() && !range->high.empty() && range->high < range->low)
            __builtin_trap();
    }
    for (auto any : {panmun::Date::parse(text), panmun::date_from_dateline(text, 2011),
                     panmun::date_from_path(text)})
        if (any && panmun::Date::from_sortable(any->sortable()) != any) __builtin_trap();
    auto d = panmun::Date::parse_iso(text);
    if (!d) return 0;
    if (panmun::Date::parse(text) != d) __builtin_trap();  // parse() reads ISO as parse_iso() does
    auto back = panmun::Date::from_sortable(d->sortable());
    if (!back || !(*back == *d)) __builtin_trap();
    if (panmun::Date::parse_iso(d->iso()) != d) __builtin_trap();
    if (!panmun::DateRange::of(*d).contains(*d)) __builtin_trap();
    return 0;
}
