// HS256 JWTs: minting (tests, CLI) and verification. Only jwt_token.cpp includes
// cpp-jwt, whose header leaks names into the global namespace.
#pragma once

#include "host/http/message.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

namespace switchboard::auth {

// Clock skew tolerated on `exp` between the token issuer and this host.
inline constexpr std::chrono::seconds jwt_leeway{30};

// A signed HS256 token with claims sub, exp, and org (when non-empty), admin (when
// true) and iss (when non-empty). Throws when `secret` is empty.
std::string issue_jwt(std::string_view secret, std::string_view org, std::string_view subject, bool admin,
                      std::chrono::system_clock::time_point expires_at, std::string_view issuer = {});

// Verifies signature (HS256 only), `exp` (required, against `now` with jwt_leeway),
// `iss` when `issuer` is non-empty, then maps claims to a principal. On failure,
// returns a short reason: "expired", "bad signature", "malformed", "missing org
// claim", "missing exp claim", "wrong issuer", "unsupported algorithm".
std::variant<http::principal, std::string> verify_jwt(std::string_view token, std::string_view secret,
                                                      std::string_view issuer,
                                                      std::chrono::system_clock::time_point now);

// Three dot-separated base64url segments (the last may be empty, as in alg=none):
// worth verifying as a JWT rather than looking up as an API key.
bool looks_like_jwt(std::string_view token) noexcept;

}  // namespace switchboard::auth
