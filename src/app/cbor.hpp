// A small CBOR (RFC 8949) decoder for WebAuthn: unsigned and negative integers, byte and text
// strings, arrays, maps, false/true/null. Bounds-checked; anything else is refused, never a crash.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace bookstamp::cbor {

struct Value;
using Array = std::vector<Value>;
using Map = std::vector<std::pair<Value, Value>>;  // in the order encoded
struct Bytes {
  std::string data;
};
struct Simple {
  std::uint8_t value = 22;  // 20 false, 21 true, 22 null
};

struct Value {
  // Integers as int64: values beyond its range are refused by the decoder.
  std::variant<std::int64_t, Bytes, std::string, Array, Map, Simple> v;

  const std::int64_t* AsInt() const { return std::get_if<std::int64_t>(&v); }
  const std::string* AsBytes() const {
    auto* b = std::get_if<Bytes>(&v);
    return b ? &b->data : nullptr;
  }
  const std::string* AsText() const { return std::get_if<std::string>(&v); }
  const Array* AsArray() const { return std::get_if<Array>(&v); }
  const Map* AsMap() const { return std::get_if<Map>(&v); }
  // A map member by integer or text key; nullptr when absent or not a map.
  const Value* Find(std::int64_t key) const;
  const Value* Find(std::string_view key) const;
};

inline constexpr int kMaxDepth = 16;

// Decodes one item from the front of `in`. On success `*consumed` (when given) is the number of
// bytes it took. nullopt for truncated or malformed input, indefinite lengths, tags, floats,
// nesting deeper than kMaxDepth, or lengths beyond the input.
std::optional<Value> Decode(std::string_view in, std::size_t* consumed = nullptr);

// Decodes exactly one item filling all of `in` (trailing bytes are refused).
std::optional<Value> DecodeAll(std::string_view in);

}  // namespace bookstamp::cbor
