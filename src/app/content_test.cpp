// Home content (PRODUCT.md P6, A5): what GET /home shows, who may change it, and the audit trail.
#include "app/content.hpp"

#include <gtest/gtest.h>

#include "app/app_test_support.hpp"

namespace bookstamp {
namespace {

Actor Staff(Role role, std::optional<std::string> branch) {
  Actor a;
  a.kind = Actor::Kind::kStaff;
  a.role = role;
  if (branch) a.branch = BranchCode(*branch);
  a.label = "staff:s";
  return a;
}

class ContentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lib.AddBranch("A");
    b1 = lib.AddBib("紅樓夢", {{"I1", "A"}, {"I2", "A"}});
    b2 = lib.AddBib("西遊記", {{"I3", "A"}});
    lib.AddCard("C1");
    ASSERT_TRUE(lib.Checkout("C1", "I1", "A"));
  }
  Instant At(const std::string& t) { return *ParseRfc3339(t); }
  std::int64_t AuditCount(const std::string& action) {
    return lib.Read([&](SqlTx& tx) {
      return tx.QueryOne("SELECT COUNT(*) FROM audit_log WHERE action = ?", {action})->Int(0);
    });
  }
  testing::Library lib;
  Actor admin = Staff(Role::kBranchAdmin, "A");
  BibId b1{0}, b2{0};
};

TEST_F(ContentTest, HomeShowsCurrentAnnouncementsActiveListsAndLinks) {
  auto now = lib.Do([&](SqlTx& tx) {
    return CreateAnnouncement(tx, lib.env(), admin,
                              {"寒假閱讀活動", "內容", std::nullopt, "https://example.org/a",
                               At("2026-03-01T00:00:00+08:00"), At("2026-03-31T00:00:00+08:00"), 1});
  });
  ASSERT_TRUE(now);
  ASSERT_TRUE(lib.Do([&](SqlTx& tx) {
    return CreateAnnouncement(tx, lib.env(), admin,
                              {"未來公告", "", std::nullopt, std::nullopt, At("2026-04-01T00:00:00+08:00"),
                               std::nullopt, 0});
  }));
  auto list = lib.Do([&](SqlTx& tx) { return CreateFeaturedList(tx, lib.env(), admin, {"精選", {b2, b1}, true, 0}); });
  ASSERT_TRUE(list);
  ASSERT_TRUE(lib.Do([&](SqlTx& tx) { return CreateFeaturedList(tx, lib.env(), admin, {"草稿", {b1}, false, 1}); }));
  ASSERT_TRUE(lib.Do([&](SqlTx& tx) {
    return CreateQuickLink(tx, lib.env(), admin, {"電子書", "E-books", "https://example.org/ebooks", "book", 0});
  }));
  auto home = lib.Read([&](SqlTx& tx) { return LoadHome(tx, lib.env()); });
  ASSERT_EQ(home.announcements.size(), 1u);
  EXPECT_EQ(home.announcements[0].title, "寒假閱讀活動");
  ASSERT_EQ(home.featured.size(), 1u);
  ASSERT_EQ(home.featured[0].bibs.size(), 2u);
  EXPECT_EQ(home.featured[0].bibs[0].title, "西遊記");
  EXPECT_EQ(home.featured[0].bibs[1].items, 2);
  EXPECT_EQ(home.featured[0].bibs[1].available, 1);  // I1 is on loan
  ASSERT_EQ(home.links.size(), 1u);
  EXPECT_EQ(home.links[0].label_en, "E-books");
  auto all = lib.Read([&](SqlTx& tx) { return LoadAllContent(tx); });
  EXPECT_EQ(all.announcements.size(), 2u);
  EXPECT_EQ(all.featured.size(), 2u);
  EXPECT_EQ(AuditCount("announcement.create"), 2);
  EXPECT_EQ(AuditCount("featured_list.create"), 2);
  EXPECT_EQ(AuditCount("quick_link.create"), 1);
}

TEST_F(ContentTest, UpdateAndDeleteAreAudited) {
  auto a = lib.Do([&](SqlTx& tx) {
    return CreateAnnouncement(tx, lib.env(), admin, {"公告", "", "https://example.org/p.png", std::nullopt,
                                                     std::nullopt, std::nullopt, 0});
  });
  ASSERT_TRUE(a);
  AnnouncementPatch p;
  p.image_url = std::optional<std::string>{};  // cleared
  p.title = "新公告";
  auto u = lib.Do([&](SqlTx& tx) { return UpdateAnnouncement(tx, lib.env(), admin, a->id, p); });
  ASSERT_TRUE(u);
  EXPECT_EQ(u->title, "新公告");
  EXPECT_FALSE(u->image_url);
  auto l = lib.Do([&](SqlTx& tx) { return CreateFeaturedList(tx, lib.env(), admin, {"精選", {b1}, true, 0}); });
  ASSERT_TRUE(l);
  FeaturedListPatch lp;
  lp.bibs = std::vector<BibId>{b2, b1};
  auto lu = lib.Do([&](SqlTx& tx) { return UpdateFeaturedList(tx, lib.env(), admin, l->id, lp); });
  ASSERT_TRUE(lu);
  ASSERT_EQ(lu->bibs.size(), 2u);
  EXPECT_EQ(lu->bibs[0].id, b2);
  ASSERT_TRUE(lib.Do([&](SqlTx& tx) { return DeleteFeaturedList(tx, lib.env(), admin, l->id); }));
  ASSERT_TRUE(lib.Do([&](SqlTx& tx) { return DeleteAnnouncement(tx, lib.env(), admin, a->id); }));
  auto gone = lib.Do([&](SqlTx& tx) { return DeleteAnnouncement(tx, lib.env(), admin, a->id); });
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(AuditCount("announcement.update"), 1);
  EXPECT_EQ(AuditCount("announcement.delete"), 1);
  EXPECT_EQ(AuditCount("featured_list.update"), 1);
  EXPECT_EQ(AuditCount("featured_list.delete"), 1);
}

TEST_F(ContentTest, RefusesCounterStaffUnsafeLinksAndUnknownBibs) {
  auto counter = lib.Do([&](SqlTx& tx) {
    return CreateQuickLink(tx, lib.env(), Staff(Role::kCounter, "A"), {"x", "", "https://example.org", "", 0});
  });
  ASSERT_FALSE(counter);
  EXPECT_EQ(counter.error().code, ErrorCode::kForbidden);
  auto js = lib.Do([&](SqlTx& tx) {
    return CreateQuickLink(tx, lib.env(), admin, {"x", "", "javascript:alert(1)", "", 0});
  });
  ASSERT_FALSE(js);
  EXPECT_EQ(js.error().field, "url");
  auto bib = lib.Do([&](SqlTx& tx) { return CreateFeaturedList(tx, lib.env(), admin, {"x", {BibId(999)}, true, 0}); });
  ASSERT_FALSE(bib);
  EXPECT_EQ(bib.error().code, ErrorCode::kBibNotFound);
  auto ends = lib.Do([&](SqlTx& tx) {
    return CreateAnnouncement(tx, lib.env(), admin, {"x", "", std::nullopt, std::nullopt,
                                                     At("2026-03-02T00:00:00+08:00"), At("2026-03-01T00:00:00+08:00"),
                                                     0});
  });
  ASSERT_FALSE(ends);
  EXPECT_EQ(ends.error().field, "ends_at");
}

}  // namespace
}  // namespace bookstamp
