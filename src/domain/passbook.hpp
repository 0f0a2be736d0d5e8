// Pure rules of prizes, redemptions and events (RULES.md "Prizes and redemption", "Events").
// The code arithmetic (HMAC) lives in app/codes; here a code is already judged valid or not.
#pragma once
#include <chrono>
#include <optional>
#include <string>

#include "domain/error.hpp"
#include "domain/model.hpp"

namespace bookstamp {

using PrizeId = StrongId<struct PrizeIdTag, std::int64_t>;
using RedemptionId = StrongId<struct RedemptionIdTag, std::int64_t>;
using EventId = StrongId<struct EventIdTag, std::int64_t>;
using BackfillId = StrongId<struct BackfillIdTag, std::int64_t>;

inline constexpr auto kRedemptionLife = std::chrono::minutes(5);
inline constexpr auto kCodeStep = std::chrono::seconds(30);
inline constexpr auto kStaffCancelWindow = std::chrono::days(7);

struct Prize {
  PrizeId id;
  BranchCode branch;
  std::string name;
  std::int64_t cost = 0;
  std::int64_t stock_total = 0;
  std::int64_t taken = 0;        // pending + completed units
  std::int64_t per_card_limit = 0;  // 0 = no limit
  std::optional<Instant> on_sale_from;   // the sale window is [from, until)
  std::optional<Instant> on_sale_until;

  std::int64_t StockLeft() const { return stock_total - taken; }
  bool OnSale(Instant now) const {
    return (!on_sale_from || now >= *on_sale_from) && (!on_sale_until || now < *on_sale_until);
  }
};

enum class RedemptionStatus { kPending, kCompleted, kCancelled, kExpired };
std::string_view ToString(RedemptionStatus s);
std::optional<RedemptionStatus> RedemptionStatusFromString(std::string_view s);

struct Redemption {
  RedemptionId id;
  CardNumber card;
  PrizeId prize;
  BranchCode branch;  // the prize's branch
  std::int64_t cost = 0;
  RedemptionStatus status = RedemptionStatus::kPending;
  Instant created_at;
  std::optional<Instant> expires_at;    // pending ones
  std::optional<Instant> completed_at;
};

// A pending redemption at or past expires_at reads as expired before the sweeper refunds it.
[[nodiscard]] RedemptionStatus EffectiveStatus(const Redemption& r, Instant now);

// Step of a rotating code: floor((now − origin) / 30 s); negative before the origin.
[[nodiscard]] std::int64_t CodeStep(Instant origin, Instant now);

struct RedeemInput {
  const Card* card = nullptr;
  const Prize* prize = nullptr;        // nullptr: PRIZE_NOT_FOUND
  std::int64_t card_units_of_prize = 0;  // the card's pending + completed redemptions of this prize
  std::int64_t balance = 0;
  Instant now;
};

// In order: CARD_NOT_FOUND, CARD_NOT_ACTIVE, PRIZE_NOT_FOUND, PRIZE_NOT_ON_SALE, OUT_OF_STOCK,
// LIMIT_REACHED, INSUFFICIENT_POINTS (args needed, available).
[[nodiscard]] Result<void> DecideRedeem(const RedeemInput& in);

struct ScanInput {
  const Redemption* redemption = nullptr;   // nullptr: unparseable code or unknown redemption
  std::optional<BranchCode> staff_branch;   // nullopt: all-branch staff
  bool otp_matches = false;                 // matches step n or n − 1
  Instant now;
};

// Scan and complete refusals in order: CODE_INVALID, WRONG_BRANCH, CODE_USED, CODE_EXPIRED, CODE_INVALID.
[[nodiscard]] Result<void> DecideScan(const ScanInput& in);

// The patron cancels a pending one (REDEMPTION_NOT_PENDING otherwise).
[[nodiscard]] Result<void> DecidePatronCancel(const Redemption& r, Instant now);
// Staff cancel a completed one within 7 days of completion (REDEMPTION_NOT_PENDING when it is not
// completed, CANCEL_WINDOW_PASSED after).
[[nodiscard]] Result<void> DecideStaffCancel(const Redemption& r, Instant now);

// A new total quantity may not be below the units already taken (STOCK_BELOW_TAKEN, arg taken).
[[nodiscard]] Result<void> DecideStockTotal(std::int64_t new_total, std::int64_t taken);

struct Event {
  EventId id;
  BranchCode branch;
  std::string title;
  Instant starts_at;
  Instant ends_at;
  std::int64_t attendance_points = 0;
  std::int64_t capacity = 0;  // 0 = none
  std::int64_t registration_cost = 0;
  std::optional<Instant> registration_deadline;

  // Claims are accepted in [ends_at − 30 min, ends_at + 30 min], inclusive.
  bool InClaimWindow(Instant now) const;
  // Registering and cancelling are open before the deadline (no deadline: before starts_at).
  bool RegistrationOpen(Instant now) const;
};

struct ClaimInput {
  const Card* card = nullptr;
  bool card_type_earns = true;
  const Event* event = nullptr;  // nullptr: TOKEN_INVALID (the token names no event)
  bool token_matches = false;
  bool already_credited = false;
  std::int64_t credits = 0;      // cards credited for the event so far
  Instant now;
};

// CARD_NOT_ACTIVE, then RULES.md order: TOKEN_INVALID, CLAIM_WINDOW_CLOSED, ALREADY_CLAIMED, EVENT_FULL,
// CARD_TYPE_NO_POINTS.
[[nodiscard]] Result<void> DecideClaim(const ClaimInput& in);

struct RegisterInput {
  const Card* card = nullptr;
  const Event* event = nullptr;
  bool already_registered = false;
  std::int64_t registrations = 0;
  std::int64_t balance = 0;
  Instant now;
};

// CARD_NOT_ACTIVE, REGISTRATION_CLOSED, ALREADY_REGISTERED, EVENT_FULL, INSUFFICIENT_POINTS.
[[nodiscard]] Result<void> DecideRegister(const RegisterInput& in);

enum class BackfillStatus { kAwaitingApproval, kApproved, kRejected };
std::string_view ToString(BackfillStatus s);
std::optional<BackfillStatus> BackfillStatusFromString(std::string_view s);

struct BackfillInput {
  const Card* card = nullptr;
  bool card_type_earns = true;
  const Event* event = nullptr;
  bool already_credited = false;
  std::int64_t credits = 0;
};

// Filing (补登 補登): CARD_NOT_ACTIVE, CARD_TYPE_NO_POINTS, ALREADY_CREDITED, EVENT_FULL.
[[nodiscard]] Result<void> DecideFileBackfill(const BackfillInput& in);

struct ApprovalInput {
  BackfillStatus status = BackfillStatus::kAwaitingApproval;
  StaffId filed_by;
  StaffId approver;
  bool second_person_required = true;
  BackfillInput credit;  // re-checked at approval: the event may have filled meanwhile
};

// BACKFILL_DECIDED, APPROVER_IS_FILER, then the filing checks again.
[[nodiscard]] Result<void> DecideApproveBackfill(const ApprovalInput& in);
[[nodiscard]] Result<void> DecideRejectBackfill(BackfillStatus status);

}  // namespace bookstamp
