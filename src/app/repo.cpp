// Row <-> domain value mapping over the SQL port.
#include "app/repo.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace bookstamp::repo {

SqlValue DateValue(std::optional<Date> d) {
  if (!d) return nullptr;
  return FormatDate(*d);
}

std::optional<Date> DateOf(const SqlRow& row, std::size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  auto d = ParseDate(row.Text(i));
  if (!d) throw std::runtime_error(fmt::format("bad date in database: {}", row.Text(i)));
  return d;
}

namespace {

template <class E, class F>
E Enum(const std::string& s, F from) {
  auto v = from(s);
  if (!v) throw std::runtime_error(fmt::format("bad enum value in database: {}", s));
  return *v;
}

constexpr const char* kCardCols =
    "number, patron_id, type, status, borrow_resumes_on, reserve_resumes_on, keep_history";
Card CardOf(const SqlRow& r) {
  Card c;
  c.number = CardNumber(r.Text(0));
  c.patron = PatronId(r.Int(1));
  c.type = Enum<CardType>(r.Text(2), CardTypeFromString);
  c.status = Enum<CardStatus>(r.Text(3), CardStatusFromString);
  c.borrow_resumes_on = DateOf(r, 4);
  c.reserve_resumes_on = DateOf(r, 5);
  c.keep_history = r.Int(6) != 0;
  return c;
}

constexpr const char* kItemCols = "id, barcode, bib_id, branch, loanable, item_type";
Item ItemOf(const SqlRow& r) {
  Item i;
  i.id = ItemId(r.Int(0));
  i.barcode = ItemBarcode(r.Text(1));
  i.bib = BibId(r.Int(2));
  i.branch = BranchCode(r.Text(3));
  i.loanable = r.Int(4) != 0;
  i.item_type = r.Text(5);
  return i;
}

constexpr const char* kLoanCols =
    "id, card, item_id, bib_id, branch, channel, checked_out_at, due_on, renewals, returned_at";
Loan LoanOf(const SqlRow& r) {
  Loan l;
  l.id = LoanId(r.Int(0));
  l.card = CardNumber(r.Text(1));
  l.item = ItemId(r.OptInt(2).value_or(0));
  l.bib = BibId(r.OptInt(3).value_or(0));
  l.branch = BranchCode(r.Text(4));
  l.channel = Enum<Channel>(r.Text(5), ChannelFromString);
  l.checked_out_at = FromMillis(r.Int(6));
  l.due_on = *DateOf(r, 7);
  l.renewals = static_cast<int>(r.Int(8));
  if (auto t = r.OptInt(9)) l.returned_at = FromMillis(*t);
  return l;
}

constexpr const char* kHoldCols = "id, card, bib_id, pickup_branch, status, placed_at, item_id, ready_on, pickup_by";
Hold HoldOf(const SqlRow& r) {
  Hold h;
  h.id = HoldId(r.Int(0));
  h.card = CardNumber(r.Text(1));
  h.bib = BibId(r.Int(2));
  h.pickup_branch = BranchCode(r.Text(3));
  h.status = Enum<HoldStatus>(r.Text(4), HoldStatusFromString);
  h.placed_at = FromMillis(r.Int(5));
  if (auto i = r.OptInt(6)) h.item = ItemId(*i);
  h.ready_on = DateOf(r, 7);
  h.pickup_by = DateOf(r, 8);
  return h;
}

template <class T, class F>
std::optional<T> One(SqlTx& tx, const std::string& sql, std::initializer_list<SqlValue> params, F map) {
  auto row = tx.QueryOne(sql, params);
  if (!row) return std::nullopt;
  return map(*row);
}

template <class T, class F>
std::vector<T> Many(SqlTx& tx, const std::string& sql, std::initializer_list<SqlValue> params, F map) {
  std::vector<T> out;
  for (const auto& r : tx.Query(sql, params)) out.push_back(map(r));
  return out;
}

}  // namespace

std::optional<Card> FindCard(SqlTx& tx, const CardNumber& n) {
  return One<Card>(tx, fmt::format("SELECT {} FROM cards WHERE number = ?", kCardCols), {n.value()}, CardOf);
}

std::optional<Branch> FindBranch(SqlTx& tx, const BranchCode& code) {
  auto row = tx.QueryOne("SELECT code, name, mobile_checkout, closed_weekdays FROM branches WHERE code = ?",
                         {code.value()});
  if (!row) return std::nullopt;
  Branch b;
  b.code = BranchCode(row->Text(0));
  b.name = row->Text(1);
  b.mobile_checkout = row->Int(2) != 0;
  for (char c : row->Text(3))
    if (c >= '0' && c <= '6') b.calendar.closed_weekdays.insert(static_cast<unsigned>(c - '0'));
  for (const auto& h : tx.Query("SELECT day FROM branch_holidays WHERE branch = ?", {code.value()}))
    if (auto d = ParseDate(h.Text(0))) b.calendar.holidays.insert(*d);
  return b;
}

std::optional<Item> FindItem(SqlTx& tx, const ItemBarcode& b) {
  return One<Item>(tx, fmt::format("SELECT {} FROM items WHERE barcode = ?", kItemCols), {b.value()}, ItemOf);
}

std::optional<Item> FindItemById(SqlTx& tx, ItemId id) {
  return One<Item>(tx, fmt::format("SELECT {} FROM items WHERE id = ?", kItemCols), {id.value()}, ItemOf);
}

std::optional<Loan> FindOpenLoanOfItem(SqlTx& tx, ItemId id) {
  return One<Loan>(tx, fmt::format("SELECT {} FROM loans WHERE item_id = ? AND returned_at IS NULL", kLoanCols),
                   {id.value()}, LoanOf);
}

std::optional<Loan> FindLoan(SqlTx& tx, LoanId id) {
  return One<Loan>(tx, fmt::format("SELECT {} FROM loans WHERE id = ?", kLoanCols), {id.value()}, LoanOf);
}

std::vector<Loan> OpenLoansOfCard(SqlTx& tx, const CardNumber& n) {
  return Many<Loan>(
      tx, fmt::format("SELECT {} FROM loans WHERE card = ? AND returned_at IS NULL ORDER BY due_on, id", kLoanCols),
      {n.value()}, LoanOf);
}

OpenLoans OpenLoansSummaryOfCard(SqlTx& tx, const CardNumber& n) {
  auto r = tx.QueryOne("SELECT COUNT(*), MIN(due_on) FROM loans WHERE card = ? AND returned_at IS NULL", {n.value()});
  return {static_cast<int>(r->Int(0)), DateOf(*r, 1)};
}

std::optional<Hold> FindHold(SqlTx& tx, HoldId id) {
  return One<Hold>(tx, fmt::format("SELECT {} FROM holds WHERE id = ?", kHoldCols), {id.value()}, HoldOf);
}

std::optional<Hold> TrappedHoldOfItem(SqlTx& tx, ItemId id) {
  return One<Hold>(
      tx, fmt::format("SELECT {} FROM holds WHERE item_id = ? AND status IN ('in_transit','ready')", kHoldCols),
      {id.value()}, HoldOf);
}

std::optional<Hold> ActiveHoldOf(SqlTx& tx, const CardNumber& card, BibId bib) {
  return One<Hold>(tx,
                   fmt::format("SELECT {} FROM holds WHERE card = ? AND bib_id = ? AND status IN "
                               "('waiting','in_transit','ready')",
                               kHoldCols),
                   {card.value(), bib.value()}, HoldOf);
}

std::vector<Hold> WaitingHolds(SqlTx& tx, BibId bib) {
  return Many<Hold>(
      tx,
      fmt::format("SELECT {} FROM holds WHERE bib_id = ? AND status = 'waiting' ORDER BY placed_at, id", kHoldCols),
      {bib.value()}, HoldOf);
}

std::vector<Hold> HoldsOfCard(SqlTx& tx, const CardNumber& card, bool active_only) {
  return Many<Hold>(tx,
                    fmt::format("SELECT {} FROM holds WHERE card = ? {} ORDER BY placed_at, id", kHoldCols,
                                active_only ? "AND status IN ('waiting','in_transit','ready')" : ""),
                    {card.value()}, HoldOf);
}

namespace {
CardPolicy* PolicySlot(LibraryPolicy& p, const std::string& type) {
  if (type == "personal") return &p.personal;
  if (type == "family") return &p.family;
  if (type == "group") return &p.group;
  return nullptr;
}

int IntSetting(const std::map<std::string, std::string>& settings, const std::string& key, int fallback) {
  auto it = settings.find(key);
  return it == settings.end() ? fallback : std::stoi(it->second);
}
}  // namespace

LibraryPolicy LoadPolicy(SqlTx& tx) {
  LibraryPolicy p;
  for (const auto& r :
       tx.Query("SELECT card_type, max_loans, loan_days, max_renewals, max_holds, earns_points FROM card_policy")) {
    if (auto* slot = PolicySlot(p, r.Text(0))) {
      slot->max_loans = static_cast<int>(r.Int(1));
      slot->loan_days = static_cast<int>(r.Int(2));
      slot->max_renewals = static_cast<int>(r.Int(3));
      slot->max_holds = static_cast<int>(r.Int(4));
      slot->earns_points = r.Int(5) != 0;
    }
  }
  // One query for the settings: this runs in every checkout, on the single writer.
  auto settings = SettingsWithPrefix(tx, "policy.");
  p.pickup_days = IntSetting(settings, "policy.pickup_days", p.pickup_days);
  p.no_show_limit = IntSetting(settings, "policy.no_show_limit", p.no_show_limit);
  p.no_show_window_days = IntSetting(settings, "policy.no_show_window_days", p.no_show_window_days);
  p.no_show_suspension_days = IntSetting(settings, "policy.no_show_suspension_days", p.no_show_suspension_days);
  return p;
}

void SavePolicy(SqlTx& tx, const LibraryPolicy& p) {
  for (auto type : {CardType::kPersonal, CardType::kFamily, CardType::kGroup}) {
    const auto& c = p.For(type);
    tx.Exec(
        "INSERT INTO card_policy(card_type, max_loans, loan_days, max_renewals, max_holds, earns_points) "
        "VALUES (?,?,?,?,?,?) ON CONFLICT(card_type) DO UPDATE SET max_loans = excluded.max_loans, "
        "loan_days = excluded.loan_days, max_renewals = excluded.max_renewals, max_holds = excluded.max_holds, "
        "earns_points = excluded.earns_points",
        {std::string(ToString(type)), std::int64_t{c.max_loans}, std::int64_t{c.loan_days},
         std::int64_t{c.max_renewals}, std::int64_t{c.max_holds}, std::int64_t{c.earns_points ? 1 : 0}});
  }
  PutSetting(tx, "policy.pickup_days", std::to_string(p.pickup_days));
  PutSetting(tx, "policy.no_show_limit", std::to_string(p.no_show_limit));
  PutSetting(tx, "policy.no_show_window_days", std::to_string(p.no_show_window_days));
  PutSetting(tx, "policy.no_show_suspension_days", std::to_string(p.no_show_suspension_days));
}

bool PolicySeeded(SqlTx& tx) { return tx.QueryOne("SELECT 1 FROM card_policy LIMIT 1").has_value(); }

void SaveHoldState(SqlTx& tx, const Hold& h, std::optional<Instant> closed_at) {
  tx.Exec("UPDATE holds SET status = ?, item_id = ?, ready_on = ?, pickup_by = ?, closed_at = ? WHERE id = ?",
          {std::string(ToString(h.status)), h.item ? SqlValue(h.item->value()) : SqlValue(nullptr),
           DateValue(h.ready_on), DateValue(h.pickup_by),
           closed_at ? SqlValue(ToMillis(*closed_at)) : SqlValue(nullptr), h.id.value()});
}

void SetBorrowResumesOn(SqlTx& tx, const CardNumber& n, std::optional<Date> d) {
  tx.Exec("UPDATE cards SET borrow_resumes_on = ? WHERE number = ?", {DateValue(d), n.value()});
}

void SetReserveResumesOn(SqlTx& tx, const CardNumber& n, std::optional<Date> d) {
  tx.Exec("UPDATE cards SET reserve_resumes_on = ? WHERE number = ?", {DateValue(d), n.value()});
}

std::optional<std::string> Setting(SqlTx& tx, const std::string& key) {
  auto row = tx.QueryOne("SELECT value FROM settings WHERE key = ?", {key});
  if (!row) return std::nullopt;
  return row->Text(0);
}

std::map<std::string, std::string> SettingsWithPrefix(SqlTx& tx, const std::string& prefix) {
  std::map<std::string, std::string> out;
  // A range scan on the primary key: keys from "policy." up to "policy/" ('/' follows '.').
  auto end = prefix;
  end.back() = static_cast<char>(end.back() + 1);
  for (const auto& r : tx.Query("SELECT key, value FROM settings WHERE key >= ? AND key < ?", {prefix, end}))
    out.emplace(r.Text(0), r.Text(1));
  return out;
}

void PutSetting(SqlTx& tx, const std::string& key, const std::string& value) {
  tx.Exec("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
          {key, value});
}

}  // namespace bookstamp::repo
