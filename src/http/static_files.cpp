// Static file resolution; see static_files.hpp.
#include "http/static_files.hpp"

#include <algorithm>
#include <array>
#include <system_error>
#include <vector>

#include "http/url.hpp"

namespace bookstamp::http {
namespace {
namespace fs = std::filesystem;

struct Mime {
  std::string_view extension;
  std::string_view type;
};
constexpr std::array kMimeTypes{
    Mime{"html", "text/html; charset=utf-8"},
    Mime{"htm", "text/html; charset=utf-8"},
    Mime{"js", "text/javascript; charset=utf-8"},
    Mime{"mjs", "text/javascript; charset=utf-8"},
    Mime{"css", "text/css; charset=utf-8"},
    Mime{"json", "application/json; charset=utf-8"},
    Mime{"map", "application/json; charset=utf-8"},
    Mime{"webmanifest", "application/manifest+json; charset=utf-8"},
    Mime{"svg", "image/svg+xml"},
    Mime{"png", "image/png"},
    Mime{"jpg", "image/jpeg"},
    Mime{"jpeg", "image/jpeg"},
    Mime{"gif", "image/gif"},
    Mime{"webp", "image/webp"},
    Mime{"avif", "image/avif"},
    Mime{"ico", "image/x-icon"},
    Mime{"wasm", "application/wasm"},
    Mime{"woff2", "font/woff2"},
    Mime{"woff", "font/woff"},
    Mime{"ttf", "font/ttf"},
    Mime{"txt", "text/plain; charset=utf-8"},
    Mime{"xml", "application/xml; charset=utf-8"},
    Mime{"pdf", "application/pdf"},
};

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

// True when `file` (which exists) resolves inside `root`, symlinks included.
bool Inside(const fs::path& root, const fs::path& file) {
  std::error_code ec;
  fs::path real_root = fs::canonical(root, ec);
  if (ec) return false;
  fs::path real_file = fs::canonical(file, ec);
  if (ec) return false;
  auto [root_end, file_it] = std::mismatch(real_root.begin(), real_root.end(), real_file.begin(), real_file.end());
  return root_end == real_root.end();
}

bool IsRegularFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

StaticTarget FileTarget(const fs::path& root, const fs::path& file, bool immutable) {
  if (!Inside(root, file)) return {StaticTarget::Kind::kRefused, {}, {}, {}};
  return {StaticTarget::Kind::kFile, file, std::string(MimeTypeFor(file.filename().string())),
          std::string(immutable ? kImmutable : kRevalidate)};
}
}  // namespace

std::string_view MimeTypeFor(std::string_view file_name) {
  auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string_view ext = file_name.substr(dot + 1);
  for (const auto& m : kMimeTypes)
    if (IEquals(m.extension, ext)) return m.type;
  return "application/octet-stream";
}

StaticTarget ResolveStatic(const fs::path& root, std::string_view decoded_path) {
  StaticTarget not_found;
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) return not_found;
  if (decoded_path.empty() || decoded_path.front() != '/') return {StaticTarget::Kind::kRefused, {}, {}, {}};

  std::vector<std::string_view> segments = SplitPath(decoded_path);
  fs::path relative;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    std::string_view seg = segments[i];
    if (seg == ".." || seg == "." || seg.find('\\') != std::string_view::npos ||
        seg.find('\0') != std::string_view::npos)
      return {StaticTarget::Kind::kRefused, {}, {}, {}};
    if (seg.empty()) {
      if (i + 1 == segments.size()) break;  // trailing '/': the directory's index.html
      continue;                             // "a//b" reads as "a/b"
    }
    if (seg.front() == '.' && seg != ".well-known") return not_found;
    relative /= fs::path(std::string(seg));
  }
  bool directory_index = segments.back().empty();
  bool under_assets = !segments.empty() && segments.front() == "assets";

  fs::path candidate = root / relative;
  if (directory_index) candidate /= "index.html";
  if (IsRegularFile(candidate)) return FileTarget(root, candidate, under_assets && !directory_index);

  // Missing: a client-side route ("/cards/123/loans") gets the app; a missing asset or a name with
  // an extension stays 404, so a broken link is not answered with HTML.
  if (under_assets) return not_found;
  if (!directory_index && segments.back().find('.') != std::string_view::npos) return not_found;
  fs::path index = root / "index.html";
  if (IsRegularFile(index)) return FileTarget(root, index, false);
  return not_found;
}

}  // namespace bookstamp::http
