// The CBOR decoder: the items WebAuthn uses, and malformed input refused without a crash.
#include "app/cbor.hpp"

#include <gtest/gtest.h>

#include <random>

#include "app/webauthn_test_support.hpp"

namespace bookstamp {
namespace {

using namespace testing::cbor_out;

TEST(Cbor, DecodesACoseKeyMap) {
  auto bytes = Map(3) + Int(1) + Int(2) + Int(3) + Int(-7) + Int(-2) + Bytes(std::string(32, 'x'));
  auto v = cbor::DecodeAll(bytes);
  ASSERT_TRUE(v);
  ASSERT_TRUE(v->Find(1) && v->Find(1)->AsInt());
  EXPECT_EQ(*v->Find(1)->AsInt(), 2);
  EXPECT_EQ(*v->Find(3)->AsInt(), -7);
  EXPECT_EQ(*v->Find(-2)->AsBytes(), std::string(32, 'x'));
  EXPECT_EQ(v->Find(4), nullptr);
}

TEST(Cbor, DecodesTextKeysArraysAndLongLengths) {
  std::string big(300, 'a');
  auto bytes = Map(2) + Text("fmt") + Text(big) + Text("x5c") + Array(2) + Bytes("a") + Int(1000000);
  auto v = cbor::DecodeAll(bytes);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v->Find("fmt")->AsText(), big);
  ASSERT_TRUE(v->Find("x5c")->AsArray());
  EXPECT_EQ(v->Find("x5c")->AsArray()->size(), 2u);
  EXPECT_EQ(*v->Find("x5c")->AsArray()->at(1).AsInt(), 1000000);
}

TEST(Cbor, ReportsBytesConsumedAndRefusesTrailingBytesInDecodeAll) {
  auto bytes = Map(0) + Int(5);
  std::size_t used = 0;
  ASSERT_TRUE(cbor::Decode(bytes, &used));
  EXPECT_EQ(used, 1u);
  EXPECT_FALSE(cbor::DecodeAll(bytes));
}

TEST(Cbor, RefusesMalformedInput) {
  const std::string cases[] = {
      "",                                  // nothing
      std::string("\x58", 1),              // byte string length byte missing
      std::string("\x58\x05" "ab", 4),     // byte string shorter than its length
      std::string("\x5b\xff\xff\xff\xff\xff\xff\xff\xff", 9),  // absurd length
      std::string("\x9b\xff\xff\xff\xff\xff\xff\xff\xff", 9),  // absurd array count
      std::string("\xbb\x7f\xff\xff\xff\xff\xff\xff\xff", 9),  // absurd map count
      std::string("\xa1\x01", 2),          // map missing its value
      std::string("\x5f\x41\x61\xff", 4),  // indefinite length
      std::string("\xc2\x41\x01", 3),      // a tag
      std::string("\xf9\x3c\x00", 3),      // a half float
      std::string("\x1c", 1),              // reserved additional info
      std::string("\x1b\xff\xff\xff\xff\xff\xff\xff\xff", 9),  // unsigned beyond int64
      std::string("\xff", 1),              // a lone break
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(testing::cbor_out::Bytes(c).size());
    EXPECT_FALSE(cbor::Decode(c));
  }
}

TEST(Cbor, RefusesNestingDeeperThanTheLimit) {
  std::string deep(cbor::kMaxDepth + 2, '\x81');
  deep += '\x00';
  EXPECT_FALSE(cbor::Decode(deep));
  std::string ok(cbor::kMaxDepth, '\x81');
  ok += '\x00';
  EXPECT_TRUE(cbor::Decode(ok));
}

// Random and truncated inputs: every answer is a value or nullopt, never a crash or a hang.
TEST(Cbor, SurvivesRandomAndTruncatedInput) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> byte(0, 255), len(0, 64);
  for (int i = 0; i < 20000; ++i) {
    std::string s(len(rng), '\0');
    for (auto& c : s) c = static_cast<char>(byte(rng));
    (void)cbor::Decode(s);
  }
  auto good = Map(2) + Text("fmt") + Text("none") + Text("authData") + Bytes(std::string(100, 'z'));
  for (std::size_t n = 0; n < good.size(); ++n) EXPECT_FALSE(cbor::DecodeAll(good.substr(0, n))) << n;
  for (std::size_t i = 0; i < good.size(); ++i) {
    auto flipped = good;
    flipped[i] = static_cast<char>(flipped[i] ^ 0xff);
    (void)cbor::Decode(flipped);
  }
}

}  // namespace
}  // namespace bookstamp
