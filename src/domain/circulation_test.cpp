// Unit tests of the circulation decisions (RULES.md: Checkout, Renewal, Check-in, Holds).
#include "domain/circulation.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace bookstamp {
namespace {

// A calendar day written as in RULES.md; a typo in a test is a test bug, so it throws.
Date D(std::string_view text) {
  auto d = ParseDate(text);
  if (!d) throw std::invalid_argument("bad test date");
  return *d;
}

std::string Show(std::optional<Date> d) { return d ? FormatDate(*d) : "none"; }

// "OK" or the error code's name, so a failing assertion prints words rather than enum numbers.
template <class T>
std::string CodeOf(const Result<T>& r) {
  return r ? "OK" : std::string(ToString(r.error().code));
}
std::string CodeOf(std::optional<ErrorCode> code) { return code ? std::string(ToString(*code)) : "OK"; }
std::string Name(ErrorCode code) { return std::string(ToString(code)); }
constexpr std::string_view kOk = "OK";

const CardNumber kAlice("A-0001");
const CardNumber kBob("B-0002");
const BranchCode kMain("MAIN");
const BranchCode kEast("EAST");
const Date kToday = D("2026-03-10");  // a Tuesday

Loan LoanDue(Date due_on, int id = 1) {
  Loan loan;
  loan.id = LoanId(id);
  loan.card = kAlice;
  loan.item = ItemId(100 + id);
  loan.bib = BibId(500 + id);
  loan.branch = kMain;
  loan.due_on = due_on;
  return loan;
}

OpenLoans Open(std::initializer_list<Loan> loans) { return SummarizeOpenLoans(std::vector<Loan>(loans)); }

Hold HoldFor(const CardNumber& card, HoldStatus status, int id = 1) {
  Hold hold;
  hold.id = HoldId(id);
  hold.card = card;
  hold.bib = BibId(500);
  hold.pickup_branch = kMain;
  hold.status = status;
  hold.placed_at = FromMillis(1'700'000'000'000 + id);
  if (status == HoldStatus::kReady) {
    hold.ready_on = kToday - Days(2);
    hold.pickup_by = kToday + Days(5);
  }
  return hold;
}

// ---------------------------------------------------------------------------------------------
// Checkout

// State in which every checkout rule passes; rows break rules from here.
struct CheckoutScenario {
  Card card{.number = kAlice};
  bool card_exists = true;
  Item item{.id = ItemId(7), .barcode = ItemBarcode("31000007"), .bib = BibId(500), .branch = kMain};
  bool item_exists = true;
  Branch branch{.code = kMain, .name = "Main", .mobile_checkout = true};
  CheckoutInput in{.policy = CardPolicy{}, .today = kToday};

  CheckoutInput Input() const {
    CheckoutInput copy = in;
    copy.card = card_exists ? &card : nullptr;
    copy.item = item_exists ? &item : nullptr;
    copy.branch = &branch;
    return copy;
  }
};

using Breaker = std::function<void(CheckoutScenario&)>;

void NoCard(CheckoutScenario& s) { s.card_exists = false; }
void CardLost(CheckoutScenario& s) { s.card.status = CardStatus::kLost; }
void BorrowSuspended(CheckoutScenario& s) { s.card.borrow_resumes_on = kToday + Days(3); }
void OverdueLoan(CheckoutScenario& s) { s.in.card_open_loans = Open({LoanDue(kToday - Days(1))}); }
void AtLoanLimit(CheckoutScenario& s) {
  s.in.policy.max_loans = 2;
  s.in.card_open_loans = Open({LoanDue(kToday + Days(3), 1), LoanDue(kToday + Days(4), 2)});
}
void NoItem(CheckoutScenario& s) { s.item_exists = false; }
void NotLoanable(CheckoutScenario& s) { s.item.loanable = false; }
void OnLoan(CheckoutScenario& s) { s.in.item_on_loan = true; }
void ReadyForBob(CheckoutScenario& s) { s.in.item_trapped_for = HoldFor(kBob, HoldStatus::kReady); }
void InTransitForBob(CheckoutScenario& s) { s.in.item_trapped_for = HoldFor(kBob, HoldStatus::kInTransit); }
void MobileDisabled(CheckoutScenario& s) {
  s.in.channel = Channel::kMobile;
  s.branch.mobile_checkout = false;
}
void MobileItemElsewhere(CheckoutScenario& s) {
  s.in.channel = Channel::kMobile;
  s.item.branch = kEast;
}

struct CheckoutRow {
  std::string name;
  std::vector<Breaker> breaks;
  ErrorCode want;
};

void ExpectCheckoutRefusals(const std::vector<CheckoutRow>& rows) {
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    CheckoutScenario s;
    for (const auto& b : row.breaks) b(s);
    EXPECT_EQ(CodeOf(DecideCheckout(s.Input())), Name(row.want));
  }
}

TEST(Checkout, SucceedsWhenEveryRulePasses) {
  CheckoutScenario s;
  EXPECT_EQ(CodeOf(DecideCheckout(s.Input())), kOk);
  s.in.channel = Channel::kMobile;
  EXPECT_EQ(CodeOf(DecideCheckout(s.Input())), kOk);
}

TEST(Checkout, RefusesWithTheCodeOfEachBrokenRule) {
  ExpectCheckoutRefusals({
      {"card missing", {NoCard}, ErrorCode::kCardNotFound},
      {"card lost", {CardLost}, ErrorCode::kCardNotActive},
      {"borrowing suspended", {BorrowSuspended}, ErrorCode::kBorrowSuspended},
      {"overdue loan", {OverdueLoan}, ErrorCode::kOverdueItems},
      {"at loan limit", {AtLoanLimit}, ErrorCode::kLoanLimitReached},
      {"item missing", {NoItem}, ErrorCode::kItemNotFound},
      {"item not loanable", {NotLoanable}, ErrorCode::kItemNotLoanable},
      {"item on loan", {OnLoan}, ErrorCode::kItemOnLoan},
      {"ready for another card", {ReadyForBob}, ErrorCode::kItemHeldForAnother},
      {"in transit for another card", {InTransitForBob}, ErrorCode::kItemHeldForAnother},
      {"mobile checkout off", {MobileDisabled}, ErrorCode::kMobileCheckoutDisabled},
      {"mobile, item at another branch", {MobileItemElsewhere}, ErrorCode::kItemNotAtBranch},
  });
}

TEST(Checkout, ChecksRulesInRulesOrder) {
  ExpectCheckoutRefusals({
      {"missing card before missing item", {NoItem, NoCard}, ErrorCode::kCardNotFound},
      {"inactive card before suspension", {BorrowSuspended, CardLost}, ErrorCode::kCardNotActive},
      {"suspension before overdue loan", {OverdueLoan, BorrowSuspended}, ErrorCode::kBorrowSuspended},
      {"overdue loan before loan limit", {AtLoanLimit, OverdueLoan}, ErrorCode::kOverdueItems},
      {"loan limit before missing item", {NoItem, AtLoanLimit}, ErrorCode::kLoanLimitReached},
      {"missing item before mobile off", {MobileDisabled, NoItem}, ErrorCode::kItemNotFound},
      {"not loanable before on loan", {OnLoan, NotLoanable}, ErrorCode::kItemNotLoanable},
      {"on loan before held for another", {ReadyForBob, OnLoan}, ErrorCode::kItemOnLoan},
      {"held for another before mobile off", {MobileDisabled, ReadyForBob}, ErrorCode::kItemHeldForAnother},
      {"mobile off before item elsewhere", {MobileItemElsewhere, MobileDisabled}, ErrorCode::kMobileCheckoutDisabled},
      {"card lost before everything else",
       {NoItem, NotLoanable, OnLoan, ReadyForBob, MobileDisabled, AtLoanLimit, OverdueLoan, BorrowSuspended, CardLost},
       ErrorCode::kCardNotActive},
  });
}

TEST(Checkout, RefusesCardWithOverdueLoan) {
  CheckoutScenario s;
  s.in.card_open_loans = Open({LoanDue(kToday + Days(10), 1), LoanDue(kToday - Days(1), 2)});
  EXPECT_EQ(CodeOf(DecideCheckout(s.Input())), Name(ErrorCode::kOverdueItems));
}

TEST(Checkout, LoanDueTodayIsNotOverdue) {
  CheckoutScenario s;
  s.in.card_open_loans = Open({LoanDue(kToday)});
  EXPECT_EQ(CodeOf(DecideCheckout(s.Input())), kOk);
}

TEST(Checkout, BorrowSuspendedNamesTheDayBorrowingResumes) {
  CheckoutScenario s;
  s.card.borrow_resumes_on = D("2026-03-25");
  auto result = DecideCheckout(s.Input());
  ASSERT_FALSE(result);
  EXPECT_EQ(Name(result.error().code), Name(ErrorCode::kBorrowSuspended));
  ASSERT_NE(result.error().Arg("date"), nullptr);
  EXPECT_EQ(*result.error().Arg("date"), "2026-03-25");
}

TEST(Checkout, BorrowingResumesOnTheResumeDay) {
  struct Row {
    std::string name;
    std::optional<Date> resumes_on;
    std::string_view want;
  };
  const std::vector<Row> rows = {
      {"never suspended", std::nullopt, kOk},
      {"resumed last week", kToday - Days(7), kOk},
      {"resumes today", kToday, kOk},
      {"resumes tomorrow", kToday + Days(1), "BORROW_SUSPENDED"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    CheckoutScenario s;
    s.card.borrow_resumes_on = row.resumes_on;
    EXPECT_EQ(CodeOf(DecideCheckout(s.Input())), row.want);
  }
}

TEST(Checkout, LoanLimitIsTheCardPolicysMaxLoans) {
  struct Row {
    int max_loans;
    int open_loans;
    std::string_view want;
  };
  const std::vector<Row> rows = {
      {10, 9, kOk}, {10, 10, "LOAN_LIMIT_REACHED"}, {60, 59, kOk}, {60, 60, "LOAN_LIMIT_REACHED"}, {1, 0, kOk},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(testing::Message() << "max " << row.max_loans << ", open " << row.open_loans);
    CheckoutScenario s;
    s.in.policy.max_loans = row.max_loans;
    std::vector<Loan> loans;
    for (int i = 0; i < row.open_loans; ++i) loans.push_back(LoanDue(kToday + Days(5), i));
    s.in.card_open_loans = SummarizeOpenLoans(loans);
    EXPECT_EQ(CodeOf(DecideCheckout(s.Input())), row.want);
  }
}

TEST(Checkout, ExpiredReadyHoldOfAnotherCardDoesNotBlock) {
  struct Row {
    std::string name;
    Date pickup_by;
    std::string_view want;
  };
  const std::vector<Row> rows = {
      {"pickup day passed yesterday", kToday - Days(1), kOk},
      {"pickup day long past", kToday - Days(30), kOk},
      {"pickup day is today", kToday, "ITEM_HELD_FOR_ANOTHER"},
      {"pickup day ahead", kToday + Days(3), "ITEM_HELD_FOR_ANOTHER"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    CheckoutScenario s;
    Hold hold = HoldFor(kBob, HoldStatus::kReady);
    hold.pickup_by = row.pickup_by;
    s.in.item_trapped_for = hold;
    EXPECT_EQ(CodeOf(DecideCheckout(s.Input())), row.want);
  }
}

TEST(Checkout, ClosedHoldOfAnotherCardDoesNotBlock) {
  for (HoldStatus status : {HoldStatus::kFulfilled, HoldStatus::kCancelled, HoldStatus::kExpired}) {
    SCOPED_TRACE(ToString(status));
    CheckoutScenario s;
    s.in.item_trapped_for = HoldFor(kBob, status);
    EXPECT_EQ(CodeOf(DecideCheckout(s.Input())), kOk);
  }
}

TEST(Checkout, MobileRulesApplyOnlyToMobileChannel) {
  for (Channel channel : {Channel::kCounter, Channel::kKiosk}) {
    SCOPED_TRACE(ToString(channel));
    CheckoutScenario s;
    s.branch.mobile_checkout = false;
    s.item.branch = kEast;
    s.in.channel = channel;
    EXPECT_EQ(CodeOf(DecideCheckout(s.Input())), kOk);
  }
}

TEST(Checkout, DueDateIsCheckoutDayPlusLoanDays) {
  struct Row {
    CardPolicy policy;
    std::string_view want;
  };
  const LibraryPolicy library;
  const std::vector<Row> rows = {
      {library.personal, "2026-04-07"},
      {library.family, "2026-04-07"},
      {library.group, "2026-05-09"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(testing::Message() << row.policy.loan_days << " loan days");
    CheckoutScenario s;
    s.in.policy = row.policy;
    auto result = DecideCheckout(s.Input());
    ASSERT_TRUE(result) << CodeOf(result);
    EXPECT_EQ(FormatDate(result->due_on), row.want);
  }
}

TEST(Checkout, DueDateOnClosedDayMovesToBranchsNextOpenDay) {
  CheckoutScenario s;
  s.branch.calendar.closed_weekdays = {2};  // Tuesdays; 2026-04-07 is one
  s.branch.calendar.holidays = {D("2026-04-08")};
  auto result = DecideCheckout(s.Input());
  ASSERT_TRUE(result) << CodeOf(result);
  EXPECT_EQ(FormatDate(result->due_on), "2026-04-09");
}

TEST(Checkout, FulfilsTheCardsOwnTrappedHold) {
  struct Row {
    std::string name;
    HoldStatus status;
    bool also_passed_as_own_hold;
  };
  const std::vector<Row> rows = {
      {"ready", HoldStatus::kReady, true},
      {"in transit", HoldStatus::kInTransit, true},
      {"ready, own hold not passed", HoldStatus::kReady, false},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    CheckoutScenario s;
    s.in.item_trapped_for = HoldFor(kAlice, row.status, 41);
    if (row.also_passed_as_own_hold) s.in.own_hold_on_title = s.in.item_trapped_for;
    auto result = DecideCheckout(s.Input());
    ASSERT_TRUE(result) << CodeOf(result);
    ASSERT_TRUE(result->fulfils_hold);
    EXPECT_EQ(result->fulfils_hold->value(), 41);
  }
}

TEST(Checkout, AnyCopyFulfilsTheCardsActiveHoldOnTheTitle) {
  for (HoldStatus status : {HoldStatus::kWaiting, HoldStatus::kInTransit, HoldStatus::kReady}) {
    SCOPED_TRACE(ToString(status));
    CheckoutScenario s;
    s.in.own_hold_on_title = HoldFor(kAlice, status, 42);
    auto result = DecideCheckout(s.Input());
    ASSERT_TRUE(result) << CodeOf(result);
    ASSERT_TRUE(result->fulfils_hold);
    EXPECT_EQ(result->fulfils_hold->value(), 42);
  }
}

TEST(Checkout, FulfilsNoHoldWhenTheCardHasNoActiveHold) {
  struct Row {
    std::string name;
    std::optional<Hold> own;
  };
  Hold expired_ready = HoldFor(kAlice, HoldStatus::kReady, 43);
  expired_ready.pickup_by = kToday - Days(1);
  const std::vector<Row> rows = {
      {"no hold", std::nullopt},
      {"cancelled hold", HoldFor(kAlice, HoldStatus::kCancelled, 43)},
      {"fulfilled hold", HoldFor(kAlice, HoldStatus::kFulfilled, 43)},
      {"ready hold past its pickup day", expired_ready},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    CheckoutScenario s;
    s.in.own_hold_on_title = row.own;
    auto result = DecideCheckout(s.Input());
    ASSERT_TRUE(result) << CodeOf(result);
    EXPECT_FALSE(result->fulfils_hold);
  }
}

// ---------------------------------------------------------------------------------------------
// Due dates, overdue days, effective hold status

TEST(DueDate, MovesOffClosedWeekdaysAndHolidays) {
  struct Row {
    std::string name;
    std::string_view day;
    int loan_days;
    std::set<unsigned> closed_weekdays;
    std::set<Date> holidays;
    std::string_view want;
  };
  const std::vector<Row> rows = {
      {"always open", "2026-03-10", 28, {}, {}, "2026-04-07"},
      {"lands on an open day", "2026-03-10", 28, {1}, {}, "2026-04-07"},
      {"closed Tuesday", "2026-03-10", 28, {2}, {}, "2026-04-08"},
      {"closed Sunday", "2026-03-08", 28, {0}, {}, "2026-04-06"},
      {"closed Sunday and Monday", "2026-03-08", 28, {0, 1}, {}, "2026-04-07"},
      {"holiday", "2026-03-10", 28, {}, {D("2026-04-07")}, "2026-04-08"},
      {"holiday after closed day", "2026-03-10", 28, {2}, {D("2026-04-08")}, "2026-04-09"},
      {"run of holidays", "2026-03-10", 28, {}, {D("2026-04-07"), D("2026-04-08"), D("2026-04-09")}, "2026-04-10"},
      {"holiday elsewhere changes nothing", "2026-03-10", 28, {}, {D("2026-04-06")}, "2026-04-07"},
      {"across a year end", "2025-12-20", 14, {6}, {D("2026-01-03")}, "2026-01-04"},
      {"group card 60 days", "2026-03-10", 60, {}, {}, "2026-05-09"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    BranchCalendar calendar{row.closed_weekdays, row.holidays};
    EXPECT_EQ(FormatDate(DueDate(D(row.day), row.loan_days, calendar)), row.want);
  }
}

TEST(OverdueDays, CountsFromTheDayAfterTheDueDate) {
  struct Row {
    std::string_view due_on;
    std::string_view today;
    int want;
  };
  const std::vector<Row> rows = {
      {"2026-03-01", "2026-03-06", 5},   // RULES.md: due on the 1st, returned on the 6th
      {"2026-03-01", "2026-03-02", 1},
      {"2026-03-01", "2026-03-01", 0},   // due today is not overdue
      {"2026-03-01", "2026-02-20", 0},   // early
      {"2026-02-27", "2026-03-02", 3},   // across a month end
      {"2025-12-31", "2026-01-31", 31},  // across a year end
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(testing::Message() << "due " << row.due_on << ", today " << row.today);
    EXPECT_EQ(OverdueDays(D(row.due_on), D(row.today)), row.want);
  }
}

TEST(EffectiveStatus, ReadyHoldPastPickupDayReadsAsExpired) {
  struct Row {
    std::string name;
    HoldStatus stored;
    std::optional<Date> pickup_by;
    HoldStatus want;
  };
  const std::vector<Row> rows = {
      {"ready, pickup day ahead", HoldStatus::kReady, kToday + Days(1), HoldStatus::kReady},
      {"ready, pickup day today", HoldStatus::kReady, kToday, HoldStatus::kReady},
      {"ready, pickup day yesterday", HoldStatus::kReady, kToday - Days(1), HoldStatus::kExpired},
      {"waiting", HoldStatus::kWaiting, std::nullopt, HoldStatus::kWaiting},
      {"in transit", HoldStatus::kInTransit, std::nullopt, HoldStatus::kInTransit},
      {"fulfilled keeps its old pickup day", HoldStatus::kFulfilled, kToday - Days(9), HoldStatus::kFulfilled},
      {"cancelled", HoldStatus::kCancelled, kToday - Days(9), HoldStatus::kCancelled},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    Hold hold = HoldFor(kAlice, row.stored);
    hold.pickup_by = row.pickup_by;
    EXPECT_EQ(ToString(EffectiveStatus(hold, kToday)), ToString(row.want));
  }
}

// ---------------------------------------------------------------------------------------------
// Renewal

// State in which the loan is renewable; rows break rules from here.
struct RenewalScenario {
  Card card{.number = kAlice};
  bool card_exists = true;
  Loan loan = LoanDue(kToday + Days(3));
  RenewalInput in{.policy = CardPolicy{}, .today = kToday};

  RenewalInput Input() const {
    RenewalInput copy = in;
    copy.card = card_exists ? &card : nullptr;
    copy.loan = &loan;
    return copy;
  }
};

using RenewalBreaker = std::function<void(RenewalScenario&)>;
void CardBlocked(RenewalScenario& s) { s.card.status = CardStatus::kBlocked; }
void RenewalSuspended(RenewalScenario& s) { s.card.borrow_resumes_on = kToday + Days(1); }
void LoanOverdue(RenewalScenario& s) { s.loan.due_on = kToday - Days(2); }
void RenewedOnce(RenewalScenario& s) { s.loan.renewals = 1; }
void TitleReserved(RenewalScenario& s) { s.in.title_has_other_waiting_holds = true; }

TEST(Renewal, RefusesWithTheCodeOfEachBrokenRuleInOrder) {
  struct Row {
    std::string name;
    std::vector<RenewalBreaker> breaks;
    ErrorCode want;
  };
  const std::vector<Row> rows = {
      {"card blocked", {CardBlocked}, ErrorCode::kCardNotActive},
      {"borrowing suspended", {RenewalSuspended}, ErrorCode::kBorrowSuspended},
      {"loan overdue", {LoanOverdue}, ErrorCode::kLoanOverdue},
      {"renewal limit", {RenewedOnce}, ErrorCode::kRenewalLimit},
      {"title reserved", {TitleReserved}, ErrorCode::kTitleReserved},
      {"inactive before suspended", {RenewalSuspended, CardBlocked}, ErrorCode::kCardNotActive},
      {"suspended before overdue", {LoanOverdue, RenewalSuspended}, ErrorCode::kBorrowSuspended},
      {"overdue before limit", {RenewedOnce, LoanOverdue}, ErrorCode::kLoanOverdue},
      {"limit before reserved", {TitleReserved, RenewedOnce}, ErrorCode::kRenewalLimit},
      {"all broken", {TitleReserved, RenewedOnce, LoanOverdue, RenewalSuspended, CardBlocked},
       ErrorCode::kCardNotActive},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    RenewalScenario s;
    for (const auto& b : row.breaks) b(s);
    EXPECT_EQ(CodeOf(DecideRenewal(s.Input())), Name(row.want));
  }
}

TEST(Renewal, RefusesMissingCard) {
  RenewalScenario s;
  s.card_exists = false;
  EXPECT_EQ(CodeOf(DecideRenewal(s.Input())), Name(ErrorCode::kCardNotFound));
}

TEST(Renewal, BorrowSuspendedNamesTheDayBorrowingResumes) {
  RenewalScenario s;
  s.card.borrow_resumes_on = D("2026-04-01");
  auto result = DecideRenewal(s.Input());
  ASSERT_FALSE(result);
  ASSERT_NE(result.error().Arg("date"), nullptr);
  EXPECT_EQ(*result.error().Arg("date"), "2026-04-01");
}

TEST(Renewal, RenewalLimitIsTheCardPolicysMaxRenewals) {
  struct Row {
    int max_renewals;
    int renewals;
    std::string_view want;
  };
  const std::vector<Row> rows = {{1, 0, kOk}, {1, 1, "RENEWAL_LIMIT"}, {2, 1, kOk}, {2, 2, "RENEWAL_LIMIT"},
                                 {0, 0, "RENEWAL_LIMIT"}};
  for (const auto& row : rows) {
    SCOPED_TRACE(testing::Message() << "max " << row.max_renewals << ", renewed " << row.renewals);
    RenewalScenario s;
    s.in.policy.max_renewals = row.max_renewals;
    s.loan.renewals = row.renewals;
    EXPECT_EQ(CodeOf(DecideRenewal(s.Input())), row.want);
  }
}

TEST(Renewal, LoanDueTodayIsStillRenewable) {
  RenewalScenario s;
  s.loan.due_on = kToday;
  EXPECT_EQ(CodeOf(DecideRenewal(s.Input())), kOk);
}

TEST(Renewal, NewDueDateIsRenewalDayPlusLoanDaysOnAnOpenDay) {
  struct Row {
    std::string name;
    std::optional<BranchCalendar> calendar;
    int loan_days;
    std::string_view want;
  };
  const std::vector<Row> rows = {
      {"no calendar: always open", std::nullopt, 28, "2026-04-07"},
      {"open calendar", BranchCalendar{}, 28, "2026-04-07"},
      {"closed Tuesdays", BranchCalendar{{2}, {}}, 28, "2026-04-08"},
      {"holiday", BranchCalendar{{}, {D("2026-04-07")}}, 28, "2026-04-08"},
      {"group card", std::nullopt, 60, "2026-05-09"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    RenewalScenario s;
    s.in.policy.loan_days = row.loan_days;
    s.in.calendar = row.calendar ? &*row.calendar : nullptr;
    auto result = DecideRenewal(s.Input());
    ASSERT_TRUE(result) << CodeOf(result);
    EXPECT_EQ(FormatDate(*result), row.want);
  }
}

TEST(RenewRefusal, IsNullWhenRenewableAndTheCodeWhenNot) {
  RenewalScenario s;
  EXPECT_EQ(CodeOf(RenewRefusal(s.Input())), kOk);
  RenewedOnce(s);
  TitleReserved(s);
  EXPECT_EQ(CodeOf(RenewRefusal(s.Input())), Name(ErrorCode::kRenewalLimit));
}

// ---------------------------------------------------------------------------------------------
// Check-in and suspension (停權)

TEST(Checkin, OnTimeReturnAddsNoSuspension) {
  struct Row {
    std::string name;
    Date due_on;
    std::optional<Date> resumes_on;
  };
  const std::vector<Row> rows = {
      {"due today", kToday, std::nullopt},
      {"due next week", kToday + Days(7), std::nullopt},
      {"already suspended, returned on time", kToday + Days(7), kToday + Days(4)},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    Card card{.number = kAlice, .borrow_resumes_on = row.resumes_on};
    CheckinDecision d = DecideCheckin(LoanDue(row.due_on), card, kToday);
    EXPECT_EQ(d.overdue_days, 0);
    EXPECT_EQ(d.suspension_days_added, 0);
    EXPECT_EQ(Show(d.borrow_resumes_on), Show(row.resumes_on));
  }
}

TEST(Checkin, LateReturnSuspendsBorrowingOneDayPerDayLate) {
  Card card{.number = kAlice};
  CheckinDecision d = DecideCheckin(LoanDue(D("2026-03-01")), card, D("2026-03-06"));
  EXPECT_EQ(d.overdue_days, 5);
  EXPECT_EQ(d.suspension_days_added, 5);
  EXPECT_EQ(Show(d.borrow_resumes_on), "2026-03-11");
}

TEST(Checkin, ThreeItemsEachFiveDaysLateSuspendFifteenDays) {
  // 三冊各逾期 5 天 = 15 days: each item adds its own days.
  Card card{.number = kAlice};
  const Date today = D("2026-03-06");
  int added = 0;
  for (int id = 1; id <= 3; ++id) {
    SCOPED_TRACE(testing::Message() << "item " << id);
    CheckinDecision d = DecideCheckin(LoanDue(D("2026-03-01"), id), card, today);
    EXPECT_EQ(d.suspension_days_added, 5);
    added += d.suspension_days_added;
    card.borrow_resumes_on = d.borrow_resumes_on;
  }
  EXPECT_EQ(added, 15);
  EXPECT_EQ(Show(card.borrow_resumes_on), "2026-03-21");
  EXPECT_EQ(StandingOf(card, today).suspension_days_left, 15);
}

TEST(Checkin, LateReturnWhileSuspendedExtendsFromTheCurrentResumeDate) {
  struct Row {
    std::string name;
    std::optional<Date> resumes_on;
    std::string_view want;
  };
  const Date today = D("2026-03-06");  // the loan below is 5 days late
  const std::vector<Row> rows = {
      {"not suspended", std::nullopt, "2026-03-11"},
      {"suspension ended long ago", D("2026-01-01"), "2026-03-11"},
      {"suspension ends today", today, "2026-03-11"},
      {"suspended until the 20th", D("2026-03-20"), "2026-03-25"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    Card card{.number = kAlice, .borrow_resumes_on = row.resumes_on};
    CheckinDecision d = DecideCheckin(LoanDue(D("2026-03-01")), card, today);
    EXPECT_EQ(d.suspension_days_added, 5);
    EXPECT_EQ(Show(d.borrow_resumes_on), row.want);
  }
}

TEST(Standing, ReportsSuspensionDaysLeftAndResumeDays) {
  struct Row {
    std::string name;
    std::optional<Date> borrow;
    std::optional<Date> reserve;
    int want_days_left;
    std::string want_borrow;
    std::string want_reserve;
  };
  const std::vector<Row> rows = {
      {"clean card", std::nullopt, std::nullopt, 0, "none", "none"},
      {"borrowing suspended 15 days", kToday + Days(15), std::nullopt, 15, "2026-03-25", "none"},
      {"borrowing resumes tomorrow", kToday + Days(1), std::nullopt, 1, "2026-03-11", "none"},
      {"borrowing resumes today", kToday, std::nullopt, 0, "none", "none"},
      {"borrowing resumed in the past", kToday - Days(3), std::nullopt, 0, "none", "none"},
      {"reserving suspended only", std::nullopt, kToday + Days(31), 0, "none", "2026-04-10"},
      {"reserving resumes today", std::nullopt, kToday, 0, "none", "none"},
      {"both suspended", kToday + Days(2), kToday + Days(9), 2, "2026-03-12", "2026-03-19"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    Card card{.number = kAlice, .borrow_resumes_on = row.borrow, .reserve_resumes_on = row.reserve};
    CardStanding standing = StandingOf(card, kToday);
    EXPECT_EQ(standing.suspension_days_left, row.want_days_left);
    EXPECT_EQ(Show(standing.borrow_resumes_on), row.want_borrow);
    EXPECT_EQ(Show(standing.reserve_resumes_on), row.want_reserve);
  }
}

// ---------------------------------------------------------------------------------------------
// Holds (預約)

// State in which a hold can be placed; rows break rules from here.
struct HoldScenario {
  Card card{.number = kAlice};
  bool card_exists = true;
  HoldInput in{.policy = CardPolicy{}, .active_holds = 0, .today = kToday};

  HoldInput Input() const {
    HoldInput copy = in;
    copy.card = card_exists ? &card : nullptr;
    return copy;
  }
};

using HoldBreaker = std::function<void(HoldScenario&)>;
void NoHoldCard(HoldScenario& s) { s.card_exists = false; }
void HoldCardExpired(HoldScenario& s) { s.card.status = CardStatus::kExpired; }
void ReserveSuspended(HoldScenario& s) { s.card.reserve_resumes_on = kToday + Days(1); }
void TitleOnLoan(HoldScenario& s) { s.in.has_title_on_loan = true; }
void TitleHeld(HoldScenario& s) { s.in.has_active_hold_on_title = true; }
void AtHoldLimit(HoldScenario& s) { s.in.active_holds = s.in.policy.max_holds; }

TEST(PlaceHold, SucceedsWhenEveryRulePasses) {
  HoldScenario s;
  s.card.borrow_resumes_on = kToday + Days(10);  // borrowing suspension does not stop reserving
  s.in.active_holds = s.in.policy.max_holds - 1;
  EXPECT_EQ(CodeOf(DecidePlaceHold(s.Input())), kOk);
}

TEST(PlaceHold, RefusesWithTheCodeOfEachBrokenRuleInOrder) {
  struct Row {
    std::string name;
    std::vector<HoldBreaker> breaks;
    ErrorCode want;
  };
  const std::vector<Row> rows = {
      {"card missing", {NoHoldCard}, ErrorCode::kCardNotFound},
      {"card expired", {HoldCardExpired}, ErrorCode::kCardNotActive},
      {"reserving suspended", {ReserveSuspended}, ErrorCode::kReserveSuspended},
      {"title on loan", {TitleOnLoan}, ErrorCode::kAlreadyOnLoan},
      {"title already held", {TitleHeld}, ErrorCode::kAlreadyHeld},
      {"at hold limit", {AtHoldLimit}, ErrorCode::kHoldLimitReached},
      {"inactive before suspended", {ReserveSuspended, HoldCardExpired}, ErrorCode::kCardNotActive},
      {"suspended before on loan", {TitleOnLoan, ReserveSuspended}, ErrorCode::kReserveSuspended},
      {"on loan before held", {TitleHeld, TitleOnLoan}, ErrorCode::kAlreadyOnLoan},
      {"held before limit", {AtHoldLimit, TitleHeld}, ErrorCode::kAlreadyHeld},
      {"all broken", {AtHoldLimit, TitleHeld, TitleOnLoan, ReserveSuspended, HoldCardExpired},
       ErrorCode::kCardNotActive},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    HoldScenario s;
    for (const auto& b : row.breaks) b(s);
    EXPECT_EQ(CodeOf(DecidePlaceHold(s.Input())), Name(row.want));
  }
}

TEST(PlaceHold, ReserveSuspendedNamesTheDayReservingResumes) {
  HoldScenario s;
  s.card.reserve_resumes_on = D("2026-04-10");
  auto result = DecidePlaceHold(s.Input());
  ASSERT_FALSE(result);
  ASSERT_NE(result.error().Arg("date"), nullptr);
  EXPECT_EQ(*result.error().Arg("date"), "2026-04-10");
}

TEST(PlaceHold, ReservingResumesOnTheResumeDay) {
  HoldScenario s;
  s.card.reserve_resumes_on = kToday;
  EXPECT_EQ(CodeOf(DecidePlaceHold(s.Input())), kOk);
}

Hold Waiting(int id, std::int64_t placed_ms, const BranchCode& pickup = kMain) {
  Hold hold = HoldFor(CardNumber("C-" + std::to_string(id)), HoldStatus::kWaiting, id);
  hold.placed_at = FromMillis(placed_ms);
  hold.pickup_branch = pickup;
  return hold;
}

TEST(Trap, CopyAtThePickupBranchGoesOnTheHoldShelf) {
  auto trap = DecideTrap({Waiting(1, 1000)}, kMain, kToday, 7);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->hold.value(), 1);
  EXPECT_EQ(ToString(trap->status), "ready");
  EXPECT_EQ(Show(trap->ready_on), "2026-03-10");
  EXPECT_EQ(Show(trap->pickup_by), "2026-03-17");
}

TEST(Trap, CopyElsewhereGoesInTransitWithoutDates) {
  auto trap = DecideTrap({Waiting(1, 1000, kEast)}, kMain, kToday, 7);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->hold.value(), 1);
  EXPECT_EQ(ToString(trap->status), "in_transit");
  EXPECT_EQ(Show(trap->ready_on), "none");
  EXPECT_EQ(Show(trap->pickup_by), "none");
}

TEST(Trap, FirstComeFirstServed) {
  struct Row {
    std::string name;
    std::vector<Hold> holds;
    int want;
  };
  const std::vector<Row> rows = {
      {"in order", {Waiting(1, 1000), Waiting(2, 2000), Waiting(3, 3000)}, 1},
      {"unordered", {Waiting(3, 3000), Waiting(1, 1000), Waiting(2, 2000)}, 1},
      {"earliest has the highest id", {Waiting(9, 500), Waiting(2, 2000), Waiting(3, 3000)}, 9},
      {"same instant: lower id first", {Waiting(5, 1000), Waiting(4, 1000), Waiting(6, 2000)}, 4},
      {"first hold picks up elsewhere", {Waiting(2, 2000), Waiting(1, 1000, kEast)}, 1},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    auto trap = DecideTrap(row.holds, kMain, kToday, 7);
    ASSERT_TRUE(trap);
    EXPECT_EQ(trap->hold.value(), row.want);
  }
}

TEST(Trap, OnlyWaitingHoldsCompete) {
  Hold ready = Waiting(1, 100);
  ready.status = HoldStatus::kReady;
  Hold cancelled = Waiting(2, 200);
  cancelled.status = HoldStatus::kCancelled;
  auto trap = DecideTrap({ready, cancelled, Waiting(3, 300)}, kMain, kToday, 7);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->hold.value(), 3);
}

TEST(Trap, NothingWhenNoHoldWaits) {
  EXPECT_FALSE(DecideTrap({}, kMain, kToday, 7));
  Hold fulfilled = Waiting(1, 100);
  fulfilled.status = HoldStatus::kFulfilled;
  EXPECT_FALSE(DecideTrap({fulfilled}, kMain, kToday, 7));
}

TEST(Arrival, InTransitCopyAtPickupBranchBecomesReady) {
  Hold hold = Waiting(8, 1000, kEast);
  hold.status = HoldStatus::kInTransit;
  auto arrival = DecideArrival(hold, kEast, kToday, 7);
  ASSERT_TRUE(arrival);
  EXPECT_EQ(arrival->hold.value(), 8);
  EXPECT_EQ(ToString(arrival->status), "ready");
  EXPECT_EQ(Show(arrival->ready_on), "2026-03-10");
  EXPECT_EQ(Show(arrival->pickup_by), "2026-03-17");
}

TEST(Arrival, NothingAtAnotherBranchOrForAHoldNotInTransit) {
  struct Row {
    std::string name;
    HoldStatus status;
    BranchCode at;
  };
  const std::vector<Row> rows = {
      {"in transit, passing through another branch", HoldStatus::kInTransit, kMain},
      {"waiting", HoldStatus::kWaiting, kEast},
      {"already ready", HoldStatus::kReady, kEast},
      {"cancelled on the way", HoldStatus::kCancelled, kEast},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    Hold hold = Waiting(8, 1000, kEast);
    hold.status = row.status;
    EXPECT_FALSE(DecideArrival(hold, row.at, kToday, 7));
  }
}

TEST(NoShow, ThirdNoShowWithin365DaysSuspendsReservingFor31Days) {
  struct Row {
    std::string name;
    std::vector<Date> earlier;
    std::optional<Date> reserve_resumes_on;
    std::string want;
  };
  const Date pickup = D("2026-03-10");
  const std::vector<Row> rows = {
      {"first no-show", {}, std::nullopt, "none"},
      {"second no-show", {D("2026-01-05")}, std::nullopt, "none"},
      {"third no-show", {D("2025-06-01"), D("2026-01-05")}, std::nullopt, "2026-04-10"},
      {"fourth no-show", {D("2025-06-01"), D("2025-09-01"), D("2026-01-05")}, std::nullopt, "2026-04-10"},
      {"one earlier no-show outside the window", {D("2025-03-01"), D("2026-01-05")}, std::nullopt, "none"},
      {"364 days before counts", {D("2025-03-11"), D("2026-01-05")}, std::nullopt, "2026-04-10"},
      {"365 days before is outside", {D("2025-03-10"), D("2026-01-05")}, std::nullopt, "none"},
      {"same pickup day counts", {D("2026-03-10"), D("2026-01-05")}, std::nullopt, "2026-04-10"},
      {"later suspension kept", {D("2025-06-01"), D("2026-01-05")}, D("2026-05-01"), "2026-05-01"},
      {"earlier suspension replaced", {D("2025-06-01"), D("2026-01-05")}, D("2026-03-20"), "2026-04-10"},
      {"second no-show leaves an existing suspension alone", {D("2026-01-05")}, D("2026-05-01"), "none"},
  };
  const LibraryPolicy policy;
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(Show(DecideNoShow(row.earlier, pickup, row.reserve_resumes_on, policy)), row.want);
  }
}

TEST(NoShow, FollowsTheLibrarysPolicy) {
  LibraryPolicy policy;
  policy.no_show_limit = 2;
  policy.no_show_window_days = 30;
  policy.no_show_suspension_days = 10;
  const Date pickup = D("2026-03-10");
  EXPECT_EQ(Show(DecideNoShow({D("2026-02-20")}, pickup, std::nullopt, policy)), "2026-03-20");
  EXPECT_EQ(Show(DecideNoShow({D("2026-02-01")}, pickup, std::nullopt, policy)), "none");
}

}  // namespace
}  // namespace bookstamp
