// Strong typedefs for identifiers: a CardNumber cannot be passed where an ItemBarcode is expected.
#pragma once
#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

namespace bookstamp {

template <class Tag, class T>
class StrongId {
 public:
  using ValueType = T;
  StrongId() = default;
  explicit StrongId(T value) : value_(std::move(value)) {}
  const T& value() const { return value_; }
  auto operator<=>(const StrongId&) const = default;
  bool operator==(const StrongId&) const = default;

 private:
  T value_{};
};

using CardNumber = StrongId<struct CardNumberTag, std::string>;
using ItemBarcode = StrongId<struct ItemBarcodeTag, std::string>;
using BranchCode = StrongId<struct BranchCodeTag, std::string>;
using PatronId = StrongId<struct PatronIdTag, std::int64_t>;
using AccountId = StrongId<struct AccountIdTag, std::int64_t>;
using StaffId = StrongId<struct StaffIdTag, std::int64_t>;
using BibId = StrongId<struct BibIdTag, std::int64_t>;
using ItemId = StrongId<struct ItemIdTag, std::int64_t>;
using LoanId = StrongId<struct LoanIdTag, std::int64_t>;
using HoldId = StrongId<struct HoldIdTag, std::int64_t>;

}  // namespace bookstamp

template <class Tag, class T>
struct std::hash<bookstamp::StrongId<Tag, T>> {
  std::size_t operator()(const bookstamp::StrongId<Tag, T>& id) const noexcept { return std::hash<T>{}(id.value()); }
};
