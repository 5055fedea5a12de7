#include "panmun/clean.hpp"

#include <gtest/gtest.h>

#include "panmun/errors.hpp"

using namespace panmun;

TEST(Clean, ValidUtf8IsKeptAndItsByteOrderMarkDropped) {
    Utf8Text u = to_utf8("\xEF\xBB\xBF김정은 Kim");
    EXPECT_EQ(u.text, "김정은 Kim");
    EXPECT_EQ(u.from, Utf8Text::From::utf8);
}

TEST(Clean, Cp949IsConvertedAndOtherInvalidBytesAreRepairedAndCounted) {
    Utf8Text k =
        to_utf8("\xB1\xE8\xC1\xA4\xC0\xBA \xC0\xA7\xBF\xF8\xC0\xE5");  // 김정은 위원장, EUC-KR
    EXPECT_EQ(k.from, Utf8Text::From::cp949);
    EXPECT_EQ(k.text, "김정은 위원장");
    Utf8Text r = to_utf8("caf\xE9 au lait \xFF");  // Latin-1 é, and a byte no encoding has here
    EXPECT_EQ(r.from, Utf8Text::From::repaired);
    EXPECT_EQ(r.repaired, 2u);
    EXPECT_EQ(r.text, "caf\xEF\xBF\xBD au lait \xEF\xBF\xBD");
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // a UTF-16 surrogate
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong
}

TEST(Clean, EntitiesAreDecodedControlReferencesDropped) {
    EXPECT_EQ(decode_entities(
                  "AT&amp;T &lt;b&gt; &#8220;x&#x201D; &nbsp;&mdash; &#3;&#2;end &bogus; & so"),
              "AT&T <b> \xE2\x80\x9Cx\xE2\x80\x9D  \xE2\x80\x94 end &bogus; & so");
}

TEST(Clean, MarkupIsStrippedButPlainAngleBracketsStay) {
    EXPECT_EQ(
        strip_markup("<p>Kim <b>met</b> Moon</p><!-- ad --><script>x()</script>2 < 3 &amp; 4 > 1"),
        "\nKim  met  Moon\n2 < 3 & 4 > 1");
}

TEST(Clean, NfcComposesDecomposedHangulAndLatin) {
    // 김 as conjoining jamo (U+1100 U+1175 U+11B7) and e + combining acute.
    EXPECT_EQ(to_nfc("\xE1\x84\x80\xE1\x85\xB5\xE1\x86\xB7 Cafe\xCC\x81"), "김 Café");
    EXPECT_EQ(to_nfc("김정은"), "김정은");
}

TEST(Clean, BoilerplateLinesCommentLeftoversAndKcnaJoinsGo) {
    Cleaner cleaner;
    CleanCounts counts;
    std::string text = cleaner.text(
        "!-- Google tag (gtag.js) -->\n\nNorth Korea cut the lines.\n\n\nAlso read: Something "
        "else\n"
        "  Image Source: Vox\nThe talks   ended.\t\nClick here to subscribe\nShare this article",
        false, counts);
    EXPECT_EQ(text, "North Korea cut the lines.\n\nThe talks ended.");
    EXPECT_EQ(counts.boilerplate_lines, 5u);
    EXPECT_EQ(
        cleaner.text("The hall was packed., The speech followed., , , , ,  , , ", false, counts),
        "The hall was packed.\nThe speech followed.");
    EXPECT_EQ(cleaner.text("the U.S., Japan and China", false, counts),
              "the U.S., Japan and China");
}

TEST(Clean, UsersPatternsReplaceTheDefaultsAndBadOnesAreUsageErrors) {
    CleanOptions none;
    none.boilerplate.clear();
    CleanCounts counts;
    EXPECT_EQ(Cleaner(none).text("Also read: kept\nbody", false, counts), "Also read: kept\nbody");
    CleanOptions own;
    own.boilerplate = {"-- ?advertisement"};
    EXPECT_EQ(Cleaner(own).text("body\n-- Advertisement\nmore", false, counts), "body\nmore");
    own.boilerplate = {"(unclosed"};
    EXPECT_THROW(Cleaner{own}, UsageError);
}

TEST(Clean, TitlesComeFromAShortFirstLineOrTheFirstSentence) {
    EXPECT_EQ(title_from_text("North severs hotline\nPyongyang, March 27 (KCNA) -- ..."),
              "North severs hotline");
    EXPECT_EQ(
        title_from_text(
            "The North cut the last military hotline on Wednesday. It said war could break out."),
        "The North cut the last military hotline on Wednesday.");
    std::string longest(300, 'a');
    std::string t = title_from_text("word " + longest);
    EXPECT_LE(t.size(), 130u);
    EXPECT_EQ(t.substr(t.size() - 3), "…");
}
