// Who may do what (API.md "Staff"): roles, and branch scope.
#pragma once
#include <optional>

#include "app/context.hpp"
#include "domain/error.hpp"

namespace bookstamp {

enum class Permission {
  kCirculation,      // checkout, check-in, renew, desk look-ups, hold lists
  kCounterRedeem,    // scan, complete, redeem by card, cancel completed
  kBackfill,         // file and approve backfills
  kAttendanceToken,  // show an event's rotating QR
  kManagePrizes,
  kManageEvents,
  kManageContent,
  kManageCatalog,    // bibs and items, patrons
  kReports,
  kAuditRead,
  kManageStaff,
  kManageBranches,
  kManagePolicy,
};

// FORBIDDEN unless the actor's role has the permission and, when `branch` is given,
// the actor acts for that branch (all-branch staff always do). UNAUTHENTICATED for patrons.
[[nodiscard]] Result<void> Authorize(const Actor& actor, Permission p, const std::optional<BranchCode>& branch = {});

}  // namespace bookstamp
