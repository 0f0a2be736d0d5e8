#include "marc/text.hpp"

#include <gtest/gtest.h>

namespace bookstamp::marc {
namespace {

TEST(FindInvalidUtf8, AcceptsValidText) {
  EXPECT_EQ(FindInvalidUtf8("plain"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("F\xC3\xA9nelon \xE5\x9C\x8B \xF0\x9F\x93\x9A"), std::string_view::npos);
}

TEST(FindInvalidUtf8, PointsAtTheFirstBadByte) {
  struct Row {
    const char* name;
    std::string text;
    std::size_t at;
  };
  for (const auto& row : std::vector<Row>{{"lone continuation", "ab\x80", 2},
                                          {"MARC-8 acute before e",
                                           "F\xE2"
                                           "enelon",
                                           1},
                                          {"truncated at end", "ab\xE5\x9C", 2},
                                          {"overlong slash", "\xC0\xAF", 0},
                                          {"surrogate", "x\xED\xA0\x80", 1},
                                          {"past U+10FFFF", "\xF4\x90\x80\x80", 0}}) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(FindInvalidUtf8(row.text), row.at);
  }
}

TEST(Marc8Decoder, DecodesAnselDiacriticsBeforeTheirLetter) {
  Marc8Decoder d;
  // MARC-8 puts the combining acute (0xE2) before the letter; Unicode after it.
  EXPECT_EQ(d.Decode("F\xE2"
                     "enelon"),
            "Fe\xCC\x81nelon");
}

TEST(Marc8Decoder, DecodesEaccChinese) {
  Marc8Decoder d;
  // ESC $ 1 selects EACC; 0x213064 is 人; ESC ( B returns to ASCII.
  EXPECT_EQ(d.Decode("\x1B$1\x21\x30\x64\x1B(B end"), "\xE4\xBA\xBA end");
}

TEST(Marc8Decoder, KeepsSubfieldDelimiters) {
  Marc8Decoder d;
  EXPECT_EQ(d.Decode("10\x1F"
                     "aPari\xE2"
                     "s\x1F"
                     "b1906"),
            "10\x1F"
            "aParis\xCC\x81\x1F"
            "b1906");
}

TEST(Marc8Decoder, RefusesAnUnknownEscapeSequence) {
  Marc8Decoder d;
  EXPECT_FALSE(d.Decode("x\x1B(Zqq"));
}

TEST(Marc8Decoder, StartsEachCallInTheDefaultSets) {
  Marc8Decoder d;
  ASSERT_TRUE(d.Decode("\x1B(3abc"));  // Arabic left selected at the end
  EXPECT_EQ(d.Decode("abc"), "abc");
}

TEST(NfcNormalizer, ComposesLettersAndMarks) {
  NfcNormalizer n;
  EXPECT_EQ(n.Normalize("Fe\xCC\x81nelon"), "F\xC3\xA9nelon");
  EXPECT_EQ(n.Normalize("\xD0\xB8\xCC\x86"), "\xD0\xB9");  // и + breve = й
}

TEST(NfcNormalizer, LeavesAsciiAndCjkAlone) {
  NfcNormalizer n;
  EXPECT_EQ(n.Normalize("  two  spaces "), "  two  spaces ");
  EXPECT_EQ(n.Normalize("\xE7\xB4\x85\xE6\xA8\x93\xE5\xA4\xA2"), "\xE7\xB4\x85\xE6\xA8\x93\xE5\xA4\xA2");
  EXPECT_EQ(n.Normalize(""), "");
}

}  // namespace
}  // namespace bookstamp::marc
