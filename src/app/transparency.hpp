// The public transparency view (PRODUCT.md X4) and the signed audit checkpoints (RULES.md "Audit").
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp {

// "bookstamp-audit-checkpoint\n<seq>\n<hash>\n<at>": the bytes an Ed25519 checkpoint signs.
std::string CheckpointMessage(std::int64_t seq, const std::string& hash, const std::string& at);

struct Checkpoint {
  std::int64_t seq = 0;
  std::string hash;
  std::string at;
  std::string public_key;  // hex
  std::string signature;   // hex
};

// Signs the current head with the Ed25519 key made from `seed` (32 bytes) when the head moved
// since the last checkpoint and that one is at least `every` old. Returns the new one, if any.
std::optional<Checkpoint> SignCheckpointIfDue(SqlTx& tx, const Env& env, const std::string& seed,
                                              std::chrono::minutes every = std::chrono::minutes(60));
std::vector<Checkpoint> RecentCheckpoints(SqlTx& tx, int limit);
// Signature valid, and the chain at `seq` still has `hash`. Empty string when fine, else the reason.
std::string CheckCheckpoint(SqlTx& tx, const Checkpoint& c);
std::string PublicKeyHex(const std::string& seed);

struct Transparency {
  std::int64_t points_issued = 0;      // loan + event credits
  std::int64_t points_from_loans = 0;
  std::int64_t points_from_events = 0;
  std::int64_t points_redeemed = 0;    // redemption + registration debits minus their refunds
  std::int64_t points_opening = 0;     // one-time migration from a previous system
  std::int64_t points_outstanding = 0; // sum of balances
  struct PrizeStock {
    std::int64_t id = 0;
    std::string name;
    std::int64_t cost = 0;
    std::int64_t stock_total = 0;
    std::int64_t stock_left = 0;
  };
  struct BranchStock {
    std::string code, name;
    std::vector<PrizeStock> prizes;
  };
  std::vector<BranchStock> branches;
  std::int64_t audit_entries = 0;
  std::string audit_head;
  std::vector<Checkpoint> checkpoints;
};

Transparency LoadTransparency(SqlTx& tx, const Env& env);

}  // namespace bookstamp
