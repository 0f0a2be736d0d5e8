// Error bodies and statuses; see errors.hpp.
#include "http/errors.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "http/messages.hpp"

namespace bookstamp::http {
namespace {
Response ErrorBody(int status, std::string_view code, std::string message, std::string_view field) {
  boost::json::object error{{"code", code}, {"message", std::move(message)}};
  if (!field.empty()) error["field"] = field;
  return JsonResponse(status, boost::json::object{{"error", std::move(error)}});
}
}  // namespace

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kCardNotFound:
    case ErrorCode::kItemNotFound:
    case ErrorCode::kBibNotFound:
    case ErrorCode::kPrizeNotFound:
    case ErrorCode::kEventNotFound:
    case ErrorCode::kBranchNotFound:
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kValidationFailed:
    case ErrorCode::kPasskeyInvalid:     // a WebAuthn response that does not verify
    case ErrorCode::kChallengeExpired:   // its challenge unknown, used or past 5 minutes
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    default:
      return 409;  // business-rule refusals, IDEMPOTENCY_KEY_REUSED
  }
}

Response ErrorResponse(const DomainError& error, std::string_view lang) {
  Response r = ErrorBody(StatusFor(error.code), ToString(error.code), Message(error, lang), error.field);
  if (const std::string* retry = error.Arg("retry_after")) r.headers.emplace_back("Retry-After", *retry);
  return r;
}

Response InternalErrorResponse(std::string_view request_id, std::string_view lang) {
  return ErrorBody(500, "INTERNAL", InternalMessage(request_id, lang), {});
}

Response JsonResponse(int status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace bookstamp::http
