// Prize pictures (PRODUCT.md A1): the uploaded image checked by its own bytes (magic number and
// header dimensions, not the name or the declared type alone), stored in prize_pictures, and the
// prize's image_url pointed at GET /api/v1/prizes/{id}/picture?v=<hash>. Every change is audited.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "app/context.hpp"
#include "app/ports/sql.hpp"
#include "domain/passbook.hpp"

namespace bookstamp {

inline constexpr std::size_t kMaxPictureBytes = 2 * 1024 * 1024;
inline constexpr int kMaxPictureSide = 10000;  // pixels; refuses decompression bombs

struct PictureInfo {
  std::string content_type;  // "image/jpeg", "image/png" or "image/webp": what the bytes are
  int width = 0;
  int height = 0;
};

// Pure check of an upload against its declared Content-Type (parameters ignored).
// Refusals: UNSUPPORTED_MEDIA_TYPE (declared type not JPEG/PNG/WebP), PAYLOAD_TOO_LARGE (over
// kMaxPictureBytes), VALIDATION_FAILED field "body" with reason "required" (empty), "not_an_image"
// (no known signature), "type_mismatch" (the bytes are another format than declared), "corrupt_image"
// (header truncated or without dimensions), "dimensions_out_of_range".
[[nodiscard]] Result<PictureInfo> InspectPicture(std::string_view declared_type, std::string_view bytes);

struct PrizePicture {
  PrizeId prize{0};
  std::string content_type;
  int width = 0;
  int height = 0;
  std::int64_t size = 0;
  std::string sha256;  // hex; the ETag (quoted)
  std::string url;     // the prize's image_url now
};

// Stores (or replaces) the picture of `prize` and sets its image_url; audited "prize.picture".
// Refusals: PRIZE_NOT_FOUND; FORBIDDEN unless the actor may manage that prize's branch; InspectPicture's.
[[nodiscard]] Result<PrizePicture> PutPrizePicture(SqlTx& tx, const Env& env, const Actor& actor, PrizeId prize,
                                                   std::string_view declared_type, std::string_view bytes);

// Removes the picture; image_url is cleared when it pointed at it. Audited "prize.picture_delete".
// Refusals: PRIZE_NOT_FOUND (no such prize, or it has no picture); FORBIDDEN as above.
[[nodiscard]] Result<void> DeletePrizePicture(SqlTx& tx, const Env& env, const Actor& actor, PrizeId prize);

struct StoredPicture {
  std::string content_type;
  std::string sha256;
  std::string bytes;
};
// The picture of `prize` (public), or nullopt.
std::optional<StoredPicture> LoadPrizePicture(SqlTx& tx, PrizeId prize);

// "/api/v1/prizes/{id}/picture?v=<first 16 hex digits of the hash>".
std::string PrizePictureUrl(PrizeId prize, std::string_view sha256_hex);

}  // namespace bookstamp
