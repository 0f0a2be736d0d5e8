// Home content (PRODUCT.md P6, A5): GET /home (public) and the staff editor's CRUD of
// announcements, featured lists and quick links.
#include <fmt/format.h>

#include "app/authz.hpp"
#include "app/content.hpp"
#include "http/api/common.hpp"

namespace bookstamp::http {
namespace {

json::value OptJson(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

json::object AnnouncementJson(const Announcement& a, const TimeZone& tz) {
  return {{"id", a.id.value()},
          {"title", a.title},
          {"body", a.body},
          {"image_url", OptJson(a.image_url)},
          {"link", OptJson(a.link)},
          {"starts_at", tz.Rfc3339(a.starts_at)},
          {"ends_at", a.ends_at ? json::value(tz.Rfc3339(*a.ends_at)) : json::value(nullptr)},
          {"position", a.position}};
}

json::object ListJson(const FeaturedList& l) {
  json::array bibs;
  json::array ids;
  for (const auto& b : l.bibs) {
    ids.push_back(b.id.value());
    bibs.push_back(json::object{{"id", b.id.value()},
                                {"title", b.title},
                                {"author", b.author},
                                {"cover_url", OptJson(b.cover_url)},
                                {"items", b.items},
                                {"available", b.available}});
  }
  return {{"id", l.id.value()}, {"title", l.title}, {"active", l.active}, {"position", l.position},
          {"bib_ids", ids}, {"bibs", bibs}};
}

json::object LinkJson(const QuickLink& l) {
  return {{"id", l.id.value()}, {"label_zh", l.label_zh}, {"label_en", l.label_en}, {"url", l.url},
          {"icon", l.icon}, {"position", l.position}};
}

json::object ContentJson(const HomeContent& h, const TimeZone& tz) {
  json::array ann, lists, links;
  for (const auto& a : h.announcements) ann.push_back(AnnouncementJson(a, tz));
  for (const auto& l : h.featured) lists.push_back(ListJson(l));
  for (const auto& l : h.links) links.push_back(LinkJson(l));
  return {{"announcements", ann}, {"featured_lists", lists}, {"quick_links", links}};
}

std::optional<Instant> OptionalInstantField(const json::object& body, std::string_view field) {
  auto s = OptionalString(body, field);
  if (!s) return std::nullopt;
  auto t = ParseRfc3339(*s);
  if (!t) ThrowInvalid(field, "bad_format");
  return t;
}

// Merge-patch field that null clears: outer nullopt = absent.
std::optional<std::optional<std::string>> NullableString(const json::object& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (it->value().is_null()) return std::optional<std::string>{};
  return std::optional<std::string>(RequireString(body, field));
}

std::optional<std::optional<Instant>> NullableInstant(const json::object& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (it->value().is_null()) return std::optional<Instant>{};
  return std::optional<Instant>(OptionalInstantField(body, field));
}

std::optional<std::vector<BibId>> BibIdsField(const json::object& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_array()) ThrowInvalid(field, "not_array");
  std::vector<BibId> out;
  for (const auto& v : it->value().as_array()) {
    if (!v.is_int64() || v.as_int64() <= 0) ThrowInvalid(field, "not_integer");
    out.push_back(BibId(v.as_int64()));
  }
  return out;
}

// `position` is never a required field; in a PATCH its absence keeps it.
std::optional<std::int64_t> Position(const json::object& body) { return OptionalInt(body, "position"); }

}  // namespace

void AddContentRoutes(ApiRouter& r, ApiDeps& d) {
  r.Add("GET", "/api/v1/home", [&d](Request&) -> awaitable<Response> {
    auto env = EnvOf(d);
    auto h = co_await Read(d.store, [&](SqlTx& tx) { return LoadHome(tx, env); });
    auto body = ContentJson(h, d.tz);
    body["card_barcode"] = d.card_barcode;
    auto res = JsonResponse(200, std::move(body));
    res.headers.emplace_back("Cache-Control", "public, max-age=30");
    co_return res;
  });

  r.Add("GET", "/api/v1/content", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    OrThrow(Authorize(actor, Permission::kManageContent));
    auto h = co_await Read(d.store, [&](SqlTx& tx) { return LoadAllContent(tx); });
    co_return JsonResponse(200, ContentJson(h, d.tz));
  });

  // ---- announcements ----
  r.Add("POST", "/api/v1/announcements", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    AnnouncementInput in;
    in.title = RequireString(body, "title");
    in.body = OptionalString(body, "body").value_or("");
    in.image_url = OptionalString(body, "image_url");
    in.link = OptionalString(body, "link");
    in.starts_at = OptionalInstantField(body, "starts_at");
    in.ends_at = OptionalInstantField(body, "ends_at");
    in.position = Position(body).value_or(0);
    auto env = EnvOf(d);
    auto a = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CreateAnnouncement(tx, env, actor, in); }));
    co_return JsonResponse(201, json::object{{"announcement", AnnouncementJson(a, d.tz)}});
  });

  r.Add("PATCH", "/api/v1/announcements/{id}", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    AnnouncementId id(IdParam(req, "id"));
    auto body = ParseJsonObject(req);
    AnnouncementPatch p;
    p.title = OptionalString(body, "title");
    p.body = OptionalString(body, "body");
    p.image_url = NullableString(body, "image_url");
    p.link = NullableString(body, "link");
    p.starts_at = OptionalInstantField(body, "starts_at");
    p.ends_at = NullableInstant(body, "ends_at");
    p.position = Position(body);
    auto env = EnvOf(d);
    auto a = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return UpdateAnnouncement(tx, env, actor, id, p); }));
    co_return JsonResponse(200, json::object{{"announcement", AnnouncementJson(a, d.tz)}});
  });

  r.Add("DELETE", "/api/v1/announcements/{id}", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    AnnouncementId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return DeleteAnnouncement(tx, env, actor, id); }));
    co_return NoContent();
  });

  // ---- featured lists ----
  r.Add("POST", "/api/v1/featured-lists", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    FeaturedListInput in;
    in.title = RequireString(body, "title");
    in.bibs = BibIdsField(body, "bib_ids").value_or(std::vector<BibId>{});
    in.active = OptionalBool(body, "active").value_or(true);
    in.position = Position(body).value_or(0);
    auto env = EnvOf(d);
    auto l = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CreateFeaturedList(tx, env, actor, in); }));
    co_return JsonResponse(201, json::object{{"featured_list", ListJson(l)}});
  });

  r.Add("PATCH", "/api/v1/featured-lists/{id}", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    FeaturedListId id(IdParam(req, "id"));
    auto body = ParseJsonObject(req);
    FeaturedListPatch p;
    p.title = OptionalString(body, "title");
    p.bibs = BibIdsField(body, "bib_ids");
    p.active = OptionalBool(body, "active");
    p.position = Position(body);
    auto env = EnvOf(d);
    auto l = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return UpdateFeaturedList(tx, env, actor, id, p); }));
    co_return JsonResponse(200, json::object{{"featured_list", ListJson(l)}});
  });

  r.Add("DELETE", "/api/v1/featured-lists/{id}", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    FeaturedListId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return DeleteFeaturedList(tx, env, actor, id); }));
    co_return NoContent();
  });

  // ---- quick links ----
  r.Add("POST", "/api/v1/quick-links", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    auto body = ParseJsonObject(req);
    QuickLinkInput in;
    in.label_zh = RequireString(body, "label_zh");
    in.label_en = OptionalString(body, "label_en").value_or("");
    in.url = RequireString(body, "url");
    in.icon = OptionalString(body, "icon").value_or("");
    in.position = Position(body).value_or(0);
    auto env = EnvOf(d);
    auto l = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return CreateQuickLink(tx, env, actor, in); }));
    co_return JsonResponse(201, json::object{{"quick_link", LinkJson(l)}});
  });

  r.Add("PATCH", "/api/v1/quick-links/{id}", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    QuickLinkId id(IdParam(req, "id"));
    auto body = ParseJsonObject(req);
    QuickLinkPatch p;
    p.label_zh = OptionalString(body, "label_zh");
    p.label_en = OptionalString(body, "label_en");
    p.url = OptionalString(body, "url");
    p.icon = OptionalString(body, "icon");
    p.position = Position(body);
    auto env = EnvOf(d);
    auto l = OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return UpdateQuickLink(tx, env, actor, id, p); }));
    co_return JsonResponse(200, json::object{{"quick_link", LinkJson(l)}});
  });

  r.Add("DELETE", "/api/v1/quick-links/{id}", [&d](Request& req) -> awaitable<Response> {
    auto actor = co_await StaffOnly(d, req);
    QuickLinkId id(IdParam(req, "id"));
    auto env = EnvOf(d);
    OrThrow(co_await Write(d.store, [&](SqlTx& tx) { return DeleteQuickLink(tx, env, actor, id); }));
    co_return NoContent();
  });
}

}  // namespace bookstamp::http
