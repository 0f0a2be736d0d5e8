// Home content (PRODUCT.md P6, A5): announcements, featured lists of bibs, quick links.
// Read by anyone (GET /home); changed by branch_admin and sysadmin (kManageContent), every change audited.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/ports/sql.hpp"
#include "domain/strong_id.hpp"

namespace bookstamp {

using AnnouncementId = StrongId<struct AnnouncementIdTag, std::int64_t>;
using FeaturedListId = StrongId<struct FeaturedListIdTag, std::int64_t>;
using QuickLinkId = StrongId<struct QuickLinkIdTag, std::int64_t>;

struct Announcement {
  AnnouncementId id{0};
  std::string title;
  std::string body;
  std::optional<std::string> image_url;
  std::optional<std::string> link;
  Instant starts_at;
  std::optional<Instant> ends_at;  // nullopt: until removed
  std::int64_t position = 0;
};

struct AnnouncementInput {
  std::string title;
  std::string body;
  std::optional<std::string> image_url, link;
  std::optional<Instant> starts_at;  // default: now
  std::optional<Instant> ends_at;
  std::int64_t position = 0;
};

// A JSON merge patch: the outer optional says "present"; for nullable fields the inner one is null.
struct AnnouncementPatch {
  std::optional<std::string> title, body;
  std::optional<std::optional<std::string>> image_url, link;
  std::optional<Instant> starts_at;
  std::optional<std::optional<Instant>> ends_at;
  std::optional<std::int64_t> position;
};

struct FeaturedBib {
  BibId id{0};
  std::string title;
  std::string author;
  std::optional<std::string> cover_url;
  std::int64_t items = 0;      // holdings
  std::int64_t available = 0;  // holdings not on loan
};

struct FeaturedList {
  FeaturedListId id{0};
  std::string title;
  bool active = true;
  std::int64_t position = 0;
  std::vector<FeaturedBib> bibs;  // in the list's order
};

struct FeaturedListInput {
  std::string title;
  std::vector<BibId> bibs;
  bool active = true;
  std::int64_t position = 0;
};

struct FeaturedListPatch {
  std::optional<std::string> title;
  std::optional<std::vector<BibId>> bibs;
  std::optional<bool> active;
  std::optional<std::int64_t> position;
};

struct QuickLink {
  QuickLinkId id{0};
  std::string label_zh, label_en;
  std::string url;
  std::string icon;
  std::int64_t position = 0;
};

struct QuickLinkInput {
  std::string label_zh, label_en;
  std::string url;
  std::string icon;
  std::int64_t position = 0;
};

struct QuickLinkPatch {
  std::optional<std::string> label_zh, label_en, url, icon;
  std::optional<std::int64_t> position;
};

[[nodiscard]] Result<Announcement> CreateAnnouncement(SqlTx& tx, const Env& env, const Actor& actor,
                                                      const AnnouncementInput& in);
[[nodiscard]] Result<Announcement> UpdateAnnouncement(SqlTx& tx, const Env& env, const Actor& actor, AnnouncementId id,
                                                      const AnnouncementPatch& p);
[[nodiscard]] Result<void> DeleteAnnouncement(SqlTx& tx, const Env& env, const Actor& actor, AnnouncementId id);

[[nodiscard]] Result<FeaturedList> CreateFeaturedList(SqlTx& tx, const Env& env, const Actor& actor,
                                                      const FeaturedListInput& in);
[[nodiscard]] Result<FeaturedList> UpdateFeaturedList(SqlTx& tx, const Env& env, const Actor& actor, FeaturedListId id,
                                                      const FeaturedListPatch& p);
[[nodiscard]] Result<void> DeleteFeaturedList(SqlTx& tx, const Env& env, const Actor& actor, FeaturedListId id);

[[nodiscard]] Result<QuickLink> CreateQuickLink(SqlTx& tx, const Env& env, const Actor& actor,
                                                const QuickLinkInput& in);
[[nodiscard]] Result<QuickLink> UpdateQuickLink(SqlTx& tx, const Env& env, const Actor& actor, QuickLinkId id,
                                                const QuickLinkPatch& p);
[[nodiscard]] Result<void> DeleteQuickLink(SqlTx& tx, const Env& env, const Actor& actor, QuickLinkId id);

struct HomeContent {
  std::vector<Announcement> announcements;  // shown now, by position
  std::vector<FeaturedList> featured;       // active ones, by position
  std::vector<QuickLink> links;             // by position
};
HomeContent LoadHome(SqlTx& tx, const Env& env);

// Everything, for the staff editor (announcements past and future, inactive lists).
HomeContent LoadAllContent(SqlTx& tx);

}  // namespace bookstamp
