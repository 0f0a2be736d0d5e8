// Reading JSON request bodies: the body as an object and typed fields, refusing with the error
// answers of API.md (415 UNSUPPORTED_MEDIA_TYPE, 400 VALIDATION_FAILED with "field").
// Every function throws HttpError; a handler lets it propagate. Usage:
//   auto body = ParseJsonObject(req);
//   std::string card = RequireString(body, "card");
//   std::optional<std::int64_t> month = OptionalInt(body, "month");
#pragma once
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/router.hpp"

namespace bookstamp::http {

// True for "application/json" and "application/<x>+json" (e.g. merge-patch+json), any parameters.
bool IsJsonContentType(std::string_view content_type);

// The body as a JSON object. 415 when the Content-Type is not JSON; 400 field "body" when the body
// is empty ("required"), not JSON ("malformed_json") or not an object ("not_object").
boost::json::object ParseJsonObject(const Request& req);

// Typed fields. Require*: absent or null is 400 "required". Optional*: absent or null is nullopt.
// A value of the wrong type is 400 ("not_string", "not_integer", "not_boolean") naming the field.
std::string RequireString(const boost::json::object& body, std::string_view field);
std::optional<std::string> OptionalString(const boost::json::object& body, std::string_view field);
std::int64_t RequireInt(const boost::json::object& body, std::string_view field);
std::optional<std::int64_t> OptionalInt(const boost::json::object& body, std::string_view field);
bool RequireBool(const boost::json::object& body, std::string_view field);
std::optional<bool> OptionalBool(const boost::json::object& body, std::string_view field);

// Throws 400 VALIDATION_FAILED for `field` with a reason key (messages.hpp) or free text.
[[noreturn]] void ThrowInvalid(std::string_view field, std::string_view reason);

}  // namespace bookstamp::http
