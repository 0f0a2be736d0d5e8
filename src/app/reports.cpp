#include "app/reports.hpp"

#include <fmt/format.h>

#include <cctype>
#include <map>

#include "app/authz.hpp"
#include "app/prizes.hpp"
#include "app/repo.hpp"

namespace bookstamp {
namespace {

constexpr int kMaxDays = 400;

// "2026-03-02 10:00:00" in the library's time zone: what a spreadsheet reads as a date and time.
std::string LocalTime(const TimeZone& tz, std::optional<Instant> t) {
  if (!t) return "";
  auto s = tz.Rfc3339(*t);  // 2026-03-02T10:00:00+08:00
  if (s.size() < 19) return s;
  s = s.substr(0, 19);
  s[10] = ' ';
  return s;
}

std::map<std::string, std::string> BranchNames(SqlTx& tx) {
  std::map<std::string, std::string> names;
  for (const auto& r : tx.Query("SELECT code, name FROM branches")) names[r.Text(0)] = r.Text(1);
  return names;
}

// zh-TW or English text for a heading or label.
std::string L(ReportLang lang, const char* zh, const char* en) { return lang == ReportLang::kEn ? en : zh; }

std::vector<std::string> Ls(ReportLang lang, std::vector<std::pair<const char*, const char*>> texts) {
  std::vector<std::string> out;
  for (const auto& [zh, en] : texts) out.push_back(L(lang, zh, en));
  return out;
}

std::string StatusLabel(const std::string& s, ReportLang lang) {
  if (s == "completed") return L(lang, "已兌換", "Completed");
  if (s == "pending") return L(lang, "待兌換", "Pending");
  if (s == "cancelled") return L(lang, "已取消", "Cancelled");
  if (s == "expired") return L(lang, "已逾時", "Expired");
  return s;
}

std::string KindLabel(const std::string& k, ReportLang lang) {
  static const std::map<std::string, std::pair<const char*, const char*>> labels{
      {"loan", {"借閱", "Loan"}},
      {"event", {"活動", "Event"}},
      {"redemption", {"兌換", "Redemption"}},
      {"refund", {"退還", "Refund"}},
      {"registration", {"報名", "Registration"}},
      {"transfer_out", {"轉出", "Transfer out"}},
      {"transfer_in", {"轉入", "Transfer in"}},
      {"opening", {"期初", "Opening balance"}}};
  auto it = labels.find(k);
  return it == labels.end() ? k : L(lang, it->second.first, it->second.second);
}

}  // namespace

Result<ResolvedPeriod> ResolveReportPeriod(SqlTx& tx, const Env& env, const Actor& actor, const ReportPeriod& p) {
  auto branch = p.branch;
  if (!branch && actor.IsStaff() && actor.branch) branch = actor.branch;  // branch staff: their own
  if (auto ok = Authorize(actor, Permission::kReports, branch); !ok) return Fail(ok.error());
  if (branch && !repo::FindBranch(tx, *branch)) return Fail(ErrorCode::kBranchNotFound);
  ResolvedPeriod r;
  r.branch = branch;
  r.to = p.to.value_or(env.Today());
  r.from = p.from.value_or(r.to - Days(29));
  if (r.from > r.to) return Fail(DomainError::Invalid("from", "out_of_range"));
  if ((r.to - r.from).count() >= kMaxDays) return Fail(DomainError::Invalid("to", "out_of_range"));
  return r;
}

Result<RedemptionReport> RedemptionsReport(SqlTx& tx, const Env& env, const Actor& actor, const ReportPeriod& p) {
  auto period = ResolveReportPeriod(tx, env, actor, p);
  if (!period) return Fail(period.error());
  RedemptionReport rep;
  rep.period = *period;
  auto names = BranchNames(tx);
  std::string sql =
      "SELECT r.id, r.created_at, r.completed_at, r.branch, r.prize_id, p.name, r.cost, "
      "CASE WHEN r.status = 'pending' AND r.expires_at <= ? THEN 'expired' ELSE r.status END, "
      "r.card, r.channel, COALESCE(r.completed_by, '') "
      "FROM redemptions r JOIN prizes p ON p.id = r.prize_id WHERE r.created_at >= ? AND r.created_at < ?";
  std::vector<SqlValue> params{ToMillis(env.Now()), ToMillis(env.tz.StartOfDay(period->from)),
                               ToMillis(env.tz.StartOfDay(period->to + Days(1)))};
  if (period->branch) sql += " AND r.branch = ?", params.push_back(period->branch->value());
  sql += " ORDER BY r.created_at, r.id";
  std::map<std::string, RedemptionBranchTotal> totals;
  for (const auto& row : tx.Query(sql, params)) {
    RedemptionReportRow r;
    r.id = row.Int(0);
    r.created_at = FromMillis(row.Int(1));
    if (!row.IsNull(2)) r.completed_at = FromMillis(row.Int(2));
    r.branch = row.Text(3);
    r.branch_name = names[r.branch];
    r.prize_id = row.Int(4);
    r.prize_name = row.Text(5);
    r.cost = row.Int(6);
    r.status = row.Text(7);
    r.card_masked = MaskCard(row.Text(8));
    r.channel = row.Text(9);
    r.staff = row.Text(10);
    auto& t = totals[r.branch];
    t.branch = r.branch;
    t.branch_name = r.branch_name;
    if (r.status == "completed") ++t.completed, t.completed_points += r.cost;
    else if (r.status == "pending") ++t.pending;
    else if (r.status == "cancelled") ++t.cancelled;
    else if (r.status == "expired") ++t.expired;
    rep.rows.push_back(std::move(r));
  }
  for (auto& [_, t] : totals) rep.totals.push_back(t);
  return rep;
}

Result<PointsReport> PointsReportFor(SqlTx& tx, const Env& env, const Actor& actor, const ReportPeriod& p) {
  auto period = ResolveReportPeriod(tx, env, actor, p);
  if (!period) return Fail(period.error());
  PointsReport rep;
  rep.period = *period;
  auto names = BranchNames(tx);
  std::string sql =
      "SELECT COALESCE(branch, ''), day, "
      "COALESCE(SUM(CASE WHEN kind = 'loan' THEN delta END), 0), "
      "COALESCE(SUM(CASE WHEN kind = 'event' THEN delta END), 0), "
      "COALESCE(SUM(CASE WHEN kind = 'redemption' THEN -delta END), 0), "
      "COALESCE(SUM(CASE WHEN kind = 'registration' THEN -delta END), 0), "
      "COALESCE(SUM(CASE WHEN kind = 'refund' THEN delta END), 0) "
      "FROM ledger WHERE day >= ? AND day <= ? AND kind IN ('loan', 'event', 'redemption', 'registration', 'refund')";
  std::vector<SqlValue> params{FormatDate(period->from), FormatDate(period->to)};
  if (period->branch) sql += " AND branch = ?", params.push_back(period->branch->value());
  sql += " GROUP BY COALESCE(branch, ''), day ORDER BY COALESCE(branch, ''), day";
  std::map<std::string, PointsDay> per_branch;
  rep.total.day = period->from;
  for (const auto& row : tx.Query(sql, params)) {
    PointsDay d;
    d.branch = row.Text(0);
    d.branch_name = names[d.branch];
    d.day = *ParseDate(row.Text(1));
    d.issued_loans = row.Int(2);
    d.issued_events = row.Int(3);
    d.redeemed = row.Int(4);
    d.registrations = row.Int(5);
    d.refunds = row.Int(6);
    auto add = [&](PointsDay& into) {
      into.issued_loans += d.issued_loans;
      into.issued_events += d.issued_events;
      into.redeemed += d.redeemed;
      into.registrations += d.registrations;
      into.refunds += d.refunds;
    };
    auto& b = per_branch[d.branch];
    b.branch = d.branch;
    b.branch_name = d.branch_name;
    b.day = period->from;
    add(b);
    add(rep.total);
    rep.days.push_back(std::move(d));
  }
  for (auto& [_, b] : per_branch) rep.branches.push_back(b);
  return rep;
}

Result<CardPointsReport> CardPointsReportFor(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card,
                                             std::optional<Date> from, std::optional<Date> to) {
  if (auto ok = Authorize(actor, Permission::kReports); !ok) return Fail(ok.error());
  if (!repo::FindCard(tx, card)) return Fail(ErrorCode::kCardNotFound);
  CardPointsReport rep;
  rep.card_masked = MaskCard(card.value());
  rep.to = to.value_or(env.Today());
  rep.from = from.value_or(rep.to - Days(364));
  if (rep.from > rep.to) return Fail(DomainError::Invalid("from", "out_of_range"));
  if ((rep.to - rep.from).count() >= 3 * 366) return Fail(DomainError::Invalid("to", "out_of_range"));
  // Points and dates only: no loan, title or barcode is joined in (RULES.md "Privacy").
  for (const auto& row : tx.Query("SELECT id, at, day, kind, delta, balance_after, COALESCE(branch, '') FROM ledger "
                                  "WHERE card = ? AND day >= ? AND day <= ? ORDER BY id",
                                  {card.value(), FormatDate(rep.from), FormatDate(rep.to)})) {
    CardPointsRow r;
    r.id = row.Int(0);
    r.at = FromMillis(row.Int(1));
    r.day = *ParseDate(row.Text(2));
    r.kind = row.Text(3);
    r.delta = row.Int(4);
    r.balance_after = row.Int(5);
    r.branch = row.Text(6);
    if (r.kind == "loan" || r.kind == "event") rep.earned += r.delta;
    if (r.kind == "redemption" || r.kind == "registration") rep.spent -= r.delta;
    if (r.kind == "refund") rep.spent -= r.delta;
    rep.rows.push_back(std::move(r));
  }
  auto bal = tx.QueryOne("SELECT balance FROM point_balances WHERE card = ?", {card.value()});
  rep.balance = bal ? bal->Int(0) : 0;
  return rep;
}

std::vector<Table> ReportTables(const RedemptionReport& r, const TimeZone& tz, ReportLang lang) {
  Table list{L(lang, "兌換明細", "Redemptions"),
             Ls(lang, {{"編號", "ID"},
                       {"申請時間", "Requested at"},
                       {"完成時間", "Completed at"},
                       {"分館", "Branch"},
                       {"分館名稱", "Branch name"},
                       {"獎品編號", "Prize ID"},
                       {"獎品", "Prize"},
                       {"點數", "Points"},
                       {"狀態", "Status"},
                       {"狀態代碼", "Status code"},
                       {"卡號", "Card"},
                       {"管道", "Channel"},
                       {"經辦", "Staff"}}),
             {8, 20, 20, 8, 16, 10, 28, 8, 10, 12, 14, 10, 18},
             {}};
  for (const auto& x : r.rows)
    list.rows.push_back({x.id, LocalTime(tz, x.created_at), LocalTime(tz, x.completed_at), x.branch, x.branch_name,
                         x.prize_id, x.prize_name, x.cost, StatusLabel(x.status, lang), x.status, x.card_masked,
                         x.channel, x.staff});
  Table totals{L(lang, "分館合計", "Branch totals"),
               Ls(lang, {{"分館", "Branch"},
                         {"分館名稱", "Branch name"},
                         {"已兌換件數", "Completed"},
                         {"已兌換點數", "Completed points"},
                         {"待兌換", "Pending"},
                         {"已取消", "Cancelled"},
                         {"已逾時", "Expired"}}),
               {8, 16, 12, 16, 10, 10, 10},
               {}};
  std::int64_t c = 0, pts = 0, pe = 0, ca = 0, ex = 0;
  for (const auto& t : r.totals) {
    totals.rows.push_back({t.branch, t.branch_name, t.completed, t.completed_points, t.pending, t.cancelled, t.expired});
    c += t.completed, pts += t.completed_points, pe += t.pending, ca += t.cancelled, ex += t.expired;
  }
  totals.rows.push_back({L(lang, "合計", "Total"), std::string(), c, pts, pe, ca, ex});
  return {std::move(list), std::move(totals)};
}

std::vector<Table> ReportTables(const PointsReport& r, ReportLang lang) {
  auto header = Ls(lang, {{"分館", "Branch"},
                          {"分館名稱", "Branch name"},
                          {"日期", "Date"},
                          {"借閱發點", "Issued for loans"},
                          {"活動發點", "Issued for events"},
                          {"發出合計", "Issued"},
                          {"兌換扣點", "Redeemed"},
                          {"報名扣點", "Registrations"},
                          {"退還", "Refunds"},
                          {"使用合計", "Spent"}});
  std::vector<double> widths{8, 16, 12, 10, 10, 10, 10, 10, 8, 10};
  auto cells = [](const PointsDay& d, std::string day) -> std::vector<TableCell> {
    return {d.branch, d.branch_name, std::move(day), d.issued_loans, d.issued_events, d.issued(),
            d.redeemed,  d.registrations, d.refunds, d.spent()};
  };
  Table days{L(lang, "每日點數", "Points per day"), header, widths, {}};
  for (const auto& d : r.days) days.rows.push_back(cells(d, FormatDate(d.day)));
  Table branches{L(lang, "分館合計", "Branch totals"), header, widths, {}};
  auto period = FormatDate(r.period.from) + "~" + FormatDate(r.period.to);
  for (const auto& b : r.branches) branches.rows.push_back(cells(b, period));
  auto total = cells(r.total, period);
  total[0] = L(lang, "合計", "Total");
  branches.rows.push_back(std::move(total));
  return {std::move(days), std::move(branches)};
}

std::vector<Table> ReportTables(const CardPointsReport& r, const TimeZone& tz, ReportLang lang) {
  Table list{L(lang, "點數異動", "Point changes"),
             Ls(lang, {{"編號", "ID"},
                       {"時間", "Time"},
                       {"日期", "Date"},
                       {"類別", "Kind"},
                       {"類別代碼", "Kind code"},
                       {"點數", "Points"},
                       {"餘額", "Balance"},
                       {"分館", "Branch"}}),
             {8, 20, 12, 8, 14, 8, 8, 8},
             {}};
  for (const auto& x : r.rows)
    list.rows.push_back({x.id, LocalTime(tz, x.at), FormatDate(x.day), KindLabel(x.kind, lang), x.kind, x.delta,
                         x.balance_after, x.branch});
  Table sum{L(lang, "摘要", "Summary"),
            Ls(lang, {{"卡號", "Card"}, {"起", "From"}, {"迄", "To"}, {"獲得", "Earned"}, {"使用", "Spent"},
                      {"目前餘額", "Balance now"}}),
            {14, 12, 12, 10, 10, 12},
            {}};
  sum.rows.push_back({r.card_masked, FormatDate(r.from), FormatDate(r.to), r.earned, r.spent, r.balance});
  return {std::move(list), std::move(sum)};
}

std::string ReportFileName(std::string_view what, const std::optional<BranchCode>& branch, Date from, Date to) {
  std::string b = branch ? branch->value() : "all";
  // Branch codes are letters and digits; anything else is dropped so the header stays plain.
  std::string safe;
  for (char ch : b)
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_') safe += ch;
  return fmt::format("{}_{}_{}_{}", what, safe.empty() ? "branch" : safe, FormatDate(from), FormatDate(to));
}

}  // namespace bookstamp
