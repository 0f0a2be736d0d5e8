// Prizes and redemptions over the SQL port.
#include "app/prizes.hpp"

#include <fmt/format.h>

#include "app/audit.hpp"
#include "app/authz.hpp"
#include "app/codes.hpp"
#include "app/crypto.hpp"
#include "app/ledger.hpp"
#include "app/notices.hpp"
#include "app/repo.hpp"

namespace bookstamp {
namespace {

SqlValue InstantValue(std::optional<Instant> t) { return t ? SqlValue(ToMillis(*t)) : SqlValue(nullptr); }
std::optional<Instant> InstantOf(const SqlRow& r, std::size_t i) {
  if (auto v = r.OptInt(i)) return FromMillis(*v);
  return std::nullopt;
}

constexpr const char* kPrizeCols =
    "id, branch, name, cost, stock_total, taken, per_card_limit, on_sale_from, on_sale_until, description, sponsor, "
    "image_url, (SELECT COUNT(*) FROM redemptions r WHERE r.prize_id = prizes.id AND r.status = 'pending' AND "
    "r.expires_at <= ?)";

PrizeView PrizeOf(const SqlRow& r) {
  PrizeView v;
  v.prize.id = PrizeId(r.Int(0));
  v.prize.branch = BranchCode(r.Text(1));
  v.prize.name = r.Text(2);
  v.prize.cost = r.Int(3);
  v.prize.stock_total = r.Int(4);
  v.prize.taken = r.Int(5);
  v.prize.per_card_limit = r.Int(6);
  v.prize.on_sale_from = InstantOf(r, 7);
  v.prize.on_sale_until = InstantOf(r, 8);
  v.description = r.Text(9);
  v.sponsor = r.Text(10);
  v.image_url = r.OptText(11);
  v.stock_left = v.prize.StockLeft() + r.Int(12);
  return v;
}

std::optional<PrizeView> LoadPrize(SqlTx& tx, const Env& env, PrizeId id) {
  auto row = tx.QueryOne(fmt::format("SELECT {} FROM prizes WHERE id = ?", kPrizeCols),
                         {ToMillis(env.Now()), id.value()});
  if (!row) return std::nullopt;
  return PrizeOf(*row);
}

constexpr const char* kRedemptionCols =
    "r.id, r.card, r.prize_id, r.branch, r.cost, r.status, r.created_at, r.expires_at, r.completed_at, p.name, "
    "r.closed_at, r.cancel_reason, r.channel, r.code_key";

struct Loaded {
  RedemptionView view;
  std::string code_key;
};

Loaded RedemptionOf(const SqlRow& r, Instant now) {
  Loaded l;
  auto& d = l.view.redemption;
  d.id = RedemptionId(r.Int(0));
  d.card = CardNumber(r.Text(1));
  d.prize = PrizeId(r.Int(2));
  d.branch = BranchCode(r.Text(3));
  d.cost = r.Int(4);
  d.status = RedemptionStatusFromString(r.Text(5)).value_or(RedemptionStatus::kPending);
  d.created_at = FromMillis(r.Int(6));
  d.expires_at = InstantOf(r, 7);
  d.completed_at = InstantOf(r, 8);
  l.view.prize_name = r.Text(9);
  l.view.closed_at = InstantOf(r, 10);
  l.view.cancel_reason = r.OptText(11);
  l.view.channel = r.Text(12);
  if (auto k = r.OptText(13)) l.code_key = crypto::FromBase64Url(*k).value_or("");
  // Reads see an unswept pending redemption as what it is: expired.
  if (EffectiveStatus(d, now) == RedemptionStatus::kExpired && d.status == RedemptionStatus::kPending) {
    d.status = RedemptionStatus::kExpired;
    l.view.closed_at = d.expires_at;
  }
  return l;
}

std::optional<Loaded> LoadRedemption(SqlTx& tx, const Env& env, RedemptionId id) {
  auto row = tx.QueryOne(
      fmt::format("SELECT {} FROM redemptions r JOIN prizes p ON p.id = r.prize_id WHERE r.id = ?", kRedemptionCols),
      {id.value()});
  if (!row) return std::nullopt;
  return RedemptionOf(*row, env.Now());
}

std::int64_t CardUnitsOf(SqlTx& tx, const CardNumber& card, PrizeId prize) {
  return tx.QueryOne(
               "SELECT COUNT(*) FROM redemptions WHERE card = ? AND prize_id = ? AND status IN ('pending','completed')",
               {card.value(), prize.value()})
      ->Int(0);
}

JsonObject RedemptionNotice(const std::string& prize, std::int64_t cost, std::int64_t balance, std::int64_t id) {
  return {{"redemption_id", id}, {"prize", prize}, {"points_used", cost}, {"points_left", balance}};
}

// Refund the cost, restore the unit, close the redemption with `status`. In the caller's transaction.
void CloseAndRefund(SqlTx& tx, const Env& env, const Actor& actor, const Redemption& r, const std::string& prize_name,
                    RedemptionStatus status, const std::optional<std::string>& reason) {
  auto now = env.Now();
  auto changed = tx.Exec(
      "UPDATE redemptions SET status = ?, closed_at = ?, closed_by = ?, cancel_reason = ? WHERE id = ? AND status = ?",
      {std::string(ToString(status)), ToMillis(now), actor.label, SqlOpt(reason), r.id.value(),
       std::string(ToString(r.status))});
  if (changed != 1) throw std::logic_error("redemption changed under its transaction");
  tx.Exec("UPDATE prizes SET taken = taken - 1, updated_at = ? WHERE id = ?", {ToMillis(now), r.prize.value()});
  auto debit = tx.QueryOne("SELECT id FROM ledger WHERE source_key = ?", {fmt::format("redemption:{}", r.id.value())});
  auto refund = AppendLedger(tx, env, actor,
                             {r.card, LedgerKind::kRefund, r.cost, fmt::format("refund:redemption:{}", r.id.value()),
                              debit ? std::optional(debit->Int(0)) : std::nullopt, std::nullopt, r.branch});
  if (!refund) throw std::logic_error("refund refused");
  JsonObject details{{"card", r.card.value()}, {"prize_id", r.prize.value()}, {"cost", r.cost},
                     {"from", std::string(ToString(r.status))}};
  if (reason) details["reason"] = *reason;
  AppendAudit(tx, now, env.tz,
              {actor.label, fmt::format("redemption.{}", status == RedemptionStatus::kExpired ? "expire" : "cancel"),
               fmt::format("redemption:{}", r.id.value()), details});
  QueueNotice(tx, env, r.card, status == RedemptionStatus::kExpired ? "redemption_expired" : "redemption_cancelled",
              RedemptionNotice(prize_name, r.cost, refund->balance_after, r.id.value()));
}

// Expire pending redemptions whose time is up (of one card, or all), lazily before writes.
int ExpireDue(SqlTx& tx, const Env& env, const std::optional<CardNumber>& card = std::nullopt) {
  auto rows = tx.Query(fmt::format("SELECT {} FROM redemptions r JOIN prizes p ON p.id = r.prize_id WHERE "
                                   "r.status = 'pending' AND r.expires_at <= ? {} ORDER BY r.id",
                                   kRedemptionCols, card ? "AND r.card = ?" : ""),
                       card ? std::vector<SqlValue>{ToMillis(env.Now()), card->value()}
                            : std::vector<SqlValue>{ToMillis(env.Now())});
  int n = 0;
  for (const auto& row : rows) {
    auto l = RedemptionOf(row, env.Now());
    auto stored = l.view.redemption;
    stored.status = RedemptionStatus::kPending;
    CloseAndRefund(tx, env, Actor::System(), stored, l.view.prize_name, RedemptionStatus::kExpired, std::nullopt);
    ++n;
  }
  return n;
}

// Debit, take one unit and record the redemption; returns the new id and the balance after.
std::pair<RedemptionId, std::int64_t> Take(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card,
                                           const PrizeView& prize, bool completed, const std::string& code_key) {
  auto now = env.Now();
  auto row = tx.QueryOne(
      "INSERT INTO redemptions(card, prize_id, branch, cost, status, channel, code_key, created_at, expires_at, "
      "completed_at, completed_by) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      {card.value(), prize.prize.id.value(), prize.prize.branch.value(), prize.prize.cost,
       completed ? "completed" : "pending", completed ? "counter" : "app",
       completed ? SqlValue(nullptr) : SqlValue(crypto::Base64Url(code_key)), ToMillis(now),
       completed ? SqlValue(nullptr) : SqlValue(ToMillis(now + kRedemptionLife)),
       completed ? SqlValue(ToMillis(now)) : SqlValue(nullptr), completed ? SqlValue(actor.label) : SqlValue(nullptr)});
  RedemptionId id(row->Int(0));
  // The CHECK (taken <= stock_total) backs the stock rule even if a check above were wrong.
  tx.Exec("UPDATE prizes SET taken = taken + 1, updated_at = ? WHERE id = ?", {ToMillis(now), prize.prize.id.value()});
  auto debit = AppendLedger(tx, env, actor,
                            {card, LedgerKind::kRedemption, -prize.prize.cost, fmt::format("redemption:{}", id.value()),
                             std::nullopt, std::nullopt, prize.prize.branch});
  if (!debit) throw std::logic_error("debit refused after the balance check");
  AppendAudit(tx, now, env.tz,
              {actor.label, completed ? "redemption.counter" : "redemption.request",
               fmt::format("redemption:{}", id.value()),
               {{"card", card.value()}, {"prize_id", prize.prize.id.value()}, {"cost", prize.prize.cost}}});
  QueueNotice(tx, env, card, completed ? "redemption_done" : "redemption_pending",
              RedemptionNotice(prize.prize.name, prize.prize.cost, debit->balance_after, id.value()));
  return {id, debit->balance_after};
}

Result<void> CheckRedeem(SqlTx& tx, const Env& env, const CardNumber& card, const std::optional<PrizeView>& prize) {
  auto c = repo::FindCard(tx, card);
  RedeemInput in;
  in.card = c ? &*c : nullptr;
  in.prize = prize ? &prize->prize : nullptr;
  in.now = env.Now();
  if (c && prize) {
    in.card_units_of_prize = CardUnitsOf(tx, card, prize->prize.id);
    in.balance = BalanceOf(tx, card).balance;
  }
  return DecideRedeem(in);
}

}  // namespace

std::string MaskCard(const std::string& card) {
  if (card.size() <= 4) return std::string(card.size(), '*');
  auto keep_head = card.size() >= 8 ? 2u : 1u;
  return card.substr(0, keep_head) + std::string(card.size() - keep_head - 3, '*') + card.substr(card.size() - 3);
}

Result<PrizeView> CreatePrize(SqlTx& tx, const Env& env, const Actor& actor, const PrizeInput& in) {
  if (auto ok = Authorize(actor, Permission::kManagePrizes, in.branch); !ok) return Fail(ok.error());
  if (!repo::FindBranch(tx, in.branch)) return Fail(ErrorCode::kBranchNotFound);
  if (in.name.empty() || in.name.size() > 200) return Fail(DomainError::Invalid("name", "required"));
  if (in.cost <= 0 || in.cost > 1000000) return Fail(DomainError::Invalid("cost", "out_of_range"));
  if (in.stock < 0 || in.stock > 1000000) return Fail(DomainError::Invalid("stock", "out_of_range"));
  if (in.per_card_limit < 0) return Fail(DomainError::Invalid("per_card_limit", "out_of_range"));
  if (in.on_sale_from && in.on_sale_until && *in.on_sale_from >= *in.on_sale_until)
    return Fail(DomainError::Invalid("on_sale_until", "out_of_range"));
  auto now = env.Now();
  auto id = tx.QueryOne(
                  "INSERT INTO prizes(branch, name, description, sponsor, image_url, cost, stock_total, per_card_limit, "
                  "on_sale_from, on_sale_until, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                  {in.branch.value(), in.name, in.description, in.sponsor, SqlOpt(in.image_url), in.cost, in.stock,
                   in.per_card_limit, InstantValue(in.on_sale_from), InstantValue(in.on_sale_until), ToMillis(now),
                   ToMillis(now)})
                ->Int(0);
  tx.Exec("INSERT INTO prize_stock_changes(prize_id, at, actor, old_total, new_total, reason) VALUES (?,?,?,?,?,?)",
          {id, ToMillis(now), actor.label, std::int64_t{0}, in.stock, "created"});
  AppendAudit(tx, now, env.tz,
              {actor.label, "prize.create", fmt::format("prize:{}", id),
               {{"branch", in.branch.value()},
                {"name", in.name},
                {"cost", in.cost},
                {"stock", in.stock},
                {"per_card_limit", in.per_card_limit}}});
  return *LoadPrize(tx, env, PrizeId(id));
}

Result<PrizeView> UpdatePrize(SqlTx& tx, const Env& env, const Actor& actor, PrizeId id, const PrizePatch& p) {
  auto current = LoadPrize(tx, env, id);
  if (!current) return Fail(ErrorCode::kPrizeNotFound);
  if (auto ok = Authorize(actor, Permission::kManagePrizes, current->prize.branch); !ok) return Fail(ok.error());
  ExpireDue(tx, env);  // so `taken` is what is really taken
  current = LoadPrize(tx, env, id);
  auto next = *current;
  JsonObject changes;
  if (p.name) {
    if (p.name->empty() || p.name->size() > 200) return Fail(DomainError::Invalid("name", "required"));
    next.prize.name = *p.name;
    changes["name"] = *p.name;
  }
  if (p.description) next.description = *p.description, changes["description"] = *p.description;
  if (p.sponsor) next.sponsor = *p.sponsor, changes["sponsor"] = *p.sponsor;
  if (p.image_url) {
    next.image_url = *p.image_url;
    changes["image_url"] = *p.image_url ? JsonValue(**p.image_url) : JsonValue(nullptr);
  }
  if (p.cost) {
    // Pending redemptions keep the cost they were made at (it is stored on each).
    if (*p.cost <= 0 || *p.cost > 1000000) return Fail(DomainError::Invalid("cost", "out_of_range"));
    next.prize.cost = *p.cost;
    changes["cost"] = *p.cost;
  }
  if (p.per_card_limit) {
    if (*p.per_card_limit < 0) return Fail(DomainError::Invalid("per_card_limit", "out_of_range"));
    next.prize.per_card_limit = *p.per_card_limit;
    changes["per_card_limit"] = *p.per_card_limit;
  }
  if (p.on_sale_from) next.prize.on_sale_from = *p.on_sale_from;
  if (p.on_sale_until) next.prize.on_sale_until = *p.on_sale_until;
  if (next.prize.on_sale_from && next.prize.on_sale_until && *next.prize.on_sale_from >= *next.prize.on_sale_until)
    return Fail(DomainError::Invalid("on_sale_until", "out_of_range"));
  if (p.on_sale_from || p.on_sale_until) {
    changes["on_sale_from"] = next.prize.on_sale_from ? JsonValue(env.tz.Rfc3339(*next.prize.on_sale_from)) : nullptr;
    changes["on_sale_until"] = next.prize.on_sale_until ? JsonValue(env.tz.Rfc3339(*next.prize.on_sale_until)) : nullptr;
  }
  auto now = env.Now();
  if (p.stock && *p.stock != current->prize.stock_total) {
    if (!p.reason || p.reason->empty()) return Fail(DomainError::Invalid("reason", "required"));
    if (auto ok = DecideStockTotal(*p.stock, current->prize.taken); !ok) return Fail(ok.error());
    next.prize.stock_total = *p.stock;
    tx.Exec("INSERT INTO prize_stock_changes(prize_id, at, actor, old_total, new_total, reason) VALUES (?,?,?,?,?,?)",
            {id.value(), ToMillis(now), actor.label, current->prize.stock_total, *p.stock, *p.reason});
    AppendAudit(tx, now, env.tz,
                {actor.label, "prize.stock", fmt::format("prize:{}", id.value()),
                 {{"old_total", current->prize.stock_total}, {"new_total", *p.stock}, {"reason", *p.reason}}});
  }
  tx.Exec(
      "UPDATE prizes SET name = ?, description = ?, sponsor = ?, image_url = ?, cost = ?, stock_total = ?, "
      "per_card_limit = ?, on_sale_from = ?, on_sale_until = ?, updated_at = ? WHERE id = ?",
      {next.prize.name, next.description, next.sponsor, SqlOpt(next.image_url), next.prize.cost,
       next.prize.stock_total, next.prize.per_card_limit, InstantValue(next.prize.on_sale_from),
       InstantValue(next.prize.on_sale_until), ToMillis(now), id.value()});
  if (!changes.empty())
    AppendAudit(tx, now, env.tz, {actor.label, "prize.update", fmt::format("prize:{}", id.value()), changes});
  return *LoadPrize(tx, env, id);
}

Result<PrizeView> GetPrize(SqlTx& tx, const Env& env, PrizeId id) {
  auto p = LoadPrize(tx, env, id);
  if (!p) return Fail(ErrorCode::kPrizeNotFound);
  return *p;
}

std::vector<PrizeView> ListPrizes(SqlTx& tx, const Env& env, const PrizeFilter& f) {
  std::string sql = fmt::format("SELECT {} FROM prizes WHERE 1 = 1", kPrizeCols);
  std::vector<SqlValue> params{ToMillis(env.Now())};
  if (f.on_sale_only) {
    sql += " AND (on_sale_from IS NULL OR on_sale_from <= ?) AND (on_sale_until IS NULL OR on_sale_until > ?)";
    params.push_back(ToMillis(env.Now()));
    params.push_back(ToMillis(env.Now()));
  }
  if (!f.branches.empty()) {
    sql += " AND branch IN (";
    for (std::size_t i = 0; i < f.branches.size(); ++i) {
      sql += i ? ",?" : "?";
      params.push_back(f.branches[i].value());
    }
    sql += ")";
  }
  if (f.min_points) sql += " AND cost >= ?", params.push_back(*f.min_points);
  if (f.max_points) sql += " AND cost <= ?", params.push_back(*f.max_points);
  sql += " ORDER BY cost, id";
  std::vector<PrizeView> out;
  for (const auto& r : tx.Query(sql, params)) out.push_back(PrizeOf(r));
  return out;
}

Result<std::vector<PrizeView>> ListAllPrizes(SqlTx& tx, const Env& env, const Actor& actor, PrizeFilter filter) {
  if (auto ok = Authorize(actor, Permission::kManagePrizes); !ok) return Fail(ok.error());
  if (actor.IsStaff() && actor.branch) {
    for (const auto& b : filter.branches)
      if (b != *actor.branch) return Fail(ErrorCode::kForbidden);
    filter.branches = {*actor.branch};
  }
  filter.on_sale_only = false;
  return ListPrizes(tx, env, filter);
}

Result<RedemptionCreated> RequestRedemption(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card,
                                            PrizeId prize_id) {
  ExpireDue(tx, env);
  auto prize = LoadPrize(tx, env, prize_id);
  if (auto ok = CheckRedeem(tx, env, card, prize); !ok) return Fail(ok.error());
  auto key = crypto::RandomBytes(32);
  auto [id, balance] = Take(tx, env, actor, card, *prize, false, key);
  RedemptionCreated out;
  out.view = LoadRedemption(tx, env, id)->view;
  out.code_key = key;
  out.code = RedemptionCode(id, key, 0);
  out.balance = balance;
  return out;
}

Result<ScanView> ScanRedemption(SqlTx& tx, const Env& env, const Actor& actor, const std::string& code) {
  if (auto ok = Authorize(actor, Permission::kCounterRedeem); !ok) return Fail(ok.error());
  auto parsed = ParseCode(code, 'R');
  std::optional<Loaded> loaded;
  if (parsed) loaded = LoadRedemption(tx, env, RedemptionId(parsed->id));
  ScanInput in;
  in.now = env.Now();
  in.staff_branch = actor.IsStaff() ? actor.branch : std::nullopt;
  if (loaded) {
    // Stored status: an expired-but-unswept one is judged by its expires_at in DecideScan.
    auto stored = loaded->view.redemption;
    if (stored.status == RedemptionStatus::kExpired && loaded->view.closed_at == stored.expires_at &&
        !loaded->code_key.empty())
      stored.status = RedemptionStatus::kPending;
    loaded->view.redemption = stored;
    in.redemption = &loaded->view.redemption;
    in.otp_matches = !loaded->code_key.empty() &&
                     OtpMatches(loaded->code_key, CodeStep(stored.created_at, in.now), parsed->otp);
  }
  if (auto ok = DecideScan(in); !ok) return Fail(ok.error());
  ScanView v;
  v.redemption = loaded->view;
  v.card_masked = MaskCard(v.redemption.redemption.card.value());
  v.prize = *LoadPrize(tx, env, v.redemption.redemption.prize);
  v.balance = BalanceOf(tx, v.redemption.redemption.card).balance;
  return v;
}

Result<RedemptionView> CompleteRedemption(SqlTx& tx, const Env& env, const Actor& actor, RedemptionId id,
                                          const std::string& code) {
  auto scan = ScanRedemption(tx, env, actor, code);
  if (!scan) return Fail(scan.error());
  if (scan->redemption.redemption.id != id) return Fail(ErrorCode::kCodeInvalid);
  auto now = env.Now();
  // One atomic state change; a second completion finds the row no longer pending.
  auto changed = tx.Exec(
      "UPDATE redemptions SET status = 'completed', completed_at = ?, completed_by = ? WHERE id = ? AND status = "
      "'pending' AND expires_at > ?",
      {ToMillis(now), actor.label, id.value(), ToMillis(now)});
  if (changed != 1) return Fail(ErrorCode::kCodeUsed);
  const auto& r = scan->redemption.redemption;
  AppendAudit(tx, now, env.tz,
              {actor.label, "redemption.complete", fmt::format("redemption:{}", id.value()),
               {{"card", r.card.value()}, {"prize_id", r.prize.value()}, {"cost", r.cost}}});
  QueueNotice(tx, env, r.card, "redemption_done",
              RedemptionNotice(scan->redemption.prize_name, r.cost, scan->balance, id.value()));
  return LoadRedemption(tx, env, id)->view;
}

Result<RedemptionView> CounterRedeem(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card,
                                     PrizeId prize_id) {
  if (auto ok = Authorize(actor, Permission::kCounterRedeem); !ok) return Fail(ok.error());
  ExpireDue(tx, env);
  auto prize = LoadPrize(tx, env, prize_id);
  if (auto ok = CheckRedeem(tx, env, card, prize); !ok) return Fail(ok.error());
  if (actor.IsStaff() && actor.branch && *actor.branch != prize->prize.branch) return Fail(ErrorCode::kWrongBranch);
  auto [id, balance] = Take(tx, env, actor, card, *prize, true, {});
  (void)balance;
  return LoadRedemption(tx, env, id)->view;
}

Result<RedemptionView> CancelPendingRedemption(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card,
                                               RedemptionId id) {
  auto l = LoadRedemption(tx, env, id);
  if (!l || l->view.redemption.card != card) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "redemption"}}));
  if (auto ok = DecidePatronCancel(l->view.redemption, env.Now()); !ok) return Fail(ok.error());
  CloseAndRefund(tx, env, actor, l->view.redemption, l->view.prize_name, RedemptionStatus::kCancelled, std::nullopt);
  return LoadRedemption(tx, env, id)->view;
}

Result<RedemptionView> CancelCompletedRedemption(SqlTx& tx, const Env& env, const Actor& actor, RedemptionId id,
                                                 const std::string& reason) {
  if (auto ok = Authorize(actor, Permission::kCounterRedeem); !ok) return Fail(ok.error());
  if (reason.empty() || reason.size() > 500) return Fail(DomainError::Invalid("reason", "required"));
  auto l = LoadRedemption(tx, env, id);
  if (!l) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "redemption"}}));
  if (actor.IsStaff() && actor.branch && *actor.branch != l->view.redemption.branch)
    return Fail(ErrorCode::kWrongBranch);
  if (auto ok = DecideStaffCancel(l->view.redemption, env.Now()); !ok) return Fail(ok.error());
  CloseAndRefund(tx, env, actor, l->view.redemption, l->view.prize_name, RedemptionStatus::kCancelled, reason);
  return LoadRedemption(tx, env, id)->view;
}

std::vector<RedemptionView> CardRedemptions(SqlTx& tx, const Env& env, const CardNumber& card) {
  std::vector<RedemptionView> out;
  for (const auto& row : tx.Query(
           fmt::format("SELECT {} FROM redemptions r JOIN prizes p ON p.id = r.prize_id WHERE r.card = ? "
                       "ORDER BY r.id DESC LIMIT 200",
                       kRedemptionCols),
           {card.value()}))
    out.push_back(RedemptionOf(row, env.Now()).view);
  return out;
}

Result<RedemptionView> CardRedemption(SqlTx& tx, const Env& env, const CardNumber& card, RedemptionId id) {
  auto l = LoadRedemption(tx, env, id);
  if (!l || l->view.redemption.card != card) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "redemption"}}));
  return l->view;
}

Result<CurrentCode> CurrentRedemptionCode(SqlTx& tx, const Env& env, const CardNumber& card, RedemptionId id) {
  auto l = LoadRedemption(tx, env, id);
  if (!l || l->view.redemption.card != card) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "redemption"}}));
  const auto& r = l->view.redemption;
  if (r.status != RedemptionStatus::kPending) return Fail(ErrorCode::kRedemptionNotPending);
  auto step = CodeStep(r.created_at, env.Now());
  return CurrentCode{RedemptionCode(id, l->code_key, step), StepEnds(r.created_at, step)};
}

int ExpireRedemptions(SqlTx& tx, const Env& env) { return ExpireDue(tx, env); }

int ExpireRedemptionsOf(SqlTx& tx, const Env& env, const CardNumber& card) { return ExpireDue(tx, env, card); }

std::int64_t PendingRedemptions(SqlTx& tx, const Env& env, const CardNumber& card) {
  return tx.QueryOne("SELECT COUNT(*) FROM redemptions WHERE card = ? AND status = 'pending' AND expires_at > ?",
                     {card.value(), ToMillis(env.Now())})
      ->Int(0);
}

std::int64_t UnsweptRefunds(SqlTx& tx, const Env& env, const CardNumber& card) {
  return tx.QueryOne(
               "SELECT COALESCE(SUM(cost), 0) FROM redemptions WHERE card = ? AND status = 'pending' AND expires_at <= ?",
               {card.value(), ToMillis(env.Now())})
      ->Int(0);
}

}  // namespace bookstamp
