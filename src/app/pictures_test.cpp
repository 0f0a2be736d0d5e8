// Prize pictures: format checks by the bytes themselves, storage, image_url, authorization, audit.
#include "app/pictures.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"
#include "app/audit.hpp"
#include "app/prizes.hpp"

namespace bookstamp {
namespace {

std::string Be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

// A PNG signature and IHDR chunk (CRC not checked by the inspector), then some filler.
std::string Png(std::uint32_t w, std::uint32_t h) {
  return std::string("\x89PNG\r\n\x1a\n", 8) + Be32(13) + "IHDR" + Be32(w) + Be32(h) + std::string("\x08\x02\0\0\0", 5) +
         Be32(0) + std::string(16, '\0');
}

// SOI, an APP0 segment, then SOF0 with height and width.
std::string Jpeg(std::uint16_t w, std::uint16_t h) {
  std::string s("\xFF\xD8\xFF\xE0\x00\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 20);
  s += std::string("\xFF\xC0\x00\x11\x08", 5);
  s += {static_cast<char>(h >> 8), static_cast<char>(h), static_cast<char>(w >> 8), static_cast<char>(w)};
  s += std::string(12, '\x01');
  s += std::string("\xFF\xD9", 2);
  return s;
}

// RIFF/WEBP with a lossless VP8L header.
std::string WebpLossless(std::uint32_t w, std::uint32_t h) {
  std::uint32_t bits = (w - 1) | ((h - 1) << 14);
  std::string body = "WEBPVP8L" + std::string("\x05\0\0\0", 4) + "\x2F" +
                     std::string{static_cast<char>(bits), static_cast<char>(bits >> 8), static_cast<char>(bits >> 16),
                                 static_cast<char>(bits >> 24)};
  body += std::string(5, '\0');
  std::uint32_t n = static_cast<std::uint32_t>(body.size());
  return "RIFF" + std::string{static_cast<char>(n), static_cast<char>(n >> 8), static_cast<char>(n >> 16),
                              static_cast<char>(n >> 24)} +
         body;
}

// RIFF/WEBP with a lossy VP8 key frame header.
std::string WebpLossy(std::uint16_t w, std::uint16_t h) {
  std::string body = "WEBPVP8 " + std::string("\x0A\0\0\0", 4) + std::string("\0\0\0\x9D\x01\x2A", 6) +
                     std::string{static_cast<char>(w), static_cast<char>(w >> 8), static_cast<char>(h),
                                 static_cast<char>(h >> 8)};
  std::uint32_t n = static_cast<std::uint32_t>(body.size());
  return "RIFF" + std::string{static_cast<char>(n), 0, 0, 0} + body;
}

std::string ReasonOf(const DomainError& e) {
  for (const auto& [k, v] : e.args)
    if (k == "reason") return v;
  return "";
}

TEST(InspectPicture, ReadsDimensionsOfEachFormat) {
  struct Row {
    const char* name;
    std::string type, bytes, mime;
    int w, h;
  };
  Row rows[] = {
      {"png", "image/png", Png(640, 480), "image/png", 640, 480},
      {"png with parameters", "Image/PNG; q=1", Png(1, 1), "image/png", 1, 1},
      {"jpeg", "image/jpeg", Jpeg(800, 600), "image/jpeg", 800, 600},
      {"jpg alias", "image/jpg", Jpeg(3, 2), "image/jpeg", 3, 2},
      {"webp lossless", "image/webp", WebpLossless(300, 200), "image/webp", 300, 200},
      {"webp lossy", "image/webp", WebpLossy(1024, 768), "image/webp", 1024, 768},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    auto info = InspectPicture(row.type, row.bytes);
    ASSERT_TRUE(info) << ToString(info.error().code);
    EXPECT_EQ(info->content_type, row.mime);
    EXPECT_EQ(info->width, row.w);
    EXPECT_EQ(info->height, row.h);
  }
}

TEST(InspectPicture, RefusesWhatIsNotTheDeclaredImage) {
  struct Row {
    const char* name;
    std::string type, bytes;
    ErrorCode code;
    std::string reason;
  };
  std::string png = Png(10, 10);
  Row rows[] = {
      {"gif declared", "image/gif", "GIF89a....", ErrorCode::kUnsupportedMediaType, ""},
      {"no type", "", png, ErrorCode::kUnsupportedMediaType, ""},
      {"empty", "image/png", "", ErrorCode::kValidationFailed, "required"},
      {"text as png", "image/png", "hello, this is not an image", ErrorCode::kValidationFailed, "not_an_image"},
      {"png declared jpeg", "image/jpeg", png, ErrorCode::kValidationFailed, "type_mismatch"},
      {"jpeg declared webp", "image/webp", Jpeg(5, 5), ErrorCode::kValidationFailed, "type_mismatch"},
      {"truncated png", "image/png", png.substr(0, 20), ErrorCode::kValidationFailed, "corrupt_image"},
      {"jpeg without frame", "image/jpeg", std::string("\xFF\xD8\xFF\xD9", 4), ErrorCode::kValidationFailed,
       "corrupt_image"},
      {"zero width", "image/png", Png(0, 10), ErrorCode::kValidationFailed, "dimensions_out_of_range"},
      {"huge", "image/png", Png(50000, 50000), ErrorCode::kValidationFailed, "dimensions_out_of_range"},
      {"too big", "image/png", png + std::string(kMaxPictureBytes, '\0'), ErrorCode::kPayloadTooLarge, ""},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    auto info = InspectPicture(row.type, row.bytes);
    ASSERT_FALSE(info);
    EXPECT_EQ(info.error().code, row.code);
    if (!row.reason.empty()) {
      EXPECT_EQ(info.error().field, "body");
      EXPECT_EQ(ReasonOf(info.error()), row.reason);
    }
  }
}

class PrizePictures : public ::testing::Test {
 protected:
  void SetUp() override {
    lib_.AddBranch("A");
    lib_.AddBranch("B");
    auto p = lib_.Do([&](SqlTx& tx) {
      return CreatePrize(tx, lib_.env(), lib_.actor(), {.branch = BranchCode("A"), .name = "明信片", .cost = 3, .stock = 5});
    });
    ASSERT_TRUE(p);
    prize_ = p->prize.id;
  }
  Actor Staff(Role role, std::optional<std::string> branch) {
    Actor a;
    a.kind = Actor::Kind::kStaff;
    a.role = role;
    if (branch) a.branch = BranchCode(*branch);
    a.label = "staff:t";
    return a;
  }
  testing::Library lib_;
  PrizeId prize_{0};
};

TEST_F(PrizePictures, StoresBytesSetsImageUrlAndAudits) {
  std::string png = Png(64, 32);
  png[40] = '\0';  // bytes survive embedded NULs
  auto put = lib_.Do([&](SqlTx& tx) {
    return PutPrizePicture(tx, lib_.env(), Staff(Role::kBranchAdmin, "A"), prize_, "image/png", png);
  });
  ASSERT_TRUE(put) << ToString(put.error().code);
  EXPECT_EQ(put->width, 64);
  EXPECT_EQ(put->url, PrizePictureUrl(prize_, put->sha256));
  auto stored = lib_.Read([&](SqlTx& tx) { return LoadPrizePicture(tx, prize_); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->bytes, png);
  EXPECT_EQ(stored->content_type, "image/png");
  auto view = lib_.Read([&](SqlTx& tx) { return GetPrize(tx, lib_.env(), prize_); });
  EXPECT_EQ(view->image_url, put->url);
  auto action = lib_.Read([&](SqlTx& tx) {
    return tx.QueryOne("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")->Text(0);
  });
  EXPECT_EQ(action, "prize.picture");
  EXPECT_TRUE(lib_.Read([&](SqlTx& tx) { return VerifyAudit(tx).ok; }));
}

TEST_F(PrizePictures, ReplacingChangesTheUrlAndDeleteClearsIt) {
  auto first = lib_.Do([&](SqlTx& tx) { return PutPrizePicture(tx, lib_.env(), lib_.actor(), prize_, "image/png", Png(1, 1)); });
  auto second = lib_.Do([&](SqlTx& tx) { return PutPrizePicture(tx, lib_.env(), lib_.actor(), prize_, "image/jpeg", Jpeg(2, 2)); });
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->url, second->url);
  EXPECT_EQ(lib_.Read([&](SqlTx& tx) { return LoadPrizePicture(tx, prize_); })->content_type, "image/jpeg");
  ASSERT_TRUE(lib_.Do([&](SqlTx& tx) { return DeletePrizePicture(tx, lib_.env(), lib_.actor(), prize_); }));
  EXPECT_FALSE(lib_.Read([&](SqlTx& tx) { return LoadPrizePicture(tx, prize_); }));
  EXPECT_FALSE(lib_.Read([&](SqlTx& tx) { return GetPrize(tx, lib_.env(), prize_); })->image_url);
  auto again = lib_.Do([&](SqlTx& tx) { return DeletePrizePicture(tx, lib_.env(), lib_.actor(), prize_); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kPrizeNotFound);
}

TEST_F(PrizePictures, RefusesOtherBranchAdminsAndChangesNothing) {
  for (auto actor : {Staff(Role::kBranchAdmin, "B"), Staff(Role::kCounter, "A")}) {
    auto put = lib_.Do([&](SqlTx& tx) { return PutPrizePicture(tx, lib_.env(), actor, prize_, "image/png", Png(1, 1)); });
    ASSERT_FALSE(put);
    EXPECT_EQ(put.error().code, ErrorCode::kForbidden);
  }
  EXPECT_FALSE(lib_.Read([&](SqlTx& tx) { return LoadPrizePicture(tx, prize_); }));
  auto missing = lib_.Do([&](SqlTx& tx) { return PutPrizePicture(tx, lib_.env(), lib_.actor(), PrizeId(999), "image/png", Png(1, 1)); });
  EXPECT_EQ(missing.error().code, ErrorCode::kPrizeNotFound);
}

}  // namespace
}  // namespace bookstamp
