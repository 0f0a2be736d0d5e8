// The zh-TW and English sentences of every error code (RULES.md, "Error codes").
// Each code has one or more templates, most specific first: the first whose {placeholders} all
// have arguments is used, so a refusal without its date still reads well.
#include "http/messages.hpp"

#include <array>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <vector>

#include "http/url.hpp"

namespace bookstamp::http {
namespace {

struct Template {
  std::string_view zh;
  std::string_view en;
};

struct Entry {
  std::string_view code;
  std::initializer_list<Template> templates;
};

// clang-format off
const Entry kEntries[] = {
  // lookups (404)
  {"CARD_NOT_FOUND", {{"找不到這張借閱證，請確認卡號。", "No library card with this number was found. Please check the card number."}}},
  {"ITEM_NOT_FOUND", {{"找不到這個館藏條碼，請確認條碼。", "No item with this barcode was found. Please check the barcode."}}},
  {"BIB_NOT_FOUND", {{"館藏目錄中找不到這筆書目。", "This title was not found in the catalog."}}},
  {"PRIZE_NOT_FOUND", {{"找不到這項兌換品。", "This prize was not found."}}},
  {"EVENT_NOT_FOUND", {{"找不到這場活動。", "This event was not found."}}},
  {"BRANCH_NOT_FOUND", {{"找不到這個分館，請確認分館代碼。", "No branch with this code was found."}}},
  {"NOT_FOUND", {{"找不到您要的資料或網址。", "The requested resource was not found."}}},
  // cards, accounts
  {"CARD_NOT_ACTIVE", {{"這張借閱證目前無法使用（已掛失、過期或停用），請洽櫃台。",
                        "This card is not active (lost, expired or blocked). Please ask at the counter."}}},
  {"CARD_ALREADY_LINKED", {{"這張借閱證已經綁定到帳號，不能重複綁定。", "This card is already linked to an account."}}},
  {"ALREADY_EXISTS", {{"資料已存在：卡號、條碼、帳號或分館代碼重複。",
                       "This already exists: the card number, barcode, username or branch code is taken."}}},
  // checkout, renewal
  {"BORROW_SUSPENDED", {{"借閱權停權中，{date} 起可再借閱。", "Borrowing is suspended; you can borrow again from {date}."},
                        {"借閱權停權中，暫時無法借閱。", "Borrowing is suspended for this card."}}},
  {"OVERDUE_ITEMS", {{"有 {count} 件資料逾期未還，請先歸還再借閱。", "This card has {count} overdue items. Please return them before borrowing more."},
                     {"有逾期未還的資料，請先歸還再借閱。", "This card has overdue items. Please return them before borrowing more."}}},
  {"LOAN_LIMIT_REACHED", {{"已達借閱上限（{limit} 件），請先歸還部分資料。", "The loan limit ({limit} items) has been reached. Please return something first."},
                          {"已達借閱上限，請先歸還部分資料。", "The loan limit has been reached. Please return something first."}}},
  {"ITEM_NOT_LOANABLE", {{"這件資料不提供外借，僅限館內使用。", "This item is not available for loan; it is for use in the library only."}}},
  {"ITEM_ON_LOAN", {{"這件資料已經借出，請先辦理歸還。", "This item is already on loan. It must be checked in first."}}},
  {"ITEM_HELD_FOR_ANOTHER", {{"這件資料已保留給其他預約的讀者。", "This item is being held for another patron's reservation."}}},
  {"MOBILE_CHECKOUT_DISABLED", {{"這個分館未開放手機借書，請至櫃台或自助借書機辦理。",
                                 "Phone checkout is not available at this branch. Please use the counter or a self-checkout kiosk."}}},
  {"ITEM_NOT_AT_BRANCH", {{"這件資料不在這個分館，無法用手機借閱。", "This item is not at this branch, so it cannot be borrowed by phone here."}}},
  {"LOAN_OVERDUE", {{"這筆借閱已逾期，無法續借，請盡快歸還。", "This loan is overdue and cannot be renewed. Please return it as soon as possible."}}},
  {"RENEWAL_LIMIT", {{"已達續借次數上限（{limit} 次）。", "This loan has reached its renewal limit ({limit})."},
                     {"已達續借次數上限。", "This loan has reached its renewal limit."}}},
  {"TITLE_RESERVED", {{"已有其他讀者預約這本書，無法續借。", "Another patron is waiting for this title, so it cannot be renewed."}}},
  // holds
  {"RESERVE_SUSPENDED", {{"預約權停權中，{date} 起可再預約。", "Reserving is suspended; you can place holds again from {date}."},
                         {"預約權停權中，暫時無法預約。", "Reserving is suspended for this card."}}},
  {"ALREADY_ON_LOAN", {{"您已借閱這本書，不需要預約。", "This card already has this title on loan."}}},
  {"ALREADY_HELD", {{"您已預約過這本書。", "This card already has a hold on this title."}}},
  {"HOLD_LIMIT_REACHED", {{"已達預約上限（{limit} 筆）。", "The hold limit ({limit}) has been reached."},
                          {"已達預約上限。", "The hold limit has been reached."}}},
  // points reasons
  {"CARD_TYPE_NO_POINTS", {{"這類借閱證不累積閱讀點數。", "This type of card does not earn reading points."}}},
  {"ITEM_TYPE_NO_POINTS", {{"這類資料（例如附件）不累積閱讀點數。", "This type of item (such as an attachment) does not earn points."}}},
  {"SAME_TITLE_TODAY", {{"同一本書今天已經累積過點數。", "This card already earned a point for this title today."}}},
  {"DAILY_CAP", {{"已達今日的點數上限。", "The daily points limit has been reached."}}},
  {"MONTHLY_CAP", {{"已達本月的點數上限。", "The monthly points limit has been reached."}}},
  // redemption
  {"PRIZE_NOT_ON_SALE", {{"這項兌換品目前不在兌換期間內。", "This prize cannot be redeemed at this time."}}},
  {"OUT_OF_STOCK", {{"這項兌換品已經兌換完畢。", "This prize is out of stock."}}},
  {"LIMIT_REACHED", {{"這張卡已達這項兌換品的兌換上限（{limit} 次）。", "This card has reached the limit for this prize ({limit})."},
                     {"這張卡已達這項兌換品的兌換上限。", "This card has reached the limit for this prize."}}},
  {"INSUFFICIENT_POINTS", {{"點數不足：需要 {needed} 點，目前只有 {available} 點。", "Not enough points: {needed} needed, {available} available."},
                           {"點數不足，無法兌換。", "There are not enough points for this."}}},
  {"WRONG_BRANCH", {{"這項兌換品屬於其他分館，請至該分館兌換。", "This prize belongs to another branch and must be handed out there."}}},
  {"CODE_INVALID", {{"兌換碼無效或已更新，請重新掃描讀者手機上的條碼。", "This code is invalid or out of date. Please scan the code on the patron's phone again."}}},
  {"CODE_USED", {{"這個兌換碼已經使用過或已取消。", "This code has already been used or cancelled."}}},
  {"CODE_EXPIRED", {{"兌換碼已逾時失效，點數會自動退回，請重新兌換。", "This code has expired; the points are returned automatically. Please redeem again."}}},
  {"REDEMPTION_NOT_PENDING", {{"這筆兌換已完成、取消或逾時，無法再變更。", "This redemption is no longer pending, so it cannot be changed."}}},
  {"CANCEL_WINDOW_PASSED", {{"已超過可取消的期限（完成後 {days} 天內）。", "The cancellation window ({days} days after completion) has passed."},
                            {"已超過可取消的期限。", "The cancellation window has passed."}}},
  {"STOCK_BELOW_TAKEN", {{"庫存不能少於已兌換的數量（{taken}）。", "Stock cannot be set below the quantity already taken ({taken})."},
                         {"庫存不能少於已兌換的數量。", "Stock cannot be set below the quantity already taken."}}},
  // events
  {"TOKEN_INVALID", {{"活動 QR 碼無效或已更新，請重新掃描現場的 QR 碼。", "This event code is invalid or out of date. Please scan the code shown at the event again."}}},
  {"CLAIM_WINDOW_CLOSED", {{"現在不是這場活動的點數領取時間（活動結束前後 30 分鐘內）。",
                            "Points for this event can only be claimed around its end time; the claim window is closed."}}},
  {"ALREADY_CLAIMED", {{"這張卡已經領取過這場活動的點數。", "This card has already claimed the points for this event."}}},
  {"EVENT_FULL", {{"這場活動已經額滿。", "This event is full."}}},
  {"ALREADY_REGISTERED", {{"這張卡已經報名這場活動。", "This card is already registered for this event."}}},
  {"REGISTRATION_CLOSED", {{"報名或取消報名的期限已過。", "The deadline to register or cancel has passed."}}},
  {"ALREADY_CREDITED", {{"這張卡已獲得這場活動的點數，不需要補登。", "This card has already been credited for this event; no backfill is needed."}}},
  {"APPROVER_IS_FILER", {{"補登需由另一位館員核准，不能核准自己提出的申請。", "A backfill must be approved by a different staff member than the one who filed it."}}},
  {"BACKFILL_DECIDED", {{"這筆補登申請已經核准或退回。", "This backfill has already been approved or rejected."}}},
  // passkeys
  {"PASSKEY_INVALID", {{"通行金鑰驗證失敗，請再試一次或改用卡號與密碼登入。",
                        "The passkey could not be verified. Try again, or sign in with your card number and PIN."}}},
  {"CHALLENGE_EXPIRED", {{"通行金鑰的驗證已逾時或已使用，請重新操作。",
                          "This passkey request has expired or was already used. Please start again."}}},
  // the request itself
  {"VALIDATION_FAILED", {{"欄位「{field}」{reason_phrase}。", "The field \"{field}\" {reason_phrase}."},
                         {"欄位「{field}」不正確：{reason}。", "The field \"{field}\" is not valid: {reason}."},
                         {"欄位「{field}」不正確。", "The field \"{field}\" is not valid."},
                         {"請求內容{reason_phrase}。", "The request body {reason_phrase}."},
                         {"請求內容不正確：{reason}。", "The request is not valid: {reason}."},
                         {"請求內容不正確。", "The request is not valid."}}},
  {"UNAUTHENTICATED", {{"尚未登入或登入已逾時，請重新登入。", "You are not signed in, or your session has expired. Please sign in again."}}},
  {"FORBIDDEN", {{"您沒有權限執行這項操作。", "You do not have permission to do this."}}},
  {"PAYLOAD_TOO_LARGE", {{"送出的資料太大（上限 {limit} 位元組）。", "The request body is too large (the limit is {limit} bytes)."},
                         {"送出的資料太大。", "The request body is too large."}}},
  {"RATE_LIMITED", {{"嘗試次數過多，請於 {retry_after} 秒後再試。", "Too many attempts. Please try again in {retry_after} seconds."},
                    {"嘗試次數過多，請稍後再試。", "Too many attempts. Please try again later."}}},
  {"IDEMPOTENCY_KEY_REUSED", {{"這個 Idempotency-Key 已用於內容不同的請求。", "This Idempotency-Key was already used for a different request."}}},
  {"METHOD_NOT_ALLOWED", {{"這個網址不支援 {method} 方法。", "This address does not support the {method} method."},
                          {"這個網址不支援這個方法。", "This address does not support this method."}}},
  {"UNSUPPORTED_MEDIA_TYPE", {{"請以 JSON 格式送出資料（Content-Type: application/json）。", "Please send the body as JSON (Content-Type: application/json)."}}},
  {"UNAVAILABLE", {{"系統暫時無法服務，請稍後再試。", "The service is temporarily unavailable. Please try again shortly."}}},
  {"INTERNAL", {{"系統發生錯誤，請稍後再試；若持續發生，請將代碼 {request_id} 告知館員。",
                 "Something went wrong on our side. Please try again; if it keeps happening, give the library staff the reference {request_id}."}}},
};

// Validation reasons as the body helpers and DomainError::Invalid callers name them.
struct Reason {
  std::string_view key;
  std::string_view zh;
  std::string_view en;
};
constexpr std::array kReasons{
    Reason{"required", "為必填", "is required"},
    Reason{"not_string", "必須是文字", "must be a string"},
    Reason{"not_integer", "必須是整數", "must be an integer"},
    Reason{"not_boolean", "必須是 true 或 false", "must be true or false"},
    Reason{"not_object", "必須是 JSON 物件", "must be a JSON object"},
    Reason{"not_array", "必須是 JSON 陣列", "must be a JSON array"},
    Reason{"malformed_json", "不是正確的 JSON", "is not valid JSON"},
    Reason{"empty", "不可為空白", "must not be empty"},
    Reason{"too_long", "太長", "is too long"},
    Reason{"out_of_range", "超出允許的範圍", "is out of range"},
    Reason{"bad_format", "格式不正確", "has the wrong format"},
    Reason{"wrong_pin", "密碼不正確", "is not the card's current PIN"},
};
// clang-format on

using Args = std::vector<std::pair<std::string, std::string>>;

std::optional<std::string> Lookup(const Args& args, std::string_view name) {
  for (const auto& [k, v] : args)
    if (k == name) return v;
  return std::nullopt;
}

// Fills {name} placeholders; nullopt when one has no argument.
std::optional<std::string> Fill(std::string_view text, const Args& args) {
  std::string out;
  while (!text.empty()) {
    auto open = text.find('{');
    if (open == std::string_view::npos) {
      out += text;
      break;
    }
    auto close = text.find('}', open);
    if (close == std::string_view::npos) {
      out += text;
      break;
    }
    out += text.substr(0, open);
    auto value = Lookup(args, text.substr(open + 1, close - open - 1));
    if (!value) return std::nullopt;
    out += *value;
    text.remove_prefix(close + 1);
  }
  return out;
}

std::string Render(std::string_view code, const Args& args, bool english) {
  for (const auto& entry : kEntries) {
    if (entry.code != code) continue;
    for (const auto& t : entry.templates)
      if (auto text = Fill(english ? t.en : t.zh, args)) return *text;
  }
  return english ? "The request was refused (" + std::string(code) + ")."
                 : "無法完成這項操作（" + std::string(code) + "）。";
}

// Parses "en-US,en;q=0.9" items into (tag, q).
struct LangPref {
  std::string_view tag;
  double q;
};
std::vector<LangPref> ParseAcceptLanguage(std::string_view header) {
  std::vector<LangPref> out;
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto semi = item.find(';');
    LangPref pref{trim(item.substr(0, semi)), 1.0};
    if (semi != std::string_view::npos) {
      std::string_view param = trim(item.substr(semi + 1));
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=')
        pref.q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
    }
    if (!pref.tag.empty()) out.push_back(pref);
  }
  return out;
}

bool StartsWithLang(std::string_view tag, std::string_view lang) {
  return tag.size() >= lang.size() && IEquals(tag.substr(0, lang.size()), lang) &&
         (tag.size() == lang.size() || tag[lang.size()] == '-');
}

}  // namespace

std::string PickLanguage(std::string_view accept_language) {
  // The highest-weighted language we have; ties go to the one listed first.
  double en = -1, zh = -1;
  int en_pos = 0, zh_pos = 0, pos = 0;
  for (const auto& pref : ParseAcceptLanguage(accept_language)) {
    ++pos;
    if (pref.q <= 0) continue;
    if (StartsWithLang(pref.tag, "en") && pref.q > en) en = pref.q, en_pos = pos;
    if (StartsWithLang(pref.tag, "zh") && pref.q > zh) zh = pref.q, zh_pos = pos;
  }
  if (en > zh || (en == zh && en >= 0 && en_pos < zh_pos)) return "en";
  return "zh-TW";
}

std::string Message(const DomainError& error, std::string_view lang) {
  bool english = lang == "en";
  Args args = error.args;
  if (!error.field.empty()) args.emplace_back("field", error.field);
  // A validation reason given as a key reads as words of the request's language; free text
  // (from DomainError::Invalid) is quoted as it is.
  for (auto& [k, v] : args) {
    if (k != "reason") continue;
    for (const auto& r : kReasons)
      if (r.key == v) {
        k = "reason_phrase";
        v = std::string(english ? r.en : r.zh);
        break;
      }
  }
  return Render(ToString(error.code), args, english);
}

std::string InternalMessage(std::string_view request_id, std::string_view lang) {
  return Render("INTERNAL", {{"request_id", std::string(request_id)}}, lang == "en");
}

}  // namespace bookstamp::http
