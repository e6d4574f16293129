#include "host/auth/authenticator.hpp"

#include "host/auth/jwt_token.hpp"
#include "host/core/crypto.hpp"

#include <cctype>

namespace switchboard::auth {
namespace {

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

auth_failure fail(std::string detail) { return auth_failure{401, std::move(detail)}; }

}  // namespace

authenticator::authenticator(const config::auth_config& cfg)
    : jwt_secret_(cfg.jwt_secret), jwt_issuer_(cfg.jwt_issuer) {
    keys_.reserve(cfg.keys.size());
    for (const auto& k : cfg.keys) keys_.push_back(stored_key{core::sha256_hex(k.key), k.name, k.org});
}

std::variant<http::principal, auth_failure> authenticator::authenticate(
    std::string_view authorization_header, std::chrono::system_clock::time_point now) const {
    const std::string_view header = trim(authorization_header);
    if (header.empty()) return fail("missing Authorization header (expected: Bearer <api key or JWT>)");

    // The scheme is case-insensitive (RFC 7235); the credentials follow one or more spaces.
    const auto space = header.find_first_of(" \t");
    if (space == std::string_view::npos || !iequals(header.substr(0, space), "bearer"))
        return fail("Authorization must use the Bearer scheme");
    const std::string_view token = trim(header.substr(space + 1));
    if (token.empty()) return fail("missing token after Bearer");

    if (looks_like_jwt(token)) {
        if (jwt_secret_.empty()) return fail("invalid token: JWTs are not enabled on this server");
        auto verified = verify_jwt(token, jwt_secret_, jwt_issuer_, now);
        if (auto* reason = std::get_if<std::string>(&verified)) return fail("invalid token: " + *reason);
        return std::get<http::principal>(std::move(verified));
    }
    return by_api_key(token);
}

std::variant<http::principal, auth_failure> authenticator::by_api_key(std::string_view token) const {
    const std::string presented = core::sha256_hex(token);
    // Compare against every key, without stopping at a match, so the time taken does
    // not depend on which key (if any) matched.
    const stored_key* found = nullptr;
    for (const auto& k : keys_) {
        const bool eq = core::constant_time_equal(presented, k.sha256);
        found = eq ? &k : found;
    }
    if (!found) return fail("invalid API key");
    http::principal who;
    who.admin = found->org.empty();
    who.org = found->org;
    who.subject = found->name;
    return who;
}

std::vector<std::string> authenticator::stored_hashes() const {
    std::vector<std::string> out;
    out.reserve(keys_.size());
    for (const auto& k : keys_) out.push_back(k.sha256);
    return out;
}

bool may_access_org(const http::principal& who, std::string_view org) noexcept {
    return who.admin || (!who.org.empty() && who.org == org);
}

}  // namespace switchboard::auth
