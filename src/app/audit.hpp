// The tamper-evident audit log (RULES.md "Audit"): a SHA-256 hash chain over JCS entries.
// hash = sha256hex(prev_hash ‖ "\n" ‖ JCS({seq, at, actor, action, subject, details})).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "app/canonical_json.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/sql.hpp"

namespace bookstamp {

struct AuditRecord {
  std::string actor;    // "staff:alice", "patron:12", "system", "cli"
  std::string action;   // "circulation.checkout", "branch.create", ...
  std::string subject;  // "loan:42", "branch:A", ...
  JsonObject details;
};

// Appends one entry in the caller's transaction. Returns its sequence number.
std::int64_t AppendAudit(SqlTx& tx, Instant now, const TimeZone& tz, const AuditRecord& record);

// The hash of entry `seq` given its fields (exposed for tests and the verify command).
std::string AuditEntryHash(const std::string& prev_hash, std::int64_t seq, const std::string& at,
                           const std::string& actor, const std::string& action, const std::string& subject,
                           const std::string& details_json);

inline const std::string kGenesisHash(64, '0');

struct AuditVerification {
  bool ok = true;
  std::int64_t entries = 0;
  std::string head;                       // hash of the last entry (genesis when empty)
  std::optional<std::int64_t> first_broken;  // seq of the first entry that does not verify
  std::string reason;                     // why it is broken
};

// Walks the whole chain in order.
AuditVerification VerifyAudit(SqlTx& tx);

}  // namespace bookstamp
