// Card status, replacement, PIN and reading history.
#include "app/cards.hpp"

#include <fmt/format.h>

#include "app/audit.hpp"
#include "app/authz.hpp"
#include "app/ledger.hpp"
#include "app/notices.hpp"
#include "app/repo.hpp"

namespace bookstamp {

Result<Card> SetCardStatus(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& number, CardStatus status,
                           const std::string& reason) {
  if (auto ok = Authorize(actor, Permission::kCirculation); !ok) return Fail(ok.error());
  if (reason.empty() || reason.size() > 500) return Fail(DomainError::Invalid("reason", "required"));
  auto card = repo::FindCard(tx, number);
  if (!card) return Fail(ErrorCode::kCardNotFound);
  auto before = card->status;
  tx.Exec("UPDATE cards SET status = ? WHERE number = ?", {std::string(ToString(status)), number.value()});
  AppendAudit(tx, env.Now(), env.tz,
              {actor.label, "card.status", "card:" + number.value(),
               {{"from", std::string(ToString(before))}, {"to", std::string(ToString(status))}, {"reason", reason}}});
  return *repo::FindCard(tx, number);
}

Result<Replacement> ReplaceCard(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& old_number,
                                const CardNumber& new_number, const std::string& pin_hash) {
  if (auto ok = Authorize(actor, Permission::kCirculation); !ok) return Fail(ok.error());
  if (new_number.value().empty() || new_number.value().size() > 32)
    return Fail(DomainError::Invalid("new_card", "1–32 characters"));
  auto old_card = repo::FindCard(tx, old_number);
  if (!old_card) return Fail(ErrorCode::kCardNotFound);
  if (repo::FindCard(tx, new_number)) return Fail(ErrorCode::kAlreadyExists);
  auto now = env.Now();
  auto account = tx.QueryOne("SELECT account_id, keep_history FROM cards WHERE number = ?", {old_number.value()});
  tx.Exec(
      "INSERT INTO cards(number, patron_id, type, status, pin_hash, account_id, borrow_resumes_on, reserve_resumes_on, "
      "keep_history, created_at) VALUES (?,?,?,'active',?,?,?,?,?,?)",
      {new_number.value(), old_card->patron.value(), std::string(ToString(old_card->type)), pin_hash,
       account->at(0), repo::DateValue(old_card->borrow_resumes_on), repo::DateValue(old_card->reserve_resumes_on),
       account->Int(1), ToMillis(now)});
  // The replaced card leaves the account; the new one takes its place. Suspensions follow the patron.
  tx.Exec("UPDATE cards SET status = 'lost', account_id = NULL WHERE number = ?", {old_number.value()});
  Replacement r{old_number, new_number, BalanceOf(tx, old_number).balance};
  if (r.points_moved > 0) {
    auto out = AppendLedger(tx, env, actor,
                            {old_number, LedgerKind::kTransferOut, -r.points_moved,
                             fmt::format("transfer_out:{}:{}", old_number.value(), new_number.value())});
    if (!out) return Fail(out.error());
    auto in = AppendLedger(tx, env, actor,
                           {new_number, LedgerKind::kTransferIn, r.points_moved,
                            fmt::format("transfer_in:{}:{}", old_number.value(), new_number.value()), out->id});
    if (!in) return Fail(in.error());
  }
  AppendAudit(tx, now, env.tz,
              {actor.label, "card.replace", "card:" + old_number.value(),
               {{"new_card", new_number.value()}, {"points_moved", r.points_moved}}});
  return r;
}

void ChangePin(SqlTx& tx, const Env& env, const CardNumber& card, const std::string& pin_hash) {
  tx.Exec("UPDATE cards SET pin_hash = ? WHERE number = ?", {pin_hash, card.value()});
  QueueNotice(tx, env, card, "pin_changed", {});
}

std::vector<HistoryEntry> LoanHistory(SqlTx& tx, const CardNumber& card, int limit, std::optional<std::int64_t> before) {
  std::vector<HistoryEntry> out;
  auto rows = tx.Query(
      "SELECT l.id, l.bib_id, CASE WHEN c.keep_history = 1 THEN b.title END, "
      "CASE WHEN c.keep_history = 1 THEN b.author END, l.branch, l.checked_out_at, l.returned_at "
      "FROM loans l JOIN cards c ON c.number = l.card LEFT JOIN bibs b ON b.id = l.bib_id "
      "WHERE l.card = ? AND l.returned_at IS NOT NULL AND l.id < ? ORDER BY l.id DESC LIMIT ?",
      {card.value(), before.value_or(INT64_MAX), std::int64_t{limit}});
  for (const auto& r : rows) {
    HistoryEntry e;
    e.loan = LoanId(r.Int(0));
    if (auto b = r.OptInt(1); b && r.OptText(2)) e.bib = BibId(*b);
    e.title = r.OptText(2);
    e.author = r.OptText(3);
    e.branch = BranchCode(r.Text(4));
    e.checked_out_at = FromMillis(r.Int(5));
    if (auto t = r.OptInt(6)) e.returned_at = FromMillis(*t);
    out.push_back(std::move(e));
  }
  return out;
}

bool KeepsHistory(SqlTx& tx, const CardNumber& card) {
  auto row = tx.QueryOne("SELECT keep_history FROM cards WHERE number = ?", {card.value()});
  return row && row->Int(0) != 0;
}

void SetKeepHistory(SqlTx& tx, const Env& env, const CardNumber& card, bool keep) {
  tx.Exec("UPDATE cards SET keep_history = ? WHERE number = ?", {std::int64_t{keep}, card.value()});
  if (!keep) EraseHistory(tx, env, card);
}

std::int64_t EraseHistory(SqlTx& tx, const Env& env, const CardNumber& card) {
  // A title credited today still counts for "once per title and day" until the day is over
  // (migration 0016); the sweeper forgets it then.
  tx.Exec("INSERT OR IGNORE INTO erased_titles_today(card, day, bib_id) "
          "SELECT o.card, l.day, o.bib_id FROM ledger l JOIN loans o ON o.id = l.loan_id "
          "WHERE l.card = ? AND l.kind = 'loan' AND l.day = ? AND o.returned_at IS NOT NULL AND o.bib_id IS NOT NULL",
          {card.value(), FormatDate(env.Today())});
  // Item and title go; the loan row (and its point) stays.
  return tx.Exec("UPDATE loans SET item_id = NULL, bib_id = NULL WHERE card = ? AND returned_at IS NOT NULL AND "
                 "(item_id IS NOT NULL OR bib_id IS NOT NULL)",
                 {card.value()});
}

std::int64_t ForgetErasedTitlesBefore(SqlTx& tx, Date day) {
  return tx.Exec("DELETE FROM erased_titles_today WHERE day < ?", {FormatDate(day)});
}

}  // namespace bookstamp
