// Circulation use cases over the SQL port.
#include "app/circulation.hpp"

#include <fmt/format.h>

#include "app/audit.hpp"
#include "app/authz.hpp"
#include "app/notices.hpp"
#include "app/repo.hpp"

namespace bookstamp {
namespace {

std::string TitleOf(SqlTx& tx, BibId bib) {
  auto row = tx.QueryOne("SELECT title FROM bibs WHERE id = ?", {bib.value()});
  return row ? row->Text(0) : std::string();
}

int OtherWaitingHolds(SqlTx& tx, BibId bib, const CardNumber& card) {
  return static_cast<int>(
      tx.QueryOne("SELECT COUNT(*) FROM holds WHERE bib_id = ? AND status = 'waiting' AND card <> ?",
                  {bib.value(), card.value()})
          ->Int(0));
}

std::optional<int> QueuePosition(SqlTx& tx, const Hold& h) {
  if (h.status != HoldStatus::kWaiting) return std::nullopt;
  auto row = tx.QueryOne(
      "SELECT COUNT(*) FROM holds WHERE bib_id = ? AND status = 'waiting' AND (placed_at < ? OR (placed_at = ? AND "
      "id <= ?))",
      {h.bib.value(), ToMillis(h.placed_at), ToMillis(h.placed_at), h.id.value()});
  return static_cast<int>(row->Int(0));
}

HoldView ViewOf(SqlTx& tx, const Env& env, const Hold& h) {
  HoldView v;
  v.id = h.id;
  v.card = h.card;
  v.bib = h.bib;
  v.title = TitleOf(tx, h.bib);
  v.pickup_branch = h.pickup_branch;
  v.status = EffectiveStatus(h, env.Today());
  v.placed_at = h.placed_at;
  if (v.status == HoldStatus::kReady) v.pickup_by = h.pickup_by;
  if (v.status == HoldStatus::kWaiting) v.queue_position = QueuePosition(tx, h);
  if (h.item && (v.status == HoldStatus::kReady || v.status == HoldStatus::kInTransit))
    if (auto item = repo::FindItemById(tx, *h.item)) v.item_barcode = item->barcode;
  return v;
}

RenewalInput RenewalInputFor(SqlTx& tx, const Card& card, const CardPolicy& policy, const Loan& loan,
                             const BranchCalendar* calendar, Date today) {
  RenewalInput in;
  in.card = &card;
  in.policy = policy;
  in.loan = &loan;
  in.title_has_other_waiting_holds = OtherWaitingHolds(tx, loan.bib, loan.card) > 0;
  in.calendar = calendar;
  in.today = today;
  return in;
}

// `branch`: the loan's branch when the caller has it already (else it is read when needed).
LoanView LoanViewOf(SqlTx& tx, const Env& env, const Loan& loan, const Card* card, const CardPolicy* policy,
                    const Branch* branch = nullptr) {
  LoanView v;
  v.id = loan.id;
  v.card = loan.card;
  v.bib = loan.bib;
  v.branch = loan.branch;
  v.channel = loan.channel;
  v.checked_out_at = loan.checked_out_at;
  v.due_on = loan.due_on;
  v.renewals = loan.renewals;
  v.returned_at = loan.returned_at;
  auto row = tx.QueryOne("SELECT i.barcode, b.title FROM items i JOIN bibs b ON b.id = i.bib_id WHERE i.id = ?",
                         {loan.item.value()});
  if (row) {
    v.item_barcode = ItemBarcode(row->Text(0));
    v.title = row->Text(1);
  }
  auto today = env.Today();
  if (loan.returned_at) {
    v.overdue_days = OverdueDays(loan.due_on, env.tz.LocalDay(*loan.returned_at));
  } else {
    v.overdue_days = OverdueDays(loan.due_on, today);
    if (card && policy) {
      std::optional<Branch> loaded;
      if (!branch || branch->code != loan.branch) {
        loaded = repo::FindBranch(tx, loan.branch);
        branch = loaded ? &*loaded : nullptr;
      }
      v.renew_refusal =
          RenewRefusal(RenewalInputFor(tx, *card, *policy, loan, branch ? &branch->calendar : nullptr, today));
    }
  }
  return v;
}

// "Your hold is ready at BRANCH, pick up by DATE": once per hold.
void QueueHoldReady(SqlTx& tx, const Env& env, const Hold& hold) {
  QueueNotice(tx, env, hold.card, "hold_ready",
              {{"hold_id", hold.id.value()},
               {"bib_id", hold.bib.value()},
               {"branch", hold.pickup_branch.value()},
               {"pickup_by", FormatDate(*hold.pickup_by)}},
              fmt::format("hold_ready:{}", hold.id.value()));
}

// A copy is free at `branch` (checked in, or released by a hold): give it to the first waiting hold.
std::optional<Hold> PassCopy(SqlTx& tx, const Env& env, const Item& item, const BranchCode& branch,
                             const LibraryPolicy& policy) {
  auto waiting = repo::WaitingHolds(tx, item.bib);
  auto trap = DecideTrap(waiting, branch, env.Today(), policy.pickup_days);
  if (!trap) return std::nullopt;
  auto hold = *repo::FindHold(tx, trap->hold);
  hold.status = trap->status;
  hold.item = item.id;
  hold.ready_on = trap->ready_on;
  hold.pickup_by = trap->pickup_by;
  repo::SaveHoldState(tx, hold);
  if (hold.status == HoldStatus::kReady) QueueHoldReady(tx, env, hold);
  return hold;
}

// A ready hold past its pickup date: expired, a no-show, and the copy passed on. True when it expired.
bool ExpireIfDue(SqlTx& tx, const Env& env, const Hold& hold, const LibraryPolicy& policy) {
  auto today = env.Today();
  if (hold.status != HoldStatus::kReady || EffectiveStatus(hold, today) != HoldStatus::kExpired) return false;
  auto earlier = tx.Query("SELECT pickup_by FROM holds WHERE card = ? AND no_show = 1 AND id <> ?",
                          {hold.card.value(), hold.id.value()});
  std::vector<Date> dates;
  for (const auto& r : earlier)
    if (auto d = repo::DateOf(r, 0)) dates.push_back(*d);
  tx.Exec("UPDATE holds SET status = 'expired', no_show = 1, closed_at = ? WHERE id = ?",
          {ToMillis(env.Now()), hold.id.value()});
  auto card = repo::FindCard(tx, hold.card);
  if (card) {
    if (auto resumes = DecideNoShow(dates, *hold.pickup_by, card->reserve_resumes_on, policy)) {
      repo::SetReserveResumesOn(tx, card->number, resumes);
      QueueNotice(tx, env, card->number, "reserve_suspended", {{"reserve_resumes_on", FormatDate(*resumes)}});
    }
  }
  AppendAudit(tx, env.Now(), env.tz,
              {"system", "hold.expire", fmt::format("hold:{}", hold.id.value()),
               {{"card", hold.card.value()}, {"pickup_by", FormatDate(*hold.pickup_by)}}});
  if (hold.item)
    if (auto item = repo::FindItemById(tx, *hold.item)) PassCopy(tx, env, *item, hold.pickup_branch, policy);
  return true;
}

JsonObject LoanDetails(const Loan& l) {
  return {{"card", l.card.value()},
          {"item_id", l.item.value()},
          {"branch", l.branch.value()},
          {"channel", std::string(ToString(l.channel))},
          {"due_on", FormatDate(l.due_on)}};
}

}  // namespace

Result<CheckoutResult> CheckOut(SqlTx& tx, const Env& env, const Actor& actor, const CheckoutRequest& req) {
  if (actor.IsStaff())
    if (auto ok = Authorize(actor, Permission::kCirculation, req.branch); !ok) return Fail(ok.error());
  auto branch = repo::FindBranch(tx, req.branch);
  if (!branch) return Fail(ErrorCode::kBranchNotFound);
  auto policy = repo::LoadPolicy(tx);
  auto today = env.Today();

  CheckoutInput in;
  in.branch = &*branch;
  in.channel = req.channel;
  in.today = today;
  auto card = repo::FindCard(tx, req.card);
  if (card) {
    in.card = &*card;
    in.policy = policy.For(card->type);
    in.card_open_loans = repo::OpenLoansSummaryOfCard(tx, card->number);
  }
  auto item = repo::FindItem(tx, req.item_barcode);
  if (item) {
    in.item = &*item;
    in.item_on_loan = repo::FindOpenLoanOfItem(tx, item->id).has_value();
    auto trapped = repo::TrappedHoldOfItem(tx, item->id);
    // A ready hold past its date is expired before anyone reads it; the copy may pass to the next hold.
    if (trapped && ExpireIfDue(tx, env, *trapped, policy)) trapped = repo::TrappedHoldOfItem(tx, item->id);
    in.item_trapped_for = trapped;
    if (card) in.own_hold_on_title = repo::ActiveHoldOf(tx, card->number, item->bib);
  }
  auto decision = DecideCheckout(in);
  if (!decision) return Fail(decision.error());

  auto now = env.Now();
  Loan loan;
  loan.card = card->number;
  loan.item = item->id;
  loan.bib = item->bib;
  loan.branch = branch->code;
  loan.channel = req.channel;
  loan.checked_out_at = now;
  loan.due_on = decision->due_on;
  auto row = tx.QueryOne(
      "INSERT INTO loans(card, item_id, bib_id, branch, channel, checked_out_at, checkout_day, due_on) "
      "VALUES (?,?,?,?,?,?,?,?) RETURNING id",
      {loan.card.value(), loan.item.value(), loan.bib.value(), loan.branch.value(),
       std::string(ToString(loan.channel)), ToMillis(now), FormatDate(today), FormatDate(loan.due_on)});
  loan.id = LoanId(row->Int(0));

  CheckoutResult result;
  if (decision->fulfils_hold) {
    auto hold = *repo::FindHold(tx, *decision->fulfils_hold);
    auto other_copy = hold.item && *hold.item != item->id ? hold.item : std::nullopt;
    hold.status = HoldStatus::kFulfilled;
    repo::SaveHoldState(tx, hold, now);
    result.hold_fulfilled = hold.id;
    // The card took another copy: the one trapped for it goes to the next hold.
    if (other_copy)
      if (auto copy = repo::FindItemById(tx, *other_copy)) PassCopy(tx, env, *copy, copy->branch, policy);
  }
  auto details = LoanDetails(loan);
  if (result.hold_fulfilled) details["hold_fulfilled"] = result.hold_fulfilled->value();
  AppendAudit(tx, now, env.tz, {actor.label, "circulation.checkout", fmt::format("loan:{}", loan.id.value()), details});
  result.points = CreditLoan(tx, env, actor, *card, in.policy, loan, *item);
  result.loan = LoanViewOf(tx, env, loan, &*card, &in.policy, &*branch);
  return result;
}

Result<OfflineCheckoutResult> CheckOutOffline(SqlTx& tx, const Env& env, const Actor& actor,
                                              const CheckoutRequest& req) {
  if (actor.IsStaff())
    if (auto ok = Authorize(actor, Permission::kCirculation, req.branch); !ok) return Fail(ok.error());
  auto branch = repo::FindBranch(tx, req.branch);
  if (!branch) return Fail(ErrorCode::kBranchNotFound);
  auto card = repo::FindCard(tx, req.card);
  if (!card) return Fail(ErrorCode::kCardNotFound);
  auto item = repo::FindItem(tx, req.item_barcode);
  if (!item) return Fail(ErrorCode::kItemNotFound);
  if (repo::FindOpenLoanOfItem(tx, item->id)) return Fail(ErrorCode::kItemOnLoan);
  auto policy = repo::LoadPolicy(tx);
  auto today = env.Today();

  CheckoutInput in;
  in.branch = &*branch;
  in.channel = req.channel;
  in.today = today;
  in.card = &*card;
  in.policy = policy.For(card->type);
  in.card_open_loans = repo::OpenLoansSummaryOfCard(tx, card->number);
  in.item = &*item;
  auto trapped = repo::TrappedHoldOfItem(tx, item->id);
  if (trapped && ExpireIfDue(tx, env, *trapped, policy)) trapped = repo::TrappedHoldOfItem(tx, item->id);
  in.item_trapped_for = trapped;
  in.own_hold_on_title = repo::ActiveHoldOf(tx, card->number, item->bib);
  auto decision = DecideCheckout(in);
  if (decision) {
    // Allowed: exactly an ordinary checkout (hold fulfilment, points).
    auto r = CheckOut(tx, env, actor, req);
    if (!r) return Fail(r.error());
    return OfflineCheckoutResult{std::move(*r), std::nullopt};
  }

  auto reason = decision.error().code;
  auto now = env.Now();
  Loan loan;
  loan.card = card->number;
  loan.item = item->id;
  loan.bib = item->bib;
  loan.branch = branch->code;
  loan.channel = req.channel;
  loan.checked_out_at = now;
  loan.due_on = DueDate(today, in.policy.loan_days, branch->calendar);
  auto row = tx.QueryOne(
      "INSERT INTO loans(card, item_id, bib_id, branch, channel, checked_out_at, checkout_day, due_on, review_reason) "
      "VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
      {loan.card.value(), loan.item.value(), loan.bib.value(), loan.branch.value(),
       std::string(ToString(loan.channel)), ToMillis(now), FormatDate(today), FormatDate(loan.due_on),
       std::string(ToString(reason))});
  loan.id = LoanId(row->Int(0));
  auto details = LoanDetails(loan);
  details["offline"] = true;
  details["review_reason"] = std::string(ToString(reason));
  AppendAudit(tx, now, env.tz,
              {actor.label, "circulation.checkout_offline", fmt::format("loan:{}", loan.id.value()), details});

  OfflineCheckoutResult result;
  result.review_reason = reason;
  // The rules refused it: no points, and the refusal is the reason.
  result.checkout.points.reason = reason;
  result.checkout.points.balance = BalanceOf(tx, card->number).balance;
  result.checkout.loan = LoanViewOf(tx, env, loan, &*card, &in.policy);
  return result;
}

Result<CheckinResult> CheckIn(SqlTx& tx, const Env& env, const Actor& actor, const ItemBarcode& barcode,
                              const BranchCode& branch_code) {
  if (auto ok = Authorize(actor, Permission::kCirculation, branch_code); !ok) return Fail(ok.error());
  auto branch = repo::FindBranch(tx, branch_code);
  if (!branch) return Fail(ErrorCode::kBranchNotFound);
  auto item = repo::FindItem(tx, barcode);
  if (!item) return Fail(ErrorCode::kItemNotFound);
  auto policy = repo::LoadPolicy(tx);
  auto now = env.Now();
  auto today = env.Today();

  CheckinResult result;
  if (auto loan = repo::FindOpenLoanOfItem(tx, item->id)) {
    auto card = *repo::FindCard(tx, loan->card);
    auto decision = DecideCheckin(*loan, card, today);
    tx.Exec("UPDATE loans SET returned_at = ?, returned_branch = ?, overdue_days = ? WHERE id = ?",
            {ToMillis(now), branch->code.value(), std::int64_t{decision.overdue_days}, loan->id.value()});
    if (decision.suspension_days_added > 0) {
      repo::SetBorrowResumesOn(tx, card.number, decision.borrow_resumes_on);
      QueueNotice(tx, env, card.number, "suspension",
                  {{"days_added", decision.suspension_days_added},
                   {"borrow_resumes_on", FormatDate(*decision.borrow_resumes_on)}});
    }
    result.overdue_days = decision.overdue_days;
    result.suspension_days_added = decision.suspension_days_added;
    loan->returned_at = now;
    result.loan = LoanViewOf(tx, env, *loan, nullptr, nullptr);
    result.loan->overdue_days = decision.overdue_days;
    JsonObject details{{"card", card.number.value()},
                       {"item_id", item->id.value()},
                       {"branch", branch->code.value()},
                       {"overdue_days", decision.overdue_days},
                       {"suspension_days_added", decision.suspension_days_added}};
    AppendAudit(tx, now, env.tz,
                {actor.label, "circulation.checkin", fmt::format("loan:{}", loan->id.value()), details});
  } else {
    AppendAudit(tx, now, env.tz,
                {actor.label, "circulation.checkin", fmt::format("item:{}", item->id.value()),
                 {{"branch", branch->code.value()}, {"on_loan", false}}});
  }
  // The copy is now at this branch (a floating collection).
  tx.Exec("UPDATE items SET branch = ? WHERE id = ?", {branch->code.value(), item->id.value()});
  item->branch = branch->code;

  std::optional<Hold> hold = repo::TrappedHoldOfItem(tx, item->id);
  if (hold && ExpireIfDue(tx, env, *hold, policy)) hold = repo::TrappedHoldOfItem(tx, item->id);
  if (hold && hold->status == HoldStatus::kInTransit) {
    if (auto arrival = DecideArrival(*hold, branch->code, today, policy.pickup_days)) {
      hold->status = arrival->status;
      hold->ready_on = arrival->ready_on;
      hold->pickup_by = arrival->pickup_by;
      repo::SaveHoldState(tx, *hold);
      QueueHoldReady(tx, env, *hold);
    }
  } else if (!hold) {
    hold = PassCopy(tx, env, *item, branch->code, policy);
  }
  if (hold) {
    result.hold = ViewOf(tx, env, *hold);
    result.item_status = hold->status == HoldStatus::kReady ? "on_hold_shelf" : "in_transit";
    AppendAudit(tx, now, env.tz,
                {actor.label, "hold.trap", fmt::format("hold:{}", hold->id.value()),
                 {{"item_id", item->id.value()}, {"status", std::string(ToString(hold->status))}}});
  } else {
    result.item_status = "available";
  }
  return result;
}

namespace {
Result<LoanView> Renew(SqlTx& tx, const Env& env, const Actor& actor, Loan loan) {
  auto card = *repo::FindCard(tx, loan.card);
  auto policy = repo::LoadPolicy(tx).For(card.type);
  auto branch = repo::FindBranch(tx, loan.branch);
  auto today = env.Today();
  auto due = DecideRenewal(RenewalInputFor(tx, card, policy, loan, branch ? &branch->calendar : nullptr, today));
  if (!due) return Fail(due.error());
  loan.due_on = *due;
  loan.renewals += 1;
  tx.Exec("UPDATE loans SET due_on = ?, renewals = ? WHERE id = ?",
          {FormatDate(loan.due_on), std::int64_t{loan.renewals}, loan.id.value()});
  AppendAudit(tx, env.Now(), env.tz,
              {actor.label, "circulation.renew", fmt::format("loan:{}", loan.id.value()),
               {{"card", card.number.value()}, {"due_on", FormatDate(loan.due_on)}, {"renewals", loan.renewals}}});
  return LoanViewOf(tx, env, loan, &card, &policy);
}
}  // namespace

Result<LoanView> RenewItem(SqlTx& tx, const Env& env, const Actor& actor, const ItemBarcode& barcode) {
  if (auto ok = Authorize(actor, Permission::kCirculation); !ok) return Fail(ok.error());
  auto item = repo::FindItem(tx, barcode);
  if (!item) return Fail(ErrorCode::kItemNotFound);
  auto loan = repo::FindOpenLoanOfItem(tx, item->id);
  if (!loan) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "loan"}}));
  return Renew(tx, env, actor, *loan);
}

Result<LoanView> RenewLoan(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card, LoanId id) {
  auto loan = repo::FindLoan(tx, id);
  if (!loan || loan->card != card || loan->returned_at) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "loan"}}));
  return Renew(tx, env, actor, *loan);
}

std::vector<LoanView> CardLoans(SqlTx& tx, const Env& env, const CardNumber& number) {
  std::vector<LoanView> out;
  auto card = repo::FindCard(tx, number);
  if (!card) return out;
  auto policy = repo::LoadPolicy(tx).For(card->type);
  for (const auto& loan : repo::OpenLoansOfCard(tx, number)) out.push_back(LoanViewOf(tx, env, loan, &*card, &policy));
  return out;
}

std::vector<HoldView> CardHolds(SqlTx& tx, const Env& env, const CardNumber& card) {
  std::vector<HoldView> out;
  for (const auto& h : repo::HoldsOfCard(tx, card, true)) out.push_back(ViewOf(tx, env, h));
  return out;
}

Result<HoldView> PlaceHold(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& number, BibId bib,
                           const BranchCode& pickup) {
  if (!tx.QueryOne("SELECT 1 FROM bibs WHERE id = ?", {bib.value()})) return Fail(ErrorCode::kBibNotFound);
  if (!repo::FindBranch(tx, pickup)) return Fail(ErrorCode::kBranchNotFound);
  auto policy = repo::LoadPolicy(tx);
  auto today = env.Today();
  // Expire this card's overdue ready holds first: they neither count nor block, and a third
  // no-show suspends reserving right now.
  for (const auto& h : repo::HoldsOfCard(tx, number, true)) ExpireIfDue(tx, env, h, policy);
  auto card = repo::FindCard(tx, number);
  HoldInput in;
  in.card = card ? &*card : nullptr;
  in.today = today;
  if (card) {
    in.policy = policy.For(card->type);
    in.active_holds = static_cast<int>(repo::HoldsOfCard(tx, number, true).size());
    in.has_title_on_loan =
        tx.QueryOne("SELECT 1 FROM loans WHERE card = ? AND bib_id = ? AND returned_at IS NULL",
                    {number.value(), bib.value()})
            .has_value();
    in.has_active_hold_on_title = repo::ActiveHoldOf(tx, number, bib).has_value();
  }
  if (auto ok = DecidePlaceHold(in); !ok) return Fail(ok.error());
  auto now = env.Now();
  auto row = tx.QueryOne(
      "INSERT INTO holds(card, bib_id, pickup_branch, status, placed_at) VALUES (?,?,?,'waiting',?) RETURNING id",
      {number.value(), bib.value(), pickup.value(), ToMillis(now)});
  auto hold = *repo::FindHold(tx, HoldId(row->Int(0)));
  if (actor.IsStaff())
    AppendAudit(tx, now, env.tz,
                {actor.label, "hold.place", fmt::format("hold:{}", hold.id.value()),
                 {{"card", number.value()}, {"bib_id", bib.value()}, {"pickup_branch", pickup.value()}}});
  return ViewOf(tx, env, hold);
}

Result<void> CancelHold(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card, HoldId id) {
  auto hold = repo::FindHold(tx, id);
  if (!hold || hold->card != card) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "hold"}}));
  auto status = EffectiveStatus(*hold, env.Today());
  if (status != HoldStatus::kWaiting && status != HoldStatus::kInTransit && status != HoldStatus::kReady)
    return Fail(DomainError(ErrorCode::kNotFound, {{"what", "hold"}}));
  auto released = hold->item;
  hold->status = HoldStatus::kCancelled;
  repo::SaveHoldState(tx, *hold, env.Now());
  if (actor.IsStaff())
    AppendAudit(tx, env.Now(), env.tz,
                {actor.label, "hold.cancel", fmt::format("hold:{}", id.value()), {{"card", card.value()}}});
  if (released)
    if (auto item = repo::FindItemById(tx, *released)) PassCopy(tx, env, *item, item->branch, repo::LoadPolicy(tx));
  return {};
}

Result<CardStatusView> CardStatusOf(SqlTx& tx, const Env& env, const CardNumber& number) {
  auto card = repo::FindCard(tx, number);
  if (!card) return Fail(ErrorCode::kCardNotFound);
  // Ready holds past their date that the sweeper has not reached are no-shows already.
  auto today = env.Today();
  auto policy = repo::LoadPolicy(tx);
  std::vector<Date> no_shows;
  for (const auto& r : tx.Query("SELECT pickup_by FROM holds WHERE card = ? AND no_show = 1", {number.value()}))
    if (auto d = repo::DateOf(r, 0)) no_shows.push_back(*d);
  for (const auto& h : repo::HoldsOfCard(tx, number, true)) {
    if (h.status != HoldStatus::kReady || EffectiveStatus(h, today) != HoldStatus::kExpired) continue;
    if (auto resumes = DecideNoShow(no_shows, *h.pickup_by, card->reserve_resumes_on, policy))
      card->reserve_resumes_on = resumes;
    no_shows.push_back(*h.pickup_by);
  }
  return CardStatusView{card->status, StandingOf(*card, today)};
}

std::optional<std::string> CardHolderName(SqlTx& tx, const CardNumber& card) {
  auto row = tx.QueryOne("SELECT p.name FROM cards c JOIN patrons p ON p.id = c.patron_id WHERE c.number = ?",
                         {card.value()});
  if (!row) return std::nullopt;
  return row->Text(0);
}

Result<ItemStatusView> ItemStatusOf(SqlTx& tx, const Env& env, const ItemBarcode& barcode) {
  auto item = repo::FindItem(tx, barcode);
  if (!item) return Fail(ErrorCode::kItemNotFound);
  ItemStatusView v;
  v.barcode = item->barcode;
  v.title = TitleOf(tx, item->bib);
  v.branch = item->branch;
  v.item_type = item->item_type;
  v.loanable = item->loanable;
  if (auto loan = repo::FindOpenLoanOfItem(tx, item->id)) v.loan = LoanViewOf(tx, env, *loan, nullptr, nullptr);
  if (auto hold = repo::TrappedHoldOfItem(tx, item->id)) {
    auto view = ViewOf(tx, env, *hold);
    if (view.status == HoldStatus::kReady || view.status == HoldStatus::kInTransit) v.trapped_for = view;
  }
  v.waiting_holds = static_cast<int>(
      tx.QueryOne("SELECT COUNT(*) FROM holds WHERE bib_id = ? AND status = 'waiting'", {item->bib.value()})->Int(0));
  return v;
}

int ExpireReadyHolds(SqlTx& tx, const Env& env) {
  auto policy = repo::LoadPolicy(tx);
  auto rows = tx.Query("SELECT id FROM holds WHERE status = 'ready' AND pickup_by < ? ORDER BY id",
                       {FormatDate(env.Today())});
  int n = 0;
  for (const auto& r : rows)
    if (auto h = repo::FindHold(tx, HoldId(r.Int(0))); h && ExpireIfDue(tx, env, *h, policy)) ++n;
  return n;
}

std::vector<PullListEntry> PullList(SqlTx& tx, const Env& env, const BranchCode& branch) {
  std::vector<PullListEntry> out;
  // The oldest waiting hold per title, with one free copy on this branch's shelf.
  auto rows = tx.Query(
      "SELECT h.id, (SELECT i.barcode FROM items i WHERE i.bib_id = h.bib_id AND i.branch = ? AND i.loanable = 1 "
      "  AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.item_id = i.id AND l.returned_at IS NULL) "
      "  AND NOT EXISTS (SELECT 1 FROM holds t WHERE t.item_id = i.id AND t.status IN ('in_transit','ready')) "
      "  ORDER BY i.id LIMIT 1) AS barcode "
      "FROM holds h WHERE h.status = 'waiting' AND NOT EXISTS (SELECT 1 FROM holds e WHERE e.bib_id = h.bib_id "
      "  AND e.status = 'waiting' AND (e.placed_at < h.placed_at OR (e.placed_at = h.placed_at AND e.id < h.id))) "
      "ORDER BY h.placed_at, h.id",
      {branch.value()});
  for (const auto& r : rows) {
    if (r.IsNull(1)) continue;
    auto hold = repo::FindHold(tx, HoldId(r.Int(0)));
    auto item = repo::FindItem(tx, ItemBarcode(r.Text(1)));
    auto call = tx.QueryOne("SELECT call_number FROM items WHERE id = ?", {item->id.value()});
    out.push_back({ViewOf(tx, env, *hold), item->barcode, call ? call->Text(0) : ""});
  }
  return out;
}

std::vector<HoldView> HoldsAtBranch(SqlTx& tx, const Env& env, const BranchCode& branch, HoldStatus status) {
  std::vector<HoldView> out;
  auto rows = tx.Query("SELECT id FROM holds WHERE pickup_branch = ? AND status = ? ORDER BY pickup_by, placed_at",
                       {branch.value(), std::string(ToString(status))});
  for (const auto& r : rows) out.push_back(ViewOf(tx, env, *repo::FindHold(tx, HoldId(r.Int(0)))));
  return out;
}

}  // namespace bookstamp
