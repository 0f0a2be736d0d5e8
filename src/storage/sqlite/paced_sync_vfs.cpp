#include "storage/sqlite/paced_sync_vfs.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <new>
#include <stdexcept>
#include <vector>

namespace bookstamp {
namespace {

constexpr const char* kName = "bookstamp-paced";

sqlite3_vfs g_vfs;
sqlite3_vfs* g_base = nullptr;
std::atomic<std::uint64_t> g_paced_syncs{0};
std::atomic<std::uint64_t> g_paced_slices{0};

// Our file: this header, then the default VFS's file (its size is the base's szOsFile).
struct PacedFile {
  sqlite3_file base;
  int own_fd;  // the main database file opened again, read-only, for sync_file_range; else -1
  // Slices written since the last sync (a connection's file is used by one thread at a time); null
  // when not tracked. `whole_file` when a slice could not be recorded: the next sync walks it all.
  std::vector<std::int64_t>* dirty;
  bool whole_file;
};

constexpr std::size_t kRealOffset = (sizeof(PacedFile) + 15) & ~std::size_t{15};

sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kRealOffset); }
PacedFile* Paced(sqlite3_file* f) { return reinterpret_cast<PacedFile*>(f); }

// Writes back the slices written since the last sync one at a time, each waited for, so that other
// syncs on the disk interleave with them. The default sync that follows finds little left to do.
void WriteBackInSlices(PacedFile& p) {
  if (p.own_fd < 0 || p.dirty == nullptr) return;
  constexpr unsigned kFlags = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
  if (p.whole_file) {
    struct stat st {};
    if (::fstat(p.own_fd, &st) == 0) {
      for (off_t at = 0; at < st.st_size; at += kPacedSyncSlice) {
        if (::sync_file_range(p.own_fd, at, kPacedSyncSlice, kFlags) != 0) break;
        g_paced_slices.fetch_add(1, std::memory_order_relaxed);
      }
    }
  } else {
    std::ranges::sort(*p.dirty);
    const auto [end, last] = std::ranges::unique(*p.dirty);
    for (auto it = p.dirty->begin(); it != end; ++it) {
      if (::sync_file_range(p.own_fd, *it * kPacedSyncSlice, kPacedSyncSlice, kFlags) != 0) break;
      g_paced_slices.fetch_add(1, std::memory_order_relaxed);
    }
  }
  p.dirty->clear();
  p.whole_file = false;
  g_paced_syncs.fetch_add(1, std::memory_order_relaxed);
}

void NoteWrite(PacedFile& p, sqlite3_int64 off, int n) {
  if (p.dirty == nullptr || p.whole_file || n <= 0) return;
  try {
    for (std::int64_t slice = off / kPacedSyncSlice; slice <= (off + n - 1) / kPacedSyncSlice; ++slice) {
      if (p.dirty->empty() || p.dirty->back() != slice) p.dirty->push_back(slice);
    }
  } catch (...) {
    p.whole_file = true;
  }
}

int Close(sqlite3_file* f) {
  PacedFile* p = Paced(f);
  if (p->own_fd >= 0) ::close(p->own_fd);
  p->own_fd = -1;
  delete p->dirty;
  p->dirty = nullptr;
  return Real(f)->pMethods->xClose(Real(f));
}
int Read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) { return Real(f)->pMethods->xRead(Real(f), buf, n, off); }
int Write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  const int rc = Real(f)->pMethods->xWrite(Real(f), buf, n, off);
  if (rc == SQLITE_OK) NoteWrite(*Paced(f), off, n);
  return rc;
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) { return Real(f)->pMethods->xTruncate(Real(f), size); }
int Sync(sqlite3_file* f, int flags) {
  WriteBackInSlices(*Paced(f));
  return Real(f)->pMethods->xSync(Real(f), flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) { return Real(f)->pMethods->xFileSize(Real(f), size); }
int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) { return Real(f)->pMethods->xCheckReservedLock(Real(f), out); }
int FileControl(sqlite3_file* f, int op, void* arg) { return Real(f)->pMethods->xFileControl(Real(f), op, arg); }
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) { return Real(f)->pMethods->xDeviceCharacteristics(Real(f)); }
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) { return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags); }
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int del) { return Real(f)->pMethods->xShmUnmap(Real(f), del); }
int Fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) { return Real(f)->pMethods->xFetch(Real(f), off, n, out); }
int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) { return Real(f)->pMethods->xUnfetch(Real(f), off, p); }

const sqlite3_io_methods kMethods = {
    .iVersion = 3,
    .xClose = Close,
    .xRead = Read,
    .xWrite = Write,
    .xTruncate = Truncate,
    .xSync = Sync,
    .xFileSize = FileSize,
    .xLock = Lock,
    .xUnlock = Unlock,
    .xCheckReservedLock = CheckReservedLock,
    .xFileControl = FileControl,
    .xSectorSize = SectorSize,
    .xDeviceCharacteristics = DeviceCharacteristics,
    .xShmMap = ShmMap,
    .xShmLock = ShmLock,
    .xShmBarrier = ShmBarrier,
    .xShmUnmap = ShmUnmap,
    .xFetch = Fetch,
    .xUnfetch = Unfetch,
};

int Open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  PacedFile* p = Paced(f);
  p->base.pMethods = nullptr;
  p->own_fd = -1;
  p->dirty = nullptr;
  p->whole_file = false;
  const int rc = g_base->xOpen(g_base, name, Real(f), flags, out_flags);
  if (Real(f)->pMethods == nullptr) return rc;
  // Every method is forwarded as is; a base file of an older interface would need its own table.
  if (Real(f)->pMethods->iVersion < 3) {
    Real(f)->pMethods->xClose(Real(f));
    return SQLITE_CANTOPEN;
  }
  p->base.pMethods = &kMethods;
  if (rc == SQLITE_OK && (flags & SQLITE_OPEN_MAIN_DB) && name != nullptr) {
    p->own_fd = ::open(name, O_RDONLY | O_CLOEXEC);
    if (p->own_fd >= 0) p->dirty = new (std::nothrow) std::vector<std::int64_t>();
  }
  return rc;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) { return g_base->xDelete(g_base, name, sync_dir); }
int Access(sqlite3_vfs*, const char* name, int flags, int* out) { return g_base->xAccess(g_base, name, flags, out); }
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_base->xFullPathname(g_base, name, n, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return g_base->xDlOpen(g_base, name); }
void DlError(sqlite3_vfs*, int n, char* out) { g_base->xDlError(g_base, n, out); }
void (*DlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) { return g_base->xDlSym(g_base, handle, symbol); }
void DlClose(sqlite3_vfs*, void* handle) { g_base->xDlClose(g_base, handle); }
int Randomness(sqlite3_vfs*, int n, char* out) { return g_base->xRandomness(g_base, n, out); }
int Sleep(sqlite3_vfs*, int us) { return g_base->xSleep(g_base, us); }
int CurrentTime(sqlite3_vfs*, double* out) { return g_base->xCurrentTime(g_base, out); }
int GetLastError(sqlite3_vfs*, int n, char* out) { return g_base->xGetLastError(g_base, n, out); }
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) { return g_base->xCurrentTimeInt64(g_base, out); }

void Register() {
  g_base = sqlite3_vfs_find(nullptr);
  if (g_base == nullptr || g_base->iVersion < 2) throw std::runtime_error("SQLite has no default VFS to pace");
  g_vfs = sqlite3_vfs{};
  g_vfs.iVersion = 2;
  g_vfs.szOsFile = static_cast<int>(kRealOffset) + g_base->szOsFile;
  g_vfs.mxPathname = g_base->mxPathname;
  g_vfs.zName = kName;
  g_vfs.xOpen = Open;
  g_vfs.xDelete = Delete;
  g_vfs.xAccess = Access;
  g_vfs.xFullPathname = FullPathname;
  g_vfs.xDlOpen = DlOpen;
  g_vfs.xDlError = DlError;
  g_vfs.xDlSym = DlSym;
  g_vfs.xDlClose = DlClose;
  g_vfs.xRandomness = Randomness;
  g_vfs.xSleep = Sleep;
  g_vfs.xCurrentTime = CurrentTime;
  g_vfs.xGetLastError = GetLastError;
  g_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  if (const int rc = sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0); rc != SQLITE_OK) {
    throw std::runtime_error(std::string("cannot register the SQLite VFS: ") + sqlite3_errstr(rc));
  }
}

}  // namespace

const char* PacedSyncVfs() {
  static std::once_flag once;
  std::call_once(once, Register);
  return kName;
}

std::uint64_t PacedSyncs() { return g_paced_syncs.load(std::memory_order_relaxed); }
std::uint64_t PacedSlices() { return g_paced_slices.load(std::memory_order_relaxed); }

}  // namespace bookstamp
