// The rotating code derivation, checked against vectors computed independently (docs/passbook.md).
#include "app/codes.hpp"

#include <gtest/gtest.h>

namespace bookstamp {
namespace {

std::string Key() {
  std::string key;
  for (int i = 0; i < 32; ++i) key.push_back(static_cast<char>(i));
  return key;
}

TEST(RotatingCode, MatchesPublishedVectors) {
  EXPECT_EQ(Otp(Key(), 0), "68419513");
  EXPECT_EQ(Otp(Key(), 1), "91668569");
  EXPECT_EQ(Otp(Key(), 9), "76547320");
  EXPECT_EQ(Otp(Key(), 10), "29876648");
  EXPECT_EQ(RedemptionCode(RedemptionId(42), Key(), 1), "R42-91668569");
  EXPECT_EQ(EventToken(EventId(7), Key(), 0), "E7-68419513");
}

TEST(RotatingCode, AcceptsCurrentAndPreviousStepOnly) {
  EXPECT_TRUE(OtpMatches(Key(), 10, Otp(Key(), 10)));
  EXPECT_TRUE(OtpMatches(Key(), 10, Otp(Key(), 9)));
  EXPECT_FALSE(OtpMatches(Key(), 10, Otp(Key(), 8)));
  EXPECT_FALSE(OtpMatches(Key(), 10, Otp(Key(), 11)));
}

TEST(RotatingCode, ParsesOnlyWellFormedCodes) {
  auto p = ParseCode("R42-91668569", 'R');
  ASSERT_TRUE(p);
  EXPECT_EQ(p->id, 42);
  EXPECT_EQ(p->otp, "91668569");
  for (const char* bad : {"", "R", "R-12345678", "R42-1234567", "R42-123456789", "E42-91668569", "R4a-91668569",
                          "R42_91668569", "R0-12345678", "R42-9166856x"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseCode(bad, 'R'));
  }
}

TEST(RotatingCode, StepEndsEveryThirtySeconds) {
  auto origin = FromMillis(1'000'000);
  EXPECT_EQ(ToMillis(StepEnds(origin, 0)), 1'030'000);
  EXPECT_EQ(ToMillis(StepEnds(origin, 3)), 1'120'000);
}

}  // namespace
}  // namespace bookstamp
