// Prize, redemption and event rules.
#include "domain/passbook.hpp"

namespace bookstamp {

std::string_view ToString(RedemptionStatus s) {
  switch (s) {
    case RedemptionStatus::kPending: return "pending";
    case RedemptionStatus::kCompleted: return "completed";
    case RedemptionStatus::kCancelled: return "cancelled";
    case RedemptionStatus::kExpired: return "expired";
  }
  return "pending";
}

std::optional<RedemptionStatus> RedemptionStatusFromString(std::string_view s) {
  for (auto v : {RedemptionStatus::kPending, RedemptionStatus::kCompleted, RedemptionStatus::kCancelled,
                 RedemptionStatus::kExpired})
    if (ToString(v) == s) return v;
  return std::nullopt;
}

std::string_view ToString(BackfillStatus s) {
  switch (s) {
    case BackfillStatus::kAwaitingApproval: return "awaiting_approval";
    case BackfillStatus::kApproved: return "approved";
    case BackfillStatus::kRejected: return "rejected";
  }
  return "awaiting_approval";
}

std::optional<BackfillStatus> BackfillStatusFromString(std::string_view s) {
  for (auto v : {BackfillStatus::kAwaitingApproval, BackfillStatus::kApproved, BackfillStatus::kRejected})
    if (ToString(v) == s) return v;
  return std::nullopt;
}

RedemptionStatus EffectiveStatus(const Redemption& r, Instant now) {
  if (r.status == RedemptionStatus::kPending && r.expires_at && now >= *r.expires_at) return RedemptionStatus::kExpired;
  return r.status;
}

std::int64_t CodeStep(Instant origin, Instant now) {
  auto elapsed = now - origin;
  auto step = std::chrono::duration_cast<std::chrono::milliseconds>(kCodeStep).count();
  auto ms = elapsed.count();
  // floor division, also for instants before the origin
  return ms >= 0 ? ms / step : -((-ms + step - 1) / step);
}

Result<void> DecideRedeem(const RedeemInput& in) {
  if (!in.card) return Fail(ErrorCode::kCardNotFound);
  if (in.card->status != CardStatus::kActive) return Fail(ErrorCode::kCardNotActive);
  if (!in.prize) return Fail(ErrorCode::kPrizeNotFound);
  if (!in.prize->OnSale(in.now)) return Fail(ErrorCode::kPrizeNotOnSale);
  if (in.prize->StockLeft() <= 0) return Fail(ErrorCode::kOutOfStock);
  if (in.prize->per_card_limit > 0 && in.card_units_of_prize >= in.prize->per_card_limit)
    return Fail(DomainError(ErrorCode::kLimitReached, {{"limit", std::to_string(in.prize->per_card_limit)}}));
  if (in.balance < in.prize->cost)
    return Fail(DomainError(ErrorCode::kInsufficientPoints,
                            {{"needed", std::to_string(in.prize->cost)}, {"available", std::to_string(in.balance)}}));
  return {};
}

Result<void> DecideScan(const ScanInput& in) {
  if (!in.redemption) return Fail(ErrorCode::kCodeInvalid);
  if (in.staff_branch && *in.staff_branch != in.redemption->branch) return Fail(ErrorCode::kWrongBranch);
  auto status = in.redemption->status;
  if (status == RedemptionStatus::kCompleted || status == RedemptionStatus::kCancelled)
    return Fail(ErrorCode::kCodeUsed);
  if (EffectiveStatus(*in.redemption, in.now) == RedemptionStatus::kExpired) return Fail(ErrorCode::kCodeExpired);
  if (!in.otp_matches) return Fail(ErrorCode::kCodeInvalid);
  return {};
}

Result<void> DecidePatronCancel(const Redemption& r, Instant now) {
  if (EffectiveStatus(r, now) != RedemptionStatus::kPending) return Fail(ErrorCode::kRedemptionNotPending);
  return {};
}

Result<void> DecideStaffCancel(const Redemption& r, Instant now) {
  if (r.status != RedemptionStatus::kCompleted || !r.completed_at) return Fail(ErrorCode::kRedemptionNotPending);
  if (now - *r.completed_at > kStaffCancelWindow)
    return Fail(DomainError(ErrorCode::kCancelWindowPassed, {{"days", "7"}}));
  return {};
}

Result<void> DecideStockTotal(std::int64_t new_total, std::int64_t taken) {
  if (new_total < 0) return Fail(DomainError::Invalid("stock", "out_of_range"));
  if (new_total < taken) return Fail(DomainError(ErrorCode::kStockBelowTaken, {{"taken", std::to_string(taken)}}));
  return {};
}

bool Event::InClaimWindow(Instant now) const {
  return now >= ends_at - std::chrono::minutes(30) && now <= ends_at + std::chrono::minutes(30);
}

bool Event::RegistrationOpen(Instant now) const { return now < registration_deadline.value_or(starts_at); }

Result<void> DecideClaim(const ClaimInput& in) {
  if (!in.card) return Fail(ErrorCode::kCardNotFound);
  if (in.card->status != CardStatus::kActive) return Fail(ErrorCode::kCardNotActive);
  if (!in.event || !in.token_matches) return Fail(ErrorCode::kTokenInvalid);
  if (!in.event->InClaimWindow(in.now)) return Fail(ErrorCode::kClaimWindowClosed);
  if (in.already_credited) return Fail(ErrorCode::kAlreadyClaimed);
  if (in.event->capacity > 0 && in.credits >= in.event->capacity) return Fail(ErrorCode::kEventFull);
  if (!in.card_type_earns) return Fail(ErrorCode::kCardTypeNoPoints);
  return {};
}

Result<void> DecideRegister(const RegisterInput& in) {
  if (!in.card) return Fail(ErrorCode::kCardNotFound);
  if (in.card->status != CardStatus::kActive) return Fail(ErrorCode::kCardNotActive);
  if (!in.event) return Fail(ErrorCode::kEventNotFound);
  if (!in.event->RegistrationOpen(in.now)) return Fail(ErrorCode::kRegistrationClosed);
  if (in.already_registered) return Fail(ErrorCode::kAlreadyRegistered);
  if (in.event->capacity > 0 && in.registrations >= in.event->capacity) return Fail(ErrorCode::kEventFull);
  if (in.balance < in.event->registration_cost)
    return Fail(DomainError(ErrorCode::kInsufficientPoints, {{"needed", std::to_string(in.event->registration_cost)},
                                                             {"available", std::to_string(in.balance)}}));
  return {};
}

Result<void> DecideFileBackfill(const BackfillInput& in) {
  if (!in.card) return Fail(ErrorCode::kCardNotFound);
  if (!in.event) return Fail(ErrorCode::kEventNotFound);
  if (in.card->status != CardStatus::kActive) return Fail(ErrorCode::kCardNotActive);
  if (!in.card_type_earns) return Fail(ErrorCode::kCardTypeNoPoints);
  if (in.already_credited) return Fail(ErrorCode::kAlreadyCredited);
  if (in.event->capacity > 0 && in.credits >= in.event->capacity) return Fail(ErrorCode::kEventFull);
  return {};
}

Result<void> DecideApproveBackfill(const ApprovalInput& in) {
  if (in.status != BackfillStatus::kAwaitingApproval) return Fail(ErrorCode::kBackfillDecided);
  if (in.second_person_required && in.filed_by == in.approver) return Fail(ErrorCode::kApproverIsFiler);
  return DecideFileBackfill(in.credit);
}

Result<void> DecideRejectBackfill(BackfillStatus status) {
  if (status != BackfillStatus::kAwaitingApproval) return Fail(ErrorCode::kBackfillDecided);
  return {};
}

}  // namespace bookstamp
