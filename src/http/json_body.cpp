// JSON request bodies; see json_body.hpp.
#include "http/json_body.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "http/errors.hpp"
#include "http/url.hpp"

namespace bookstamp::http {
namespace {
const boost::json::value* Field(const boost::json::object& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

std::int64_t AsInt(const boost::json::value& v, std::string_view field) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v.get_uint64());
  // 3.0 is an integer written as a double by some clients; 3.5 is not.
  if (v.is_double()) {
    double d = v.get_double();
    if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == static_cast<double>(static_cast<std::int64_t>(d)))
      return static_cast<std::int64_t>(d);
  }
  ThrowInvalid(field, "not_integer");
}
}  // namespace

void ThrowInvalid(std::string_view field, std::string_view reason) {
  throw HttpError{DomainError::Invalid(std::string(field), std::string(reason))};
}

bool IsJsonContentType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  if (IEquals(media, "application/json")) return true;
  constexpr std::string_view kPrefix = "application/", kSuffix = "+json";
  return media.size() > kPrefix.size() + kSuffix.size() && IEquals(media.substr(0, kPrefix.size()), kPrefix) &&
         IEquals(media.substr(media.size() - kSuffix.size()), kSuffix);
}

boost::json::object ParseJsonObject(const Request& req) {
  if (req.body.empty()) ThrowInvalid("body", "required");
  if (!IsJsonContentType(req.Header("Content-Type"))) throw HttpError{ErrorCode::kUnsupportedMediaType};
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(req.body, ec);
  if (ec) ThrowInvalid("body", "malformed_json");
  if (!v.is_object()) ThrowInvalid("body", "not_object");
  return std::move(v.as_object());
}

std::string RequireString(const boost::json::object& body, std::string_view field) {
  auto v = OptionalString(body, field);
  if (!v) ThrowInvalid(field, "required");
  return std::move(*v);
}

std::optional<std::string> OptionalString(const boost::json::object& body, std::string_view field) {
  const auto* v = Field(body, field);
  if (!v) return std::nullopt;
  if (!v->is_string()) ThrowInvalid(field, "not_string");
  return std::string(v->get_string());
}

std::int64_t RequireInt(const boost::json::object& body, std::string_view field) {
  const auto* v = Field(body, field);
  if (!v) ThrowInvalid(field, "required");
  return AsInt(*v, field);
}

std::optional<std::int64_t> OptionalInt(const boost::json::object& body, std::string_view field) {
  const auto* v = Field(body, field);
  if (!v) return std::nullopt;
  return AsInt(*v, field);
}

bool RequireBool(const boost::json::object& body, std::string_view field) {
  auto v = OptionalBool(body, field);
  if (!v) ThrowInvalid(field, "required");
  return *v;
}

std::optional<bool> OptionalBool(const boost::json::object& body, std::string_view field) {
  const auto* v = Field(body, field);
  if (!v) return std::nullopt;
  if (!v->is_bool()) ThrowInvalid(field, "not_boolean");
  return v->get_bool();
}

}  // namespace bookstamp::http
