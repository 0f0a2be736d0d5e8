// CBOR decoding; see cbor.hpp.
#include "app/cbor.hpp"

#include <algorithm>
#include <limits>

namespace bookstamp::cbor {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::size_t pos() const { return pos_; }

  std::optional<Value> Item(int depth) {
    if (depth > kMaxDepth || pos_ >= in_.size()) return std::nullopt;
    auto initial = static_cast<std::uint8_t>(in_[pos_++]);
    int major = initial >> 5;
    std::uint64_t arg = 0;
    if (!Argument(initial & 0x1f, arg)) return std::nullopt;
    switch (major) {
      case 0:
        if (arg > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
        return Value{static_cast<std::int64_t>(arg)};
      case 1:
        if (arg > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
        return Value{-1 - static_cast<std::int64_t>(arg)};
      case 2:
      case 3: {
        if (arg > in_.size() - pos_) return std::nullopt;
        std::string s(in_.substr(pos_, arg));
        pos_ += arg;
        if (major == 2) return Value{Bytes{std::move(s)}};
        return Value{std::move(s)};
      }
      case 4: {
        // Each element takes at least one byte: a count beyond the rest is malformed.
        if (arg > in_.size() - pos_) return std::nullopt;
        Array a;
        a.reserve(std::min<std::uint64_t>(arg, 64));  // counts are untrusted
        for (std::uint64_t i = 0; i < arg; ++i) {
          auto v = Item(depth + 1);
          if (!v) return std::nullopt;
          a.push_back(std::move(*v));
        }
        return Value{std::move(a)};
      }
      case 5: {
        if (arg > (in_.size() - pos_) / 2) return std::nullopt;
        Map m;
        m.reserve(std::min<std::uint64_t>(arg, 64));
        for (std::uint64_t i = 0; i < arg; ++i) {
          auto k = Item(depth + 1);
          if (!k) return std::nullopt;
          auto v = Item(depth + 1);
          if (!v) return std::nullopt;
          m.emplace_back(std::move(*k), std::move(*v));
        }
        return Value{std::move(m)};
      }
      case 7:
        if ((initial & 0x1f) >= 20 && (initial & 0x1f) <= 22) return Value{Simple{static_cast<std::uint8_t>(arg)}};
        return std::nullopt;  // floats, undefined, other simple values, break
      default:
        return std::nullopt;  // tags (6)
    }
  }

 private:
  bool Argument(std::uint8_t info, std::uint64_t& out) {
    if (info < 24) {
      out = info;
      return true;
    }
    std::size_t n = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
    if (n == 0 || n > in_.size() - pos_) return false;  // 28-30 reserved, 31 indefinite
    out = 0;
    for (std::size_t i = 0; i < n; ++i) out = (out << 8) | static_cast<std::uint8_t>(in_[pos_++]);
    return true;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

const Value* Value::Find(std::int64_t key) const {
  if (auto* m = AsMap())
    for (const auto& [k, val] : *m)
      if (auto* i = k.AsInt(); i && *i == key) return &val;
  return nullptr;
}

const Value* Value::Find(std::string_view key) const {
  if (auto* m = AsMap())
    for (const auto& [k, val] : *m)
      if (auto* s = k.AsText(); s && *s == key) return &val;
  return nullptr;
}

std::optional<Value> Decode(std::string_view in, std::size_t* consumed) {
  Reader r(in);
  auto v = r.Item(0);
  if (v && consumed) *consumed = r.pos();
  return v;
}

std::optional<Value> DecodeAll(std::string_view in) {
  std::size_t used = 0;
  auto v = Decode(in, &used);
  if (!v || used != in.size()) return std::nullopt;
  return v;
}

}  // namespace bookstamp::cbor
