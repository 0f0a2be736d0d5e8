// Awaiting Store work from a SIP2 session coroutine (the same bridge as http/store_bridge.hpp, kept
// here so sip2/ does not depend on http/). The job may capture the caller's locals by reference.
// REQUIRES: the io_context outlives every submitted job (stop the server before closing the store,
// and keep the server alive until the store is closed).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <type_traits>

#include "app/ports/store.hpp"

namespace bookstamp::sip2 {
namespace detail {
boost::asio::awaitable<void> AwaitWrite(Store& store, Store::WriteJob job);
boost::asio::awaitable<void> AwaitRead(Store& store, Store::ReadJob job);
}  // namespace detail

// Runs `job(SqlTx&) -> T` (T not void) on a read connection and returns its value.
template <class F>
auto ReadJob(Store& store, F job) -> boost::asio::awaitable<std::invoke_result_t<F&, SqlTx&>> {
  std::optional<std::invoke_result_t<F&, SqlTx&>> out;
  co_await detail::AwaitRead(store, [&job, &out](SqlTx& tx) { out.emplace(job(tx)); });
  co_return std::move(*out);
}

// Runs `job(SqlTx&) -> Result<T>` in a write transaction: committed when it holds a value, rolled
// back on a refusal. Throws what the job or the commit threw.
template <class F>
auto WriteJob(Store& store, F job) -> boost::asio::awaitable<std::invoke_result_t<F&, SqlTx&>> {
  std::optional<std::invoke_result_t<F&, SqlTx&>> out;
  co_await detail::AwaitWrite(store, [&job, &out](SqlTx& tx) {
    out.emplace(job(tx));
    return out->has_value() ? TxOutcome::kCommit : TxOutcome::kRollback;
  });
  co_return std::move(*out);
}

}  // namespace bookstamp::sip2
