// Which file answers a non-/api GET: the web app's built files (web/dist) with their MIME type and
// caching, and the single-page-app fallback to index.html. No I/O beyond stat; the server sends it.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace bookstamp::http {

struct StaticTarget {
  enum class Kind { kFile, kNotFound, kRefused };
  Kind kind = Kind::kNotFound;
  std::filesystem::path file;   // when kFile
  std::string content_type;     // when kFile
  std::string cache_control;    // when kFile
};

// Resolves a decoded request path under `root`:
// - ".." or "." segments, backslashes or NUL: kRefused; a file that resolves (through a symlink)
//   outside `root`: kRefused; hidden segments (".git"; ".well-known" is allowed): kNotFound.
// - a path ending in '/' serves that directory's index.html.
// - a regular file: kFile; under /assets/ (hashed names) "public, max-age=31536000, immutable",
//   otherwise "no-cache" (revalidate: index.html, sw.js, manifest).
// - missing, outside /assets/ and without a dot in its last segment: the SPA fallback,
//   root/index.html; else kNotFound. A missing or empty `root` is kNotFound.
StaticTarget ResolveStatic(const std::filesystem::path& root, std::string_view decoded_path);

// "text/html; charset=utf-8" for "index.html"; "application/octet-stream" when unknown.
std::string_view MimeTypeFor(std::string_view file_name);

}  // namespace bookstamp::http
