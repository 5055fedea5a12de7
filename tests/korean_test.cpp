// The Korean analysis layer (corpus/include/panmun/korean.hpp): particles, Hanja readings, the
// North's spelling, and what the gazetteer, the index and the snippets make of them.
#include "panmun/korean.hpp"

#include <gtest/gtest.h>

#include <set>

#include "panmun/entities.hpp"
#include "panmun/schema.hpp"
#include "panmun/unicode.hpp"

using namespace panmun;
using korean::utf8;

namespace {

std::u32string u32(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) out += unicode::next(s, i);
    return out;
}

// "stem/reading" of each word of a text, as the analysis reads it.
std::vector<std::string> read(std::string_view text, korean::Context context = {}) {
    std::vector<std::string> out;
    for (const korean::Word& w : korean::analyze(text, context))
        out.push_back(utf8(w.stem) + "/" + utf8(w.reading) + (w.joined ? "+" : ""));
    return out;
}

std::string stem(std::string_view word, bool attached = false) {
    const std::u32string w = u32(word);
    return utf8(w.substr(0, korean::stem_length(w, attached)));
}

std::set<std::string> tags(std::string_view text, korean::Context context = {}) {
    std::set<std::string> out;
    for (const Entity* e : Gazetteer::builtin().tag(text, context)) out.insert(e->id);
    return out;
}

}  // namespace

TEST(Korean, ParticlesComeOffNounsButNotOffNames) {
    EXPECT_EQ(stem("김정은은"), "김정은");
    EXPECT_EQ(stem("김정은"), "김정은");  // a name of three letters ending in 은 keeps it
    EXPECT_EQ(stem("북한에서"), "북한");
    EXPECT_EQ(stem("정상회담을"), "정상회담");
    EXPECT_EQ(stem("기업인들을"), "기업인");
    EXPECT_EQ(stem("평양으로"), "평양");
    EXPECT_EQ(stem("미사일이란"), "미사일");
    EXPECT_EQ(stem("것이란"), "것");              // a noun of one letter
    EXPECT_EQ(stem("이란"), "이란");              // Iran, a word of its own
    EXPECT_EQ(stem("이란", true), "");            // '감옥'이란: the particle alone
    EXPECT_EQ(stem("년이란", true), "년");        // 30년이란
    EXPECT_EQ(stem("우크라이나"), "우크라이나");  // 이나 follows consonants only
    EXPECT_EQ(stem("정상회의"), "정상회의");      // 의 never comes off
    EXPECT_EQ(stem("조선반도"), "조선반도");      // nor 도
    EXPECT_EQ(stem("역사적인"), "역사적");
}

TEST(Korean, TheNorthsSpellingIsBroughtToTheSouths) {
    auto south = [](std::string_view w) { return utf8(korean::south_spelling(u32(w))); };
    EXPECT_EQ(south("로동"), "노동");
    EXPECT_EQ(south("력사"), "역사");
    EXPECT_EQ(south("리설주"), "이설주");
    EXPECT_EQ(south("녀성"), "여성");
    EXPECT_EQ(south("러시아"), "러시아");  // 러 is no Hanja's reading: a loanword keeps it
    // Where the parts of a compound meet, not inside a word.
    EXPECT_EQ(south("조선로동당"), "조선노동당");
    EXPECT_EQ(south("혁명력사"), "혁명역사");
    EXPECT_EQ(south("근로인민"), "근로인민");
    EXPECT_EQ(south("근로자"), "근로자");
    EXPECT_EQ(south("대통령령"), "대통령령");
}

TEST(Korean, HanjaAreReadInHangul) {
    EXPECT_EQ(read("南北"), std::vector<std::string>{"南北/남북"});
    EXPECT_EQ(read("北京"), std::vector<std::string>{"北京/베이징"});
    EXPECT_EQ(read("東北亞"), std::vector<std::string>{"東北亞/동북아"});
    EXPECT_EQ(read("敗北"), std::vector<std::string>{"敗北/패배"});
    EXPECT_EQ(read("勞動"), std::vector<std::string>{"勞動/노동"});
    // Abbreviations: alone, before Hangul, or among others; not as a suffix or a gloss.
    EXPECT_EQ(read("北 도발"), (std::vector<std::string>{"北/북한", "도발/도발"}));
    EXPECT_EQ(read("北김정은"), (std::vector<std::string>{"北/북한", "김정은/김정은"}));
    EXPECT_EQ(read("美국무부"), (std::vector<std::string>{"美/미국", "국무부/국무부"}));
    EXPECT_EQ(read("논의中"), (std::vector<std::string>{"논의/논의", "中/중"}));
    EXPECT_EQ(read("원(圓)"), (std::vector<std::string>{"원/원", "圓/원"}));
    const auto pair = korean::analyze("韓美");
    ASSERT_EQ(pair.size(), 1u);
    EXPECT_EQ(utf8(pair[0].reading), "한미");
    ASSERT_EQ(pair[0].alternatives.size(), 2u);
    EXPECT_EQ(utf8(pair[0].alternatives[1].reading), "미국");
    EXPECT_EQ(pair[0].alternatives[1].offset, 1u);
}

TEST(Korean, DatedAbbreviationsHoldInTheirPeriodOnly) {
    korean::Context in_office, before, undated, query;
    in_office.date = Date::parse_iso("2018-04-27");
    before.date = Date::parse_iso("2010-01-01");
    query.query = true;
    EXPECT_EQ(read("文 대통령", in_office)[0], "文/문재인");
    EXPECT_EQ(read("文 대통령", before)[0], "文/문");
    EXPECT_EQ(read("文 대통령", undated)[0], "文/문");
    EXPECT_EQ(read("文", query)[0], "文/문재인");
    // A year alone lies inside the period only if all of it does.
    korean::Context year_2017;
    year_2017.date = Date::parse_iso("2017");
    EXPECT_EQ(read("文", year_2017)[0], "文/문");
}

TEST(Korean, MiddleDotsJoinAPair) {
    EXPECT_EQ(read("한·미 정상"), (std::vector<std::string>{"한/한", "미/미+", "정상/정상"}));
    EXPECT_EQ(read("북한ㆍ러시아ㆍ이란"),
              (std::vector<std::string>{"북한/북한", "러시아/러시아+", "이란/이란+"}));
}

TEST(Korean, TheGazetteerMatchesReadingsAndBothSpellings) {
    EXPECT_TRUE(tags("北, 미사일 발사").count("dprk"));
    EXPECT_TRUE(tags("北韓의 입장").count("dprk"));
    EXPECT_FALSE(tags("北京에서 회담").count("dprk"));
    EXPECT_TRUE(tags("北김정은 위원장").count("kim-jong-un"));
    EXPECT_TRUE(tags("이설주 여사").count("ri-sol-ju"));
    EXPECT_TRUE(tags("남조선 당국").count("rok"));
    EXPECT_TRUE(tags("북측 대표단").count("dprk"));
    EXPECT_FALSE(tags("논의中").count("china"));
    EXPECT_TRUE(tags("美 국무부").count("usa"));
    korean::Context in_office;
    in_office.date = Date::parse_iso("2018-04-27");
    EXPECT_TRUE(tags("文 대통령", in_office).count("moon-jae-in"));
    EXPECT_FALSE(tags("文 대통령").count("moon-jae-in"));
}

TEST(Korean, TermsArePairsOfLettersWithReadingsWhereTheyDiffer) {
    Document d;
    d.id = "a";
    d.text = "北 로동신문 하여 성과 한·미";
    const Xapian::Document xd = schema::make_document(d, StoreLocation{});
    std::set<std::string> terms;
    for (auto t = xd.termlist_begin(); t != xd.termlist_end(); ++t) terms.insert(*t);
    EXPECT_TRUE(terms.count("北"));
    EXPECT_TRUE(terms.count("XK북한"));
    EXPECT_TRUE(terms.count("로동"));
    EXPECT_TRUE(terms.count("XK노동"));
    EXPECT_FALSE(terms.count("XK신문"));  // the same letters as written: no reading term
    EXPECT_FALSE(terms.count("여성"));    // no pair across a space
    EXPECT_TRUE(terms.count("한미"));     // across a middle dot
}

TEST(Korean, SnippetsMarkWholeWords) {
    auto marked = [](std::string_view text, std::string_view query, bool exact = false) {
        std::string out;
        for (auto [b, e] : korean::find(text, korean::targets(query, exact), {}))
            out += std::string(text.substr(b, e - b)) + "|";
        return out;
    };
    EXPECT_EQ(marked("남북연락사무소 개소", "연락"), "남북연락사무소|");
    EXPECT_EQ(marked("북한이 발사", "북한"), "북한|");  // not the particle
    EXPECT_EQ(marked("北 도발", "북한"), "北|");
    EXPECT_EQ(marked("조선로동당 창건", "노동당"), "조선로동당|");
    EXPECT_EQ(marked("남북 정상 회담", "정상회담"), "정상|회담|");
    EXPECT_EQ(marked("노동과 로동", "로동"), "노동|로동|");
    EXPECT_EQ(marked("노동과 로동", "로동", true), "로동|");  // "로동": as written
}
