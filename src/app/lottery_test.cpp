// The lottery's algorithm against vectors from an independent implementation (docs/lottery.md),
// and its steps on a real database.
#include "app/lottery.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "app/app_test_support.hpp"
#include "app/crypto.hpp"

namespace bookstamp {
namespace {

std::vector<std::string> VectorTokens() {
  std::vector<std::string> tokens;
  for (int n = 1; n <= 10; ++n) tokens.push_back(LotteryToken(7, fmt::format("T{:09}", n)));
  std::sort(tokens.begin(), tokens.end());
  return tokens;
}

std::string Secret() {
  std::string s;
  for (int i = 0; i < 32; ++i) s.push_back(static_cast<char>(i));
  return s;
}

TEST(LotteryAlgorithm, ListAndCommitmentsMatchVectors) {
  auto list = LotteryListText(VectorTokens());
  EXPECT_EQ(list.substr(0, 17), "040ab83d4cb893cb\n");
  EXPECT_EQ(crypto::Sha256Hex(list), "87e289cbbcb23b7634b3739ba00defd1e5e78f6a18c3b3864b39fa19ca481ecd");
  EXPECT_EQ(crypto::Sha256Hex(Secret()), "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd");
  EXPECT_EQ(crypto::Hex(LotterySeed(Secret(), "12345678")),
            "30cc4f165bb0f88e4a00792a15382b104ed61f7ea3d08b987ea3b5017e21e2ac");
}

TEST(LotteryAlgorithm, ShuffleMatchesVectors) {
  std::vector<std::string> expected{"d16f711abf4731c8", "798b8ff75fe5b6ae", "dfd20cbb90ffe1b9", "0c2a487404f522ee",
                                    "34530aad7df2a5dc", "4cdd36afba916e52", "40ee80f2e24348b9", "96fc318dbe037e4c",
                                    "040ab83d4cb893cb", "a9c7591d68ce69d0"};
  EXPECT_EQ(LotteryShuffle(VectorTokens(), LotterySeed(Secret(), "12345678")), expected);
  auto no_public = LotteryShuffle(VectorTokens(), LotterySeed(Secret(), ""));
  EXPECT_EQ(no_public[0], "0c2a487404f522ee");
  EXPECT_EQ(no_public[1], "40ee80f2e24348b9");
  EXPECT_EQ(no_public[2], "798b8ff75fe5b6ae");
}

TEST(LotteryAlgorithm, EdgeCases) {
  EXPECT_TRUE(LotteryShuffle({}, Secret()).empty());
  EXPECT_EQ(LotteryShuffle({"a"}, Secret()), std::vector<std::string>{"a"});
  EXPECT_EQ(ParseLotteryList("b\r\na\n\n"), (std::vector<std::string>{"b", "a"}));
}

TEST(LotterySteps, FreezeDrawDisqualifyPublish) {
  testing::Library lib;
  lib.AddBranch("A");
  std::vector<ItemInput> items;
  for (int i = 0; i < 12; ++i) items.push_back({fmt::format("I{}", i), "A"});
  lib.AddBib("書", items);
  for (int c = 0; c < 6; ++c) {
    lib.AddCard(fmt::format("C{}", c));
    // Cards 0–3 borrow twice (eligible with min 2); 4 and 5 once.
    for (int k = 0; k < (c < 4 ? 2 : 1); ++k) ASSERT_TRUE(lib.Checkout(fmt::format("C{}", c), fmt::format("I{}", c * 2 + k), "A"));
  }
  LotteryInput in{"春季抽獎", *ParseDate("2026-03-01"), *ParseDate("2026-03-31"), 2, {CardType::kPersonal},
                  {{"腳踏車", 1}, {"書卡", 2}}, "統一發票 2026-03-25 特別獎"};
  auto created = lib.Do([&](SqlTx& tx) { return CreateLottery(tx, lib.env(), lib.actor(), in); });
  ASSERT_TRUE(created);
  auto id = created->id;
  auto frozen = lib.Do([&](SqlTx& tx) { return FreezeLottery(tx, lib.env(), lib.actor(), id); });
  ASSERT_TRUE(frozen);
  EXPECT_EQ(frozen->entries, 4);
  auto list = lib.Read([&](SqlTx& tx) { return LotteryList(tx, id); });
  ASSERT_TRUE(list);
  EXPECT_EQ(crypto::Sha256Hex(*list), *frozen->list_hash);
  EXPECT_EQ(frozen->secret, std::nullopt);  // not before publication

  auto refused = lib.Do([&](SqlTx& tx) { return DrawLottery(tx, lib.env(), lib.actor(), id, ""); });
  ASSERT_FALSE(refused);  // a public value was named: it is required
  auto drawn = lib.Do([&](SqlTx& tx) { return DrawLottery(tx, lib.env(), lib.actor(), id, "12345678"); });
  ASSERT_TRUE(drawn);
  ASSERT_EQ(drawn->results.size(), 3u);
  auto again = lib.Do([&](SqlTx& tx) { return DrawLottery(tx, lib.env(), lib.actor(), id, "99999999"); });
  ASSERT_FALSE(again);  // a draw runs once

  auto first = drawn->results[0].token;
  auto dq = lib.Do([&](SqlTx& tx) { return DisqualifyWinner(tx, lib.env(), lib.actor(), id, first, "card not valid"); });
  ASSERT_TRUE(dq);
  ASSERT_EQ(dq->results.size(), 4u);
  EXPECT_EQ(dq->results[0].status, "disqualified");
  EXPECT_EQ(dq->results[3].prize_position, 0);  // the next entry takes the bicycle

  auto published = lib.Do([&](SqlTx& tx) { return PublishLottery(tx, lib.env(), lib.actor(), id); });
  ASSERT_TRUE(published);
  ASSERT_TRUE(published->secret);
  // Anyone can recompute the order from the list, the secret and the public value.
  auto order = LotteryShuffle(ParseLotteryList(*list), LotterySeed(*crypto::FromHex(*published->secret), "12345678"));
  for (const auto& r : published->results) EXPECT_EQ(order[r.rank], r.token);
  EXPECT_EQ(crypto::Sha256Hex(*crypto::FromHex(*published->secret)), *published->secret_hash);
  auto notices = lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT COUNT(*) FROM notices WHERE kind = 'lottery_won'")->Int(0); });
  EXPECT_EQ(notices, 3);
}

}  // namespace
}  // namespace bookstamp
