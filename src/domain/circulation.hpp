// Pure circulation decisions (RULES.md: Checkout, Renewal, Check-in, Holds). No I/O, no clock:
// callers load the state, pass `today`, and save what the decision says.
#pragma once
#include <optional>
#include <span>
#include <vector>

#include "domain/error.hpp"
#include "domain/model.hpp"

namespace bookstamp {

// Due date = `day` + loan_days, moved to the branch's next open day.
[[nodiscard]] Date DueDate(Date day, int loan_days, const BranchCalendar& calendar);

// Days a loan is overdue on `today` (0 when not overdue). Overdue from the day after due_on.
[[nodiscard]] int OverdueDays(Date due_on, Date today);

// A ready hold whose pickup_by has passed reads as expired even before the sweeper runs.
[[nodiscard]] HoldStatus EffectiveStatus(const Hold& hold, Date today);

// What checkout needs of a card's loans not yet returned: how many, and the earliest due date.
struct OpenLoans {
  int count = 0;
  std::optional<Date> earliest_due;
};
[[nodiscard]] OpenLoans SummarizeOpenLoans(std::span<const Loan> loans);

struct CheckoutInput {
  const Card* card = nullptr;          // nullptr: CARD_NOT_FOUND
  CardPolicy policy;                   // of the card's type
  OpenLoans card_open_loans;           // the card's loans not yet returned
  const Item* item = nullptr;          // nullptr: ITEM_NOT_FOUND
  bool item_on_loan = false;           // the item has an open loan
  std::optional<Hold> item_trapped_for;  // the hold (in_transit or ready) this copy is trapped for
  std::optional<Hold> own_hold_on_title; // the card's own active hold on the item's title, if any
  Channel channel = Channel::kCounter;
  const Branch* branch = nullptr;      // where the checkout happens (required)
  Date today;
};

struct CheckoutDecision {
  Date due_on;
  std::optional<HoldId> fulfils_hold;  // the card's own hold that this checkout fulfils
};

// Checks RULES.md "Checkout" in order; the first failure is the answer.
[[nodiscard]] Result<CheckoutDecision> DecideCheckout(const CheckoutInput& in);

struct RenewalInput {
  const Card* card = nullptr;
  CardPolicy policy;
  const Loan* loan = nullptr;
  bool title_has_other_waiting_holds = false;  // another card waits for the title
  const BranchCalendar* calendar = nullptr;     // the loan branch's calendar (nullptr: always open)
  Date today;
};

// RULES.md "Renewal" in order; returns the new due date.
[[nodiscard]] Result<Date> DecideRenewal(const RenewalInput& in);

// What a renew would answer now (null when renewable): shown beside a disabled button.
[[nodiscard]] std::optional<ErrorCode> RenewRefusal(const RenewalInput& in);

struct CheckinDecision {
  int overdue_days = 0;
  int suspension_days_added = 0;
  std::optional<Date> borrow_resumes_on;  // the card's new value (unchanged when nothing added)
};

// Per-item suspension: borrow_resumes_on := max(today, borrow_resumes_on) + d.
[[nodiscard]] CheckinDecision DecideCheckin(const Loan& loan, const Card& card, Date today);

struct CardStanding {
  int suspension_days_left = 0;
  std::optional<Date> borrow_resumes_on;   // null when not suspended on `today`
  std::optional<Date> reserve_resumes_on;  // null when not suspended on `today`
};
[[nodiscard]] CardStanding StandingOf(const Card& card, Date today);

struct HoldInput {
  const Card* card = nullptr;
  CardPolicy policy;
  int active_holds = 0;             // waiting + in_transit + ready (effective)
  bool has_title_on_loan = false;
  bool has_active_hold_on_title = false;
  Date today;
};

// RULES.md "Holds" placement checks in order.
[[nodiscard]] Result<void> DecidePlaceHold(const HoldInput& in);

struct TrapDecision {
  HoldId hold;
  HoldStatus status;              // kReady at the pickup branch, else kInTransit
  std::optional<Date> ready_on;   // set when ready
  std::optional<Date> pickup_by;  // ready_on + pickup_days
};

// A copy checked in at `branch`: the first waiting hold (by placed_at, then id) gets it.
// `waiting` may be unordered; returns nullopt when no hold waits.
[[nodiscard]] std::optional<TrapDecision> DecideTrap(const std::vector<Hold>& waiting, const BranchCode& branch,
                                                     Date today, int pickup_days);

// An in-transit hold's copy arrives at `branch`: ready when it is the pickup branch.
[[nodiscard]] std::optional<TrapDecision> DecideArrival(const Hold& in_transit, const BranchCode& branch, Date today,
                                                        int pickup_days);

// A ready hold expired unclaimed (no-show) on pickup date `pickup_by`. `earlier_no_shows` are the
// pickup dates of the card's previous no-shows. Returns the card's new reserve_resumes_on when this
// no-show is the third within the window, else nullopt.
[[nodiscard]] std::optional<Date> DecideNoShow(const std::vector<Date>& earlier_no_shows, Date pickup_by,
                                               std::optional<Date> reserve_resumes_on, const LibraryPolicy& policy);

}  // namespace bookstamp
