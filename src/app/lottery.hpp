// Verifiable lotteries (RULES.md "Lottery", docs/lottery.md). The draw is a pure function of the
// frozen list, the secret and the public value, so anyone can recompute the winners.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp {

// First 16 hex digits of SHA-256("<lottery id>:<card number>").
std::string LotteryToken(std::int64_t lottery_id, const std::string& card);

// seed = SHA-256(secret ‖ UTF-8(public value)); raw 32 bytes.
std::string LotterySeed(const std::string& secret, const std::string& public_value);

// Fisher–Yates over `entries` driven by HMAC-SHA-256(seed, block) words, as RULES.md specifies.
std::vector<std::string> LotteryShuffle(std::vector<std::string> entries, const std::string& seed);

// The list text: tokens bytewise sorted, LF after each. Parses back with ParseLotteryList.
std::string LotteryListText(std::vector<std::string> tokens);
std::vector<std::string> ParseLotteryList(const std::string& text);

struct LotteryPrize {
  std::string name;
  std::int64_t quantity = 0;
};

struct LotteryInput {
  std::string title;
  Date period_from, period_to;
  std::int64_t min_loans = 1;
  std::vector<CardType> card_types;
  std::vector<LotteryPrize> prizes;
  std::string public_value_name;
};

struct LotteryResult {
  std::int64_t rank = 0;
  std::string token;
  std::optional<std::int64_t> prize_position;
  std::string status;  // winner, disqualified
  std::optional<std::string> reason;
};

struct LotteryView {
  std::int64_t id = 0;
  std::string title;
  Date period_from, period_to;
  std::int64_t min_loans = 0;
  std::vector<CardType> card_types;
  std::vector<LotteryPrize> prizes;
  std::string public_value_name;
  std::string status;
  std::int64_t entries = 0;
  std::optional<std::string> list_hash, secret_hash, public_value, seed;
  std::optional<std::string> secret;        // only once published
  std::vector<LotteryResult> results;       // drawn: staff see them; published: everyone
};

[[nodiscard]] Result<LotteryView> CreateLottery(SqlTx& tx, const Env& env, const Actor& actor, const LotteryInput& in);
[[nodiscard]] Result<LotteryView> FreezeLottery(SqlTx& tx, const Env& env, const Actor& actor, std::int64_t id);
[[nodiscard]] Result<LotteryView> DrawLottery(SqlTx& tx, const Env& env, const Actor& actor, std::int64_t id,
                                              const std::string& public_value);
[[nodiscard]] Result<LotteryView> DisqualifyWinner(SqlTx& tx, const Env& env, const Actor& actor, std::int64_t id,
                                                   const std::string& token, const std::string& reason);
[[nodiscard]] Result<LotteryView> PublishLottery(SqlTx& tx, const Env& env, const Actor& actor, std::int64_t id);
// `staff_view`: results before publication; everyone else sees them once published.
[[nodiscard]] Result<LotteryView> GetLottery(SqlTx& tx, std::int64_t id, bool staff_view);
std::vector<LotteryView> ListLotteries(SqlTx& tx, bool staff_view);
[[nodiscard]] Result<std::string> LotteryList(SqlTx& tx, std::int64_t id);

struct CardLotteryEntry {
  std::int64_t lottery_id = 0;
  std::string title;
  std::string token;
  std::string status;
  std::optional<std::string> prize;  // once published, when this card won
};
std::vector<CardLotteryEntry> CardLotteryEntries(SqlTx& tx, const CardNumber& card);

}  // namespace bookstamp
