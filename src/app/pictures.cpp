// Prize pictures: format sniffing and header dimensions (PNG IHDR, JPEG SOFn, WebP VP8/VP8L/VP8X),
// then storage and audit. See pictures.hpp.
#include "app/pictures.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cstdint>

#include "app/audit.hpp"
#include "app/authz.hpp"
#include "app/crypto.hpp"
#include "app/prizes.hpp"

namespace bookstamp {
namespace {

std::uint8_t Byte(std::string_view b, std::size_t i) { return static_cast<std::uint8_t>(b[i]); }
std::uint32_t Be16(std::string_view b, std::size_t i) { return (Byte(b, i) << 8) | Byte(b, i + 1); }
std::uint32_t Be32(std::string_view b, std::size_t i) { return (Be16(b, i) << 16) | Be16(b, i + 2); }
std::uint32_t Le16(std::string_view b, std::size_t i) { return Byte(b, i) | (Byte(b, i + 1) << 8); }
std::uint32_t Le24(std::string_view b, std::size_t i) { return Le16(b, i) | (Byte(b, i + 2) << 16); }
std::uint32_t Le32(std::string_view b, std::size_t i) { return Le16(b, i) | (Le16(b, i + 2) << 16); }

enum class Format { kUnknown, kJpeg, kPng, kWebp };

Format Sniff(std::string_view b) {
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return Format::kPng;
  if (b.size() >= 3 && Byte(b, 0) == 0xFF && Byte(b, 1) == 0xD8 && Byte(b, 2) == 0xFF) return Format::kJpeg;
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return Format::kWebp;
  return Format::kUnknown;
}

const char* MimeOf(Format f) {
  switch (f) {
    case Format::kJpeg: return "image/jpeg";
    case Format::kPng: return "image/png";
    case Format::kWebp: return "image/webp";
    case Format::kUnknown: break;
  }
  return "";
}

struct Size {
  std::uint32_t width = 0, height = 0;
};

// IHDR must be the first chunk, right after the signature.
std::optional<Size> PngSize(std::string_view b) {
  if (b.size() < 24 || b.substr(12, 4) != "IHDR" || Be32(b, 8) != 13) return std::nullopt;
  return Size{Be32(b, 16), Be32(b, 20)};
}

// Walks the marker segments up to the first start-of-frame (SOF0..SOF15 but DHT, JPG and DAC).
std::optional<Size> JpegSize(std::string_view b) {
  std::size_t i = 2;
  while (i + 4 <= b.size()) {
    if (Byte(b, i) != 0xFF) return std::nullopt;
    std::uint8_t marker = Byte(b, i + 1);
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      i += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // end of image or scan before any frame
    std::uint32_t length = Be16(b, i + 2);
    if (length < 2 || i + 2 + length > b.size()) return std::nullopt;
    bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (length < 7) return std::nullopt;
      return Size{Be16(b, i + 7), Be16(b, i + 5)};
    }
    i += 2 + length;
  }
  return std::nullopt;
}

// The first chunk says which bitstream it is; each keeps its dimensions at a fixed place.
std::optional<Size> WebpSize(std::string_view b) {
  if (b.size() < 30 || static_cast<std::uint64_t>(Le32(b, 4)) + 8 > b.size()) return std::nullopt;
  std::string_view chunk = b.substr(12, 4);
  if (chunk == "VP8 ") {
    // frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
    if (Byte(b, 23) != 0x9D || Byte(b, 24) != 0x01 || Byte(b, 25) != 0x2A) return std::nullopt;
    return Size{Le16(b, 26) & 0x3FFF, Le16(b, 28) & 0x3FFF};
  }
  if (chunk == "VP8L") {
    if (Byte(b, 20) != 0x2F) return std::nullopt;
    std::uint32_t bits = Le32(b, 21);
    return Size{(bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
  }
  if (chunk == "VP8X") return Size{Le24(b, 24) + 1, Le24(b, 27) + 1};
  return std::nullopt;
}

// "image/PNG; charset=x" -> "image/png".
std::string MediaType(std::string_view declared) {
  declared = declared.substr(0, declared.find(';'));
  while (!declared.empty() && std::isspace(static_cast<unsigned char>(declared.back()))) declared.remove_suffix(1);
  while (!declared.empty() && std::isspace(static_cast<unsigned char>(declared.front()))) declared.remove_prefix(1);
  std::string out;
  for (char c : declared) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::optional<PrizeView> FindPrize(SqlTx& tx, const Env& env, PrizeId id) {
  auto p = GetPrize(tx, env, id);
  if (!p) return std::nullopt;
  return *p;
}

}  // namespace

Result<PictureInfo> InspectPicture(std::string_view declared_type, std::string_view bytes) {
  std::string declared = MediaType(declared_type);
  if (declared == "image/jpg") declared = "image/jpeg";
  if (declared != "image/jpeg" && declared != "image/png" && declared != "image/webp")
    return Fail(ErrorCode::kUnsupportedMediaType);
  if (bytes.empty()) return Fail(DomainError::Invalid("body", "required"));
  if (bytes.size() > kMaxPictureBytes)
    return Fail(DomainError(ErrorCode::kPayloadTooLarge, {{"limit", std::to_string(kMaxPictureBytes)}}));
  Format format = Sniff(bytes);
  if (format == Format::kUnknown) return Fail(DomainError::Invalid("body", "not_an_image"));
  if (declared != MimeOf(format)) return Fail(DomainError::Invalid("body", "type_mismatch"));
  std::optional<Size> size = format == Format::kPng    ? PngSize(bytes)
                             : format == Format::kJpeg ? JpegSize(bytes)
                                                       : WebpSize(bytes);
  if (!size) return Fail(DomainError::Invalid("body", "corrupt_image"));
  if (size->width == 0 || size->height == 0 || size->width > kMaxPictureSide || size->height > kMaxPictureSide)
    return Fail(DomainError::Invalid("body", "dimensions_out_of_range"));
  return PictureInfo{MimeOf(format), static_cast<int>(size->width), static_cast<int>(size->height)};
}

std::string PrizePictureUrl(PrizeId prize, std::string_view sha256_hex) {
  return fmt::format("/api/v1/prizes/{}/picture?v={}", prize.value(), sha256_hex.substr(0, 16));
}

Result<PrizePicture> PutPrizePicture(SqlTx& tx, const Env& env, const Actor& actor, PrizeId prize,
                                     std::string_view declared_type, std::string_view bytes) {
  auto current = FindPrize(tx, env, prize);
  if (!current) return Fail(ErrorCode::kPrizeNotFound);
  if (auto ok = Authorize(actor, Permission::kManagePrizes, current->prize.branch); !ok) return Fail(ok.error());
  auto info = InspectPicture(declared_type, bytes);
  if (!info) return Fail(info.error());

  PrizePicture out{prize, info->content_type, info->width, info->height, static_cast<std::int64_t>(bytes.size()),
                   crypto::Sha256Hex(bytes), ""};
  out.url = PrizePictureUrl(prize, out.sha256);
  auto now = env.Now();
  // CAST: the port binds strings as text; the column holds the bytes as a BLOB.
  tx.Exec(
      "INSERT INTO prize_pictures(prize_id, content_type, bytes, sha256, width, height, uploaded_at, uploaded_by) "
      "VALUES (?, ?, CAST(? AS BLOB), ?, ?, ?, ?, ?) ON CONFLICT(prize_id) DO UPDATE SET "
      "content_type = excluded.content_type, bytes = excluded.bytes, sha256 = excluded.sha256, "
      "width = excluded.width, height = excluded.height, uploaded_at = excluded.uploaded_at, "
      "uploaded_by = excluded.uploaded_by",
      {prize.value(), out.content_type, std::string(bytes), out.sha256, std::int64_t{out.width},
       std::int64_t{out.height}, ToMillis(now), actor.label});
  tx.Exec("UPDATE prizes SET image_url = ?, updated_at = ? WHERE id = ?", {out.url, ToMillis(now), prize.value()});
  AppendAudit(tx, now, env.tz,
              {actor.label, "prize.picture", fmt::format("prize:{}", prize.value()),
               {{"content_type", out.content_type},
                {"bytes", out.size},
                {"width", std::int64_t{out.width}},
                {"height", std::int64_t{out.height}},
                {"sha256", out.sha256}}});
  return out;
}

Result<void> DeletePrizePicture(SqlTx& tx, const Env& env, const Actor& actor, PrizeId prize) {
  auto current = FindPrize(tx, env, prize);
  if (!current) return Fail(ErrorCode::kPrizeNotFound);
  if (auto ok = Authorize(actor, Permission::kManagePrizes, current->prize.branch); !ok) return Fail(ok.error());
  auto row = tx.QueryOne("DELETE FROM prize_pictures WHERE prize_id = ? RETURNING sha256", {prize.value()});
  if (!row) return Fail(ErrorCode::kPrizeNotFound);
  auto now = env.Now();
  // Only our own URL is cleared; an external image_url set by PATCH stays.
  std::string own = fmt::format("/api/v1/prizes/{}/picture", prize.value());
  tx.Exec("UPDATE prizes SET image_url = NULL, updated_at = ? WHERE id = ? AND substr(image_url, 1, ?) = ?",
          {ToMillis(now), prize.value(), static_cast<std::int64_t>(own.size()), own});
  AppendAudit(tx, now, env.tz,
              {actor.label, "prize.picture_delete", fmt::format("prize:{}", prize.value()),
               {{"sha256", row->Text(0)}}});
  return {};
}

std::optional<StoredPicture> LoadPrizePicture(SqlTx& tx, PrizeId prize) {
  auto row = tx.QueryOne("SELECT content_type, sha256, bytes FROM prize_pictures WHERE prize_id = ?", {prize.value()});
  if (!row) return std::nullopt;
  return StoredPicture{row->Text(0), row->Text(1), row->Text(2)};
}

}  // namespace bookstamp
