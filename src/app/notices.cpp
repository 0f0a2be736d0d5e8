// Outbox rows.
#include "app/notices.hpp"

namespace bookstamp {

void QueueNotice(SqlTx& tx, const Env& env, const CardNumber& card, const std::string& kind,
                 const JsonObject& payload, const std::optional<std::string>& dedupe_key) {
  tx.Exec(
      "INSERT INTO notices(card, kind, payload, dedupe_key, created_at) VALUES (?,?,?,?,?) "
      "ON CONFLICT(dedupe_key) DO NOTHING",
      {card.value(), kind, Canonical(JsonValue(payload)), SqlOpt(dedupe_key), ToMillis(env.Now())});
}

}  // namespace bookstamp
