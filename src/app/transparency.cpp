// Transparency figures and Ed25519 checkpoints of the audit head (libsodium).
#include "app/transparency.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <stdexcept>

#include "app/audit.hpp"
#include "app/crypto.hpp"

namespace bookstamp {
namespace {

struct KeyPair {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
};

KeyPair KeysOf(const std::string& seed) {
  if (seed.size() != crypto_sign_SEEDBYTES) throw std::invalid_argument("checkpoint seed must be 32 bytes");
  KeyPair k;
  crypto_sign_seed_keypair(k.pk, k.sk, reinterpret_cast<const unsigned char*>(seed.data()));
  return k;
}

std::string Bytes(const unsigned char* p, std::size_t n) { return std::string(reinterpret_cast<const char*>(p), n); }

}  // namespace

std::string CheckpointMessage(std::int64_t seq, const std::string& hash, const std::string& at) {
  return fmt::format("bookstamp-audit-checkpoint\n{}\n{}\n{}", seq, hash, at);
}

std::string PublicKeyHex(const std::string& seed) {
  auto k = KeysOf(seed);
  return crypto::Hex(Bytes(k.pk, sizeof k.pk));
}

std::optional<Checkpoint> SignCheckpointIfDue(SqlTx& tx, const Env& env, const std::string& seed,
                                              std::chrono::minutes every) {
  auto head = tx.QueryOne("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!head) return std::nullopt;
  auto last = tx.QueryOne("SELECT seq, at FROM audit_checkpoints ORDER BY id DESC LIMIT 1");
  auto now = env.Now();
  if (last) {
    if (last->Int(0) == head->Int(0)) return std::nullopt;
    auto when = ParseRfc3339(last->Text(1));
    if (when && now - *when < every) return std::nullopt;
  }
  Checkpoint c;
  c.seq = head->Int(0);
  c.hash = head->Text(1);
  c.at = env.tz.Rfc3339(now);
  auto keys = KeysOf(seed);
  auto msg = CheckpointMessage(c.seq, c.hash, c.at);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), keys.sk);
  c.public_key = crypto::Hex(Bytes(keys.pk, sizeof keys.pk));
  c.signature = crypto::Hex(Bytes(sig, sizeof sig));
  tx.Exec("INSERT INTO audit_checkpoints(at, seq, hash, public_key, signature) VALUES (?,?,?,?,?)",
          {c.at, c.seq, c.hash, c.public_key, c.signature});
  return c;
}

std::vector<Checkpoint> RecentCheckpoints(SqlTx& tx, int limit) {
  std::vector<Checkpoint> out;
  for (const auto& r : tx.Query(
           "SELECT seq, hash, at, public_key, signature FROM audit_checkpoints ORDER BY id DESC LIMIT ?",
           {std::int64_t{limit}}))
    out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)});
  return out;
}

std::string CheckCheckpoint(SqlTx& tx, const Checkpoint& c) {
  auto pk = crypto::FromHex(c.public_key);
  auto sig = crypto::FromHex(c.signature);
  if (!pk || pk->size() != crypto_sign_PUBLICKEYBYTES || !sig || sig->size() != crypto_sign_BYTES)
    return "malformed key or signature";
  auto msg = CheckpointMessage(c.seq, c.hash, c.at);
  if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                  reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                                  reinterpret_cast<const unsigned char*>(pk->data())) != 0)
    return "signature does not verify";
  auto row = tx.QueryOne("SELECT hash FROM audit_log WHERE seq = ?", {c.seq});
  if (!row) return fmt::format("the log no longer has entry {}", c.seq);
  if (row->Text(0) != c.hash) return fmt::format("entry {} no longer has the signed hash: history was rewritten", c.seq);
  return {};
}

Transparency LoadTransparency(SqlTx& tx, const Env& env) {
  Transparency t;
  auto sums = tx.QueryOne(
      "SELECT COALESCE(SUM(CASE WHEN kind = 'loan' THEN delta END), 0), "
      "COALESCE(SUM(CASE WHEN kind = 'event' THEN delta END), 0), "
      "COALESCE(SUM(CASE WHEN kind IN ('redemption', 'registration') THEN -delta END), 0), "
      "COALESCE(SUM(CASE WHEN kind = 'refund' THEN delta END), 0), "
      "COALESCE(SUM(CASE WHEN kind = 'opening' THEN delta END), 0) FROM ledger");
  t.points_from_loans = sums->Int(0);
  t.points_from_events = sums->Int(1);
  t.points_issued = t.points_from_loans + t.points_from_events;
  t.points_redeemed = sums->Int(2) - sums->Int(3);
  t.points_opening = sums->Int(4);
  t.points_outstanding = tx.QueryOne("SELECT COALESCE(SUM(balance), 0) FROM point_balances")->Int(0);
  auto now = ToMillis(env.Now());
  auto rows = tx.Query(
      "SELECT b.code, b.name, p.id, p.name, p.cost, p.stock_total, p.stock_total - p.taken + "
      " (SELECT COUNT(*) FROM redemptions r WHERE r.prize_id = p.id AND r.status = 'pending' AND r.expires_at <= ?) "
      "FROM prizes p JOIN branches b ON b.code = p.branch "
      "WHERE (p.on_sale_from IS NULL OR p.on_sale_from <= ?) AND (p.on_sale_until IS NULL OR p.on_sale_until > ?) "
      "ORDER BY b.code, p.cost, p.id",
      {now, now, now});
  for (const auto& r : rows) {
    if (t.branches.empty() || t.branches.back().code != r.Text(0)) t.branches.push_back({r.Text(0), r.Text(1), {}});
    t.branches.back().prizes.push_back({r.Int(2), r.Text(3), r.Int(4), r.Int(5), r.Int(6)});
  }
  auto head = tx.QueryOne("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  t.audit_entries = head ? head->Int(0) : 0;
  t.audit_head = head ? head->Text(1) : kGenesisHash;
  t.checkpoints = RecentCheckpoints(tx, 24);
  return t;
}

}  // namespace bookstamp
