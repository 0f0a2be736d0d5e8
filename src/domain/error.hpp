// Error codes of RULES.md ("Error codes") and the DomainError value every refusal returns.
#pragma once
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bookstamp {

// Every code of RULES.md's table. The HTTP status of each is decided in http/.
enum class ErrorCode {
  // lookup (404)
  kCardNotFound, kItemNotFound, kBibNotFound, kPrizeNotFound, kEventNotFound, kBranchNotFound, kNotFound,
  // cards, accounts
  kCardNotActive, kCardAlreadyLinked, kAlreadyExists,
  // checkout, renewal
  kBorrowSuspended, kOverdueItems, kLoanLimitReached, kItemNotLoanable, kItemOnLoan, kItemHeldForAnother,
  kMobileCheckoutDisabled, kItemNotAtBranch, kLoanOverdue, kRenewalLimit, kTitleReserved,
  // holds
  kReserveSuspended, kAlreadyOnLoan, kAlreadyHeld, kHoldLimitReached,
  // points reasons (not errors)
  kCardTypeNoPoints, kItemTypeNoPoints, kSameTitleToday, kDailyCap, kMonthlyCap,
  // redemption
  kPrizeNotOnSale, kOutOfStock, kLimitReached, kInsufficientPoints, kWrongBranch, kCodeInvalid, kCodeUsed,
  kCodeExpired, kRedemptionNotPending, kCancelWindowPassed, kStockBelowTaken,
  // events
  kTokenInvalid, kClaimWindowClosed, kAlreadyClaimed, kEventFull, kAlreadyRegistered, kRegistrationClosed,
  kAlreadyCredited, kApproverIsFiler, kBackfillDecided,
  // passkeys (WebAuthn)
  kPasskeyInvalid, kChallengeExpired,
  // requests
  kValidationFailed, kUnauthenticated, kForbidden, kPayloadTooLarge, kRateLimited, kIdempotencyKeyReused,
  kMethodNotAllowed, kUnsupportedMediaType, kUnavailable,
};

// "CARD_NOT_FOUND" for kCardNotFound, and back.
std::string_view ToString(ErrorCode code);
std::optional<ErrorCode> ErrorCodeFromString(std::string_view text);

// A refusal: the code, the field at fault (validation), and named arguments
// for the localized message (e.g. {"date","2026-12-01"}).
struct DomainError {
  ErrorCode code;
  std::string field;
  std::vector<std::pair<std::string, std::string>> args;

  DomainError(ErrorCode c) : code(c) {}  // NOLINT: implicit on purpose, `return ErrorCode::kX;` reads well
  DomainError(ErrorCode c, std::vector<std::pair<std::string, std::string>> a) : code(c), args(std::move(a)) {}
  static DomainError Invalid(std::string field, std::string why) {
    DomainError e(ErrorCode::kValidationFailed, {{"reason", std::move(why)}});
    e.field = std::move(field);
    return e;
  }
  const std::string* Arg(std::string_view name) const {
    for (const auto& [k, v] : args)
      if (k == name) return &v;
    return nullptr;
  }
};

template <class T>
using Result = std::expected<T, DomainError>;

inline std::unexpected<DomainError> Fail(DomainError e) { return std::unexpected<DomainError>(std::move(e)); }

}  // namespace bookstamp
