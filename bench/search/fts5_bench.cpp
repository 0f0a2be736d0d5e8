// SQLite FTS5 with the trigram tokenizer on the benchmark's records, timed on the same query mix
// as `GET /api/v1/search` (docs/BENCHMARKS.md "Catalog search"). Reads the MARC file through the
// same reader as `bookstamp import marc`, loads title, author, publisher, subjects, series,
// ISBNs, class number and branches into one FTS5 table, then runs the mix at each thread count.
//
//   bookstamp_fts5_search --marc cat.mrc --queries queries.tsv --db /tmp/fts5.db [--threads "1 16"]
//                         [--seconds 20] [--warmup 2] [--expect-records N]
//
// A query is what FTS5 offers without extra code: every word a phrase (`"臺灣歷史"`, a substring
// match for trigram), `isbn` and `branch` as column filters, `class` as `class_no LIKE '863%'`,
// a count plus a page of 20 by rank. Trigram cannot MATCH fewer than 3 characters, so 1- and
// 2-character words find nothing; for those the LIKE scan a developer would fall back to is timed
// separately (`hits fts5-like`). Prints TSV lines for bench/search/run.sh.
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>

#include "marc/marc_source.hpp"
#include "query_mix.hpp"

namespace {

using bench::search::MixQuery;

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

void Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error(fmt::format("{}: {}", sql, msg));
  }
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::size_t Utf8Chars(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::vector<std::string> Words(const std::string& q) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < q.size()) {
    auto sp = q.find(' ', at);
    if (sp == std::string::npos) sp = q.size();
    if (sp > at) out.push_back(q.substr(at, sp - at));
    at = sp + 1;
  }
  return out;
}

std::string Phrase(const std::string& w) {
  std::string out = "\"";
  for (char c : w) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A mix query as SQL: the WHERE clause and its parameters.
struct SqlQuery {
  std::string where;
  std::vector<std::string> args;
  bool ranked = false;  // has a MATCH, so ORDER BY rank works
  bool short_word = false;
  int offset = 0;
};

SqlQuery ToSql(const MixQuery& q, bool like_fallback) {
  SqlQuery s;
  std::vector<std::string> match, where;
  auto text = q.Param("q");
  bool isbn_like = !text.empty() && text.find_first_not_of("0123456789-Xx") == std::string::npos;
  for (auto w : Words(text)) {
    if (isbn_like) std::erase(w, '-');
    if (Utf8Chars(w) < 3) {
      s.short_word = true;
      if (like_fallback) {
        where.push_back(fmt::format(
            "(title LIKE ?{0} OR author LIKE ?{0} OR publisher LIKE ?{0} OR subjects LIKE ?{0} OR series LIKE ?{0})",
            s.args.size() + 1));
        s.args.push_back("%" + w + "%");
        continue;
      }
    }
    match.push_back(Phrase(w));
  }
  if (auto isbn = q.Param("isbn"); !isbn.empty()) {
    std::erase(isbn, '-');
    match.push_back("isbns : " + Phrase(isbn));
  }
  if (auto b = q.Param("branch"); !b.empty()) match.push_back("branches : " + Phrase(b));
  if (auto c = q.Param("class"); !c.empty()) {
    where.push_back(fmt::format("class_no LIKE ?{}", s.args.size() + 1));
    s.args.push_back(c + "%");
  }
  if (!match.empty()) {
    where.push_back(fmt::format("bib MATCH ?{}", s.args.size() + 1));
    s.args.push_back(Join(match, " AND "));
    s.ranked = true;
  }
  if (where.empty()) where.push_back("1");
  s.where = Join(where, " AND ");
  auto page = q.Param("page");
  s.offset = page.empty() ? 0 : (std::stoi(page) - 1) * 20;
  return s;
}

sqlite3* Open(const std::string& path, bool write) {
  sqlite3* db = nullptr;
  int flags = write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  Check(sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr), db, "open");
  return db;
}

class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql) : db_(db) {
    Check(sqlite3_prepare_v2(db, sql.c_str(), -1, &st_, nullptr), db, sql.c_str());
  }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  void Bind(const std::vector<std::string>& args) {
    sqlite3_reset(st_);
    for (std::size_t i = 0; i < args.size(); ++i)
      sqlite3_bind_text(st_, static_cast<int>(i + 1), args[i].c_str(), static_cast<int>(args[i].size()),
                        SQLITE_TRANSIENT);
  }
  bool Step() {
    int rc = sqlite3_step(st_);
    Check(rc, db_, "step");
    return rc == SQLITE_ROW;
  }
  sqlite3_stmt* get() { return st_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

// One query as the app would run it: the count, then a page of 20. Returns the count.
struct Prepared {
  SqlQuery q;
  std::unique_ptr<Stmt> count, page;
};

Prepared Prepare(sqlite3* db, const MixQuery& mq, bool like_fallback) {
  Prepared p{ToSql(mq, like_fallback), nullptr, nullptr};
  p.count = std::make_unique<Stmt>(db, "SELECT count(*) FROM bib WHERE " + p.q.where);
  p.page = std::make_unique<Stmt>(db, fmt::format("SELECT rowid FROM bib WHERE {} ORDER BY {} LIMIT 20 OFFSET {}",
                                                  p.q.where, p.q.ranked ? "rank" : "rowid", p.q.offset));
  return p;
}

std::int64_t Run(Prepared& p) {
  p.count->Bind(p.q.args);
  p.count->Step();
  auto n = sqlite3_column_int64(p.count->get(), 0);
  p.page->Bind(p.q.args);
  while (p.page->Step()) {
  }
  return n;
}

std::int64_t Load(const std::string& marc, const std::string& path) {
  std::filesystem::remove(path);
  sqlite3* db = Open(path, true);
  Exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");
  Exec(db,
       "CREATE VIRTUAL TABLE bib USING fts5(title, author, publisher, subjects, series, isbns, class_no, branches, "
       "tokenize='trigram')");
  Stmt ins(db, "INSERT INTO bib(rowid, title, author, publisher, subjects, series, isbns, class_no, branches) "
               "VALUES (?,?,?,?,?,?,?,?,?)");
  bookstamp::marc::MarcSource source(bookstamp::marc::MarcReader::OpenFile(marc));
  std::int64_t n = 0, refused = 0;
  Exec(db, "BEGIN");
  while (auto e = source.Next()) {
    if (e->kind != bookstamp::CatalogRecordSource::Entry::Kind::kRecord) {
      ++refused;
      continue;
    }
    const auto& r = e->record;
    std::set<std::string> branches;
    for (const auto& it : r.bib.items) branches.insert(it.branch);
    auto join_v = [](const std::string& a, const std::string& b) { return b.empty() ? a : a + " " + b; };
    std::vector<std::string> cols{join_v(r.bib.title, r.title_vernacular),
                                  join_v(r.bib.author, r.author_vernacular),
                                  join_v(r.bib.publisher, r.publisher_vernacular),
                                  Join(r.subjects, "\n"),
                                  Join(r.series, "\n"),
                                  Join(r.isbns, " "),
                                  r.bib.class_no,
                                  Join({branches.begin(), branches.end()}, " ")};
    sqlite3_reset(ins.get());
    sqlite3_bind_int64(ins.get(), 1, ++n);
    for (std::size_t i = 0; i < cols.size(); ++i)
      sqlite3_bind_text(ins.get(), static_cast<int>(i + 2), cols[i].c_str(), static_cast<int>(cols[i].size()),
                        SQLITE_TRANSIENT);
    ins.Step();
    if (n % 50000 == 0) {
      Exec(db, "COMMIT");
      Exec(db, "BEGIN");
    }
  }
  Exec(db, "COMMIT");
  Exec(db, "INSERT INTO bib(bib) VALUES('optimize')");
  sqlite3_close(db);
  std::printf("read\t%lld\t%lld\n", static_cast<long long>(n), static_cast<long long>(refused));
  return refused ? -refused : n;
}

}  // namespace

int main(int argc, char** argv) try {
  bench::Flags flags(argc, argv, 1);
  auto mix = bench::search::ReadMix(flags.Str("queries"));
  auto path = flags.Str("db");
  double seconds = flags.Num("seconds", 20), warmup = flags.Num("warmup", 2);
  auto started = bench::Clock::now();
  auto n = Load(flags.Str("marc"), path);
  if (n < 0) throw std::runtime_error(fmt::format("{} records refused by the MARC reader", -n));
  double load_s = bench::MsSince(started, bench::Clock::now()) / 1000;
  std::printf("load\tfts5\t%lld\t%.1f\t%llu\n", static_cast<long long>(n), load_s,
              static_cast<unsigned long long>(std::filesystem::file_size(path)));
  if (flags.Has("expect-records") && n != flags.Int("expect-records"))
    throw std::runtime_error(fmt::format("read {} records, expected {}", n, flags.Int("expect-records")));

  // Hits per query: MATCH as the mix runs it, and the LIKE scan for queries with short words.
  sqlite3* db = Open(path, false);
  int isbn13_found = 0;
  for (const auto& mq : mix) {
    auto p = Prepare(db, mq, false);
    auto t0 = bench::Clock::now();
    auto hits = Run(p);
    std::printf("hits\tfts5-match\t%s\t%s\t%lld\t%.2f\n", mq.cls.c_str(), mq.raw.c_str(), static_cast<long long>(hits),
                bench::MsSince(t0, bench::Clock::now()));
    if (mq.cls == "isbn-13" && hits > 0) ++isbn13_found;
    if (p.q.short_word) {
      auto like = Prepare(db, mq, true);
      Run(like);  // warm the cache, then time one scan
      t0 = bench::Clock::now();
      auto like_hits = Run(like);
      std::printf("hits\tfts5-like\t%s\t%s\t%lld\t%.2f\n", mq.cls.c_str(), mq.raw.c_str(),
                  static_cast<long long>(like_hits), bench::MsSince(t0, bench::Clock::now()));
    }
  }
  sqlite3_close(db);
  std::fflush(stdout);
  // Every generated ISBN-13 exists, so the table must find them: a check that the load worked.
  if (isbn13_found == 0) throw std::runtime_error("no ISBN-13 query found its record");

  std::istringstream counts(flags.Str("threads", "1 16"));
  for (int threads; counts >> threads;) {
    std::vector<sqlite3*> conns;
    std::vector<std::vector<Prepared>> prepared(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t) {
      conns.push_back(Open(path, false));
      for (const auto& mq : mix) prepared[static_cast<std::size_t>(t)].push_back(Prepare(conns.back(), mq, false));
    }
    bench::search::RunMix("fts5", mix, threads, warmup, seconds, [&](int t, std::size_t i) {
      auto t0 = bench::Clock::now();
      Run(prepared[static_cast<std::size_t>(t)][i]);
      return bench::MsSince(t0, bench::Clock::now());
    });
    prepared.clear();
    for (auto* c : conns) sqlite3_close(c);
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bookstamp_fts5_search: " << e.what() << "\n";
  return 1;
}
