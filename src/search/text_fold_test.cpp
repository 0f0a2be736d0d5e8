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
