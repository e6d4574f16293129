#include "host/scripting/engine.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include <pthread.h>

namespace switchboard::scripting {

namespace fs = std::filesystem;

// A script that loaded: what every thread builds its sandbox from.
struct engine::published {
    std::uint64_t version = 0;
    script_source source;
    std::shared_ptr<const module_sources> modules;
};

struct engine::org_entry {
    org_profile profile;
    fs::path path;
    std::string display;  // "scripts/orgs/acme.lua"-like name used in errors
    file_stamp stamp;     // of the file last tried (loaded or not)
    file_stamp seen;      // at the watcher's previous look: a file is read once it stops changing
    std::shared_ptr<const published> current;  // null: no script
    std::atomic<std::uint64_t> version{0};
    std::atomic<unsigned> hooks{0};  // bit i: hook_names[i] defined by `current`
    std::string error;
    std::chrono::system_clock::time_point loaded_at{};
};

struct engine::thread_slot {
    struct box {
        std::uint64_t version = 0;
        std::unique_ptr<sandbox> sb;
    };
    std::map<std::string, box, std::less<>> boxes;
};

namespace {

std::atomic<std::uint64_t> next_serial{1};

unsigned hook_bit(std::string_view hook) {
    for (std::size_t i = 0; i < hook_names.size(); ++i)
        if (hook_names[i] == hook) return 1u << i;
    return 0;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// How errors name a file: relative to the scripts folder's parent when inside it.
std::string display_name(const fs::path& dir, const fs::path& file) {
    auto rel = file.lexically_relative(dir.parent_path());
    if (rel.empty() || rel.native().rfind("..", 0) == 0) return file.string();
    return rel.generic_string();
}

}  // namespace

engine::engine(options opts, std::vector<org_profile> orgs, std::shared_ptr<const services> host)
    : opts_(std::move(opts)), host_(std::move(host)), serial_(next_serial++) {
    for (auto& p : orgs) {
        auto e = std::make_unique<org_entry>();
        e->path = opts_.directory / "orgs" / (p.id + ".lua");
        e->display = display_name(opts_.directory, e->path);
        e->profile = std::move(p);
        orgs_.emplace(e->profile.id, std::move(e));
    }
    reload_files(false);
    if (opts_.reload_interval.count() > 0)
        watcher_ = std::thread([this] {
            pthread_setname_np(pthread_self(), "sb-scripts");
            watch();
        });
}

engine::~engine() {
    {
        std::lock_guard lock(watch_mutex_);
        stopping_ = true;
    }
    watch_wake_.notify_all();
    if (watcher_.joinable()) watcher_.join();
}

void engine::watch() {
    std::unique_lock lock(watch_mutex_);
    while (!watch_wake_.wait_for(lock, opts_.reload_interval, [this] { return stopping_; })) {
        lock.unlock();
        try {
            reload_files(true);
        } catch (const std::exception& e) {
            spdlog::error("scripts: reload failed: {}", e.what());
        }
        lock.lock();
    }
}

bool engine::scan_modules(bool settle) {
    std::map<std::string, file_stamp> stamps;
    std::map<std::string, fs::path> files;
    auto lib = opts_.directory / "lib";
    std::error_code ec;
    if (fs::is_directory(lib, ec)) {
        for (auto it = fs::recursive_directory_iterator(lib, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec)) {
            if (!it->is_regular_file(ec) || it->path().extension() != ".lua") continue;
            auto rel = it->path().lexically_relative(lib);
            rel.replace_extension();
            std::string name = rel.generic_string();
            std::replace(name.begin(), name.end(), '/', '.');
            file_stamp st{it->last_write_time(ec), it->file_size(ec), true};
            stamps[name] = st;
            files[name] = it->path();
        }
    }
    if (modules_ && stamps == module_stamps_) return false;
    const bool settled = !settle || stamps == module_seen_;
    module_seen_ = stamps;
    if (modules_ && !settled) return false;  // still being written: look again next time
    auto mods = std::make_shared<module_sources>();
    for (auto const& [name, path] : files) {
        try {
            mods->emplace(name, script_source{display_name(opts_.directory, path), read_file(path)});
        } catch (const std::exception& e) {
            spdlog::error("scripts: {}", e.what());
        }
    }
    module_stamps_ = std::move(stamps);
    modules_ = std::move(mods);
    return true;
}

void engine::reload() { reload_files(false); }

void engine::reload_files(bool settle) {
    std::lock_guard guard(reload_mutex_);
    bool modules_changed = scan_modules(settle);
    for (auto& [id, e] : orgs_) load_org(*e, modules_changed, settle);
}

void engine::load_org(org_entry& e, bool modules_changed, bool settle) {
    std::error_code ec;
    file_stamp st;
    st.exists = fs::is_regular_file(e.path, ec);
    if (st.exists) {
        st.mtime = fs::last_write_time(e.path, ec);
        st.size = fs::file_size(e.path, ec);
    }
    // The watcher reads a changed file only once it looks the same as at its previous
    // look, so a file an editor or a deploy is still writing is never loaded half-way
    // (a truncated script may well be valid Lua, with fewer hooks).
    const bool settled = !settle || st == e.seen;
    e.seen = st;
    if (st == e.stamp && !modules_changed) return;
    if (!settled) return;
    e.stamp = st;
    if (!st.exists) {
        std::lock_guard lock(mutex_);
        if (e.current) {
            spdlog::info("scripts: org {}: {} was removed; the org runs on its defaults", e.profile.id, e.display);
            e.current.reset();
            e.hooks = 0;
            e.version.fetch_add(1);
        }
        e.error.clear();
        return;
    }
    auto next = std::make_shared<published>();
    next->modules = modules_;
    next->source.name = e.display;
    unsigned hooks = 0;
    try {
        next->source.text = read_file(e.path);
        // Loading it here first is the check: a script that does not load never serves.
        sandbox trial(e.profile, next->source, next->modules, opts_.lim, host_);
        for (auto h : hook_names)
            if (trial.has(h)) hooks |= hook_bit(h);
    } catch (const std::exception& ex) {
        {
            std::lock_guard lock(mutex_);
            e.error = ex.what();
        }
        spdlog::error("scripts: org {}: {} failed to load; {}: {}", e.profile.id, e.display,
                      e.current ? "the previous version keeps serving" : "the org runs on its defaults", ex.what());
        if (opts_.on_load) opts_.on_load(e.profile.id, false);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        next->version = e.version.load() + 1;
        e.current = next;
        e.error.clear();
        e.loaded_at = std::chrono::system_clock::now();
        e.hooks = hooks;
        e.version.store(next->version, std::memory_order_release);
    }
    spdlog::info("scripts: org {}: loaded {} (version {})", e.profile.id, e.display, next->version);
    if (opts_.on_load) opts_.on_load(e.profile.id, true);
}

engine::org_entry* engine::find(std::string_view org) const {
    auto it = orgs_.find(org);
    return it == orgs_.end() ? nullptr : it->second.get();
}

engine::thread_slot& engine::slot() {
    thread_local struct {
        std::uint64_t serial = 0;
        thread_slot* slot = nullptr;
    } cached;
    if (cached.serial != serial_) {
        std::lock_guard lock(slots_mutex_);
        auto& s = slots_[std::this_thread::get_id()];
        if (!s) s = std::make_unique<thread_slot>();
        cached.serial = serial_;
        cached.slot = s.get();
    }
    return *cached.slot;
}

bool engine::has_hook(std::string_view org, std::string_view hook) const {
    auto* e = find(org);
    return e && (e->hooks.load(std::memory_order_acquire) & hook_bit(hook)) != 0;
}

hook_result engine::call(std::string_view org, std::string_view hook, std::span<const boost::json::value> args) {
    hook_result r;
    auto* e = find(org);
    if (!e || !(e->hooks.load(std::memory_order_acquire) & hook_bit(hook))) return r;
    // Looked up by view: a hook call allocates no key once this thread has its box.
    auto& boxes = slot().boxes;
    auto found = boxes.find(org);
    if (found == boxes.end()) found = boxes.emplace(std::string(org), thread_slot::box{}).first;
    auto& box = found->second;
    auto version = e->version.load(std::memory_order_acquire);
    if (!box.sb || box.version != version) {
        std::shared_ptr<const published> pub;
        {
            std::lock_guard lock(mutex_);
            pub = e->current;
        }
        box.sb.reset();
        if (!pub) return r;
        try {
            box.sb = std::make_unique<sandbox>(e->profile, pub->source, pub->modules, opts_.lim, host_);
            box.version = pub->version;
        } catch (const load_error& ex) {
            r.state = hook_result::status::failed;
            r.failure = ex.kind();
            r.error = ex.what();
            log_failure(e->profile.id, hook, r);
            return r;
        }
    }
    r = box.sb->call(hook, args);
    if (r.state == hook_result::status::failed) {
        log_failure(e->profile.id, hook, r);
        if (box.sb->spoiled()) box.sb.reset();  // rebuilt from the same version next time
    }
    return r;
}

void engine::log_failure(const std::string& org, std::string_view hook, const hook_result& r) {
    if (opts_.on_failure) opts_.on_failure(org, hook, r.failure);
    auto key = org + "/" + std::string(hook);
    auto now = std::chrono::steady_clock::now();
    std::uint64_t suppressed = 0;
    {
        std::lock_guard lock(log_mutex_);
        auto& [last, count] = last_logged_[key];
        if (last.time_since_epoch().count() != 0 && now - last < std::chrono::seconds(1)) {
            ++count;
            return;
        }
        suppressed = count;
        last = now;
        count = 0;
    }
    if (suppressed)
        spdlog::error("lua org {} hook {}: {} ({}); {} more failures since the last report; the default applies",
                      org, hook, r.error, to_string(r.failure), suppressed);
    else
        spdlog::error("lua org {} hook {}: {} ({}); the default applies", org, hook, r.error, to_string(r.failure));
}

std::optional<engine::org_status> engine::status(std::string_view org) const {
    auto* e = find(org);
    if (!e) return std::nullopt;
    std::lock_guard lock(mutex_);
    org_status s;
    s.org = e->profile.id;
    s.path = e->display;
    s.present = e->current != nullptr;
    s.version = e->version.load();
    for (auto h : hook_names)
        if (e->hooks.load() & hook_bit(h)) s.hooks.emplace_back(h);
    s.error = e->error;
    s.loaded_at = e->loaded_at;
    return s;
}

std::vector<engine::org_status> engine::statuses() const {
    std::vector<org_status> out;
    for (auto const& [id, e] : orgs_)
        if (auto s = status(id)) out.push_back(std::move(*s));
    return out;
}

}  // namespace switchboard::scripting
