#include "app/content.hpp"

#include <fmt/format.h>

#include <map>

#include "app/audit.hpp"
#include "app/authz.hpp"

namespace bookstamp {
namespace {

SqlValue OptInstant(const std::optional<Instant>& t) {
  if (!t) return nullptr;
  return SqlValue(ToMillis(*t));
}
JsonValue OptJson(const std::optional<std::string>& s) { return s ? JsonValue(*s) : JsonValue(nullptr); }

// Links shown to every patron: http(s) or a path of this site, never javascript: or data:.
bool SafeUrl(const std::string& u) {
  if (u.empty() || u.size() > 2000) return false;
  for (unsigned char c : u)
    if (c < 0x21 || c == 0x7f) return false;
  if (u.starts_with("https://") || u.starts_with("http://")) return u.size() > 8;
  return u[0] == '/' && (u.size() == 1 || u[1] != '/');
}

Result<void> CheckText(const std::string& field, const std::string& v, std::size_t max, bool required = true) {
  if (required && v.empty()) return Fail(DomainError::Invalid(field, "required"));
  if (v.size() > max) return Fail(DomainError::Invalid(field, "too_long"));
  return {};
}

Result<void> CheckUrl(const std::string& field, const std::optional<std::string>& v) {
  if (v && !SafeUrl(*v)) return Fail(DomainError::Invalid(field, "bad_format"));
  return {};
}

Result<void> CheckPosition(std::int64_t p) {
  if (p < 0 || p > 1000000) return Fail(DomainError::Invalid("position", "out_of_range"));
  return {};
}

#define CONTENT_TRY(expr)                          \
  if (auto ok_ = (expr); !ok_) return Fail(ok_.error())

Announcement AnnouncementOf(const SqlRow& r) {
  Announcement a;
  a.id = AnnouncementId(r.Int(0));
  a.title = r.Text(1);
  a.body = r.Text(2);
  a.image_url = r.OptText(3);
  a.link = r.OptText(4);
  a.starts_at = FromMillis(r.Int(5));
  if (auto e = r.OptInt(6)) a.ends_at = FromMillis(*e);
  a.position = r.Int(7);
  return a;
}
constexpr const char* kAnnouncementCols = "id, title, body, image_url, link, starts_at, ends_at, position";

std::optional<Announcement> LoadAnnouncement(SqlTx& tx, AnnouncementId id) {
  auto r = tx.QueryOne(fmt::format("SELECT {} FROM announcements WHERE id = ?", kAnnouncementCols), {id.value()});
  if (!r) return std::nullopt;
  return AnnouncementOf(*r);
}

Result<void> CheckAnnouncement(const Announcement& a) {
  CONTENT_TRY(CheckText("title", a.title, 200));
  CONTENT_TRY(CheckText("body", a.body, 10000, false));
  CONTENT_TRY(CheckUrl("image_url", a.image_url));
  CONTENT_TRY(CheckUrl("link", a.link));
  CONTENT_TRY(CheckPosition(a.position));
  if (a.ends_at && *a.ends_at <= a.starts_at) return Fail(DomainError::Invalid("ends_at", "out_of_range"));
  return {};
}

JsonObject AuditOf(const Announcement& a, const TimeZone& tz) {
  return {{"title", a.title},
          {"image_url", OptJson(a.image_url)},
          {"link", OptJson(a.link)},
          {"starts_at", tz.Rfc3339(a.starts_at)},
          {"ends_at", a.ends_at ? JsonValue(tz.Rfc3339(*a.ends_at)) : JsonValue(nullptr)},
          {"position", a.position}};
}

std::vector<FeaturedBib> ListBibs(SqlTx& tx, FeaturedListId list_id) {
  std::vector<FeaturedBib> out;
  for (const auto& r : tx.Query(
           "SELECT b.id, b.title, b.author, b.cover_url, "
           "(SELECT COUNT(*) FROM items i WHERE i.bib_id = b.id), "
           "(SELECT COUNT(*) FROM items i WHERE i.bib_id = b.id AND i.loanable = 1 AND NOT EXISTS "
           "  (SELECT 1 FROM loans l WHERE l.item_id = i.id AND l.returned_at IS NULL)) "
           "FROM featured_list_bibs f JOIN bibs b ON b.id = f.bib_id WHERE f.list_id = ? ORDER BY f.position",
           {list_id.value()})) {
    FeaturedBib b;
    b.id = BibId(r.Int(0));
    b.title = r.Text(1);
    b.author = r.Text(2);
    b.cover_url = r.OptText(3);
    b.items = r.Int(4);
    b.available = r.Int(5);
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<FeaturedList> LoadLists(SqlTx& tx, bool active_only, std::optional<FeaturedListId> id = {}) {
  std::string sql = "SELECT id, title, active, position FROM featured_lists WHERE 1 = 1";
  std::vector<SqlValue> params;
  if (active_only) sql += " AND active = 1";
  if (id) sql += " AND id = ?", params.push_back(id->value());
  sql += " ORDER BY position, id";
  std::vector<FeaturedList> out;
  for (const auto& r : tx.Query(sql, params)) {
    FeaturedList l;
    l.id = FeaturedListId(r.Int(0));
    l.title = r.Text(1);
    l.active = r.Int(2) != 0;
    l.position = r.Int(3);
    l.bibs = ListBibs(tx, l.id);
    out.push_back(std::move(l));
  }
  return out;
}

Result<void> CheckBibs(SqlTx& tx, const std::vector<BibId>& bibs) {
  if (bibs.size() > 100) return Fail(DomainError::Invalid("bibs", "too_long"));
  for (auto b : bibs)
    if (!tx.QueryOne("SELECT 1 FROM bibs WHERE id = ?", {b.value()})) return Fail(ErrorCode::kBibNotFound);
  return {};
}

void SaveBibs(SqlTx& tx, FeaturedListId list_id, const std::vector<BibId>& bibs) {
  tx.Exec("DELETE FROM featured_list_bibs WHERE list_id = ?", {list_id.value()});
  std::int64_t pos = 0;
  for (auto b : bibs)
    tx.Exec("INSERT INTO featured_list_bibs(list_id, position, bib_id) VALUES (?,?,?)", {list_id.value(), pos++, b.value()});
}

// "12,7,31": the list's bibs in order, for the audit entry.
std::string BibIds(const std::vector<BibId>& bibs) {
  std::string s;
  for (auto b : bibs) s += (s.empty() ? "" : ",") + std::to_string(b.value());
  return s;
}

QuickLink LinkOf(const SqlRow& r) {
  return {QuickLinkId(r.Int(0)), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)};
}
constexpr const char* kLinkCols = "id, label_zh, label_en, url, icon, position";

std::optional<QuickLink> LoadLink(SqlTx& tx, QuickLinkId id) {
  auto r = tx.QueryOne(fmt::format("SELECT {} FROM quick_links WHERE id = ?", kLinkCols), {id.value()});
  if (!r) return std::nullopt;
  return LinkOf(*r);
}

Result<void> CheckLink(const QuickLink& l) {
  CONTENT_TRY(CheckText("label_zh", l.label_zh, 100));
  CONTENT_TRY(CheckText("label_en", l.label_en, 100, false));
  CONTENT_TRY(CheckText("icon", l.icon, 100, false));
  if (!SafeUrl(l.url)) return Fail(DomainError::Invalid("url", "bad_format"));
  CONTENT_TRY(CheckPosition(l.position));
  return {};
}

JsonObject AuditOf(const QuickLink& l) {
  return {{"label_zh", l.label_zh}, {"label_en", l.label_en}, {"url", l.url}, {"icon", l.icon},
          {"position", l.position}};
}

Result<void> MayManage(const Actor& actor) { return Authorize(actor, Permission::kManageContent); }

}  // namespace

// ---- announcements ----

Result<Announcement> CreateAnnouncement(SqlTx& tx, const Env& env, const Actor& actor, const AnnouncementInput& in) {
  CONTENT_TRY(MayManage(actor));
  auto now = env.Now();
  Announcement a{AnnouncementId(0), in.title, in.body, in.image_url, in.link, in.starts_at.value_or(now), in.ends_at, in.position};
  CONTENT_TRY(CheckAnnouncement(a));
  a.id = AnnouncementId(tx.QueryOne(
               "INSERT INTO announcements(title, body, image_url, link, starts_at, ends_at, position, created_at, "
               "updated_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
               {a.title, a.body, SqlOpt(a.image_url), SqlOpt(a.link), ToMillis(a.starts_at), OptInstant(a.ends_at),
                a.position, ToMillis(now), ToMillis(now)})
             ->Int(0));
  AppendAudit(tx, now, env.tz, {actor.label, "announcement.create", fmt::format("announcement:{}", a.id.value()),
                                AuditOf(a, env.tz)});
  return a;
}

Result<Announcement> UpdateAnnouncement(SqlTx& tx, const Env& env, const Actor& actor, AnnouncementId id,
                                        const AnnouncementPatch& p) {
  CONTENT_TRY(MayManage(actor));
  auto cur = LoadAnnouncement(tx, id);
  if (!cur) return Fail(ErrorCode::kNotFound);
  auto a = *cur;
  if (p.title) a.title = *p.title;
  if (p.body) a.body = *p.body;
  if (p.image_url) a.image_url = *p.image_url;
  if (p.link) a.link = *p.link;
  if (p.starts_at) a.starts_at = *p.starts_at;
  if (p.ends_at) a.ends_at = *p.ends_at;
  if (p.position) a.position = *p.position;
  CONTENT_TRY(CheckAnnouncement(a));
  auto now = env.Now();
  tx.Exec("UPDATE announcements SET title = ?, body = ?, image_url = ?, link = ?, starts_at = ?, ends_at = ?, "
          "position = ?, updated_at = ? WHERE id = ?",
          {a.title, a.body, SqlOpt(a.image_url), SqlOpt(a.link), ToMillis(a.starts_at), OptInstant(a.ends_at),
           a.position, ToMillis(now), id.value()});
  AppendAudit(tx, now, env.tz,
              {actor.label, "announcement.update", fmt::format("announcement:{}", id.value()), AuditOf(a, env.tz)});
  return a;
}

Result<void> DeleteAnnouncement(SqlTx& tx, const Env& env, const Actor& actor, AnnouncementId id) {
  CONTENT_TRY(MayManage(actor));
  auto cur = LoadAnnouncement(tx, id);
  if (!cur) return Fail(ErrorCode::kNotFound);
  tx.Exec("DELETE FROM announcements WHERE id = ?", {id.value()});
  AppendAudit(tx, env.Now(), env.tz,
              {actor.label, "announcement.delete", fmt::format("announcement:{}", id.value()), {{"title", cur->title}}});
  return {};
}

// ---- featured lists ----

Result<FeaturedList> CreateFeaturedList(SqlTx& tx, const Env& env, const Actor& actor, const FeaturedListInput& in) {
  CONTENT_TRY(MayManage(actor));
  CONTENT_TRY(CheckText("title", in.title, 200));
  CONTENT_TRY(CheckPosition(in.position));
  CONTENT_TRY(CheckBibs(tx, in.bibs));
  auto now = env.Now();
  FeaturedListId id(tx.QueryOne("INSERT INTO featured_lists(title, active, position, created_at, updated_at) "
                        "VALUES (?,?,?,?,?) RETURNING id",
                        {in.title, std::int64_t{in.active ? 1 : 0}, in.position, ToMillis(now), ToMillis(now)})
                ->Int(0));
  SaveBibs(tx, id, in.bibs);
  AppendAudit(tx, now, env.tz,
              {actor.label, "featured_list.create", fmt::format("featured_list:{}", id.value()),
               {{"title", in.title}, {"active", in.active}, {"position", in.position}, {"bibs", BibIds(in.bibs)}}});
  return LoadLists(tx, false, id).at(0);
}

Result<FeaturedList> UpdateFeaturedList(SqlTx& tx, const Env& env, const Actor& actor, FeaturedListId id,
                                        const FeaturedListPatch& p) {
  CONTENT_TRY(MayManage(actor));
  auto cur = LoadLists(tx, false, id);
  if (cur.empty()) return Fail(ErrorCode::kNotFound);
  auto l = cur.front();
  JsonObject changes;
  if (p.title) {
    CONTENT_TRY(CheckText("title", *p.title, 200));
    l.title = *p.title, changes["title"] = *p.title;
  }
  if (p.active) l.active = *p.active, changes["active"] = *p.active;
  if (p.position) {
    CONTENT_TRY(CheckPosition(*p.position));
    l.position = *p.position, changes["position"] = *p.position;
  }
  if (p.bibs) {
    CONTENT_TRY(CheckBibs(tx, *p.bibs));
    changes["bibs"] = BibIds(*p.bibs);
  }
  auto now = env.Now();
  tx.Exec("UPDATE featured_lists SET title = ?, active = ?, position = ?, updated_at = ? WHERE id = ?",
          {l.title, std::int64_t{l.active ? 1 : 0}, l.position, ToMillis(now), id.value()});
  if (p.bibs) SaveBibs(tx, id, *p.bibs);
  AppendAudit(tx, now, env.tz,
              {actor.label, "featured_list.update", fmt::format("featured_list:{}", id.value()), std::move(changes)});
  return LoadLists(tx, false, id).at(0);
}

Result<void> DeleteFeaturedList(SqlTx& tx, const Env& env, const Actor& actor, FeaturedListId id) {
  CONTENT_TRY(MayManage(actor));
  auto cur = LoadLists(tx, false, id);
  if (cur.empty()) return Fail(ErrorCode::kNotFound);
  tx.Exec("DELETE FROM featured_list_bibs WHERE list_id = ?", {id.value()});
  tx.Exec("DELETE FROM featured_lists WHERE id = ?", {id.value()});
  AppendAudit(tx, env.Now(), env.tz,
              {actor.label, "featured_list.delete", fmt::format("featured_list:{}", id.value()),
               {{"title", cur.front().title}}});
  return {};
}

// ---- quick links ----

Result<QuickLink> CreateQuickLink(SqlTx& tx, const Env& env, const Actor& actor, const QuickLinkInput& in) {
  CONTENT_TRY(MayManage(actor));
  QuickLink l{QuickLinkId(0), in.label_zh, in.label_en, in.url, in.icon, in.position};
  CONTENT_TRY(CheckLink(l));
  auto now = env.Now();
  l.id = QuickLinkId(tx.QueryOne("INSERT INTO quick_links(label_zh, label_en, url, icon, position, created_at, updated_at) "
                     "VALUES (?,?,?,?,?,?,?) RETURNING id",
                     {l.label_zh, l.label_en, l.url, l.icon, l.position, ToMillis(now), ToMillis(now)})
             ->Int(0));
  AppendAudit(tx, now, env.tz, {actor.label, "quick_link.create", fmt::format("quick_link:{}", l.id.value()), AuditOf(l)});
  return l;
}

Result<QuickLink> UpdateQuickLink(SqlTx& tx, const Env& env, const Actor& actor, QuickLinkId id,
                                  const QuickLinkPatch& p) {
  CONTENT_TRY(MayManage(actor));
  auto cur = LoadLink(tx, id);
  if (!cur) return Fail(ErrorCode::kNotFound);
  auto l = *cur;
  if (p.label_zh) l.label_zh = *p.label_zh;
  if (p.label_en) l.label_en = *p.label_en;
  if (p.url) l.url = *p.url;
  if (p.icon) l.icon = *p.icon;
  if (p.position) l.position = *p.position;
  CONTENT_TRY(CheckLink(l));
  auto now = env.Now();
  tx.Exec("UPDATE quick_links SET label_zh = ?, label_en = ?, url = ?, icon = ?, position = ?, updated_at = ? "
          "WHERE id = ?",
          {l.label_zh, l.label_en, l.url, l.icon, l.position, ToMillis(now), id.value()});
  AppendAudit(tx, now, env.tz, {actor.label, "quick_link.update", fmt::format("quick_link:{}", id.value()), AuditOf(l)});
  return l;
}

Result<void> DeleteQuickLink(SqlTx& tx, const Env& env, const Actor& actor, QuickLinkId id) {
  CONTENT_TRY(MayManage(actor));
  auto cur = LoadLink(tx, id);
  if (!cur) return Fail(ErrorCode::kNotFound);
  tx.Exec("DELETE FROM quick_links WHERE id = ?", {id.value()});
  AppendAudit(tx, env.Now(), env.tz,
              {actor.label, "quick_link.delete", fmt::format("quick_link:{}", id.value()), {{"label_zh", cur->label_zh}}});
  return {};
}

// ---- reads ----

HomeContent LoadHome(SqlTx& tx, const Env& env) {
  HomeContent h;
  auto now = ToMillis(env.Now());
  for (const auto& r : tx.Query(fmt::format("SELECT {} FROM announcements WHERE starts_at <= ? AND (ends_at IS NULL "
                                            "OR ends_at > ?) ORDER BY position, starts_at DESC, id",
                                            kAnnouncementCols),
                                {now, now}))
    h.announcements.push_back(AnnouncementOf(r));
  h.featured = LoadLists(tx, true);
  for (const auto& r : tx.Query(fmt::format("SELECT {} FROM quick_links ORDER BY position, id", kLinkCols)))
    h.links.push_back(LinkOf(r));
  return h;
}

HomeContent LoadAllContent(SqlTx& tx) {
  HomeContent h;
  for (const auto& r :
       tx.Query(fmt::format("SELECT {} FROM announcements ORDER BY position, starts_at DESC, id", kAnnouncementCols)))
    h.announcements.push_back(AnnouncementOf(r));
  h.featured = LoadLists(tx, false);
  for (const auto& r : tx.Query(fmt::format("SELECT {} FROM quick_links ORDER BY position, id", kLinkCols)))
    h.links.push_back(LinkOf(r));
  return h;
}

}  // namespace bookstamp
