// Loan credit decision.
#include "domain/points.hpp"

namespace bookstamp {

int PointsPolicy::PerLoan(Channel c) const {
  switch (c) {
    case Channel::kCounter: return per_loan_counter;
    case Channel::kKiosk: return per_loan_kiosk;
    case Channel::kMobile: return per_loan_mobile;
  }
  return per_loan_counter;
}

LoanCredit DecideLoanCredit(const LoanCreditInput& in, const PointsPolicy& policy) {
  if (!in.card_type_earns) return {0, ErrorCode::kCardTypeNoPoints};
  if (policy.no_points_item_types.contains(in.item_type)) return {0, ErrorCode::kItemTypeNoPoints};
  if (in.title_credited_today) return {0, ErrorCode::kSameTitleToday};
  int points = policy.PerLoan(in.channel);
  if (points <= 0) return {0, std::nullopt};
  if (policy.daily_cap > 0 && in.loan_points_today + points > policy.daily_cap) return {0, ErrorCode::kDailyCap};
  if (policy.monthly_cap > 0 && in.loan_points_this_month + points > policy.monthly_cap)
    return {0, ErrorCode::kMonthlyCap};
  return {points, std::nullopt};
}

}  // namespace bookstamp
