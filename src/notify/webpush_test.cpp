// RFC 8291 Appendix A's example, reproduced byte for byte; VAPID JWTs that verify.
#include "notify/webpush.hpp"

#include <gtest/gtest.h>

#include "app/crypto.hpp"

namespace bookstamp::notify {
namespace {

std::string B64(std::string_view s) { return *crypto::FromBase64Url(s); }

TEST(EncryptWebPush, ReproducesRfc8291AppendixA) {
  P256KeyPair as{B64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"),
                 B64("BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8")};
  auto body = EncryptWebPush("When I grow up, I want to be a watermelon",
                             B64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
                             B64("BTBZMqHH6r4Tts7J_aSIgg"), as, B64("DGv6ra1nlYgDCS1FRnbzlw"));
  ASSERT_TRUE(body);
  EXPECT_EQ(crypto::Base64Url(*body),
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_"
            "yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN");
}

TEST(EncryptWebPush, RefusesMalformedKeysAndOversizedText) {
  auto ua = GenerateP256KeyPair();
  EXPECT_FALSE(EncryptWebPush("hi", "not a key", std::string(16, 'a')));
  EXPECT_FALSE(EncryptWebPush("hi", ua.public_key, "short"));
  EXPECT_FALSE(EncryptWebPush(std::string(4096, 'x'), ua.public_key, std::string(16, 'a')));
  auto body = EncryptWebPush("您的預約書已到館", ua.public_key, std::string(16, 'a'));
  ASSERT_TRUE(body);
  EXPECT_EQ(body->size(), 16u + 4 + 1 + 65 + std::string("您的預約書已到館").size() + 1 + 16);
}

TEST(VapidAuthorization, IsAnEs256JwtOverTheAudienceThatVerifies) {
  auto key = GenerateP256KeyPair();
  ASSERT_EQ(key.public_key.size(), 65u);
  ASSERT_EQ(key.private_key.size(), 32u);
  auto header = VapidAuthorization(key, "https://push.example.net", "mailto:library@example.org", 1453523768);
  ASSERT_TRUE(header);
  ASSERT_TRUE(header->starts_with("vapid t="));
  auto comma = header->find(", k=");
  ASSERT_NE(comma, std::string::npos);
  auto jwt = header->substr(8, comma - 8);
  EXPECT_EQ(header->substr(comma + 4), crypto::Base64Url(key.public_key));
  EXPECT_TRUE(VerifyEs256Jwt(jwt, key.public_key));
  EXPECT_FALSE(VerifyEs256Jwt(jwt, GenerateP256KeyPair().public_key));
  auto first_dot = jwt.find('.');
  auto claims = *crypto::FromBase64Url(jwt.substr(first_dot + 1, jwt.rfind('.') - first_dot - 1));
  EXPECT_EQ(claims, R"({"aud":"https://push.example.net","exp":1453523768,"sub":"mailto:library@example.org"})");
  EXPECT_EQ(*crypto::FromBase64Url(jwt.substr(0, first_dot)), R"({"typ":"JWT","alg":"ES256"})");
}

}  // namespace
}  // namespace bookstamp::notify
