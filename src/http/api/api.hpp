// The JSON API of API.md under /api/v1: route registration and what the handlers share.
#pragma once
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <memory>
#include <string>

#include "app/ports/catalog_index.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "http/router.hpp"

namespace bookstamp::http {

struct ApiDeps {
  Store& store;
  const Clock& clock;
  const TimeZone& tz;
  TestClock* test_clock = nullptr;          // set only with --test-clock: enables PUT /test/clock
  boost::asio::thread_pool* slow_pool = nullptr;  // argon2id hashing, off the I/O threads
  CatalogIndex* catalog_index = nullptr;          // GET /search answers 503 without one
};

// Registers every /api/v1 route.
void AddApiRoutes(Router& router, ApiDeps& deps);

}  // namespace bookstamp::http
