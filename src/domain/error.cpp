// Names of the error codes, exactly as RULES.md spells them.
#include "domain/error.hpp"

#include <array>

namespace bookstamp {
namespace {
struct Name {
  ErrorCode code;
  std::string_view text;
};
constexpr std::array kNames{
    Name{ErrorCode::kCardNotFound, "CARD_NOT_FOUND"}, Name{ErrorCode::kItemNotFound, "ITEM_NOT_FOUND"},
    Name{ErrorCode::kBibNotFound, "BIB_NOT_FOUND"}, Name{ErrorCode::kPrizeNotFound, "PRIZE_NOT_FOUND"},
    Name{ErrorCode::kEventNotFound, "EVENT_NOT_FOUND"}, Name{ErrorCode::kBranchNotFound, "BRANCH_NOT_FOUND"},
    Name{ErrorCode::kNotFound, "NOT_FOUND"}, Name{ErrorCode::kCardNotActive, "CARD_NOT_ACTIVE"},
    Name{ErrorCode::kCardAlreadyLinked, "CARD_ALREADY_LINKED"}, Name{ErrorCode::kAlreadyExists, "ALREADY_EXISTS"},
    Name{ErrorCode::kBorrowSuspended, "BORROW_SUSPENDED"}, Name{ErrorCode::kOverdueItems, "OVERDUE_ITEMS"},
    Name{ErrorCode::kLoanLimitReached, "LOAN_LIMIT_REACHED"}, Name{ErrorCode::kItemNotLoanable, "ITEM_NOT_LOANABLE"},
    Name{ErrorCode::kItemOnLoan, "ITEM_ON_LOAN"}, Name{ErrorCode::kItemHeldForAnother, "ITEM_HELD_FOR_ANOTHER"},
    Name{ErrorCode::kMobileCheckoutDisabled, "MOBILE_CHECKOUT_DISABLED"},
    Name{ErrorCode::kItemNotAtBranch, "ITEM_NOT_AT_BRANCH"}, Name{ErrorCode::kLoanOverdue, "LOAN_OVERDUE"},
    Name{ErrorCode::kRenewalLimit, "RENEWAL_LIMIT"}, Name{ErrorCode::kTitleReserved, "TITLE_RESERVED"},
    Name{ErrorCode::kReserveSuspended, "RESERVE_SUSPENDED"}, Name{ErrorCode::kAlreadyOnLoan, "ALREADY_ON_LOAN"},
    Name{ErrorCode::kAlreadyHeld, "ALREADY_HELD"}, Name{ErrorCode::kHoldLimitReached, "HOLD_LIMIT_REACHED"},
    Name{ErrorCode::kCardTypeNoPoints, "CARD_TYPE_NO_POINTS"},
    Name{ErrorCode::kItemTypeNoPoints, "ITEM_TYPE_NO_POINTS"}, Name{ErrorCode::kSameTitleToday, "SAME_TITLE_TODAY"},
    Name{ErrorCode::kDailyCap, "DAILY_CAP"}, Name{ErrorCode::kMonthlyCap, "MONTHLY_CAP"},
    Name{ErrorCode::kPrizeNotOnSale, "PRIZE_NOT_ON_SALE"}, Name{ErrorCode::kOutOfStock, "OUT_OF_STOCK"},
    Name{ErrorCode::kLimitReached, "LIMIT_REACHED"}, Name{ErrorCode::kInsufficientPoints, "INSUFFICIENT_POINTS"},
    Name{ErrorCode::kWrongBranch, "WRONG_BRANCH"}, Name{ErrorCode::kCodeInvalid, "CODE_INVALID"},
    Name{ErrorCode::kCodeUsed, "CODE_USED"}, Name{ErrorCode::kCodeExpired, "CODE_EXPIRED"},
    Name{ErrorCode::kRedemptionNotPending, "REDEMPTION_NOT_PENDING"},
    Name{ErrorCode::kCancelWindowPassed, "CANCEL_WINDOW_PASSED"},
    Name{ErrorCode::kStockBelowTaken, "STOCK_BELOW_TAKEN"}, Name{ErrorCode::kTokenInvalid, "TOKEN_INVALID"},
    Name{ErrorCode::kClaimWindowClosed, "CLAIM_WINDOW_CLOSED"}, Name{ErrorCode::kAlreadyClaimed, "ALREADY_CLAIMED"},
    Name{ErrorCode::kEventFull, "EVENT_FULL"}, Name{ErrorCode::kAlreadyRegistered, "ALREADY_REGISTERED"},
    Name{ErrorCode::kRegistrationClosed, "REGISTRATION_CLOSED"},
    Name{ErrorCode::kAlreadyCredited, "ALREADY_CREDITED"}, Name{ErrorCode::kApproverIsFiler, "APPROVER_IS_FILER"},
    Name{ErrorCode::kBackfillDecided, "BACKFILL_DECIDED"}, Name{ErrorCode::kPasskeyInvalid, "PASSKEY_INVALID"},
    Name{ErrorCode::kChallengeExpired, "CHALLENGE_EXPIRED"}, Name{ErrorCode::kValidationFailed, "VALIDATION_FAILED"},
    Name{ErrorCode::kUnauthenticated, "UNAUTHENTICATED"}, Name{ErrorCode::kForbidden, "FORBIDDEN"},
    Name{ErrorCode::kPayloadTooLarge, "PAYLOAD_TOO_LARGE"}, Name{ErrorCode::kRateLimited, "RATE_LIMITED"},
    Name{ErrorCode::kIdempotencyKeyReused, "IDEMPOTENCY_KEY_REUSED"},
    Name{ErrorCode::kMethodNotAllowed, "METHOD_NOT_ALLOWED"},
    Name{ErrorCode::kUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE"}, Name{ErrorCode::kUnavailable, "UNAVAILABLE"},
};
}  // namespace

std::string_view ToString(ErrorCode code) {
  for (const auto& n : kNames)
    if (n.code == code) return n.text;
  return "UNKNOWN";
}

std::optional<ErrorCode> ErrorCodeFromString(std::string_view text) {
  for (const auto& n : kNames)
    if (n.text == text) return n.code;
  return std::nullopt;
}

}  // namespace bookstamp
