// libcurl SMTP: one connection per mail (notices are few; the dispatcher sends them one by one).
#include "notify/smtp_mailer.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cassert>
#include <cstring>

#include "notify/mime.hpp"

namespace bookstamp::notify {
namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Upload {
  const std::string& data;
  std::size_t offset = 0;
};

std::size_t ReadBody(char* buffer, std::size_t size, std::size_t nitems, void* user) {
  auto* up = static_cast<Upload*>(user);
  std::size_t n = std::min(size * nitems, up->data.size() - up->offset);
  std::memcpy(buffer, up->data.data() + up->offset, n);
  up->offset += n;
  return n;
}

}  // namespace

SmtpMailer::SmtpMailer(SmtpConfig config, const Clock& clock) : config_(std::move(config)), clock_(clock) {
  assert(config_.tls == "none" || config_.tls == "starttls" || config_.tls == "tls");
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

SmtpMailer::~SmtpMailer() = default;

MailResult SmtpMailer::Send(const MailMessage& m) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return {false, false, "curl_easy_init failed"};
  std::string body = BuildMime(m, config_.from, config_.from_name, clock_.Now());
  Upload up{body};
  std::string url = fmt::format("{}://{}:{}", config_.tls == "tls" ? "smtps" : "smtp", config_.host, config_.port);
  std::string mail_from = fmt::format("<{}>", config_.from);
  std::string rcpt = fmt::format("<{}>", m.to);
  std::unique_ptr<curl_slist, SlistDeleter> rcpts(curl_slist_append(nullptr, rcpt.c_str()));
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadBody);
  curl_easy_setopt(c, CURLOPT_READDATA, &up);
  curl_easy_setopt(c, CURLOPT_INFILESIZE, static_cast<long>(body.size()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(config_.timeout_seconds));
  if (config_.tls == "starttls") curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!config_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.c_str());
  }
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  if (rc == CURLE_OK) return {true, false, fmt::format("{} accepted", code)};
  std::string detail = fmt::format("{} (SMTP {}){}{}", curl_easy_strerror(rc), code, error[0] ? ": " : "", error);
  // A 5xx answer to MAIL FROM / RCPT TO / DATA is final; connection trouble and 4xx are worth retrying.
  bool permanent = code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED;
  return {false, permanent, detail};
}

}  // namespace bookstamp::notify
