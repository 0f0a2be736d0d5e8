// The points ledger (RULES.md "Points"): entries with unique source keys, balances kept by the database.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"
#include "domain/points.hpp"

namespace bookstamp {

enum class LedgerKind { kLoan, kEvent, kRedemption, kRefund, kRegistration, kTransferOut, kTransferIn, kOpening };
std::string_view ToString(LedgerKind k);

struct LedgerEntryInput {
  CardNumber card;
  LedgerKind kind;
  std::int64_t delta;       // > 0 credits, < 0 debits (the database checks the sign per kind)
  std::string source_key;   // "loan:42", "redemption:7", ...
  std::optional<std::int64_t> refers_to;
  std::optional<LoanId> loan;
  std::optional<BranchCode> branch;
};

struct PointsOutcome {
  int credited = 0;
  std::optional<ErrorCode> reason;  // null when credited
  std::int64_t balance = 0;
};

struct LedgerEntryResult {
  std::int64_t id = 0;
  std::int64_t balance_after = 0;
};

// Appends an entry and audits it, in the caller's transaction. INSUFFICIENT_POINTS when a debit
// would take the balance below zero. A repeated source key throws ConstraintViolation.
[[nodiscard]] Result<LedgerEntryResult> AppendLedger(SqlTx& tx, const Env& env, const Actor& actor,
                                                     const LedgerEntryInput& in);

struct Balance {
  std::int64_t balance = 0;
  std::int64_t lifetime_earned = 0;
};
Balance BalanceOf(SqlTx& tx, const CardNumber& card);

PointsPolicy LoadPointsPolicy(SqlTx& tx);
void SavePointsPolicy(SqlTx& tx, const PointsPolicy& p);

// Credits a checkout's points (RULES.md exclusions and caps), in the checkout's transaction.
PointsOutcome CreditLoan(SqlTx& tx, const Env& env, const Actor& actor, const Card& card, const CardPolicy& policy,
                         const Loan& loan, const Item& item);

struct PassbookEntry {
  std::int64_t id = 0;
  Instant at;
  std::int64_t delta = 0;
  std::int64_t balance_after = 0;
  std::string kind;
  std::string source_key;
  std::optional<std::string> title;  // the loan's title while the card keeps its reading history
  std::optional<BranchCode> branch;
};

struct PassbookPeriod {
  std::int64_t earned = 0;  // loan + event credits
  std::int64_t spent = 0;   // redemption + registration debits minus their refunds
  std::vector<PassbookEntry> entries;  // newest first
};

// Entries of the card whose local day is in [from, to].
PassbookPeriod PassbookFor(SqlTx& tx, const CardNumber& card, Date from, Date to);

struct LedgerVerification {
  bool ok = true;
  std::int64_t cards = 0;
  std::int64_t entries = 0;
  std::optional<std::string> first_bad_card;
  std::optional<std::int64_t> first_bad_entry;
  std::string reason;
};
// Proves, for every card, that the entries add up to the balance.
LedgerVerification VerifyLedger(SqlTx& tx);

}  // namespace bookstamp
