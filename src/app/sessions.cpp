// Sessions, logins and account cards.
#include "app/sessions.hpp"

#include <fmt/format.h>

#include "app/audit.hpp"
#include "app/crypto.hpp"
#include "app/repo.hpp"

namespace bookstamp {

std::string TokenHash(const std::string& token) { return crypto::Sha256Hex(token); }

std::optional<Credential> LoadCardCredential(SqlTx& tx, const CardNumber& card) {
  auto row = tx.QueryOne("SELECT pin_hash FROM cards WHERE number = ?", {card.value()});
  if (!row) return std::nullopt;
  return Credential{row->Text(0), true};
}

std::optional<Credential> LoadStaffCredential(SqlTx& tx, const std::string& username) {
  auto row = tx.QueryOne("SELECT password_hash, active FROM staff WHERE username = ?", {username});
  if (!row) return std::nullopt;
  return Credential{row->Text(0), row->Int(1) != 0};
}

Result<void> CheckLoginRate(SqlTx& tx, const Env& env, const std::string& key, const std::string& ip) {
  auto since = ToMillis(env.Now() - kLoginWindow);
  auto n_key = tx.QueryOne("SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?", {key, since})->Int(0);
  auto n_ip = tx.QueryOne("SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?", {"ip:" + ip, since})->Int(0);
  if (n_key >= kLoginFailureLimit || n_ip >= kLoginFailureLimitPerIp) {
    // Retry once the oldest counted failure leaves the window.
    auto oldest = tx.QueryOne("SELECT MIN(at) FROM login_failures WHERE key IN (?, ?) AND at > ?",
                              {key, "ip:" + ip, since});
    auto wait_ms = oldest && !oldest->IsNull(0) ? oldest->Int(0) - since : 0;
    return Fail(DomainError(ErrorCode::kRateLimited, {{"retry_after", std::to_string(wait_ms / 1000 + 1)}}));
  }
  return {};
}

void RecordLoginFailure(SqlTx& tx, const Env& env, const std::string& key, const std::string& ip) {
  auto now = ToMillis(env.Now());
  tx.Exec("INSERT INTO login_failures(key, at) VALUES (?, ?), (?, ?)", {key, now, "ip:" + ip, now});
  // Old failures no longer count; forget them.
  tx.Exec("DELETE FROM login_failures WHERE at < ?", {ToMillis(env.Now() - kLoginWindow)});
}

std::vector<CardSummary> AccountCards(SqlTx& tx, AccountId account) {
  std::vector<CardSummary> out;
  for (const auto& r : tx.Query("SELECT c.number, c.type, p.name, c.status FROM cards c JOIN patrons p ON "
                                "p.id = c.patron_id WHERE c.account_id = ? ORDER BY c.created_at, c.number",
                                {account.value()})) {
    out.push_back({CardNumber(r.Text(0)), CardTypeFromString(r.Text(1)).value_or(CardType::kPersonal), r.Text(2),
                   CardStatusFromString(r.Text(3)).value_or(CardStatus::kActive)});
  }
  return out;
}

std::string AccountLanguage(SqlTx& tx, AccountId account) {
  auto row = tx.QueryOne("SELECT lang FROM accounts WHERE id = ?", {account.value()});
  return row ? row->Text(0) : "zh-TW";
}

Result<void> SetAccountLanguage(SqlTx& tx, AccountId account, const std::string& lang) {
  if (lang != "zh-TW" && lang != "en") return Fail(DomainError::Invalid("lang", "unsupported"));
  tx.Exec("UPDATE accounts SET lang = ? WHERE id = ?", {lang, account.value()});
  return {};
}

Result<PatronSession> OpenPatronSession(SqlTx& tx, const Env& env, const CardNumber& card, const std::string&) {
  auto row = tx.QueryOne("SELECT account_id FROM cards WHERE number = ?", {card.value()});
  if (!row) return Fail(ErrorCode::kCardNotFound);
  auto now = env.Now();
  AccountId account;
  if (auto id = row->OptInt(0)) {
    account = AccountId(*id);
  } else {
    account = AccountId(tx.QueryOne("INSERT INTO accounts(created_at) VALUES (?) RETURNING id", {ToMillis(now)})->Int(0));
    tx.Exec("UPDATE cards SET account_id = ? WHERE number = ?", {account.value(), card.value()});
  }
  tx.Exec("DELETE FROM login_failures WHERE key = ?", {"card:" + card.value()});
  PatronSession s;
  s.token = crypto::RandomToken();
  s.account = account;
  tx.Exec("INSERT INTO sessions(token_hash, account_id, created_at, expires_at) VALUES (?,?,?,?)",
          {TokenHash(s.token), account.value(), ToMillis(now), ToMillis(now + kPatronSessionTtl)});
  s.cards = AccountCards(tx, account);
  return s;
}

namespace {
StaffView StaffOf(const SqlRow& r) {
  StaffView v;
  v.id = StaffId(r.Int(0));
  v.username = r.Text(1);
  v.role = RoleFromString(r.Text(2)).value_or(Role::kAuditor);
  if (auto b = r.OptText(3)) v.branch = BranchCode(*b);
  return v;
}
}  // namespace

Result<StaffSession> OpenStaffSession(SqlTx& tx, const Env& env, const std::string& username, const std::string& ip) {
  auto row = tx.QueryOne("SELECT id, username, role, branch FROM staff WHERE username = ? AND active = 1", {username});
  if (!row) return Fail(ErrorCode::kUnauthenticated);
  auto now = env.Now();
  StaffSession s;
  s.staff = StaffOf(*row);
  s.token = crypto::RandomToken();
  tx.Exec("DELETE FROM login_failures WHERE key = ?", {"staff:" + username});
  tx.Exec("INSERT INTO sessions(token_hash, staff_id, created_at, expires_at) VALUES (?,?,?,?)",
          {TokenHash(s.token), s.staff.id.value(), ToMillis(now), ToMillis(now + kStaffSessionTtl)});
  AppendAudit(tx, now, env.tz,
              {"staff:" + username, "staff.login", fmt::format("staff:{}", s.staff.id.value()), {{"ip", ip}}});
  return s;
}

Result<Actor> Authenticate(SqlTx& tx, const Env& env, const std::string& token) {
  if (token.empty()) return Fail(ErrorCode::kUnauthenticated);
  auto row = tx.QueryOne(
      "SELECT s.account_id, s.staff_id, st.username, st.role, st.branch, st.active FROM sessions s "
      "LEFT JOIN staff st ON st.id = s.staff_id WHERE s.token_hash = ? AND s.expires_at > ?",
      {TokenHash(token), ToMillis(env.Now())});
  if (!row) return Fail(ErrorCode::kUnauthenticated);
  Actor a;
  if (auto account = row->OptInt(0)) {
    a.kind = Actor::Kind::kPatron;
    a.account = AccountId(*account);
    a.label = fmt::format("patron:{}", *account);
    return a;
  }
  if (row->Int(5) == 0) return Fail(ErrorCode::kUnauthenticated);
  a.kind = Actor::Kind::kStaff;
  a.staff = StaffId(row->Int(1));
  a.username = row->Text(2);
  a.role = RoleFromString(row->Text(3)).value_or(Role::kAuditor);
  if (auto b = row->OptText(4)) a.branch = BranchCode(*b);
  a.label = "staff:" + a.username;
  return a;
}

void RevokeSession(SqlTx& tx, const std::string& token) {
  tx.Exec("DELETE FROM sessions WHERE token_hash = ?", {TokenHash(token)});
}

Result<void> RequireLinkedCard(SqlTx& tx, AccountId account, const CardNumber& card) {
  if (!tx.QueryOne("SELECT 1 FROM cards WHERE number = ? AND account_id = ?", {card.value(), account.value()}))
    return Fail(ErrorCode::kCardNotFound);
  return {};
}

Result<CardSummary> LinkCard(SqlTx& tx, const Env&, AccountId account, const CardNumber& card) {
  auto row = tx.QueryOne("SELECT account_id FROM cards WHERE number = ?", {card.value()});
  if (!row) return Fail(ErrorCode::kCardNotFound);
  if (!row->IsNull(0)) return Fail(ErrorCode::kCardAlreadyLinked);
  tx.Exec("UPDATE cards SET account_id = ? WHERE number = ? AND account_id IS NULL", {account.value(), card.value()});
  tx.Exec("DELETE FROM login_failures WHERE key = ?", {"card:" + card.value()});
  for (auto& c : AccountCards(tx, account))
    if (c.card == card) return c;
  return Fail(ErrorCode::kCardNotFound);
}

Result<void> UnlinkCard(SqlTx& tx, const Env&, AccountId account, const CardNumber& card) {
  if (auto ok = RequireLinkedCard(tx, account, card); !ok) return ok;
  if (AccountCards(tx, account).size() <= 1)
    return Fail(DomainError::Invalid("card", "the account's only card cannot be unlinked"));
  tx.Exec("UPDATE cards SET account_id = NULL WHERE number = ?", {card.value()});
  return {};
}

}  // namespace bookstamp
