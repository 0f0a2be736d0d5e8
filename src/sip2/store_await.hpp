// Awaiting Store work from a SIP2 session coroutine, on the shared bridge of bookstamp_asio
// (http/store_await.hpp). The job may capture the caller's locals by reference.
// REQUIRES: the io_context outlives every submitted job (stop the server before closing the store,
// and keep the server alive until the store is closed).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <type_traits>

#include "app/ports/store.hpp"
#include "http/store_await.hpp"

namespace bookstamp::sip2 {
// Runs `job(SqlTx&) -> T` (T not void) on a read connection and returns its value.
template <class F>
auto ReadJob(Store& store, F job) -> boost::asio::awaitable<std::invoke_result_t<F&, SqlTx&>> {
  std::optional<std::invoke_result_t<F&, SqlTx&>> out;
  co_await AwaitStoreRead(store, [&job, &out](SqlTx& tx) { out.emplace(job(tx)); });
  co_return std::move(*out);
}

// Runs `job(SqlTx&) -> Result<T>` in a write transaction: committed when it holds a value, rolled
// back on a refusal. Throws what the job or the commit threw.
template <class F>
auto WriteJob(Store& store, F job) -> boost::asio::awaitable<std::invoke_result_t<F&, SqlTx&>> {
  std::optional<std::invoke_result_t<F&, SqlTx&>> out;
  co_await AwaitStoreWrite(store, [&job, &out](SqlTx& tx) {
    out.emplace(job(tx));
    return out->has_value() ? TxOutcome::kCommit : TxOutcome::kRollback;
  });
  co_return std::move(*out);
}

}  // namespace bookstamp::sip2
