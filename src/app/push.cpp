// Push subscriptions and the VAPID key row.
#include "app/push.hpp"

#include <cctype>

#include "app/crypto.hpp"

namespace bookstamp {
namespace {

// "http://127.0.0.1:8443/..." → true when the authority is this machine.
bool IsLoopbackHttp(const std::string& e) {
  const std::string scheme = "http://";
  if (!e.starts_with(scheme)) return false;
  auto rest = e.substr(scheme.size());
  auto end = rest.find('/');
  auto authority = rest.substr(0, end);
  // A port follows the last colon, unless that colon is inside an IPv6 literal ("[::1]").
  auto colon = authority.ends_with(']') ? std::string::npos : authority.rfind(':');
  auto host = colon == std::string::npos ? authority : authority.substr(0, colon);
  if (colon != std::string::npos) {
    auto port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
  }
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

// An https authority ("host" or "host:port") that names this machine or the local network: an IP
// literal, localhost, or a name under .localhost, .local or .internal. Push services have public names.
bool IsLocalAuthority(std::string authority) {
  if (authority.starts_with('[')) return true;  // IPv6 literal
  if (auto colon = authority.rfind(':'); colon != std::string::npos) authority.resize(colon);
  for (auto& c : authority) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (authority.ends_with('.')) authority.pop_back();
  if (authority.find_first_not_of("0123456789.") == std::string::npos) return true;  // IPv4 literal
  if (authority.starts_with("0x")) return true;  // a hex spelling of an address
  return authority == "localhost" || authority.ends_with(".localhost") || authority.ends_with(".local") ||
         authority.ends_with(".internal");
}

}  // namespace

bool IsAllowedPushEndpoint(const std::string& e, bool allow_local) {
  if (e.empty() || e.size() > 2048) return false;
  for (unsigned char c : e)
    if (c <= 0x20 || c == 0x7f) return false;
  if (e.starts_with("https://")) {
    auto host = e.substr(8, e.find('/', 8) - 8);
    if (host.empty() || host.find('@') != std::string::npos) return false;
    return allow_local || !IsLocalAuthority(host);
  }
  return allow_local && IsLoopbackHttp(e);
}

Result<bool> SavePushSubscription(SqlTx& tx, const Env& env, const CardNumber& card, const PushSubscriptionInput& in,
                                  bool allow_local) {
  if (!IsAllowedPushEndpoint(in.endpoint, allow_local)) return Fail(DomainError::Invalid("endpoint", "bad_format"));
  auto p256dh = crypto::FromBase64Url(in.p256dh);
  if (!p256dh || p256dh->size() != 65 || (*p256dh)[0] != 0x04)
    return Fail(DomainError::Invalid("keys.p256dh", "bad_format"));
  auto auth = crypto::FromBase64Url(in.auth);
  if (!auth || auth->size() != 16) return Fail(DomainError::Invalid("keys.auth", "bad_format"));
  const bool existed = tx.QueryOne("SELECT 1 FROM push_subscriptions WHERE endpoint = ?", {in.endpoint}).has_value();
  // Stored re-encoded, so the dispatcher reads one canonical form.
  tx.Exec(
      "INSERT INTO push_subscriptions(card, endpoint, p256dh, auth, created_at) VALUES (?,?,?,?,?) "
      "ON CONFLICT(endpoint) DO UPDATE SET card = excluded.card, p256dh = excluded.p256dh, auth = excluded.auth, "
      "failures = 0",
      {card.value(), in.endpoint, crypto::Base64Url(*p256dh), crypto::Base64Url(*auth), ToMillis(env.Now())});
  // Beyond the cap the least recently working browsers go, so a card cannot fan out without end.
  auto extra = tx.Query(
      "SELECT endpoint FROM push_subscriptions WHERE card = ? AND endpoint <> ? "
      "ORDER BY COALESCE(last_success_at, created_at) DESC, id DESC LIMIT -1 OFFSET ?",
      {card.value(), in.endpoint, std::int64_t{kMaxPushSubscriptionsPerCard - 1}});
  for (const auto& r : extra) (void)DeletePushSubscription(tx, card, r.Text(0));
  return !existed;
}

Result<void> DeletePushSubscription(SqlTx& tx, const CardNumber& card, const std::string& endpoint) {
  auto row = tx.QueryOne("SELECT id FROM push_subscriptions WHERE card = ? AND endpoint = ?", {card.value(), endpoint});
  if (!row) return Fail(DomainError(ErrorCode::kNotFound, {{"what", "push_subscription"}}));
  tx.Exec(
      "UPDATE push_sends SET status = 'skipped', last_error = 'subscription removed', lease_until = NULL, "
      "claim_token = NULL WHERE subscription_id = ? AND status IN ('pending', 'sending')",
      {row->Int(0)});
  tx.Exec("DELETE FROM push_subscriptions WHERE id = ?", {row->Int(0)});
  return {};
}

std::int64_t PushSubscriptionCount(SqlTx& tx, const CardNumber& card) {
  return tx.QueryOne("SELECT COUNT(*) FROM push_subscriptions WHERE card = ?", {card.value()})->Int(0);
}

std::optional<StoredVapidKey> LoadVapidKey(SqlTx& tx) {
  auto row = tx.QueryOne("SELECT private_key, public_key FROM push_vapid_keys WHERE id = 1");
  if (!row) return std::nullopt;
  return StoredVapidKey{row->Text(0), row->Text(1)};
}

StoredVapidKey StoreVapidKeyIfAbsent(SqlTx& tx, const Env& env, const StoredVapidKey& key) {
  tx.Exec(
      "INSERT INTO push_vapid_keys(id, private_key, public_key, created_at) VALUES (1,?,?,?) "
      "ON CONFLICT(id) DO NOTHING",
      {key.private_key, key.public_key, ToMillis(env.Now())});
  return *LoadVapidKey(tx);
}

}  // namespace bookstamp
