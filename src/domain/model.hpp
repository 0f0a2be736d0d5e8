// The library's nouns: branches, cards, items, loans, holds, policy (RULES.md).
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/strong_id.hpp"
#include "domain/time.hpp"

namespace bookstamp {

enum class CardType { kPersonal, kFamily, kGroup };
enum class CardStatus { kActive, kLost, kExpired, kBlocked };
enum class Channel { kCounter, kKiosk, kMobile };
enum class HoldStatus { kWaiting, kInTransit, kReady, kFulfilled, kCancelled, kExpired };
enum class Role { kSysadmin, kBranchAdmin, kCounter, kAuditor };

std::string_view ToString(CardType v);
std::string_view ToString(CardStatus v);
std::string_view ToString(Channel v);
std::string_view ToString(HoldStatus v);
std::string_view ToString(Role v);
std::optional<CardType> CardTypeFromString(std::string_view s);
std::optional<CardStatus> CardStatusFromString(std::string_view s);
std::optional<Channel> ChannelFromString(std::string_view s);
std::optional<HoldStatus> HoldStatusFromString(std::string_view s);
std::optional<Role> RoleFromString(std::string_view s);

// Loan, hold and points policy of one card type (RULES.md defaults in DefaultPolicy).
struct CardPolicy {
  int max_loans = 10;
  int loan_days = 28;
  int max_renewals = 1;
  int max_holds = 5;
  bool earns_points = true;
};

struct LibraryPolicy {
  CardPolicy personal{10, 28, 1, 5, true};
  CardPolicy family{60, 28, 1, 10, true};
  CardPolicy group{500, 60, 1, 10, false};
  int pickup_days = 7;          // a ready hold waits this many days
  int no_show_limit = 3;        // the third no-show within no_show_window_days suspends reserving
  int no_show_window_days = 365;
  int no_show_suspension_days = 31;  // reserve_resumes_on = pickup date + 31

  const CardPolicy& For(CardType t) const;
};

// A branch's calendar: weekly closed days (0 = Sunday … 6 = Saturday) and holidays.
struct BranchCalendar {
  std::set<unsigned> closed_weekdays;
  std::set<Date> holidays;
  bool IsOpen(Date d) const;
  // The first open day on or after d (d itself when open). At most a year ahead.
  Date NextOpenDay(Date d) const;
};

struct Branch {
  BranchCode code;
  std::string name;
  bool mobile_checkout = false;
  BranchCalendar calendar;
};

struct Card {
  CardNumber number;
  PatronId patron;
  CardType type = CardType::kPersonal;
  CardStatus status = CardStatus::kActive;
  std::optional<Date> borrow_resumes_on;   // 停權: borrowing suspended before this day
  std::optional<Date> reserve_resumes_on;  // reserving suspended before this day
  bool keep_history = true;
};

struct Item {
  ItemId id;
  ItemBarcode barcode;
  BibId bib;
  BranchCode branch;  // the item's home/current shelf branch
  bool loanable = true;
  std::string item_type = "book";
};

struct Loan {
  LoanId id;
  CardNumber card;
  ItemId item;
  BibId bib;
  BranchCode branch;  // where it was checked out
  Channel channel = Channel::kCounter;
  Instant checked_out_at;
  Date due_on;
  int renewals = 0;
  std::optional<Instant> returned_at;
};

struct Hold {
  HoldId id;
  CardNumber card;
  BibId bib;
  BranchCode pickup_branch;
  HoldStatus status = HoldStatus::kWaiting;
  Instant placed_at;
  std::optional<ItemId> item;        // the trapped copy (in_transit / ready)
  std::optional<Date> ready_on;      // the day it reached the hold shelf
  std::optional<Date> pickup_by;     // ready_on + pickup_days
};

}  // namespace bookstamp
