// TOML config parsing with toml++.
#include "cli/config.hpp"

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
  return c;
}

}  // namespace bookstamp
