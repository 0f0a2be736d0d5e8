// Building an RFC 5322 / MIME mail from a MailMessage: RFC 2047 encoded-word headers, base64 UTF-8
// bodies, multipart/alternative (text/plain then text/html). Pure functions; see smtp_mailer.hpp.
#pragma once
#include <chrono>
#include <string>
#include <string_view>

#include "app/ports/mailer.hpp"
#include "domain/time.hpp"

namespace bookstamp::notify {

// Standard base64 (RFC 4648) with padding; `line` > 0 breaks lines with CRLF every `line` characters.
std::string Base64(std::string_view bytes, std::size_t line = 0);

// A header value: unchanged when it is printable ASCII, else RFC 2047 "=?UTF-8?B?...?=" encoded-words
// of at most 75 characters each (never splitting a UTF-8 character), joined by CRLF + space.
std::string EncodeHeaderWord(std::string_view utf8);

// "Sun, 29 Nov 2026 22:33:44 +0000" (RFC 5322 date-time, UTC).
std::string MailDate(Instant t);

// The stable Message-ID of a notice: the same for every attempt, unguessable without the server key.
// "<notice-42.1a2b3c4d5e6f7a8b@example.org>"
std::string NoticeMessageId(std::int64_t notice_id, std::string_view server_key, std::string_view domain);

// The domain part of an address ("a@b.org" -> "b.org"; "localhost" when there is none).
std::string AddressDomain(std::string_view address);

// The whole message, CRLF line ends. `from` is an address; `from_name` an optional display name.
std::string BuildMime(const MailMessage& m, std::string_view from, std::string_view from_name, Instant date);

}  // namespace bookstamp::notify
