#include "host/store/body_codec.hpp"

#include "host/core/crypto.hpp"
#include "host/store/store.hpp"

#include <zlib.h>

#include <cstdint>

namespace switchboard::store {

std::string pack_body(std::string_view raw) {
    uLongf size = compressBound(static_cast<uLong>(raw.size()));
    // The raw length goes first (4 bytes, little-endian) so unpacking allocates once.
    std::string out(4 + size, '\0');
    auto n = static_cast<std::uint32_t>(raw.size());
    for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
    if (compress2(reinterpret_cast<Bytef*>(out.data() + 4), &size, reinterpret_cast<const Bytef*>(raw.data()),
                  static_cast<uLong>(raw.size()), Z_BEST_SPEED) != Z_OK)
        throw store_error("store: cannot compress a webhook body");
    out.resize(4 + size);
    return core::base64_encode(out);
}

std::string unpack_body(std::string_view packed) {
    auto bytes = core::base64_decode(packed);
    if (!bytes || bytes->size() < 4) throw store_error("store: a stored webhook body is damaged (not base64)");
    std::uint32_t n = 0;
    for (int i = 0; i < 4; ++i) n |= static_cast<std::uint32_t>(static_cast<unsigned char>((*bytes)[static_cast<std::size_t>(i)])) << (8 * i);
    std::string out(n, '\0');
    uLongf size = n;
    if (uncompress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(bytes->data() + 4),
                   static_cast<uLong>(bytes->size() - 4)) != Z_OK ||
        size != n)
        throw store_error("store: a stored webhook body is damaged (cannot inflate)");
    return out;
}

}  // namespace switchboard::store
