// Building blocks for checking signed webhooks: HMAC, base64 and hex. Every provider
// that verifies signatures needs the same few primitives, and getting them subtly wrong
// (padding, a null key, a short decode) is a security bug, so they live here once.
// A plugin that includes this header links OpenSSL::Crypto. Compare the results with
// sdk::constant_time_equal (plugin_helpers.hpp), never with ==.
#pragma once

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>
#include <string_view>

namespace switchboard::sdk {

// HMAC of `data` under `key` with "sha256" | "sha512" | "sha1" (raw bytes); empty for
// another algorithm name.
inline std::string hmac(std::string_view algorithm, std::string_view key, std::string_view data) {
    const EVP_MD* md = algorithm == "sha256"   ? EVP_sha256()
                       : algorithm == "sha512" ? EVP_sha512()
                       : algorithm == "sha1"   ? EVP_sha1()
                                               : nullptr;
    if (!md) return {};
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    static const unsigned char empty_key = 0;  // HMAC() rejects a null key pointer
    const void* k = key.empty() ? static_cast<const void*>(&empty_key) : static_cast<const void*>(key.data());
    if (!HMAC(md, k, static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
              out, &len))
        return {};
    return std::string(reinterpret_cast<const char*>(out), len);
}

// Standard base64 with padding.
inline std::string base64_encode(std::string_view in) {
    std::string out(4 * ((in.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
}

// Base64, standard or url-safe letters, padding optional, line breaks and spaces
// ignored. False (and `out` untouched) on anything else, or on empty input.
inline bool base64_decode(std::string_view in, std::string& out) {
    std::string s;
    s.reserve(in.size() + 3);
    for (char c : in) {
        if (c == '-') c = '+';
        else if (c == '_') c = '/';
        else if (c == '\r' || c == '\n' || c == ' ') continue;
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                        c == '/' || c == '=';
        if (!ok) return false;
        s.push_back(c);
    }
    while (s.size() % 4) s.push_back('=');
    if (s.empty()) return false;
    std::string buf(s.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(buf.data()),
                                  reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
    if (n < 0) return false;
    std::size_t len = static_cast<std::size_t>(n);
    // EVP_DecodeBlock counts padding as zero bytes: drop them.
    for (std::size_t i = s.size(); i > 0 && s[i - 1] == '=' && len > 0; --i) --len;
    buf.resize(len);
    out = std::move(buf);
    return true;
}

// Hex, either case. False (and `out` untouched) on an odd length or a non-hex digit.
inline bool hex_decode(std::string_view in, std::string& out) {
    if (in.size() % 2) return false;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string buf;
    buf.reserve(in.size() / 2);
    for (std::size_t i = 0; i < in.size(); i += 2) {
        const int hi = nibble(in[i]), lo = nibble(in[i + 1]);
        if (hi < 0 || lo < 0) return false;
        buf.push_back(static_cast<char>(hi * 16 + lo));
    }
    out = std::move(buf);
    return true;
}

}  // namespace switchboard::sdk
