// Unit tests of the prize, redemption and event rules (RULES.md: Prizes and redemption, Events).
#include "domain/passbook.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bookstamp {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// "OK" or the error code's name, so a failing assertion prints words rather than enum numbers.
std::string CodeOf(const Result<void>& r) { return r ? "OK" : std::string(ToString(r.error().code)); }
constexpr std::string_view kOk = "OK";

// The named argument of a refusal, or "<none>" when it is missing (or the result is not a refusal).
std::string ArgOf(const Result<void>& r, std::string_view name) {
  if (r) return "<none>";
  const std::string* value = r.error().Arg(name);
  return value ? *value : "<none>";
}

constexpr auto kMs = milliseconds(1);
const Instant kNow = FromMillis(1'767'225'600'000);  // 2026-01-01T00:00:00Z
const CardNumber kAlice("A-0001");
const BranchCode kMain("MAIN");
const BranchCode kEast("EAST");
const StaffId kFiler(11);
const StaffId kOtherStaff(12);

Card ActiveCard() {
  Card card;
  card.number = kAlice;
  card.patron = PatronId(1);
  return card;
}

// A table row: a name for SCOPED_TRACE, the rules it breaks (applied in order), the code expected.
template <class Scenario>
struct Row {
  std::string name;
  std::vector<void (*)(Scenario&)> breaks;
  std::string_view want;
};

// ---------------------------------------------------------------------------------------------
// Redeeming a prize

// State in which every redeem rule passes; rows break rules from here.
struct RedeemScenario {
  Card card = ActiveCard();
  bool card_exists = true;
  Prize prize{.id = PrizeId(7),
              .branch = kMain,
              .name = "Bookmark",
              .cost = 50,
              .stock_total = 10,
              .taken = 3,
              .per_card_limit = 2,
              .on_sale_from = kNow - Days(1),
              .on_sale_until = kNow + Days(1)};
  bool prize_exists = true;
  std::int64_t card_units_of_prize = 1;
  std::int64_t balance = 80;
  Instant now = kNow;

  RedeemInput Input() const {
    return RedeemInput{.card = card_exists ? &card : nullptr,
                       .prize = prize_exists ? &prize : nullptr,
                       .card_units_of_prize = card_units_of_prize,
                       .balance = balance,
                       .now = now};
  }
};

void NoCard(RedeemScenario& s) { s.card_exists = false; }
void CardLost(RedeemScenario& s) { s.card.status = CardStatus::kLost; }
void CardExpired(RedeemScenario& s) { s.card.status = CardStatus::kExpired; }
void CardBlocked(RedeemScenario& s) { s.card.status = CardStatus::kBlocked; }
void NoPrize(RedeemScenario& s) { s.prize_exists = false; }
void SaleNotStarted(RedeemScenario& s) { s.prize.on_sale_from = s.now + Days(1); }
void SaleOver(RedeemScenario& s) { s.prize.on_sale_until = s.now - Days(1); }
void StockGone(RedeemScenario& s) { s.prize.taken = s.prize.stock_total; }
void AtCardLimit(RedeemScenario& s) { s.card_units_of_prize = s.prize.per_card_limit; }
void BalanceShort(RedeemScenario& s) { s.balance = s.prize.cost - 1; }

void ExpectRedeem(const std::vector<Row<RedeemScenario>>& rows) {
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    RedeemScenario s;
    for (auto b : row.breaks) b(s);
    EXPECT_EQ(CodeOf(DecideRedeem(s.Input())), row.want);
  }
}

TEST(Redeem, SucceedsWhenEveryRulePasses) {
  RedeemScenario s;
  EXPECT_EQ(CodeOf(DecideRedeem(s.Input())), kOk);
}

TEST(Redeem, RefusesWithTheCodeOfEachBrokenRule) {
  ExpectRedeem({
      {"card missing", {NoCard}, "CARD_NOT_FOUND"},
      {"card lost", {CardLost}, "CARD_NOT_ACTIVE"},
      {"card expired", {CardExpired}, "CARD_NOT_ACTIVE"},
      {"card blocked", {CardBlocked}, "CARD_NOT_ACTIVE"},
      {"prize missing", {NoPrize}, "PRIZE_NOT_FOUND"},
      {"sale not started", {SaleNotStarted}, "PRIZE_NOT_ON_SALE"},
      {"sale over", {SaleOver}, "PRIZE_NOT_ON_SALE"},
      {"no stock left", {StockGone}, "OUT_OF_STOCK"},
      {"card at its limit", {AtCardLimit}, "LIMIT_REACHED"},
      {"balance below cost", {BalanceShort}, "INSUFFICIENT_POINTS"},
  });
}

TEST(Redeem, ChecksRulesInRulesOrder) {
  ExpectRedeem({
      {"missing card before inactive card", {CardLost, NoCard}, "CARD_NOT_FOUND"},
      {"missing card before missing prize", {NoPrize, NoCard}, "CARD_NOT_FOUND"},
      {"inactive card before missing prize", {NoPrize, CardBlocked}, "CARD_NOT_ACTIVE"},
      {"missing prize before short balance", {BalanceShort, NoPrize}, "PRIZE_NOT_FOUND"},
      {"not on sale before out of stock", {StockGone, SaleNotStarted}, "PRIZE_NOT_ON_SALE"},
      {"sale over before out of stock", {StockGone, SaleOver}, "PRIZE_NOT_ON_SALE"},
      {"out of stock before limit", {AtCardLimit, StockGone}, "OUT_OF_STOCK"},
      {"limit before points", {BalanceShort, AtCardLimit}, "LIMIT_REACHED"},
      {"inactive card before everything after it",
       {BalanceShort, AtCardLimit, StockGone, SaleOver, CardExpired},
       "CARD_NOT_ACTIVE"},
      {"not on sale before everything after it", {BalanceShort, AtCardLimit, StockGone, SaleOver},
       "PRIZE_NOT_ON_SALE"},
  });
}

TEST(Redeem, SaleWindowIsHalfOpen) {
  struct WindowRow {
    std::string name;
    std::optional<Instant> from;
    std::optional<Instant> until;
    std::string_view want;
  };
  const std::vector<WindowRow> rows = {
      {"one ms before from", kNow + kMs, std::nullopt, "PRIZE_NOT_ON_SALE"},
      {"exactly at from", kNow, std::nullopt, kOk},
      {"one ms after from", kNow - kMs, std::nullopt, kOk},
      {"one ms before until", std::nullopt, kNow + kMs, kOk},
      {"exactly at until", std::nullopt, kNow, "PRIZE_NOT_ON_SALE"},
      {"one ms after until", std::nullopt, kNow - kMs, "PRIZE_NOT_ON_SALE"},
      {"at from of a one-ms window", kNow, kNow + kMs, kOk},
      {"empty window [now, now)", kNow, kNow, "PRIZE_NOT_ON_SALE"},
      {"no window at all", std::nullopt, std::nullopt, kOk},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    RedeemScenario s;
    s.prize.on_sale_from = row.from;
    s.prize.on_sale_until = row.until;
    EXPECT_EQ(CodeOf(DecideRedeem(s.Input())), row.want);
  }
}

TEST(Redeem, RefusesWhenNoStockIsLeft) {
  struct StockRow {
    std::string name;
    std::int64_t total;
    std::int64_t taken;
    std::string_view want;
  };
  const std::vector<StockRow> rows = {
      {"one unit left", 10, 9, kOk},
      {"all taken", 10, 10, "OUT_OF_STOCK"},
      {"no stock at all", 0, 0, "OUT_OF_STOCK"},
      {"more taken than the total", 3, 4, "OUT_OF_STOCK"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    RedeemScenario s;
    s.prize.stock_total = row.total;
    s.prize.taken = row.taken;
    EXPECT_EQ(s.prize.StockLeft(), row.total - row.taken);
    EXPECT_EQ(CodeOf(DecideRedeem(s.Input())), row.want);
  }
}

TEST(Redeem, PerCardLimitCountsPendingAndCompletedUnits) {
  struct LimitRow {
    std::string name;
    std::int64_t limit;
    std::int64_t units;  // the card's pending + completed redemptions of the prize
    std::string_view want;
  };
  const std::vector<LimitRow> rows = {
      {"none yet", 2, 0, kOk},
      {"one below the limit", 2, 1, kOk},
      {"at the limit", 2, 2, "LIMIT_REACHED"},
      {"above the limit", 2, 3, "LIMIT_REACHED"},
      {"limit of one, one held", 1, 1, "LIMIT_REACHED"},
      {"limit 0 means none", 0, 1000, kOk},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    RedeemScenario s;
    s.prize.per_card_limit = row.limit;
    s.card_units_of_prize = row.units;
    EXPECT_EQ(CodeOf(DecideRedeem(s.Input())), row.want);
  }
}

TEST(Redeem, LimitReachedNamesTheLimit) {
  RedeemScenario s;
  s.prize.per_card_limit = 3;
  s.card_units_of_prize = 4;  // the limit was lowered after the card took its units
  auto result = DecideRedeem(s.Input());
  EXPECT_EQ(CodeOf(result), "LIMIT_REACHED");
  EXPECT_EQ(ArgOf(result, "limit"), "3");
}

TEST(Redeem, BalanceMustCoverTheCost) {
  struct BalanceRow {
    std::string name;
    std::int64_t cost;
    std::int64_t balance;
    std::string_view want;
  };
  const std::vector<BalanceRow> rows = {
      {"balance equals cost", 50, 50, kOk},
      {"balance above cost", 50, 51, kOk},
      {"one point short", 50, 49, "INSUFFICIENT_POINTS"},
      {"empty balance", 50, 0, "INSUFFICIENT_POINTS"},
      {"free prize, empty balance", 0, 0, kOk},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    RedeemScenario s;
    s.prize.cost = row.cost;
    s.balance = row.balance;
    EXPECT_EQ(CodeOf(DecideRedeem(s.Input())), row.want);
  }
}

TEST(Redeem, InsufficientPointsNamesNeededAndAvailable) {
  RedeemScenario s;
  s.prize.cost = 120;
  s.balance = 45;
  auto result = DecideRedeem(s.Input());
  EXPECT_EQ(CodeOf(result), "INSUFFICIENT_POINTS");
  EXPECT_EQ(ArgOf(result, "needed"), "120");
  EXPECT_EQ(ArgOf(result, "available"), "45");
}

// ---------------------------------------------------------------------------------------------
// Redemption state and the rotating code

Redemption RedemptionIn(RedemptionStatus status) {
  Redemption r;
  r.id = RedemptionId(42);
  r.card = kAlice;
  r.prize = PrizeId(7);
  r.branch = kMain;
  r.cost = 50;
  r.status = status;
  r.created_at = kNow - minutes(2);
  if (status == RedemptionStatus::kPending) r.expires_at = r.created_at + kRedemptionLife;
  if (status == RedemptionStatus::kCompleted) r.completed_at = kNow - minutes(1);
  return r;
}

TEST(RedemptionExpiry, PendingReadsAsExpiredFromExpiresAt) {
  struct ExpiryRow {
    std::string name;
    RedemptionStatus status;
    std::optional<Instant> expires_at;
    Instant now;
    RedemptionStatus want;
  };
  const Instant expires = kNow + minutes(3);
  const std::vector<ExpiryRow> rows = {
      {"pending, one ms before expiry", RedemptionStatus::kPending, expires, expires - kMs,
       RedemptionStatus::kPending},
      {"pending, exactly at expiry", RedemptionStatus::kPending, expires, expires, RedemptionStatus::kExpired},
      {"pending, after expiry", RedemptionStatus::kPending, expires, expires + minutes(10),
       RedemptionStatus::kExpired},
      {"pending without expiry", RedemptionStatus::kPending, std::nullopt, expires + Days(30),
       RedemptionStatus::kPending},
      {"completed stays completed after expiry", RedemptionStatus::kCompleted, expires, expires + minutes(1),
       RedemptionStatus::kCompleted},
      {"cancelled stays cancelled after expiry", RedemptionStatus::kCancelled, expires, expires + minutes(1),
       RedemptionStatus::kCancelled},
      {"swept expired stays expired", RedemptionStatus::kExpired, expires, expires - minutes(1),
       RedemptionStatus::kExpired},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    Redemption r = RedemptionIn(row.status);
    r.expires_at = row.expires_at;
    EXPECT_EQ(ToString(EffectiveStatus(r, row.now)), ToString(row.want));
  }
}

TEST(CodeStep, FloorsElapsedTimeIntoThirtySecondSteps) {
  struct StepRow {
    std::string name;
    milliseconds since_origin;
    std::int64_t want;
  };
  const std::vector<StepRow> rows = {
      {"at the origin", milliseconds(0), 0},
      {"one ms in", milliseconds(1), 0},
      {"29.999 s", milliseconds(29'999), 0},
      {"30 s", seconds(30), 1},
      {"59.999 s", milliseconds(59'999), 1},
      {"60 s", seconds(60), 2},
      {"last ms of a redemption's life", kRedemptionLife - kMs, 9},
      {"end of a redemption's life", kRedemptionLife, 10},
      {"one ms before the origin", milliseconds(-1), -1},
      {"29.999 s before", milliseconds(-29'999), -1},
      {"30 s before", seconds(-30), -1},
      {"30.001 s before", milliseconds(-30'001), -2},
      {"60 s before", seconds(-60), -2},
      {"60.001 s before", milliseconds(-60'001), -3},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(CodeStep(kNow, kNow + row.since_origin), row.want);
  }
}

// ---------------------------------------------------------------------------------------------
// Scanning a code at the counter

// State in which a scan succeeds: a live pending redemption of a MAIN prize, scanned at MAIN.
struct ScanScenario {
  Redemption redemption = RedemptionIn(RedemptionStatus::kPending);  // expires at kNow + 3 min
  bool redemption_exists = true;
  std::optional<BranchCode> staff_branch = kMain;
  bool otp_matches = true;
  Instant now = kNow;

  ScanInput Input() const {
    return ScanInput{.redemption = redemption_exists ? &redemption : nullptr,
                     .staff_branch = staff_branch,
                     .otp_matches = otp_matches,
                     .now = now};
  }
};

void Unknown(ScanScenario& s) { s.redemption_exists = false; }
void OtherBranch(ScanScenario& s) { s.staff_branch = kEast; }
void AllBranches(ScanScenario& s) { s.staff_branch = std::nullopt; }
void Completed(ScanScenario& s) {
  s.redemption.status = RedemptionStatus::kCompleted;
  s.redemption.completed_at = s.now - minutes(1);
}
void Cancelled(ScanScenario& s) { s.redemption.status = RedemptionStatus::kCancelled; }
void SweptExpired(ScanScenario& s) { s.redemption.status = RedemptionStatus::kExpired; }
void AtExpiry(ScanScenario& s) { s.now = *s.redemption.expires_at; }
void JustBeforeExpiry(ScanScenario& s) { s.now = *s.redemption.expires_at - kMs; }
void PastExpiry(ScanScenario& s) { s.now = *s.redemption.expires_at + minutes(1); }
void BadOtp(ScanScenario& s) { s.otp_matches = false; }

void ExpectScan(const std::vector<Row<ScanScenario>>& rows) {
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    ScanScenario s;
    for (auto b : row.breaks) b(s);
    EXPECT_EQ(CodeOf(DecideScan(s.Input())), row.want);
  }
}

TEST(Scan, AcceptsALivePendingCodeAtThePrizesBranch) {
  ExpectScan({
      {"staff of the prize's branch", {}, kOk},
      {"all-branch staff", {AllBranches}, kOk},
      {"one ms before expiry", {JustBeforeExpiry}, kOk},
  });
}

TEST(Scan, RefusesWithTheCodeOfEachBrokenRule) {
  ExpectScan({
      {"unknown redemption", {Unknown}, "CODE_INVALID"},
      {"staff of another branch", {OtherBranch}, "WRONG_BRANCH"},
      {"already completed", {Completed}, "CODE_USED"},
      {"cancelled", {Cancelled}, "CODE_USED"},
      {"exactly at expiry", {AtExpiry}, "CODE_EXPIRED"},
      {"past expiry", {PastExpiry}, "CODE_EXPIRED"},
      {"swept to expired", {SweptExpired}, "CODE_EXPIRED"},
      {"wrong or stale step", {BadOtp}, "CODE_INVALID"},
  });
}

TEST(Scan, ChecksRulesInRulesOrder) {
  ExpectScan({
      {"unknown before wrong branch", {OtherBranch, Unknown}, "CODE_INVALID"},
      {"wrong branch before used", {Completed, OtherBranch}, "WRONG_BRANCH"},
      {"wrong branch before expired", {PastExpiry, OtherBranch}, "WRONG_BRANCH"},
      {"wrong branch before bad otp", {BadOtp, OtherBranch}, "WRONG_BRANCH"},
      {"all-branch staff reach used", {Completed, AllBranches}, "CODE_USED"},
      {"completed before expired", {PastExpiry, Completed}, "CODE_USED"},
      {"cancelled before expired", {PastExpiry, Cancelled}, "CODE_USED"},
      {"used before bad otp", {BadOtp, Cancelled}, "CODE_USED"},
      {"expired before bad otp", {BadOtp, AtExpiry}, "CODE_EXPIRED"},
      {"all-branch staff reach bad otp", {BadOtp, AllBranches}, "CODE_INVALID"},
  });
}

// ---------------------------------------------------------------------------------------------
// Cancelling

TEST(PatronCancel, CancelsOnlyAPendingRedemption) {
  struct CancelRow {
    std::string name;
    RedemptionStatus status;
    Instant now;
    std::string_view want;
  };
  const Redemption pending = RedemptionIn(RedemptionStatus::kPending);
  const Instant expires = *pending.expires_at;
  const std::vector<CancelRow> rows = {
      {"pending", RedemptionStatus::kPending, kNow, kOk},
      {"pending, one ms before expiry", RedemptionStatus::kPending, expires - kMs, kOk},
      {"pending but at expiry", RedemptionStatus::kPending, expires, "REDEMPTION_NOT_PENDING"},
      {"completed", RedemptionStatus::kCompleted, kNow, "REDEMPTION_NOT_PENDING"},
      {"cancelled", RedemptionStatus::kCancelled, kNow, "REDEMPTION_NOT_PENDING"},
      {"expired", RedemptionStatus::kExpired, kNow, "REDEMPTION_NOT_PENDING"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    Redemption r = RedemptionIn(row.status);
    r.expires_at = expires;
    EXPECT_EQ(CodeOf(DecidePatronCancel(r, row.now)), row.want);
  }
}

TEST(StaffCancel, CancelsACompletedRedemptionWithinSevenDays) {
  struct CancelRow {
    std::string name;
    milliseconds since_completion;
    std::string_view want;
  };
  const std::vector<CancelRow> rows = {
      {"just completed", milliseconds(0), kOk},
      {"completed yesterday", Days(1), kOk},
      {"one ms short of seven days", Days(7) - kMs, kOk},
      {"exactly seven days", Days(7), kOk},
      {"seven days and one ms", Days(7) + kMs, "CANCEL_WINDOW_PASSED"},
      {"eight days", Days(8), "CANCEL_WINDOW_PASSED"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    Redemption r = RedemptionIn(RedemptionStatus::kCompleted);
    EXPECT_EQ(CodeOf(DecideStaffCancel(r, *r.completed_at + row.since_completion)), row.want);
  }
}

TEST(StaffCancel, RefusesARedemptionThatIsNotCompleted) {
  for (auto status : {RedemptionStatus::kPending, RedemptionStatus::kCancelled, RedemptionStatus::kExpired}) {
    SCOPED_TRACE(ToString(status));
    Redemption r = RedemptionIn(status);
    r.completed_at = kNow - minutes(1);  // even with a completion time, the state decides
    EXPECT_EQ(CodeOf(DecideStaffCancel(r, kNow)), "REDEMPTION_NOT_PENDING");
  }
}

// ---------------------------------------------------------------------------------------------
// Stock

TEST(StockTotal, MayNotGoBelowTheUnitsTaken) {
  struct StockRow {
    std::string name;
    std::int64_t new_total;
    std::int64_t taken;
    std::string_view want;
  };
  const std::vector<StockRow> rows = {
      {"above taken", 12, 5, kOk},
      {"equal to taken", 5, 5, kOk},
      {"zero with nothing taken", 0, 0, kOk},
      {"one below taken", 4, 5, "STOCK_BELOW_TAKEN"},
      {"zero with units taken", 0, 5, "STOCK_BELOW_TAKEN"},
      {"negative", -1, 0, "VALIDATION_FAILED"},
      {"negative and below taken", -1, 5, "VALIDATION_FAILED"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(CodeOf(DecideStockTotal(row.new_total, row.taken)), row.want);
  }
}

TEST(StockTotal, StockBelowTakenNamesTheUnitsTaken) {
  auto result = DecideStockTotal(3, 8);
  EXPECT_EQ(CodeOf(result), "STOCK_BELOW_TAKEN");
  EXPECT_EQ(ArgOf(result, "taken"), "8");
}

// ---------------------------------------------------------------------------------------------
// Events

const Instant kEventStart = kNow - Days(1);
const Instant kEventEnd = kEventStart + std::chrono::hours(3);

Event AnEvent() {
  return Event{.id = EventId(5),
               .branch = kMain,
               .title = "Story hour",
               .starts_at = kEventStart,
               .ends_at = kEventEnd,
               .attendance_points = 10,
               .capacity = 20,
               .registration_cost = 0,
               .registration_deadline = std::nullopt};
}

TEST(ClaimWindow, IsInclusiveThirtyMinutesEitherSideOfTheEnd) {
  struct WindowRow {
    std::string name;
    Instant now;
    bool open;
  };
  const std::vector<WindowRow> rows = {
      {"at the start of a three-hour event", kEventStart, false},
      {"one ms before ends_at - 30 min", kEventEnd - minutes(30) - kMs, false},
      {"exactly ends_at - 30 min", kEventEnd - minutes(30), true},
      {"at ends_at", kEventEnd, true},
      {"exactly ends_at + 30 min", kEventEnd + minutes(30), true},
      {"one ms after ends_at + 30 min", kEventEnd + minutes(30) + kMs, false},
  };
  const Event event = AnEvent();
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(event.InClaimWindow(row.now), row.open);
  }
}

TEST(RegistrationWindow, ClosesAtTheDeadlineOrElseAtTheStart) {
  struct OpenRow {
    std::string name;
    std::optional<Instant> deadline;
    Instant now;
    bool open;
  };
  const Instant deadline = kEventStart - Days(2);
  const std::vector<OpenRow> rows = {
      {"no deadline, one ms before start", std::nullopt, kEventStart - kMs, true},
      {"no deadline, at start", std::nullopt, kEventStart, false},
      {"no deadline, after start", std::nullopt, kEventStart + minutes(5), false},
      {"one ms before the deadline", deadline, deadline - kMs, true},
      {"at the deadline", deadline, deadline, false},
      {"after the deadline, before start", deadline, kEventStart - Days(1), false},
      {"deadline after start, between them", kEventStart + minutes(10), kEventStart + minutes(5), true},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    Event event = AnEvent();
    event.registration_deadline = row.deadline;
    EXPECT_EQ(event.RegistrationOpen(row.now), row.open);
  }
}

// State in which an attendance claim succeeds: the QR scanned at ends_at, room left.
struct ClaimScenario {
  Card card = ActiveCard();
  bool card_exists = true;
  bool card_type_earns = true;
  Event event = AnEvent();
  bool event_exists = true;
  bool token_matches = true;
  bool already_credited = false;
  std::int64_t credits = 3;
  Instant now = kEventEnd;

  ClaimInput Input() const {
    return ClaimInput{.card = card_exists ? &card : nullptr,
                      .card_type_earns = card_type_earns,
                      .event = event_exists ? &event : nullptr,
                      .token_matches = token_matches,
                      .already_credited = already_credited,
                      .credits = credits,
                      .now = now};
  }
};

void NoCard(ClaimScenario& s) { s.card_exists = false; }
void CardLost(ClaimScenario& s) { s.card.status = CardStatus::kLost; }
void NoEvent(ClaimScenario& s) { s.event_exists = false; }
void WrongToken(ClaimScenario& s) { s.token_matches = false; }
void TooEarly(ClaimScenario& s) { s.now = s.event.ends_at - minutes(31); }
void TooLate(ClaimScenario& s) { s.now = s.event.ends_at + minutes(31); }
void AlreadyClaimed(ClaimScenario& s) { s.already_credited = true; }
void Full(ClaimScenario& s) { s.credits = s.event.capacity; }
void NoPointsType(ClaimScenario& s) { s.card_type_earns = false; }

void ExpectClaim(const std::vector<Row<ClaimScenario>>& rows) {
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    ClaimScenario s;
    for (auto b : row.breaks) b(s);
    EXPECT_EQ(CodeOf(DecideClaim(s.Input())), row.want);
  }
}

TEST(Claim, SucceedsWhenEveryRulePasses) {
  ClaimScenario s;
  EXPECT_EQ(CodeOf(DecideClaim(s.Input())), kOk);
}

TEST(Claim, RefusesWithTheCodeOfEachBrokenRule) {
  ExpectClaim({
      {"card missing", {NoCard}, "CARD_NOT_FOUND"},
      {"card lost", {CardLost}, "CARD_NOT_ACTIVE"},
      {"token names no event", {NoEvent}, "TOKEN_INVALID"},
      {"wrong or stale token", {WrongToken}, "TOKEN_INVALID"},
      {"before the claim window", {TooEarly}, "CLAIM_WINDOW_CLOSED"},
      {"after the claim window", {TooLate}, "CLAIM_WINDOW_CLOSED"},
      {"already credited", {AlreadyClaimed}, "ALREADY_CLAIMED"},
      {"event full", {Full}, "EVENT_FULL"},
      {"card type earns no points", {NoPointsType}, "CARD_TYPE_NO_POINTS"},
  });
}

TEST(Claim, ChecksRulesInRulesOrder) {
  ExpectClaim({
      {"missing card before bad token", {WrongToken, NoCard}, "CARD_NOT_FOUND"},
      {"inactive card before bad token", {WrongToken, CardLost}, "CARD_NOT_ACTIVE"},
      {"inactive card before missing event", {NoEvent, CardLost}, "CARD_NOT_ACTIVE"},
      {"bad token before window", {TooLate, WrongToken}, "TOKEN_INVALID"},
      {"window before already claimed", {AlreadyClaimed, TooEarly}, "CLAIM_WINDOW_CLOSED"},
      {"already claimed before full", {Full, AlreadyClaimed}, "ALREADY_CLAIMED"},
      {"full before card type", {NoPointsType, Full}, "EVENT_FULL"},
      {"inactive card before everything after it",
       {NoPointsType, Full, AlreadyClaimed, TooLate, WrongToken, CardLost},
       "CARD_NOT_ACTIVE"},
  });
}

TEST(Claim, CapacityCountsCreditsAndZeroMeansNone) {
  struct CapacityRow {
    std::string name;
    std::int64_t capacity;
    std::int64_t credits;
    std::string_view want;
  };
  const std::vector<CapacityRow> rows = {
      {"one place left", 20, 19, kOk},
      {"full", 20, 20, "EVENT_FULL"},
      {"over full", 20, 21, "EVENT_FULL"},
      {"capacity 0 means none", 0, 10'000, kOk},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    ClaimScenario s;
    s.event.capacity = row.capacity;
    s.credits = row.credits;
    EXPECT_EQ(CodeOf(DecideClaim(s.Input())), row.want);
  }
}

TEST(Claim, AcceptsAtBothInclusiveEdgesOfTheWindow) {
  for (auto now : {kEventEnd - minutes(30), kEventEnd + minutes(30)}) {
    SCOPED_TRACE(ToMillis(now));
    ClaimScenario s;
    s.now = now;
    EXPECT_EQ(CodeOf(DecideClaim(s.Input())), kOk);
  }
}

// State in which registering succeeds: a paid event tomorrow without a deadline, room left.
struct RegisterScenario {
  Card card = ActiveCard();
  bool card_exists = true;
  Event event = [] {
    Event e = AnEvent();
    e.starts_at = kNow + Days(1);
    e.ends_at = e.starts_at + std::chrono::hours(2);
    e.registration_cost = 20;
    return e;
  }();
  bool event_exists = true;
  bool already_registered = false;
  std::int64_t registrations = 5;
  std::int64_t balance = 30;
  Instant now = kNow;

  RegisterInput Input() const {
    return RegisterInput{.card = card_exists ? &card : nullptr,
                         .event = event_exists ? &event : nullptr,
                         .already_registered = already_registered,
                         .registrations = registrations,
                         .balance = balance,
                         .now = now};
  }
};

void NoCard(RegisterScenario& s) { s.card_exists = false; }
void CardBlocked(RegisterScenario& s) { s.card.status = CardStatus::kBlocked; }
void NoEvent(RegisterScenario& s) { s.event_exists = false; }
void Started(RegisterScenario& s) { s.now = s.event.starts_at; }
void DeadlinePassed(RegisterScenario& s) { s.event.registration_deadline = s.now - minutes(1); }
void AlreadyRegistered(RegisterScenario& s) { s.already_registered = true; }
void Full(RegisterScenario& s) { s.registrations = s.event.capacity; }
void BalanceShort(RegisterScenario& s) { s.balance = s.event.registration_cost - 1; }

void ExpectRegister(const std::vector<Row<RegisterScenario>>& rows) {
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    RegisterScenario s;
    for (auto b : row.breaks) b(s);
    EXPECT_EQ(CodeOf(DecideRegister(s.Input())), row.want);
  }
}

TEST(Register, SucceedsWhenEveryRulePasses) {
  RegisterScenario s;
  EXPECT_EQ(CodeOf(DecideRegister(s.Input())), kOk);
}

TEST(Register, RefusesWithTheCodeOfEachBrokenRule) {
  ExpectRegister({
      {"card missing", {NoCard}, "CARD_NOT_FOUND"},
      {"card blocked", {CardBlocked}, "CARD_NOT_ACTIVE"},
      {"event missing", {NoEvent}, "EVENT_NOT_FOUND"},
      {"event started, no deadline", {Started}, "REGISTRATION_CLOSED"},
      {"deadline passed", {DeadlinePassed}, "REGISTRATION_CLOSED"},
      {"already registered", {AlreadyRegistered}, "ALREADY_REGISTERED"},
      {"event full", {Full}, "EVENT_FULL"},
      {"balance below cost", {BalanceShort}, "INSUFFICIENT_POINTS"},
  });
}

TEST(Register, ChecksRulesInOrder) {
  ExpectRegister({
      {"missing card before blocked card", {CardBlocked, NoCard}, "CARD_NOT_FOUND"},
      {"blocked card before missing event", {NoEvent, CardBlocked}, "CARD_NOT_ACTIVE"},
      {"closed before already registered", {AlreadyRegistered, DeadlinePassed}, "REGISTRATION_CLOSED"},
      {"already registered before full", {Full, AlreadyRegistered}, "ALREADY_REGISTERED"},
      {"full before points", {BalanceShort, Full}, "EVENT_FULL"},
      {"blocked card before everything after it",
       {BalanceShort, Full, AlreadyRegistered, Started, CardBlocked},
       "CARD_NOT_ACTIVE"},
  });
}

TEST(Register, CapacityCountsRegistrationsAndZeroMeansNone) {
  struct CapacityRow {
    std::string name;
    std::int64_t capacity;
    std::int64_t registrations;
    std::string_view want;
  };
  const std::vector<CapacityRow> rows = {
      {"one place left", 20, 19, kOk},
      {"full", 20, 20, "EVENT_FULL"},
      {"capacity 0 means none", 0, 10'000, kOk},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    RegisterScenario s;
    s.event.capacity = row.capacity;
    s.registrations = row.registrations;
    EXPECT_EQ(CodeOf(DecideRegister(s.Input())), row.want);
  }
}

TEST(Register, InsufficientPointsNamesNeededAndAvailable) {
  RegisterScenario s;
  s.event.registration_cost = 20;
  s.balance = 19;
  auto result = DecideRegister(s.Input());
  EXPECT_EQ(CodeOf(result), "INSUFFICIENT_POINTS");
  EXPECT_EQ(ArgOf(result, "needed"), "20");
  EXPECT_EQ(ArgOf(result, "available"), "19");
}

TEST(Register, FreeEventNeedsNoBalance) {
  RegisterScenario s;
  s.event.registration_cost = 0;
  s.balance = 0;
  EXPECT_EQ(CodeOf(DecideRegister(s.Input())), kOk);
}

// ---------------------------------------------------------------------------------------------
// Backfill (點數補登)

// State in which filing a backfill succeeds: an active earning card, not credited, room left.
struct BackfillScenario {
  Card card = ActiveCard();
  bool card_exists = true;
  bool card_type_earns = true;
  Event event = AnEvent();
  bool event_exists = true;
  bool already_credited = false;
  std::int64_t credits = 3;

  BackfillInput Input() const {
    return BackfillInput{.card = card_exists ? &card : nullptr,
                         .card_type_earns = card_type_earns,
                         .event = event_exists ? &event : nullptr,
                         .already_credited = already_credited,
                         .credits = credits};
  }
};

void NoCard(BackfillScenario& s) { s.card_exists = false; }
void CardExpired(BackfillScenario& s) { s.card.status = CardStatus::kExpired; }
void NoEvent(BackfillScenario& s) { s.event_exists = false; }
void NoPointsType(BackfillScenario& s) { s.card_type_earns = false; }
void AlreadyCredited(BackfillScenario& s) { s.already_credited = true; }
void Full(BackfillScenario& s) { s.credits = s.event.capacity; }

void ExpectFileBackfill(const std::vector<Row<BackfillScenario>>& rows) {
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    BackfillScenario s;
    for (auto b : row.breaks) b(s);
    EXPECT_EQ(CodeOf(DecideFileBackfill(s.Input())), row.want);
  }
}

TEST(FileBackfill, SucceedsWhenEveryRulePasses) {
  ExpectFileBackfill({
      {"room left", {}, kOk},
      {"capacity 0 means none", {[](BackfillScenario& s) {
         s.event.capacity = 0;
         s.credits = 10'000;
       }}, kOk},
      {"one place left", {[](BackfillScenario& s) { s.credits = s.event.capacity - 1; }}, kOk},
  });
}

TEST(FileBackfill, RefusesWithTheCodeOfEachBrokenRule) {
  ExpectFileBackfill({
      {"card missing", {NoCard}, "CARD_NOT_FOUND"},
      {"event missing", {NoEvent}, "EVENT_NOT_FOUND"},
      {"card expired", {CardExpired}, "CARD_NOT_ACTIVE"},
      {"card type earns no points", {NoPointsType}, "CARD_TYPE_NO_POINTS"},
      {"already credited", {AlreadyCredited}, "ALREADY_CREDITED"},
      {"event full", {Full}, "EVENT_FULL"},
  });
}

TEST(FileBackfill, ChecksRulesInOrder) {
  ExpectFileBackfill({
      {"missing card before missing event", {NoEvent, NoCard}, "CARD_NOT_FOUND"},
      {"inactive card before card type", {NoPointsType, CardExpired}, "CARD_NOT_ACTIVE"},
      {"card type before already credited", {AlreadyCredited, NoPointsType}, "CARD_TYPE_NO_POINTS"},
      {"already credited before full", {Full, AlreadyCredited}, "ALREADY_CREDITED"},
      {"inactive card before everything after it", {Full, AlreadyCredited, NoPointsType, CardExpired},
       "CARD_NOT_ACTIVE"},
  });
}

// State in which approving succeeds: awaiting approval, a second staff member approves.
struct ApprovalScenario {
  BackfillScenario credit;
  ApprovalInput in = [] {
    ApprovalInput a;
    a.status = BackfillStatus::kAwaitingApproval;
    a.filed_by = kFiler;
    a.approver = kOtherStaff;
    a.second_person_required = true;
    return a;
  }();

  ApprovalInput Input() const {
    ApprovalInput copy = in;
    copy.credit = credit.Input();
    return copy;
  }
};

void Approved(ApprovalScenario& s) { s.in.status = BackfillStatus::kApproved; }
void Rejected(ApprovalScenario& s) { s.in.status = BackfillStatus::kRejected; }
void FilerApproves(ApprovalScenario& s) { s.in.approver = s.in.filed_by; }
void NoSecondPerson(ApprovalScenario& s) { s.in.second_person_required = false; }
void FilledMeanwhile(ApprovalScenario& s) { Full(s.credit); }
void CreditedMeanwhile(ApprovalScenario& s) { AlreadyCredited(s.credit); }
void CardExpiredMeanwhile(ApprovalScenario& s) { CardExpired(s.credit); }

void ExpectApprove(const std::vector<Row<ApprovalScenario>>& rows) {
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    ApprovalScenario s;
    for (auto b : row.breaks) b(s);
    EXPECT_EQ(CodeOf(DecideApproveBackfill(s.Input())), row.want);
  }
}

TEST(ApproveBackfill, SucceedsForASecondStaffMember) {
  ExpectApprove({
      {"another staff member", {}, kOk},
      {"another staff member, second person off", {NoSecondPerson}, kOk},
  });
}

TEST(ApproveBackfill, FilerMayApproveOnlyWhenPolicyNeedsNoSecondPerson) {
  ExpectApprove({
      {"filer, second person required", {FilerApproves}, "APPROVER_IS_FILER"},
      {"filer, second person off", {FilerApproves, NoSecondPerson}, kOk},
  });
}

TEST(ApproveBackfill, RefusesADecidedBackfill) {
  ExpectApprove({
      {"approved already", {Approved}, "BACKFILL_DECIDED"},
      {"rejected already", {Rejected}, "BACKFILL_DECIDED"},
      {"approved already, second person off", {Approved, NoSecondPerson}, "BACKFILL_DECIDED"},
  });
}

TEST(ApproveBackfill, RechecksTheCreditAtApproval) {
  ExpectApprove({
      {"event filled meanwhile", {FilledMeanwhile}, "EVENT_FULL"},
      {"credited meanwhile", {CreditedMeanwhile}, "ALREADY_CREDITED"},
      {"card no longer active", {CardExpiredMeanwhile}, "CARD_NOT_ACTIVE"},
      {"filer without second person, event filled", {FilledMeanwhile, FilerApproves, NoSecondPerson},
       "EVENT_FULL"},
  });
}

TEST(ApproveBackfill, ChecksRulesInOrder) {
  ExpectApprove({
      {"decided before filer", {FilerApproves, Approved}, "BACKFILL_DECIDED"},
      {"decided before capacity", {FilledMeanwhile, Rejected}, "BACKFILL_DECIDED"},
      {"filer before capacity", {FilledMeanwhile, FilerApproves}, "APPROVER_IS_FILER"},
      {"filer before credited", {CreditedMeanwhile, FilerApproves}, "APPROVER_IS_FILER"},
  });
}

TEST(RejectBackfill, RejectsOnlyWhileAwaitingApproval) {
  EXPECT_EQ(CodeOf(DecideRejectBackfill(BackfillStatus::kAwaitingApproval)), kOk);
  EXPECT_EQ(CodeOf(DecideRejectBackfill(BackfillStatus::kApproved)), "BACKFILL_DECIDED");
  EXPECT_EQ(CodeOf(DecideRejectBackfill(BackfillStatus::kRejected)), "BACKFILL_DECIDED");
}

// ---------------------------------------------------------------------------------------------
// Stored names

TEST(PassbookNames, RedemptionStatusRoundTrips) {
  const std::vector<std::pair<RedemptionStatus, std::string_view>> rows = {
      {RedemptionStatus::kPending, "pending"},
      {RedemptionStatus::kCompleted, "completed"},
      {RedemptionStatus::kCancelled, "cancelled"},
      {RedemptionStatus::kExpired, "expired"},
  };
  for (const auto& [status, text] : rows) {
    SCOPED_TRACE(text);
    EXPECT_EQ(ToString(status), text);
    EXPECT_EQ(RedemptionStatusFromString(text), status);
  }
}

TEST(PassbookNames, BackfillStatusRoundTrips) {
  const std::vector<std::pair<BackfillStatus, std::string_view>> rows = {
      {BackfillStatus::kAwaitingApproval, "awaiting_approval"},
      {BackfillStatus::kApproved, "approved"},
      {BackfillStatus::kRejected, "rejected"},
  };
  for (const auto& [status, text] : rows) {
    SCOPED_TRACE(text);
    EXPECT_EQ(ToString(status), text);
    EXPECT_EQ(BackfillStatusFromString(text), status);
  }
}

TEST(PassbookNames, UnknownStatusNamesAreRefused) {
  for (std::string_view text : {"", "Pending", "PENDING", "canceled", "done", "awaiting", "approved "}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(RedemptionStatusFromString(text), std::nullopt);
    EXPECT_EQ(BackfillStatusFromString(text), std::nullopt);
  }
}

}  // namespace
}  // namespace bookstamp
