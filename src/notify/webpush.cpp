// RFC 8291 / RFC 8188 / RFC 8292 with OpenSSL 3's EVP interfaces (no deprecated EC_KEY).
#include "notify/webpush.hpp"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>

#include "app/crypto.hpp"

namespace bookstamp::notify {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct CipherFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct MdFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct BldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct OsslFree {
  void operator()(unsigned char* p) const { OPENSSL_free(p); }
};
struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

const auto* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// A P-256 key from raw octets: public only when `private_key` is empty.
Pkey LoadKey(std::string_view public_key, std::string_view private_key) {
  if (public_key.size() != 65 || public_key[0] != 0x04) return nullptr;
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  std::unique_ptr<BIGNUM, BnFree> priv;
  OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, public_key.data(), public_key.size());
  if (!private_key.empty()) {
    if (private_key.size() != 32) return nullptr;
    priv.reset(BN_bin2bn(U(private_key), 32, nullptr));
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get());
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, private_key.empty() ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR,
                        params.get()) <= 0)
    return nullptr;
  return Pkey(key);
}

std::optional<std::string> Ecdh(const P256KeyPair& mine, std::string_view peer_public) {
  auto key = LoadKey(mine.public_key, mine.private_key);
  auto peer = LoadKey(peer_public, {});
  if (!key || !peer) return std::nullopt;
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
  std::size_t n = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) <= 0 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &n) <= 0)
    return std::nullopt;
  std::string secret(n, '\0');
  if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(secret.data()), &n) <= 0) return std::nullopt;
  secret.resize(n);
  return secret;
}

// HKDF (RFC 5869) with one output block, as RFC 8291 writes it.
std::string Hkdf(std::string_view salt, std::string_view ikm, std::string_view info, std::size_t length) {
  auto prk = crypto::HmacSha256(salt, ikm);
  std::string t(info);
  t += '\x01';
  return crypto::HmacSha256(prk, t).substr(0, length);
}

std::string Sha256Sign(EVP_PKEY* key, std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, MdFree> md(EVP_MD_CTX_new());
  std::size_t n = 0;
  if (EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key) <= 0 ||
      EVP_DigestSign(md.get(), nullptr, &n, U(data), data.size()) <= 0)
    return {};
  std::string der(n, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(der.data()), &n, U(data), data.size()) <= 0) return {};
  der.resize(n);
  return der;
}

}  // namespace

P256KeyPair GenerateP256KeyPair() {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "prime256v1"));
  if (!key) throw std::runtime_error("P-256 key generation failed");
  P256KeyPair out;
  out.public_key.resize(65);
  std::size_t n = 0;
  EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, reinterpret_cast<unsigned char*>(out.public_key.data()),
                                  out.public_key.size(), &n);
  out.public_key.resize(n);
  BIGNUM* priv = nullptr;
  EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_PRIV_KEY, &priv);
  std::unique_ptr<BIGNUM, BnFree> owned(priv);
  out.private_key.resize(32);
  BN_bn2binpad(priv, reinterpret_cast<unsigned char*>(out.private_key.data()), 32);
  return out;
}

std::optional<std::string> EncryptWebPush(std::string_view plaintext, std::string_view ua_public,
                                          std::string_view auth_secret, const P256KeyPair& as_key,
                                          std::string_view salt) {
  constexpr std::uint32_t kRecordSize = 4096;
  // One record: plaintext + the 0x02 delimiter + the 16-byte tag must fit rs.
  if (salt.size() != 16 || auth_secret.size() != 16 || plaintext.size() + 17 > kRecordSize) return std::nullopt;
  auto ecdh = Ecdh(as_key, ua_public);
  if (!ecdh) return std::nullopt;
  std::string key_info = "WebPush: info";
  key_info += '\0';
  key_info += ua_public;
  key_info += as_key.public_key;
  auto ikm = Hkdf(auth_secret, *ecdh, key_info, 32);
  auto cek = Hkdf(salt, ikm, std::string("Content-Encoding: aes128gcm", 27) + '\0', 16);
  auto nonce = Hkdf(salt, ikm, std::string("Content-Encoding: nonce", 23) + '\0', 12);

  std::string padded(plaintext);
  padded += '\x02';  // the last (and only) record
  std::unique_ptr<EVP_CIPHER_CTX, CipherFree> c(EVP_CIPHER_CTX_new());
  std::string ct(padded.size() + 16, '\0');
  int len = 0, fin = 0;
  if (!c || EVP_EncryptInit_ex(c.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) != 1 ||
      EVP_EncryptInit_ex(c.get(), nullptr, nullptr, U(cek), U(nonce)) != 1 ||
      EVP_EncryptUpdate(c.get(), reinterpret_cast<unsigned char*>(ct.data()), &len, U(padded),
                        static_cast<int>(padded.size())) != 1 ||
      EVP_EncryptFinal_ex(c.get(), reinterpret_cast<unsigned char*>(ct.data()) + len, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_GET_TAG, 16, ct.data() + len + fin) != 1)
    return std::nullopt;
  ct.resize(static_cast<std::size_t>(len + fin) + 16);

  std::string body(salt);
  for (int shift = 24; shift >= 0; shift -= 8) body += static_cast<char>((kRecordSize >> shift) & 0xFF);
  body += static_cast<char>(as_key.public_key.size());
  body += as_key.public_key;
  body += ct;
  return body;
}

std::optional<std::string> EncryptWebPush(std::string_view plaintext, std::string_view ua_public,
                                          std::string_view auth_secret) {
  return EncryptWebPush(plaintext, ua_public, auth_secret, GenerateP256KeyPair(), crypto::RandomBytes(16));
}

std::optional<std::string> VapidAuthorization(const P256KeyPair& vapid_key, std::string_view audience,
                                              std::string_view subject, std::int64_t expires) {
  auto key = LoadKey(vapid_key.public_key, vapid_key.private_key);
  if (!key) return std::nullopt;
  auto header = crypto::Base64Url(R"({"typ":"JWT","alg":"ES256"})");
  // audience and subject are origins and mailto/https URIs: no characters that need JSON escaping.
  auto claims = crypto::Base64Url(fmt::format(R"({{"aud":"{}","exp":{},"sub":"{}"}})", audience, expires, subject));
  auto signing_input = header + "." + claims;
  auto der = Sha256Sign(key.get(), signing_input);
  const auto* p = U(der);
  std::unique_ptr<ECDSA_SIG, SigFree> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return std::nullopt;
  // JWS ES256 wants r || s, 32 bytes each, not DER.
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  return fmt::format("vapid t={}.{}, k={}", signing_input, crypto::Base64Url(raw), crypto::Base64Url(vapid_key.public_key));
}

bool VerifyEs256Jwt(std::string_view jwt, std::string_view public_key) {
  auto dot = jwt.rfind('.');
  if (dot == std::string_view::npos) return false;
  auto raw = crypto::FromBase64Url(jwt.substr(dot + 1));
  auto key = LoadKey(public_key, {});
  if (!raw || raw->size() != 64 || !key) return false;
  std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
  ECDSA_SIG_set0(sig.get(), BN_bin2bn(U(*raw), 32, nullptr), BN_bin2bn(U(*raw) + 32, 32, nullptr));
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_len <= 0) return false;
  std::unique_ptr<unsigned char, OsslFree> owned(der);
  std::unique_ptr<EVP_MD_CTX, MdFree> md(EVP_MD_CTX_new());
  auto input = jwt.substr(0, dot);
  return EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
         EVP_DigestVerify(md.get(), der, static_cast<std::size_t>(der_len), U(input), input.size()) == 1;
}

}  // namespace bookstamp::notify
