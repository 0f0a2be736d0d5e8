// Loading and saving domain values with the SQL port (shared by the use cases).
#pragma once
#include <map>
#include <optional>
#include <vector>

#include "app/ports/sql.hpp"
#include "domain/circulation.hpp"
#include "domain/model.hpp"

namespace bookstamp::repo {

std::optional<Card> FindCard(SqlTx& tx, const CardNumber& n);
std::optional<Branch> FindBranch(SqlTx& tx, const BranchCode& code);
std::optional<Item> FindItem(SqlTx& tx, const ItemBarcode& b);
std::optional<Item> FindItemById(SqlTx& tx, ItemId id);
std::optional<Loan> FindOpenLoanOfItem(SqlTx& tx, ItemId id);
std::optional<Loan> FindLoan(SqlTx& tx, LoanId id);
std::vector<Loan> OpenLoansOfCard(SqlTx& tx, const CardNumber& n);
// How many loans of the card are open, and the earliest due date among them (one aggregate read).
OpenLoans OpenLoansSummaryOfCard(SqlTx& tx, const CardNumber& n);
std::optional<Hold> FindHold(SqlTx& tx, HoldId id);
// The hold (in_transit or ready) this copy is trapped for.
std::optional<Hold> TrappedHoldOfItem(SqlTx& tx, ItemId id);
// The card's active (waiting, in_transit, ready) hold on a title.
std::optional<Hold> ActiveHoldOf(SqlTx& tx, const CardNumber& card, BibId bib);
std::vector<Hold> WaitingHolds(SqlTx& tx, BibId bib);
std::vector<Hold> HoldsOfCard(SqlTx& tx, const CardNumber& card, bool active_only);

LibraryPolicy LoadPolicy(SqlTx& tx);
// Writes the policy (card types and settings), replacing what is there.
void SavePolicy(SqlTx& tx, const LibraryPolicy& p);
bool PolicySeeded(SqlTx& tx);

void SaveHoldState(SqlTx& tx, const Hold& h, std::optional<Instant> closed_at = std::nullopt);
void SetBorrowResumesOn(SqlTx& tx, const CardNumber& n, std::optional<Date> d);
void SetReserveResumesOn(SqlTx& tx, const CardNumber& n, std::optional<Date> d);

std::optional<std::string> Setting(SqlTx& tx, const std::string& key);
// Every setting whose key starts with `prefix` ("policy."), in one query.
std::map<std::string, std::string> SettingsWithPrefix(SqlTx& tx, const std::string& prefix);
void PutSetting(SqlTx& tx, const std::string& key, const std::string& value);

// "2026-11-29" or NULL.
SqlValue DateValue(std::optional<Date> d);
std::optional<Date> DateOf(const SqlRow& row, std::size_t i);

}  // namespace bookstamp::repo
