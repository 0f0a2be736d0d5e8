// Unit tests of the http/ pieces that need no socket: URL decoding, routing, languages and
// messages, error bodies, JSON body helpers, static file resolution.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>

#include "http/errors.hpp"
#include "http/json_body.hpp"
#include "http/messages.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "http/url.hpp"

namespace bookstamp::http {
namespace {
namespace fs = std::filesystem;

Handler Returning(int status) {
  return [status](Request&) -> boost::asio::awaitable<Response> {
    Response r;
    r.status = status;
    co_return r;
  };
}

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc"), "a b/c");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%E5%9C%8B"), "國");
}

TEST(PercentDecode, RefusesMalformedEscapesAndNul) {
  EXPECT_EQ(PercentDecode("%"), std::nullopt);
  EXPECT_EQ(PercentDecode("%2"), std::nullopt);
  EXPECT_EQ(PercentDecode("%zz"), std::nullopt);
  EXPECT_EQ(PercentDecode("a%00b"), std::nullopt);
}

TEST(ParseQuery, DecodesPairsAndKeepsTheFirstOfRepeatedKeys) {
  auto q = ParseQuery("q=%E5%9C%8B+%E8%AA%9E&page=2&page=3&flag&=x&bad=%zz");
  EXPECT_EQ(q.at("q"), "國 語");
  EXPECT_EQ(q.at("page"), "2");
  EXPECT_EQ(q.at("flag"), "");
  EXPECT_FALSE(q.contains("bad"));
  EXPECT_FALSE(q.contains(""));
}

TEST(Router, CapturesDecodedParams) {
  Router r;
  r.Add("POST", "/api/v1/cards/{card}/loans/{id}/renew", Returning(200));
  auto m = r.Find("POST", "/api/v1/cards/A%20123/loans/42/renew");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_EQ(m.params.at("card"), "A 123");
  EXPECT_EQ(m.params.at("id"), "42");
}

TEST(Router, EmptyCaptureOrExtraSegmentDoesNotMatch) {
  Router r;
  r.Add("GET", "/api/v1/cards/{card}", Returning(200));
  EXPECT_EQ(r.Find("GET", "/api/v1/cards/").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(r.Find("GET", "/api/v1/cards/1/x").outcome, Router::Outcome::kNotFound);
  EXPECT_EQ(r.Find("GET", "/api/v1/cards/%zz").outcome, Router::Outcome::kNotFound);
}

TEST(Router, LiteralSegmentBeatsCapture) {
  Router r;
  r.Add("POST", "/api/v1/counter/redemptions/{id}", Returning(201));
  r.Add("POST", "/api/v1/counter/redemptions/scan", Returning(200));
  auto m = r.Find("POST", "/api/v1/counter/redemptions/scan");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_TRUE(m.params.empty());
  EXPECT_EQ(r.Find("POST", "/api/v1/counter/redemptions/7").params.at("id"), "7");
}

TEST(Router, WrongMethodListsAllowedMethods) {
  Router r;
  r.Add("GET", "/api/v1/things", Returning(200));
  r.Add("POST", "/api/v1/things", Returning(201));
  auto m = r.Find("DELETE", "/api/v1/things");
  ASSERT_EQ(m.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(m.allow, (std::vector<std::string>{"GET", "HEAD", "POST"}));
}

TEST(Router, HeadFallsBackToGet) {
  Router r;
  r.Add("GET", "/x", Returning(200));
  EXPECT_EQ(r.Find("HEAD", "/x").outcome, Router::Outcome::kFound);
}

TEST(Router, RefusesMalformedOrDuplicatePatterns) {
  Router r;
  EXPECT_THROW(r.Add("GET", "x", Returning(200)), std::invalid_argument);
  EXPECT_THROW(r.Add("GET", "/a{b}", Returning(200)), std::invalid_argument);
  EXPECT_THROW(r.Add("GET", "/a/{}", Returning(200)), std::invalid_argument);
  r.Add("GET", "/a/{b}", Returning(200));
  EXPECT_THROW(r.Add("GET", "/a/{b}", Returning(200)), std::invalid_argument);
}

TEST(PickLanguage, EnglishOnlyWhenPreferred) {
  struct Row {
    const char* header;
    const char* lang;
  };
  for (const auto& row : {Row{"", "zh-TW"}, Row{"en", "en"}, Row{"en-US,en;q=0.9", "en"},
                          Row{"zh-TW,zh;q=0.9,en;q=0.8", "zh-TW"}, Row{"fr-FR,en;q=0.5", "en"},
                          Row{"en;q=0.3,zh-TW;q=0.8", "zh-TW"}, Row{"ja", "zh-TW"}, Row{"english", "zh-TW"},
                          Row{"EN-gb", "en"}, Row{"en;q=0", "zh-TW"}}) {
    SCOPED_TRACE(row.header);
    EXPECT_EQ(PickLanguage(row.header), row.lang);
  }
}

TEST(ErrorStatus, FollowsTheRulesTable) {
  EXPECT_EQ(StatusFor(ErrorCode::kCardNotFound), 404);
  EXPECT_EQ(StatusFor(ErrorCode::kBranchNotFound), 404);
  EXPECT_EQ(StatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(StatusFor(ErrorCode::kValidationFailed), 400);
  EXPECT_EQ(StatusFor(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(StatusFor(ErrorCode::kForbidden), 403);
  EXPECT_EQ(StatusFor(ErrorCode::kMethodNotAllowed), 405);
  EXPECT_EQ(StatusFor(ErrorCode::kPayloadTooLarge), 413);
  EXPECT_EQ(StatusFor(ErrorCode::kUnsupportedMediaType), 415);
  EXPECT_EQ(StatusFor(ErrorCode::kRateLimited), 429);
  EXPECT_EQ(StatusFor(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(StatusFor(ErrorCode::kIdempotencyKeyReused), 409);
  EXPECT_EQ(StatusFor(ErrorCode::kInsufficientPoints), 409);
  EXPECT_EQ(StatusFor(ErrorCode::kBorrowSuspended), 409);
}

TEST(Messages, EveryCodeHasBothLanguages) {
  for (int i = static_cast<int>(ErrorCode::kCardNotFound); i <= static_cast<int>(ErrorCode::kUnavailable); ++i) {
    auto code = static_cast<ErrorCode>(i);
    SCOPED_TRACE(std::string(ToString(code)));
    std::string zh = Message(code, "zh-TW"), en = Message(code, "en");
    EXPECT_EQ(zh.find(std::string(ToString(code))), std::string::npos) << zh;  // not the fallback
    EXPECT_EQ(en.find(std::string(ToString(code))), std::string::npos) << en;
    EXPECT_EQ(zh.find('{'), std::string::npos) << zh;
    EXPECT_EQ(en.find('{'), std::string::npos) << en;
    EXPECT_NE(zh, en);
  }
}

TEST(Messages, FillsArguments) {
  DomainError suspended(ErrorCode::kBorrowSuspended, {{"date", "2026-12-01"}});
  EXPECT_EQ(Message(suspended, "zh-TW"), "借閱權停權中，2026-12-01 起可再借閱。");
  EXPECT_EQ(Message(suspended, "en"), "Borrowing is suspended; you can borrow again from 2026-12-01.");
  DomainError points(ErrorCode::kInsufficientPoints, {{"needed", "30"}, {"available", "12"}});
  EXPECT_EQ(Message(points, "zh-TW"), "點數不足：需要 30 點，目前只有 12 點。");
  EXPECT_EQ(Message(points, "en"), "Not enough points: 30 needed, 12 available.");
}

TEST(Messages, MissingArgumentUsesTheShorterSentence) {
  EXPECT_EQ(Message(ErrorCode::kBorrowSuspended, "en"), "Borrowing is suspended for this card.");
  EXPECT_EQ(Message(DomainError(ErrorCode::kInsufficientPoints, {{"needed", "3"}}), "zh-TW"), "點數不足，無法兌換。");
}

TEST(Messages, ValidationReasonKeysAreTranslated) {
  auto required = DomainError::Invalid("card", "required");
  EXPECT_EQ(Message(required, "zh-TW"), "欄位「card」為必填。");
  EXPECT_EQ(Message(required, "en"), "The field \"card\" is required.");
  auto free_text = DomainError::Invalid("pin", "must be 4 to 8 digits");
  EXPECT_EQ(Message(free_text, "en"), "The field \"pin\" is not valid: must be 4 to 8 digits.");
}

TEST(ErrorResponse, HasTheApiShape) {
  auto r = ErrorResponse(DomainError::Invalid("card", "required"), "en");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  auto v = boost::json::parse(r.body);
  EXPECT_EQ(v.at("error").at("code").as_string(), "VALIDATION_FAILED");
  EXPECT_EQ(v.at("error").at("field").as_string(), "card");
  EXPECT_EQ(v.at("error").at("message").as_string(), "The field \"card\" is required.");
}

TEST(ErrorResponse, OmitsFieldWhenUnsetAndSetsRetryAfter) {
  auto r = ErrorResponse(DomainError(ErrorCode::kRateLimited, {{"retry_after", "900"}}), "zh-TW");
  EXPECT_EQ(r.status, 429);
  auto v = boost::json::parse(r.body);
  EXPECT_FALSE(v.at("error").as_object().contains("field"));
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Retry-After", "900"}));
}

TEST(OrThrow, ThrowsTheDomainError) {
  Result<int> bad = Fail(ErrorCode::kOutOfStock);
  try {
    OrThrow(std::move(bad));
    FAIL() << "no throw";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.error.code, ErrorCode::kOutOfStock);
  }
  EXPECT_EQ(OrThrow(Result<int>(7)), 7);
}

Request JsonRequest(std::string content_type, std::string body) {
  Request req;
  req.headers.emplace_back("content-type", std::move(content_type));
  req.body = std::move(body);
  return req;
}

ErrorCode CodeOf(const std::function<void()>& f, std::string* field = nullptr) {
  try {
    f();
  } catch (const HttpError& e) {
    if (field) *field = e.error.field;
    return e.error.code;
  }
  ADD_FAILURE() << "no HttpError";
  return ErrorCode::kNotFound;
}

TEST(JsonBody, AcceptsJsonMediaTypes) {
  EXPECT_TRUE(IsJsonContentType("application/json"));
  EXPECT_TRUE(IsJsonContentType("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(IsJsonContentType("application/merge-patch+json"));
  EXPECT_FALSE(IsJsonContentType("text/plain"));
  EXPECT_FALSE(IsJsonContentType("application/jsonx"));
  EXPECT_FALSE(IsJsonContentType(""));
}

TEST(JsonBody, RefusesNonJsonMalformedAndNonObjects) {
  std::string field;
  EXPECT_EQ(CodeOf([] { ParseJsonObject(JsonRequest("text/plain", "{}")); }), ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(CodeOf([] { ParseJsonObject(JsonRequest("application/json", "{bad")); }, &field),
            ErrorCode::kValidationFailed);
  EXPECT_EQ(field, "body");
  EXPECT_EQ(CodeOf([] { ParseJsonObject(JsonRequest("application/json", "[1]")); }), ErrorCode::kValidationFailed);
  EXPECT_EQ(CodeOf([] { ParseJsonObject(JsonRequest("application/json", "")); }), ErrorCode::kValidationFailed);
}

TEST(JsonBody, TypedFieldsNameTheFieldAtFault) {
  auto body = ParseJsonObject(JsonRequest("application/json", R"({"card":"A1","n":3,"x":3.5,"b":true,"z":null})"));
  EXPECT_EQ(RequireString(body, "card"), "A1");
  EXPECT_EQ(RequireInt(body, "n"), 3);
  EXPECT_EQ(OptionalInt(body, "z"), std::nullopt);
  EXPECT_EQ(OptionalString(body, "missing"), std::nullopt);
  EXPECT_TRUE(RequireBool(body, "b"));
  std::string field;
  EXPECT_EQ(CodeOf([&] { RequireString(body, "n"); }, &field), ErrorCode::kValidationFailed);
  EXPECT_EQ(field, "n");
  EXPECT_EQ(CodeOf([&] { RequireInt(body, "x"); }, &field), ErrorCode::kValidationFailed);
  EXPECT_EQ(field, "x");
  EXPECT_EQ(CodeOf([&] { RequireString(body, "z"); }, &field), ErrorCode::kValidationFailed);
  EXPECT_EQ(field, "z");
}

class StaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("bookstamp_static_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    fs::create_directories(root_ / "assets");
    fs::create_directories(root_ / ".git");
    Write(root_ / "index.html", "<!doctype html>");
    Write(root_ / "assets" / "index-3f2a.js", "export{}");
    Write(root_ / "manifest.webmanifest", "{}");
    Write(root_ / ".git" / "config", "secret");
    Write(base_ / "secret.txt", "secret");
    fs::create_symlink(base_ / "secret.txt", root_ / "link.txt");
  }
  void TearDown() override { fs::remove_all(base_); }
  static void Write(const fs::path& p, std::string_view text) { std::ofstream(p) << text; }
  fs::path base_, root_;
};

TEST_F(StaticFiles, ServesFilesWithTypeAndCaching) {
  auto t = ResolveStatic(root_, "/assets/index-3f2a.js");
  ASSERT_EQ(t.kind, StaticTarget::Kind::kFile);
  EXPECT_EQ(t.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(t.cache_control, "public, max-age=31536000, immutable");
  t = ResolveStatic(root_, "/manifest.webmanifest");
  ASSERT_EQ(t.kind, StaticTarget::Kind::kFile);
  EXPECT_EQ(t.content_type, "application/manifest+json; charset=utf-8");
  EXPECT_EQ(t.cache_control, "no-cache");
  t = ResolveStatic(root_, "/");
  ASSERT_EQ(t.kind, StaticTarget::Kind::kFile);
  EXPECT_EQ(t.file.filename(), "index.html");
}

TEST_F(StaticFiles, FallsBackToIndexForAppRoutesOnly) {
  auto t = ResolveStatic(root_, "/cards/123/loans");
  ASSERT_EQ(t.kind, StaticTarget::Kind::kFile);
  EXPECT_EQ(t.file.filename(), "index.html");
  EXPECT_EQ(t.cache_control, "no-cache");
  EXPECT_EQ(ResolveStatic(root_, "/missing.png").kind, StaticTarget::Kind::kNotFound);
  EXPECT_EQ(ResolveStatic(root_, "/assets/gone").kind, StaticTarget::Kind::kNotFound);
}

TEST_F(StaticFiles, RefusesTraversalHiddenFilesAndEscapingSymlinks) {
  EXPECT_EQ(ResolveStatic(root_, "/../secret.txt").kind, StaticTarget::Kind::kRefused);
  EXPECT_EQ(ResolveStatic(root_, "/assets/../../secret.txt").kind, StaticTarget::Kind::kRefused);
  EXPECT_EQ(ResolveStatic(root_, "/..\\secret.txt").kind, StaticTarget::Kind::kRefused);
  EXPECT_EQ(ResolveStatic(root_, "/.git/config").kind, StaticTarget::Kind::kNotFound);
  EXPECT_EQ(ResolveStatic(root_, "/link.txt").kind, StaticTarget::Kind::kRefused);
}

TEST_F(StaticFiles, MissingRootIsNotFound) {
  EXPECT_EQ(ResolveStatic(base_ / "nope", "/").kind, StaticTarget::Kind::kNotFound);
  EXPECT_EQ(ResolveStatic("", "/index.html").kind, StaticTarget::Kind::kNotFound);
}

TEST(MimeTypes, KnowsTheWebAppFileTypes) {
  struct Row {
    const char* file;
    const char* type;
  };
  for (const auto& row : {Row{"a.html", "text/html; charset=utf-8"}, Row{"a.mjs", "text/javascript; charset=utf-8"},
                          Row{"a.css", "text/css; charset=utf-8"}, Row{"a.json", "application/json; charset=utf-8"},
                          Row{"a.svg", "image/svg+xml"}, Row{"a.PNG", "image/png"}, Row{"a.jpg", "image/jpeg"},
                          Row{"a.webp", "image/webp"}, Row{"favicon.ico", "image/x-icon"},
                          Row{"zxing.wasm", "application/wasm"}, Row{"f.woff2", "font/woff2"},
                          Row{"robots.txt", "text/plain; charset=utf-8"}, Row{"a.js.map", "application/json; charset=utf-8"},
                          Row{"LICENSE", "application/octet-stream"}}) {
    SCOPED_TRACE(row.file);
    EXPECT_EQ(MimeTypeFor(row.file), row.type);
  }
}

}  // namespace
}  // namespace bookstamp::http
