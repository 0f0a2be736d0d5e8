#include "search/text_fold.hpp"

#include <gtest/gtest.h>

namespace bookstamp::search {
namespace {

const TextFolder& Folder() {
  static TextFolder f;
  return f;
}

TEST(TextFolder, FoldsTraditionalAndSimplifiedToOneForm) {
  EXPECT_EQ(Folder().Fold("國家圖書館"), Folder().Fold("国家图书馆"));
  EXPECT_EQ(Folder().Fold("紅樓夢"), Folder().Fold("红楼梦"));
  EXPECT_EQ(Folder().Fold("臺灣"), Folder().Fold("台湾"));
}

TEST(TextFolder, FoldsEveryCharacterAsOpenCCDoes) {
  // Unified ideographs, CJK punctuation, compatibility ideographs, kana, full-width forms, and
  // mixed text: the table and the fast path must give what ICU and the converter give.
  auto utf8 = [](std::uint32_t cp) {
    std::string s;
    if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    }
    s += static_cast<char>(0x80 | (cp & 0x3F));
    return s;
  };
  std::string all;
  for (std::uint32_t cp : {0x3000u, 0x3400u, 0x4E00u, 0xF900u, 0x3040u, 0xFF00u, 0x20000u}) {
    std::uint32_t end = cp == 0x4E00u ? 0x9FFFu : cp + 0x3FFu;
    for (std::uint32_t c = cp; c <= end; ++c) {
      auto ch = utf8(c);
      ASSERT_EQ(Folder().Fold(ch), Folder().FoldThroughOpenCC(ch)) << ch;
      all += ch;
    }
  }
  EXPECT_EQ(Folder().Fold(all), Folder().FoldThroughOpenCC(all));
  for (const char* text : {"臺灣歷史 Taiwan's history", "Café 咖啡館", "ﾃｽﾄ 裡", "Saʻūd 國家"})
    EXPECT_EQ(Folder().Fold(text), Folder().FoldThroughOpenCC(text)) << text;
}

TEST(TextFolder, FoldsTaiwanVariants) {
  EXPECT_EQ(Folder().Fold("裡"), Folder().Fold("裏"));
  EXPECT_EQ(Folder().Fold("裡"), Folder().Fold("里"));
}

TEST(TextFolder, FoldsCharacterByCharacter) {
  // Phrase tables would keep 乾 in 乾隆 but fold 乾 alone to 干; one character must fold the same
  // alone as inside a word, or a 1-character query would miss it.
  auto alone = Folder().Fold("乾");
  auto in_word = Folder().Fold("乾隆");
  EXPECT_EQ(in_word.substr(0, alone.size()), alone);
  EXPECT_EQ(Folder().Fold("頭髮"), Folder().Fold("头发"));
}

TEST(TextFolder, TakesDiacriticsOffLatinLetters) {
  EXPECT_EQ(Folder().Fold("Fe\xCC\x81nelon"), "Fenelon");
  EXPECT_EQ(Folder().Fold("F\xC3\xA9nelon"), "Fenelon");
  EXPECT_EQ(Folder().Fold("Łódź Straße"), "Lodz Strasse");
}

TEST(TextFolder, SplitsElisionsAndDropsRomanizationMarks) {
  EXPECT_EQ(Folder().Fold("l'école d’été"), "l ecole d ete");
  EXPECT_EQ(Folder().Fold("Saʻūd ibn ʻAbd"), "Saud ibn Abd");
}

TEST(TextFolder, LeavesOtherScriptsAlone) {
  EXPECT_EQ(Folder().Fold("Москва й"), "Москва й");
  EXPECT_EQ(Folder().Fold("बिहानी टुसा"), "बिहानी टुसा");
  EXPECT_EQ(Folder().Fold("plain ASCII"), "plain ASCII");
}

TEST(TextFolder, IsSafeFromManyThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i)
        if (Folder().Fold("紅樓夢 Fénelon") != "红楼梦 Fenelon") ++wrong;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
}

TEST(SplitCjkRuns, CutsWhereTheScriptChanges) {
  auto runs = SplitCjkRuns("北京 2006 年");
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0], (std::pair<std::string, bool>{"北京", true}));
  EXPECT_EQ(runs[1], (std::pair<std::string, bool>{" 2006 ", false}));
  EXPECT_EQ(runs[2], (std::pair<std::string, bool>{"年", true}));
}

TEST(HasCjk, FindsHanKanaAndHangul) {
  EXPECT_TRUE(HasCjk("abc 書"));
  EXPECT_TRUE(HasCjk("ひらがな"));
  EXPECT_TRUE(HasCjk("한국"));
  EXPECT_FALSE(HasCjk("Москва Fénelon"));
}

}  // namespace
}  // namespace bookstamp::search
