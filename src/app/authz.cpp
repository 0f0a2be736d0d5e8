// Role table: counter ⊂ branch_admin ⊂ sysadmin; auditor reads reports and audit only.
#include "app/authz.hpp"

namespace bookstamp {
namespace {
bool RoleHas(Role role, Permission p) {
  switch (role) {
    case Role::kSysadmin:
      return true;
    case Role::kAuditor:
      return p == Permission::kReports || p == Permission::kAuditRead;
    case Role::kBranchAdmin:
      return p != Permission::kManageStaff && p != Permission::kManageBranches && p != Permission::kManagePolicy &&
             p != Permission::kAuditRead;
    case Role::kCounter:
      return p == Permission::kCirculation || p == Permission::kCounterRedeem || p == Permission::kBackfill ||
             p == Permission::kAttendanceToken;
  }
  return false;
}
}  // namespace

Result<void> Authorize(const Actor& actor, Permission p, const std::optional<BranchCode>& branch) {
  if (actor.kind == Actor::Kind::kSystem) return {};
  if (actor.kind != Actor::Kind::kStaff) return Fail(ErrorCode::kForbidden);
  if (!RoleHas(actor.role, p)) return Fail(ErrorCode::kForbidden);
  if (branch && !actor.CanActFor(*branch)) return Fail(ErrorCode::kForbidden);
  return {};
}

}  // namespace bookstamp
