// Reports (PRODUCT.md A3): redemptions and points per branch and period, a card's point changes,
// as data and as downloadable tables. Read by branch_admin (own branch), sysadmin and auditor.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"
#include "app/table_export.hpp"

namespace bookstamp {

struct ReportPeriod {
  std::optional<BranchCode> branch;  // nullopt: all (for branch staff: their own)
  std::optional<Date> from, to;      // local days, inclusive; default: the last 30 days up to today
};

// The period resolved and authorized: FORBIDDEN for roles without reports and for branch staff
// asking about another branch; VALIDATION_FAILED for from > to or more than 400 days.
struct ResolvedPeriod {
  std::optional<BranchCode> branch;
  Date from, to;
};
[[nodiscard]] Result<ResolvedPeriod> ResolveReportPeriod(SqlTx& tx, const Env& env, const Actor& actor,
                                                         const ReportPeriod& p);

struct RedemptionReportRow {
  std::int64_t id = 0;
  Instant created_at;
  std::optional<Instant> completed_at;
  std::string branch, branch_name;
  std::int64_t prize_id = 0;
  std::string prize_name;
  std::int64_t cost = 0;
  std::string status;  // effective: a pending one past its five minutes is "expired"
  std::string card_masked;
  std::string channel;
  std::string staff;   // who completed it ("staff:alice"), "" when not completed
};

struct RedemptionBranchTotal {
  std::string branch, branch_name;
  std::int64_t completed = 0, completed_points = 0, pending = 0, cancelled = 0, expired = 0;
};

struct RedemptionReport {
  ResolvedPeriod period;
  std::vector<RedemptionReportRow> rows;  // oldest first
  std::vector<RedemptionBranchTotal> totals;
};

// Redemptions requested in the period.
[[nodiscard]] Result<RedemptionReport> RedemptionsReport(SqlTx& tx, const Env& env, const Actor& actor,
                                                         const ReportPeriod& p);

struct PointsDay {
  std::string branch, branch_name;  // "" / "" for entries without a branch
  Date day;
  std::int64_t issued_loans = 0, issued_events = 0;
  std::int64_t redeemed = 0, registrations = 0, refunds = 0;
  std::int64_t issued() const { return issued_loans + issued_events; }
  std::int64_t spent() const { return redeemed + registrations - refunds; }
};

struct PointsReport {
  ResolvedPeriod period;
  std::vector<PointsDay> days;      // per branch and day, by branch then day
  std::vector<PointsDay> branches;  // per branch over the period (day = period.from)
  PointsDay total;                  // everything in the report
};

[[nodiscard]] Result<PointsReport> PointsReportFor(SqlTx& tx, const Env& env, const Actor& actor,
                                                   const ReportPeriod& p);

struct CardPointsRow {
  std::int64_t id = 0;
  Instant at;
  Date day;
  std::string kind;
  std::int64_t delta = 0;
  std::int64_t balance_after = 0;
  std::string branch;  // "" when none
};

struct CardPointsReport {
  std::string card_masked;
  Date from, to;
  std::int64_t earned = 0, spent = 0, balance = 0;
  std::vector<CardPointsRow> rows;  // oldest first; points and dates only, never titles (RULES.md Privacy)
};

// Any staff with reports may look up a card; CARD_NOT_FOUND when there is none.
[[nodiscard]] Result<CardPointsReport> CardPointsReportFor(SqlTx& tx, const Env& env, const Actor& actor,
                                                           const CardNumber& card, std::optional<Date> from,
                                                           std::optional<Date> to);

// The language of a download's headings, sheet names and labels (codes stay as they are).
enum class ReportLang { kZhTw, kEn };

// The downloads: the first table is the list (the CSV), the rest are extra XLSX sheets.
std::vector<Table> ReportTables(const RedemptionReport& r, const TimeZone& tz, ReportLang lang = ReportLang::kZhTw);
std::vector<Table> ReportTables(const PointsReport& r, ReportLang lang = ReportLang::kZhTw);
std::vector<Table> ReportTables(const CardPointsReport& r, const TimeZone& tz, ReportLang lang = ReportLang::kZhTw);

// "redemptions_A_2026-03-01_2026-03-31" (no extension).
std::string ReportFileName(std::string_view what, const std::optional<BranchCode>& branch, Date from, Date to);

}  // namespace bookstamp
