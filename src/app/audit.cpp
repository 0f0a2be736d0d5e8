// Audit chain append and verification.
#include "app/audit.hpp"

#include <fmt/format.h>

#include "app/crypto.hpp"

namespace bookstamp {

std::string AuditEntryHash(const std::string& prev_hash, std::int64_t seq, const std::string& at,
                           const std::string& actor, const std::string& action, const std::string& subject,
                           const std::string& details_json) {
  // JCS member order: action, actor, at, details, seq, subject (all ASCII keys). details_json is
  // already canonical as stored.
  std::string entry = fmt::format(R"({{"action":{},"actor":{},"at":{},"details":{},"seq":{},"subject":{}}})",
                                  JsonString(action), JsonString(actor), JsonString(at), details_json, seq,
                                  JsonString(subject));
  return crypto::Sha256Hex(prev_hash + "\n" + entry);
}

std::int64_t AppendAudit(SqlTx& tx, Instant now, const TimeZone& tz, const AuditRecord& r) {
  auto last = tx.QueryOne("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  std::int64_t seq = last ? last->Int(0) + 1 : 1;
  std::string prev = last ? last->Text(1) : kGenesisHash;
  std::string at = tz.Rfc3339(now);
  std::string details = Canonical(JsonValue(r.details));
  std::string hash = AuditEntryHash(prev, seq, at, r.actor, r.action, r.subject, details);
  tx.Exec(
      "INSERT INTO audit_log(seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
      {seq, at, r.actor, r.action, r.subject, details, prev, hash});
  return seq;
}

AuditVerification VerifyAudit(SqlTx& tx) {
  AuditVerification v;
  v.head = kGenesisHash;
  std::string prev = kGenesisHash;
  std::int64_t expected_seq = 1;
  auto rows = tx.Query("SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log ORDER BY seq");
  for (const auto& row : rows) {
    std::int64_t seq = row.Int(0);
    auto broken = [&](std::string why) {
      v.ok = false;
      v.first_broken = seq;
      v.reason = std::move(why);
    };
    if (seq != expected_seq) {
      broken(fmt::format("sequence gap: expected {}, found {}", expected_seq, seq));
    } else if (row.Text(6) != prev) {
      broken("previous hash does not match the entry before it");
    } else if (AuditEntryHash(prev, seq, row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5)) !=
               row.Text(7)) {
      broken("entry content does not match its hash");
    }
    if (!v.ok) break;
    prev = row.Text(7);
    ++expected_seq;
  }
  v.entries = static_cast<std::int64_t>(rows.size());
  if (!rows.empty()) v.head = rows.back().Text(7);
  return v;
}

}  // namespace bookstamp
