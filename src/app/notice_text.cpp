// Notice templates (zh-TW and en) and the payload reader. The wording follows PRODUCT.md P10.
#include "app/notice_text.hpp"

#include <fmt/format.h>

#include <cctype>
#include <functional>

// g++ 12 warns falsely about std::optional<JsonValue> (a variant holding a string) "maybe
// uninitialized" when the reader returns one by value.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace bookstamp {
namespace {

class Reader {
 public:
  explicit Reader(const std::string& s) : s_(s) {}
  std::optional<JsonValue> Document() {
    auto v = Value(0);
    Space();
    if (!v || i_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  bool Word(std::string_view w) {
    if (s_.compare(i_, w.size(), w) != 0) return false;
    i_ += w.size();
    return true;
  }
  void Space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool Eat(char c) {
    Space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  static void PutUtf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  std::optional<unsigned> Hex4() {
    if (i_ + 4 > s_.size()) return std::nullopt;
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else return std::nullopt;
    }
    return v;
  }
  std::optional<std::string> String() {
    if (!Eat('"')) return std::nullopt;
    std::string out;
    while (i_ < s_.size()) {
      char c = s_[i_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) return std::nullopt;
      char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          auto cp = Hex4();
          if (!cp) return std::nullopt;
          if (*cp >= 0xD800 && *cp < 0xDC00 && i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
            i_ += 2;
            auto lo = Hex4();
            if (!lo) return std::nullopt;
            *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*lo - 0xDC00);
          }
          PutUtf8(out, *cp);
          break;
        }
        default: return std::nullopt;
      }
    }
    return std::nullopt;
  }
  std::optional<JsonValue> Value(int depth) {
    if (depth > 32) return std::nullopt;
    Space();
    if (i_ >= s_.size()) return std::nullopt;
    char c = s_[i_];
    if (c == '"') {
      auto s = String();
      if (!s) return std::nullopt;
      return JsonValue(*s);
    }
    if (c == '{') {
      ++i_;
      JsonObject o;
      if (Eat('}')) return JsonValue(std::move(o));
      do {
        auto k = String();
        if (!k || !Eat(':')) return std::nullopt;
        auto v = Value(depth + 1);
        if (!v) return std::nullopt;
        o[*k] = std::move(*v);
      } while (Eat(','));
      if (!Eat('}')) return std::nullopt;
      return JsonValue(std::move(o));
    }
    if (c == '[') {
      ++i_;
      JsonArray a;
      if (Eat(']')) return JsonValue(std::move(a));
      do {
        auto v = Value(depth + 1);
        if (!v) return std::nullopt;
        a.push_back(std::move(*v));
      } while (Eat(','));
      if (!Eat(']')) return std::nullopt;
      return JsonValue(std::move(a));
    }
    if (Word("true")) return JsonValue(true);
    if (Word("false")) return JsonValue(false);
    if (Word("null")) return JsonValue(nullptr);
    std::size_t start = i_;
    if (s_[i_] == '-') ++i_;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    if (i_ == start || (i_ == start + 1 && s_[start] == '-')) return std::nullopt;
    // Payloads hold integers only; a fraction or exponent is read and truncated.
    std::int64_t n = std::stoll(s_.substr(start, i_ - start));
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.' || s_[i_] == 'e' ||
                              s_[i_] == 'E' || s_[i_] == '+' || s_[i_] == '-'))
      ++i_;
    return JsonValue(n);
  }

  const std::string& s_;
  std::size_t i_ = 0;
};

// A payload field as display text ("" when missing).
std::string Field(const JsonObject& o, const std::string& key) {
  auto it = o.find(key);
  if (it == o.end()) return "";
  const auto& v = it->second.variant();
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return "";
}

struct Words {
  std::string title;
  std::vector<std::string> lines;  // paragraphs of the body
};

Words RedemptionWords(const std::string& kind, const JsonObject& p, bool en) {
  const auto prize = Field(p, "prize");
  const auto used = Field(p, "points_used");
  const auto left = Field(p, "points_left");
  Words w;
  if (kind == "redemption_done") {
    w.title = en ? fmt::format("Redeemed: {}", prize) : fmt::format("兌換完成：{}", prize);
    w.lines.push_back(en ? fmt::format("You have received the prize \"{}\".", prize)
                         : fmt::format("您已兌換獎品「{}」。", prize));
  } else if (kind == "redemption_pending") {
    w.title = en ? fmt::format("Redemption reserved: {}", prize) : fmt::format("兌換已保留：{}", prize);
    w.lines.push_back(en ? fmt::format("Show your redemption code at the counter to collect \"{}\".", prize)
                         : fmt::format("請至櫃檯出示兌換碼領取獎品「{}」。", prize));
  } else if (kind == "redemption_cancelled") {
    w.title = en ? fmt::format("Redemption cancelled: {}", prize) : fmt::format("兌換已取消：{}", prize);
    w.lines.push_back(en ? fmt::format("Your redemption of \"{}\" was cancelled and the points refunded.", prize)
                         : fmt::format("您兌換的獎品「{}」已取消，點數已退還。", prize));
  } else {
    w.title = en ? fmt::format("Redemption expired: {}", prize) : fmt::format("兌換已逾期：{}", prize);
    w.lines.push_back(en ? fmt::format("Your redemption of \"{}\" expired and the points were refunded.", prize)
                         : fmt::format("您兌換的獎品「{}」已逾期未領，點數已退還。", prize));
  }
  w.lines.push_back(en ? fmt::format("Prize: {}", prize) : fmt::format("獎品：{}", prize));
  w.lines.push_back(en ? fmt::format("Points used: {}", used) : fmt::format("使用點數：{} 點", used));
  w.lines.push_back(en ? fmt::format("Points left: {}", left) : fmt::format("剩餘點數：{} 點", left));
  return w;
}

std::string ItemLine(const JsonObject& it, bool en) {
  const auto kind = Field(it, "kind");
  const auto title = Field(it, "title");
  const auto due = Field(it, "due_on");
  if (kind == "overdue")
    return en ? fmt::format("Overdue: \"{}\" was due {}", title, due) : fmt::format("已逾期：「{}」應還日 {}", title, due);
  return en ? fmt::format("Due soon: \"{}\" is due {}", title, due) : fmt::format("即將到期：「{}」應還日 {}", title, due);
}

Words WordsFor(const std::string& kind, const JsonObject& p, bool en) {
  Words w;
  auto say = [&](std::string title, std::string line) {
    w.title = std::move(title);
    w.lines.push_back(std::move(line));
  };
  if (kind.starts_with("redemption_")) return RedemptionWords(kind, p, en);
  if (kind == "hold_ready") {
    say(en ? "Your hold is ready" : "預約書已到館",
        en ? fmt::format("Your hold is ready for pickup at branch {}. Please collect it by {}.", Field(p, "branch"),
                         Field(p, "pickup_by"))
           : fmt::format("您預約的資料已可於 {} 分館取書，請於 {} 前取書。", Field(p, "branch"), Field(p, "pickup_by")));
  } else if (kind == "pickup_ending") {
    say(en ? "Hold pickup ends tomorrow" : "預約取書期限明天截止",
        en ? fmt::format("Your hold at branch {} must be collected by {}.", Field(p, "branch"), Field(p, "pickup_by"))
           : fmt::format("您在 {} 分館的預約書請於 {} 前取書。", Field(p, "branch"), Field(p, "pickup_by")));
  } else if (kind == "suspension") {
    say(en ? "Borrowing suspended" : "借閱停權通知",
        en ? fmt::format("Because of a late return, borrowing is suspended for {} more days, until {}.",
                         Field(p, "days_added"), Field(p, "borrow_resumes_on"))
           : fmt::format("因逾期還書，停權增加 {} 天，{} 起可再借閱。", Field(p, "days_added"),
                         Field(p, "borrow_resumes_on")));
  } else if (kind == "reserve_suspended") {
    say(en ? "Holds suspended" : "預約停權通知",
        en ? fmt::format("Because of holds not collected, you can place holds again from {}.",
                         Field(p, "reserve_resumes_on"))
           : fmt::format("因預約書逾期未取，{} 起可再預約。", Field(p, "reserve_resumes_on")));
  } else if (kind == "event_registered") {
    say(en ? fmt::format("Registered: {}", Field(p, "title")) : fmt::format("活動報名成功：{}", Field(p, "title")),
        en ? fmt::format("You are registered for \"{}\". Points used: {}. Points left: {}.", Field(p, "title"),
                         Field(p, "points_used"), Field(p, "points_left"))
           : fmt::format("您已報名「{}」。使用點數：{} 點，剩餘點數：{} 點。", Field(p, "title"), Field(p, "points_used"),
                         Field(p, "points_left")));
  } else if (kind == "event_points") {
    say(en ? fmt::format("Points for {}", Field(p, "title")) : fmt::format("活動點數入帳：{}", Field(p, "title")),
        en ? fmt::format("{} points for attending \"{}\". Points left: {}.", Field(p, "points"), Field(p, "title"),
                         Field(p, "points_left"))
           : fmt::format("參加「{}」獲得 {} 點，目前點數：{} 點。", Field(p, "title"), Field(p, "points"),
                         Field(p, "points_left")));
  } else if (kind == "event_tomorrow") {
    say(en ? fmt::format("Tomorrow: {}", Field(p, "title")) : fmt::format("活動提醒：{}", Field(p, "title")),
        en ? fmt::format("\"{}\" starts {}.", Field(p, "title"), Field(p, "starts_at"))
           : fmt::format("「{}」將於 {} 開始。", Field(p, "title"), Field(p, "starts_at")));
  } else if (kind == "lottery_won") {
    say(en ? "You won the lottery" : "恭喜中獎",
        en ? fmt::format("You won \"{}\" in the draw \"{}\".", Field(p, "prize"), Field(p, "title"))
           : fmt::format("恭喜您在「{}」抽獎中抽中「{}」。", Field(p, "title"), Field(p, "prize")));
  } else if (kind == "code_expiring") {
    say(en ? "Redemption code expiring" : "兌換碼即將到期",
        en ? fmt::format("Your redemption code for \"{}\" expires {}.", Field(p, "prize"), Field(p, "expires_at"))
           : fmt::format("您「{}」的兌換碼將於 {} 到期。", Field(p, "prize"), Field(p, "expires_at")));
  } else if (kind == "pin_changed") {
    say(en ? "Your PIN was changed" : "密碼已變更",
        en ? "The PIN of your library card was changed. If it was not you, please contact the library."
           : "您的借書證密碼已變更。若非本人操作，請聯絡圖書館。");
  } else if (kind == "due_soon" || kind == "overdue") {
    JsonObject item = p;
    item["kind"] = kind;
    w.title = kind == "overdue" ? (en ? "Overdue" : "逾期通知") : (en ? "Due soon" : "到期提醒");
    w.lines.push_back(ItemLine(item, en));
  } else if (kind == "digest") {
    w.title = en ? fmt::format("Your loans on {}", Field(p, "date")) : fmt::format("借閱提醒（{}）", Field(p, "date"));
    w.lines.push_back(en ? "Please return or renew:" : "請儘速歸還或續借：");
    if (auto it = p.find("items"); it != p.end())
      if (auto* a = std::get_if<JsonArray>(&it->second.variant()))
        for (const auto& v : *a)
          if (auto* o = std::get_if<JsonObject>(&v.variant())) w.lines.push_back(ItemLine(*o, en));
  } else {
    say(en ? "Library notice" : "圖書館通知", en ? "You have a new notice." : "您有一則新通知。");
  }
  return w;
}

}  // namespace

std::optional<JsonValue> ParseJson(const std::string& text) { return Reader(text).Document(); }

std::string NoticeLang(const std::string& tag) { return tag.starts_with("en") ? "en" : "zh-TW"; }

std::string HtmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

NoticeText RenderNotice(const std::string& kind, const std::string& payload_json, const std::string& lang) {
  JsonObject payload;
  if (auto v = ParseJson(payload_json))
    if (auto* o = std::get_if<JsonObject>(&v->variant())) payload = *o;
  const bool en = NoticeLang(lang) == "en";
  Words w = WordsFor(kind, payload, en);
  NoticeText t;
  t.title = w.title;
  for (std::size_t i = 0; i < w.lines.size(); ++i) {
    if (i) t.text += "\n";
    t.text += w.lines[i];
    t.html += "<p>" + HtmlEscape(w.lines[i]) + "</p>";
  }
  return t;
}

}  // namespace bookstamp
