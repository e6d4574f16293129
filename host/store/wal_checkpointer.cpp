#include "host/store/wal_checkpointer.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include <pthread.h>

namespace switchboard::store {

wal_checkpointer::wal_checkpointer(std::string connect, std::string wal_path, std::chrono::milliseconds interval,
                                   std::uintmax_t restart_above_bytes)
    : connect_(std::move(connect)),
      wal_path_(std::move(wal_path)),
      interval_(interval),
      restart_above_(restart_above_bytes),
      thread_([this] {
          pthread_setname_np(pthread_self(), "sb-checkpoint");
          loop();
      }) {}

wal_checkpointer::~wal_checkpointer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

std::uint64_t wal_checkpointer::runs() const {
    std::lock_guard lock(mutex_);
    return runs_;
}

void wal_checkpointer::checkpoint(soci::session& s, const char* mode) {
    int busy = 0, log_frames = 0, done_frames = 0;
    s << std::string("PRAGMA wal_checkpoint(") + mode + ")", soci::into(busy), soci::into(log_frames),
        soci::into(done_frames);
    std::lock_guard lock(mutex_);
    ++runs_;
}

void wal_checkpointer::loop() {
    soci::session s;
    try {
        s.open(soci::sqlite3, connect_);
        s << "PRAGMA busy_timeout = 5000";
    } catch (const std::exception& e) {
        spdlog::error("store: the WAL checkpointer cannot open the database: {}; SQLite checkpoints in commits",
                      e.what());
        return;
    }
    for (;;) {
        bool last = false;
        {
            std::unique_lock lock(mutex_);
            last = wake_.wait_for(lock, interval_, [this] { return stopping_; });
        }
        try {
            if (last) {
                checkpoint(s, "TRUNCATE");
                return;
            }
            std::error_code ec;
            auto wal_size = std::filesystem::file_size(wal_path_, ec);
            checkpoint(s, !ec && wal_size > restart_above_ ? "RESTART" : "PASSIVE");
        } catch (const std::exception& e) {
            // Busy or locked: the next round tries again; nothing is lost meanwhile.
            spdlog::debug("store: WAL checkpoint: {}", e.what());
            if (last) return;
        }
    }
}

}  // namespace switchboard::store
