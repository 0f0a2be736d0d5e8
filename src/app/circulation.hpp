// Circulation use cases (RULES.md Checkout, Renewal, Check-in, Holds): load, ask the domain, save,
// audit and queue notices in the caller's transaction.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ledger.hpp"
#include "app/ports/sql.hpp"
#include "domain/circulation.hpp"

namespace bookstamp {

struct LoanView {
  LoanId id;
  CardNumber card;
  ItemBarcode item_barcode;
  BibId bib;
  std::string title;
  BranchCode branch;
  Channel channel = Channel::kCounter;
  Instant checked_out_at;
  Date due_on;
  int overdue_days = 0;
  int renewals = 0;
  std::optional<ErrorCode> renew_refusal;  // null when renewable
  std::optional<Instant> returned_at;
};

struct HoldView {
  HoldId id;
  CardNumber card;
  BibId bib;
  std::string title;
  BranchCode pickup_branch;
  HoldStatus status = HoldStatus::kWaiting;  // effective status on today
  std::optional<int> queue_position;          // 1-based among waiting holds, null otherwise
  std::optional<Date> pickup_by;
  std::optional<ItemBarcode> item_barcode;    // trapped copy
  Instant placed_at;
};

struct CheckoutRequest {
  CardNumber card;
  ItemBarcode item_barcode;
  BranchCode branch;
  Channel channel = Channel::kCounter;
};

struct CheckoutResult {
  LoanView loan;
  std::optional<HoldId> hold_fulfilled;
  PointsOutcome points;
};

[[nodiscard]] Result<CheckoutResult> CheckOut(SqlTx& tx, const Env& env, const Actor& actor,
                                              const CheckoutRequest& req);

// A kiosk replaying a checkout it did offline (SIP2 no-block Y): the loan is recorded even where
// DecideCheckout refuses it, flagged for staff review (loans.review_reason), and earns points only
// where the rules allowed the checkout. Still refused: unknown card, item or branch, and an item
// already on an open loan (ITEM_ON_LOAN: one open loan per item).
struct OfflineCheckoutResult {
  CheckoutResult checkout;
  std::optional<ErrorCode> review_reason;  // the rule the checkout broke; null when it was allowed
};
[[nodiscard]] Result<OfflineCheckoutResult> CheckOutOffline(SqlTx& tx, const Env& env, const Actor& actor,
                                                            const CheckoutRequest& req);

struct CheckinResult {
  std::optional<LoanView> loan;  // null when the item was not on loan
  int overdue_days = 0;
  int suspension_days_added = 0;
  std::string item_status;       // "available", "on_hold_shelf", "in_transit"
  std::optional<HoldView> hold;  // the hold the copy was trapped for
};

[[nodiscard]] Result<CheckinResult> CheckIn(SqlTx& tx, const Env& env, const Actor& actor,
                                            const ItemBarcode& barcode, const BranchCode& branch);

// Staff renew by item barcode.
[[nodiscard]] Result<LoanView> RenewItem(SqlTx& tx, const Env& env, const Actor& actor, const ItemBarcode& barcode);
// Patron renews one of the card's loans.
[[nodiscard]] Result<LoanView> RenewLoan(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card,
                                         LoanId loan);

[[nodiscard]] std::vector<LoanView> CardLoans(SqlTx& tx, const Env& env, const CardNumber& card);
[[nodiscard]] std::vector<HoldView> CardHolds(SqlTx& tx, const Env& env, const CardNumber& card);

[[nodiscard]] Result<HoldView> PlaceHold(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card,
                                         BibId bib, const BranchCode& pickup_branch);
[[nodiscard]] Result<void> CancelHold(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card,
                                      HoldId hold);

struct CardStatusView {
  CardStatus status = CardStatus::kActive;
  CardStanding standing;
};
[[nodiscard]] Result<CardStatusView> CardStatusOf(SqlTx& tx, const Env& env, const CardNumber& card);

// The card holder's name (kiosk greeting); nullopt when the card does not exist.
std::optional<std::string> CardHolderName(SqlTx& tx, const CardNumber& card);

// One copy as a kiosk describes it (SIP2 item information).
struct ItemStatusView {
  ItemBarcode barcode;
  std::string title;
  BranchCode branch;                 // where the copy is
  std::string item_type;
  bool loanable = true;
  std::optional<LoanView> loan;      // the open loan
  std::optional<HoldView> trapped_for;  // the hold the copy is trapped for
  int waiting_holds = 0;             // on the title
};
[[nodiscard]] Result<ItemStatusView> ItemStatusOf(SqlTx& tx, const Env& env, const ItemBarcode& barcode);

// Expires ready holds past their pickup date (no-shows), passing each copy on. Returns how many.
int ExpireReadyHolds(SqlTx& tx, const Env& env);

// Waiting holds at `branch` whose title has a copy on the shelf there (the staff's pull list).
struct PullListEntry {
  HoldView hold;
  ItemBarcode item_barcode;
  std::string call_number;
};
[[nodiscard]] std::vector<PullListEntry> PullList(SqlTx& tx, const Env& env, const BranchCode& branch);
// Holds at a branch in one status (ready: the hold shelf; in_transit: coming to it).
[[nodiscard]] std::vector<HoldView> HoldsAtBranch(SqlTx& tx, const Env& env, const BranchCode& branch,
                                                  HoldStatus status);

}  // namespace bookstamp
