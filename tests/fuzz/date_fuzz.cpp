// libFuzzer target: the date parser. Whatever it accepts must be a real date that survives the
// sortable round trip.
#include <cstdint>
#include <string_view>

#include "panmun/date.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto d = panmun::Date::parse_iso(text);
    if (!d) return 0;
    auto back = panmun::Date::from_sortable(d->sortable());
    if (!back || !(*back == *d)) __builtin_trap();
    if (panmun::Date::parse_iso(d->iso()) != d) __builtin_trap();
    return 0;
}
