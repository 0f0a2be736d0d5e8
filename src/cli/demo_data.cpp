// The demo city's records: branch list, catalog word lists (中文圖書分類法 numbers by subject) and names.
#include "cli/demo_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

namespace bookstamp::demo {

std::size_t Rng::Weighted(std::span<const double> weights) {
  double total = 0;
  for (double w : weights) total += w;
  double x = Real() * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return weights.size() - 1;
}

namespace {

constexpr BranchSeed kBranches[] = {
    {"MAIN", "總館", 10, true, false},
    {"BEITUN", "北屯分館", 5, true, false},
    {"XITUN", "西屯分館", 5, true, false},
    {"NANTUN", "南屯分館", 5, true, false},
    {"DALI", "大里分館", 4, true, false},
    {"TAIPING", "太平分館", 4, true, false},
    {"FENGYUAN", "豐原分館", 4, true, false},
    {"QINGSHUI", "清水分館", 3, true, false},
    {"SHALU", "沙鹿深波分館", 3, true, false},
    {"DAJIA", "大甲分館", 3, false, false},
    {"DONGSHI", "東勢分館", 2, false, false},
    {"WUFENG", "霧峰分館", 3, true, false},
    {"WURI", "烏日分館", 2, false, false},
    {"DAYA", "大雅分館", 3, true, false},
    {"TANZI", "潭子分館", 3, true, false},
    {"SHENGANG", "神岡分館", 2, false, false},
    {"HOULI", "后里分館", 2, false, false},
    {"WUQI", "梧棲分館", 2, false, false},
    {"LONGJING", "龍井分館", 2, false, false},
    {"DADU", "大肚分館", 2, false, false},
    {"WAIPU", "外埔分館", 1, false, false},
    {"DAAN", "大安分館", 1, false, true},
    {"SHIGANG", "石岡分館", 1, false, false},
    {"XINSHE", "新社分館", 1, false, false},
    {"HEPING", "和平分館", 1, false, true},
    {"EAST", "東區分館", 2, false, false},
    {"SOUTH", "南區分館", 2, false, false},
    {"WEST", "西區分館", 2, false, false},
    {"NORTH", "北區分館", 3, false, false},
    {"LIKEYONG", "李科永紀念圖書館", 3, true, false},
    {"SIZHANGLI", "四張犁分館", 3, true, false},
    {"SHANGFENG", "上楓分館", 1, false, false},
    {"HULUDUN", "葫蘆墩分館", 2, false, false},
    {"DEFANG", "德芳分館", 2, false, false},
    {"PINGLIN", "坪林分館", 1, false, false},
    {"YONGAN", "永安分館", 1, false, false},
    {"HUILAI", "惠來分館", 3, true, false},
    {"DADUN", "大墩分館", 2, false, false},
    {"XINGAN", "興安分館", 2, false, false},
    {"JINGWU", "精武圖書館", 2, false, false},
    {"CENTRAL", "中區分館", 1, false, false},
    {"DAKENG", "大坑分館", 1, false, false},
    {"SHUINAN", "水湳分館", 2, true, false},
    {"DONGHAI", "東海分館", 2, false, false},
};
static_assert(std::size(kBranches) == 44, "Taichung City Library has 44 branches");

// Surnames by frequency in Taiwan, with the Wade–Giles spelling most passports use.
struct Roman {
  std::string_view zh, en;
  double weight = 1;
};
constexpr Roman kSurnames[] = {
    {"陳", "chen", 11}, {"林", "lin", 8.3}, {"黃", "huang", 6}, {"張", "chang", 5.3}, {"李", "lee", 5.1},
    {"王", "wang", 4.1}, {"吳", "wu", 4}, {"劉", "liu", 3.2}, {"蔡", "tsai", 2.9}, {"楊", "yang", 2.6},
    {"許", "hsu", 2.3}, {"鄭", "cheng", 1.9}, {"謝", "hsieh", 1.8}, {"郭", "kuo", 1.7}, {"洪", "hung", 1.6},
    {"曾", "tseng", 1.4}, {"邱", "chiu", 1.4}, {"廖", "liao", 1.3}, {"賴", "lai", 1.3}, {"周", "chou", 1.2},
    {"徐", "hsu", 1.1}, {"蘇", "su", 1.1}, {"葉", "yeh", 1.1}, {"莊", "chuang", 1}, {"呂", "lu", 1},
    {"江", "chiang", 0.9}, {"何", "ho", 0.9}, {"蕭", "hsiao", 0.8}, {"羅", "lo", 0.8}, {"高", "kao", 0.8},
    {"簡", "chien", 0.6}, {"朱", "chu", 0.6}, {"鍾", "chung", 0.6}, {"施", "shih", 0.6}, {"游", "yu", 0.6},
    {"詹", "chan", 0.6}, {"沈", "shen", 0.5}, {"彭", "peng", 0.5}, {"胡", "hu", 0.5}, {"余", "yu", 0.4},
};
constexpr Roman kGiven[] = {
    {"怡君", "yichun"},   {"雅婷", "yating"},    {"志明", "chihming"}, {"家豪", "chiahao"},  {"淑芬", "shufen"},
    {"俊傑", "chunchieh"}, {"宗翰", "tsunghan"}, {"冠宇", "kuanyu"},   {"佩珊", "peishan"},  {"詩涵", "shihhan"},
    {"承恩", "chengen"},  {"宥廷", "youting"},   {"品妍", "pinyen"},   {"子晴", "tzuching"}, {"柏翰", "pohan"},
    {"美玲", "meiling"},  {"建宏", "chienhung"}, {"欣怡", "hsinyi"},   {"佳穎", "chiaying"}, {"郁婷", "yuting"},
    {"家瑜", "chiayu"},   {"思妤", "ssuyu"},     {"雅雯", "yawen"},    {"宜蓁", "yichen"},   {"明哲", "mingche"},
    {"偉倫", "weilun"},   {"信宏", "hsinhung"},  {"俊宏", "chunhung"}, {"冠廷", "kuanting"}, {"彥廷", "yenting"},
    {"承翰", "chenghan"}, {"宇軒", "yuhsuan"},   {"子涵", "tzuhan"},   {"芷晴", "chihching"}, {"心妍", "hsinyen"},
    {"語彤", "yutung"},   {"秀英", "hsiuying"},  {"玉蘭", "yulan"},    {"麗華", "lihua"},    {"金生", "chinsheng"},
    {"國華", "kuohua"},   {"文雄", "wenhsiung"}, {"志豪", "chihhao"},  {"家銘", "chiaming"}, {"佩君", "peichun"},
    {"婉婷", "wanting"},  {"筱涵", "hsiaohan"},  {"韋廷", "weiting"},  {"博凱", "pokai"},    {"淑惠", "shuhui"},
    {"美惠", "meihui"},   {"振宇", "chenyu"},    {"佳蓉", "chiajung"}, {"慧君", "huichun"},  {"政達", "chengta"},
    {"瑞祥", "juihsiang"}, {"昱辰", "yuchen"},   {"睿恩", "juien"},    {"以琳", "yilin"},    {"沛晴", "peiching"},
};

// Made-up Japanese and Western authors for translated books (no real person's name).
constexpr std::string_view kJpSurnames[] = {"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡邊", "山本", "中村", "小林",
                                            "加藤", "吉田", "山田", "松本", "井上", "木村", "清水", "池田", "橋本"};
constexpr std::string_view kJpGiven[] = {"健一", "美咲", "翔太", "陽子", "直樹", "由紀", "大輔",
                                         "真理子", "拓也", "千尋", "悠人", "彩香", "和也", "奈緒"};
constexpr std::string_view kWestFirstZh[] = {"艾蜜莉", "約翰", "瑪格麗特", "大衛", "莎拉", "麥可", "安娜", "湯瑪斯",
                                             "凱特", "詹姆斯", "露西", "丹尼爾"};
constexpr std::string_view kWestLastZh[] = {"史密斯", "柯林斯", "華特斯", "莫里森", "哈特", "布朗", "葛林", "懷特",
                                            "班奈特", "費雪"};
constexpr std::string_view kEnFirst[] = {"Emily", "John", "Margaret", "David", "Sarah", "Michael", "Anna", "Thomas",
                                         "Kate", "James", "Laura", "Daniel", "Grace", "Peter", "Alice", "Robert"};
constexpr std::string_view kEnLast[] = {"Smith", "Collins", "Waters", "Morrison", "Hart", "Brown", "Green", "White",
                                        "Chen", "Lin", "Walker", "Hughes", "Bennett", "Fisher", "Reed", "Hsu"};

std::string TwName(Rng& rng) {
  static const auto weights = [] {
    std::vector<double> w;
    for (const auto& s : kSurnames) w.push_back(s.weight);
    return w;
  }();
  return std::string(kSurnames[rng.Weighted(weights)].zh) + std::string(rng.Pick(kGiven).zh);
}
std::string JpName(Rng& rng) { return std::string(rng.Pick(kJpSurnames)) + std::string(rng.Pick(kJpGiven)); }
std::string WestNameZh(Rng& rng) {
  return fmt::format("{}‧{}", rng.Pick(kWestFirstZh), rng.Pick(kWestLastZh));
}

// A catalog record before its ISBN, year and copies are chosen.
struct Draft {
  std::string title, author, publisher, class_no;
  bool with_cd = false;      // copies come with an accompanying CD (an "attachment" item, no points)
  bool reference = false;    // one copy may be kept for reference (not loanable)
  bool english = false;
  int oldest = 1990;
};

using Words = std::span<const std::string_view>;
std::string W(Rng& rng, Words w) { return std::string(rng.Pick(w)); }

#define WORDS(name, ...) constexpr std::string_view name[] = {__VA_ARGS__}

WORDS(kNovelA, "夏天", "海邊", "月光", "雨季", "南方", "山城", "老街", "島嶼", "河岸", "星空", "黃昏", "北風", "台中",
      "港口", "稻田", "霧", "鹽田", "眷村", "午後", "十七歲");
WORDS(kNovelB, "告別", "約定", "秘密", "旅人", "情書", "房間", "女兒", "回聲", "記憶", "庭院", "守望者", "咖啡館",
      "最後一夜", "少年", "火車站", "燈塔", "來信", "花園");
WORDS(kPlaces, "台中", "鹿港", "淡水", "花蓮", "台南", "基隆", "霧峰", "大甲", "東勢", "清水", "梨山", "南方澳", "綠島",
      "新社");
WORDS(kNovelAdj, "沒有名字的", "看不見的", "慢慢來的", "遲到的", "不說話的", "會飛的", "消失的", "借來的");
WORDS(kNovelNoun, "城市", "貓", "鯨魚", "女孩", "火車", "季節", "海", "房子", "星星", "夏天");
WORDS(kYearsZh, "一九八七", "一九九九", "二〇〇三", "二〇二〇", "一九七九");
WORDS(kSeasons, "夏天", "冬天", "春天", "雨季");
WORDS(kNovelPublishers, "聯經", "麥田", "時報文化", "印刻", "皇冠", "九歌", "大塊文化", "鏡文學", "木馬文化", "遠流");

Draft Novel(Rng& rng) {
  Draft d;
  switch (rng.Uniform(0, 4)) {
    case 0: case 1: d.title = W(rng, kNovelA) + "的" + W(rng, kNovelB); break;
    case 2: {
      auto p = W(rng, kPlaces);
      constexpr std::string_view forms[] = {"在{}等你", "從{}來的人", "回到{}", "離開{}以後", "{}無雨", "{}之夜"};
      d.title = fmt::format(fmt::runtime(rng.Pick(forms)), p);
      break;
    }
    case 3: d.title = W(rng, kYearsZh) + "年的" + W(rng, kSeasons); break;
    default: d.title = W(rng, kNovelAdj) + W(rng, kNovelNoun); break;
  }
  d.author = TwName(rng) + "著";
  d.publisher = W(rng, kNovelPublishers);
  d.class_no = "863.57";
  return d;
}

WORDS(kAnimals, "小熊", "小兔子", "貓咪", "小豬", "小恐龍", "企鵝", "石虎", "台灣黑熊", "小狐狸", "大象", "小老鼠",
      "鱷魚", "長頸鹿", "小雞", "青蛙", "八哥");
WORDS(kAnimalEvents, "去上學", "的生日派對", "睡不著", "找朋友", "去野餐", "不見了", "學游泳", "搬新家",
      "第一次看牙醫", "愛洗澡", "去旅行", "的大冒險", "說對不起", "的紅雨傘", "想當老大");
WORDS(kKin, "阿嬤", "阿公", "爸爸", "媽媽", "小妹妹", "哥哥");
WORDS(kKinThings, "菜園", "灶腳", "腳踏車", "故事書", "大鍋子", "廟口", "雜貨店", "小船", "柑仔店");
WORDS(kGoodnight, "月亮", "小熊", "台中", "城市", "森林", "大海", "貓咪");
WORDS(kPicturePublishers, "小魯文化", "親子天下", "信誼基金", "遠流", "格林文化", "青林國際", "小天下", "維京國際",
      "道聲", "和英");

Draft PictureBook(Rng& rng) {
  Draft d;
  switch (rng.Uniform(0, 3)) {
    case 0: case 1: d.title = W(rng, kAnimals) + W(rng, kAnimalEvents); break;
    case 2: d.title = W(rng, kKin) + "的" + W(rng, kKinThings); break;
    default: d.title = "晚安，" + W(rng, kGoodnight); break;
  }
  d.author = rng.Chance(0.5) ? TwName(rng) + "文‧圖" : TwName(rng) + "文 ; " + TwName(rng) + "圖";
  d.publisher = W(rng, kPicturePublishers);
  d.class_no = "859.6";
  d.with_cd = rng.Chance(0.1);  // 有聲書
  d.oldest = 2000;
  return d;
}

struct Series {
  std::string_view title, publisher;
  bool japanese;
};
constexpr Series kSeries[] = {
    {"廟口偵探社", "東立", false},   {"夜市英雄傳", "尖端", false}, {"鐵道少女", "青文", true},
    {"貓咪便利商店", "東立", true}, {"星空棒球隊", "尖端", true}, {"妖怪旅館", "青文", true},
    {"勇者不上班", "東立", true},   {"布袋戲少年", "蓋亞", false}, {"珍奶戰記", "蓋亞", false},
    {"料理之王", "長鴻", true},     {"宇宙郵差", "台灣角川", true}, {"放學後的樂團", "台灣角川", true},
    {"台中少年偵探團", "東立", false}, {"深夜食堂的貓", "尖端", true},
};

Draft Comic(Rng& rng) {
  auto index = static_cast<std::size_t>(rng.Uniform(0, std::size(kSeries) - 1));
  const auto& s = kSeries[index];
  // One author per series, so the volumes of a series agree.
  Rng series_rng(static_cast<std::uint32_t>(7919 * (index + 1)));
  Draft d;
  d.title = fmt::format("{} {}", s.title, rng.Uniform(1, 24));
  d.author = (s.japanese ? JpName(series_rng) : TwName(series_rng)) + "作";
  d.publisher = std::string(s.publisher);
  d.class_no = "947.41";
  d.oldest = 2008;
  return d;
}

struct Destination {
  std::string_view name, class_no;
};
constexpr Destination kDestinations[] = {
    {"台中", "733.69"},   {"台南", "733.69"},   {"花蓮", "733.69"},   {"台東", "733.69"},   {"澎湖", "733.69"},
    {"金門", "733.69"},   {"日月潭", "733.69"}, {"阿里山", "733.69"}, {"合歡山", "733.69"}, {"墾丁", "733.69"},
    {"宜蘭", "733.69"},   {"九份", "733.69"},   {"鹿港", "733.69"},   {"台中山線", "733.69"}, {"台中海線", "733.69"},
    {"京都", "731.9"},    {"東京", "731.9"},    {"大阪", "731.9"},    {"北海道", "731.9"},  {"沖繩", "731.9"},
    {"九州", "731.9"},    {"首爾", "732.9"},    {"釜山", "732.9"},    {"濟州島", "732.9"},  {"曼谷", "738.29"},
    {"清邁", "738.29"},   {"峇里島", "739.39"}, {"越南", "738.39"},   {"巴黎", "742.89"},   {"倫敦", "741.89"},
    {"冰島", "747.79"},   {"義大利", "745.09"}, {"西班牙", "746.19"}, {"北歐", "747.09"},   {"瑞士", "744.89"},
};
WORDS(kTravelWords, "慢旅行", "自由行", "旅行攻略", "散步地圖", "小旅行", "一日遊全攻略", "鐵道旅行", "美食地圖",
      "深度之旅", "自助旅行聖經", "親子旅行", "旅行手帖", "單車旅行", "秘境之旅");
WORDS(kTravelPublishers, "太雅", "墨刻", "朱雀文化", "華成圖書", "晨星", "遠流", "時報文化", "四塊玉");

Draft Travel(Rng& rng) {
  const auto& dest = rng.Pick(kDestinations);
  Draft d;
  d.title = std::string(dest.name) + W(rng, kTravelWords);
  d.author = TwName(rng) + "文‧攝影";
  d.publisher = W(rng, kTravelPublishers);
  d.class_no = std::string(dest.class_no);
  d.oldest = 2005;
  return d;
}

WORDS(kCookPrefix, "電鍋", "氣炸鍋", "平底鍋", "小家庭", "新手", "零失敗", "超簡單", "一個人的", "阿嬤的", "上班族",
      "十分鐘", "減醣", "台味");
WORDS(kCookSuffix, "", "100道", "全圖解", "一次學會", "大全", "教科書", "：一學就會", "的基本功");
WORDS(kCookPublishers, "橘子文化", "楊桃文化", "朱雀文化", "幸福文化", "台灣廣廈", "邦聯文化", "出色文化", "四塊玉");
struct Dish {
  std::string_view name;
  bool baking;
};
constexpr Dish kDishes[] = {{"家常菜", false}, {"便當", false},   {"麵包", true},     {"甜點", true},
                            {"湯品", false},   {"蔬食料理", false}, {"台灣小吃", false}, {"早午餐", false},
                            {"蛋糕", true},    {"醬料", false},   {"餅乾", true},     {"年菜", false},
                            {"滷味", false},   {"燉飯", false}};

Draft Cooking(Rng& rng) {
  const auto& dish = rng.Pick(kDishes);
  Draft d;
  d.title = W(rng, kCookPrefix) + std::string(dish.name) + W(rng, kCookSuffix);
  d.author = TwName(rng) + "著";
  d.publisher = W(rng, kCookPublishers);
  d.class_no = dish.baking ? "427.16" : "427.1";
  d.oldest = 2000;
  return d;
}

struct Topic {
  std::string_view name, class_no;
};
constexpr Topic kHistoryTopics[] = {
    {"台灣", "733.21"},         {"台中", "733.9/115.2"},        {"大航海時代", "733.24"},
    {"日治時期台中", "733.28"}, {"清代台灣", "733.26"},         {"荷蘭時代", "733.24"},
    {"台灣原住民族", "536.33"},   {"台灣鐵道", "557.2633"},       {"台灣糖業", "481.8"},
    {"媽祖信仰", "272.71"},       {"台中老街", "733.9/115.2"},    {"眷村", "545.4933"},
    {"霧峰林家", "782.633"},      {"大甲媽祖", "272.71"},         {"台灣民主運動", "573.07"},
    {"台灣茶業", "481.6"},        {"中部橫貫公路", "733.9/115.6"}};
WORDS(kHistoryForms, "{}的故事", "{}三百年", "{}史話", "{}簡史", "{}百年", "{}歷史地圖", "{}的庶民生活", "{}記憶",
      "{}四百年", "圖說{}", "重返{}", "{}的歷史");
WORDS(kHistoryPublishers, "遠流", "前衛", "玉山社", "衛城", "春山", "聯經", "左岸文化", "南天", "貓頭鷹", "台灣商務");

Draft TaiwanHistory(Rng& rng) {
  const auto& t = rng.Pick(kHistoryTopics);
  Draft d;
  d.title = fmt::format(fmt::runtime(rng.Pick(kHistoryForms)), t.name);
  d.author = TwName(rng) + "著";
  d.publisher = W(rng, kHistoryPublishers);
  d.class_no = std::string(t.class_no);
  d.reference = true;
  return d;
}

constexpr Topic kScienceTopics[] = {
    {"宇宙", "323.9"},     {"黑洞", "323.9"},     {"量子", "331.3"},    {"演化", "362.1"},
    {"大腦", "394.911"},   {"基因", "363.81"},    {"細菌", "369"},      {"恐龍", "359.574"},
    {"氣候變遷", "328.8"}, {"海洋", "351.9"},     {"人工智慧", "312.83"}, {"火山", "354.2"},
    {"昆蟲", "387.7"},     {"數學", "310"},       {"化學", "340"},      {"物理", "330"},
    {"台灣野鳥", "388.833"}, {"台灣植物", "375.233"}, {"程式設計", "312.2"}, {"天氣", "328"}};
WORDS(kScienceForms, "{}的奧秘", "{}簡史", "{}大百科", "從零開始認識{}", "超圖解{}", "{}漫遊", "{}入門",
      "{}的十堂課", "為什麼要懂{}", "給孩子的{}", "{}全圖解", "有趣的{}");
WORDS(kSciencePublishers, "天下文化", "貓頭鷹", "遠流", "商周", "時報文化", "晨星", "三民", "八旗文化", "臉譜",
      "碁峰");

Draft Science(Rng& rng) {
  const auto& t = rng.Pick(kScienceTopics);
  Draft d;
  d.title = fmt::format(fmt::runtime(rng.Pick(kScienceForms)), t.name);
  d.author = rng.Chance(0.3) ? WestNameZh(rng) + "著 ; " + TwName(rng) + "譯" : TwName(rng) + "著";
  d.publisher = W(rng, kSciencePublishers);
  d.class_no = std::string(t.class_no);
  d.reference = true;
  return d;
}

WORDS(kParentingWith, "長大", "讀書", "面對情緒", "玩科學", "學數學", "一起閱讀", "說故事");
WORDS(kParentingKind, "會思考", "有自信", "自律", "愛閱讀", "會表達", "有溫度");
WORDS(kParentingAge, "0-6歲", "3-8歲", "青春期", "小學生");
WORDS(kParentingGuide, "親子共讀指南", "教養全書", "大腦發展", "情緒教養");
WORDS(kParentingCalm, "教養", "親子溝通", "爸媽");
WORDS(kParentingPublishers, "親子天下", "天下文化", "遠流", "商周", "采實文化", "野人");

Draft Parenting(Rng& rng) {
  Draft d;
  switch (rng.Uniform(0, 3)) {
    case 0: d.title = "陪孩子" + W(rng, kParentingWith); break;
    case 1: d.title = "教出" + W(rng, kParentingKind) + "的孩子"; break;
    case 2: d.title = W(rng, kParentingAge) + W(rng, kParentingGuide); break;
    default: d.title = "不吼不叫的" + W(rng, kParentingCalm); break;
  }
  d.author = TwName(rng) + "著";
  d.publisher = W(rng, kParentingPublishers);
  d.class_no = "528.2";
  d.oldest = 2005;
  return d;
}

WORDS(kSelfHelpA, "被討厭", "慢下來", "說不", "獨處", "放下", "改變", "內向者", "專注", "好好休息", "原諒", "開始");
WORDS(kSelfHelpB, "的勇氣", "的練習", "的力量", "的藝術", "這件小事");
WORDS(kSelfHelpFor, "焦慮的你", "三十歲的自己", "迷惘的人", "上班族", "內向的人");
WORDS(kSelfHelpWhat, "心理學", "生活提案", "情緒課", "小習慣", "人生筆記");
WORDS(kSelfHelpPublishers, "究竟", "方智", "圓神", "采實文化", "商周", "天下雜誌", "遠流", "先覺");

Draft SelfHelp(Rng& rng) {
  Draft d;
  d.title = rng.Chance(0.6) ? W(rng, kSelfHelpA) + W(rng, kSelfHelpB)
                            : "給" + W(rng, kSelfHelpFor) + "的" + W(rng, kSelfHelpWhat);
  d.author = rng.Chance(0.3) ? JpName(rng) + "著 ; " + TwName(rng) + "譯" : TwName(rng) + "著";
  d.publisher = W(rng, kSelfHelpPublishers);
  d.class_no = "177.2";
  d.oldest = 2005;
  return d;
}

WORDS(kFinanceWho, "小資族", "上班族", "新手", "存股族", "退休族", "月薪三萬");
WORDS(kFinancePublishers, "今周刊", "遠見天下", "Smart智富", "大是文化", "商周", "樂金文化");
constexpr Topic kFinanceWhat[] = {{"理財入門", "563"},     {"存股術", "563.53"},       {"ETF投資法", "563.5"},
                                  {"記帳術", "563"},       {"的被動收入", "563"},      {"財務自由之路", "563"},
                                  {"買房攻略", "554.89"}};

Draft Finance(Rng& rng) {
  const auto& what = rng.Pick(kFinanceWhat);
  Draft d;
  d.title = W(rng, kFinanceWho) + std::string(what.name);
  d.author = TwName(rng) + "著";
  d.publisher = W(rng, kFinancePublishers);
  d.class_no = std::string(what.class_no);
  d.oldest = 2010;
  return d;
}

constexpr Topic kPets[] = {{"貓咪", "437.364"}, {"狗狗", "437.354"}, {"毛孩", "437.3"}, {"兔子", "437.37"}};
WORDS(kPetWhat, "飼養手冊", "行為學", "說的話", "的日常", "照護全書", "的心事", "醫學百科", "這樣養最健康");
WORDS(kPetPublishers, "晨星", "漢欣文化", "台灣東販", "野人", "如何");

Draft Pets(Rng& rng) {
  const auto& pet = rng.Pick(kPets);
  Draft d;
  d.title = std::string(pet.name) + W(rng, kPetWhat);
  d.author = rng.Chance(0.4) ? JpName(rng) + "監修 ; " + TwName(rng) + "譯" : TwName(rng) + "著";
  d.publisher = W(rng, kPetPublishers);
  d.class_no = std::string(pet.class_no);
  d.oldest = 2005;
  return d;
}

WORDS(kEssayA, "日常", "散步", "餐桌", "南方", "島嶼", "舊時光", "午後", "山居", "海風", "廚房", "老家", "台中", "旅行");
WORDS(kEssayB, "散文集", "筆記", "手記", "時光", "書簡", "札記", "小事", "雜記", "紀事");
WORDS(kEssayPublishers, "印刻", "九歌", "爾雅", "聯合文學", "有鹿文化", "木馬文化", "時報文化", "麥田");

Draft Essay(Rng& rng) {
  Draft d;
  d.title = W(rng, kEssayA) + W(rng, kEssayB);
  d.author = TwName(rng) + "著";
  d.publisher = W(rng, kEssayPublishers);
  d.class_no = "855";
  return d;
}

WORDS(kMysteryPlace, "雪山", "京都", "夜行列車", "溫泉旅館", "古書店", "櫻花", "白色", "湖畔", "鐘樓", "港町");
WORDS(kMysteryThing, "玻璃", "雪", "時鐘", "月光", "昨日");
WORDS(kSuspectNumbers, "三", "七", "十三");
WORDS(kMysteryPublishers, "皇冠", "獨步文化", "尖端", "春天出版", "新經典文化", "悅知文化", "麥田");

Draft Mystery(Rng& rng) {
  Draft d;
  switch (rng.Uniform(0, 2)) {
    case 0: d.title = W(rng, kMysteryPlace) + "殺人事件"; break;
    case 1: d.title = W(rng, kMysteryThing) + "的密室"; break;
    default: d.title = fmt::format("第{}個嫌疑人", rng.Pick(kSuspectNumbers)); break;
  }
  d.author = JpName(rng) + "著 ; " + TwName(rng) + "譯";
  d.publisher = W(rng, kMysteryPublishers);
  d.class_no = "861.57";
  return d;
}

WORDS(kWestPlace, "布魯克林", "倫敦", "密西西比", "北國", "巴黎", "午夜", "遠方", "海岸");
WORDS(kWestThing, "女孩", "書店", "圖書館", "燈塔", "果園", "情人", "秘密", "旅館");
WORDS(kWestPublishers, "皇冠", "麥田", "時報文化", "寂寞", "春天出版", "悅知文化", "新經典文化", "大塊文化");

Draft TranslatedNovel(Rng& rng) {
  Draft d;
  d.title = W(rng, kWestPlace) + "的" + W(rng, kWestThing);
  d.author = WestNameZh(rng) + "著 ; " + TwName(rng) + "譯";
  d.publisher = W(rng, kWestPublishers);
  d.class_no = "874.57";
  return d;
}

constexpr Topic kLanguages[] = {{"英文文法", "805.16"}, {"多益單字", "805.1892"}, {"日語五十音", "803.11"},
                                {"旅遊英語", "805.188"}, {"英文會話", "805.188"},  {"日文會話", "803.188"},
                                {"韓語入門", "803.28"},  {"英文寫作", "805.17"}};
WORDS(kLanguageForms, "一次學會{}", "{}全攻略", "{}大全", "{}速成", "圖解{}", "{}一本通");
WORDS(kLanguagePublishers, "三民", "貝塔", "寂天", "國際學村", "眾文", "語言工場");

Draft Language(Rng& rng) {
  const auto& t = rng.Pick(kLanguages);
  Draft d;
  d.title = fmt::format(fmt::runtime(rng.Pick(kLanguageForms)), t.name);
  d.author = TwName(rng) + "編著";
  d.publisher = W(rng, kLanguagePublishers);
  d.class_no = std::string(t.class_no);
  d.with_cd = rng.Chance(0.6);
  d.reference = true;
  return d;
}

WORDS(kPoemA, "島嶼", "夜行", "雨", "光", "海", "風", "台中", "母語");
WORDS(kPoemB, "詩集", "之詩", "備忘錄", "練習曲", "之書");
WORDS(kPoemPublishers, "九歌", "印刻", "聯經", "黑眼睛文化", "寶瓶文化", "時報文化");

Draft Poetry(Rng& rng) {
  Draft d;
  d.title = W(rng, kPoemA) + W(rng, kPoemB);
  d.author = TwName(rng) + "著";
  d.publisher = W(rng, kPoemPublishers);
  d.class_no = "863.51";
  return d;
}

// English-language records, shelved with the Chinese ones.
WORDS(kEnAdj, "Silent", "Last", "Hidden", "Lost", "Little", "Secret", "Distant", "Quiet", "Paper", "Summer", "Winter",
      "Midnight", "Island");
WORDS(kEnNoun, "Garden", "Library", "Island", "Station", "Letters", "River", "Lighthouse", "Orchard", "Teahouse",
      "Typhoon", "Harbor", "Bookshop", "Mountain", "Daughter");
WORDS(kEnPlace, "Taichung", "Taipei", "Kyoto", "Lisbon", "Vermont", "Penang");
WORDS(kEnAnimal, "Bear", "Rabbit", "Cat", "Fox", "Penguin", "Turtle", "Owl");
WORDS(kEnVerb, "Could Not Sleep", "Lost a Hat", "Went to School", "Wanted the Moon", "Loved Rain");
WORDS(kEnFictionPublishers, "Penguin", "Vintage", "HarperCollins", "Random House", "Bloomsbury");
WORDS(kEnKidsPublishers, "Scholastic", "Candlewick", "Walker Books", "Puffin");

struct EnNonfiction {
  std::string_view title, class_no, publisher;
};
constexpr EnNonfiction kEnNonfiction[] = {
    {"A Short History of {}", "733.21", "Columbia University Press"},
    {"{}: A New History", "733.21", "Oxford University Press"},
    {"The {} Cookbook", "427.1", "Tuttle"},
    {"Birds of {}", "388.833", "Princeton University Press"},
    {"Hiking in {}", "733.69", "Lonely Planet"},
    {"Walking {}: A City Guide", "733.69", "Lonely Planet"},
};
WORDS(kEnSubjects, "Taiwan", "Formosa", "Taichung", "the Island");
constexpr EnNonfiction kEnTech[] = {
    {"Learning Python", "312.32", "O'Reilly"},          {"Introduction to Algorithms", "312.2", "MIT Press"},
    {"The Elements of Style", "805.17", "Pearson"},     {"A Brief History of Time", "323.9", "Bantam"},
    {"Thinking in Systems", "494", "Chelsea Green"},    {"Everyday Mathematics", "310", "Dover"},
};

Draft English(Rng& rng) {
  Draft d;
  d.english = true;
  auto author = fmt::format("{} {}", rng.Pick(kEnFirst), rng.Pick(kEnLast));
  d.author = author;
  switch (rng.Uniform(0, 5)) {
    case 0: case 1:
      d.title = fmt::format("The {} {}", rng.Pick(kEnAdj), rng.Pick(kEnNoun));
      d.publisher = W(rng, kEnFictionPublishers);
      d.class_no = "874.57";
      break;
    case 2:
      d.title = fmt::format("A {} in {}", rng.Pick(kEnNoun), rng.Pick(kEnPlace));
      d.publisher = W(rng, kEnFictionPublishers);
      d.class_no = "874.57";
      break;
    case 3:
      d.title = rng.Chance(0.5) ? fmt::format("The {} Who {}", rng.Pick(kEnAnimal), rng.Pick(kEnVerb))
                                : fmt::format("Goodnight, Little {}", rng.Pick(kEnAnimal));
      d.publisher = W(rng, kEnKidsPublishers);
      d.class_no = "874.59";
      break;
    case 4: {
      const auto& n = rng.Pick(kEnNonfiction);
      d.title = fmt::format(fmt::runtime(n.title), rng.Pick(kEnSubjects));
      d.publisher = std::string(n.publisher);
      d.class_no = std::string(n.class_no);
      break;
    }
    default: {
      const auto& n = rng.Pick(kEnTech);
      d.title = std::string(n.title);
      d.publisher = std::string(n.publisher);
      d.class_no = std::string(n.class_no);
      break;
    }
  }
  return d;
}

// A few records patrons will search for with two characters (台中, 旅行, 貓咪, 歷史).
struct Fixed {
  std::string_view title, author, publisher, class_no;
  int year;
};
constexpr Fixed kFixedRecords[] = {
    {"台中歷史散步", "林佩君著", "玉山社", "733.9/115.2", 2021},
    {"貓咪旅行日記", "陳詩涵文‧圖", "小魯文化", "859.6", 2023},
    {"台灣歷史地圖", "黃建宏等編著", "遠流", "733.21", 2018},
    {"台中小旅行：山線海線一日遊", "張家瑜文‧攝影", "太雅", "733.69", 2025},
    {"帶著貓咪去旅行", "吳欣怡著", "晨星", "437.364", 2022},
    {"一本書讀懂台灣歷史", "蔡明哲著", "商周", "733.21", 2024},
    {"台中老建築的歷史", "賴俊宏著", "前衛", "733.9/115.2", 2019},
    {"旅行的意義", "許宜蓁著", "大塊文化", "855", 2020},
    {"貓咪說的話", "楊雅婷著", "野人", "437.364", 2024},
    {"台中美食地圖", "郭冠宇著", "四塊玉", "733.69", 2026},
};

// A four-digit author number for the call number, stable for a name (FNV-1a, not std::hash).
int AuthorNumber(std::string_view author) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : author.substr(0, std::min<std::size_t>(author.size(), 3))) h = (h ^ c) * 16777619u;
  return 1000 + static_cast<int>(h % 9000);
}

std::string Isbn(Rng& rng, bool english, std::set<std::string>& used) {
  for (;;) {
    std::string first12 = english ? (rng.Chance(0.5) ? "9780" : "9781") + fmt::format("{:08}", rng.Uniform(0, 99999999))
                                  : (rng.Chance(0.5) ? "978957" : "978986") + fmt::format("{:06}", rng.Uniform(0, 999999));
    std::string isbn = first12 + Isbn13CheckDigit(first12);
    if (used.insert(isbn).second) return isbn;
  }
}

int Year(Rng& rng, int oldest, int max_year) {
  // Most of a public library's borrowed collection is recent.
  int back = static_cast<int>(-8.0 * std::log(1.0 - rng.Real()));
  return std::max(oldest, max_year - std::min(back, max_year - oldest));
}

std::vector<double> BranchWeights() {
  std::vector<double> w;
  for (const auto& b : kBranches) w.push_back(b.weight);
  return w;
}

}  // namespace

std::span<const BranchSeed> Branches() { return kBranches; }

char Isbn13CheckDigit(std::string_view first12) {
  int sum = 0;
  for (std::size_t i = 0; i < 12 && i < first12.size(); ++i) sum += (first12[i] - '0') * (i % 2 == 0 ? 1 : 3);
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

ShowcaseBibs MakeShowcaseBibs() {
  auto item = [](std::string barcode, std::string branch, std::string call) {
    return ItemInput{std::move(barcode), std::move(branch), true, "book", std::move(call)};
  };
  ShowcaseBibs s;
  s.popular = {"那年夏天，我們在台中", "林書妤著", "皇冠", 2026, "9789573341235", "863.57",
               {item("C000000001", "MAIN", "863.57 4434 2026"), item("C000000002", "XITUN", "863.57 4434 2026 c.2"),
                item("C000000003", "BEITUN", "863.57 4434 2026 c.3")}};
  s.ready = {"台中老街散步地圖", "廖志豪文‧攝影", "玉山社", 2024, "9789863940128", "733.9/115.69",
             {item("C000000004", "MAIN", "733.9/115.69 0041 2024")}};
  s.transit = {"石虎回家", "陳子晴文‧圖", "小魯文化", 2025, "9789862115374", "859.6",
               {item("C000000005", "XITUN", "859.6 7529 2025")}};
  // Keep the fixed ISBNs honest.
  for (auto* b : {&s.popular, &s.ready, &s.transit}) b->isbn[12] = Isbn13CheckDigit(b->isbn);
  return s;
}

std::vector<BibInput> GenerateCatalog(Rng& rng, int chinese, int english, int max_year) {
  struct Category {
    double weight;
    Draft (*make)(Rng&);
  };
  const Category categories[] = {{18, Novel},      {14, PictureBook},   {10, Comic},   {8, Travel},   {7, Cooking},
                                 {7, TaiwanHistory}, {8, Science},     {5, Parenting}, {6, SelfHelp}, {4, Finance},
                                 {3, Pets},        {5, Essay},          {5, Mystery},  {4, TranslatedNovel},
                                 {3, Language},    {2, Poetry}};
  std::vector<double> category_weights;
  for (const auto& c : categories) category_weights.push_back(c.weight);
  const auto branch_weights = BranchWeights();

  std::set<std::string> isbns, titles;
  std::vector<BibInput> out;
  int next_barcode = 300000001;
  auto add = [&](const Draft& d, int year) {
    BibInput b;
    b.title = d.title;
    b.author = d.author;
    b.publisher = d.publisher;
    b.year = year;
    b.isbn = Isbn(rng, d.english, isbns);
    b.class_no = d.class_no;
    // Copies: most titles one or two, popular ones up to five.
    static constexpr double kCopies[] = {35, 30, 18, 10, 7};
    int copies = static_cast<int>(rng.Weighted(kCopies)) + 1;
    auto call = fmt::format("{} {} {}", d.class_no, AuthorNumber(d.author), year);
    for (int c = 0; c < copies; ++c) {
      ItemInput it;
      it.barcode = fmt::format("C{:09}", next_barcode);
      next_barcode += rng.Uniform(1, 3);
      it.branch = std::string(kBranches[rng.Weighted(branch_weights)].code);
      it.call_number = c == 0 ? call : fmt::format("{} c.{}", call, c + 1);
      if (d.reference && c == 0 && copies > 1 && rng.Chance(0.25)) {
        it.item_type = "reference";
        it.loanable = false;
        it.call_number = "R " + call;
      }
      b.items.push_back(it);
      if (d.with_cd && it.loanable) {
        ItemInput cd = it;
        cd.barcode = fmt::format("C{:09}", next_barcode++);
        cd.item_type = "attachment";
        cd.call_number = it.call_number + " 附光碟";
        b.items.push_back(cd);
      }
    }
    out.push_back(std::move(b));
  };

  for (const auto& f : kFixedRecords) {
    Draft d{std::string(f.title), std::string(f.author), std::string(f.publisher), std::string(f.class_no)};
    titles.insert(d.title);
    add(d, std::min(f.year, max_year));
  }
  // The word lists run out eventually: prefer new titles, then allow a new edition, then a repeat
  // (different books do share titles).
  auto fresh = [&, misses = 0](Draft& d) mutable {
    bool is_new = titles.insert(d.title).second;
    if (!is_new && rng.Chance(0.1) && titles.insert(d.title + "（新版）").second) {
      d.title += "（新版）";
      is_new = true;
    }
    if (!is_new && ++misses < 50) return false;
    misses = 0;
    return true;
  };
  while (static_cast<int>(out.size()) < chinese) {
    Draft d = categories[rng.Weighted(category_weights)].make(rng);
    if (fresh(d)) add(d, Year(rng, d.oldest, max_year));
  }
  for (int made = 0; made < english;) {
    Draft d = English(rng);
    if (!fresh(d)) continue;
    add(d, Year(rng, 1990, max_year));
    ++made;
  }
  return out;
}

std::vector<DemoPatron> GeneratePatrons(Rng& rng, int n) {
  constexpr std::string_view kSchools[] = {"文昌", "仁愛", "光明", "忠孝", "信義", "和平", "大同", "建國",
                                           "中山", "自由", "育英", "新興", "永春", "長安", "立人", "惠文"};
  constexpr std::string_view kGroupKinds[] = {"國小", "國中", "幼兒園", "社區發展協會", "讀書會", "樂齡學習中心"};
  static constexpr std::string_view kDistricts[] = {"北屯", "西屯", "南屯", "大里", "太平", "豐原", "清水", "沙鹿",
                                                    "大甲", "東勢", "霧峰", "烏日", "大雅", "潭子", "神岡", "后里"};
  std::vector<double> surname_weights;
  for (const auto& s : kSurnames) surname_weights.push_back(s.weight);
  const auto branch_weights = BranchWeights();

  std::set<int> numbers;
  std::vector<DemoPatron> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    int number = 0;
    do number = rng.Uniform(100000000, 999999999);
    while (!numbers.insert(number).second);
    DemoPatron p;
    p.input.card = fmt::format("T{:09}", number);
    double kind = rng.Real();
    const auto& sur = kSurnames[rng.Weighted(surname_weights)];
    const auto& given = rng.Pick(kGiven);
    std::string full = std::string(sur.zh) + std::string(given.zh);
    if (kind < 0.87) {
      p.input.type = CardType::kPersonal;
      p.input.name = full;
      if (rng.Chance(0.88)) {
        switch (rng.Uniform(0, 2)) {
          case 0: p.input.email = fmt::format("{}.{}@example.org", given.en, sur.en); break;
          case 1: p.input.email = fmt::format("{}{}{:02}@example.org", given.en, sur.en, rng.Uniform(0, 99)); break;
          default: p.input.email = fmt::format("{}{}{}@example.org", sur.en, given.en, rng.Uniform(1960, 2015)); break;
        }
      }
    } else if (kind < 0.97) {
      p.input.type = CardType::kFamily;
      p.input.name = fmt::format("{}家（{}）", sur.zh, full);
      if (rng.Chance(0.9)) p.input.email = fmt::format("{}.family{:03}@example.org", sur.en, rng.Uniform(1, 999));
    } else {
      p.input.type = CardType::kGroup;
      auto group_kind = rng.Pick(kGroupKinds);
      auto district = rng.Pick(kDistricts);
      p.input.name = group_kind == "國小" || group_kind == "國中"
                         ? fmt::format("臺中市{}區{}{}", district, rng.Pick(kSchools), group_kind)
                         : fmt::format("{}{}{}", district, rng.Pick(kSchools), group_kind);
      p.input.email = fmt::format("group{:04}@example.org", i);
    }
    p.home_branch = rng.Weighted(branch_weights);
    // A quarter registered but did not come in these three months; the rest from occasional to weekly.
    p.activity = rng.Chance(0.25) ? 0.0 : std::min(12.0, std::pow(1.0 - rng.Real(), -0.7));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace bookstamp::demo
