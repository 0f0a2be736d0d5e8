// Events, attendance claims, registrations and backfills over the SQL port.
#include "app/events.hpp"

#include <fmt/format.h>

#include "app/audit.hpp"
#include "app/authz.hpp"
#include "app/codes.hpp"
#include "app/crypto.hpp"
#include "app/ledger.hpp"
#include "app/notices.hpp"
#include "app/prizes.hpp"
#include "app/repo.hpp"

namespace bookstamp {
namespace {

SqlValue InstantValue(std::optional<Instant> t) { return t ? SqlValue(ToMillis(*t)) : SqlValue(nullptr); }

constexpr const char* kEventCols =
    "id, branch, title, starts_at, ends_at, attendance_points, capacity, registration_cost, registration_deadline, "
    "description, (SELECT COUNT(*) FROM registrations r WHERE r.event_id = events.id AND r.status = 'registered'), "
    "(SELECT COUNT(*) FROM event_credits c WHERE c.event_id = events.id), token_key";

struct LoadedEvent {
  EventView view;
  std::string token_key;
};

LoadedEvent EventOf(const SqlRow& r) {
  LoadedEvent l;
  auto& e = l.view.event;
  e.id = EventId(r.Int(0));
  e.branch = BranchCode(r.Text(1));
  e.title = r.Text(2);
  e.starts_at = FromMillis(r.Int(3));
  e.ends_at = FromMillis(r.Int(4));
  e.attendance_points = r.Int(5);
  e.capacity = r.Int(6);
  e.registration_cost = r.Int(7);
  if (auto d = r.OptInt(8)) e.registration_deadline = FromMillis(*d);
  l.view.description = r.Text(9);
  l.view.registrations = r.Int(10);
  l.view.credits = r.Int(11);
  l.token_key = crypto::FromBase64Url(r.Text(12)).value_or("");
  return l;
}

std::optional<LoadedEvent> LoadEvent(SqlTx& tx, EventId id) {
  auto row = tx.QueryOne(fmt::format("SELECT {} FROM events WHERE id = ?", kEventCols), {id.value()});
  if (!row) return std::nullopt;
  return EventOf(*row);
}

Result<void> ValidateEvent(const Event& e) {
  if (e.title.empty() || e.title.size() > 300) return Fail(DomainError::Invalid("title", "required"));
  if (e.starts_at >= e.ends_at) return Fail(DomainError::Invalid("ends_at", "out_of_range"));
  if (e.attendance_points < 0 || e.attendance_points > 10000)
    return Fail(DomainError::Invalid("attendance_points", "out_of_range"));
  if (e.capacity < 0) return Fail(DomainError::Invalid("capacity", "out_of_range"));
  if (e.registration_cost < 0 || e.registration_cost > 1000000)
    return Fail(DomainError::Invalid("registration_cost", "out_of_range"));
  return {};
}

JsonObject EventDetails(const Event& e, const TimeZone& tz) {
  return {{"branch", e.branch.value()},
          {"title", e.title},
          {"starts_at", tz.Rfc3339(e.starts_at)},
          {"ends_at", tz.Rfc3339(e.ends_at)},
          {"attendance_points", e.attendance_points},
          {"capacity", e.capacity},
          {"registration_cost", e.registration_cost},
          {"registration_deadline", e.registration_deadline ? JsonValue(tz.Rfc3339(*e.registration_deadline)) : nullptr}};
}

bool CardTypeEarns(SqlTx& tx, const Card& card) { return repo::LoadPolicy(tx).For(card.type).earns_points; }

bool AlreadyCredited(SqlTx& tx, EventId event, const CardNumber& card) {
  return tx.QueryOne("SELECT 1 FROM event_credits WHERE event_id = ? AND card = ?", {event.value(), card.value()})
      .has_value();
}

// The event's points for the card: ledger entry (source key event:<id>:<card>) and the credit row.
std::int64_t Credit(SqlTx& tx, const Env& env, const Actor& actor, const Event& e, const CardNumber& card,
                    const std::string& source) {
  std::int64_t balance = BalanceOf(tx, card).balance;
  std::optional<std::int64_t> entry;
  if (e.attendance_points > 0) {
    auto r = AppendLedger(tx, env, actor,
                          {card, LedgerKind::kEvent, e.attendance_points,
                           fmt::format("event:{}:{}", e.id.value(), card.value()), std::nullopt, std::nullopt,
                           e.branch});
    if (!r) throw std::logic_error("event credit refused");
    balance = r->balance_after;
    entry = r->id;
  }
  tx.Exec("INSERT INTO event_credits(event_id, card, source, ledger_entry, at) VALUES (?,?,?,?,?)",
          {e.id.value(), card.value(), source, SqlOpt(entry), ToMillis(env.Now())});
  return balance;
}

constexpr const char* kBackfillCols =
    "b.id, b.event_id, e.title, b.card, b.note, b.status, fs.username, b.filed_at, ds.username, b.decided_at, "
    "b.filed_by, e.branch";

BackfillView BackfillOf(const SqlRow& r) {
  BackfillView v;
  v.id = BackfillId(r.Int(0));
  v.event = EventId(r.Int(1));
  v.event_title = r.Text(2);
  v.card = CardNumber(r.Text(3));
  v.note = r.Text(4);
  v.status = BackfillStatusFromString(r.Text(5)).value_or(BackfillStatus::kAwaitingApproval);
  v.filed_by = r.OptText(6).value_or("");
  v.filed_at = FromMillis(r.Int(7));
  v.decided_by = r.OptText(8);
  if (auto t = r.OptInt(9)) v.decided_at = FromMillis(*t);
  return v;
}

std::optional<std::pair<BackfillView, std::pair<std::int64_t, std::string>>> LoadBackfill(SqlTx& tx, BackfillId id) {
  auto row = tx.QueryOne(fmt::format("SELECT {} FROM backfills b JOIN events e ON e.id = b.event_id "
                                     "LEFT JOIN staff fs ON fs.id = b.filed_by LEFT JOIN staff ds ON ds.id = b.decided_by "
                                     "WHERE b.id = ?",
                                     kBackfillCols),
                         {id.value()});
  if (!row) return std::nullopt;
  return std::make_pair(BackfillOf(*row), std::make_pair(row->OptInt(10).value_or(0), row->Text(11)));
}

// The ledger key of a registration's debit: the card's first registration for the event keeps the
// documented key; a re-registration after a refund gets its own.
std::string RegistrationKey(SqlTx& tx, EventId event, const CardNumber& card, std::int64_t registration) {
  auto earlier = tx.QueryOne("SELECT COUNT(*) FROM registrations WHERE event_id = ? AND card = ? AND id < ?",
                             {event.value(), card.value(), registration})
                     ->Int(0);
  return earlier == 0 ? fmt::format("registration:{}:{}", event.value(), card.value())
                      : fmt::format("registration:{}:{}:{}", event.value(), card.value(), registration);
}

bool BackfillNeedsSecondPerson(SqlTx& tx) { return repo::Setting(tx, "policy.backfill_second_person").value_or("1") != "0"; }

}  // namespace

Result<EventView> CreateEvent(SqlTx& tx, const Env& env, const Actor& actor, const EventInput& in) {
  if (auto ok = Authorize(actor, Permission::kManageEvents, in.branch); !ok) return Fail(ok.error());
  if (!repo::FindBranch(tx, in.branch)) return Fail(ErrorCode::kBranchNotFound);
  Event e{EventId(0), in.branch, in.title, in.starts_at, in.ends_at, in.attendance_points, in.capacity,
          in.registration_cost, in.registration_deadline};
  if (auto ok = ValidateEvent(e); !ok) return Fail(ok.error());
  auto now = env.Now();
  auto id = tx.QueryOne(
                  "INSERT INTO events(branch, title, description, starts_at, ends_at, attendance_points, capacity, "
                  "registration_cost, registration_deadline, token_key, created_at, updated_at) "
                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                  {in.branch.value(), in.title, in.description, ToMillis(in.starts_at), ToMillis(in.ends_at),
                   in.attendance_points, in.capacity, in.registration_cost, InstantValue(in.registration_deadline),
                   crypto::Base64Url(crypto::RandomBytes(32)), ToMillis(now), ToMillis(now)})
                ->Int(0);
  e.id = EventId(id);
  AppendAudit(tx, now, env.tz, {actor.label, "event.create", fmt::format("event:{}", id), EventDetails(e, env.tz)});
  return LoadEvent(tx, e.id)->view;
}

Result<EventView> UpdateEvent(SqlTx& tx, const Env& env, const Actor& actor, EventId id, const EventPatch& p) {
  auto current = LoadEvent(tx, id);
  if (!current) return Fail(ErrorCode::kEventNotFound);
  if (auto ok = Authorize(actor, Permission::kManageEvents, current->view.event.branch); !ok) return Fail(ok.error());
  auto e = current->view.event;
  auto description = current->view.description;
  if (p.title) e.title = *p.title;
  if (p.description) description = *p.description;
  if (p.starts_at) e.starts_at = *p.starts_at;
  if (p.ends_at) e.ends_at = *p.ends_at;
  if (p.attendance_points) e.attendance_points = *p.attendance_points;
  if (p.capacity) e.capacity = *p.capacity;
  if (p.registration_cost) e.registration_cost = *p.registration_cost;
  if (p.registration_deadline) e.registration_deadline = *p.registration_deadline;
  if (auto ok = ValidateEvent(e); !ok) return Fail(ok.error());
  auto now = env.Now();
  tx.Exec(
      "UPDATE events SET title = ?, description = ?, starts_at = ?, ends_at = ?, attendance_points = ?, capacity = ?, "
      "registration_cost = ?, registration_deadline = ?, updated_at = ? WHERE id = ?",
      {e.title, description, ToMillis(e.starts_at), ToMillis(e.ends_at), e.attendance_points, e.capacity,
       e.registration_cost, InstantValue(e.registration_deadline), ToMillis(now), id.value()});
  AppendAudit(tx, now, env.tz, {actor.label, "event.update", fmt::format("event:{}", id.value()), EventDetails(e, env.tz)});
  return LoadEvent(tx, id)->view;
}

Result<EventView> GetEvent(SqlTx& tx, EventId id) {
  auto e = LoadEvent(tx, id);
  if (!e) return Fail(ErrorCode::kEventNotFound);
  return e->view;
}

std::vector<EventView> ListEvents(SqlTx& tx, Instant from, const std::optional<BranchCode>& branch) {
  std::vector<EventView> out;
  auto sql = fmt::format("SELECT {} FROM events WHERE ends_at >= ? {} ORDER BY starts_at, id LIMIT 500", kEventCols,
                         branch ? "AND branch = ?" : "");
  std::vector<SqlValue> params{ToMillis(from)};
  if (branch) params.push_back(branch->value());
  for (const auto& r : tx.Query(sql, params)) out.push_back(EventOf(r).view);
  return out;
}

Result<AttendanceToken> CurrentAttendanceToken(SqlTx& tx, const Env& env, const Actor& actor, EventId id) {
  auto e = LoadEvent(tx, id);
  if (!e) return Fail(ErrorCode::kEventNotFound);
  if (auto ok = Authorize(actor, Permission::kAttendanceToken, e->view.event.branch); !ok) return Fail(ok.error());
  auto step = CodeStep(e->view.event.starts_at, env.Now());
  return AttendanceToken{EventToken(id, e->token_key, step), StepEnds(e->view.event.starts_at, step)};
}

Result<ClaimResult> ClaimAttendance(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card,
                                    const std::string& token) {
  auto c = repo::FindCard(tx, card);
  auto parsed = ParseCode(token, 'E');
  std::optional<LoadedEvent> e;
  if (parsed) e = LoadEvent(tx, EventId(parsed->id));
  ClaimInput in;
  in.card = c ? &*c : nullptr;
  in.card_type_earns = c && CardTypeEarns(tx, *c);
  in.event = e ? &e->view.event : nullptr;
  in.now = env.Now();
  if (e) {
    in.token_matches = OtpMatches(e->token_key, CodeStep(e->view.event.starts_at, in.now), parsed->otp);
    in.already_credited = AlreadyCredited(tx, e->view.event.id, card);
    in.credits = e->view.credits;
  }
  if (auto ok = DecideClaim(in); !ok) return Fail(ok.error());
  auto balance = Credit(tx, env, actor, e->view.event, card, "qr");
  AppendAudit(tx, env.Now(), env.tz,
              {actor.label, "event.claim", fmt::format("event:{}", e->view.event.id.value()),
               {{"card", card.value()}, {"points", e->view.event.attendance_points}}});
  return ClaimResult{e->view.event.id, e->view.event.attendance_points, balance};
}

Result<RegistrationView> RegisterForEvent(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card,
                                          EventId id) {
  auto c = repo::FindCard(tx, card);
  auto e = LoadEvent(tx, id);
  RegisterInput in;
  in.card = c ? &*c : nullptr;
  in.event = e ? &e->view.event : nullptr;
  in.now = env.Now();
  if (e) {
    in.already_registered =
        tx.QueryOne("SELECT 1 FROM registrations WHERE event_id = ? AND card = ? AND status = 'registered'",
                    {id.value(), card.value()})
            .has_value();
    in.registrations = e->view.registrations;
  }
  if (c) {
    ExpireRedemptionsOf(tx, env, card);  // an expired code's refund is spendable
    in.balance = BalanceOf(tx, card).balance;
  }
  if (auto ok = DecideRegister(in); !ok) return Fail(ok.error());
  auto now = env.Now();
  auto cost = e->view.event.registration_cost;
  auto reg_id = tx.QueryOne(
                      "INSERT INTO registrations(event_id, card, status, cost, registered_at) VALUES (?,?,'registered',?,?) "
                      "RETURNING id",
                      {id.value(), card.value(), cost, ToMillis(now)})
                    ->Int(0);
  auto balance = BalanceOf(tx, card).balance;
  if (cost > 0) {
    auto key = RegistrationKey(tx, id, card, reg_id);
    auto debit = AppendLedger(tx, env, actor, {card, LedgerKind::kRegistration, -cost, key, std::nullopt, std::nullopt,
                                               e->view.event.branch});
    if (!debit) return Fail(debit.error());
    balance = debit->balance_after;
  }
  AppendAudit(tx, now, env.tz,
              {actor.label, "event.register", fmt::format("event:{}", id.value()),
               {{"card", card.value()}, {"cost", cost}, {"registration_id", reg_id}}});
  QueueNotice(tx, env, card, "event_registered",
              {{"event_id", id.value()}, {"title", e->view.event.title}, {"points_used", cost}, {"points_left", balance}});
  return RegistrationView{reg_id, id, card, "registered", cost, balance};
}

Result<RegistrationView> CancelRegistration(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card,
                                            EventId id) {
  auto e = LoadEvent(tx, id);
  if (!e) return Fail(ErrorCode::kEventNotFound);
  auto reg = tx.QueryOne(
      "SELECT id, cost FROM registrations WHERE event_id = ? AND card = ? AND status = 'registered'",
      {id.value(), card.value()});
  if (!reg) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "registration"}}));
  auto now = env.Now();
  if (!e->view.event.RegistrationOpen(now)) return Fail(ErrorCode::kRegistrationClosed);
  auto reg_id = reg->Int(0);
  auto cost = reg->Int(1);
  tx.Exec("UPDATE registrations SET status = 'cancelled', cancelled_at = ? WHERE id = ?", {ToMillis(now), reg_id});
  auto balance = BalanceOf(tx, card).balance;
  if (cost > 0) {
    auto debit = tx.QueryOne("SELECT id, source_key FROM ledger WHERE source_key = ?",
                             {RegistrationKey(tx, id, card, reg_id)});
    auto refund = AppendLedger(tx, env, actor,
                               {card, LedgerKind::kRefund, cost, "refund:" + debit->Text(1), debit->Int(0),
                                std::nullopt, e->view.event.branch});
    if (!refund) throw std::logic_error("refund refused");
    balance = refund->balance_after;
  }
  AppendAudit(tx, now, env.tz,
              {actor.label, "event.unregister", fmt::format("event:{}", id.value()),
               {{"card", card.value()}, {"refund", cost}, {"registration_id", reg_id}}});
  return RegistrationView{reg_id, id, card, "cancelled", cost, balance};
}

std::vector<RegistrationView> CardRegistrations(SqlTx& tx, const CardNumber& card) {
  std::vector<RegistrationView> out;
  for (const auto& r : tx.Query("SELECT id, event_id, status, cost FROM registrations WHERE card = ? ORDER BY id DESC",
                                {card.value()}))
    out.push_back({r.Int(0), EventId(r.Int(1)), card, r.Text(2), r.Int(3), 0});
  return out;
}

Result<BackfillView> FileBackfill(SqlTx& tx, const Env& env, const Actor& actor, EventId event,
                                  const CardNumber& card, const std::string& note) {
  auto e = LoadEvent(tx, event);
  if (!e) return Fail(ErrorCode::kEventNotFound);
  if (auto ok = Authorize(actor, Permission::kBackfill, e->view.event.branch); !ok) return Fail(ok.error());
  if (note.empty() || note.size() > 1000) return Fail(DomainError::Invalid("note", "required"));
  auto c = repo::FindCard(tx, card);
  BackfillInput in;
  in.card = c ? &*c : nullptr;
  in.card_type_earns = c && CardTypeEarns(tx, *c);
  in.event = &e->view.event;
  in.already_credited = AlreadyCredited(tx, event, card);
  in.credits = e->view.credits;
  if (auto ok = DecideFileBackfill(in); !ok) return Fail(ok.error());
  if (tx.QueryOne("SELECT 1 FROM backfills WHERE event_id = ? AND card = ? AND status = 'awaiting_approval'",
                  {event.value(), card.value()}))
    return Fail(ErrorCode::kAlreadyExists);
  auto now = env.Now();
  auto id = tx.QueryOne(
                  "INSERT INTO backfills(event_id, card, note, status, filed_by, filed_at) VALUES "
                  "(?,?,?,'awaiting_approval',?,?) RETURNING id",
                  {event.value(), card.value(), note, actor.staff ? SqlValue(actor.staff->value()) : SqlValue(nullptr),
                   ToMillis(now)})
                ->Int(0);
  AppendAudit(tx, now, env.tz,
              {actor.label, "backfill.file", fmt::format("backfill:{}", id),
               {{"event_id", event.value()}, {"card", card.value()}, {"note", note}}});
  if (!BackfillNeedsSecondPerson(tx)) return ApproveBackfill(tx, env, actor, BackfillId(id));
  return LoadBackfill(tx, BackfillId(id))->first;
}

Result<BackfillView> ApproveBackfill(SqlTx& tx, const Env& env, const Actor& actor, BackfillId id) {
  auto b = LoadBackfill(tx, id);
  if (!b) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "backfill"}}));
  if (auto ok = Authorize(actor, Permission::kBackfill, BranchCode(b->second.second)); !ok) return Fail(ok.error());
  auto e = LoadEvent(tx, b->first.event);
  auto c = repo::FindCard(tx, b->first.card);
  ApprovalInput in;
  in.status = b->first.status;
  in.filed_by = StaffId(b->second.first);
  in.approver = actor.staff.value_or(StaffId(-1));
  in.second_person_required = BackfillNeedsSecondPerson(tx);
  in.credit.card = c ? &*c : nullptr;
  in.credit.card_type_earns = c && CardTypeEarns(tx, *c);
  in.credit.event = &e->view.event;
  in.credit.already_credited = AlreadyCredited(tx, e->view.event.id, b->first.card);
  in.credit.credits = e->view.credits;
  if (auto ok = DecideApproveBackfill(in); !ok) return Fail(ok.error());
  auto now = env.Now();
  tx.Exec("UPDATE backfills SET status = 'approved', decided_by = ?, decided_at = ? WHERE id = ? AND status = "
          "'awaiting_approval'",
          {actor.staff ? SqlValue(actor.staff->value()) : SqlValue(nullptr), ToMillis(now), id.value()});
  auto balance = Credit(tx, env, actor, e->view.event, b->first.card, "backfill");
  AppendAudit(tx, now, env.tz,
              {actor.label, "backfill.approve", fmt::format("backfill:{}", id.value()),
               {{"event_id", e->view.event.id.value()}, {"card", b->first.card.value()},
                {"points", e->view.event.attendance_points}}});
  QueueNotice(tx, env, b->first.card, "event_points",
              {{"event_id", e->view.event.id.value()}, {"title", e->view.event.title},
               {"points", e->view.event.attendance_points}, {"points_left", balance}});
  return LoadBackfill(tx, id)->first;
}

Result<BackfillView> RejectBackfill(SqlTx& tx, const Env& env, const Actor& actor, BackfillId id) {
  auto b = LoadBackfill(tx, id);
  if (!b) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "backfill"}}));
  if (auto ok = Authorize(actor, Permission::kBackfill, BranchCode(b->second.second)); !ok) return Fail(ok.error());
  if (auto ok = DecideRejectBackfill(b->first.status); !ok) return Fail(ok.error());
  auto now = env.Now();
  tx.Exec("UPDATE backfills SET status = 'rejected', decided_by = ?, decided_at = ? WHERE id = ?",
          {actor.staff ? SqlValue(actor.staff->value()) : SqlValue(nullptr), ToMillis(now), id.value()});
  AppendAudit(tx, now, env.tz,
              {actor.label, "backfill.reject", fmt::format("backfill:{}", id.value()),
               {{"event_id", b->first.event.value()}, {"card", b->first.card.value()}}});
  return LoadBackfill(tx, id)->first;
}

std::vector<BackfillView> ListBackfills(SqlTx& tx, const Actor& actor, std::optional<BackfillStatus> status) {
  std::string sql = fmt::format(
      "SELECT {} FROM backfills b JOIN events e ON e.id = b.event_id LEFT JOIN staff fs ON fs.id = b.filed_by "
      "LEFT JOIN staff ds ON ds.id = b.decided_by WHERE 1 = 1",
      kBackfillCols);
  std::vector<SqlValue> params;
  if (status) sql += " AND b.status = ?", params.push_back(std::string(ToString(*status)));
  if (actor.IsStaff() && actor.branch) sql += " AND e.branch = ?", params.push_back(actor.branch->value());
  sql += " ORDER BY b.filed_at DESC LIMIT 500";
  std::vector<BackfillView> out;
  for (const auto& r : tx.Query(sql, params)) out.push_back(BackfillOf(r));
  return out;
}

}  // namespace bookstamp
