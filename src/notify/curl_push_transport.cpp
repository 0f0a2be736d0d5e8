// libcurl HTTP POST: one request per push, the answer's body read and dropped.
#include "notify/curl_push_transport.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <memory>

namespace bookstamp::notify {
namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::size_t Discard(char*, std::size_t size, std::size_t nmemb, void*) { return size * nmemb; }

}  // namespace

CurlPushTransport::CurlPushTransport(int timeout_seconds) : timeout_seconds_(timeout_seconds) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

PushResponse CurlPushTransport::Post(const PushRequest& request) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return {0, "curl_easy_init failed"};
  // No "Expect: 100-continue" round trip.
  std::unique_ptr<curl_slist, SlistDeleter> headers(curl_slist_append(nullptr, "Expect:"));
  for (const auto& [name, value] : request.headers) {
    auto line = fmt::format("{}: {}", name, value);
    // On failure curl_slist_append returns NULL and leaves the list as it was.
    auto* longer = headers ? curl_slist_append(headers.get(), line.c_str()) : nullptr;
    if (!longer) return {0, "out of memory"};
  }
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.endpoint.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout_seconds_));
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK)
    return {0, fmt::format("{}{}{}", curl_easy_strerror(rc), error[0] ? ": " : "", error)};
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  return {code, ""};
}

}  // namespace bookstamp::notify
