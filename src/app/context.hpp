// What every use case is given: the clock, the library's time zone, and who is acting.
#pragma once
#include <optional>
#include <string>

#include "app/ports/clock.hpp"
#include "domain/error.hpp"
#include "domain/model.hpp"

namespace bookstamp {

struct Env {
  const Clock& clock;
  const TimeZone& tz;
  Instant Now() const { return clock.Now(); }
  Date Today() const { return tz.LocalDay(clock.Now()); }
};

// The authenticated caller. Staff have a role and maybe a branch (nullopt = all branches).
struct Actor {
  enum class Kind { kPatron, kStaff, kSystem };
  Kind kind = Kind::kSystem;
  std::optional<AccountId> account;  // patrons
  std::optional<StaffId> staff;      // staff
  std::string username;              // staff
  Role role = Role::kAuditor;
  std::optional<BranchCode> branch;  // staff: their branch, nullopt = all
  std::string label = "system";      // audit actor: "staff:alice", "patron:12", "system", "cli"

  static Actor System(std::string label = "system") {
    Actor a;
    a.label = std::move(label);
    return a;
  }
  bool IsStaff() const { return kind == Kind::kStaff; }
  // All-branch staff pass; branch staff only for their own branch.
  bool CanActFor(const BranchCode& b) const { return kind == Kind::kSystem || !branch || *branch == b; }
};

}  // namespace bookstamp
