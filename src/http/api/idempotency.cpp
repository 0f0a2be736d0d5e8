// Idempotency-Key (API.md "Conventions"): scoped to the caller, method and path, kept 24 hours; a
// replay answers the first status and body (errors too); the same key with another body is 409
// IDEMPOTENCY_KEY_REUSED; a concurrent duplicate waits for the first. A key is reserved in one
// transaction, the request runs, and its answer is recorded in a second one; a reservation whose
// request died is taken over after a minute.
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "app/crypto.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {
namespace {

constexpr auto kAbandoned = std::chrono::minutes(1);
constexpr auto kWaitStep = std::chrono::milliseconds(25);
constexpr int kMaxWaits = 1200;  // 30 s

struct Reservation {
  enum class Kind { kProceed, kReplay, kInFlight, kMismatch } kind = Kind::kProceed;
  int status = 0;
  std::string body;
};

Reservation Reserve(SqlTx& tx, const Env& env, const std::string& caller, const Request& req, const std::string& key,
                    const std::string& hash) {
  auto now = ToMillis(env.Now());
  auto row = tx.QueryOne(
      "SELECT request_hash, status, body, created_at FROM idempotency_keys WHERE caller = ? AND method = ? AND "
      "path = ? AND key = ?",
      {caller, req.method, req.path, key});
  if (!row) {
    tx.Exec("INSERT INTO idempotency_keys(caller, method, path, key, request_hash, created_at) VALUES (?,?,?,?,?,?)",
            {caller, req.method, req.path, key, hash, now});
    return {};
  }
  if (row->Text(0) != hash) return {Reservation::Kind::kMismatch};
  if (!row->IsNull(1)) return {Reservation::Kind::kReplay, static_cast<int>(row->Int(1)), row->OptText(2).value_or("")};
  if (now - row->Int(3) > std::chrono::milliseconds(kAbandoned).count()) {
    tx.Exec("UPDATE idempotency_keys SET created_at = ? WHERE caller = ? AND method = ? AND path = ? AND key = ?",
            {now, caller, req.method, req.path, key});
    return {};
  }
  return {Reservation::Kind::kInFlight};
}

Response Replayed(const Reservation& r) {
  Response res;
  res.status = r.status;
  res.body = r.body;
  if (r.body.empty()) res.content_type.clear();
  res.headers.emplace_back("Idempotent-Replayed", "true");
  return res;
}

// A handler's refusal becomes its answer (so it can be recorded); anything else is rethrown.
Response AnswerOrRethrow(std::exception_ptr error, const Request& req) {
  try {
    std::rethrow_exception(error);
  } catch (const HttpError& e) {
    return ErrorResponse(e.error, req.lang);
  }
}

}  // namespace

Handler WithIdempotency(ApiDeps& d, Handler inner) {
  return [&d, inner = std::move(inner)](Request& req) -> awaitable<Response> {
    auto key = req.Header("Idempotency-Key");
    if (key.empty()) co_return co_await inner(req);
    if (key.size() > 255) ThrowInvalid("Idempotency-Key", "too_long");
    auto env = EnvOf(d);
    auto token = BearerToken(req);
    std::string caller = "anon:" + req.remote_ip;
    if (!token.empty()) {
      auto actor = co_await Read(d.store, [&](SqlTx& tx) { return Authenticate(tx, env, token); });
      if (!actor) co_return co_await inner(req);  // answers 401 itself; nothing to remember
      caller = actor->label;
    }
    auto hash = crypto::Sha256Hex(req.body);
    Reservation r;
    for (int waits = 0;; ++waits) {
      r = co_await Write(d.store, [&](SqlTx& tx) { return std::make_pair(TxOutcome::kCommit, Reserve(tx, env, caller, req, key, hash)); });
      if (r.kind != Reservation::Kind::kInFlight || waits >= kMaxWaits) break;
      boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, kWaitStep);
      co_await timer.async_wait(boost::asio::use_awaitable);
    }
    if (r.kind == Reservation::Kind::kMismatch) throw HttpError{ErrorCode::kIdempotencyKeyReused};
    if (r.kind == Reservation::Kind::kReplay) co_return Replayed(r);
    if (r.kind == Reservation::Kind::kInFlight) throw HttpError{ErrorCode::kUnavailable};

    std::optional<Response> answer;
    std::exception_ptr error;
    try {
      answer.emplace(co_await inner(req));
    } catch (...) {
      error = std::current_exception();
    }
    if (error) {
      std::exception_ptr unrecorded;
      try {
        answer.emplace(AnswerOrRethrow(error, req));
      } catch (...) {
        unrecorded = std::current_exception();
      }
      if (unrecorded) {
        // Not an answer of the contract (store down, a bug): free the key so a retry runs again.
        co_await Write(d.store, [&](SqlTx& tx) {
          tx.Exec("DELETE FROM idempotency_keys WHERE caller = ? AND method = ? AND path = ? AND key = ?",
                  {caller, req.method, req.path, key});
        });
        std::rethrow_exception(unrecorded);
      }
    }
    co_await Write(d.store, [&](SqlTx& tx) {
      tx.Exec("UPDATE idempotency_keys SET status = ?, body = ? WHERE caller = ? AND method = ? AND path = ? AND key = ?",
              {std::int64_t{answer->status}, answer->body, caller, req.method, req.path, key});
    });
    co_return std::move(*answer);
  };
}

void ApiRouter::Add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  if (method != "GET") handler = WithIdempotency(deps, std::move(handler));
  router.Add(std::move(method), std::move(pattern), std::move(handler), options);
}

void ApiRouter::AddLogin(std::string method, std::string pattern, Handler handler) {
  router.Add(std::move(method), std::move(pattern), std::move(handler));
}

}  // namespace bookstamp::http
