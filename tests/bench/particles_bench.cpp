// For scripts/bench-korean: reads Korean words, one a line, and prints each one's stem as
// panmun's particle rules find it (korean::stem_length), one a line.
#include <iostream>
#include <string>

#include "panmun/korean.hpp"
#include "panmun/unicode.hpp"

int main() {
    using namespace panmun;
    for (std::string line; std::getline(std::cin, line);) {
        std::u32string word;
        for (std::size_t i = 0; i < line.size();) word += unicode::next(line, i);
        std::cout << korean::utf8(word.substr(0, korean::stem_length(word, false))) << "\n";
    }
}
