// Queue a notice in the current transaction (the outbox; delivery is the dispatcher's).
#pragma once
#include <optional>
#include <string>

#include "app/canonical_json.hpp"
#include "app/context.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp {

// `dedupe_key` makes the notice once-only (a second call with the same key is ignored).
void QueueNotice(SqlTx& tx, const Env& env, const CardNumber& card, const std::string& kind,
                 const JsonObject& payload, const std::optional<std::string>& dedupe_key = std::nullopt);

// Whether the card wants notices of `kind` on `channel` ("email", "push"): no row means yes; a row
// turning off the kind or every kind ("*") means no. The dispatchers ask at send time.
bool NoticeWanted(SqlTx& tx, const CardNumber& card, const std::string& kind, const std::string& channel);

}  // namespace bookstamp
