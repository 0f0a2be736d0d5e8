// Awaiting one Store job from an Asio coroutine without blocking the I/O thread: the job runs on
// the store's thread, the coroutine resumes on its own executor, and the job's or the commit's
// exception is rethrown. Part of bookstamp_asio, so every Asio user (http/, sip2/) shares it;
// http/store_bridge.hpp builds the typed Read/Write on top.
// REQUIRES: the io_context outlives every submitted job.
#pragma once
#include <boost/asio/awaitable.hpp>

#include "app/ports/store.hpp"

namespace bookstamp {

boost::asio::awaitable<void> AwaitStoreWrite(Store& store, Store::WriteJob job);
boost::asio::awaitable<void> AwaitStoreRead(Store& store, Store::ReadJob job);

}  // namespace bookstamp
