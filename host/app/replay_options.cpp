#include "host/app/replay_options.hpp"

#include "host/client/url.hpp"

#include <cctype>
#include <charconv>

namespace switchboard::app {

const char* const replay_usage = R"(usage: switchboard replay FILE.jsonl [options]

Feeds recorded webhooks (one JSON body per line; blank lines and lines starting
with # are skipped) through the pipeline, prints one result per line, then the
resulting calls as JSON (one per line).

  --org ORG          the organisation (default: the config's default org; required with --url)
  --provider NAME    the provider plugin that sent them (default: vapi)
  --config PATH      in-process mode: the YAML config (default: config/switchboard.yaml)
  --url URL          POST each line to URL/webhooks/PROVIDER/ORG of a running host instead
  --secret S         with --url: the provider's webhook secret (or SWITCHBOARD_REPLAY_SECRET)
  --api-key K        with --url: an API key to read the calls back (or SWITCHBOARD_API_KEY)
  --delay-ms N       wait N ms between lines (default 0)
  --dry-run          print what would be sent (line, type, call id); send nothing

Exit codes: 0 every line got a 2xx; 1 a line failed (invalid JSON, non-2xx, no
connection) or the calls could not be read; 2 usage error (also: unreadable file,
unknown org, invalid config).
)";

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Names that end up in a URL path: keep them to what the config allows.
bool plain_name(const std::string& s) {
    if (s.empty() || s.size() > 128) return false;
    for (unsigned char c : s)
        if (!(std::isalnum(c) || c == '_' || c == '-' || c == '.')) return false;
    return true;
}

// The base URL without a trailing slash; empty and `why` set when it is unusable.
std::string base_url(std::string url, std::string& why) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    auto parsed = client::parse_url(url, why);
    if (!parsed) return {};
    if (parsed->target.find('?') != std::string::npos) {
        why = "no query string expected";
        return {};
    }
    return url;
}

}  // namespace

replay_args parse_replay_args(const std::vector<std::string>& args, replay_options o) {
    replay_args result;
    auto fail = [&result](std::string why) {
        result.error = std::move(why);
        return result;
    };
    bool secret_given = false, api_key_given = false;
    bool delay_given = false;
    std::string delay_text;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        std::optional<std::string> inline_value;
        if (starts_with(arg, "--") && arg.find('=') != std::string::npos) {
            inline_value = arg.substr(arg.find('=') + 1);
            arg.erase(arg.find('='));
        }
        // Every option but the flags takes one value, inline or next.
        auto value = [&](std::string& into) -> bool {
            if (inline_value) {
                into = *inline_value;
            } else if (i + 1 < args.size()) {
                into = args[++i];
            } else {
                return false;
            }
            return true;
        };
        if (arg == "-h" || arg == "--help") {
            result.help = true;
            return result;
        } else if (arg == "--dry-run" && !inline_value) {
            o.dry_run = true;
        } else if (arg == "--org") {
            if (!value(o.org)) return fail("--org needs an organisation id");
        } else if (arg == "--provider") {
            if (!value(o.provider)) return fail("--provider needs a plugin name");
        } else if (arg == "--config" || arg == "-c") {
            if (!value(o.config_path)) return fail("--config needs a path");
        } else if (arg == "--url") {
            if (!value(o.url)) return fail("--url needs http://HOST:PORT");
        } else if (arg == "--secret") {
            if (!value(o.secret)) return fail("--secret needs a value");
            secret_given = true;
        } else if (arg == "--api-key") {
            if (!value(o.api_key)) return fail("--api-key needs a value");
            api_key_given = true;
        } else if (arg == "--delay-ms") {
            if (!value(delay_text)) return fail("--delay-ms needs a number of milliseconds");
            delay_given = true;
        } else if (!arg.empty() && arg[0] == '-' && arg != "-") {
            return fail("unknown option '" + arg + "'");
        } else if (o.file.empty()) {
            o.file = arg;
        } else {
            return fail("unexpected argument '" + arg + "' (one FILE only)");
        }
    }
    if (o.file.empty()) return fail("replay needs a FILE.jsonl");
    if (delay_given) {
        long long ms = -1;
        auto [end, ec] = std::from_chars(delay_text.data(), delay_text.data() + delay_text.size(), ms);
        if (ec != std::errc{} || end != delay_text.data() + delay_text.size() || ms < 0 || ms > 3'600'000)
            return fail("--delay-ms: expected 0..3600000, got '" + delay_text + "'");
        o.delay = std::chrono::milliseconds(ms);
    }
    if (!plain_name(o.provider)) return fail("--provider: '" + o.provider + "' is not a plugin name");
    if (!o.org.empty() && !plain_name(o.org)) return fail("--org: '" + o.org + "' is not an organisation id");
    if (o.url.empty()) {
        // Credentials only make sense for a remote host; refusing them here catches a
        // forgotten --url before the recordings land in the local database.
        if (secret_given) return fail("--secret needs --url (the in-process pipeline does not verify)");
        if (api_key_given) return fail("--api-key needs --url");
        o.secret.clear();
        o.api_key.clear();
    } else {
        std::string why;
        auto base = base_url(o.url, why);
        if (base.empty()) return fail("--url: " + why);
        o.url = base;
        if (o.org.empty()) return fail("--url needs --org (the host's default org is not known here)");
    }
    result.options = std::move(o);
    return result;
}

}  // namespace switchboard::app
