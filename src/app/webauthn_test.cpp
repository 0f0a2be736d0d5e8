// WebAuthn checks against a software authenticator: registration and assertion, and each refusal.
#include "app/webauthn.hpp"

#include <gtest/gtest.h>

#include "app/webauthn_test_support.hpp"

namespace bookstamp::webauthn {
namespace {

using bookstamp::testing::ClientDataJson;
using bookstamp::testing::SoftAuthenticator;

const RelyingParty kRp{"library.example", {"https://library.example"}};
const std::string kChallenge = "c2VydmVyLWNoYWxsZW5nZQ";

ClientData Client(const std::string& type, const std::string& origin = "https://library.example",
                  const std::string& challenge = kChallenge) {
  return {type, challenge, origin, false};
}

TEST(WebAuthnRegistration, AcceptsNoneAttestationAndReturnsTheKey) {
  SoftAuthenticator a;
  auto json = ClientDataJson("webauthn.create", kChallenge, "https://library.example");
  auto r = VerifyRegistration(kRp, kChallenge, Client("webauthn.create"), json, a.AttestationObject(kRp.id));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->credential_id, a.credential_id());
  EXPECT_EQ(r->key.algorithm, kEs256);
  EXPECT_FALSE(r->key.spki_der.empty());
}

TEST(WebAuthnRegistration, AcceptsPackedSelfAttestation) {
  SoftAuthenticator a;
  auto json = ClientDataJson("webauthn.create", kChallenge, "https://library.example");
  auto r = VerifyRegistration(kRp, kChallenge, Client("webauthn.create"), json, a.PackedAttestationObject(kRp.id, json));
  ASSERT_TRUE(r) << r.error();
  // Signed over other client data: refused.
  auto other = ClientDataJson("webauthn.create", kChallenge, "https://library.example ");
  auto bad = VerifyRegistration(kRp, kChallenge, Client("webauthn.create"), json, a.PackedAttestationObject(kRp.id, other));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "attestation");
}

TEST(WebAuthnRegistration, RefusesEachBrokenPart) {
  SoftAuthenticator a;
  auto json = ClientDataJson("webauthn.create", kChallenge, "https://library.example");
  struct Row {
    const char* what;
    ClientData client;
    std::string attestation;
    std::string reason;
  } rows[] = {
      {"get instead of create", Client("webauthn.get"), a.AttestationObject(kRp.id), "type"},
      {"wrong origin", Client("webauthn.create", "https://evil.example"), a.AttestationObject(kRp.id), "origin"},
      {"http origin", Client("webauthn.create", "http://library.example"), a.AttestationObject(kRp.id), "origin"},
      {"other challenge", Client("webauthn.create", "https://library.example", "b3RoZXI"), a.AttestationObject(kRp.id),
       "challenge"},
      {"wrong rpIdHash", Client("webauthn.create"), a.AttestationObject("evil.example"), "rp_id"},
      {"no user presence", Client("webauthn.create"), a.AttestationObject(kRp.id, 0x04), "user_presence"},
      {"not CBOR", Client("webauthn.create"), "not cbor", "attestation_object"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    auto r = VerifyRegistration(kRp, kChallenge, row.client, json, row.attestation);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), row.reason);
  }
}

TEST(WebAuthnRegistration, RefusesTruncatedAttestationObjectsWithoutCrashing) {
  SoftAuthenticator a;
  auto json = ClientDataJson("webauthn.create", kChallenge, "https://library.example");
  auto att = a.AttestationObject(kRp.id);
  for (std::size_t n = 0; n < att.size(); ++n)
    EXPECT_FALSE(VerifyRegistration(kRp, kChallenge, Client("webauthn.create"), json, att.substr(0, n))) << n;
}

TEST(WebAuthnAuthData, RefusesTruncationAndTrailingBytes) {
  SoftAuthenticator a;
  auto ad = a.AuthData(kRp.id, 0x45, 0, true);
  ASSERT_TRUE(ParseAuthData(ad));
  for (std::size_t n = 0; n < ad.size(); ++n) EXPECT_FALSE(ParseAuthData(ad.substr(0, n))) << n;
  EXPECT_FALSE(ParseAuthData(ad + "x"));
}

class WebAuthnAssertion : public ::testing::Test {
 protected:
  void SetUp() override {
    auto json = ClientDataJson("webauthn.create", kChallenge, "https://library.example");
    auto r = VerifyRegistration(kRp, kChallenge, Client("webauthn.create"), json, a.AttestationObject(kRp.id));
    ASSERT_TRUE(r);
    key = r->key;
  }
  SoftAuthenticator a;
  PublicKey key;
};

TEST_F(WebAuthnAssertion, AcceptsAGoodSignature) {
  auto json = ClientDataJson("webauthn.get", kChallenge, "https://library.example");
  auto s = a.Assert(kRp.id, json);
  auto r = VerifyAssertion(kRp, kChallenge, Client("webauthn.get"), json, s.authenticator_data, s.signature, key);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->sign_count, 1u);
}

TEST_F(WebAuthnAssertion, RefusesABadSignature) {
  auto json = ClientDataJson("webauthn.get", kChallenge, "https://library.example");
  auto s = a.Assert(kRp.id, json);
  auto sig = s.signature;
  sig[sig.size() - 1] = static_cast<char>(sig.back() ^ 1);
  auto r = VerifyAssertion(kRp, kChallenge, Client("webauthn.get"), json, s.authenticator_data, sig, key);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "signature");
  // Signed client data that differs from what is presented.
  auto other = ClientDataJson("webauthn.get", kChallenge, "https://library.example/");
  auto r2 = VerifyAssertion(kRp, kChallenge, Client("webauthn.get"), json, s.authenticator_data,
                            a.Sign(s.authenticator_data + crypto::Sha256(other)), key);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error(), "signature");
}

TEST_F(WebAuthnAssertion, RefusesAnotherKeysSignature) {
  SoftAuthenticator b;
  auto json = ClientDataJson("webauthn.get", kChallenge, "https://library.example");
  auto s = b.Assert(kRp.id, json);
  auto r = VerifyAssertion(kRp, kChallenge, Client("webauthn.get"), json, s.authenticator_data, s.signature, key);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "signature");
}

TEST_F(WebAuthnAssertion, RefusesWrongOriginRpIdTypeAndPresence) {
  auto json = ClientDataJson("webauthn.get", kChallenge, "https://library.example");
  auto good = a.Assert(kRp.id, json);
  auto r = VerifyAssertion(kRp, kChallenge, Client("webauthn.get", "https://evil.example"), json,
                           good.authenticator_data, good.signature, key);
  EXPECT_EQ(r.error(), "origin");
  r = VerifyAssertion(kRp, kChallenge, Client("webauthn.create"), json, good.authenticator_data, good.signature, key);
  EXPECT_EQ(r.error(), "type");
  auto other_rp = a.Assert("evil.example", json);
  r = VerifyAssertion(kRp, kChallenge, Client("webauthn.get"), json, other_rp.authenticator_data, other_rp.signature,
                      key);
  EXPECT_EQ(r.error(), "rp_id");
  auto absent = a.Assert(kRp.id, json, 0x00);
  r = VerifyAssertion(kRp, kChallenge, Client("webauthn.get"), json, absent.authenticator_data, absent.signature, key);
  EXPECT_EQ(r.error(), "user_presence");
}

TEST(WebAuthnCounter, MustGrowUnlessBothAreZero) {
  EXPECT_TRUE(CounterAdvances(0, 0));
  EXPECT_TRUE(CounterAdvances(0, 1));
  EXPECT_TRUE(CounterAdvances(5, 6));
  EXPECT_FALSE(CounterAdvances(5, 5));
  EXPECT_FALSE(CounterAdvances(5, 4));
  EXPECT_FALSE(CounterAdvances(5, 0));
}

TEST(WebAuthnCoseKey, RefusesUnsupportedOrInvalidKeys) {
  using namespace bookstamp::testing::cbor_out;
  SoftAuthenticator a;
  ASSERT_TRUE(PublicKeyFromCose(a.CoseKey()));
  // P-384 curve id, a point off the curve, a missing y.
  auto p384 = Map(5) + Int(1) + Int(2) + Int(3) + Int(-7) + Int(-1) + Int(2) + Int(-2) + Bytes(std::string(32, '\1')) +
              Int(-3) + Bytes(std::string(32, '\1'));
  auto off = Map(5) + Int(1) + Int(2) + Int(3) + Int(-7) + Int(-1) + Int(1) + Int(-2) + Bytes(std::string(32, '\1')) +
             Int(-3) + Bytes(std::string(32, '\1'));
  auto no_y = Map(4) + Int(1) + Int(2) + Int(3) + Int(-7) + Int(-1) + Int(1) + Int(-2) + Bytes(std::string(32, '\1'));
  auto eddsa = Map(4) + Int(1) + Int(1) + Int(3) + Int(-8) + Int(-1) + Int(6) + Int(-2) + Bytes(std::string(32, '\1'));
  EXPECT_FALSE(PublicKeyFromCose(p384));
  EXPECT_FALSE(PublicKeyFromCose(off));
  EXPECT_FALSE(PublicKeyFromCose(no_y));
  EXPECT_FALSE(PublicKeyFromCose(eddsa));
}

}  // namespace
}  // namespace bookstamp::webauthn
