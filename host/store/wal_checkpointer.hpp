// SQLite WAL checkpoints on a thread of their own. By default SQLite copies the WAL
// back into the database inside whichever commit crosses 1000 pages (4 MiB), so one
// webhook batch in every few pays for everyone's pages. Here this thread copies them:
// PASSIVE (writers go on meanwhile), back to back while there is a backlog, every
// `interval` when idle. Under sustained writes a pass never quite catches up, and
// SQLite reuses the WAL only once one has; so the pooled connections keep a high
// autocheckpoint (sqlite_wal_autocheckpoint_pages): the commit that takes the WAL
// past it copies the little left over, and the file starts again from the top.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace soci { class session; }

namespace switchboard::store {

// Pages the WAL may hold before a commit finishes the checkpoint itself (64 MiB).
inline constexpr int sqlite_wal_autocheckpoint_pages = 16384;

class wal_checkpointer {
public:
    // `connect` is the SOCI sqlite3 connection string of the database file.
    wal_checkpointer(std::string connect,
                     std::chrono::milliseconds interval = std::chrono::milliseconds(250));
    ~wal_checkpointer();  // a last TRUNCATE checkpoint, then stops
    wal_checkpointer(const wal_checkpointer&) = delete;
    wal_checkpointer& operator=(const wal_checkpointer&) = delete;

    std::uint64_t runs() const;  // completed checkpoints, for tests

private:
    void loop();
    bool checkpoint(soci::session& s, const char* mode);  // true: caught up

    std::string connect_;
    std::chrono::milliseconds interval_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::uint64_t runs_ = 0;
    std::thread thread_;
};

}  // namespace switchboard::store
