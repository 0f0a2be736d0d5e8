// Events (RULES.md "Events"): attendance points by rotating QR, registration paid in points, and
// backfills (點數補登) filed by one staff member and approved by another.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"
#include "domain/passbook.hpp"

namespace bookstamp {

struct EventInput {
  BranchCode branch;
  std::string title;
  std::string description;
  Instant starts_at;
  Instant ends_at;
  std::int64_t attendance_points = 0;
  std::int64_t capacity = 0;
  std::int64_t registration_cost = 0;
  std::optional<Instant> registration_deadline;
};

struct EventPatch {
  std::optional<std::string> title, description;
  std::optional<Instant> starts_at, ends_at;
  std::optional<std::int64_t> attendance_points, capacity, registration_cost;
  std::optional<std::optional<Instant>> registration_deadline;
};

struct EventView {
  Event event;
  std::string description;
  std::int64_t registrations = 0;
  std::int64_t credits = 0;
};

[[nodiscard]] Result<EventView> CreateEvent(SqlTx& tx, const Env& env, const Actor& actor, const EventInput& in);
[[nodiscard]] Result<EventView> UpdateEvent(SqlTx& tx, const Env& env, const Actor& actor, EventId id,
                                            const EventPatch& patch);
[[nodiscard]] Result<EventView> GetEvent(SqlTx& tx, EventId id);
// Events ending at or after `from`, soonest first.
std::vector<EventView> ListEvents(SqlTx& tx, Instant from, const std::optional<BranchCode>& branch);

struct AttendanceToken {
  std::string token;
  Instant changes_at;
};
[[nodiscard]] Result<AttendanceToken> CurrentAttendanceToken(SqlTx& tx, const Env& env, const Actor& actor,
                                                             EventId id);

struct ClaimResult {
  EventId event;
  std::int64_t points_credited = 0;
  std::int64_t balance = 0;
};
[[nodiscard]] Result<ClaimResult> ClaimAttendance(SqlTx& tx, const Env& env, const Actor& actor,
                                                  const CardNumber& card, const std::string& token);

struct RegistrationView {
  std::int64_t id = 0;
  EventId event;
  CardNumber card;
  std::string status;
  std::int64_t cost = 0;
  std::int64_t balance = 0;
};
[[nodiscard]] Result<RegistrationView> RegisterForEvent(SqlTx& tx, const Env& env, const Actor& actor,
                                                        const CardNumber& card, EventId id);
[[nodiscard]] Result<RegistrationView> CancelRegistration(SqlTx& tx, const Env& env, const Actor& actor,
                                                          const CardNumber& card, EventId id);
std::vector<RegistrationView> CardRegistrations(SqlTx& tx, const CardNumber& card);

struct BackfillView {
  BackfillId id;
  EventId event;
  std::string event_title;
  CardNumber card;
  std::string note;
  BackfillStatus status = BackfillStatus::kAwaitingApproval;
  std::string filed_by;
  Instant filed_at;
  std::optional<std::string> decided_by;
  std::optional<Instant> decided_at;
};
[[nodiscard]] Result<BackfillView> FileBackfill(SqlTx& tx, const Env& env, const Actor& actor, EventId event,
                                                const CardNumber& card, const std::string& note);
[[nodiscard]] Result<BackfillView> ApproveBackfill(SqlTx& tx, const Env& env, const Actor& actor, BackfillId id);
[[nodiscard]] Result<BackfillView> RejectBackfill(SqlTx& tx, const Env& env, const Actor& actor, BackfillId id);
// Staff see the queue of their branch (all branches for all-branch staff).
std::vector<BackfillView> ListBackfills(SqlTx& tx, const Actor& actor, std::optional<BackfillStatus> status);

}  // namespace bookstamp
