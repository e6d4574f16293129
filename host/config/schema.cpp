#include "host/config/schema.hpp"

#include "host/config/values.hpp"
#include "host/core/time_zone.hpp"

#include <algorithm>
#include <limits>
#include <regex>
#include <set>

namespace switchboard::config::detail {

namespace fs = std::filesystem;

bool valid_database_url(const std::string& url) {
    // The store parses the rest; here we only catch a typo'd scheme early, with a line.
    // Same prefixes as store::parse_database_url.
    auto has = [&](std::string_view prefix) { return url.size() > prefix.size() && url.rfind(prefix, 0) == 0; };
    return has("sqlite:") || has("postgresql:") || has("postgres://");
}

namespace {

constexpr std::int64_t max_ms = 24LL * 60 * 60 * 1000;  // a day: anything longer is a typo

template <class F>
void with(const std::map<std::string, node_ref>& m, const char* key, F&& f) {
    if (const auto it = m.find(key); it != m.end()) f(it->second);
}

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

std::string one_of(std::initializer_list<const char*> allowed) {
    std::string out = "expected one of ";
    bool first = true;
    for (const char* a : allowed) {
        out += first ? "" : ", ";
        out += a;
        first = false;
    }
    return out;
}

class schema {
public:
    schema(reader& r, fs::path base_dir, config& out) : r_(r), base_(std::move(base_dir)), c_(out) {}

    void document(const YAML::Node& root) {
        const node_ref top{root, line_of(root, 1), ""};
        auto m = r_.mapping(top,
                            {"server", "database", "logging", "auth", "plugins", "scripting", "knowledge", "orgs",
                             "default_org"});
        if (!m) return;
        with(*m, "server", [&](const node_ref& v) { server(v); });
        with(*m, "database", [&](const node_ref& v) { database(v); });
        with(*m, "logging", [&](const node_ref& v) { logging(v); });
        with(*m, "auth", [&](const node_ref& v) { auth(v); });
        with(*m, "plugins", [&](const node_ref& v) { plugins(v); });
        c_.scripting.directory = resolve("../scripts");
        with(*m, "scripting", [&](const node_ref& v) { scripting(v); });
        with(*m, "knowledge", [&](const node_ref& v) { knowledge(v); });
        if (const auto* v = r_.require(*m, top, "orgs")) orgs(*v);
        const node_ref* default_org = nullptr;
        with(*m, "default_org", [&](const node_ref& v) {
            default_org = &v;
            if (auto s = r_.string(v)) c_.default_org = *s;
        });
        if (default_org && !c_.default_org.empty() && !c_.find_org(c_.default_org))
            r_.problem(*default_org, "no org with id " + in_quotes(c_.default_org));
        else if (c_.default_org.empty() && !c_.orgs.empty())
            c_.default_org = c_.orgs.front().id;
        check_duplicate_keys();
    }

private:
    struct key_origin {
        std::string key;
        std::string path;
        int line;
    };

    void server(const node_ref& v) {
        auto m = r_.mapping(v, {"listen", "io_threads", "worker_threads", "body_limit", "read_timeout_ms",
                                "idle_timeout_ms", "shutdown_grace_ms", "cors_origins", "rate_limit_per_minute"});
        if (!m) return;
        auto& s = c_.server;
        with(*m, "listen", [&](const node_ref& x) {
            const auto text = r_.string(x);
            if (!text) return;
            if (const auto hp = parse_host_port(*text)) {
                s.host = hp->host;
                s.port = hp->port;
            } else {
                r_.problem(x, "expected host:port, got " + in_quotes(*text));
            }
        });
        auto uint = [&](const char* key, unsigned& field, std::int64_t min, std::int64_t max) {
            with(*m, key, [&](const node_ref& x) {
                if (const auto n = r_.integer(x, min, max)) field = static_cast<unsigned>(*n);
            });
        };
        uint("io_threads", s.io_threads, 1, 1024);
        uint("worker_threads", s.worker_threads, 1, 1024);
        uint("read_timeout_ms", s.read_timeout_ms, 1, max_ms);
        uint("idle_timeout_ms", s.idle_timeout_ms, 1, max_ms);
        uint("shutdown_grace_ms", s.shutdown_grace_ms, 0, max_ms);
        uint("rate_limit_per_minute", s.rate_limit_per_minute, 0, 1000000);
        with(*m, "body_limit", [&](const node_ref& x) {
            const char* reason = "expected a size in bytes (an integer, or a string such as \"512KiB\" or \"1MiB\")";
            if (!x.node.IsScalar()) return r_.problem(x, reason);
            const auto text = r_.scalar_text(x);
            if (!text) return;
            const auto bytes = parse_byte_size(*text);
            if (!bytes) return r_.problem(x, std::string(reason) + ", got " + in_quotes(*text));
            if (*bytes == 0) return r_.problem(x, "must be at least 1 byte");
            s.body_limit_bytes = static_cast<std::size_t>(*bytes);
        });
        with(*m, "cors_origins", [&](const node_ref& x) { s.cors_origins = strings(x); });
    }

    void database(const node_ref& v) {
        auto m = r_.mapping(v, {"url", "pool_size"});
        if (!m) return;
        with(*m, "url", [&](const node_ref& x) {
            const auto url = r_.string(x);
            if (!url) return;
            if (valid_database_url(*url)) c_.database.url = *url;
            else r_.problem(x, std::string(database_url_reason) + ", got " + in_quotes(*url));
        });
        with(*m, "pool_size", [&](const node_ref& x) {
            if (const auto n = r_.integer(x, 1, 1024)) c_.database.pool_size = static_cast<unsigned>(*n);
        });
    }

    void logging(const node_ref& v) {
        auto m = r_.mapping(v, {"level", "format"});
        if (!m) return;
        auto choice = [&](const char* key, std::string& field, std::initializer_list<const char*> allowed) {
            with(*m, key, [&](const node_ref& x) {
                const auto text = r_.string(x);
                if (!text) return;
                if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return *text == a; }) ==
                    allowed.end())
                    return r_.problem(x, one_of(allowed) + ", got " + in_quotes(*text));
                field = *text;
            });
        };
        choice("level", c_.logging.level, {"trace", "debug", "info", "warn", "error"});
        choice("format", c_.logging.format, {"text", "json"});
    }

    void auth(const node_ref& v) {
        auto m = r_.mapping(v, {"admin_keys", "jwt_secret", "jwt_issuer"});
        if (!m) return;
        with(*m, "admin_keys", [&](const node_ref& x) { keys(x, "", "admin"); });
        with(*m, "jwt_secret", [&](const node_ref& x) {
            if (auto s = r_.string(x)) c_.auth.jwt_secret = *s;
        });
        with(*m, "jwt_issuer", [&](const node_ref& x) {
            if (auto s = r_.string(x)) c_.auth.jwt_issuer = *s;
        });
    }

    // admin_keys / orgs[].api_keys: strings, or {name, key} mappings.
    void keys(const node_ref& v, const std::string& org, const std::string& name_prefix) {
        const auto items = r_.list(v);
        if (!items) return;
        for (std::size_t i = 0; i < items->size(); ++i) {
            const node_ref& item = (*items)[i];
            api_key k{name_prefix + "[" + std::to_string(i) + "]", "", org};
            node_ref key_ref = item;  // where a problem with the key itself is reported
            if (item.node.IsScalar()) {
                auto s = r_.string(item);
                if (!s) continue;
                k.key = *s;
            } else if (item.node.IsMap()) {
                auto m = r_.mapping(item, {"name", "key"}, false);
                if (!m) continue;
                bool ok = true;
                with(*m, "name", [&](const node_ref& x) {
                    auto s = r_.string(x);
                    if (s && !s->empty()) return void(k.name = *s);
                    if (s) r_.problem(x, "must not be empty");
                    ok = false;
                });
                const node_ref* found = r_.require(*m, item, "key");
                if (!found) continue;
                key_ref = *found;
                auto s = r_.string(key_ref);
                if (!s || !ok) continue;
                k.key = *s;
            } else {
                r_.problem(item, "expected a key string or a mapping with name and key");
                continue;
            }
            if (k.key.empty()) {
                r_.problem(key_ref, "must not be empty");
                continue;
            }
            key_origins_.push_back({k.key, key_ref.path, key_ref.line});
            c_.auth.keys.push_back(std::move(k));
        }
    }

    // A key must identify one caller: report each repeat at its later position.
    void check_duplicate_keys() {
        std::stable_sort(key_origins_.begin(), key_origins_.end(),
                         [](const key_origin& a, const key_origin& b) { return a.line < b.line; });
        std::map<std::string, key_origin> first;
        for (const auto& k : key_origins_) {
            const auto [it, inserted] = first.emplace(k.key, k);
            if (!inserted)  // never print the key itself
                r_.problems().add(k.line, k.path, "duplicate API key (also at " + it->second.path + ", line " +
                                                      std::to_string(it->second.line) + ")");
        }
    }

    void knowledge(const node_ref& v) {
        auto m = r_.mapping(v, {"directory", "follow_interval_ms", "language"});
        if (!m) return;
        auto& k = c_.knowledge;
        with(*m, "directory", [&](const node_ref& x) {
            auto d = r_.string(x);
            if (!d) return;
            if (d->empty()) return r_.problem(x, "must not be empty");
            k.directory = resolve(*d);
        });
        with(*m, "follow_interval_ms", [&](const node_ref& x) {
            if (auto n = r_.integer(x, 0, 3600000)) k.follow_interval_ms = static_cast<unsigned>(*n);
        });
        with(*m, "language", [&](const node_ref& x) {
            auto l = r_.string(x);
            if (!l) return;
            static const char* const known[] = {"none",    "english", "danish",    "dutch",   "finnish", "french",
                                                "german",  "hungarian", "italian", "norwegian", "portuguese",
                                                "romanian", "russian", "spanish",  "swedish", "turkish"};
            for (auto const* name : known)
                if (*l == name) {
                    k.language = *l;
                    return;
                }
            r_.problem(x, "unknown language " + in_quotes(*l) + " (english, french, german, spanish, ... or none)");
        });
    }

    void scripting(const node_ref& v) {
        auto m = r_.mapping(v, {"directory", "instruction_limit", "time_limit_ms", "memory_limit_mb",
                                "reload_interval_ms"});
        if (!m) return;
        auto& s = c_.scripting;
        with(*m, "directory", [&](const node_ref& x) {
            auto d = r_.string(x);
            if (!d) return;
            if (d->empty()) return r_.problem(x, "must not be empty");
            s.directory = resolve(*d);
        });
        with(*m, "instruction_limit", [&](const node_ref& x) {
            if (auto n = r_.integer(x, 1000, std::int64_t(1) << 40)) s.instruction_limit = static_cast<std::uint64_t>(*n);
        });
        with(*m, "time_limit_ms", [&](const node_ref& x) {
            if (auto n = r_.integer(x, 1, 60000)) s.time_limit_ms = static_cast<unsigned>(*n);
        });
        with(*m, "memory_limit_mb", [&](const node_ref& x) {
            if (auto n = r_.integer(x, 1, 4096)) s.memory_limit_mb = static_cast<unsigned>(*n);
        });
        with(*m, "reload_interval_ms", [&](const node_ref& x) {
            if (auto n = r_.integer(x, 0, 3600000)) s.reload_interval_ms = static_cast<unsigned>(*n);
        });
    }

    void plugins(const node_ref& v) {
        auto m = r_.mapping(v, {"directories", "load"});
        if (!m) return;
        with(*m, "directories", [&](const node_ref& x) {
            for (const auto& d : strings(x)) c_.plugins.directories.push_back(resolve(d));
        });
        with(*m, "load", [&](const node_ref& x) {
            const auto items = r_.list(x);
            if (!items) return;
            std::map<std::string, node_ref> seen;  // first occurrence of each name
            for (const auto& item : *items) {
                auto e = r_.mapping(item, {"name", "required", "file", "config"}, false);
                if (!e) continue;
                plugin_entry p;
                p.where = {file(), line_of(item.node, item.line), item.path};
                p.config.where = {file(), p.where.line, child_path(item.path, "config")};
                if (const auto* n = r_.require(*e, item, "name")) {
                    if (auto s = r_.string(*n)) {
                        static const std::regex pattern("[a-z0-9_]+");
                        if (!std::regex_match(*s, pattern))
                            r_.problem(*n, "expected a plugin name matching [a-z0-9_]+, got " + in_quotes(*s));
                        else if (const auto [it, inserted] = seen.emplace(*s, *n); !inserted)
                            r_.problem(*n, "duplicate plugin " + in_quotes(*s) + " (also at " + it->second.path +
                                               ", line " + std::to_string(it->second.line) + ")");
                        p.name = *s;
                    }
                }
                with(*e, "required", [&](const node_ref& y) {
                    if (auto b = r_.boolean(y)) p.required = *b;
                });
                with(*e, "file", [&](const node_ref& y) {
                    auto s = r_.string(y);
                    if (!s) return;
                    if (s->empty()) return r_.problem(y, "must not be empty");
                    p.file = resolve(*s);
                });
                with(*e, "config", [&](const node_ref& y) { p.config = section(y); });
                c_.plugins.load.push_back(std::move(p));
            }
        });
    }

    void orgs(const node_ref& v) {
        const auto items = r_.list(v);
        if (!items) return;
        if (items->empty()) return r_.problem(v, "expected at least one org");
        std::map<std::string, node_ref> seen;  // first occurrence of each name
        for (const auto& item : *items) {
            auto m = r_.mapping(item, {"id", "name", "timezone", "api_keys", "settings", "plugins", "answers", "agents"},
                                false);
            if (!m) continue;
            org_config o;
            o.where = {file(), line_of(item.node, item.line), item.path};
            if (const auto* n = r_.require(*m, item, "id")) {
                if (auto s = r_.string(*n)) {
                    static const std::regex pattern("[a-z0-9][a-z0-9_-]*");
                    if (!std::regex_match(*s, pattern))
                        r_.problem(*n, "expected an org id matching [a-z0-9][a-z0-9_-]*, got " + in_quotes(*s));
                    else if (const auto [it, inserted] = seen.emplace(*s, *n); !inserted)
                        r_.problem(*n, "duplicate org id " + in_quotes(*s) + " (also at " + it->second.path +
                                           ", line " + std::to_string(it->second.line) + ")");
                    o.id = *s;
                }
            }
            o.name = o.id;
            with(*m, "name", [&](const node_ref& x) {
                if (auto s = r_.string(x)) o.name = *s;
            });
            with(*m, "timezone", [&](const node_ref& x) {
                auto s = r_.string(x);
                if (!s) return;
                if (s->empty()) return r_.problem(x, "must not be empty");
                try {
                    core::time_zone::find(*s);
                } catch (const core::time_zone_error& e) {
                    return r_.problem(x, e.what());
                }
                o.timezone = *s;
            });
            with(*m, "api_keys", [&](const node_ref& x) { keys(x, o.id, o.id.empty() ? item.path : o.id); });
            with(*m, "settings", [&](const node_ref& x) {
                if (auto j = r_.json_object(x)) o.settings = std::move(*j);
            });
            with(*m, "answers", [&](const node_ref& x) { answers(x, o.answers); });
            with(*m, "agents", [&](const node_ref& x) { agents(x, o.agents); });
            // Which plugin names exist is known only once plugins load (host/plugins checks).
            with(*m, "plugins", [&](const node_ref& x) {
                auto entries = r_.entries(x);
                if (!entries) return;
                for (const auto& [name, ref] : *entries) o.plugins[name] = section(ref);
            });
            c_.orgs.push_back(std::move(o));
        }
    }

    void answers(const node_ref& v, answers_config& a) {
        auto m = r_.mapping(v, {"assistant_id", "assistant", "assistant_spec", "transfer_number", "transfer_message",
                                "fallback_result", "tool_timeout_ms"});
        if (!m) return;
        auto text = [&](const char* key, std::string& field) {
            with(*m, key, [&](const node_ref& x) {
                if (auto s = r_.string(x)) field = *s;
            });
        };
        text("assistant_id", a.assistant_id);
        text("transfer_number", a.transfer_number);
        text("transfer_message", a.transfer_message);
        text("fallback_result", a.fallback_result);
        with(*m, "assistant", [&](const node_ref& x) {
            if (auto j = r_.json_object(x)) a.assistant = std::move(*j);
        });
        with(*m, "assistant_spec", [&](const node_ref& x) {
            // The canonical fields (calls/assistant_spec.hpp); tool names are checked
            // against the loaded plugins when the host starts.
            if (!r_.mapping(x, {"name", "first_message", "system_prompt", "model", "model_provider", "voice_id",
                                "voice_provider", "metadata", "provider_config", "tools"}))
                return;
            if (auto j = r_.json_object(x)) a.assistant_spec = std::move(*j);
        });
        with(*m, "tool_timeout_ms", [&](const node_ref& x) {
            if (const auto n = r_.integer(x, 1, 60'000)) a.tool_timeout_ms = static_cast<unsigned>(*n);
        });
    }

    void agents(const node_ref& v, std::vector<agent_config>& out) {
        const auto items = r_.list(v);
        if (!items) return;
        std::set<std::string> names;
        for (const auto& item : *items) {
            auto m = r_.mapping(item, {"name", "number", "sip", "skills"});
            if (!m) continue;
            agent_config a;
            if (const auto* n = r_.require(*m, item, "name"))
                if (auto s = r_.string(*n)) {
                    a.name = *s;
                    if (!names.insert(*s).second) r_.problem(*n, "duplicate agent name " + in_quotes(*s));
                }
            with(*m, "number", [&](const node_ref& x) {
                if (auto s = r_.string(x)) a.number = *s;
            });
            with(*m, "sip", [&](const node_ref& x) {
                if (auto s = r_.string(x)) a.sip = *s;
            });
            if (a.number.empty() == a.sip.empty()) r_.problem(item, "an agent needs a number or a sip URI (one of them)");
            with(*m, "skills", [&](const node_ref& x) { a.skills = strings(x); });
            out.push_back(std::move(a));
        }
    }

    plugin_section section(const node_ref& v) {
        plugin_section s;
        s.where = {file(), v.line, v.path};
        if (auto j = r_.json_object(v, &s.key_lines)) s.values = std::move(*j);
        return s;
    }

    std::vector<std::string> strings(const node_ref& v) {
        std::vector<std::string> out;
        if (const auto items = r_.list(v))
            for (const auto& item : *items)
                if (auto s = r_.string(item)) out.push_back(*s);
        return out;
    }

    std::string resolve(const std::string& p) const {
        fs::path path(p);
        if (path.is_relative()) path = base_ / path;
        std::string out = path.lexically_normal().string();
        while (out.size() > 1 && out.back() == '/') out.pop_back();
        return out;
    }

    const std::string& file() { return r_.problems().file(); }

    reader& r_;
    fs::path base_;
    config& c_;
    std::vector<key_origin> key_origins_;
};

}  // namespace

void read_document(reader& r, const YAML::Node& root, const fs::path& base_dir, config& out) {
    schema(r, base_dir, out).document(root);
}

}  // namespace switchboard::config::detail
