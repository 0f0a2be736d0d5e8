// One-time migration of balances from a previous system (RULES.md "Points": `bookstamp import
// balances FILE` writes one `opening` entry per card, once per card ever, audited, and the total
// is shown on the transparency page).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp {

struct OpeningRow {
  std::string position;  // "balances.csv line 3"
  std::string card;
  std::string points;    // as written; validated on import
};

// CSV with columns card,points (a header row naming them is optional; LF or CRLF; a UTF-8 BOM).
std::vector<OpeningRow> ParseOpeningCsv(std::string_view text, std::string_view source_name);

struct OpeningSummary {
  std::int64_t credited = 0;        // cards that got their opening entry now
  std::int64_t already = 0;         // cards that had one: never twice
  std::int64_t points = 0;          // total credited now
  std::vector<std::string> problems;  // "<position>: <reason>" (unknown card, bad number…)
};

// In one transaction: every valid row becomes an `opening` ledger entry (source key
// "opening:<card>"); a card that already has one is skipped. FORBIDDEN unless sysadmin or system.
[[nodiscard]] Result<OpeningSummary> ImportOpeningBalances(SqlTx& tx, const Env& env, const Actor& actor,
                                                          const std::vector<OpeningRow>& rows,
                                                          const std::string& source_name);

}  // namespace bookstamp
