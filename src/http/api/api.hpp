// The JSON API of API.md under /api/v1: route registration and what the handlers share.
#pragma once
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/ports/catalog_index.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/store.hpp"
#include "http/router.hpp"

namespace bookstamp::http {

struct OpsHooks;  // ops.hpp

struct ApiDeps {
  Store& store;
  const Clock& clock;
  const TimeZone& tz;
  TestClock* test_clock = nullptr;          // set only with --test-clock: enables PUT /test/clock
  boost::asio::thread_pool* slow_pool = nullptr;  // argon2id hashing, off the I/O threads
  CatalogIndex* catalog_index = nullptr;          // GET /search answers 503 without one
  OpsHooks* ops = nullptr;                        // /metrics and backup; none: they answer 503
  // [webauthn] rp_id and origins (passkeys); empty: the request's Host and its origin.
  std::string webauthn_rp_id;
  std::vector<std::string> webauthn_origins;
  bool push_allow_local_endpoints = false;
  std::string card_barcode = "code128";  // [app] card_barcode, in GET /home for the mobile card  // [push] allow_local_endpoints (tests, development)
};

// Registers every /api/v1 route.
void AddApiRoutes(Router& router, ApiDeps& deps);

// Prize pictures, GET /metrics and POST /admin/backup (routes_ops.cpp).
struct ApiRouter;
void AddOpsRoutes(ApiRouter& r, ApiDeps& d);
// Passkeys: /cards/{card}/passkeys and /session/passkey (routes_passkeys.cpp).
void AddPasskeyRoutes(ApiRouter& r, ApiDeps& d);

}  // namespace bookstamp::http
