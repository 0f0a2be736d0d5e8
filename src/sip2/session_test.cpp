// SIP2 sessions replay the saved transcripts (tests/data/sip2/*.txt) against a small library and
// must answer byte for byte. SIP2_UPDATE=1 rewrites the expected answers (review the diff!).
#include "sip2/session.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/circulation.hpp"
#include "app/ledger.hpp"
#include "sip2/sip2_test_support.hpp"
#include "sip2/transcript.hpp"

namespace bookstamp::sip2 {
namespace {

std::string Visible(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.pop_back();
  return s;
}

void Replay(const std::filesystem::path& file) {
  testing::KioskLibrary lib;
  Session session(lib.deps(), "127.0.0.1");
  bool update = std::getenv("SIP2_UPDATE") != nullptr;
  std::vector<std::string> answers;
  for (const auto& x : testing::ReadTranscript(file)) {
    SCOPED_TRACE(file.filename().string() + ":" + std::to_string(x.line));
    auto answer = Visible(testing::HandleSync(session, x.request));
    answers.push_back(answer);
    if (!update) EXPECT_EQ(answer, x.response);
  }
  if (!update) return;
  // Rewrite: each request line followed by its answer; comments kept.
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  std::string line;
  std::size_t i = 0;
  while (std::getline(in, line)) {
    if (line.rfind("< ", 0) == 0) continue;
    out << line << "\n";
    if (line.rfind("> ", 0) == 0 || line.rfind(">> ", 0) == 0 || line.rfind("! ", 0) == 0) {
      if (!answers[i].empty()) out << "< " << answers[i] << "\n";
      ++i;
    }
  }
  in.close();
  std::ofstream(file, std::ios::binary) << out.str();
}

TEST(Sip2Session, AnswersTheSavedTranscripts) {
  for (const auto& file : testing::TranscriptFiles(BOOKSTAMP_SIP2_DATA)) Replay(file);
}

TEST(Sip2Session, OfflineCheckoutIsFlaggedAndEarnsNothingWhenTheRulesRefuse) {
  testing::KioskLibrary lib;
  Session session(lib.deps(), "127.0.0.1");
  testing::HandleSync(session, "9300CNkiosk1|COsecret|\r");
  auto answer = testing::HandleSync(
      session, "11YY20260302    09000020260302    090000AOA|AAC1|ABI5|ACx|\r");
  EXPECT_EQ(answer.substr(0, 4), "121N");
  EXPECT_NE(answer.find("ITEM_NOT_LOANABLE"), std::string::npos);
  auto flagged = lib.lib().Read([](SqlTx& tx) {
    auto row = tx.QueryOne("SELECT review_reason, channel FROM loans WHERE review_reason IS NOT NULL");
    return row ? row->Text(0) + "/" + row->Text(1) : std::string();
  });
  EXPECT_EQ(flagged, "ITEM_NOT_LOANABLE/kiosk");
  auto balance = lib.lib().Read([](SqlTx& tx) { return BalanceOf(tx, CardNumber("C1")).balance; });
  EXPECT_EQ(balance, 1);  // the fixture's counter checkout only
  auto audited = lib.lib().Read([](SqlTx& tx) {
    return tx.QueryOne("SELECT COUNT(*) FROM audit_log WHERE action = 'circulation.checkout_offline'")->Int(0);
  });
  EXPECT_EQ(audited, 1);
}

TEST(Sip2Session, OfflineCheckoutOfAnItemOnLoanIsRefused) {
  testing::KioskLibrary lib;
  Session session(lib.deps(), "127.0.0.1");
  testing::HandleSync(session, "9300CNkiosk1|COsecret|\r");
  auto answer = testing::HandleSync(
      session, "11YY20260302    09000020260302    090000AOA|AAC1|ABI6|ACx|\r");
  EXPECT_EQ(answer.substr(0, 4), "120N");
  EXPECT_NE(answer.find("already on loan"), std::string::npos);
}

TEST(Sip2Session, OfflineCheckoutTheRulesAllowEarnsPoints) {
  testing::KioskLibrary lib;
  Session session(lib.deps(), "127.0.0.1");
  testing::HandleSync(session, "9300CNkiosk1|COsecret|\r");
  auto answer = testing::HandleSync(
      session, "11YY20260302    09000020260302    090000AOA|AAC1|ABI1|ACx|\r");
  EXPECT_EQ(answer.substr(0, 4), "121N") << answer;
  EXPECT_NE(answer.find("Points +"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("review"), std::string::npos) << answer;
}

}  // namespace
}  // namespace bookstamp::sip2
