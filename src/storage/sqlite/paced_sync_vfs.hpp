// A SQLite VFS over the default one that writes a database file's dirty pages back in slices before
// its sync (docs/BENCHMARKS.md "Checkpoints and the tail"). A checkpoint copies thousands of pages
// into the database file and then syncs it; as one fsync that is a burst of writes that every WAL
// fdatasync queued behind it waits for. Sliced, a WAL sync waits for one slice at most. Only the main
// database file's xSync changes; the WAL, the journal and everything else pass straight through, and
// the final sync is the default VFS's own, so what is durable when is unchanged.
//
//   SqliteConnectionOptions options{.vfs = PacedSyncVfs()};
#pragma once
#include <cstddef>
#include <cstdint>

namespace bookstamp {

// Registers the VFS on first use (thread-safe; not made the default) and returns its name.
const char* PacedSyncVfs();

// Bytes of the file written back per slice (sync_file_range), 256 KiB. Only the slices written
// since the last sync are written back.
inline constexpr std::int64_t kPacedSyncSlice = 256 * 1024;

// Main-database syncs that went through the slices, and slices written back, since start; for tests.
std::uint64_t PacedSyncs();
std::uint64_t PacedSlices();

}  // namespace bookstamp
