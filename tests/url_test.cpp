#include "panmun/url.hpp"

#include <gtest/gtest.h>

using panmun::url::decode;
using panmun::url::encode;

TEST(Url, EncodesAllButTheUnreservedBytes) {
    EXPECT_EQ(encode("kcna-2012_01.x~y"), "kcna-2012_01.x~y");
    EXPECT_EQ(encode("a b/c?d&e=f+g%"), "a%20b%2Fc%3Fd%26e%3Df%2Bg%25");
    EXPECT_EQ(encode("김정은"), "%EA%B9%80%EC%A0%95%EC%9D%80");
    std::string every;
    for (int c = 0; c < 256; ++c) every += static_cast<char>(c);
    EXPECT_EQ(decode(encode(every), false), every);
    EXPECT_EQ(decode(encode(every), true), every) << "an encoded '+' stays a plus";
}

TEST(Url, DecodesEscapesAndKeepsMalformedOnes) {
    EXPECT_EQ(decode("%EA%B9%80%ec%a0%95", false), "김정");
    EXPECT_EQ(decode("a+b", true), "a b");
    EXPECT_EQ(decode("a+b", false), "a+b") << "in a path, '+' is itself";
    EXPECT_EQ(decode("100%", false), "100%");
    EXPECT_EQ(decode("%4", false), "%4");
    EXPECT_EQ(decode("%zz%41", false), "%zzA");
}
