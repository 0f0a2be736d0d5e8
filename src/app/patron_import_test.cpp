#include "app/patron_import.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"
#include "app/crypto.hpp"

namespace bookstamp {
namespace {

using testing::Library;

TEST(PatronCsv, ReadsHeaderQuotesBomAndCrlf) {
  auto csv = ParsePatronCsv(
      "\xEF\xBB\xBF"
      "card,name,email,type,pin\r\n"
      "A001,\"Wang, Xiao-Ming\",wang@example.org,family,1234\r\n"
      "\r\n"
      "A002,\"Say \"\"hi\"\"\",,,5678\r\n",
      "p.csv");
  ASSERT_TRUE(csv.problems.empty());
  ASSERT_EQ(csv.rows.size(), 2u);
  EXPECT_EQ(csv.rows[0].position, "p.csv line 2");
  EXPECT_EQ(csv.rows[0].name, "Wang, Xiao-Ming");
  EXPECT_EQ(csv.rows[0].card, "A001");
  EXPECT_EQ(csv.rows[0].type, "family");
  EXPECT_EQ(csv.rows[1].name, "Say \"hi\"");
  EXPECT_EQ(csv.rows[1].position, "p.csv line 4");
  EXPECT_EQ(csv.rows[1].email, "");
}

TEST(PatronCsv, UsesTheDocumentedOrderWithoutHeader) {
  auto csv = ParsePatronCsv("Lin Mei,lin@example.org,B001,personal,0000\nOnly,two\n", "p.csv");
  ASSERT_EQ(csv.rows.size(), 1u);
  EXPECT_EQ(csv.rows[0].name, "Lin Mei");
  EXPECT_EQ(csv.rows[0].pin, "0000");
  ASSERT_EQ(csv.problems.size(), 1u);
  EXPECT_EQ(csv.problems[0].position, "p.csv line 2");
  EXPECT_EQ(csv.problems[0].reason, "2 columns, expected 5");
}

TEST(PatronCsv, ReportsAnUnclosedQuote) {
  auto csv = ParsePatronCsv("a,b,c,personal,1234\n\"open,b,c,personal,1234\n", "p.csv");
  ASSERT_FALSE(csv.problems.empty());
  EXPECT_EQ(csv.problems.back().reason, "quoted field not closed");
}

class PatronImport : public ::testing::Test {
 protected:
  PatronImportSummary Run(const std::string& text, PatronImportOptions o = {}) {
    auto csv = ParsePatronCsv(text, "p.csv");
    PatronImporter importer(lib.store(), env, Actor::System("cli"), o);
    importer.AddProblems(csv.problems);
    EXPECT_TRUE(importer.Import(csv.rows));
    importer.Finish({"p.csv"});
    return importer.summary();
  }
  std::string PinHash(const std::string& card) {
    return lib.Read(
        [&](SqlTx& tx) { return tx.QueryOne("SELECT pin_hash FROM cards WHERE number = ?", {card})->Text(0); });
  }
  Library lib;
  Env env = lib.env();
};

TEST_F(PatronImport, CreatesPatronsAndRefusesBadRows) {
  auto sum =
      Run("name,email,card,type,pin\n"
          "Lin Mei,lin@example.org,C1,personal,1234\n"
          "Wang,,C2,family,1234\n"
          ",x@example.org,C3,personal,1234\n"
          "No Pin,,C4,personal,\n"
          "Bad Type,,C5,vip,1234\n"
          "Bad Mail,nomail,C6,,1234\n");
  EXPECT_EQ(sum.rows, 6);
  EXPECT_EQ(sum.created, 2);
  EXPECT_EQ(sum.refused, 4);
  ASSERT_EQ(sum.problems.size(), 4u);
  EXPECT_EQ(sum.problems[0].position, "p.csv line 4");
  EXPECT_EQ(sum.problems[0].reason, "name: 1–200 characters");
  EXPECT_EQ(sum.problems[1].reason, "pin: required for a new card");
  EXPECT_EQ(sum.problems[2].reason, "type: personal, family or group");
  EXPECT_EQ(sum.problems[3].reason, "email: not an e-mail address");
  EXPECT_TRUE(crypto::VerifyPassword(PinHash("C1"), "1234"));
  // The same PIN within one run is hashed once.
  EXPECT_EQ(PinHash("C1"), PinHash("C2"));
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT type FROM cards WHERE number = 'C2'")->Text(0); }),
            "family");
}

TEST_F(PatronImport, ReimportUpdatesAndKeepsPinsUnlessAsked) {
  Run("Lin Mei,lin@example.org,C1,personal,1234\n");
  auto sum = Run("Lin Mei-Ling,lin@example.org,C1,family,9999\nLin Mei-Ling,lin@example.org,C1,family,9999\n");
  EXPECT_EQ(sum.created, 0);
  EXPECT_EQ(sum.updated, 1);
  EXPECT_EQ(sum.unchanged, 1);
  EXPECT_TRUE(crypto::VerifyPassword(PinHash("C1"), "1234"));
  EXPECT_EQ(lib.Read([](SqlTx& tx) {
    return tx.QueryOne("SELECT p.name FROM patrons p JOIN cards c ON c.patron_id = p.id WHERE c.number='C1'")->Text(0);
  }),
            "Lin Mei-Ling");
  PatronImportOptions o;
  o.update_pins = true;
  Run("Lin Mei-Ling,lin@example.org,C1,family,9999\n", o);
  EXPECT_TRUE(crypto::VerifyPassword(PinHash("C1"), "9999"));
  EXPECT_EQ(lib.Read([](SqlTx& tx) { return tx.QueryOne("SELECT COUNT(*) FROM patrons")->Int(0); }), 1);
}

TEST_F(PatronImport, AuditsTheRunWithoutPersonalData) {
  Run("Lin Mei,lin@example.org,C1,personal,1234\n");
  auto details = lib.Read(
      [](SqlTx& tx) { return tx.QueryOne("SELECT details FROM audit_log WHERE action = 'patron.import'")->Text(0); });
  EXPECT_NE(details.find("\"created\":1"), std::string::npos) << details;
  EXPECT_EQ(details.find("Lin Mei"), std::string::npos);
  EXPECT_EQ(details.find("1234"), std::string::npos);
}

}  // namespace
}  // namespace bookstamp
