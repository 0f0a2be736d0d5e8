// The words of every notice kind, in zh-TW and en: the inbox's title and body, and the mail's
// subject, plain text and HTML. Pure functions over the notice's JSON payload (app/notices.hpp).
#pragma once
#include <optional>
#include <string>

#include "app/canonical_json.hpp"

namespace bookstamp {

struct NoticeText {
  std::string title;  // the mail's subject and the inbox's title
  std::string text;   // plain text body
  std::string html;   // an HTML fragment of the same body (escaped)
};

// "en" for any language tag starting with "en"; everything else is zh-TW (the library's language).
std::string NoticeLang(const std::string& tag);

// Renders `kind` with `payload` (a JSON object as QueueNotice stored it). An unknown kind renders a
// generic notice rather than failing: the inbox must never hide a row.
NoticeText RenderNotice(const std::string& kind, const std::string& payload_json, const std::string& lang);

// A small JSON reader for payloads (objects, arrays, strings, integers, booleans, null).
// nullopt on malformed text.
std::optional<JsonValue> ParseJson(const std::string& text);

// &, <, >, " and ' escaped for HTML text and attributes.
std::string HtmlEscape(const std::string& s);

}  // namespace bookstamp
