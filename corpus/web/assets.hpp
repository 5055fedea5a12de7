// The page's assets (corpus/web/assets/), compiled into the program by embed_assets.cmake: the
// interface works with no network and nothing installed beside the binary.
#pragma once

#include <cstddef>
#include <string_view>

namespace panmun::web {

struct Asset {
    const char* name;  // "app.js"
    const char* type;  // its Content-Type
    const char* data;
    std::size_t size;
};

// The asset called `name`, or null.
const Asset* find_asset(std::string_view name);

}  // namespace panmun::web
