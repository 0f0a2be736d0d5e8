// A small JSON value for audit details and its RFC 8785 (JCS) serialization.
// Only what the audit log needs: null, bool, integers, strings, arrays, objects.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace bookstamp {

class JsonValue;
using JsonArray = std::vector<JsonValue>;
using JsonObject = std::map<std::string, JsonValue>;  // order is fixed by Canonical(), not by the map

class JsonValue {
 public:
  using Variant = std::variant<std::nullptr_t, bool, std::int64_t, std::string, JsonArray, JsonObject>;
  JsonValue() : v_(nullptr) {}
  JsonValue(std::nullptr_t) : v_(nullptr) {}
  JsonValue(bool b) : v_(b) {}
  JsonValue(int i) : v_(static_cast<std::int64_t>(i)) {}
  JsonValue(std::int64_t i) : v_(i) {}
  JsonValue(const char* s) : v_(std::string(s)) {}
  JsonValue(std::string s) : v_(std::move(s)) {}
  JsonValue(JsonArray a) : v_(std::move(a)) {}
  JsonValue(JsonObject o) : v_(std::move(o)) {}
  const Variant& variant() const { return v_; }

 private:
  Variant v_;
};

// RFC 8785: members sorted by UTF-16 code units, no white space, ES6 string escaping.
std::string Canonical(const JsonValue& v);
// A JSON string literal (quotes included) escaped the JCS way.
std::string JsonString(const std::string& s);

}  // namespace bookstamp
