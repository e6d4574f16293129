// SQLite WAL checkpoints on a thread of their own. By default SQLite copies the WAL
// back into the database inside whichever commit crosses 1000 pages, so one webhook
// batch in every few pays for everyone's pages. Here the pooled connections never
// checkpoint (wal_autocheckpoint = 0); this thread does, PASSIVE (writers go on
// meanwhile), and RESTART only when the WAL has grown past a limit under sustained
// writes so that it cannot grow without bound.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace soci { class session; }

namespace switchboard::store {

class wal_checkpointer {
public:
    // `connect` is the SOCI sqlite3 connection string of the database file.
    wal_checkpointer(std::string connect, std::string wal_path,
                     std::chrono::milliseconds interval = std::chrono::milliseconds(250),
                     std::uintmax_t restart_above_bytes = 64u << 20);
    ~wal_checkpointer();  // a last TRUNCATE checkpoint, then stops
    wal_checkpointer(const wal_checkpointer&) = delete;
    wal_checkpointer& operator=(const wal_checkpointer&) = delete;

    std::uint64_t runs() const;  // completed checkpoints, for tests

private:
    void loop();
    void checkpoint(soci::session& s, const char* mode);

    std::string connect_;
    std::string wal_path_;
    std::chrono::milliseconds interval_;
    std::uintmax_t restart_above_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::uint64_t runs_ = 0;
    std::thread thread_;
};

}  // namespace switchboard::store
