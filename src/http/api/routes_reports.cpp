// GET /reports/redemptions, /reports/points, /reports/card-points (PRODUCT.md A3): JSON, or a
// CSV / XLSX download of the same data.
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "app/reports.hpp"
#include "app/xlsx_export.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {
namespace {

enum class Format { kJson, kCsv, kXlsx };

Format FormatParam(const Request& req) {
  auto f = req.Query("format");
  if (f.empty() || f == "json") return Format::kJson;
  if (f == "csv") return Format::kCsv;
  if (f == "xlsx") return Format::kXlsx;
  ThrowInvalid("format", "bad_format");
}

std::optional<Date> DateParam(const Request& req, const char* name) {
  auto s = req.Query(name);
  if (s.empty()) return std::nullopt;
  auto d = ParseDate(s);
  if (!d) ThrowInvalid(name, "bad_format");
  return d;
}

// Headings follow ?lang=en; zh-TW otherwise.
ReportLang LangParam(const Request& req) {
  auto l = req.Query("lang");
  if (l.empty() || l == "zh-TW" || l == "zh") return ReportLang::kZhTw;
  if (l == "en") return ReportLang::kEn;
  ThrowInvalid("lang", "bad_format");
}

ReportPeriod PeriodParams(const Request& req) {
  ReportPeriod p;
  auto b = req.Query("branch");
  if (!b.empty()) {
    if (b.size() > 32) ThrowInvalid("branch", "bad_format");
    p.branch = BranchCode(b);
  }
  p.from = DateParam(req, "from");
  p.to = DateParam(req, "to");
  return p;
}

json::value Opt(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

// The download: CSV is the first table; XLSX has every table as a sheet, written on the slow
// pool (libxlsxwriter goes through a temp file) so a big report never stalls the I/O thread.
awaitable<Response> Download(ApiDeps& d, Format f, std::vector<Table> tables, std::string name) {
  Response res;
  if (f == Format::kCsv) {
    res.content_type = "text/csv; charset=utf-8";
    res.body = ToCsv(tables.at(0));
  } else {
    res.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (d.slow_pool) {
      auto home = co_await boost::asio::this_coro::executor;
      co_await boost::asio::post(d.slow_pool->get_executor(), boost::asio::use_awaitable);
      std::exception_ptr error;
      try {
        res.body = ToXlsx(tables);
      } catch (...) {
        error = std::current_exception();
      }
      co_await boost::asio::post(home, boost::asio::use_awaitable);
      if (error) std::rethrow_exception(error);
    } else {
      res.body = ToXlsx(tables);
    }
  }
  auto file = name + (f == Format::kCsv ? ".csv" : ".xlsx");
  res.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"{}\"", file));
  co_return res;
}

json::object PeriodJson(const ResolvedPeriod& p) {
  return {{"branch", p.branch ? json::value(p.branch->value()) : json::value(nullptr)},
          {"from", FormatDate(p.from)},
          {"to", FormatDate(p.to)}};
}

json::object PointsJson(const PointsDay& d) {
  return {{"issued", d.issued()},          {"issued_for_loans", d.issued_loans},
          {"issued_for_events", d.issued_events}, {"redeemed", d.spent()},
          {"redemptions", d.redeemed},     {"registrations", d.registrations},
          {"refunds", d.refunds}};
}

}  // namespace

void AddReportRoutes(ApiRouter& r, ApiDeps& d) {
  r.Add("GET", "/api/v1/reports/redemptions", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto format = FormatParam(req);
    auto lang = LangParam(req);
    auto period = PeriodParams(req);
    auto env = EnvOf(d);
    auto rep = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return RedemptionsReport(tx, env, actor, period); }));
    if (format != Format::kJson)
      co_return co_await Download(d, format, ReportTables(rep, d.tz, lang),
                         ReportFileName("redemptions", rep.period.branch, rep.period.from, rep.period.to));
    json::array rows;
    for (const auto& x : rep.rows)
      rows.push_back(json::object{{"id", x.id},
                                  {"created_at", d.tz.Rfc3339(x.created_at)},
                                  {"completed_at", x.completed_at ? json::value(d.tz.Rfc3339(*x.completed_at))
                                                                  : json::value(nullptr)},
                                  {"branch", x.branch},
                                  {"branch_name", x.branch_name},
                                  {"prize_id", x.prize_id},
                                  {"prize_name", x.prize_name},
                                  {"cost", x.cost},
                                  {"status", x.status},
                                  {"card_masked", x.card_masked},
                                  {"channel", x.channel},
                                  {"staff", Opt(x.staff)}});
    json::array totals;
    std::int64_t completed = 0, points = 0;
    for (const auto& t : rep.totals) {
      totals.push_back(json::object{{"branch", t.branch},
                                    {"branch_name", t.branch_name},
                                    {"completed", t.completed},
                                    {"completed_points", t.completed_points},
                                    {"pending", t.pending},
                                    {"cancelled", t.cancelled},
                                    {"expired", t.expired}});
      completed += t.completed, points += t.completed_points;
    }
    co_return JsonResponse(200, json::object{{"period", PeriodJson(rep.period)},
                                             {"redemptions", rows},
                                             {"totals", totals},
                                             {"total", json::object{{"completed", completed},
                                                                    {"completed_points", points},
                                                                    {"count", rep.rows.size()}}}});
  });

  r.Add("GET", "/api/v1/reports/points", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto format = FormatParam(req);
    auto lang = LangParam(req);
    auto period = PeriodParams(req);
    auto env = EnvOf(d);
    auto rep = OrThrow(co_await Read(d.store, [&](SqlTx& tx) { return PointsReportFor(tx, env, actor, period); }));
    if (format != Format::kJson)
      co_return co_await Download(d, format, ReportTables(rep, lang),
                         ReportFileName("points", rep.period.branch, rep.period.from, rep.period.to));
    json::array days, branches;
    for (const auto& x : rep.days) {
      auto o = PointsJson(x);
      o["branch"] = Opt(x.branch);
      o["branch_name"] = Opt(x.branch_name);
      o["day"] = FormatDate(x.day);
      days.push_back(std::move(o));
    }
    for (const auto& x : rep.branches) {
      auto o = PointsJson(x);
      o["branch"] = Opt(x.branch);
      o["branch_name"] = Opt(x.branch_name);
      branches.push_back(std::move(o));
    }
    co_return JsonResponse(200, json::object{{"period", PeriodJson(rep.period)},
                                             {"days", days},
                                             {"branches", branches},
                                             {"total", PointsJson(rep.total)}});
  });

  r.Add("GET", "/api/v1/reports/card-points", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto format = FormatParam(req);
    auto lang = LangParam(req);
    auto card_text = req.Query("card");
    if (card_text.empty()) ThrowInvalid("card", "required");
    if (card_text.size() > 64) ThrowInvalid("card", "bad_format");
    CardNumber card(card_text);
    auto from = DateParam(req, "from");
    auto to = DateParam(req, "to");
    auto env = EnvOf(d);
    auto rep = OrThrow(
        co_await Read(d.store, [&](SqlTx& tx) { return CardPointsReportFor(tx, env, actor, card, from, to); }));
    if (format != Format::kJson)
      co_return co_await Download(d, format, ReportTables(rep, d.tz, lang),
                         fmt::format("card-points_{}_{}", FormatDate(rep.from), FormatDate(rep.to)));
    json::array rows;
    for (const auto& x : rep.rows)
      rows.push_back(json::object{{"id", x.id},
                                  {"at", d.tz.Rfc3339(x.at)},
                                  {"day", FormatDate(x.day)},
                                  {"kind", x.kind},
                                  {"delta", x.delta},
                                  {"balance_after", x.balance_after},
                                  {"branch", Opt(x.branch)}});
    co_return JsonResponse(200, json::object{{"card_masked", rep.card_masked},
                                             {"from", FormatDate(rep.from)},
                                             {"to", FormatDate(rep.to)},
                                             {"earned", rep.earned},
                                             {"spent", rep.spent},
                                             {"balance", rep.balance},
                                             {"entries", rows}});
  });
}

}  // namespace bookstamp::http
