// The programs' shared pieces (corpus/cli/options.cpp).
#include "options.hpp"

#include <gtest/gtest.h>

using namespace panmun;

// Snippets wrap to the terminal with their indent kept on every line; colour sequences and the
// double width of Hangul are counted as a terminal shows them.
TEST(Wrap, LinesKeepTheirIndentAndFitTheTerminal) {
    const std::string text = "one two three four five six seven eight nine ten eleven twelve";
    const std::string wrapped = cli::wrap(text, 24, "   ");
    EXPECT_EQ(wrapped, "one two three four\n   five six seven eight\n   nine ten eleven\n   twelve");
    EXPECT_EQ(cli::wrap(text, 0, "   "), text);  // not a terminal: one line
    // "\033[1;33m" takes no cell; each Hangul syllable takes two.
    EXPECT_EQ(cli::wrap("aa \033[1;33mbb\033[0m cc dd ee ff gg", 15, "  "), "aa \033[1;33mbb\033[0m cc dd\n  ee ff gg");
    EXPECT_EQ(cli::wrap("김정은 위원장이 판문점에서 말했다 그리고", 20, "  "), "김정은 위원장이\n  판문점에서 말했다\n  그리고");
}
