// [[sip2.accounts]] in the TOML config (API.md "SIP2 accounts (config)").
#include <gtest/gtest.h>

#include <fstream>

#include "cli/config.hpp"
#include "storage/sqlite/test_support.hpp"

namespace bookstamp {
namespace {

Config Load(const std::string& toml) {
  testing::TempDir dir;
  auto path = dir.File("c.toml");
  std::ofstream(path) << toml;
  return LoadConfig(path);
}

TEST(Sip2Config, ReadsAccountsAsApiMdShowsThem) {
  auto c = Load(R"([[sip2.accounts]]
username = "kiosk1"
password = "secret"
branch = "A"
charset = "utf-8"
error_detection = true

[[sip2.accounts]]
username = "kiosk2"
password = "pw"
branch = "B"
charset = "cp850"
)");
  ASSERT_EQ(c.sip2_accounts.size(), 2u);
  EXPECT_EQ(c.sip2_accounts[0].username, "kiosk1");
  EXPECT_EQ(c.sip2_accounts[0].password, "secret");
  EXPECT_EQ(c.sip2_accounts[0].branch, "A");
  EXPECT_EQ(c.sip2_accounts[0].charset, "utf-8");
  EXPECT_TRUE(c.sip2_accounts[0].error_detection);
  EXPECT_EQ(c.sip2_accounts[1].charset, "cp850");
  EXPECT_FALSE(c.sip2_accounts[1].error_detection);
}

TEST(Sip2Config, NoSectionMeansNoAccounts) { EXPECT_TRUE(Load("").sip2_accounts.empty()); }

TEST(Sip2Config, RefusesBadAccounts) {
  EXPECT_THROW(Load("[[sip2.accounts]]\nusername = \"k\"\nbranch = \"A\"\n"), std::runtime_error);
  EXPECT_THROW(Load("[[sip2.accounts]]\nusername = \"k\"\npassword = \"p\"\nbranch = \"A\"\ncharset = \"latin1\"\n"),
               std::runtime_error);
  EXPECT_THROW(
      Load("[[sip2.accounts]]\nusername = \"k\"\npassword = \"p\"\nbranch = \"A\"\nerror_detection = \"yes\"\n"),
      std::runtime_error);
  EXPECT_THROW(Load("[[sip2.accounts]]\nusername = \"k\"\npassword = \"p\"\nbranch = \"A\"\n"
                    "[[sip2.accounts]]\nusername = \"k\"\npassword = \"q\"\nbranch = \"B\"\n"),
               std::runtime_error);
}

}  // namespace
}  // namespace bookstamp
