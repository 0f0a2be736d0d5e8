// Ledger entries, balances, loan credits and verification.
#include "app/ledger.hpp"

#include <fmt/format.h>

#include "app/audit.hpp"
#include "app/prizes.hpp"
#include "app/repo.hpp"

namespace bookstamp {

std::string_view ToString(LedgerKind k) {
  switch (k) {
    case LedgerKind::kLoan: return "loan";
    case LedgerKind::kEvent: return "event";
    case LedgerKind::kRedemption: return "redemption";
    case LedgerKind::kRefund: return "refund";
    case LedgerKind::kRegistration: return "registration";
    case LedgerKind::kTransferOut: return "transfer_out";
    case LedgerKind::kTransferIn: return "transfer_in";
    case LedgerKind::kOpening: return "opening";
  }
  return "loan";
}

Balance BalanceOf(SqlTx& tx, const CardNumber& card) {
  auto row = tx.QueryOne("SELECT balance, lifetime_earned FROM point_balances WHERE card = ?", {card.value()});
  if (!row) return {};
  return {row->Int(0), row->Int(1)};
}

namespace {

// AppendLedger after the card's expired codes were refunded.
Result<LedgerEntryResult> AppendAfterRefunds(SqlTx& tx, const Env& env, const Actor& actor,
                                             const LedgerEntryInput& in) {
  auto before = BalanceOf(tx, in.card).balance;
  auto after = before + in.delta;
  if (after < 0)
    return Fail(DomainError(ErrorCode::kInsufficientPoints,
                            {{"needed", std::to_string(-in.delta)}, {"available", std::to_string(before)}}));
  auto now = env.Now();
  auto row = tx.QueryOne(
      "INSERT INTO ledger(card, at, day, kind, delta, balance_after, source_key, refers_to, loan_id, branch) "
      "VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
      {in.card.value(), ToMillis(now), FormatDate(env.tz.LocalDay(now)), std::string(ToString(in.kind)), in.delta,
       after, in.source_key, SqlOpt(in.refers_to), in.loan ? SqlValue(in.loan->value()) : SqlValue(nullptr),
       in.branch ? SqlValue(in.branch->value()) : SqlValue(nullptr)});
  LedgerEntryResult result{row->Int(0), after};
  JsonObject details{{"card", in.card.value()},
                     {"kind", std::string(ToString(in.kind))},
                     {"delta", in.delta},
                     {"balance_after", after},
                     {"source_key", in.source_key}};
  if (in.refers_to) details["refers_to"] = *in.refers_to;
  AppendAudit(tx, now, env.tz,
              {actor.label, "ledger.append", fmt::format("ledger:{}", result.id), std::move(details)});
  return result;
}

}  // namespace

Result<LedgerEntryResult> AppendLedger(SqlTx& tx, const Env& env, const Actor& actor, const LedgerEntryInput& in) {
  // Refunds owed by expired codes come first (a refund itself is one of them: no recursion).
  if (in.kind != LedgerKind::kRefund) ExpireRedemptionsOf(tx, env, in.card);
  return AppendAfterRefunds(tx, env, actor, in);
}

PointsPolicy LoadPointsPolicy(SqlTx& tx) {
  PointsPolicy p;
  auto settings = repo::SettingsWithPrefix(tx, "points.");
  auto num = [&](const char* key, int& out) {
    if (auto it = settings.find(key); it != settings.end()) out = std::stoi(it->second);
  };
  num("points.per_loan.counter", p.per_loan_counter);
  num("points.per_loan.kiosk", p.per_loan_kiosk);
  num("points.per_loan.mobile", p.per_loan_mobile);
  num("points.daily_cap", p.daily_cap);
  num("points.monthly_cap", p.monthly_cap);
  if (auto it = settings.find("points.no_points_item_types"); it != settings.end()) {
    p.no_points_item_types.clear();
    std::string cur;
    for (char c : it->second + ",") {
      if (c == ',') {
        if (!cur.empty()) p.no_points_item_types.insert(cur);
        cur.clear();
      } else if (c != ' ') {
        cur += c;
      }
    }
  }
  return p;
}

void SavePointsPolicy(SqlTx& tx, const PointsPolicy& p) {
  repo::PutSetting(tx, "points.per_loan.counter", std::to_string(p.per_loan_counter));
  repo::PutSetting(tx, "points.per_loan.kiosk", std::to_string(p.per_loan_kiosk));
  repo::PutSetting(tx, "points.per_loan.mobile", std::to_string(p.per_loan_mobile));
  repo::PutSetting(tx, "points.daily_cap", std::to_string(p.daily_cap));
  repo::PutSetting(tx, "points.monthly_cap", std::to_string(p.monthly_cap));
  std::string types;
  for (const auto& t : p.no_points_item_types) types += (types.empty() ? "" : ",") + t;
  repo::PutSetting(tx, "points.no_points_item_types", types);
}

PointsOutcome CreditLoan(SqlTx& tx, const Env& env, const Actor& actor, const Card& card, const CardPolicy& policy,
                         const Loan& loan, const Item& item) {
  ExpireRedemptionsOf(tx, env, card.number);  // so the balance answered is the one the patron sees
  auto points_policy = LoadPointsPolicy(tx);
  auto today = env.tz.LocalDay(loan.checked_out_at);
  auto ymd = std::chrono::year_month_day(today);
  auto month_start = FormatDate(Date(ymd.year() / ymd.month() / std::chrono::day{1}));
  LoanCreditInput in;
  in.card_type_earns = policy.earns_points;
  in.item_type = item.item_type;
  in.channel = loan.channel;
  if (in.card_type_earns && !points_policy.no_points_item_types.contains(item.item_type)) {
    auto day = FormatDate(today);
    in.title_credited_today =
        tx.QueryOne("SELECT 1 FROM ledger l JOIN loans o ON o.id = l.loan_id WHERE l.card = ? AND l.kind = 'loan' "
                    "AND l.day = ? AND o.bib_id = ? "
                    "UNION ALL SELECT 1 FROM erased_titles_today WHERE card = ? AND day = ? AND bib_id = ? LIMIT 1",
                    {card.number.value(), day, item.bib.value(), card.number.value(), day, item.bib.value()})
            .has_value();
    auto sums = tx.QueryOne(
        "SELECT COALESCE(SUM(CASE WHEN day = ? THEN delta END), 0), COALESCE(SUM(delta), 0) FROM ledger "
        "WHERE card = ? AND kind = 'loan' AND day >= ? AND day <= ?",
        {day, card.number.value(), month_start, day});
    in.loan_points_today = static_cast<int>(sums->Int(0));
    in.loan_points_this_month = static_cast<int>(sums->Int(1));
  }
  auto credit = DecideLoanCredit(in, points_policy);
  PointsOutcome out;
  out.reason = credit.reason;
  if (credit.points > 0) {
    // The card's expired codes were refunded at the top.
    auto entry = AppendAfterRefunds(tx, env, actor,
                                    {card.number, LedgerKind::kLoan, credit.points,
                                     fmt::format("loan:{}", loan.id.value()), std::nullopt, loan.id, loan.branch});
    // A credit cannot fail for lack of points; anything else is a bug.
    if (!entry) throw std::logic_error("loan credit refused");
    out.credited = credit.points;
    out.balance = entry->balance_after;
  } else {
    out.balance = BalanceOf(tx, card.number).balance;
  }
  return out;
}

PassbookPeriod PassbookFor(SqlTx& tx, const CardNumber& card, Date from, Date to) {
  PassbookPeriod out;
  auto rows = tx.Query(
      "SELECT l.id, l.at, l.delta, l.balance_after, l.kind, l.source_key, l.branch, "
      "  CASE WHEN c.keep_history = 1 THEN b.title END "
      "FROM ledger l JOIN cards c ON c.number = l.card "
      "LEFT JOIN loans o ON o.id = l.loan_id LEFT JOIN bibs b ON b.id = o.bib_id "
      "WHERE l.card = ? AND l.day >= ? AND l.day <= ? ORDER BY l.id DESC",
      {card.value(), FormatDate(from), FormatDate(to)});
  for (const auto& r : rows) {
    PassbookEntry e;
    e.id = r.Int(0);
    e.at = FromMillis(r.Int(1));
    e.delta = r.Int(2);
    e.balance_after = r.Int(3);
    e.kind = r.Text(4);
    e.source_key = r.Text(5);
    if (auto b = r.OptText(6)) e.branch = BranchCode(*b);
    e.title = r.OptText(7);
    if (e.kind == "loan" || e.kind == "event") out.earned += e.delta;
    if (e.kind == "redemption" || e.kind == "registration") out.spent -= e.delta;
    if (e.kind == "refund") out.spent -= e.delta;
    out.entries.push_back(std::move(e));
  }
  return out;
}

LedgerVerification VerifyLedger(SqlTx& tx) {
  LedgerVerification v;
  std::string card;
  std::int64_t running = 0, lifetime = 0;
  auto check_card_end = [&]() {
    if (card.empty() || !v.ok) return;
    auto b = tx.QueryOne("SELECT balance, lifetime_earned FROM point_balances WHERE card = ?", {card});
    if (!b || b->Int(0) != running || b->Int(1) != lifetime) {
      v.ok = false;
      v.first_bad_card = card;
      v.reason = fmt::format("card {}: entries add up to {} (lifetime {}), balance says {} (lifetime {})", card,
                             running, lifetime, b ? b->Int(0) : 0, b ? b->Int(1) : 0);
    }
  };
  for (const auto& r : tx.Query("SELECT id, card, kind, delta, balance_after FROM ledger ORDER BY card, id")) {
    if (r.Text(1) != card) {
      check_card_end();
      if (!v.ok) break;
      card = r.Text(1);
      running = lifetime = 0;
      ++v.cards;
    }
    ++v.entries;
    running += r.Int(3);
    if (r.Text(2) == "loan" || r.Text(2) == "event") lifetime += r.Int(3);
    if (running != r.Int(4) || running < 0) {
      v.ok = false;
      v.first_bad_card = card;
      v.first_bad_entry = r.Int(0);
      v.reason = fmt::format("entry {}: balance_after {} but entries add up to {}", r.Int(0), r.Int(4), running);
      break;
    }
  }
  check_card_end();
  if (v.ok) {
    // A balance row with no entries behind it.
    if (auto orphan = tx.QueryOne(
            "SELECT card FROM point_balances b WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.card = b.card)")) {
      v.ok = false;
      v.first_bad_card = orphan->Text(0);
      v.reason = "balance without ledger entries";
    }
  }
  return v;
}

}  // namespace bookstamp
