// Push dispatch: claim sends (write tx) → encrypt and POST (no tx) → record (write tx).
#include "notify/push_dispatcher.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "app/canonical_json.hpp"
#include "app/context.hpp"
#include "app/crypto.hpp"
#include "app/notice_text.hpp"
#include "app/notices.hpp"
#include "app/push.hpp"
#include "notify/dispatcher.hpp"

namespace bookstamp::notify {
namespace {

struct Claimed {
  std::int64_t send_id;
  std::int64_t delivery_id;
  std::int64_t subscription_id;
  int attempts;  // including this one
  std::string token;
  std::string endpoint;
  std::string p256dh;  // raw
  std::string auth;    // raw
  std::string payload;  // JSON text, encrypted at send time
  std::string urgency;
};

void LogAttempt(SqlTx& tx, std::int64_t delivery_id, std::int64_t at, const char* outcome, const std::string& detail) {
  tx.Exec("INSERT INTO delivery_attempts(delivery_id, at, outcome, detail) VALUES (?,?,?,?)",
          {delivery_id, at, std::string(outcome), detail});
}

// The notice-level push row follows its sends: pending while any may still go, then sent when any
// browser got it, skipped when none was tried, else failed.
void Summarise(SqlTx& tx, std::int64_t delivery_id) {
  auto r = tx.QueryOne(
      "SELECT SUM(status IN ('pending','sending')), SUM(status = 'sent'), SUM(status = 'failed'), MAX(attempts), "
      "MAX(sent_at), MIN(CASE WHEN status = 'pending' THEN next_attempt_at END) FROM push_sends WHERE delivery_id = ?",
      {delivery_id});
  const auto open = r->OptInt(0).value_or(0), sent = r->OptInt(1).value_or(0), failed = r->OptInt(2).value_or(0);
  std::string status = open > 0 ? "pending" : sent > 0 ? "sent" : failed > 0 ? "failed" : "skipped";
  tx.Exec(
      "UPDATE deliveries SET status = ?, attempts = ?, sent_at = ?, next_attempt_at = COALESCE(?, next_attempt_at) "
      "WHERE id = ?",
      {status, r->OptInt(3).value_or(0), SqlOpt(r->OptInt(4)), SqlOpt(r->OptInt(5)), delivery_id});
}

// Cuts UTF-8 text to at most `max` bytes on a character boundary.
std::string Clip(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s + "…";
}

// Things the patron should see soon get "high" (RFC 8030 §5.3); the rest may wait for the phone.
std::string UrgencyFor(const std::string& kind) {
  if (kind == "hold_ready" || kind == "pickup_ending" || kind == "overdue" || kind == "suspension") return "high";
  if (kind == "pin_changed") return "high";
  return "normal";
}

}  // namespace

PushOutcome ClassifyPushStatus(long status) {
  if (status == 200 || status == 201 || status == 202) return PushOutcome::kDelivered;
  if (status == 404 || status == 410) return PushOutcome::kGone;
  if (status == 0 || status == 408 || status == 429 || (status >= 500 && status < 600)) return PushOutcome::kRetry;
  return PushOutcome::kRejected;
}

std::optional<std::string> PushOrigin(const std::string& endpoint) {
  auto scheme_end = endpoint.find("://");
  if (scheme_end == std::string::npos || scheme_end == 0) return std::nullopt;
  auto scheme = endpoint.substr(0, scheme_end);
  auto rest = endpoint.substr(scheme_end + 3);
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty()) return std::nullopt;
  // The default port is not part of the serialized origin.
  const std::string default_port = scheme == "https" ? ":443" : scheme == "http" ? ":80" : "";
  if (!default_port.empty() && authority.ends_with(default_port) && authority.find(']') == std::string::npos)
    authority.resize(authority.size() - default_port.size());
  for (auto& c : authority) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return scheme + "://" + authority;
}

std::string NoticeUrl(const std::string& kind) {
  if (kind.starts_with("redemption_") || kind == "code_expiring") return "/passbook/redemptions";
  if (kind.starts_with("event_")) return "/events";
  if (kind == "lottery_won") return "/passbook";
  if (kind == "pin_changed") return "/account";
  if (kind == "hold_ready" || kind == "pickup_ending" || kind == "due_soon" || kind == "overdue" ||
      kind == "suspension" || kind == "reserve_suspended")
    return "/study";
  return "/";
}

std::string PushPayload(std::int64_t notice_id, const std::string& kind, const std::string& payload_json,
                        const std::string& lang, const std::string& base_url) {
  auto text = RenderNotice(kind, payload_json, lang);
  JsonObject payload{{"title", Clip(text.title, 200)},
                     {"body", Clip(text.text, 1500)},
                     {"url", base_url + NoticeUrl(kind)},
                     {"notice_id", notice_id},
                     {"tag", fmt::format("notice-{}", notice_id)}};
  return Canonical(JsonValue(payload));
}

P256KeyPair EnsureVapidKey(Store& store, const Clock& clock, const TimeZone& tz) {
  StoredVapidKey stored;
  store.Write([&](SqlTx& tx) {
    if (auto k = LoadVapidKey(tx)) {
      stored = *k;
      return TxOutcome::kCommit;
    }
    auto fresh = GenerateP256KeyPair();
    Env env{clock, tz};
    stored = StoreVapidKeyIfAbsent(tx, env, {crypto::Base64Url(fresh.private_key), crypto::Base64Url(fresh.public_key)});
    return TxOutcome::kCommit;
  });
  auto priv = crypto::FromBase64Url(stored.private_key);
  auto pub = crypto::FromBase64Url(stored.public_key);
  if (!priv || priv->size() != 32 || !pub || pub->size() != 65)
    throw std::runtime_error("push_vapid_keys holds a malformed key");
  return {*priv, *pub};
}

PushDispatcher::PushDispatcher(Store& store, const Clock& clock, PushTransport& transport, P256KeyPair vapid_key,
                               PushOptions options)
    : store_(store), clock_(clock), transport_(transport), vapid_key_(std::move(vapid_key)), options_(std::move(options)) {}

int PushDispatcher::RunOnce() {
  std::vector<Claimed> claimed;
  store_.Write([&](SqlTx& tx) {
    claimed.clear();
    const auto now = ToMillis(clock_.Now());
    auto rows = tx.Query(
        "SELECT ps.id, ps.delivery_id, ps.attempts, s.id, s.endpoint, s.p256dh, s.auth, n.id, n.card, n.kind, "
        "n.payload, COALESCE(a.lang, 'zh-TW'), n.created_at FROM push_sends ps JOIN deliveries d ON d.id = ps.delivery_id "
        "JOIN notices n ON n.id = d.notice_id JOIN cards c ON c.number = n.card "
        "LEFT JOIN accounts a ON a.id = c.account_id LEFT JOIN push_subscriptions s ON s.id = ps.subscription_id "
        "WHERE (ps.status = 'pending' AND ps.next_attempt_at <= ?) OR (ps.status = 'sending' AND ps.lease_until <= ?) "
        "ORDER BY ps.next_attempt_at, ps.id LIMIT ?",
        {now, now, std::int64_t{options_.batch}});
    for (const auto& r : rows) {
      const auto send = r.Int(0), delivery = r.Int(1);
      const int attempts = static_cast<int>(r.Int(2));
      const auto kind = r.Text(9);
      auto close = [&](const char* status, const char* outcome, const std::string& why) {
        tx.Exec("UPDATE push_sends SET status = ?, last_error = ?, lease_until = NULL, claim_token = NULL WHERE id = ?",
                {std::string(status), why, send});
        LogAttempt(tx, delivery, now, outcome, fmt::format("push {}: {}", send, why));
        Summarise(tx, delivery);
      };
      if (!r.OptInt(3)) {
        close("skipped", "skipped", "subscription removed");
        continue;
      }
      if (!NoticeWanted(tx, CardNumber(r.Text(8)), kind, "push")) {
        close("skipped", "skipped", "turned off by the patron");
        continue;
      }
      if (attempts >= options_.max_attempts) {
        close("failed", "error", "no answer within the allowed attempts");
        continue;
      }
      // A push service would drop it after the TTL anyway; news that old is only noise (the inbox has it).
      if (now - r.Int(12) > std::chrono::duration_cast<std::chrono::milliseconds>(options_.ttl).count()) {
        close("skipped", "skipped", "older than the push TTL");
        continue;
      }
      auto p256dh = crypto::FromBase64Url(r.Text(5));
      auto auth = crypto::FromBase64Url(r.Text(6));
      if (!p256dh || !auth) {
        close("failed", "error", "malformed subscription keys");
        continue;
      }
      Claimed c{send,      delivery, r.Int(3), attempts + 1, crypto::Hex(crypto::RandomBytes(12)),
                r.Text(4), *p256dh,  *auth,    PushPayload(r.Int(7), kind, r.Text(10), r.Text(11), options_.base_url),
                UrgencyFor(kind)};
      tx.Exec("UPDATE push_sends SET status = 'sending', attempts = ?, lease_until = ?, claim_token = ? WHERE id = ?",
              {std::int64_t{c.attempts}, now + options_.lease.count(), c.token, send});
      tx.Exec("UPDATE deliveries SET status = 'sending', attempts = MAX(attempts, ?) WHERE id = ?",
              {std::int64_t{c.attempts}, delivery});
      claimed.push_back(std::move(c));
    }
    return TxOutcome::kCommit;
  });

  int delivered = 0;
  for (const auto& c : claimed) {
    PushResponse response;
    std::string detail;
    auto body = EncryptWebPush(c.payload, c.p256dh, c.auth);
    auto origin = PushOrigin(c.endpoint);
    // The push service checks exp against its own clock, so this is wall time even under a test clock.
    const auto expires =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
        12 * 3600;
    auto vapid = origin ? VapidAuthorization(vapid_key_, *origin, options_.subject, expires) : std::nullopt;
    PushOutcome outcome;
    if (!body || !vapid) {
      outcome = PushOutcome::kRejected;
      detail = !body ? "cannot encrypt for this subscription's keys" : "cannot sign VAPID for this endpoint";
    } else {
      PushRequest request{c.endpoint,
                          {{"Content-Type", "application/octet-stream"},
                           {"Content-Encoding", "aes128gcm"},
                           {"TTL", std::to_string(options_.ttl.count())},
                           {"Urgency", c.urgency},
                           {"Authorization", *vapid}},
                          *body};
      response = transport_.Post(request);
      outcome = response.refused_address ? PushOutcome::kRejected : ClassifyPushStatus(response.status);
      detail = response.status ? fmt::format("HTTP {}", response.status) : response.error;
    }
    store_.Write([&](SqlTx& tx) {
      const auto now = ToMillis(clock_.Now());
      // Only the holder of the lease records; one that lost it to a takeover stays quiet.
      if (!tx.QueryOne("SELECT 1 FROM push_sends WHERE id = ? AND status = 'sending' AND claim_token = ?",
                       {c.send_id, c.token}))
        return TxOutcome::kRollback;
      const auto what = fmt::format("push {} to {}: {}", c.send_id, PushOrigin(c.endpoint).value_or("?"), detail);
      switch (outcome) {
        case PushOutcome::kDelivered:
          tx.Exec("UPDATE push_sends SET status = 'sent', sent_at = ?, last_error = NULL, lease_until = NULL, "
                  "claim_token = NULL WHERE id = ?",
                  {now, c.send_id});
          tx.Exec("UPDATE push_subscriptions SET last_success_at = ?, failures = 0 WHERE id = ?",
                  {now, c.subscription_id});
          LogAttempt(tx, c.delivery_id, now, "sent", what);
          break;
        case PushOutcome::kGone:
          // The browser unsubscribed or the service forgot it: this send is over, and so is the
          // subscription (its other unsent pushes are skipped when claimed).
          tx.Exec("UPDATE push_sends SET status = 'failed', last_error = ?, lease_until = NULL, claim_token = NULL "
                  "WHERE id = ?",
                  {detail + ": subscription removed", c.send_id});
          tx.Exec("DELETE FROM push_subscriptions WHERE id = ?", {c.subscription_id});
          LogAttempt(tx, c.delivery_id, now, "error", what + "; subscription removed");
          break;
        case PushOutcome::kRetry:
        case PushOutcome::kRejected: {
          const bool give_up = outcome == PushOutcome::kRejected || c.attempts >= options_.max_attempts;
          auto delay = RetryDelay(c.attempts, options_.retry_base, options_.retry_max);
          // A service that says when to come back is not asked sooner (at most a day later).
          if (response.retry_after)
            delay = std::max(delay, std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::min<std::chrono::seconds>(*response.retry_after, std::chrono::hours(24))));
          const auto next = now + delay.count();
          tx.Exec("UPDATE push_sends SET status = ?, next_attempt_at = ?, last_error = ?, lease_until = NULL, "
                  "claim_token = NULL WHERE id = ?",
                  {std::string(give_up ? "failed" : "pending"), next, detail, c.send_id});
          tx.Exec("UPDATE push_subscriptions SET failures = failures + 1 WHERE id = ?", {c.subscription_id});
          LogAttempt(tx, c.delivery_id, now, "error", what);
          break;
        }
      }
      Summarise(tx, c.delivery_id);
      return TxOutcome::kCommit;
    });
    if (outcome == PushOutcome::kDelivered) ++delivered;
  }
  return delivered;
}

}  // namespace bookstamp::notify
