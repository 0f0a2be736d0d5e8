// SmtpMailer: the Mailer port over libcurl's SMTP client (plain, STARTTLS or implicit TLS, optional
// AUTH). Builds the MIME text with notify/mime.hpp.
#pragma once
#include <memory>
#include <string>

#include "app/ports/clock.hpp"
#include "app/ports/mailer.hpp"

namespace bookstamp::notify {

struct SmtpConfig {
  std::string host = "127.0.0.1";
  int port = 25;
  std::string tls = "none";  // none | starttls | tls
  std::string username;      // empty: no AUTH
  std::string password;
  std::string from;          // envelope and header sender, "library@example.org"
  std::string from_name;     // display name, may be UTF-8
  int timeout_seconds = 60;  // whole transfer; keep well under the dispatcher's lease
};

class SmtpMailer final : public Mailer {
 public:
  // REQUIRES: config.tls is one of none, starttls, tls.
  SmtpMailer(SmtpConfig config, const Clock& clock);
  ~SmtpMailer() override;
  SmtpMailer(const SmtpMailer&) = delete;
  SmtpMailer& operator=(const SmtpMailer&) = delete;

  MailResult Send(const MailMessage& m) override;

 private:
  SmtpConfig config_;
  const Clock& clock_;
};

}  // namespace bookstamp::notify
