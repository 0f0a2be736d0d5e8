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

bool NoticeWanted(SqlTx& tx, const CardNumber& card, const std::string& kind, const std::string& channel) {
  return !tx.QueryOne("SELECT 1 FROM notice_preferences WHERE card = ? AND channel = ? AND kind IN (?, '*') "
                      "AND enabled = 0",
                      {card.value(), channel, kind})
              .has_value();
}

}  // namespace bookstamp
