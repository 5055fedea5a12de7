// Percent-encoding (RFC 3986), the one place for it: the web pages' links, the text client of a
// remote shard (archive/remote.cpp) and the web server's reading of request targets.
#pragma once

#include <string>
#include <string_view>

namespace panmun::url {

// Every byte but the unreserved ones (letters, digits, - _ . ~) as %XX: safe in a path segment
// and in a query string's name or value.
std::string encode(std::string_view text);
// %XX decoded; a malformed escape is kept as it is. In a query string, '+' is a space too.
std::string decode(std::string_view text, bool plus_is_space);

}  // namespace panmun::url
