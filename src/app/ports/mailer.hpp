// The Mailer port: hands one finished notice mail to a mail server. SmtpMailer (notify/) is the real
// one; tests use a fake. See ARCHITECTURE.md "Outbox".
#pragma once
#include <string>

namespace bookstamp {

// One mail, before MIME encoding. Text fields are UTF-8.
struct MailMessage {
  std::string to;          // bare address, "patron@example.org"
  std::string message_id;  // "<...@...>", the same on every attempt of the same notice
  std::string subject;
  std::string text;        // text/plain body
  std::string html;        // text/html body
};

struct MailResult {
  bool ok = false;
  bool permanent = false;  // the server refused for good (5xx): retrying cannot help
  std::string detail;      // the server's or the library's word, for the attempt log
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Sends `m`; ok only once the mail server accepted it. Never throws for a delivery failure.
  // Thread-safety: one call at a time per Mailer.
  virtual MailResult Send(const MailMessage& m) = 0;
};

}  // namespace bookstamp
