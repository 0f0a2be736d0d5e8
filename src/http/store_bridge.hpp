// Awaiting Store work from a handler: the job runs on the store's thread, the handler's coroutine
// is suspended meanwhile (the I/O thread serves others) and resumes on its own executor.
// Usage:
//   Loan loan = co_await Read(store, [&](SqlTx& tx) { return LoadLoan(tx, id); });
//   auto r = co_await Write(store, [&](SqlTx& tx) { return app::CheckOut(tx, ...); });  // Result<T>
//   Response x = ... OrThrow(std::move(r)) ...;
// The job may capture the handler's locals by reference: they outlive it. An exception thrown by
// the job or by the commit (StoreUnavailable, ConstraintViolation, ...) is rethrown by co_await.
// REQUIRES: the Store outlives the request, and the Server's io_context outlives every submitted
// job (close the Store before destroying the Server, or stop the Server first: Stop() waits for
// in-flight requests).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <type_traits>
#include <utility>

#include "app/ports/store.hpp"
#include "http/store_await.hpp"
#include "domain/error.hpp"

namespace bookstamp::http {
namespace detail {
// Submit and suspend until `done`; rethrow its error (http/store_await.hpp).
inline boost::asio::awaitable<void> AwaitWrite(Store& store, Store::WriteJob job) {
  return AwaitStoreWrite(store, std::move(job));
}
inline boost::asio::awaitable<void> AwaitRead(Store& store, Store::ReadJob job) {
  return AwaitStoreRead(store, std::move(job));
}

template <class T>
struct IsResult : std::false_type {};
template <class T>
struct IsResult<Result<T>> : std::true_type {};

template <class T>
struct IsOutcomePair : std::false_type {};
template <class T>
struct IsOutcomePair<std::pair<TxOutcome, T>> : std::true_type {
  using Value = T;
};

template <class R>
struct WriteValue {
  using Type = R;  // void, or Result<T>
};
template <class T>
struct WriteValue<std::pair<TxOutcome, T>> {
  using Type = T;
};
}  // namespace detail

// Runs `job(SqlTx&) -> T` on a read connection (a consistent snapshot) and returns its value.
template <class F>
auto Read(Store& store, F job) -> boost::asio::awaitable<std::invoke_result_t<F&, SqlTx&>> {
  using T = std::invoke_result_t<F&, SqlTx&>;
  if constexpr (std::is_void_v<T>) {
    co_await detail::AwaitRead(store, [&job](SqlTx& tx) { job(tx); });
  } else {
    std::optional<T> out;
    co_await detail::AwaitRead(store, [&job, &out](SqlTx& tx) { out.emplace(job(tx)); });
    co_return std::move(*out);
  }
}

// Runs `job(SqlTx&)` in a write transaction and returns once it is durable. The job returns:
//   void                         -> committed; returns void
//   std::pair<TxOutcome, T>      -> committed or rolled back as it says; returns T
//   Result<T>                    -> committed when it holds a value, rolled back on a DomainError;
//                                   returns the Result (OrThrow in errors.hpp turns it into an answer)
template <class F>
auto Write(Store& store, F job)
    -> boost::asio::awaitable<typename detail::WriteValue<std::invoke_result_t<F&, SqlTx&>>::Type> {
  using R = std::invoke_result_t<F&, SqlTx&>;
  if constexpr (std::is_void_v<R>) {
    co_await detail::AwaitWrite(store, [&job](SqlTx& tx) {
      job(tx);
      return TxOutcome::kCommit;
    });
  } else if constexpr (detail::IsOutcomePair<R>::value) {
    std::optional<typename detail::IsOutcomePair<R>::Value> out;
    co_await detail::AwaitWrite(store, [&job, &out](SqlTx& tx) {
      auto [outcome, value] = job(tx);
      out.emplace(std::move(value));
      return outcome;
    });
    co_return std::move(*out);
  } else {
    static_assert(detail::IsResult<R>::value, "a Write job returns void, std::pair<TxOutcome, T> or Result<T>");
    std::optional<R> out;
    co_await detail::AwaitWrite(store, [&job, &out](SqlTx& tx) {
      out.emplace(job(tx));
      return out->has_value() ? TxOutcome::kCommit : TxOutcome::kRollback;
    });
    co_return std::move(*out);
  }
}

}  // namespace bookstamp::http
