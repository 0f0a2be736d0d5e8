// Branches, patrons and cards, staff accounts and policy (API.md "Staff"): every change audited.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"
#include "app/sessions.hpp"
#include "domain/points.hpp"

namespace bookstamp {

struct BranchInput {
  std::string code;
  std::string name;
  bool mobile_checkout = false;
};
struct BranchPatch {
  std::optional<std::string> name;
  std::optional<bool> mobile_checkout;
  std::optional<std::set<unsigned>> closed_weekdays;
};

std::vector<Branch> ListBranches(SqlTx& tx);
[[nodiscard]] Result<Branch> CreateBranch(SqlTx& tx, const Env& env, const Actor& actor, const BranchInput& in);
[[nodiscard]] Result<Branch> UpdateBranch(SqlTx& tx, const Env& env, const Actor& actor, const BranchCode& code,
                                          const BranchPatch& patch);
[[nodiscard]] Result<void> SetHoliday(SqlTx& tx, const Env& env, const Actor& actor, const BranchCode& code, Date day,
                                      const std::string& name, bool closed);

struct PatronInput {
  std::string name;
  std::optional<std::string> email;
  std::string card;
  CardType type = CardType::kPersonal;
  std::string pin_hash;  // argon2id, computed off the writer thread
};
struct PatronCreated {
  PatronId id;
  CardNumber card;
};
[[nodiscard]] Result<PatronCreated> CreatePatron(SqlTx& tx, const Env& env, const Actor& actor, const PatronInput& in);

struct StaffInput {
  std::string username;
  std::string password_hash;  // argon2id
  Role role = Role::kCounter;
  std::optional<BranchCode> branch;
};
[[nodiscard]] Result<StaffView> CreateStaff(SqlTx& tx, const Env& env, const Actor& actor, const StaffInput& in);

struct StaffAccount {
  StaffView view;
  bool active = true;
  Instant created_at;
};
// Every account, by username (sysadmin only). Password hashes never leave the database.
[[nodiscard]] Result<std::vector<StaffAccount>> ListStaff(SqlTx& tx, const Actor& actor);

// A merge patch; for `branch` the outer optional says "present" (inner nullopt: all branches).
struct StaffPatch {
  std::optional<Role> role;
  std::optional<std::optional<BranchCode>> branch;
  std::optional<bool> active;
  std::optional<std::string> password_hash;  // a reset: argon2id of the new password
};
// Sysadmin only; NOT_FOUND for an unknown username; nobody disables or demotes their own account.
// A change of role, branch, activity or password signs the account out everywhere.
[[nodiscard]] Result<StaffAccount> UpdateStaff(SqlTx& tx, const Env& env, const Actor& actor,
                                               const std::string& username, const StaffPatch& patch);

struct PolicyView {
  LibraryPolicy library;
  PointsPolicy points;
  bool backfill_second_person = true;  // 補登 credits only after a second staff member approves
};
PolicyView LoadAllPolicy(SqlTx& tx);
// First start: writes the config file's defaults when the database has no policy yet.
void SeedPolicyIfEmpty(SqlTx& tx, const Env& env, const PolicyView& defaults);
[[nodiscard]] Result<PolicyView> UpdatePolicy(SqlTx& tx, const Env& env, const Actor& actor, const PolicyView& next);

}  // namespace bookstamp
