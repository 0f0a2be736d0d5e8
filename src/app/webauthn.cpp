// WebAuthn verification with OpenSSL 3; see webauthn.hpp.
#include "app/webauthn.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <memory>

#include "app/cbor.hpp"
#include "app/crypto.hpp"

namespace bookstamp::webauthn {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct BldFree {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

const auto* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// A key built from OSSL_PARAMs ("EC" or "RSA"), checked, as SPKI DER.
std::optional<std::string> SpkiFromParams(const char* type, OSSL_PARAM* params) {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) <= 0)
    return std::nullopt;
  Pkey key(raw);
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return std::nullopt;
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key.get(), &der);
  if (n <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::optional<std::string> Ec2Spki(const cbor::Value& cose) {
  auto* crv = cose.Find(-1);
  auto* x = cose.Find(-2);
  auto* y = cose.Find(-3);
  if (!crv || !crv->AsInt() || *crv->AsInt() != 1) return std::nullopt;  // P-256
  if (!x || !x->AsBytes() || x->AsBytes()->size() != 32 || !y || !y->AsBytes() || y->AsBytes()->size() != 32)
    return std::nullopt;
  std::string point = "\x04" + *x->AsBytes() + *y->AsBytes();
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()))
    return std::nullopt;
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return std::nullopt;
  return SpkiFromParams("EC", params.get());
}

std::optional<std::string> RsaSpki(const cbor::Value& cose) {
  auto* n = cose.Find(-1);
  auto* e = cose.Find(-2);
  if (!n || !n->AsBytes() || !e || !e->AsBytes()) return std::nullopt;
  if (n->AsBytes()->size() < 256 || n->AsBytes()->size() > 1024 || e->AsBytes()->empty() || e->AsBytes()->size() > 8)
    return std::nullopt;
  std::unique_ptr<BIGNUM, BnFree> bn_n(BN_bin2bn(Bytes(*n->AsBytes()), static_cast<int>(n->AsBytes()->size()), nullptr));
  std::unique_ptr<BIGNUM, BnFree> bn_e(BN_bin2bn(Bytes(*e->AsBytes()), static_cast<int>(e->AsBytes()->size()), nullptr));
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld || BN_num_bits(bn_n.get()) < 2048 ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()))
    return std::nullopt;
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return std::nullopt;
  return SpkiFromParams("RSA", params.get());
}

bool VerifyWith(EVP_PKEY* key, std::string_view message, std::string_view signature) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return false;
  return EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(message), message.size()) == 1;
}

// Checks shared by registration and assertion.
std::optional<Reason> CheckClient(const RelyingParty& rp, const std::string& challenge, const ClientData& client,
                                  std::string_view type) {
  if (client.type != type) return "type";
  if (challenge.empty() || !crypto::ConstantTimeEquals(client.challenge, challenge)) return "challenge";
  bool origin_ok = false;
  for (const auto& o : rp.origins) origin_ok = origin_ok || o == client.origin;
  if (!origin_ok || client.cross_origin) return "origin";
  return std::nullopt;
}

std::optional<Reason> CheckAuthData(const RelyingParty& rp, const AuthData& ad) {
  if (!crypto::ConstantTimeEquals(ad.rp_id_hash, crypto::Sha256(rp.id))) return "rp_id";
  if (!(ad.flags & kFlagUserPresent)) return "user_presence";
  return std::nullopt;
}

std::uint32_t BigEndian32(std::string_view b) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(b[i]);
  return v;
}

}  // namespace

std::optional<AuthData> ParseAuthData(std::string_view bytes) {
  if (bytes.size() < 37) return std::nullopt;
  AuthData ad;
  ad.rp_id_hash = std::string(bytes.substr(0, 32));
  ad.flags = static_cast<std::uint8_t>(bytes[32]);
  ad.sign_count = BigEndian32(bytes.substr(33, 4));
  std::size_t pos = 37;
  if (ad.flags & kFlagAttestedData) {
    if (bytes.size() - pos < 18) return std::nullopt;
    pos += 16;  // AAGUID
    std::size_t len = (static_cast<std::uint8_t>(bytes[pos]) << 8) | static_cast<std::uint8_t>(bytes[pos + 1]);
    pos += 2;
    if (len == 0 || len > kMaxCredentialIdBytes || bytes.size() - pos < len) return std::nullopt;
    ad.credential_id = std::string(bytes.substr(pos, len));
    pos += len;
    std::size_t used = 0;
    auto key = cbor::Decode(bytes.substr(pos), &used);
    if (!key || !key->AsMap()) return std::nullopt;
    ad.cose_key = std::string(bytes.substr(pos, used));
    pos += used;
  }
  if (ad.flags & kFlagExtensions) {
    std::size_t used = 0;
    auto ext = cbor::Decode(bytes.substr(pos), &used);
    if (!ext || !ext->AsMap()) return std::nullopt;
    pos += used;
  }
  if (pos != bytes.size()) return std::nullopt;
  return ad;
}

std::optional<PublicKey> PublicKeyFromCose(std::string_view cose) {
  auto v = cbor::DecodeAll(cose);
  if (!v || !v->AsMap()) return std::nullopt;
  auto* kty = v->Find(1);
  auto* alg = v->Find(3);
  if (!kty || !kty->AsInt() || !alg || !alg->AsInt()) return std::nullopt;
  std::optional<std::string> spki;
  if (*kty->AsInt() == 2 && *alg->AsInt() == kEs256) spki = Ec2Spki(*v);
  else if (*kty->AsInt() == 3 && *alg->AsInt() == kRs256) spki = RsaSpki(*v);
  if (!spki) return std::nullopt;
  return PublicKey{static_cast<int>(*alg->AsInt()), std::move(*spki)};
}

bool VerifySignature(const PublicKey& key, std::string_view message, std::string_view signature) {
  const unsigned char* p = Bytes(key.spki_der);
  Pkey pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(key.spki_der.size())));
  if (!pkey) return false;
  bool is_ec = EVP_PKEY_is_a(pkey.get(), "EC") == 1;
  if (is_ec != (key.algorithm == kEs256)) return false;
  return VerifyWith(pkey.get(), message, signature);
}

std::expected<NewCredential, Reason> VerifyRegistration(const RelyingParty& rp, const std::string& challenge,
                                                        const ClientData& client, std::string_view client_data_json,
                                                        std::string_view attestation_object) {
  if (auto bad = CheckClient(rp, challenge, client, "webauthn.create")) return std::unexpected(*bad);
  auto att = cbor::DecodeAll(attestation_object);
  if (!att || !att->AsMap()) return std::unexpected("attestation_object");
  auto* fmt = att->Find("fmt");
  auto* stmt = att->Find("attStmt");
  auto* raw_auth = att->Find("authData");
  if (!fmt || !fmt->AsText() || !stmt || !stmt->AsMap() || !raw_auth || !raw_auth->AsBytes())
    return std::unexpected("attestation_object");
  auto ad = ParseAuthData(*raw_auth->AsBytes());
  if (!ad) return std::unexpected("authenticator_data");
  if (auto bad = CheckAuthData(rp, *ad)) return std::unexpected(*bad);
  if (!(ad->flags & kFlagAttestedData)) return std::unexpected("authenticator_data");
  auto key = PublicKeyFromCose(ad->cose_key);
  if (!key) return std::unexpected("algorithm");

  if (*fmt->AsText() == "none") {
    if (!stmt->AsMap()->empty()) return std::unexpected("attestation");
  } else if (*fmt->AsText() == "packed") {
    // Self attestation signs with the new key; with x5c, with the first certificate's key (its
    // chain is not judged: attestation "none" is what we ask for).
    auto* alg = stmt->Find("alg");
    auto* sig = stmt->Find("sig");
    auto* x5c = stmt->Find("x5c");
    if (!alg || !alg->AsInt() || !sig || !sig->AsBytes()) return std::unexpected("attestation");
    std::string signed_data = *raw_auth->AsBytes() + crypto::Sha256(client_data_json);
    if (!x5c) {
      if (*alg->AsInt() != key->algorithm || !VerifySignature(*key, signed_data, *sig->AsBytes()))
        return std::unexpected("attestation");
    } else {
      auto* certs = x5c->AsArray();
      if (!certs || certs->empty() || !certs->front().AsBytes()) return std::unexpected("attestation");
      const auto& der = *certs->front().AsBytes();
      const unsigned char* p = Bytes(der);
      std::unique_ptr<X509, X509Free> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
      EVP_PKEY* cert_key = cert ? X509_get0_pubkey(cert.get()) : nullptr;
      if (!cert_key || !VerifyWith(cert_key, signed_data, *sig->AsBytes())) return std::unexpected("attestation");
    }
  } else {
    return std::unexpected("attestation_format");
  }
  return NewCredential{ad->credential_id, std::move(*key), ad->sign_count, ad->flags};
}

std::expected<AuthData, Reason> VerifyAssertion(const RelyingParty& rp, const std::string& challenge,
                                                const ClientData& client, std::string_view client_data_json,
                                                std::string_view authenticator_data, std::string_view signature,
                                                const PublicKey& key) {
  if (auto bad = CheckClient(rp, challenge, client, "webauthn.get")) return std::unexpected(*bad);
  auto ad = ParseAuthData(authenticator_data);
  if (!ad || (ad->flags & kFlagAttestedData)) return std::unexpected("authenticator_data");
  if (auto bad = CheckAuthData(rp, *ad)) return std::unexpected(*bad);
  std::string signed_data = std::string(authenticator_data) + crypto::Sha256(client_data_json);
  if (!VerifySignature(key, signed_data, signature)) return std::unexpected("signature");
  return *ad;
}

bool CounterAdvances(std::uint32_t stored, std::uint32_t received) {
  return received > stored || (stored == 0 && received == 0);
}

}  // namespace bookstamp::webauthn
