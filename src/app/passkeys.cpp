// Passkey registration, listing, removal and login; see passkeys.hpp.
#include "app/passkeys.hpp"

#include <fmt/format.h>

#include "app/audit.hpp"
#include "app/crypto.hpp"

namespace bookstamp {
namespace {

std::vector<std::string> SplitTransports(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    auto end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Transports are the browser's words ("internal", "hybrid", "usb", ...): short lowercase names.
bool ValidTransports(const std::vector<std::string>& ts) {
  if (ts.size() > 8) return false;
  for (const auto& t : ts) {
    if (t.empty() || t.size() > 16) return false;
    for (char c : t)
      if (!((c >= 'a' && c <= 'z') || c == '-')) return false;
  }
  return true;
}

std::size_t CodePoints(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

std::string IssueChallenge(SqlTx& tx, const Env& env, const char* purpose, const std::optional<CardNumber>& card) {
  auto now = env.Now();
  tx.Exec("DELETE FROM passkey_challenges WHERE expires_at <= ?", {ToMillis(now)});
  auto challenge = crypto::RandomToken(32);
  tx.Exec("INSERT INTO passkey_challenges(challenge, purpose, card, expires_at) VALUES (?, ?, ?, ?)",
          {challenge, std::string(purpose), card ? SqlValue(card->value()) : SqlValue(nullptr),
           ToMillis(now + kPasskeyChallengeTtl)});
  return challenge;
}

struct Challenge {
  std::optional<std::string> card;
};

// Spends the challenge: CHALLENGE_EXPIRED when unknown, used, past its time or of another purpose.
Result<Challenge> TakeChallenge(SqlTx& tx, const Env& env, const std::string& challenge, const char* purpose) {
  if (challenge.empty() || challenge.size() > 128) return Fail(ErrorCode::kChallengeExpired);
  auto now = ToMillis(env.Now());
  auto row = tx.QueryOne(
      "UPDATE passkey_challenges SET used_at = ? WHERE challenge = ? AND purpose = ? AND used_at IS NULL "
      "AND expires_at > ? RETURNING card",
      {now, challenge, std::string(purpose), now});
  if (!row) return Fail(ErrorCode::kChallengeExpired);
  return Challenge{row->OptText(0)};
}

DomainError Invalid(std::string reason) { return DomainError(ErrorCode::kPasskeyInvalid, {{"reason", std::move(reason)}}); }

std::string UserHandle(SqlTx& tx, const CardNumber& card) {
  if (auto row = tx.QueryOne("SELECT user_handle FROM passkey_users WHERE card = ?", {card.value()}))
    return row->Text(0);
  auto handle = crypto::RandomToken(16);
  tx.Exec("INSERT INTO passkey_users(card, user_handle) VALUES (?, ?)", {card.value(), handle});
  return handle;
}

constexpr const char* kViewColumns = "id, credential_id, name, transports, created_at, last_used_at, flagged_at";

PasskeyView ViewOf(const SqlRow& r) {
  PasskeyView v;
  v.id = r.Int(0);
  v.credential_id = r.Text(1);
  v.name = r.Text(2);
  v.transports = SplitTransports(r.Text(3));
  v.created_at = FromMillis(r.Int(4));
  if (auto t = r.OptInt(5)) v.last_used_at = FromMillis(*t);
  v.flagged = !r.IsNull(6);
  return v;
}

std::vector<PasskeyDescriptor> Descriptors(SqlTx& tx, const CardNumber& card) {
  std::vector<PasskeyDescriptor> out;
  for (const auto& r : tx.Query("SELECT credential_id, transports FROM passkeys WHERE card = ? ORDER BY id",
                                {card.value()}))
    out.push_back({r.Text(0), SplitTransports(r.Text(1))});
  return out;
}

std::string PatronLabel(AccountId account) { return fmt::format("patron:{}", account.value()); }

}  // namespace

Result<PasskeyRegistrationOptions> BeginPasskeyRegistration(SqlTx& tx, const Env& env, AccountId account,
                                                            const CardNumber& card) {
  if (auto ok = RequireLinkedCard(tx, account, card); !ok) return Fail(ok.error());
  PasskeyRegistrationOptions o;
  o.exclude = Descriptors(tx, card);
  if (o.exclude.size() >= static_cast<std::size_t>(kMaxPasskeysPerCard))
    return Fail(DomainError::Invalid("passkeys", "out_of_range"));
  auto holder = tx.QueryOne("SELECT p.name FROM cards c JOIN patrons p ON p.id = c.patron_id WHERE c.number = ?",
                            {card.value()});
  o.user_handle = UserHandle(tx, card);
  o.user_name = card.value();
  o.display_name = holder ? holder->Text(0) : card.value();
  o.challenge = IssueChallenge(tx, env, "register", card);
  return o;
}

Result<PasskeyView> RegisterPasskey(SqlTx& tx, const Env& env, const webauthn::RelyingParty& rp, AccountId account,
                                    const CardNumber& card, const NewPasskey& in) {
  if (auto ok = RequireLinkedCard(tx, account, card); !ok) return Fail(ok.error());
  if (CodePoints(in.name) > kMaxPasskeyNameLength) return Fail(DomainError::Invalid("name", "too_long"));
  if (!ValidTransports(in.transports)) return Fail(DomainError::Invalid("transports", "bad_format"));
  auto challenge = TakeChallenge(tx, env, in.client.challenge, "register");
  if (!challenge) return Fail(challenge.error());
  if (challenge->card != card.value()) return Fail(ErrorCode::kChallengeExpired);
  auto cred = webauthn::VerifyRegistration(rp, in.client.challenge, in.client, in.client_data_json,
                                           in.attestation_object);
  if (!cred) return Fail(Invalid(cred.error()));
  auto id = crypto::Base64Url(cred->credential_id);
  if (tx.QueryOne("SELECT 1 FROM passkeys WHERE credential_id = ?", {id})) return Fail(ErrorCode::kAlreadyExists);
  auto count = tx.QueryOne("SELECT COUNT(*) FROM passkeys WHERE card = ?", {card.value()})->Int(0);
  if (count >= kMaxPasskeysPerCard) return Fail(DomainError::Invalid("passkeys", "out_of_range"));
  auto name = in.name.empty() ? fmt::format("通行金鑰 {}", count + 1) : in.name;
  std::string transports;
  for (const auto& t : in.transports) transports += (transports.empty() ? "" : ",") + t;
  auto now = env.Now();
  auto row = tx.QueryOne(fmt::format("INSERT INTO passkeys(card, credential_id, public_key, algorithm, sign_count, "
                                     "transports, name, created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING {}",
                                     kViewColumns),
                         {card.value(), id, crypto::Base64Url(cred->key.spki_der),
                          static_cast<std::int64_t>(cred->key.algorithm), static_cast<std::int64_t>(cred->sign_count),
                          transports, name, ToMillis(now)});
  auto view = ViewOf(*row);
  AppendAudit(tx, now, env.tz,
              {PatronLabel(account), "passkey.register", "card:" + card.value(),
               {{"passkey", view.id}, {"name", name}, {"algorithm", cred->key.algorithm}}});
  return view;
}

Result<std::vector<PasskeyView>> ListPasskeys(SqlTx& tx, AccountId account, const CardNumber& card) {
  if (auto ok = RequireLinkedCard(tx, account, card); !ok) return Fail(ok.error());
  std::vector<PasskeyView> out;
  for (const auto& r :
       tx.Query(fmt::format("SELECT {} FROM passkeys WHERE card = ? ORDER BY created_at, id", kViewColumns),
                {card.value()}))
    out.push_back(ViewOf(r));
  return out;
}

Result<void> RemovePasskey(SqlTx& tx, const Env& env, AccountId account, const CardNumber& card, std::int64_t id) {
  if (auto ok = RequireLinkedCard(tx, account, card); !ok) return Fail(ok.error());
  if (tx.Exec("DELETE FROM passkeys WHERE id = ? AND card = ?", {id, card.value()}) == 0)
    return Fail(ErrorCode::kNotFound);
  AppendAudit(tx, env.Now(), env.tz, {PatronLabel(account), "passkey.remove", "card:" + card.value(), {{"passkey", id}}});
  return {};
}

PasskeyLoginOptions BeginPasskeyLogin(SqlTx& tx, const Env& env, const std::optional<CardNumber>& card) {
  PasskeyLoginOptions o;
  std::optional<CardNumber> bound;
  if (card && tx.QueryOne("SELECT 1 FROM cards WHERE number = ?", {card->value()})) {
    bound = card;
    o.allow = Descriptors(tx, *card);
  }
  o.challenge = IssueChallenge(tx, env, "login", bound);
  return o;
}

Result<PatronSession> LoginWithPasskey(SqlTx& tx, const Env& env, const webauthn::RelyingParty& rp,
                                       const PasskeyAssertion& in, const std::string& ip) {
  if (in.credential_id.empty() || in.credential_id.size() > 1400)
    return Fail(DomainError::Invalid("id", "bad_format"));
  auto cred = tx.QueryOne(
      "SELECT k.card, k.public_key, k.algorithm, k.sign_count, k.flagged_at, u.user_handle, k.id FROM passkeys k "
      "LEFT JOIN passkey_users u ON u.card = k.card WHERE k.credential_id = ?",
      {in.credential_id});
  // Failures count against the card, as wrong PINs do; an unknown credential against itself.
  auto key = cred ? "card:" + cred->Text(0) : "passkey:" + in.credential_id.substr(0, 64);
  if (auto ok = CheckLoginRate(tx, env, key, ip); !ok) return Fail(ok.error());
  auto refuse = [&](DomainError e) {
    RecordLoginFailure(tx, env, key, ip);
    return Fail(std::move(e));
  };
  auto challenge = TakeChallenge(tx, env, in.client.challenge, "login");
  if (!challenge) return refuse(challenge.error());
  if (!cred) return refuse(Invalid("credential"));
  CardNumber card(cred->Text(0));
  if (challenge->card && *challenge->card != card.value()) return refuse(Invalid("credential"));
  if (!cred->IsNull(4)) return refuse(Invalid("flagged"));
  if (!in.user_handle.empty() && in.user_handle != cred->OptText(5).value_or(""))
    return refuse(Invalid("user_handle"));
  auto spki = crypto::FromBase64Url(cred->Text(1));
  if (!spki) return refuse(Invalid("credential"));
  webauthn::PublicKey pk{static_cast<int>(cred->Int(2)), std::move(*spki)};
  auto ad = webauthn::VerifyAssertion(rp, in.client.challenge, in.client, in.client_data_json,
                                      in.authenticator_data, in.signature, pk);
  if (!ad) return refuse(Invalid(ad.error()));
  auto now = env.Now();
  auto stored = static_cast<std::uint32_t>(cred->Int(3));
  if (!webauthn::CounterAdvances(stored, ad->sign_count)) {
    // A counter that goes back suggests a cloned authenticator: the passkey stops working.
    tx.Exec("UPDATE passkeys SET flagged_at = ? WHERE id = ?", {ToMillis(now), cred->Int(6)});
    AppendAudit(tx, now, env.tz,
                {"system", "passkey.counter_regressed", "card:" + card.value(),
                 {{"passkey", cred->Int(6)},
                  {"stored", static_cast<std::int64_t>(stored)},
                  {"received", static_cast<std::int64_t>(ad->sign_count)},
                  {"ip", ip}}});
    return refuse(Invalid("counter"));
  }
  tx.Exec("UPDATE passkeys SET sign_count = ?, last_used_at = ? WHERE id = ?",
          {static_cast<std::int64_t>(ad->sign_count), ToMillis(now), cred->Int(6)});
  return OpenPatronSession(tx, env, card, ip);
}

}  // namespace bookstamp
