// Prizes and redemptions (RULES.md "Prizes and redemption"): the patron's request with its
// rotating code, the counter's scan and completion, redemption by card number, cancellation,
// expiry with refund — each a transaction with its ledger entry, stock change, audit and notice.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"
#include "domain/passbook.hpp"

namespace bookstamp {

struct PrizeInput {
  BranchCode branch;
  std::string name;
  std::string description;
  std::string sponsor;
  std::optional<std::string> image_url;
  std::int64_t cost = 0;
  std::int64_t stock = 0;
  std::int64_t per_card_limit = 0;
  std::optional<Instant> on_sale_from;
  std::optional<Instant> on_sale_until;
};

// A JSON merge patch: absent fields stay; for nullable ones the outer optional says "present".
struct PrizePatch {
  std::optional<std::string> name, description, sponsor;
  std::optional<std::optional<std::string>> image_url;
  std::optional<std::int64_t> cost, stock, per_card_limit;
  std::optional<std::optional<Instant>> on_sale_from, on_sale_until;
  std::optional<std::string> reason;  // required when stock changes
};

struct PrizeView {
  Prize prize;
  std::string description;
  std::string sponsor;
  std::optional<std::string> image_url;
  std::int64_t stock_left = 0;  // counts expired-but-unswept pending redemptions as returned
};

[[nodiscard]] Result<PrizeView> CreatePrize(SqlTx& tx, const Env& env, const Actor& actor, const PrizeInput& in);
[[nodiscard]] Result<PrizeView> UpdatePrize(SqlTx& tx, const Env& env, const Actor& actor, PrizeId id,
                                            const PrizePatch& patch);
[[nodiscard]] Result<PrizeView> GetPrize(SqlTx& tx, const Env& env, PrizeId id);

struct PrizeFilter {
  std::vector<BranchCode> branches;  // empty: all
  std::optional<std::int64_t> min_points, max_points;
  bool on_sale_only = true;
};
// Prizes on sale now (out-of-stock ones included), cheapest first.
std::vector<PrizeView> ListPrizes(SqlTx& tx, const Env& env, const PrizeFilter& filter);
// The staff listing (A1): every prize, on sale or not (future, ended, out of stock), for staff who
// manage prizes; branch admins get their own branch only (FORBIDDEN when they ask for another).
[[nodiscard]] Result<std::vector<PrizeView>> ListAllPrizes(SqlTx& tx, const Env& env, const Actor& actor,
                                                           PrizeFilter filter);

struct RedemptionView {
  Redemption redemption;  // status is the effective one
  std::string prize_name;
  std::optional<Instant> closed_at;
  std::optional<std::string> cancel_reason;
  std::string channel;
};

struct RedemptionCreated {
  RedemptionView view;
  std::string code_key;  // raw 32 bytes; given to the patron once, so the app can show codes offline
  std::string code;      // the code of the current step
  std::int64_t balance = 0;
};

[[nodiscard]] Result<RedemptionCreated> RequestRedemption(SqlTx& tx, const Env& env, const Actor& actor,
                                                          const CardNumber& card, PrizeId prize);

struct ScanView {
  RedemptionView redemption;
  std::string card_masked;  // "T0****001"
  PrizeView prize;
  std::int64_t balance = 0;  // the card's balance (the cost is already debited)
};

// Looks only; refusals in RULES.md order.
[[nodiscard]] Result<ScanView> ScanRedemption(SqlTx& tx, const Env& env, const Actor& actor, const std::string& code);
// Completes once: the loser of two simultaneous completions gets CODE_USED.
[[nodiscard]] Result<RedemptionView> CompleteRedemption(SqlTx& tx, const Env& env, const Actor& actor,
                                                        RedemptionId id, const std::string& code);
// Counter redemption by card number (patron without a phone): the same checks, completed at once.
[[nodiscard]] Result<RedemptionView> CounterRedeem(SqlTx& tx, const Env& env, const Actor& actor,
                                                   const CardNumber& card, PrizeId prize);
[[nodiscard]] Result<RedemptionView> CancelPendingRedemption(SqlTx& tx, const Env& env, const Actor& actor,
                                                             const CardNumber& card, RedemptionId id);
[[nodiscard]] Result<RedemptionView> CancelCompletedRedemption(SqlTx& tx, const Env& env, const Actor& actor,
                                                               RedemptionId id, const std::string& reason);

std::vector<RedemptionView> CardRedemptions(SqlTx& tx, const Env& env, const CardNumber& card);
[[nodiscard]] Result<RedemptionView> CardRedemption(SqlTx& tx, const Env& env, const CardNumber& card,
                                                    RedemptionId id);

struct CurrentCode {
  std::string code;
  Instant changes_at;
};
[[nodiscard]] Result<CurrentCode> CurrentRedemptionCode(SqlTx& tx, const Env& env, const CardNumber& card,
                                                        RedemptionId id);

// Pending redemptions past their five minutes: expired, cost refunded, stock restored. Returns how many.
int ExpireRedemptions(SqlTx& tx, const Env& env);
// The same for one card: AppendLedger runs it first, so a refund that is due counts before any
// other entry of the card is written (and the balance it answers is the one the patron sees).
int ExpireRedemptionsOf(SqlTx& tx, const Env& env, const CardNumber& card);
// Refunds still owed (expired but unswept) are counted as spendable by reads.
std::int64_t PendingRedemptions(SqlTx& tx, const Env& env, const CardNumber& card);
std::int64_t UnsweptRefunds(SqlTx& tx, const Env& env, const CardNumber& card);

std::string MaskCard(const std::string& card);

}  // namespace bookstamp
