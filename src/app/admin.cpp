// Administrative use cases.
#include "app/admin.hpp"

#include <fmt/format.h>

#include "app/audit.hpp"
#include "app/authz.hpp"
#include "app/ledger.hpp"
#include "app/repo.hpp"

namespace bookstamp {
namespace {

std::string Weekdays(const std::set<unsigned>& days) {
  std::string out;
  for (auto d : days) out += (out.empty() ? "" : ",") + std::to_string(d);
  return out;
}

bool ValidCode(const std::string& code) {
  if (code.empty() || code.size() > 16) return false;
  for (char c : code)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

JsonObject PolicyJson(const PolicyView& p) {
  JsonObject types;
  for (auto t : {CardType::kPersonal, CardType::kFamily, CardType::kGroup}) {
    const auto& c = p.library.For(t);
    types[std::string(ToString(t))] = JsonObject{{"max_loans", c.max_loans},
                                                 {"loan_days", c.loan_days},
                                                 {"max_renewals", c.max_renewals},
                                                 {"max_holds", c.max_holds},
                                                 {"earns_points", c.earns_points}};
  }
  JsonArray no_points;
  for (const auto& t : p.points.no_points_item_types) no_points.push_back(t);
  return {{"card_types", types},
          {"pickup_days", p.library.pickup_days},
          {"no_show_limit", p.library.no_show_limit},
          {"no_show_window_days", p.library.no_show_window_days},
          {"no_show_suspension_days", p.library.no_show_suspension_days},
          {"points_per_loan", JsonObject{{"counter", p.points.per_loan_counter},
                                         {"kiosk", p.points.per_loan_kiosk},
                                         {"mobile", p.points.per_loan_mobile}}},
          {"daily_cap", p.points.daily_cap},
          {"monthly_cap", p.points.monthly_cap},
          {"no_points_item_types", no_points},
          {"backfill_second_person", p.backfill_second_person}};
}

}  // namespace

std::vector<Branch> ListBranches(SqlTx& tx) {
  std::vector<Branch> out;
  for (const auto& r : tx.Query("SELECT code FROM branches ORDER BY code"))
    if (auto b = repo::FindBranch(tx, BranchCode(r.Text(0)))) out.push_back(std::move(*b));
  return out;
}

Result<Branch> CreateBranch(SqlTx& tx, const Env& env, const Actor& actor, const BranchInput& in) {
  if (auto ok = Authorize(actor, Permission::kManageBranches); !ok) return Fail(ok.error());
  if (!ValidCode(in.code)) return Fail(DomainError::Invalid("code", "1–16 letters, digits, - or _"));
  if (in.name.empty() || in.name.size() > 200) return Fail(DomainError::Invalid("name", "required"));
  if (repo::FindBranch(tx, BranchCode(in.code))) return Fail(ErrorCode::kAlreadyExists);
  auto now = env.Now();
  tx.Exec("INSERT INTO branches(code, name, mobile_checkout, created_at) VALUES (?,?,?,?)",
          {in.code, in.name, std::int64_t{in.mobile_checkout}, ToMillis(now)});
  AppendAudit(tx, now, env.tz,
              {actor.label, "branch.create", "branch:" + in.code,
               {{"name", in.name}, {"mobile_checkout", in.mobile_checkout}}});
  return *repo::FindBranch(tx, BranchCode(in.code));
}

Result<Branch> UpdateBranch(SqlTx& tx, const Env& env, const Actor& actor, const BranchCode& code,
                            const BranchPatch& patch) {
  if (auto ok = Authorize(actor, Permission::kManageBranches); !ok) return Fail(ok.error());
  auto b = repo::FindBranch(tx, code);
  if (!b) return Fail(ErrorCode::kBranchNotFound);
  JsonObject changes;
  if (patch.name) {
    if (patch.name->empty() || patch.name->size() > 200) return Fail(DomainError::Invalid("name", "required"));
    tx.Exec("UPDATE branches SET name = ? WHERE code = ?", {*patch.name, code.value()});
    changes["name"] = *patch.name;
  }
  if (patch.mobile_checkout) {
    tx.Exec("UPDATE branches SET mobile_checkout = ? WHERE code = ?",
            {std::int64_t{*patch.mobile_checkout}, code.value()});
    changes["mobile_checkout"] = *patch.mobile_checkout;
  }
  if (patch.closed_weekdays) {
    for (auto d : *patch.closed_weekdays)
      if (d > 6) return Fail(DomainError::Invalid("closed_weekdays", "0 (Sunday) to 6 (Saturday)"));
    tx.Exec("UPDATE branches SET closed_weekdays = ? WHERE code = ?", {Weekdays(*patch.closed_weekdays), code.value()});
    changes["closed_weekdays"] = Weekdays(*patch.closed_weekdays);
  }
  AppendAudit(tx, env.Now(), env.tz, {actor.label, "branch.update", "branch:" + code.value(), changes});
  return *repo::FindBranch(tx, code);
}

Result<void> SetHoliday(SqlTx& tx, const Env& env, const Actor& actor, const BranchCode& code, Date day,
                        const std::string& name, bool closed) {
  if (auto ok = Authorize(actor, Permission::kManageBranches); !ok) return Fail(ok.error());
  if (!repo::FindBranch(tx, code)) return Fail(ErrorCode::kBranchNotFound);
  if (closed)
    tx.Exec("INSERT INTO branch_holidays(branch, day, name) VALUES (?,?,?) ON CONFLICT(branch, day) DO UPDATE SET "
            "name = excluded.name",
            {code.value(), FormatDate(day), name});
  else
    tx.Exec("DELETE FROM branch_holidays WHERE branch = ? AND day = ?", {code.value(), FormatDate(day)});
  AppendAudit(tx, env.Now(), env.tz,
              {actor.label, closed ? "branch.holiday_add" : "branch.holiday_remove", "branch:" + code.value(),
               {{"day", FormatDate(day)}, {"name", name}}});
  return {};
}

Result<PatronCreated> CreatePatron(SqlTx& tx, const Env& env, const Actor& actor, const PatronInput& in) {
  if (auto ok = Authorize(actor, Permission::kManageCatalog); !ok) return Fail(ok.error());
  if (in.name.empty() || in.name.size() > 200) return Fail(DomainError::Invalid("name", "required"));
  if (in.card.empty() || in.card.size() > 32) return Fail(DomainError::Invalid("card.card", "1–32 characters"));
  if (repo::FindCard(tx, CardNumber(in.card))) return Fail(ErrorCode::kAlreadyExists);
  auto now = env.Now();
  auto id = tx.QueryOne("INSERT INTO patrons(name, email, created_at) VALUES (?,?,?) RETURNING id",
                        {in.name, SqlOpt(in.email), ToMillis(now)})
                ->Int(0);
  tx.Exec("INSERT INTO cards(number, patron_id, type, status, pin_hash, created_at) VALUES (?,?,?,'active',?,?)",
          {in.card, id, std::string(ToString(in.type)), in.pin_hash, ToMillis(now)});
  // Staff never see more than they need: the audit names the card, not the patron's details.
  AppendAudit(tx, now, env.tz,
              {actor.label, "patron.create", fmt::format("patron:{}", id),
               {{"card", in.card}, {"type", std::string(ToString(in.type))}}});
  return PatronCreated{PatronId(id), CardNumber(in.card)};
}

Result<StaffView> CreateStaff(SqlTx& tx, const Env& env, const Actor& actor, const StaffInput& in) {
  if (auto ok = Authorize(actor, Permission::kManageStaff); !ok) return Fail(ok.error());
  if (in.username.empty() || in.username.size() > 64) return Fail(DomainError::Invalid("username", "1–64 characters"));
  if (in.branch && !repo::FindBranch(tx, *in.branch)) return Fail(ErrorCode::kBranchNotFound);
  if (tx.QueryOne("SELECT 1 FROM staff WHERE username = ?", {in.username})) return Fail(ErrorCode::kAlreadyExists);
  auto now = env.Now();
  auto id = tx.QueryOne(
                  "INSERT INTO staff(username, password_hash, role, branch, created_at) VALUES (?,?,?,?,?) RETURNING id",
                  {in.username, in.password_hash, std::string(ToString(in.role)),
                   in.branch ? SqlValue(in.branch->value()) : SqlValue(nullptr), ToMillis(now)})
                ->Int(0);
  AppendAudit(tx, now, env.tz,
              {actor.label, "staff.create", fmt::format("staff:{}", id),
               {{"username", in.username},
                {"role", std::string(ToString(in.role))},
                {"branch", in.branch ? JsonValue(in.branch->value()) : JsonValue(nullptr)}}});
  return StaffView{StaffId(id), in.username, in.role, in.branch};
}

namespace {
std::optional<StaffAccount> FindStaffAccount(SqlTx& tx, const std::string& username) {
  auto r = tx.QueryOne("SELECT id, username, role, branch, active, created_at FROM staff WHERE username = ?",
                       {username});
  if (!r) return std::nullopt;
  StaffAccount a;
  a.view = StaffView{StaffId(r->Int(0)), r->Text(1), RoleFromString(r->Text(2)).value_or(Role::kCounter),
                     r->IsNull(3) ? std::nullopt : std::optional<BranchCode>(BranchCode(r->Text(3)))};
  a.active = r->Int(4) != 0;
  a.created_at = FromMillis(r->Int(5));
  return a;
}
}  // namespace

Result<std::vector<StaffAccount>> ListStaff(SqlTx& tx, const Actor& actor) {
  if (auto ok = Authorize(actor, Permission::kManageStaff); !ok) return Fail(ok.error());
  std::vector<StaffAccount> out;
  for (const auto& r : tx.Query("SELECT username FROM staff ORDER BY username"))
    if (auto a = FindStaffAccount(tx, r.Text(0))) out.push_back(std::move(*a));
  return out;
}

Result<StaffAccount> UpdateStaff(SqlTx& tx, const Env& env, const Actor& actor, const std::string& username,
                                 const StaffPatch& patch) {
  if (auto ok = Authorize(actor, Permission::kManageStaff); !ok) return Fail(ok.error());
  auto before = FindStaffAccount(tx, username);
  if (!before) return Fail(ErrorCode::kNotFound);
  const bool self = actor.IsStaff() && actor.staff == before->view.id;
  JsonObject changes;
  if (patch.role && *patch.role != before->view.role) {
    if (self) return Fail(DomainError::Invalid("role", "own_account"));
    tx.Exec("UPDATE staff SET role = ? WHERE id = ?", {std::string(ToString(*patch.role)), before->view.id.value()});
    changes["role"] = std::string(ToString(*patch.role));
  }
  if (patch.branch && *patch.branch != before->view.branch) {
    if (self) return Fail(DomainError::Invalid("branch", "own_account"));
    if (*patch.branch && !repo::FindBranch(tx, **patch.branch)) return Fail(ErrorCode::kBranchNotFound);
    tx.Exec("UPDATE staff SET branch = ? WHERE id = ?",
            {*patch.branch ? SqlValue((*patch.branch)->value()) : SqlValue(nullptr), before->view.id.value()});
    changes["branch"] = *patch.branch ? JsonValue((*patch.branch)->value()) : JsonValue(nullptr);
  }
  if (patch.active && *patch.active != before->active) {
    if (self) return Fail(DomainError::Invalid("active", "own_account"));
    tx.Exec("UPDATE staff SET active = ? WHERE id = ?", {std::int64_t{*patch.active}, before->view.id.value()});
    changes["active"] = *patch.active;
  }
  if (patch.password_hash) {
    tx.Exec("UPDATE staff SET password_hash = ? WHERE id = ?", {*patch.password_hash, before->view.id.value()});
    changes["password_reset"] = true;  // never the hash
  }
  if (changes.empty()) return *before;
  // Whatever changed, the account's open sessions end: the next request signs in again.
  auto revoked = tx.QueryOne("SELECT count(*) FROM sessions WHERE staff_id = ?", {before->view.id.value()})->Int(0);
  tx.Exec("DELETE FROM sessions WHERE staff_id = ?", {before->view.id.value()});
  changes["sessions_revoked"] = revoked;
  AppendAudit(tx, env.Now(), env.tz,
              {actor.label, "staff.update", fmt::format("staff:{}", before->view.id.value()),
               {{"username", username}, {"changes", changes}}});
  return *FindStaffAccount(tx, username);
}

PolicyView LoadAllPolicy(SqlTx& tx) {
  return {repo::LoadPolicy(tx), LoadPointsPolicy(tx),
          repo::Setting(tx, "policy.backfill_second_person").value_or("1") != "0"};
}

namespace {
void SaveAllPolicy(SqlTx& tx, const PolicyView& p) {
  repo::SavePolicy(tx, p.library);
  SavePointsPolicy(tx, p.points);
  repo::PutSetting(tx, "policy.backfill_second_person", p.backfill_second_person ? "1" : "0");
}
}  // namespace

void SeedPolicyIfEmpty(SqlTx& tx, const Env& env, const PolicyView& defaults) {
  if (repo::PolicySeeded(tx)) return;
  SaveAllPolicy(tx, defaults);
  AppendAudit(tx, env.Now(), env.tz, {"system", "policy.seed", "policy", PolicyJson(defaults)});
}

Result<PolicyView> UpdatePolicy(SqlTx& tx, const Env& env, const Actor& actor, const PolicyView& next) {
  if (auto ok = Authorize(actor, Permission::kManagePolicy); !ok) return Fail(ok.error());
  for (auto t : {CardType::kPersonal, CardType::kFamily, CardType::kGroup}) {
    const auto& c = next.library.For(t);
    if (c.max_loans < 0 || c.loan_days <= 0 || c.max_renewals < 0 || c.max_holds < 0)
      return Fail(DomainError::Invalid(std::string(ToString(t)), "limits must be ≥ 0 and loan days > 0"));
  }
  if (next.library.pickup_days <= 0) return Fail(DomainError::Invalid("pickup_days", "must be > 0"));
  if (next.points.daily_cap < 0 || next.points.monthly_cap < 0 || next.points.per_loan_counter < 0 ||
      next.points.per_loan_kiosk < 0 || next.points.per_loan_mobile < 0)
    return Fail(DomainError::Invalid("points", "must be ≥ 0"));
  auto before = LoadAllPolicy(tx);
  SaveAllPolicy(tx, next);
  AppendAudit(tx, env.Now(), env.tz,
              {actor.label, "policy.update", "policy", {{"before", PolicyJson(before)}, {"after", PolicyJson(next)}}});
  return LoadAllPolicy(tx);
}

}  // namespace bookstamp
