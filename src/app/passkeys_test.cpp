// Passkey use cases over a real SQLite store with a software authenticator: registration, login,
// and the refusals (challenge reused or expired, counter going back, another card's credential).
#include "app/passkeys.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"
#include "app/webauthn_test_support.hpp"

namespace bookstamp {
namespace {

using testing::ClientDataJson;
using testing::SoftAuthenticator;

const webauthn::RelyingParty kRp{"localhost", {"http://localhost:8080"}};
const std::string kOrigin = "http://localhost:8080";

class Passkeys : public ::testing::Test {
 protected:
  void SetUp() override {
    lib.AddCard("A001");
    lib.AddCard("B002");
    account_a = Login("A001");
    account_b = Login("B002");
  }
  AccountId Login(const std::string& card) {
    auto s = lib.Do([&](SqlTx& tx) { return OpenPatronSession(tx, lib.env(), CardNumber(card), "10.0.0.1"); });
    EXPECT_TRUE(s);
    return s->account;
  }
  // Runs a use case and commits whatever it answers (as the HTTP handlers do).
  template <class F>
  auto Commit(F f) {
    std::optional<decltype(f(std::declval<SqlTx&>()))> out;
    lib.Write([&](SqlTx& tx) { out.emplace(f(tx)); });
    return std::move(*out);
  }
  Result<PasskeyView> Register(SoftAuthenticator& a, AccountId account, const std::string& card,
                               const std::string& origin = kOrigin) {
    auto opts = lib.Do([&](SqlTx& tx) { return BeginPasskeyRegistration(tx, lib.env(), account, CardNumber(card)); });
    EXPECT_TRUE(opts);
    if (!opts) return Fail(opts.error());
    NewPasskey in;
    in.client_data_json = ClientDataJson("webauthn.create", opts->challenge, origin);
    in.client = {"webauthn.create", opts->challenge, origin, false};
    in.attestation_object = a.AttestationObject(kRp.id);
    in.name = "My phone";
    in.transports = {"internal", "hybrid"};
    return Commit([&](SqlTx& tx) { return RegisterPasskey(tx, lib.env(), kRp, account, CardNumber(card), in); });
  }
  std::string LoginChallenge(std::optional<std::string> card = std::nullopt) {
    return Commit([&](SqlTx& tx) {
             return BeginPasskeyLogin(tx, lib.env(), card ? std::optional(CardNumber(*card)) : std::nullopt);
           }).challenge;
  }
  PasskeyAssertion Assertion(SoftAuthenticator& a, const std::string& challenge, const std::string& origin = kOrigin,
                             const std::string& rp_id = "localhost") {
    PasskeyAssertion in;
    in.credential_id = a.credential_id_b64();
    in.client_data_json = ClientDataJson("webauthn.get", challenge, origin);
    in.client = {"webauthn.get", challenge, origin, false};
    auto s = a.Assert(rp_id, in.client_data_json);
    in.authenticator_data = s.authenticator_data;
    in.signature = s.signature;
    return in;
  }
  Result<PatronSession> LogIn(const PasskeyAssertion& in) {
    return Commit([&](SqlTx& tx) { return LoginWithPasskey(tx, lib.env(), kRp, in, "10.0.0.9"); });
  }
  static void ExpectCode(const DomainError& e, ErrorCode code, const std::string& reason = "") {
    EXPECT_EQ(ToString(e.code), ToString(code));
    if (!reason.empty()) {
      ASSERT_NE(e.Arg("reason"), nullptr);
      EXPECT_EQ(*e.Arg("reason"), reason);
    }
  }

  testing::Library lib;
  AccountId account_a, account_b;
};

TEST_F(Passkeys, RegisterThenLogInOpensASessionForTheCard) {
  SoftAuthenticator a;
  auto reg = Register(a, account_a, "A001");
  ASSERT_TRUE(reg) << ToString(reg.error().code);
  EXPECT_EQ(reg->name, "My phone");
  EXPECT_EQ(reg->credential_id, a.credential_id_b64());
  EXPECT_EQ(reg->transports, (std::vector<std::string>{"internal", "hybrid"}));

  auto s = LogIn(Assertion(a, LoginChallenge()));
  ASSERT_TRUE(s) << ToString(s.error().code);
  EXPECT_EQ(s->account, account_a);
  auto actor = lib.Read([&](SqlTx& tx) { return Authenticate(tx, lib.env(), s->token); });
  ASSERT_TRUE(actor);
  EXPECT_EQ(*actor->account, account_a);

  auto list = lib.Read([&](SqlTx& tx) { return ListPasskeys(tx, account_a, CardNumber("A001")); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE(list->front().last_used_at.has_value());
  EXPECT_FALSE(list->front().flagged);
}

TEST_F(Passkeys, RegistrationOptionsExcludeTheCardsPasskeysAndKeepOneUserHandle) {
  SoftAuthenticator a;
  ASSERT_TRUE(Register(a, account_a, "A001"));
  auto o1 = lib.Do([&](SqlTx& tx) { return BeginPasskeyRegistration(tx, lib.env(), account_a, CardNumber("A001")); });
  auto o2 = lib.Do([&](SqlTx& tx) { return BeginPasskeyRegistration(tx, lib.env(), account_a, CardNumber("A001")); });
  ASSERT_TRUE(o1 && o2);
  ASSERT_EQ(o1->exclude.size(), 1u);
  EXPECT_EQ(o1->exclude[0].id, a.credential_id_b64());
  EXPECT_EQ(o1->user_handle, o2->user_handle);
  EXPECT_NE(o1->challenge, o2->challenge);
  EXPECT_EQ(o1->user_name, "A001");
  auto other = lib.Do([&](SqlTx& tx) { return BeginPasskeyRegistration(tx, lib.env(), account_b, CardNumber("B002")); });
  EXPECT_NE(other->user_handle, o1->user_handle);
}

TEST_F(Passkeys, RegistrationForACardOfAnotherAccountIsRefused) {
  auto r = lib.Do([&](SqlTx& tx) { return BeginPasskeyRegistration(tx, lib.env(), account_b, CardNumber("A001")); });
  ASSERT_FALSE(r);
  ExpectCode(r.error(), ErrorCode::kCardNotFound);
}

TEST_F(Passkeys, RegistrationFromAnotherOriginIsRefusedAndStoresNothing) {
  SoftAuthenticator a;
  auto r = Register(a, account_a, "A001", "https://evil.example");
  ASSERT_FALSE(r);
  ExpectCode(r.error(), ErrorCode::kPasskeyInvalid, "origin");
  auto list = lib.Read([&](SqlTx& tx) { return ListPasskeys(tx, account_a, CardNumber("A001")); });
  EXPECT_TRUE(list->empty());
}

TEST_F(Passkeys, RegistrationChallengeOfAnotherCardIsRefused) {
  SoftAuthenticator a;
  auto opts = lib.Do([&](SqlTx& tx) { return BeginPasskeyRegistration(tx, lib.env(), account_b, CardNumber("B002")); });
  NewPasskey in;
  in.client_data_json = ClientDataJson("webauthn.create", opts->challenge, kOrigin);
  in.client = {"webauthn.create", opts->challenge, kOrigin, false};
  in.attestation_object = a.AttestationObject(kRp.id);
  auto r = Commit([&](SqlTx& tx) { return RegisterPasskey(tx, lib.env(), kRp, account_a, CardNumber("A001"), in); });
  ASSERT_FALSE(r);
  ExpectCode(r.error(), ErrorCode::kChallengeExpired);
}

TEST_F(Passkeys, AReusedLoginChallengeIsRefused) {
  SoftAuthenticator a;
  ASSERT_TRUE(Register(a, account_a, "A001"));
  auto challenge = LoginChallenge();
  ASSERT_TRUE(LogIn(Assertion(a, challenge)));
  auto again = LogIn(Assertion(a, challenge));  // a fresh signature, but the challenge is spent
  ASSERT_FALSE(again);
  ExpectCode(again.error(), ErrorCode::kChallengeExpired);
}

TEST_F(Passkeys, AnExpiredLoginChallengeIsRefused) {
  SoftAuthenticator a;
  ASSERT_TRUE(Register(a, account_a, "A001"));
  auto challenge = LoginChallenge();
  lib.SetNow("2026-03-02T10:05:01+08:00");
  auto r = LogIn(Assertion(a, challenge));
  ASSERT_FALSE(r);
  ExpectCode(r.error(), ErrorCode::kChallengeExpired);
}

TEST_F(Passkeys, AChallengeIsGoodForFiveMinutes) {
  SoftAuthenticator a;
  ASSERT_TRUE(Register(a, account_a, "A001"));
  auto challenge = LoginChallenge();
  lib.SetNow("2026-03-02T10:04:59+08:00");
  EXPECT_TRUE(LogIn(Assertion(a, challenge)));
}

TEST_F(Passkeys, WrongOriginOrRpIdAtLoginIsRefused) {
  SoftAuthenticator a;
  ASSERT_TRUE(Register(a, account_a, "A001"));
  auto r = LogIn(Assertion(a, LoginChallenge(), "http://localhost:9999"));
  ASSERT_FALSE(r);
  ExpectCode(r.error(), ErrorCode::kPasskeyInvalid, "origin");
  r = LogIn(Assertion(a, LoginChallenge(), kOrigin, "evil.example"));
  ASSERT_FALSE(r);
  ExpectCode(r.error(), ErrorCode::kPasskeyInvalid, "rp_id");
}

TEST_F(Passkeys, ABadSignatureIsRefused) {
  SoftAuthenticator a;
  ASSERT_TRUE(Register(a, account_a, "A001"));
  auto in = Assertion(a, LoginChallenge());
  in.signature[10] = static_cast<char>(in.signature[10] ^ 0x40);
  auto r = LogIn(in);
  ASSERT_FALSE(r);
  ExpectCode(r.error(), ErrorCode::kPasskeyInvalid, "signature");
}

TEST_F(Passkeys, ACounterGoingBackwardsIsRefusedAndFlagsThePasskey) {
  SoftAuthenticator a;
  ASSERT_TRUE(Register(a, account_a, "A001"));
  ASSERT_TRUE(LogIn(Assertion(a, LoginChallenge())));  // counter 1
  ASSERT_TRUE(LogIn(Assertion(a, LoginChallenge())));  // counter 2
  a.counter = 0;                                       // a clone starting over: signs with 1
  auto r = LogIn(Assertion(a, LoginChallenge()));
  ASSERT_FALSE(r);
  ExpectCode(r.error(), ErrorCode::kPasskeyInvalid, "counter");
  auto list = lib.Read([&](SqlTx& tx) { return ListPasskeys(tx, account_a, CardNumber("A001")); });
  EXPECT_TRUE(list->front().flagged);
  // Even a genuine next counter is refused once flagged.
  a.counter = 10;
  auto later = LogIn(Assertion(a, LoginChallenge()));
  ASSERT_FALSE(later);
  ExpectCode(later.error(), ErrorCode::kPasskeyInvalid, "flagged");
}

TEST_F(Passkeys, AnAuthenticatorWithoutACounterMayStayAtZero) {
  SoftAuthenticator a;
  a.counts = false;
  ASSERT_TRUE(Register(a, account_a, "A001"));
  EXPECT_TRUE(LogIn(Assertion(a, LoginChallenge())));
  EXPECT_TRUE(LogIn(Assertion(a, LoginChallenge())));
}

TEST_F(Passkeys, AChallengeForOneCardRefusesAnotherCardsPasskey) {
  SoftAuthenticator a, b;
  ASSERT_TRUE(Register(a, account_a, "A001"));
  ASSERT_TRUE(Register(b, account_b, "B002"));
  auto r = LogIn(Assertion(b, LoginChallenge("A001")));
  ASSERT_FALSE(r);
  ExpectCode(r.error(), ErrorCode::kPasskeyInvalid, "credential");
  auto ok = LogIn(Assertion(a, LoginChallenge("A001")));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->account, account_a);
}

TEST_F(Passkeys, LoginOptionsForACardListItsPasskeysOnly) {
  SoftAuthenticator a;
  ASSERT_TRUE(Register(a, account_a, "A001"));
  auto o = Commit([&](SqlTx& tx) { return BeginPasskeyLogin(tx, lib.env(), CardNumber("A001")); });
  ASSERT_EQ(o.allow.size(), 1u);
  EXPECT_EQ(o.allow[0].id, a.credential_id_b64());
  EXPECT_TRUE(Commit([&](SqlTx& tx) { return BeginPasskeyLogin(tx, lib.env(), CardNumber("B002")); }).allow.empty());
  EXPECT_TRUE(Commit([&](SqlTx& tx) { return BeginPasskeyLogin(tx, lib.env(), CardNumber("NOPE")); }).allow.empty());
}

TEST_F(Passkeys, AnotherCardsUserHandleIsRefused) {
  SoftAuthenticator a;
  ASSERT_TRUE(Register(a, account_a, "A001"));
  auto b_handle =
      lib.Do([&](SqlTx& tx) { return BeginPasskeyRegistration(tx, lib.env(), account_b, CardNumber("B002")); })
          ->user_handle;
  auto in = Assertion(a, LoginChallenge());
  in.user_handle = b_handle;
  auto r = LogIn(in);
  ASSERT_FALSE(r);
  ExpectCode(r.error(), ErrorCode::kPasskeyInvalid, "user_handle");
}

TEST_F(Passkeys, RepeatedFailuresAreRateLimitedLikePins) {
  SoftAuthenticator a;
  ASSERT_TRUE(Register(a, account_a, "A001"));
  for (int i = 0; i < kLoginFailureLimit; ++i) {
    auto in = Assertion(a, LoginChallenge());
    in.signature[8] = static_cast<char>(in.signature[8] ^ 1);
    EXPECT_FALSE(LogIn(in));
  }
  auto r = LogIn(Assertion(a, LoginChallenge()));
  ASSERT_FALSE(r);
  ExpectCode(r.error(), ErrorCode::kRateLimited);
}

TEST_F(Passkeys, RemovingAPasskeyStopsItsLogins) {
  SoftAuthenticator a;
  auto reg = Register(a, account_a, "A001");
  ASSERT_TRUE(reg);
  auto wrong = lib.Do([&](SqlTx& tx) { return RemovePasskey(tx, lib.env(), account_b, CardNumber("B002"), reg->id); });
  ASSERT_FALSE(wrong);
  ExpectCode(wrong.error(), ErrorCode::kNotFound);
  ASSERT_TRUE(lib.Do([&](SqlTx& tx) { return RemovePasskey(tx, lib.env(), account_a, CardNumber("A001"), reg->id); }));
  auto r = LogIn(Assertion(a, LoginChallenge()));
  ASSERT_FALSE(r);
  ExpectCode(r.error(), ErrorCode::kPasskeyInvalid, "credential");
}

TEST_F(Passkeys, PackedSelfAttestationRegisters) {
  SoftAuthenticator a;
  auto opts = lib.Do([&](SqlTx& tx) { return BeginPasskeyRegistration(tx, lib.env(), account_a, CardNumber("A001")); });
  NewPasskey in;
  in.client_data_json = ClientDataJson("webauthn.create", opts->challenge, kOrigin);
  in.client = {"webauthn.create", opts->challenge, kOrigin, false};
  in.attestation_object = a.PackedAttestationObject(kRp.id, in.client_data_json);
  auto r = Commit([&](SqlTx& tx) { return RegisterPasskey(tx, lib.env(), kRp, account_a, CardNumber("A001"), in); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "通行金鑰 1");
}

}  // namespace
}  // namespace bookstamp
