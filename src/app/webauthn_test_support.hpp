// A software authenticator for the passkey tests: an OpenSSL P-256 key that builds authenticator
// data, attestation objects and assertion signatures the way a browser's authenticator does.
#pragma once
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "app/crypto.hpp"
#include "app/webauthn.hpp"

namespace bookstamp::testing {

// Just enough CBOR encoding to build test inputs.
namespace cbor_out {
inline std::string Head(int major, std::uint64_t n) {
  std::string out;
  auto m = static_cast<char>(major << 5);
  if (n < 24) return out + static_cast<char>(m | static_cast<char>(n));
  int bytes = n <= 0xff ? 1 : n <= 0xffff ? 2 : n <= 0xffffffffULL ? 4 : 8;
  out += static_cast<char>(m | (bytes == 1 ? 24 : bytes == 2 ? 25 : bytes == 4 ? 26 : 27));
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((n >> (8 * i)) & 0xff);
  return out;
}
inline std::string Int(std::int64_t v) { return v >= 0 ? Head(0, v) : Head(1, static_cast<std::uint64_t>(-1 - v)); }
inline std::string Bytes(const std::string& s) { return Head(2, s.size()) + s; }
inline std::string Text(const std::string& s) { return Head(3, s.size()) + s; }
inline std::string Map(std::size_t pairs) { return Head(5, pairs); }
inline std::string Array(std::size_t n) { return Head(4, n); }
}  // namespace cbor_out

inline std::string ClientDataJson(const std::string& type, const std::string& challenge, const std::string& origin) {
  return "{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin +
         "\",\"crossOrigin\":false}";
}

class SoftAuthenticator {
 public:
  SoftAuthenticator() {
    key_.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key_) throw std::runtime_error("keygen");
    credential_id_ = crypto::RandomBytes(16);
  }
  const std::string& credential_id() const { return credential_id_; }
  std::string credential_id_b64() const { return crypto::Base64Url(credential_id_); }
  std::uint32_t counter = 0;        // the next assertion uses counter + 1 (unless frozen)
  bool counts = true;               // false: an authenticator without a counter (always 0)

  std::string CoseKey() const {
    unsigned char pub[65];
    std::size_t len = 0;
    EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub, &len);
    std::string p(reinterpret_cast<char*>(pub), len);
    using namespace cbor_out;
    return Map(5) + Int(1) + Int(2) + Int(3) + Int(-7) + Int(-1) + Int(1) + Int(-2) + Bytes(p.substr(1, 32)) +
           Int(-3) + Bytes(p.substr(33, 32));
  }

  std::string AuthData(const std::string& rp_id, std::uint8_t flags, std::uint32_t count, bool attested) const {
    std::string out = crypto::Sha256(rp_id);
    out += static_cast<char>(flags | (attested ? webauthn::kFlagAttestedData : 0));
    for (int i = 3; i >= 0; --i) out += static_cast<char>((count >> (8 * i)) & 0xff);
    if (attested) {
      out += std::string(16, '\0');
      out += static_cast<char>(credential_id_.size() >> 8);
      out += static_cast<char>(credential_id_.size() & 0xff);
      out += credential_id_ + CoseKey();
    }
    return out;
  }

  std::string AttestationObject(const std::string& rp_id, std::uint8_t flags = 0x05) const {
    using namespace cbor_out;
    return Map(3) + Text("fmt") + Text("none") + Text("attStmt") + Map(0) + Text("authData") +
           Bytes(AuthData(rp_id, flags, 0, true));
  }

  // "packed" self attestation: signed with the credential's own key.
  std::string PackedAttestationObject(const std::string& rp_id, const std::string& client_data_json) const {
    using namespace cbor_out;
    auto ad = AuthData(rp_id, 0x05, 0, true);
    auto sig = Sign(ad + crypto::Sha256(client_data_json));
    return Map(3) + Text("fmt") + Text("packed") + Text("attStmt") + Map(2) + Text("alg") + Int(-7) + Text("sig") +
           Bytes(sig) + Text("authData") + Bytes(ad);
  }

  std::string Sign(const std::string& message) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::size_t len = 0;
    EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get());
    EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(message.data()), message.size());
    sig.resize(len);
    return sig;
  }

  struct Assertion {
    std::string authenticator_data;
    std::string signature;
  };
  // An assertion over clientDataJSON; advances the counter like a real authenticator.
  Assertion Assert(const std::string& rp_id, const std::string& client_data_json, std::uint8_t flags = 0x05) {
    if (counts) ++counter;
    auto ad = AuthData(rp_id, flags, counts ? counter : 0, false);
    return {ad, Sign(ad + crypto::Sha256(client_data_json))};
  }

 private:
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_{nullptr, EVP_PKEY_free};
  std::string credential_id_;
};

}  // namespace bookstamp::testing
