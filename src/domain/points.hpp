// Pure points rules (RULES.md "Points"): what a checkout earns and why not.
#pragma once
#include <optional>
#include <set>
#include <string>

#include "domain/error.hpp"
#include "domain/model.hpp"

namespace bookstamp {

struct PointsPolicy {
  int per_loan_counter = 1;
  int per_loan_kiosk = 1;
  int per_loan_mobile = 1;
  int daily_cap = 0;    // loan points per card per day; 0 = none
  int monthly_cap = 0;  // loan points per card per calendar month; 0 = none
  std::set<std::string> no_points_item_types{"attachment"};

  int PerLoan(Channel c) const;
};

struct LoanCreditInput {
  bool card_type_earns = true;
  std::string item_type = "book";
  bool title_credited_today = false;  // this card already earned for this bib today
  int loan_points_today = 0;          // loan points already credited today
  int loan_points_this_month = 0;     // loan points already credited this month
  Channel channel = Channel::kCounter;
};

struct LoanCredit {
  int points = 0;
  std::optional<ErrorCode> reason;  // null when points are credited
};

// Exclusions in RULES.md order; caps are all-or-nothing (no partial credits).
[[nodiscard]] LoanCredit DecideLoanCredit(const LoanCreditInput& in, const PointsPolicy& policy);

}  // namespace bookstamp
