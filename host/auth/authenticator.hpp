// Turns an Authorization header into a principal: an API key from the config or an
// HS256 JWT signed with auth.jwt_secret. Built once at start-up, then read-only, so
// one instance is shared by every I/O thread without locking.
#pragma once

#include "host/config/config.hpp"
#include "host/http/message.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace switchboard::auth {

// Why a request was refused. `detail` is safe to return to the caller: it never
// contains the presented token.
struct auth_failure {
    int status = 401;
    std::string detail;
};

class authenticator {
public:
    explicit authenticator(const config::auth_config& cfg);

    // `now` is injected so expiry is testable; the server passes system_clock::now().
    std::variant<http::principal, auth_failure> authenticate(std::string_view authorization_header,
                                                             std::chrono::system_clock::time_point now) const;

    // For tests and diagnostics: the SHA-256 hex digests held in memory, one per key.
    // The plain keys are not kept anywhere.
    std::vector<std::string> stored_hashes() const;

private:
    struct stored_key {
        std::string sha256;  // hex digest of the key
        std::string name;
        std::string org;  // empty: admin
    };

    std::variant<http::principal, auth_failure> by_api_key(std::string_view token) const;

    std::vector<stored_key> keys_;
    std::string jwt_secret_;
    std::string jwt_issuer_;
};

// True when `who` may see resources of `org`: admins see every org, org principals
// only their own. Callers answer 404 (not 403) on false, so a caller cannot probe
// which ids exist in other orgs.
bool may_access_org(const http::principal& who, std::string_view org) noexcept;

}  // namespace switchboard::auth
