// A card's life: status changes by staff, replacing a lost card (balance moved), PIN change, and the
// reading history (RULES.md "Privacy": kept while the setting is on, erasable by the patron).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp {

// Staff set a card's status (active, lost, expired, blocked), with a reason; audited.
[[nodiscard]] Result<Card> SetCardStatus(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& card,
                                         CardStatus status, const std::string& reason);

struct Replacement {
  CardNumber old_card;
  CardNumber new_card;
  std::int64_t points_moved = 0;
};
// Replaces a card (marks the old one lost): a new card of the same patron and type, the account
// link moved, and the balance moved by one transfer_out / transfer_in pair. Open loans and holds
// stay on the old card's patron record until returned: they move with the account link.
[[nodiscard]] Result<Replacement> ReplaceCard(SqlTx& tx, const Env& env, const Actor& actor, const CardNumber& old_card,
                                              const CardNumber& new_card, const std::string& pin_hash);

// After the current PIN verified: store the new hash.
void ChangePin(SqlTx& tx, const Env& env, const CardNumber& card, const std::string& pin_hash);

struct HistoryEntry {
  LoanId loan;
  std::optional<BibId> bib;
  std::optional<std::string> title;  // null once erased
  std::optional<std::string> author;
  BranchCode branch;
  Instant checked_out_at;
  std::optional<Instant> returned_at;
};

// Returned loans, newest first (titles only while the card keeps its history).
std::vector<HistoryEntry> LoanHistory(SqlTx& tx, const CardNumber& card, int limit, std::optional<std::int64_t> before);
// Turning the setting off also erases what is kept.
void SetKeepHistory(SqlTx& tx, const Env& env, const CardNumber& card, bool keep);
// Returned loans forget their item and title; points stay ("借閱 1 冊"). Returns how many. Titles
// credited today are kept apart, unshown, until the day is over, so they cannot earn again today.
std::int64_t EraseHistory(SqlTx& tx, const Env& env, const CardNumber& card);
// The sweeper: drops what EraseHistory kept for days before `day`. Returns how many.
std::int64_t ForgetErasedTitlesBefore(SqlTx& tx, Date day);
bool KeepsHistory(SqlTx& tx, const CardNumber& card);

}  // namespace bookstamp
