// TOML config parsing with toml++.
#include "cli/config.hpp"

#include <cctype>

#include <fmt/format.h>

#include <toml++/toml.h>

namespace bookstamp {
namespace {

void ReadInt(const toml::table& t, const char* key, int& out, const std::string& where) {
  if (auto node = t[key]) {
    auto v = node.value<std::int64_t>();
    if (!v || *v < 0) throw std::runtime_error(fmt::format("{}.{} must be a non-negative integer", where, key));
    out = static_cast<int>(*v);
  }
}

void ReadCardPolicy(const toml::table& root, const char* type, CardPolicy& p) {
  auto* t = root["policy"][type].as_table();
  if (!t) return;
  std::string where = fmt::format("policy.{}", type);
  ReadInt(*t, "max_loans", p.max_loans, where);
  ReadInt(*t, "loan_days", p.loan_days, where);
  ReadInt(*t, "max_renewals", p.max_renewals, where);
  ReadInt(*t, "max_holds", p.max_holds, where);
  if (auto e = (*t)["earns_points"].value<bool>()) p.earns_points = *e;
}

}  // namespace

Config LoadConfig(const std::string& path) {
  Config c;
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(fmt::format("{}: {}", path, e.description()));
  }
  if (auto tz = root["library"]["timezone"].value<std::string>()) c.timezone = *tz;
  auto& lib = c.policy_defaults.library;
  ReadCardPolicy(root, "personal", lib.personal);
  ReadCardPolicy(root, "family", lib.family);
  ReadCardPolicy(root, "group", lib.group);
  if (auto* h = root["policy"]["holds"].as_table()) {
    ReadInt(*h, "pickup_days", lib.pickup_days, "policy.holds");
    ReadInt(*h, "no_show_limit", lib.no_show_limit, "policy.holds");
    ReadInt(*h, "no_show_window_days", lib.no_show_window_days, "policy.holds");
    ReadInt(*h, "no_show_suspension_days", lib.no_show_suspension_days, "policy.holds");
  }
  auto& pts = c.policy_defaults.points;
  if (auto* p = root["points"].as_table()) {
    ReadInt(*p, "daily_cap", pts.daily_cap, "points");
    ReadInt(*p, "monthly_cap", pts.monthly_cap, "points");
    if (auto* per = (*p)["per_loan"].as_table()) {
      ReadInt(*per, "counter", pts.per_loan_counter, "points.per_loan");
      ReadInt(*per, "kiosk", pts.per_loan_kiosk, "points.per_loan");
      ReadInt(*per, "mobile", pts.per_loan_mobile, "points.per_loan");
    }
    if (auto* types = (*p)["no_points_item_types"].as_array()) {
      pts.no_points_item_types.clear();
      for (const auto& v : *types) {
        auto s = v.value<std::string>();
        if (!s) throw std::runtime_error("points.no_points_item_types must be strings");
        pts.no_points_item_types.insert(*s);
      }
    }
  }
  if (auto* t = root["metrics"].as_table()) {
    if (auto node = (*t)["token"]) {
      auto v = node.value<std::string>();
      if (!v || v->size() < 16) throw std::runtime_error("metrics.token must be a string of at least 16 characters");
      c.metrics_token = *v;
    }
    if (auto node = (*t)["loopback"]) {
      auto v = node.value<bool>();
      if (!v) throw std::runtime_error("metrics.loopback must be true or false");
      c.metrics_loopback = *v;
    }
  }
  if (auto* t = root["smtp"].as_table()) {
    notify::SmtpConfig smtp;
    auto text = [&](const char* key, std::string& out) {
      if (auto node = (*t)[key]) {
        auto v = node.value<std::string>();
        if (!v) throw std::runtime_error(fmt::format("smtp.{} must be a string", key));
        out = *v;
      }
    };
    text("host", smtp.host);
    text("tls", smtp.tls);
    text("username", smtp.username);
    text("password", smtp.password);
    text("from", smtp.from);
    text("from_name", smtp.from_name);
    ReadInt(*t, "port", smtp.port, "smtp");
    ReadInt(*t, "timeout_seconds", smtp.timeout_seconds, "smtp");
    if (smtp.tls != "none" && smtp.tls != "starttls" && smtp.tls != "tls")
      throw std::runtime_error("smtp.tls must be none, starttls or tls");
    if (smtp.from.empty() || smtp.from.find('@') == std::string::npos)
      throw std::runtime_error("smtp.from must be an e-mail address");
    if (smtp.port <= 0 || smtp.port > 65535) throw std::runtime_error("smtp.port must be 1-65535");
    int base = 30, max = 3600, lease = 300, poll_ms = 5000;
    ReadInt(*t, "retry_base_seconds", base, "smtp");
    ReadInt(*t, "retry_max_seconds", max, "smtp");
    ReadInt(*t, "lease_seconds", lease, "smtp");
    ReadInt(*t, "poll_ms", poll_ms, "smtp");
    if (base < 1 || max < base) throw std::runtime_error("smtp.retry_base_seconds must be >= 1 and <= retry_max_seconds");
    if (lease <= smtp.timeout_seconds) throw std::runtime_error("smtp.lease_seconds must exceed smtp.timeout_seconds");
    c.mail_retry_base = std::chrono::seconds(base);
    c.mail_retry_max = std::chrono::seconds(max);
    c.mail_lease = std::chrono::seconds(lease);
    c.mail_poll = std::chrono::milliseconds(std::max(poll_ms, 50));
    c.smtp = std::move(smtp);
  }
  // The VAPID contact defaults to the library's mail sender when there is one.
  if (c.smtp) c.push.subject = "mailto:" + c.smtp->from;
  if (auto* t = root["push"].as_table()) {
    auto text = [&](const char* key, std::string& out) {
      if (auto node = (*t)[key]) {
        auto v = node.value<std::string>();
        if (!v) throw std::runtime_error(fmt::format("push.{} must be a string", key));
        out = *v;
      }
    };
    if (auto node = (*t)["enabled"]) {
      auto v = node.value<bool>();
      if (!v) throw std::runtime_error("push.enabled must be true or false");
      c.push_enabled = *v;
    }
    if (auto node = (*t)["allow_local_endpoints"]) {
      auto v = node.value<bool>();
      if (!v) throw std::runtime_error("push.allow_local_endpoints must be true or false");
      c.push_allow_local_endpoints = *v;
    }
    text("subject", c.push.subject);
    text("base_url", c.push.base_url);
    if (!c.push.subject.starts_with("mailto:") && !c.push.subject.starts_with("https://"))
      throw std::runtime_error("push.subject must start with mailto: or https://");
    if (!c.push.base_url.empty() && !c.push.base_url.starts_with("https://") && !c.push.base_url.starts_with("http://"))
      throw std::runtime_error("push.base_url must be an http(s) URL");
    while (c.push.base_url.ends_with('/')) c.push.base_url.pop_back();
    int ttl = 86400, base = 30, max = 3600, lease = 300, poll_ms = 5000;
    ReadInt(*t, "ttl_seconds", ttl, "push");
    ReadInt(*t, "timeout_seconds", c.push_timeout_seconds, "push");
    ReadInt(*t, "retry_base_seconds", base, "push");
    ReadInt(*t, "retry_max_seconds", max, "push");
    ReadInt(*t, "lease_seconds", lease, "push");
    ReadInt(*t, "poll_ms", poll_ms, "push");
    if (ttl > 28 * 86400) throw std::runtime_error("push.ttl_seconds must be at most 28 days");
    if (base < 1 || max < base) throw std::runtime_error("push.retry_base_seconds must be >= 1 and <= retry_max_seconds");
    if (c.push_timeout_seconds < 1) throw std::runtime_error("push.timeout_seconds must be >= 1");
    if (lease <= c.push_timeout_seconds) throw std::runtime_error("push.lease_seconds must exceed push.timeout_seconds");
    c.push.ttl = std::chrono::seconds(ttl);
    c.push.retry_base = std::chrono::seconds(base);
    c.push.retry_max = std::chrono::seconds(max);
    c.push.lease = std::chrono::seconds(lease);
    c.push_poll = std::chrono::milliseconds(std::max(poll_ms, 50));
  }
  if (auto* accounts = root["sip2"]["accounts"].as_array()) {
    for (std::size_t i = 0; i < accounts->size(); ++i) {
      auto where = fmt::format("sip2.accounts[{}]", i);
      auto* t = (*accounts)[i].as_table();
      if (!t) throw std::runtime_error(where + " must be a table");
      Sip2AccountConfig a;
      auto text = [&](const char* key, std::string& out, bool required) {
        auto node = (*t)[key];
        if (!node) {
          if (required) throw std::runtime_error(fmt::format("{}.{} is required", where, key));
          return;
        }
        auto v = node.value<std::string>();
        if (!v || v->empty()) throw std::runtime_error(fmt::format("{}.{} must be a non-empty string", where, key));
        out = *v;
      };
      text("username", a.username, true);
      text("password", a.password, true);
      text("branch", a.branch, true);
      text("charset", a.charset, false);
      text("no_login_from", a.no_login_from, false);
      for (auto& ch : a.charset) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (a.charset == "utf8") a.charset = "utf-8";
      if (a.charset != "utf-8" && a.charset != "cp850")
        throw std::runtime_error(where + ".charset must be \"utf-8\" or \"cp850\"");
      if (auto node = (*t)["error_detection"]) {
        auto v = node.value<bool>();
        if (!v) throw std::runtime_error(where + ".error_detection must be true or false");
        a.error_detection = *v;
      }
      for (const auto& other : c.sip2_accounts)
        if (other.username == a.username) throw std::runtime_error(where + ".username is repeated");
      c.sip2_accounts.push_back(std::move(a));
    }
  } else if (root["sip2"]["accounts"]) {
    throw std::runtime_error("sip2.accounts must be an array of tables ([[sip2.accounts]])");
  }
  if (auto* a = root["app"].as_table()) {
    // The symbology of the mobile library card: what the library's counter scanners read.
    if (auto node = (*a)["card_barcode"]) {
      auto v = node.value<std::string>();
      if (!v || (*v != "code128" && *v != "code39"))
        throw std::runtime_error("app.card_barcode must be \"code128\" or \"code39\"");
      c.card_barcode = *v;
    }
  }
  if (auto* w = root["webauthn"].as_table()) {
    // Passkeys (docs/operations.md "Passkeys"): the RP ID is a host name; origins are full origins.
    if (auto node = (*w)["rp_id"]) {
      auto v = node.value<std::string>();
      if (!v || v->empty() || v->find_first_of(":/ ") != std::string::npos)
        throw std::runtime_error("webauthn.rp_id must be a host name, like \"library.example.org\"");
      c.webauthn_rp_id = *v;
    }
    if (auto node = (*w)["origins"]) {
      auto* arr = node.as_array();
      if (!arr) throw std::runtime_error("webauthn.origins must be an array of strings");
      for (const auto& o : *arr) {
        auto v = o.value<std::string>();
        if (!v || !(v->starts_with("https://") || v->starts_with("http://localhost")) || v->ends_with("/"))
          throw std::runtime_error("webauthn.origins must be origins like \"https://library.example.org\"");
        c.webauthn_origins.push_back(*v);
      }
    }
  }
  return c;
}

}  // namespace bookstamp
