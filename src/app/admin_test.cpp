// Staff accounts (PRODUCT.md A8): the sysadmin's list and changes, each audited; a changed or
// disabled account is signed out everywhere; nobody locks themselves out.
#include "app/admin.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"
#include "app/audit.hpp"
#include "app/prizes.hpp"

namespace bookstamp {
namespace {

Actor StaffActor(StaffId id, const std::string& username, Role role, std::optional<std::string> branch) {
  Actor a;
  a.kind = Actor::Kind::kStaff;
  a.staff = id;
  a.username = username;
  a.role = role;
  if (branch) a.branch = BranchCode(*branch);
  a.label = "staff:" + username;
  return a;
}

class StaffAccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lib.AddBranch("A");
    lib.AddBranch("B");
    root = Make("root", Role::kSysadmin, {});
    amy = Make("amy", Role::kCounter, "A");
  }
  StaffView Make(const std::string& username, Role role, std::optional<std::string> branch) {
    auto s = lib.Do([&](SqlTx& tx) {
      return CreateStaff(tx, lib.env(), lib.actor(),
                         {username, "hash-" + username, role,
                          branch ? std::optional<BranchCode>(BranchCode(*branch)) : std::nullopt});
    });
    EXPECT_TRUE(s);
    return *s;
  }
  Actor Root() const { return StaffActor(root.id, "root", Role::kSysadmin, {}); }
  Result<StaffAccount> Patch(const Actor& who, const std::string& username, const StaffPatch& p) {
    return lib.Do([&](SqlTx& tx) { return UpdateStaff(tx, lib.env(), who, username, p); });
  }
  std::int64_t Sessions(StaffId id) {
    return lib.Read([&](SqlTx& tx) {
      return tx.QueryOne("SELECT count(*) FROM sessions WHERE staff_id = ?", {id.value()})->Int(0);
    });
  }
  void OpenSession(StaffId id, const std::string& token) {
    lib.Write([&](SqlTx& tx) {
      tx.Exec("INSERT INTO sessions(token_hash, staff_id, created_at, expires_at) VALUES (?,?,0,9999999999999)",
              {token, id.value()});
    });
  }
  std::string LastAction() {
    return lib.Read([&](SqlTx& tx) { return tx.QueryOne("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")->Text(0); });
  }
  testing::Library lib;
  StaffView root, amy;
};

TEST_F(StaffAccountsTest, SysadminListsAccountsOthersMayNot) {
  auto list = lib.Read([&](SqlTx& tx) { return ListStaff(tx, Root()); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].view.username, "amy");
  EXPECT_EQ((*list)[0].view.branch->value(), "A");
  EXPECT_TRUE((*list)[0].active);
  auto boss = StaffActor(StaffId(99), "boss", Role::kBranchAdmin, "A");
  auto refused = lib.Read([&](SqlTx& tx) { return ListStaff(tx, boss); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
}

TEST_F(StaffAccountsTest, RoleAndBranchChangeIsAuditedAndSignsOut) {
  OpenSession(amy.id, "t1");
  OpenSession(amy.id, "t2");
  OpenSession(root.id, "t3");
  StaffPatch p;
  p.role = Role::kBranchAdmin;
  p.branch = std::optional<BranchCode>(BranchCode("B"));
  auto a = Patch(Root(), "amy", p);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->view.role, Role::kBranchAdmin);
  EXPECT_EQ(a->view.branch->value(), "B");
  EXPECT_EQ(Sessions(amy.id), 0);
  EXPECT_EQ(Sessions(root.id), 1);  // only the changed account's sessions end
  EXPECT_EQ(LastAction(), "staff.update");
  auto details = lib.Read([&](SqlTx& tx) {
    return tx.QueryOne("SELECT details FROM audit_log ORDER BY seq DESC LIMIT 1")->Text(0);
  });
  EXPECT_NE(details.find("\"sessions_revoked\":2"), std::string::npos) << details;
  EXPECT_TRUE(lib.Read([&](SqlTx& tx) { return VerifyAudit(tx); }).ok);
}

TEST_F(StaffAccountsTest, DisableAndPasswordResetNeverAuditTheHash) {
  StaffPatch p;
  p.active = false;
  p.password_hash = "new-secret-hash";
  auto a = Patch(Root(), "amy", p);
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->active);
  auto row = lib.Read([&](SqlTx& tx) {
    return tx.QueryOne("SELECT password_hash, active FROM staff WHERE username = 'amy'")->Text(0);
  });
  EXPECT_EQ(row, "new-secret-hash");
  auto details = lib.Read([&](SqlTx& tx) {
    return tx.QueryOne("SELECT details FROM audit_log ORDER BY seq DESC LIMIT 1")->Text(0);
  });
  EXPECT_EQ(details.find("new-secret-hash"), std::string::npos);
  EXPECT_NE(details.find("password_reset"), std::string::npos);
}

TEST_F(StaffAccountsTest, RefusalsChangeNothing) {
  StaffPatch self;
  self.active = false;
  auto mine = Patch(Root(), "root", self);
  ASSERT_FALSE(mine);
  EXPECT_EQ(mine.error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(mine.error().field, "active");
  StaffPatch demote;
  demote.role = Role::kCounter;
  EXPECT_FALSE(Patch(Root(), "root", demote));
  auto none = Patch(Root(), "nobody", demote);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  StaffPatch branch;
  branch.branch = std::optional<BranchCode>(BranchCode("ZZ"));
  auto bad = Patch(Root(), "amy", branch);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kBranchNotFound);
  auto by_counter = Patch(StaffActor(amy.id, "amy", Role::kCounter, "A"), "root", demote);
  ASSERT_FALSE(by_counter);
  EXPECT_EQ(by_counter.error().code, ErrorCode::kForbidden);
  auto list = lib.Read([&](SqlTx& tx) { return ListStaff(tx, Root()); });
  EXPECT_EQ((*list)[0].view.role, Role::kCounter);
  EXPECT_EQ((*list)[1].view.role, Role::kSysadmin);
  EXPECT_TRUE((*list)[1].active);
}

TEST_F(StaffAccountsTest, StaffPrizeListingShowsPrizesNotOnSale) {
  auto make = [&](const std::string& branch, const std::string& name, std::optional<std::string> from,
                  std::optional<std::string> until) {
    ASSERT_TRUE(lib.Do([&](SqlTx& tx) {
      PrizeInput in;
      in.branch = BranchCode(branch);
      in.name = name;
      in.cost = 1;
      in.stock = 1;
      if (from) in.on_sale_from = *ParseRfc3339(*from);
      if (until) in.on_sale_until = *ParseRfc3339(*until);
      return CreatePrize(tx, lib.env(), lib.actor(), in);
    }));
  };
  make("A", "now", {}, {});
  make("A", "later", "2026-04-01T00:00:00+08:00", {});
  make("A", "ended", {}, "2026-03-01T00:00:00+08:00");
  make("B", "other", {}, {});
  auto on_sale = lib.Read([&](SqlTx& tx) { return ListPrizes(tx, lib.env(), {}); });
  EXPECT_EQ(on_sale.size(), 2u);
  auto boss = StaffActor(StaffId(99), "boss", Role::kBranchAdmin, "A");
  auto all = lib.Read([&](SqlTx& tx) { return ListAllPrizes(tx, lib.env(), boss, {}); });
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);  // branch A only, on sale or not
  PrizeFilter other;
  other.branches = {BranchCode("B")};
  auto refused = lib.Read([&](SqlTx& tx) { return ListAllPrizes(tx, lib.env(), boss, other); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  auto counter = lib.Read([&](SqlTx& tx) {
    return ListAllPrizes(tx, lib.env(), StaffActor(amy.id, "amy", Role::kCounter, "A"), {});
  });
  EXPECT_FALSE(counter);
  auto everything = lib.Read([&](SqlTx& tx) { return ListAllPrizes(tx, lib.env(), Root(), {}); });
  EXPECT_EQ(everything->size(), 4u);
}

}  // namespace
}  // namespace bookstamp
