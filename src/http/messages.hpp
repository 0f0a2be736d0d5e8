// Localized error messages (zh-TW and English) for every error code; the table is in messages.cpp.
#pragma once
#include <string>
#include <string_view>

#include "domain/error.hpp"

namespace bookstamp::http {

// "en" when the preferred language of an Accept-Language header is English (en, en-US, ...),
// else "zh-TW" (also when the header is absent or names neither).
std::string PickLanguage(std::string_view accept_language);

// A helpful sentence for `error` in `lang` ("en" or "zh-TW"; anything else reads as zh-TW).
// Placeholders are filled from error.args (and {field} from error.field); where an argument is
// missing, a shorter sentence without it is used. Arguments the table knows:
//   BORROW_SUSPENDED, RESERVE_SUSPENDED: date        INSUFFICIENT_POINTS: needed, available
//   LOAN_LIMIT_REACHED, HOLD_LIMIT_REACHED, RENEWAL_LIMIT, LIMIT_REACHED: limit
//   OVERDUE_ITEMS: count        CANCEL_WINDOW_PASSED: days        STOCK_BELOW_TAKEN: taken
//   VALIDATION_FAILED: reason (a key below, or free text)        RATE_LIMITED: retry_after (seconds)
//   PAYLOAD_TOO_LARGE: limit        METHOD_NOT_ALLOWED: method
// Validation reason keys: required, not_string, not_integer, not_boolean, not_object, not_array,
// malformed_json, empty, too_long, out_of_range, bad_format.
std::string Message(const DomainError& error, std::string_view lang);

// The message of a 500 INTERNAL answer, naming the request id so staff can find the log line.
std::string InternalMessage(std::string_view request_id, std::string_view lang);

}  // namespace bookstamp::http
