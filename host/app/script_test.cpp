#include "host/app/script_test.hpp"

#include "host/app/logging.hpp"
#include "host/app/startup.hpp"
#include "host/calls/answers.hpp"
#include "host/calls/call_state.hpp"
#include "host/config/values.hpp"
#include "host/core/time.hpp"
#include "host/plugins/registry.hpp"
#include "host/scripting/engine.hpp"

#include <boost/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <iostream>
#include <set>

namespace switchboard::app {
namespace json = boost::json;
namespace {

constexpr const char* usage = R"(usage: switchboard script test ORG SCENARIO.yaml [--config PATH]

Runs ORG's script (scripting.directory of the config) against the scripted call in
SCENARIO.yaml and prints each decision. Exit 0: every expectation held; 1: one
failed (or a hook failed); 2: the scenario, config or script cannot be read.
Format: docs/lua-guide.md, "Testing a script offline".
)";

// A scenario that cannot be read: file, line and what is wrong.
struct scenario_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string where(const std::string& file, const YAML::Node& n) {
    return file + ":" + std::to_string(n.Mark().line + 1);
}

// YAML to JSON: plain scalars typed as YAML 1.2 core (true, 3, null), quoted ones strings.
json::value to_json(const YAML::Node& n) {
    switch (n.Type()) {
        case YAML::NodeType::Map: {
            json::object o;
            for (auto const& kv : n) o[kv.first.as<std::string>()] = to_json(kv.second);
            return o;
        }
        case YAML::NodeType::Sequence: {
            json::array a;
            for (auto const& item : n) a.push_back(to_json(item));
            return a;
        }
        case YAML::NodeType::Scalar:
            return n.Tag() == "!" ? json::value(n.Scalar()) : config::detail::type_plain_scalar(n.Scalar());
        default: return nullptr;
    }
}

std::string text(const json::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    return json::serialize(v);
}

// Numbers compare by value (3 == 3.0); objects in `expected` need only their keys.
bool matches(const json::value& expected, const json::value& actual) {
    if (expected.is_number() && actual.is_number())
        return expected.to_number<double>() == actual.to_number<double>();
    if (expected.is_object()) {
        if (!actual.is_object()) return false;
        for (auto const& kv : expected.get_object()) {
            auto const* a = actual.get_object().if_contains(kv.key());
            if (!matches(kv.value(), a ? *a : json::value(nullptr))) return false;
        }
        return true;
    }
    if (expected.is_array()) {
        if (!actual.is_array() || actual.get_array().size() != expected.get_array().size()) return false;
        for (std::size_t i = 0; i < expected.get_array().size(); ++i)
            if (!matches(expected.get_array()[i], actual.get_array()[i])) return false;
        return true;
    }
    // An empty string and nothing are the same answer ("no error", "no message").
    if (expected.is_null() && actual.is_string()) return actual.get_string().empty();
    return expected == actual;
}

// What each kind of step decides, as the keys its `expect` may name.
const std::map<std::string, std::set<std::string>> decision_keys = {
    {"assistant", {"assistant_id", "name", "first_message", "system_prompt", "model", "voice_id", "tools", "error",
                   "overrides"}},
    {"tool", {"action", "message", "tool", "args"}},
    {"event", {}},
    {"transfer", {"number", "sip", "message", "error"}},
    {"outbound", {"refuse", "provider", "phone_number_id", "assistant_id", "assistant", "metadata", "variables"}},
    {"classify", {"category", "resolution", "sentiment", "sentiment_score", "summary", "detail"}},
};
// Every step also reports the call after it.
const std::set<std::string> call_keys = {"tags", "phase", "escalate", "status"};

class runner {
public:
    runner(config::config& cfg, const config::org_config& org, std::string file, YAML::Node doc)
        : cfg_(cfg), org_(org), file_(std::move(file)), doc_(std::move(doc)) {}

    int run() {
        if (!doc_.IsMap()) throw scenario_error(file_ + ": expected a mapping with `steps:`");
        for (auto const& kv : doc_) {
            auto key = kv.first.as<std::string>();
            if (key != "description" && key != "at" && key != "call" && key != "steps")
                throw scenario_error(where(file_, kv.first) + ": unknown key '" + key +
                                     "' (expected description, at, call, steps)");
        }
        if (doc_["at"]) clock_ = instant(doc_["at"]);
        start_call();
        start_engine();
        if (auto d = doc_["description"]) std::cout << org_.id << ": " << d.as<std::string>() << "\n";
        auto steps = doc_["steps"];
        if (!steps || !steps.IsSequence() || steps.size() == 0)
            throw scenario_error(file_ + ": `steps:` must be a non-empty list");
        int number = 0;
        for (auto const& step : steps) run_step(++number, step);
        std::cout << (failed_ ? "FAILED: " : "passed: ") << number << " step(s), " << checked_ << " expectation(s), "
                  << failed_ << " failed";
        if (hook_failures_) std::cout << ", " << hook_failures_ << " hook failure(s)";
        std::cout << "\n";
        return failed_ || hook_failures_ ? exit_expectation_failed : 0;
    }

private:
    core::time_point instant(const YAML::Node& n) {
        auto t = core::parse_iso8601(n.as<std::string>());
        if (!t) throw scenario_error(where(file_, n) + ": `at` must be an ISO-8601 time (2026-11-23T10:00:00-05:00)");
        return *t;
    }

    void start_call() {
        call_.id = "scenario-call";
        call_.org = org_.id;
        call_.provider = "scenario";
        call_.provider_call_id = "scenario";
        call_.status = sdk::call_status::in_progress;
        auto c = doc_["call"];
        if (!c) return;
        if (!c.IsMap()) throw scenario_error(where(file_, c) + ": `call` must be a mapping");
        for (auto const& kv : c) {
            auto key = kv.first.as<std::string>();
            auto value = to_json(kv.second);
            auto str = [&] {
                if (!value.is_string()) throw scenario_error(where(file_, kv.second) + ": call." + key + ": expected text");
                return std::string(value.get_string());
            };
            if (key == "direction") {
                auto d = sdk::parse_call_direction(str());
                if (!d) throw scenario_error(where(file_, kv.second) + ": call.direction: inbound or outbound");
                call_.direction = *d;
            } else if (key == "from") call_.from_number = str();
            else if (key == "to") call_.to_number = str();
            else if (key == "customer_name") call_.metadata["customer_name"] = str();
            else if (key == "assistant") call_.assistant = str();
            else if (key == "external_record_id") call_.external_record_id = str();
            else if (key == "status") {
                auto s = sdk::parse_call_status(str());
                if (!s) throw scenario_error(where(file_, kv.second) + ": call.status: unknown status");
                call_.status = *s;
            } else if (key == "phase") {
                auto p = sdk::parse_call_phase(str());
                if (!p) throw scenario_error(where(file_, kv.second) + ": call.phase: unknown phase");
                call_.phase = *p;
            } else if (key == "metadata" && value.is_object()) {
                for (auto const& m : value.get_object()) call_.metadata[m.key()] = m.value();
            } else {
                throw scenario_error(where(file_, kv.first) + ": call." + key +
                                     ": unknown (direction, from, to, customer_name, assistant, external_record_id, "
                                     "status, phase, metadata)");
            }
        }
    }

    void start_engine() {
        auto host = std::make_shared<scripting::services>();
        host->clock = [this] { return clock_.value_or(std::chrono::system_clock::now()); };
        scripting::engine::options o;
        o.directory = cfg_.scripting.directory;
        o.lim.instructions = cfg_.scripting.instruction_limit;
        o.lim.time = std::chrono::milliseconds(cfg_.scripting.time_limit_ms);
        o.lim.memory_bytes = std::size_t(cfg_.scripting.memory_limit_mb) << 20;
        o.reload_interval = std::chrono::milliseconds(0);
        o.on_failure = [this](const std::string&, std::string_view hook, scripting::failure_kind kind) {
            ++hook_failures_;
            std::cout << "  hook " << hook << " failed (" << scripting::to_string(kind) << "); see the log above\n";
        };
        std::vector<scripting::org_profile> orgs{{org_.id, org_.timezone, org_.settings}};
        engine_ = std::make_unique<scripting::engine>(std::move(o), std::move(orgs), host);
        auto status = engine_->status(org_.id);
        if (status && !status->error.empty()) throw scenario_error("the script does not load: " + status->error);
        if (!status || !status->present)
            std::cout << org_.id << ": no script at " << (status ? status->path : "?")
                      << "; every decision is the YAML default\n";
        if (!load_plugins(registry_, cfg_, false))
            throw scenario_error("a required plugin failed to load");
        answers_ = std::make_unique<calls::answerer>(registry_, engine_.get());
    }

    void run_step(int number, const YAML::Node& step) {
        if (!step.IsMap()) throw scenario_error(where(file_, step) + ": a step is a mapping");
        std::string kind;
        YAML::Node input, expect;
        bool has_expect = false;
        clock_step_ = clock_;
        for (auto const& kv : step) {
            auto key = kv.first.as<std::string>();
            if (key == "expect") {
                expect = kv.second;
                has_expect = true;
            }
            else if (key == "at") clock_ = instant(kv.second);
            else if (decision_keys.count(key)) {
                if (!kind.empty())
                    throw scenario_error(where(file_, kv.first) + ": one of assistant, tool, event, transfer, "
                                                                  "outbound, classify per step ('" + kind + "' and '" + key + "')");
                kind = key;
                input = kv.second;
            } else {
                throw scenario_error(where(file_, kv.first) + ": unknown step key '" + key +
                                     "' (assistant, tool, event, transfer, outbound, classify, expect, at)");
            }
        }
        if (kind.empty()) throw scenario_error(where(file_, step) + ": a step needs one of assistant, tool, event, "
                                                                   "transfer, outbound, classify");
        auto in = to_json(input);
        if (!in.is_object()) in = json::object{};  // `assistant:` with nothing after it
        scripting::effects fx;
        json::object decision = decide(kind, in.as_object(), input, fx);
        calls::apply_effects(call_, fx, clock_.value_or(std::chrono::system_clock::now()));
        decision["tags"] = call_.metadata.contains("tags") ? call_.metadata.at("tags") : json::array{};
        decision["phase"] = sdk::to_string(call_.phase);
        decision["status"] = sdk::to_string(call_.status);
        decision["escalate"] = fx.escalation ? json::value(*fx.escalation) : json::value(nullptr);

        std::vector<std::string> failures;
        if (has_expect) check(kind, expect, decision, failures);
        std::cout << "step " << number << " " << kind << label(kind, in.as_object()) << ": "
                  << json::serialize(summary(decision)) << (failures.empty() ? "  ok" : "  FAIL") << "\n";
        for (auto const& f : failures) std::cout << "  FAIL: " << f << "\n";
        if (step["at"]) clock_ = clock_step_;  // a step's `at` is its own
    }

    std::string label(const std::string& kind, const json::object& in) const {
        if (kind == "tool" || kind == "event") {
            auto const* v = in.if_contains(kind == "tool" ? "name" : "kind");
            return v && v->is_string() ? " " + std::string(v->get_string()) : "";
        }
        return "";
    }

    // The decision without the empty fields, for printing.
    static json::object summary(const json::object& d) {
        json::object out;
        for (auto const& kv : d) {
            auto const& v = kv.value();
            if (v.is_null() || (v.is_string() && v.get_string().empty()) || (v.is_object() && v.get_object().empty()))
                continue;
            out[kv.key()] = v;
        }
        return out;
    }

    json::object decide(const std::string& kind, const json::object& in, const YAML::Node& node,
                        scripting::effects& fx) {
        auto const& flow = answers_->flow();
        auto view = calls::call_view(call_);
        auto field = [&](const char* key) {
            auto const* v = in.if_contains(key);
            return v && v->is_string() ? std::string(v->get_string()) : std::string();
        };
        if (kind == "assistant") {
            auto c = flow.assistant(org_, view, &fx);
            json::object d{{"assistant_id", c.assistant_id}, {"error", c.error}, {"overrides", c.overrides}};
            if (!c.assistant.empty()) d["assistant"] = c.assistant;
            if (c.spec) {
                for (auto& kv : calls::spec_json(*c.spec)) d[kv.key()] = kv.value();
                if (!d.contains("tools")) d["tools"] = json::array{};
            }
            return d;
        }
        if (kind == "tool") {
            auto name = field("name");
            if (name.empty()) throw scenario_error(where(file_, node) + ": tool: needs `name`");
            sdk::tool_call_requested asked{"scenario-tool-call", name, {}};
            if (auto const* a = in.if_contains("args"); a && a->is_object()) asked.arguments = a->get_object();
            auto route = flow.route_tool(org_, view, asked, &fx);
            if (route.refusal) return {{"action", "deny"}, {"message", route.refusal->result}};
            std::string action = route.call.name != asked.name            ? "redirect"
                                 : route.call.arguments != asked.arguments ? "rewrite"
                                                                           : "allow";
            return {{"action", action}, {"tool", route.call.name}, {"args", route.call.arguments}};
        }
        if (kind == "event") {
            auto event = in;
            auto k = field("kind");
            if (k.empty()) throw scenario_error(where(file_, node) + ": event: needs `kind` (status, transcript, "
                                                                     "transfer, ended)");
            if (k == "status" || k == "ended") {
                if (auto s = sdk::parse_call_status(field("status")); s && sdk::can_advance(call_.status, *s))
                    call_.status = *s;
                else if (!field("status").empty() && !s)
                    throw scenario_error(where(file_, node) + ": event: unknown status '" + field("status") + "'");
            }
            if (k == "transcript") {
                if (!event.contains("role")) event["role"] = "customer";
                transcript_.push_back(json::object{{"role", event.at("role")}, {"text", field("text")}});
            }
            if (!event.contains("type")) event["type"] = "scenario";
            if (clock_) event["at"] = std::chrono::duration<double>(clock_->time_since_epoch()).count();
            calls::merge_effects(fx, flow.on_event(org_, calls::call_view(call_), event));
            return {};
        }
        if (kind == "transfer") {
            auto t = flow.transfer(org_, view, field("reason"), &fx);
            return {{"number", t.number}, {"sip", t.sip_uri}, {"message", t.message}, {"error", t.error}};
        }
        if (kind == "outbound") {
            json::object request = in;
            request["org"] = org_.id;
            auto r = flow.route_outbound(org_, request);
            json::object d{{"refuse", r.refusal},          {"provider", r.provider},
                           {"phone_number_id", r.phone_number_id}, {"assistant_id", r.assistant_id},
                           {"metadata", r.metadata},       {"variables", r.variables}};
            if (r.assistant) d["assistant"] = calls::spec_json(*r.assistant);
            return d;
        }
        // classify
        json::array transcript = transcript_;
        if (auto const* t = in.if_contains("transcript"); t && t->is_array()) transcript = t->get_array();
        auto a = flow.classify(org_, view, transcript, &fx);
        if (!a) return {{"category", nullptr}};
        json::object d{{"category", a->category}, {"resolution", a->resolution}, {"sentiment", a->sentiment},
                       {"summary", a->summary}, {"detail", a->detail}};
        if (a->sentiment_score) d["sentiment_score"] = *a->sentiment_score;
        return d;
    }

    void check(const std::string& kind, const YAML::Node& expect, const json::object& decision,
               std::vector<std::string>& failures) {
        if (!expect.IsMap()) throw scenario_error(where(file_, expect) + ": `expect` must be a mapping");
        auto const& allowed = decision_keys.at(kind);
        for (auto const& kv : expect) {
            auto key = kv.first.as<std::string>();
            auto expected = to_json(kv.second);
            bool contains = key.size() > 9 && key.compare(key.size() - 9, 9, "_contains") == 0;
            auto field = contains ? key.substr(0, key.size() - 9) : key;
            if (!allowed.count(field) && !call_keys.count(field)) {
                std::string known;
                for (auto const& k : allowed) known += k + ", ";
                throw scenario_error(where(file_, kv.first) + ": `" + key + "` is not something a " + kind +
                                     " step decides (" + known + "tags, phase, status, escalate; or <field>_contains)");
            }
            ++checked_;
            auto const* actual = decision.if_contains(field);
            json::value got = actual ? *actual : json::value(nullptr);
            bool ok = contains ? got.is_string() && expected.is_string() &&
                                     std::string_view(got.get_string()).find(expected.get_string()) != std::string::npos
                               : matches(expected, got);
            if (ok) continue;
            ++failed_;
            failures.push_back(field + (contains ? " should contain " : ": expected ") + text(expected) + ", got " +
                               (got.is_null() ? std::string("nothing") : text(got)) + " (" +
                               where(file_, kv.first) + ")");
        }
    }

    config::config& cfg_;
    const config::org_config& org_;
    std::string file_;
    YAML::Node doc_;
    std::optional<core::time_point> clock_, clock_step_;
    sdk::call call_;
    json::array transcript_;
    plugins::registry registry_;
    std::unique_ptr<scripting::engine> engine_;
    std::unique_ptr<calls::answerer> answers_;
    int checked_ = 0, failed_ = 0, hook_failures_ = 0;
};

}  // namespace

int script_command(const std::string& default_config, const std::vector<std::string>& all) {
    std::string config_path = default_config;
    std::vector<std::string> args;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if ((all[i] == "--config" || all[i] == "-c") && i + 1 < all.size()) config_path = all[++i];
        else if (all[i].rfind("--config=", 0) == 0) config_path = all[i].substr(9);
        else args.push_back(all[i]);
    }
    if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
        std::cout << usage;
        return 0;
    }
    if (args.size() != 3 || args[0] != "test") {
        std::cerr << usage;
        return 64;
    }
    auto cfg = read_config(config_path);
    if (!cfg) return exit_config;
    setup_logging("warn", "text");
    auto const* org = cfg->find_org(args[1]);
    if (!org) {
        std::cerr << "script test: no org '" << args[1] << "' in " << config_path << "\n";
        return exit_config;
    }
    YAML::Node doc;
    try {
        doc = YAML::LoadFile(args[2]);
    } catch (const YAML::Exception& e) {
        std::cerr << "script test: " << args[2] << ": " << e.what() << "\n";
        return exit_config;
    }
    try {
        runner r(*cfg, *org, args[2], doc);
        return r.run();
    } catch (const scenario_error& e) {
        std::cerr << "script test: " << e.what() << "\n";
    } catch (const YAML::Exception& e) {
        std::cerr << "script test: " << args[2] << ": " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "script test: " << e.what() << "\n";
    }
    return exit_config;
}

}  // namespace switchboard::app
