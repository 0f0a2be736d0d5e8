// Opening balances from a previous system.
#include "app/opening_balances.hpp"

#include <fmt/format.h>

#include <charconv>

#include "app/audit.hpp"
#include "app/authz.hpp"
#include "app/ledger.hpp"
#include "app/repo.hpp"

namespace bookstamp {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::vector<OpeningRow> ParseOpeningCsv(std::string_view text, std::string_view source_name) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<OpeningRow> rows;
  std::size_t line_no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    auto comma = line.find(',');
    auto card = Trim(line.substr(0, comma));
    auto points = comma == std::string_view::npos ? std::string() : Trim(line.substr(comma + 1));
    if (card.empty() && points.empty()) continue;
    if (line_no == 1 && card == "card" && points == "points") continue;  // header
    rows.push_back({fmt::format("{} line {}", source_name, line_no), card, points});
  }
  return rows;
}

Result<OpeningSummary> ImportOpeningBalances(SqlTx& tx, const Env& env, const Actor& actor,
                                             const std::vector<OpeningRow>& rows, const std::string& source_name) {
  if (auto ok = Authorize(actor, Permission::kManagePolicy); !ok) return Fail(ok.error());
  OpeningSummary s;
  for (const auto& row : rows) {
    std::int64_t points = 0;
    auto [end, ec] = std::from_chars(row.points.data(), row.points.data() + row.points.size(), points);
    if (ec != std::errc{} || end != row.points.data() + row.points.size() || points <= 0 || points > 10000000) {
      s.problems.push_back(fmt::format("{}: points must be a whole number from 1 to 10000000", row.position));
      continue;
    }
    if (!repo::FindCard(tx, CardNumber(row.card))) {
      s.problems.push_back(fmt::format("{}: no card {}", row.position, row.card));
      continue;
    }
    auto key = "opening:" + row.card;
    if (tx.QueryOne("SELECT 1 FROM ledger WHERE source_key = ?", {key})) {
      ++s.already;  // once per card ever
      continue;
    }
    auto entry = AppendLedger(tx, env, actor, {CardNumber(row.card), LedgerKind::kOpening, points, key});
    if (!entry) return Fail(entry.error());
    ++s.credited;
    s.points += points;
  }
  AppendAudit(tx, env.Now(), env.tz,
              {actor.label, "ledger.opening_import", "import:" + source_name,
               {{"cards", s.credited},
                {"points", s.points},
                {"already_migrated", s.already},
                {"problems", static_cast<std::int64_t>(s.problems.size())}}});
  return s;
}

}  // namespace bookstamp
