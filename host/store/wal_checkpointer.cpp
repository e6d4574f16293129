#include "host/store/wal_checkpointer.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <pthread.h>

namespace switchboard::store {

wal_checkpointer::wal_checkpointer(std::string connect, std::chrono::milliseconds interval)
    : connect_(std::move(connect)),
      interval_(interval),
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

bool wal_checkpointer::checkpoint(soci::session& s, const char* mode) {
    int busy = 0, log_frames = 0, done_frames = 0;
    s << std::string("PRAGMA wal_checkpoint(") + mode + ")", soci::into(busy), soci::into(log_frames),
        soci::into(done_frames);
    std::lock_guard lock(mutex_);
    ++runs_;
    return busy == 0 && done_frames >= log_frames;
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
    bool caught_up = true;
    for (;;) {
        bool last = false;
        {
            std::unique_lock lock(mutex_);
            last = caught_up ? wake_.wait_for(lock, interval_, [this] { return stopping_; }) : stopping_;
        }
        try {
            if (last) {
                checkpoint(s, "TRUNCATE");
                return;
            }
            caught_up = checkpoint(s, "PASSIVE");
        } catch (const std::exception& e) {
            // Busy or locked: the next round tries again; nothing is lost meanwhile.
            spdlog::debug("store: WAL checkpoint: {}", e.what());
            if (last) return;
            caught_up = true;  // wait a round before trying again
        }
    }
}

}  // namespace switchboard::store
