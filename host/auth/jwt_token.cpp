// The only TU that includes cpp-jwt (its header puts json_t, system_time_t and
// json_ns into the global namespace).
#include "host/auth/jwt_token.hpp"

#include "host/core/crypto.hpp"

#include <jwt/jwt.hpp>

#include <cstdint>
#include <limits>

namespace switchboard::auth {
namespace {

bool is_b64url(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

std::string b64url(const std::string& bytes) {
    std::string s = jwt::base64_encode(bytes.data(), bytes.size());
    s.resize(jwt::base64_uri_encode(&s[0], s.size()));
    return s;
}

std::string hex_to_bytes(std::string_view hex) {
    auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    std::string out(hex.size() / 2, '\0');
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
    return out;
}

std::string reason_for(std::error_code ec) {
    if (ec == jwt::VerificationErrc::TokenExpired) return "expired";
    if (ec == jwt::VerificationErrc::InvalidIssuer) return "wrong issuer";
    if (ec == jwt::VerificationErrc::InvalidSignature) return "bad signature";
    if (ec == jwt::VerificationErrc::InvalidAlgorithm || ec == jwt::AlgorithmErrc::NoneAlgorithmUsed)
        return "unsupported algorithm";
    return "malformed";
}

}  // namespace

bool looks_like_jwt(std::string_view token) noexcept {
    int dots = 0;
    std::size_t segment = 0;  // length of the current segment
    for (char c : token) {
        if (c == '.') {
            if (segment == 0 || ++dots > 2) return false;  // header and payload must be non-empty
            segment = 0;
        } else if (is_b64url(c)) {
            ++segment;
        } else {
            return false;
        }
    }
    return dots == 2;
}

std::string issue_jwt(std::string_view secret, std::string_view org, std::string_view subject, bool admin,
                      std::chrono::system_clock::time_point expires_at, std::string_view issuer) {
    jwt::jwt_object obj{jwt::params::algorithm("HS256"), jwt::params::secret(std::string(secret))};
    obj.add_claim("sub", std::string(subject));
    if (!org.empty()) obj.add_claim("org", std::string(org));
    if (admin) obj.add_claim("admin", true);
    if (!issuer.empty()) obj.add_claim("iss", std::string(issuer));
    obj.add_claim("exp", static_cast<std::int64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(expires_at.time_since_epoch()).count()));
    return obj.signature();
}

std::variant<http::principal, std::string> verify_jwt(std::string_view token, std::string_view secret,
                                                      std::string_view issuer,
                                                      std::chrono::system_clock::time_point now) {
    const auto first_dot = token.find('.');
    const auto last_dot = token.rfind('.');
    if (first_dot == std::string_view::npos || first_dot == last_dot) return std::string("malformed");
    const std::string_view signed_part = token.substr(0, last_dot);
    const std::string_view signature = token.substr(last_dot + 1);

    try {
        // 1. Parse without verifying, to refuse anything but HS256 before touching keys.
        std::error_code ec;
        auto parsed = jwt::decode(token, jwt::params::algorithms({"HS256"}), ec, jwt::params::verify(false));
        if (ec) return std::string("malformed");
        if (parsed.header().algo() != jwt::algorithm::HS256) return std::string("unsupported algorithm");

        // 2. Our own signature check first: cpp-jwt compares signatures with ==, which
        // exits early and leaks how many leading characters of a forgery were right.
        const std::string expected = b64url(hex_to_bytes(core::hmac_sha256_hex(secret, signed_part)));
        if (!core::constant_time_equal(expected, signature)) return std::string("bad signature");

        // 3. Full verification by cpp-jwt, HS256 only, so alg=none and RS/ES keys
        // confusion are refused. It reads the system clock itself, so its exp check is
        // switched off with a huge leeway and done below against the injected `now`.
        auto verify_args = [&](auto&&... extra) {
            return jwt::decode(token, jwt::params::algorithms({"HS256"}), ec, jwt::params::secret(std::string(secret)),
                               jwt::params::leeway(std::numeric_limits<std::uint32_t>::max()),
                               jwt::params::verify(true), extra...);
        };
        auto obj = issuer.empty() ? verify_args() : verify_args(jwt::params::issuer(std::string(issuer)));
        if (ec) return reason_for(ec);

        const json_t& claims = obj.payload().create_json_obj();
        auto exp = claims.find("exp");
        if (exp == claims.end()) return std::string("missing exp claim");
        if (!exp->is_number()) return std::string("malformed");
        const double exp_s = exp->get<double>();
        const double now_s = std::chrono::duration<double>(now.time_since_epoch()).count();
        if (now_s > exp_s + static_cast<double>(jwt_leeway.count())) return std::string("expired");

        http::principal who;
        if (auto sub = claims.find("sub"); sub != claims.end() && sub->is_string())
            who.subject = sub->get<std::string>();
        else
            who.subject = "jwt";
        if (auto adm = claims.find("admin"); adm != claims.end() && adm->is_boolean() && adm->get<bool>()) {
            who.admin = true;
            return who;
        }
        auto org = claims.find("org");
        if (org == claims.end() || !org->is_string() || org->get<std::string>().empty())
            return std::string("missing org claim");
        who.org = org->get<std::string>();
        return who;
    } catch (const std::exception&) {
        // cpp-jwt throws from nlohmann on wrongly typed header fields ("alg": 5).
        return std::string("malformed");
    }
}

}  // namespace switchboard::auth
