// Notice templates: every kind in both languages, redemption figures, digest lines, escaping.
#include "app/notice_text.hpp"

#include <gtest/gtest.h>

namespace bookstamp {
namespace {

TEST(RenderNotice, RedemptionDoneSaysPrizePointsUsedAndLeftInChinese) {
  auto t = RenderNotice("redemption_done", R"({"points_left":40,"points_used":60,"prize":"拼圖","redemption_id":7})",
                        "zh-TW");
  EXPECT_EQ(t.title, "兌換完成：拼圖");
  EXPECT_NE(t.text.find("獎品：拼圖"), std::string::npos) << t.text;
  EXPECT_NE(t.text.find("使用點數：60 點"), std::string::npos) << t.text;
  EXPECT_NE(t.text.find("剩餘點數：40 點"), std::string::npos) << t.text;
  EXPECT_NE(t.html.find("<p>剩餘點數：40 點</p>"), std::string::npos) << t.html;
}

TEST(RenderNotice, EnglishForAnEnglishPatron) {
  auto t = RenderNotice("redemption_cancelled", R"({"points_left":100,"points_used":60,"prize":"Puzzle"})", "en-US");
  EXPECT_EQ(t.title, "Redemption cancelled: Puzzle");
  EXPECT_NE(t.text.find("Points used: 60"), std::string::npos);
  EXPECT_NE(t.text.find("Points left: 100"), std::string::npos);
}

TEST(RenderNotice, EveryKindHasItsOwnWordsInBothLanguages) {
  const char* kinds[] = {"hold_ready",       "pickup_ending",      "suspension",         "reserve_suspended",
                         "redemption_pending", "redemption_done",  "redemption_cancelled", "redemption_expired",
                         "event_registered", "event_points",       "event_tomorrow",     "lottery_won",
                         "code_expiring",    "pin_changed",        "due_soon",           "overdue",
                         "digest"};
  auto generic_zh = RenderNotice("no_such_kind", "{}", "zh-TW").title;
  auto generic_en = RenderNotice("no_such_kind", "{}", "en").title;
  for (const char* kind : kinds) {
    SCOPED_TRACE(kind);
    auto zh = RenderNotice(kind, "{}", "zh-TW");
    auto en = RenderNotice(kind, "{}", "en");
    EXPECT_NE(zh.title, generic_zh);
    EXPECT_NE(en.title, generic_en);
    EXPECT_NE(zh.title, en.title);
    EXPECT_FALSE(zh.text.empty());
  }
}

TEST(RenderNotice, DigestListsEveryItem) {
  auto t = RenderNotice(
      "digest",
      R"({"date":"2026-03-10","items":[{"kind":"due_soon","title":"小王子","due_on":"2026-03-12"},)"
      R"({"kind":"overdue","title":"A <b> tale","due_on":"2026-03-01"}]})",
      "zh-TW");
  EXPECT_EQ(t.title, "借閱提醒（2026-03-10）");
  EXPECT_NE(t.text.find("即將到期：「小王子」應還日 2026-03-12"), std::string::npos) << t.text;
  EXPECT_NE(t.text.find("已逾期：「A <b> tale」應還日 2026-03-01"), std::string::npos) << t.text;
  EXPECT_NE(t.html.find("A &lt;b&gt; tale"), std::string::npos) << "HTML is escaped";
}

TEST(RenderNotice, LotteryWonNamesTheDrawAndThePrize) {
  auto t = RenderNotice("lottery_won", R"({"lottery_id":3,"prize":"電影票","title":"暑期閱讀抽獎"})", "zh-TW");
  EXPECT_EQ(t.title, "恭喜中獎");
  EXPECT_EQ(t.text, "恭喜您在「暑期閱讀抽獎」抽獎中抽中「電影票」。");
}

TEST(ParseJson, ReadsPayloads) {
  auto v = ParseJson(R"({"a":[1,-2,{"b":"\u570b\n"}],"c":true,"d":null})");
  ASSERT_TRUE(v);
  auto& o = std::get<JsonObject>(v->variant());
  auto& a = std::get<JsonArray>(o.at("a").variant());
  EXPECT_EQ(std::get<std::int64_t>(a[1].variant()), -2);
  EXPECT_EQ(std::get<std::string>(std::get<JsonObject>(a[2].variant()).at("b").variant()), "國\n");
  EXPECT_FALSE(ParseJson("{\"a\":"));
  EXPECT_FALSE(ParseJson("[1,2] x"));
}

}  // namespace
}  // namespace bookstamp
