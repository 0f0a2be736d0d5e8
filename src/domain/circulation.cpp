// Pure circulation decisions: checkout, renewal, check-in suspension (停權), holds (預約). RULES.md.
#include "domain/circulation.hpp"

#include <algorithm>
#include <cassert>
#include <tuple>

namespace bookstamp {
namespace {

// A hold that still claims a copy or a place in the queue.
bool IsActive(HoldStatus s) {
  return s == HoldStatus::kWaiting || s == HoldStatus::kInTransit || s == HoldStatus::kReady;
}

// `resumes_on` suspends the day before it and earlier; the day itself is free again.
bool IsSuspended(const std::optional<Date>& resumes_on, Date today) { return resumes_on && *resumes_on > today; }

DomainError Suspended(ErrorCode code, Date resumes_on) { return DomainError(code, {{"date", FormatDate(resumes_on)}}); }

TrapDecision Ready(HoldId hold, Date today, int pickup_days) {
  return TrapDecision{hold, HoldStatus::kReady, today, today + Days(pickup_days)};
}

}  // namespace

Date DueDate(Date day, int loan_days, const BranchCalendar& calendar) {
  return calendar.NextOpenDay(day + Days(loan_days));
}

int OverdueDays(Date due_on, Date today) {
  const auto late = (today - due_on).count();
  return late > 0 ? static_cast<int>(late) : 0;
}

HoldStatus EffectiveStatus(const Hold& hold, Date today) {
  // Picked up by the end of pickup_by, or a no-show from the next day on.
  if (hold.status == HoldStatus::kReady && hold.pickup_by && today > *hold.pickup_by) return HoldStatus::kExpired;
  return hold.status;
}

OpenLoans SummarizeOpenLoans(std::span<const Loan> loans) {
  OpenLoans out;
  for (const Loan& loan : loans) {
    ++out.count;
    if (!out.earliest_due || loan.due_on < *out.earliest_due) out.earliest_due = loan.due_on;
  }
  return out;
}

Result<CheckoutDecision> DecideCheckout(const CheckoutInput& in) {
  assert(in.branch != nullptr && "DecideCheckout REQUIRES the branch where the checkout happens");
  // 1. card exists and is active
  if (in.card == nullptr) return Fail(ErrorCode::kCardNotFound);
  const Card& card = *in.card;
  if (card.status != CardStatus::kActive) return Fail(ErrorCode::kCardNotActive);
  // 2. borrowing not suspended
  if (IsSuspended(card.borrow_resumes_on, in.today))
    return Fail(Suspended(ErrorCode::kBorrowSuspended, *card.borrow_resumes_on));
  // 3. no overdue loans
  const auto& open = in.card_open_loans;
  if (open.earliest_due && OverdueDays(*open.earliest_due, in.today) > 0) return Fail(ErrorCode::kOverdueItems);
  // 4. under the card type's max loans
  if (open.count >= in.policy.max_loans) return Fail(ErrorCode::kLoanLimitReached);
  // 5. item exists and is loanable
  if (in.item == nullptr) return Fail(ErrorCode::kItemNotFound);
  const Item& item = *in.item;
  if (!item.loanable) return Fail(ErrorCode::kItemNotLoanable);
  // 6. item not already on loan
  if (in.item_on_loan) return Fail(ErrorCode::kItemOnLoan);
  // 7. item not on the hold shelf (or on its way there) for another card; an expired ready hold
  //    no longer claims the copy, even before the sweeper has closed it.
  std::optional<HoldId> own_trapped_hold;
  if (in.item_trapped_for) {
    const Hold& trap = *in.item_trapped_for;
    const HoldStatus status = EffectiveStatus(trap, in.today);
    const bool claims_copy = status == HoldStatus::kReady || status == HoldStatus::kInTransit;
    if (claims_copy && trap.card != card.number) return Fail(ErrorCode::kItemHeldForAnother);
    if (claims_copy) own_trapped_hold = trap.id;
  }
  // 8. phone checkout: the branch allows it and the item is on its shelves
  if (in.channel == Channel::kMobile) {
    if (!in.branch->mobile_checkout) return Fail(ErrorCode::kMobileCheckoutDisabled);
    if (item.branch != in.branch->code) return Fail(ErrorCode::kItemNotAtBranch);
  }

  CheckoutDecision decision{DueDate(in.today, in.policy.loan_days, in.branch->calendar), std::nullopt};
  // The copy trapped for this card fulfils that hold; otherwise any copy of the title fulfils
  // the card's own active hold on it.
  if (own_trapped_hold) {
    decision.fulfils_hold = own_trapped_hold;
  } else if (in.own_hold_on_title && IsActive(EffectiveStatus(*in.own_hold_on_title, in.today))) {
    decision.fulfils_hold = in.own_hold_on_title->id;
  }
  return decision;
}

Result<Date> DecideRenewal(const RenewalInput& in) {
  if (in.card == nullptr) return Fail(ErrorCode::kCardNotFound);
  if (in.loan == nullptr) return Fail(ErrorCode::kNotFound);
  const Card& card = *in.card;
  if (card.status != CardStatus::kActive) return Fail(ErrorCode::kCardNotActive);
  if (IsSuspended(card.borrow_resumes_on, in.today))
    return Fail(Suspended(ErrorCode::kBorrowSuspended, *card.borrow_resumes_on));
  if (OverdueDays(in.loan->due_on, in.today) > 0) return Fail(ErrorCode::kLoanOverdue);
  if (in.loan->renewals >= in.policy.max_renewals) return Fail(ErrorCode::kRenewalLimit);
  if (in.title_has_other_waiting_holds) return Fail(ErrorCode::kTitleReserved);
  static const BranchCalendar kAlwaysOpen;
  return DueDate(in.today, in.policy.loan_days, in.calendar ? *in.calendar : kAlwaysOpen);
}

std::optional<ErrorCode> RenewRefusal(const RenewalInput& in) {
  auto renewal = DecideRenewal(in);
  if (renewal) return std::nullopt;
  return renewal.error().code;
}

CheckinDecision DecideCheckin(const Loan& loan, const Card& card, Date today) {
  CheckinDecision decision;
  decision.overdue_days = OverdueDays(loan.due_on, today);
  decision.borrow_resumes_on = card.borrow_resumes_on;
  if (decision.overdue_days > 0) {
    // Per item: each late return adds its own days after any suspension already running.
    const Date from = std::max(today, card.borrow_resumes_on.value_or(today));
    decision.borrow_resumes_on = from + Days(decision.overdue_days);
    decision.suspension_days_added = decision.overdue_days;
  }
  return decision;
}

CardStanding StandingOf(const Card& card, Date today) {
  CardStanding standing;
  if (IsSuspended(card.borrow_resumes_on, today)) {
    standing.borrow_resumes_on = card.borrow_resumes_on;
    standing.suspension_days_left = static_cast<int>((*card.borrow_resumes_on - today).count());
  }
  if (IsSuspended(card.reserve_resumes_on, today)) standing.reserve_resumes_on = card.reserve_resumes_on;
  return standing;
}

Result<void> DecidePlaceHold(const HoldInput& in) {
  if (in.card == nullptr) return Fail(ErrorCode::kCardNotFound);
  const Card& card = *in.card;
  if (card.status != CardStatus::kActive) return Fail(ErrorCode::kCardNotActive);
  if (IsSuspended(card.reserve_resumes_on, in.today))
    return Fail(Suspended(ErrorCode::kReserveSuspended, *card.reserve_resumes_on));
  if (in.has_title_on_loan) return Fail(ErrorCode::kAlreadyOnLoan);
  if (in.has_active_hold_on_title) return Fail(ErrorCode::kAlreadyHeld);
  if (in.active_holds >= in.policy.max_holds) return Fail(ErrorCode::kHoldLimitReached);
  return {};
}

std::optional<TrapDecision> DecideTrap(const std::vector<Hold>& waiting, const BranchCode& branch, Date today,
                                       int pickup_days) {
  const Hold* first = nullptr;
  for (const Hold& hold : waiting) {
    if (hold.status != HoldStatus::kWaiting) continue;  // only the queue competes for the copy
    if (first == nullptr || std::tie(hold.placed_at, hold.id) < std::tie(first->placed_at, first->id)) first = &hold;
  }
  if (first == nullptr) return std::nullopt;
  if (first->pickup_branch == branch) return Ready(first->id, today, pickup_days);
  return TrapDecision{first->id, HoldStatus::kInTransit, std::nullopt, std::nullopt};
}

std::optional<TrapDecision> DecideArrival(const Hold& in_transit, const BranchCode& branch, Date today,
                                          int pickup_days) {
  if (in_transit.status != HoldStatus::kInTransit || in_transit.pickup_branch != branch) return std::nullopt;
  return Ready(in_transit.id, today, pickup_days);
}

std::optional<Date> DecideNoShow(const std::vector<Date>& earlier_no_shows, Date pickup_by,
                                 std::optional<Date> reserve_resumes_on, const LibraryPolicy& policy) {
  // The window is the no_show_window_days days ending on (and including) this pickup date.
  const Date window_start = pickup_by - Days(policy.no_show_window_days);
  const auto earlier = std::ranges::count_if(
      earlier_no_shows, [&](Date d) { return d > window_start && d <= pickup_by; });
  if (earlier + 1 < policy.no_show_limit) return std::nullopt;
  const Date resumes_on = pickup_by + Days(policy.no_show_suspension_days);
  return std::max(resumes_on, reserve_resumes_on.value_or(resumes_on));
}

}  // namespace bookstamp
