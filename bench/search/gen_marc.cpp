// Generates N MARC 21 bibliographic records (ISO 2709, UTF-8) for the catalog search benchmark
// (docs/BENCHMARKS.md "Catalog search"), and the query mix that runs against them. Deterministic:
// the same --seed and --records give the same bytes. Streams: memory does not grow with N.
//
//   bookstamp_gen_marc --records 1000000 --out /tmp/cat.mrc --queries /tmp/queries.tsv [--seed 20260401]
//
// About 72% Traditional Chinese records (中文圖書分類法 numbers in 084, 980-957/986/626 ISBNs),
// 28% English (Dewey in 082). Words are drawn with a Zipf-like skew, so common words match a large
// share of the catalog and rare ones a handful, as in a real library. 1–4 copies per record in 952
// ($a/$b branch, $p barcode, $o call number, $y type) over the demo city's branches, by weight.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bench_util.hpp"
#include "cli/demo_data.hpp"

namespace {

using bookstamp::demo::Rng;
using std::string;
using std::string_view;

// Draws index i with weight 1/(i+1)^s: the first entries are common, the tail rare.
class Zipf {
 public:
  Zipf(std::size_t n, double s) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) cum_.push_back(sum += 1.0 / std::pow(static_cast<double>(i + 1), s));
  }
  std::size_t operator()(Rng& rng) const {
    double x = rng.Real() * cum_.back();
    return static_cast<std::size_t>(std::upper_bound(cum_.begin(), cum_.end(), x) - cum_.begin());
  }

 private:
  std::vector<double> cum_;
};

template <class C>
const auto& ZPick(Rng& rng, const C& list, const Zipf& z) {
  return list[std::min(z(rng), std::size(list) - 1)];
}

// Subjects with their class numbers: 中文圖書分類法 (CCL) for Chinese books, Dewey for English.
struct Topic {
  string_view zh_subject, ccl, en_subject, dewey;
};
constexpr Topic kTopics[] = {
    {"臺灣小說", "863.57", "American fiction", "813.54"},
    {"中國小說", "857.7", "English fiction", "823.92"},
    {"臺灣歷史", "733.21", "Taiwan -- History", "951.249"},
    {"中國歷史", "610", "China -- History", "951"},
    {"經濟學", "550", "Economics", "330"},
    {"心理學", "170", "Psychology", "150"},
    {"食譜", "427.1", "Cooking", "641.5"},
    {"旅遊", "992", "Travel", "910.4"},
    {"程式設計", "312.32", "Computer programming", "005.133"},
    {"人工智慧", "312.83", "Artificial intelligence", "006.3"},
    {"企業管理", "494", "Management", "658"},
    {"教育", "520", "Education", "370"},
    {"兒童文學", "859.6", "Children's stories", "813.6"},
    {"醫學", "410", "Medicine", "610"},
    {"藝術", "900", "Art", "700"},
    {"攝影", "950", "Photography", "770"},
    {"哲學", "100", "Philosophy", "100"},
    {"宗教", "200", "Religion", "200"},
    {"自然科學", "300", "Natural history", "508"},
    {"植物", "375", "Plants", "580"},
    {"動物", "380", "Animals", "590"},
    {"天文學", "320", "Astronomy", "520"},
    {"法律", "580", "Law", "340"},
    {"政治", "570", "Political science", "320"},
    {"社會學", "540", "Sociology", "301"},
    {"語言學習", "805.1", "English language -- Study and teaching", "428"},
    {"日本小說", "861.57", "Japanese fiction", "895.63"},
    {"散文", "855", "Essays", "814.6"},
    {"詩", "851.486", "Poetry", "811.6"},
    {"建築", "920", "Architecture", "720"},
    {"音樂", "910", "Music", "780"},
    {"運動", "528.9", "Sports", "796"},
    {"園藝", "435.11", "Gardening", "635"},
    {"理財", "563", "Finance, Personal", "332.024"},
    {"健康飲食", "411.3", "Nutrition", "613.2"},
    {"電腦網路", "312.16", "Computer networks", "004.6"},
    {"環境保護", "445.99", "Environmental protection", "363.7"},
    {"親子教養", "528.2", "Parenting", "649.1"},
    {"推理小說", "857.81", "Detective and mystery stories", "813.0872"},
    {"科幻小說", "857.83", "Science fiction", "813.0876"},
};

// Title words. Order matters: earlier entries are drawn more often (Zipf).
constexpr string_view kZhNouns[] = {
    "臺灣", "時間", "生活", "世界", "城市", "歷史", "故事", "旅行", "人生", "海洋", "山", "花", "愛", "家",
    "夢", "風", "記憶", "孩子", "森林", "星空", "經濟", "文化", "島嶼", "河流", "月光", "貓", "咖啡", "圖書館",
    "電腦", "學習", "戰爭", "和平", "未來", "自然", "科學", "藝術", "音樂", "料理", "老街", "火車", "港口", "農村",
    "青春", "母親", "父親", "朋友", "鄉愁", "寫作", "閱讀", "設計", "思考", "創意", "市場", "投資", "健康", "醫生",
    "心理", "哲學", "宇宙", "地圖", "書店", "雨季", "颱風", "稻田", "茶", "廟宇", "夜市", "鐵道", "燈塔", "書信",
    "遠方", "邊界", "迷宮", "秘密", "光影", "微笑", "眼淚", "勇氣", "答案", "密碼", "奇蹟", "影子", "季節", "黎明",
    "黃昏", "寂寞", "幸福", "自由", "正義", "權力", "帝國", "王朝", "革命", "民主", "法律", "語言", "數學", "物理",
    "化學", "生物", "植物", "動物", "鯨魚", "蝴蝶", "候鳥", "雲", "雪", "櫻花", "楓葉", "竹林", "玉山", "阿里山",
    "日月潭", "淡水", "臺中", "臺南", "高雄", "花蓮", "澎湖", "金門", "蘭嶼", "綠島", "人工智慧", "程式", "網路",
    "資料", "演算法", "機器", "企業", "管理", "行銷", "領導", "溝通", "教育", "孩童", "親子", "老人", "長照",
};
constexpr string_view kZhAdjs[] = {"美麗的", "最後的", "消失的", "看不見的", "溫柔的", "永遠的", "被遺忘的", "第一次",
                                   "一個人的", "安靜的", "偉大的", "小小的", "寂靜的", "遙遠的", "新", "舊",
                                   "古老的", "神秘的", "快樂的", "悲傷的"};
constexpr string_view kZhSuffixes[] = {"入門", "概論", "全書", "研究", "圖鑑", "指南", "手冊", "物語", "之旅",
                                       "筆記", "散記", "大全", "簡史", "的故事", "教室", "練習", "百科", "攻略"};
constexpr string_view kZhPublishers[] = {"遠流出版", "聯經出版", "時報文化", "天下文化", "商周出版", "皇冠文化",
                                         "麥田出版", "三民書局", "五南圖書", "印刻文學", "大塊文化", "圓神出版",
                                         "木馬文化", "衛城出版", "春山出版", "遠見天下", "晨星出版", "臺灣商務",
                                         "國家圖書館", "臺中市政府文化局"};
constexpr string_view kZhPlaces[] = {"臺北市", "新北市", "臺中市", "臺南市", "高雄市"};
constexpr string_view kZhSeries[] = {"文學叢書", "大眾心理學全集", "經典文庫", "生活家", "新視野", "知識館",
                                     "人文叢書", "科普叢書", "小說精選", "旅行家"};

constexpr string_view kEnAdjs[] = {"Silent", "Hidden", "Last", "Lost", "Modern", "Little", "Great", "Secret", "New",
                                   "Ancient", "Broken", "Quiet", "Wild", "Golden", "Dark", "Bright", "Forgotten",
                                   "Invisible", "Practical", "Complete"};
constexpr string_view kEnNouns[] = {
    "History", "Garden", "River", "City", "Island", "World", "House", "Mountain", "Ocean", "Night", "Road", "Light",
    "Forest", "Stars", "Economics", "Memory", "Children", "Music", "Kitchen", "Library", "Letters", "Dreams", "War",
    "Peace", "Empire", "Mind", "Language", "Programming", "Design", "Science", "Art", "Love", "Time", "Money", "Power",
    "Sea", "Winter", "Summer", "Rain", "Wind", "Birds", "Whales", "Tea", "Coffee", "Cooking", "Gardening", "Travel",
    "Data", "Algorithms", "Networks", "Leadership", "Marketing", "Philosophy", "Poetry", "Medicine", "Health",
    "Climate", "Taiwan", "China", "Japan", "Asia", "Harbor", "Lighthouse", "Railway", "Teacher", "Mother", "Father"};
constexpr string_view kEnPatterns[] = {"The {a} {n}", "{a} {n}", "A History of the {n}", "{n} and {n2}",
                                       "The {n} of {n2}", "Understanding {n}", "{n}: An Introduction",
                                       "The {a} {n}: A Novel", "Notes on {n}", "Learning {n}"};
constexpr string_view kEnPublishers[] = {"Penguin Books", "Random House", "Oxford University Press", "HarperCollins",
                                         "Vintage", "Springer", "O'Reilly Media", "MIT Press", "Macmillan",
                                         "Cambridge University Press", "Simon & Schuster", "Bloomsbury", "Wiley",
                                         "Routledge"};
constexpr string_view kEnPlaces[] = {"New York", "London", "Oxford", "Cambridge, MA", "Sebastopol, CA"};
constexpr string_view kEnSeries[] = {"Penguin classics", "Very short introductions", "Oxford world's classics",
                                     "Lecture notes in computer science", "Vintage international"};

constexpr string_view kSurnames[] = {"陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊", "許", "鄭", "謝",
                                     "郭", "洪", "曾", "邱", "廖", "賴", "周", "徐", "蘇", "葉", "莊", "呂", "江",
                                     "何", "蕭", "羅", "高", "簡", "朱", "鍾", "施", "游", "詹", "沈", "彭", "胡"};
constexpr string_view kGiven[] = {"怡君", "雅婷", "志明", "家豪", "淑芬", "俊傑", "宗翰", "冠宇", "佩珊", "詩涵",
                                  "承恩", "宥廷", "品妍", "子晴", "柏翰", "美玲", "建宏", "欣怡", "佳穎", "郁婷",
                                  "家瑜", "思妤", "雅雯", "宜蓁", "明哲", "偉倫", "信宏", "俊宏", "冠廷", "彥廷",
                                  "秀英", "玉蘭", "麗華", "國華", "文雄", "志豪", "家銘", "婉婷", "博凱", "振宇"};
constexpr string_view kEnFirst[] = {"Emily", "John", "Margaret", "David", "Sarah", "Michael", "Anna", "Thomas",
                                    "Kate", "James", "Laura", "Daniel", "Grace", "Peter", "Alice", "Robert"};
constexpr string_view kEnLast[] = {"Smith", "Collins", "Waters", "Morrison", "Hart", "Brown", "Green", "White",
                                   "Chen", "Lin", "Walker", "Hughes", "Bennett", "Fisher", "Reed", "Hsu"};
constexpr string_view kTranslatedFirst[] = {"艾蜜莉", "約翰", "瑪格麗特", "大衛", "莎拉", "麥可", "安娜", "湯瑪斯"};
constexpr string_view kTranslatedLast[] = {"史密斯", "柯林斯", "華特斯", "莫里森", "哈特", "布朗", "葛林", "懷特"};

char Isbn13Check(string_view first12) { return bookstamp::demo::Isbn13CheckDigit(first12); }

char Isbn10Check(string_view first9) {
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (10 - i) * (first9[static_cast<std::size_t>(i)] - '0');
  int c = (11 - sum % 11) % 11;
  return c == 10 ? 'X' : static_cast<char>('0' + c);
}

// One MARC record under construction: fields in tag order, then Bytes().
class MarcBuilder {
 public:
  void Control(string_view tag, string_view data) { fields_.push_back({string(tag), string(data)}); }
  // subfields: {code, value} pairs.
  void Data(string_view tag, string_view ind, std::initializer_list<std::pair<char, string_view>> subfields) {
    string f(ind);
    for (const auto& [code, value] : subfields) {
      if (value.empty()) continue;
      f.push_back('\x1F');
      f.push_back(code);
      f += value;
    }
    fields_.push_back({string(tag), std::move(f)});
  }
  // Appends the ISO 2709 record to `out`.
  void AppendTo(string& out) const {
    string directory, data;
    for (const auto& [tag, body] : fields_) {
      directory += fmt::format("{}{:04}{:05}", tag, body.size() + 1, data.size());
      data += body;
      data.push_back('\x1E');
    }
    directory.push_back('\x1E');
    std::size_t base = 24 + directory.size();
    std::size_t length = base + data.size() + 1;
    out += fmt::format("{:05}nam a22{:05}   4500", length, base);
    out += directory;
    out += data;
    out.push_back('\x1D');
  }

 private:
  std::vector<std::pair<string, string>> fields_;
};

struct Generated {
  string isbn13_hyphen, isbn10_hyphen;  // the record's ISBN in both forms (its MARC may carry one)
  string author;
  bool chinese = false;
};

class Generator {
 public:
  explicit Generator(std::uint32_t seed)
      : rng_(seed),
        noun_z_(std::size(kZhNouns), 1.0),
        en_z_(std::size(kEnNouns), 1.0),
        topic_z_(std::size(kTopics), 0.8),
        name_z_(std::size(kSurnames), 1.1) {
    for (const auto& b : bookstamp::demo::Branches()) {
      branches_.push_back(b.code);
      weights_.push_back(b.weight);
    }
  }

  Generated Record(std::int64_t n, string& out) {
    Generated g;
    MarcBuilder m;
    g.chinese = rng_.Chance(0.72);
    const Topic& topic = ZPick(rng_, kTopics, topic_z_);
    int year = Year();
    m.Control("001", fmt::format("BK{:09}", n));
    m.Control("003", "BKSTAMP");
    m.Control("005", fmt::format("{}0101120000.0", std::min(year + 1, 2026)));
    // 008: entered, s(ingle date), date 1, place, ..., language at 35-37.
    string f008 = fmt::format("{:02}0101s{:04}    {}            000 1 {} d", year % 100, year,
                              g.chinese ? "ch " : "nyu", g.chinese ? "chi" : "eng");
    f008.resize(40, ' ');
    m.Control("008", f008);

    // ISBN: 978-957/986/626 for Taiwan, 978-0/1 for English; a third of the records also carry
    // the ISBN-10 form, a few only that.
    string group = g.chinese ? string(rng_.Pick(std::array<string_view, 3>{"957", "986", "626"}))
                             : (rng_.Chance(0.7) ? "0" : "1");
    const string prefix = "978";
    auto digits = [&](int k) {
      string s;
      for (int i = 0; i < k; ++i) s.push_back(static_cast<char>('0' + rng_.Uniform(0, 9)));
      return s;
    };
    int body_len = 12 - 3 - static_cast<int>(group.size());
    string pub = digits(group.size() == 1 ? 4 : 3), title_no = digits(body_len - (group.size() == 1 ? 4 : 3));
    string first12 = prefix + group + pub + title_no;
    char c13 = Isbn13Check(first12);
    g.isbn13_hyphen = fmt::format("{}-{}-{}-{}-{}", prefix, group, pub, title_no, c13);
    bool with10 = rng_.Chance(0.35);
    g.isbn10_hyphen = fmt::format("{}-{}-{}-{}", group, pub, title_no, Isbn10Check(group + pub + title_no));
    bool only10 = with10 && rng_.Chance(0.15);
    if (!only10) m.Data("020", "  ", {{'a', rng_.Chance(0.5) ? g.isbn13_hyphen : first12 + c13}, {'q', Binding()}});
    if (with10) m.Data("020", "  ", {{'a', g.isbn10_hyphen}});

    string title, subtitle, author, publisher, place, series, call;
    string cls = string(g.chinese ? topic.ccl : topic.dewey);
    if (g.chinese) {
      title = ZhTitle();
      if (rng_.Chance(0.3)) subtitle = ZhTitle();
      bool translated = rng_.Chance(0.1);
      string first(translated ? rng_.Pick(kTranslatedFirst) : ZPick(rng_, kSurnames, name_z_));
      string last(translated ? rng_.Pick(kTranslatedLast) : rng_.Pick(kGiven));
      author = translated ? first + "." + last : first + last;
      publisher = string(rng_.Pick(kZhPublishers));
      place = string(rng_.Pick(kZhPlaces));
      if (rng_.Chance(0.25)) series = string(rng_.Pick(kZhSeries));
      m.Data("041", "0 ", {{'a', "chi"}});
      m.Data("084", "  ", {{'a', cls}, {'b', AuthorMark()}, {'2', "ccl"}});
      m.Data("100", "1 ", {{'a', author}});
      m.Data("245", "10", {{'a', subtitle.empty() ? title : title + " :"}, {'b', subtitle}, {'c', author + "著"}});
      m.Data("250", "  ", {{'a', rng_.Chance(0.2) ? "初版" : ""}});
      m.Data("264", " 1", {{'a', place + " :"}, {'b', publisher + ","}, {'c', fmt::format("{}.", year)}});
      m.Data("300", "  ", {{'a', fmt::format("{}面 ;", rng_.Uniform(48, 640))}, {'c', "21公分"}});
      if (!series.empty()) m.Data("490", "0 ", {{'a', series}, {'v', std::to_string(rng_.Uniform(1, 300))}});
      m.Data("650", " 7", {{'a', topic.zh_subject}, {'2', "lcstt"}});
      if (rng_.Chance(0.4)) m.Data("650", " 7", {{'a', ZPick(rng_, kTopics, topic_z_).zh_subject}, {'2', "lcstt"}});
    } else {
      title = EnTitle();
      if (rng_.Chance(0.25)) {
        subtitle = EnNoun();
        subtitle += " and " + EnNoun();
      }
      string first(rng_.Pick(kEnFirst)), last(rng_.Pick(kEnLast));
      author = fmt::format("{}, {}", last, first);
      publisher = string(rng_.Pick(kEnPublishers));
      place = string(rng_.Pick(kEnPlaces));
      if (rng_.Chance(0.15)) series = string(rng_.Pick(kEnSeries));
      m.Data("082", "04", {{'a', cls}, {'2', "23"}});
      m.Data("100", "1 ", {{'a', author + ","}, {'e', "author."}});
      m.Data("245", "14",
             {{'a', subtitle.empty() ? title + " /" : title + " :"},
              {'b', subtitle.empty() ? "" : subtitle + " /"},
              {'c', fmt::format("{} {}.", first, last)}});
      m.Data("264", " 1", {{'a', place + " :"}, {'b', publisher + ","}, {'c', fmt::format("[{}]", year)}});
      m.Data("300", "  ", {{'a', fmt::format("xii, {} pages ;", rng_.Uniform(80, 900))}, {'c', "24 cm"}});
      if (!series.empty()) m.Data("490", "1 ", {{'a', series + " ;"}, {'v', std::to_string(rng_.Uniform(1, 500))}});
      m.Data("650", " 0", {{'a', string(topic.en_subject) + "."}});
      if (rng_.Chance(0.3)) m.Data("650", " 0", {{'a', string(ZPick(rng_, kTopics, topic_z_).en_subject) + "."}});
    }
    g.author = author;
    call = fmt::format("{} {}", cls, AuthorMark());
    int copies = 1 + static_cast<int>(rng_.Weighted(std::array<double, 4>{50, 30, 14, 6}));
    for (int c = 0; c < copies; ++c) {
      string_view branch = branches_[rng_.Weighted(weights_)];
      m.Data("952", "  ",
             {{'a', branch},
              {'b', branch},
              {'o', call},
              {'p', fmt::format("B{:010}", ++barcode_)},
              {'y', g.chinese && topic.ccl.starts_with("859") ? "CHILD" : "BK"}});
    }
    m.AppendTo(out);
    return g;
  }

 private:
  int Year() {
    // Mostly recent: 60% in 2005–2025, the rest back to 1950.
    return rng_.Chance(0.6) ? rng_.Uniform(2005, 2025) : rng_.Uniform(1950, 2004);
  }
  string Binding() { return rng_.Chance(0.7) ? "平裝" : (rng_.Chance(0.5) ? "精裝" : ""); }
  string AuthorMark() {
    char letter = static_cast<char>('A' + rng_.Uniform(0, 25));
    return letter + std::to_string(rng_.Uniform(1, 999));
  }
  string ZhNoun() { return string(ZPick(rng_, kZhNouns, noun_z_)); }
  string EnNoun() { return string(ZPick(rng_, kEnNouns, en_z_)); }
  // Draws are made in statement order, so the output does not depend on argument evaluation order.
  string ZhTitle() {
    int shape = rng_.Uniform(0, 6);
    string a = ZhNoun();
    string b = shape == 1 || shape == 6 ? string(rng_.Pick(kZhAdjs)) : "";
    string c = shape == 2 || shape == 4 ? string(rng_.Pick(kZhSuffixes)) : ZhNoun();
    switch (shape) {
      case 0: return a + "的" + c;
      case 1: return b + c;
      case 2: return a + c;
      case 3: return a + "與" + c;
      case 4: return "我的" + a + c;
      case 5: return a + c;
      default: return a + "：" + b + c;
    }
  }
  string EnTitle() {
    string p(rng_.Pick(kEnPatterns));
    auto put = [&](string_view key, const string& v) {
      if (auto at = p.find(key); at != string::npos) p.replace(at, key.size(), v);
    };
    put("{a}", string(rng_.Pick(kEnAdjs)));
    put("{n2}", EnNoun());
    put("{n}", EnNoun());
    return p;
  }

  Rng rng_;
  Zipf noun_z_, en_z_, topic_z_, name_z_;
  std::vector<string_view> branches_;
  std::vector<double> weights_;
  std::int64_t barcode_ = 0;
};

// The fixed query mix: class, then the query string of GET /api/v1/search (raw UTF-8, `&`-joined).
// ISBN and author queries are taken from generated records, so they always exist.
void WriteQueries(std::ostream& q, const std::vector<Generated>& samples) {
  auto row = [&](string_view cls, const string& params) { q << cls << '\t' << params << '\n'; };
  for (auto s : {"山", "愛", "貓", "茶", "雪"}) row("cjk-1", fmt::format("q={}", s));
  for (auto s : {"臺灣", "歷史", "旅行", "咖啡", "森林", "鯨魚"}) row("cjk-2", fmt::format("q={}", s));
  for (auto s : {"圖書館", "人工智慧", "臺灣歷史", "阿里山", "兒童文學"}) row("cjk-3-4", fmt::format("q={}", s));
  for (auto s : {"台湾", "历史", "图书馆", "电脑", "经济学"}) row("simplified", fmt::format("q={}", s));
  for (auto s : {"history", "gardens", "programming", "whales", "lighthouse"}) row("english", fmt::format("q={}", s));
  int authors = 0;
  for (const auto& g : samples) {
    if (authors >= 4) break;
    if (g.author.find('.') != string::npos) continue;
    if (g.chinese != (authors % 2 == 0)) continue;
    string a = g.author;
    if (auto comma = a.find(", "); comma != string::npos) a = a.substr(comma + 2) + " " + a.substr(0, comma);
    row("author", fmt::format("q={}", a));
    ++authors;
  }
  int i10 = 0, i13 = 0;
  for (const auto& g : samples) {
    if (i13 < 3) {
      row("isbn-13", fmt::format("q={}", g.isbn13_hyphen));
      ++i13;
    } else if (i10 < 3) {
      row("isbn-10", fmt::format("q={}", g.isbn10_hyphen));
      ++i10;
    }
  }
  for (auto s : {"863", "733.2", "005.1", "857.7"}) row("class", fmt::format("class={}", s));
  row("branch", "q=小說&branch=XITUN");
  row("branch", "q=history&branch=MAIN");
  row("branch", "q=臺灣歷史&branch=BEITUN");
  row("page-5", "q=臺灣&page=5");
  row("page-5", "q=history&page=5");
}

}  // namespace

int main(int argc, char** argv) try {
  bench::Flags flags(argc, argv, 1);
  auto records = flags.Int("records");
  auto seed = static_cast<std::uint32_t>(flags.Int("seed", 20260401));
  auto path = flags.Str("out");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  Generator gen(seed);
  // Query samples: records spread over the whole file.
  std::vector<Generated> samples;
  auto every = std::max<std::int64_t>(1, records / 40);
  string buf;
  buf.reserve(1 << 20);
  for (std::int64_t n = 1; n <= records; ++n) {
    auto g = gen.Record(n, buf);
    if (n % every == 0) samples.push_back(std::move(g));
    if (buf.size() > (1 << 20) - 8192) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
  if (flags.Has("queries")) {
    std::ofstream q(flags.Str("queries"), std::ios::trunc);
    WriteQueries(q, samples);
    if (!q) throw std::runtime_error("cannot write the queries");
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bookstamp_gen_marc: " << e.what() << "\n";
  return 1;
}
