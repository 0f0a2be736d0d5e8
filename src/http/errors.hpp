// JSON answers and error answers: the error body of API.md ("Conventions") and the status of each
// error code (RULES.md, "Error codes"). Usage in a handler:
//   if (!card) throw HttpError{ErrorCode::kCardNotFound};
//   auto loans = OrThrow(co_await Write(store, ...));      // a Result<T> refusal becomes its answer
//   co_return JsonResponse(200, boost::json::object{{"loans", ...}});
#pragma once
#include <boost/json/fwd.hpp>
#include <string_view>
#include <type_traits>
#include <utility>

#include "domain/error.hpp"
#include "http/router.hpp"

namespace bookstamp::http {

// Thrown by a handler (or the body helpers) to answer with an error; the server turns it into
// ErrorResponse(error, request lang).
struct HttpError {
  DomainError error;
};

// The value of a Result, or throws HttpError with its error.
template <class T>
T OrThrow(Result<T> result) {
  if (!result) throw HttpError{std::move(result.error())};
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

// The HTTP status of a code: lookups 404, VALIDATION_FAILED 400, UNAUTHENTICATED 401, FORBIDDEN 403,
// METHOD_NOT_ALLOWED 405, PAYLOAD_TOO_LARGE 413, UNSUPPORTED_MEDIA_TYPE 415, RATE_LIMITED 429,
// UNAVAILABLE 503, every other code 409.
int StatusFor(ErrorCode code);

// {"error":{"code":"X","message":"<localized>","field":"<only when set>"}} with StatusFor(code).
// A "retry_after" argument (seconds) also sets Retry-After.
Response ErrorResponse(const DomainError& error, std::string_view lang);

// 500 {"error":{"code":"INTERNAL","message":...}}: for bugs only; the message names the request id.
Response InternalErrorResponse(std::string_view request_id, std::string_view lang);

// The value serialized, with "application/json; charset=utf-8".
Response JsonResponse(int status, const boost::json::value& body);

// 204 with no body.
Response NoContent();

}  // namespace bookstamp::http
