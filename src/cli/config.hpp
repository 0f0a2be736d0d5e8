// The TOML configuration file (--config): time zone, policy defaults, and later SMTP and SIP2.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/admin.hpp"
#include "notify/push_dispatcher.hpp"
#include "notify/smtp_mailer.hpp"

namespace bookstamp {

// [[sip2.accounts]]: one kiosk login (API.md "SIP2 accounts (config)", docs/sip2.md).
struct Sip2AccountConfig {
  std::string username;          // 93 CN
  std::string password;          // 93 CO
  std::string branch;            // the branch the kiosk stands in (also AO)
  std::string charset = "utf-8";  // "utf-8" or "cp850"
  bool error_detection = false;  // AY/AZ checksums on answers
  std::string no_login_from;     // a kiosk address that needs no 93 login (empty: login required)
};

struct Config {
  std::string timezone = "Asia/Taipei";
  PolicyView policy_defaults;  // seeded into the database on first start
  // [smtp]: present only when the section is; then `bookstamp serve` runs the mail dispatcher.
  std::optional<notify::SmtpConfig> smtp;
  // [smtp] retry_base_seconds, retry_max_seconds, lease_seconds, poll_ms: the dispatcher's pace.
  std::chrono::milliseconds mail_retry_base = std::chrono::seconds(30);
  std::chrono::milliseconds mail_retry_max = std::chrono::hours(1);
  std::chrono::milliseconds mail_lease = std::chrono::minutes(5);
  std::chrono::milliseconds mail_poll = std::chrono::seconds(5);
  std::vector<Sip2AccountConfig> sip2_accounts;
  // [metrics]: GET /metrics answers loopback callers that were not forwarded by a proxy (unless
  // loopback = false) and callers with "Authorization: Bearer <token>" (docs/operations.md).
  std::string metrics_token;
  bool metrics_loopback = true;
  // [webauthn] rp_id, origins: what passkeys are bound to; empty: the request's Host.
  // [app] card_barcode: "code128" (default) or "code39", the mobile card's barcode.
  std::string card_barcode = "code128";
  std::string webauthn_rp_id;
  std::vector<std::string> webauthn_origins;
  // [push]: Web Push (docs/operations.md "Web Push"). On unless `enabled = false`; subject is the
  // VAPID contact, "mailto:..." or "https://...".
  bool push_enabled = true;
  // Subscriptions to this machine or the local network (http://127.0.0.1, IP literals, *.local):
  // only for a developer's or a test's push service.
  bool push_allow_local_endpoints = false;
  notify::PushOptions push;
  int push_timeout_seconds = 30;
  std::chrono::milliseconds push_poll = std::chrono::seconds(5);
};

// Reads the file; throws std::runtime_error naming the key at fault.
Config LoadConfig(const std::string& path);

}  // namespace bookstamp
