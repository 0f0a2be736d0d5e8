// GET /transparency (public, PRODUCT.md X4) and the audit log viewer's list (A6).
#include <fmt/format.h>

#include "app/audit.hpp"
#include "app/authz.hpp"
#include "app/lottery.hpp"
#include "app/transparency.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {
namespace {

json::object CheckpointJson(const Checkpoint& c) {
  return {{"seq", c.seq}, {"hash", c.hash}, {"at", c.at}, {"public_key", c.public_key}, {"signature", c.signature}};
}

}  // namespace

void AddTransparencyRoutes(ApiRouter& r, ApiDeps& d) {
  r.Add("GET", "/api/v1/transparency", [&d](Request&) -> awaitable<Response> {
    auto env = EnvOf(d);
    auto [t, lotteries] = co_await Read(d.store, [&](SqlTx& tx) {
      return std::make_pair(LoadTransparency(tx, env), ListLotteries(tx, false));
    });
    json::array proofs;
    for (const auto& l : lotteries) {
      if (l.status == "defined") continue;
      auto opt = [](const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); };
      json::array winners;
      for (const auto& r : l.results)
        winners.push_back(json::object{{"token", r.token},
                                       {"status", r.status},
                                       {"reason", opt(r.reason)},
                                       {"prize", r.prize_position ? json::value(l.prizes.at(*r.prize_position).name)
                                                                  : json::value(nullptr)}});
      proofs.push_back(json::object{{"id", l.id},
                                    {"title", l.title},
                                    {"status", l.status},
                                    {"entries", l.entries},
                                    {"list_url", fmt::format("/api/v1/lotteries/{}/list", l.id)},
                                    {"list_sha256", opt(l.list_hash)},
                                    {"secret_sha256", opt(l.secret_hash)},
                                    {"public_value_name", l.public_value_name},
                                    {"public_value", opt(l.public_value)},
                                    {"secret", opt(l.secret)},
                                    {"results", winners}});
    }
    json::array branches;
    for (const auto& b : t.branches) {
      json::array prizes;
      for (const auto& p : b.prizes)
        prizes.push_back(json::object{{"id", p.id},
                                      {"name", p.name},
                                      {"cost", p.cost},
                                      {"stock", p.stock_total},
                                      {"stock_left", p.stock_left}});
      branches.push_back(json::object{{"branch", b.code}, {"name", b.name}, {"prizes", prizes}});
    }
    json::array checkpoints;
    for (const auto& c : t.checkpoints) checkpoints.push_back(CheckpointJson(c));
    Response res = JsonResponse(
        200, json::object{{"points",
                           json::object{{"issued", t.points_issued},
                                        {"issued_for_loans", t.points_from_loans},
                                        {"issued_for_events", t.points_from_events},
                                        {"redeemed", t.points_redeemed},
                                        {"opening_balances", t.points_opening},
                                        {"outstanding", t.points_outstanding}}},
                          {"prizes_by_branch", branches},
                          {"audit", json::object{{"entries", t.audit_entries},
                                                 {"head", t.audit_head},
                                                 {"checkpoints", checkpoints}}},
                          {"lotteries", proofs},
                          {"generated_at", d.tz.Rfc3339(d.clock.Now())}});
    res.headers.emplace_back("Cache-Control", "public, max-age=10");
    co_return res;
  });

  r.Add("GET", "/api/v1/audit", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    OrThrow(Authorize(actor, Permission::kAuditRead));
    std::string sql = "SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log WHERE 1 = 1";
    std::vector<SqlValue> params;
    for (const char* f : {"actor", "action", "subject"}) {
      auto v = req.Query(f);
      if (v.empty()) continue;
      if (v.size() > 200) ThrowInvalid(f, "too_long");
      // A trailing * matches a prefix ("circulation.*", "loan:*").
      if (v.back() == '*') {
        sql += fmt::format(" AND substr({}, 1, ?) = ?", f);
        v.pop_back();
        params.push_back(static_cast<std::int64_t>(v.size()));
        params.push_back(v);
      } else {
        sql += fmt::format(" AND {} = ?", f);
        params.push_back(v);
      }
    }
    auto number = [&](const char* name, std::int64_t fallback, std::int64_t lo, std::int64_t hi) -> std::int64_t {
      auto s = req.Query(name);
      if (s.empty()) return fallback;
      if (s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) ThrowInvalid(name, "not_integer");
      auto v = std::stoll(s);
      if (v < lo || v > hi) ThrowInvalid(name, "out_of_range");
      return v;
    };
    auto before = number("before_seq", 0, 0, INT64_MAX / 2);
    auto limit = number("limit", 100, 1, 1000);
    if (before > 0) sql += " AND seq < ?", params.push_back(before);
    sql += " ORDER BY seq DESC LIMIT ?";
    params.push_back(limit);
    auto entries = co_await Read(d.store, [&](SqlTx& tx) {
      json::array arr;
      for (const auto& row : tx.Query(sql, params)) {
        json::value details;
        boost::system::error_code ec;
        details = json::parse(row.Text(5), ec);
        if (ec) details = row.Text(5);
        arr.push_back(json::object{{"seq", row.Int(0)},
                                   {"at", row.Text(1)},
                                   {"actor", row.Text(2)},
                                   {"action", row.Text(3)},
                                   {"subject", row.Text(4)},
                                   {"details", details},
                                   {"prev_hash", row.Text(6)},
                                   {"hash", row.Text(7)}});
      }
      return arr;
    });
    co_return JsonResponse(200, json::object{{"entries", entries}});
  });
}

}  // namespace bookstamp::http
