#include "host/store/body_codec.hpp"

#include "host/core/crypto.hpp"
#include "host/store/store.hpp"

#include <zlib.h>

#include <cstdint>

namespace switchboard::store {

namespace {

// deflate's state is ~270 KB that compress2() would allocate, zero and unmap on every
// call (measured: page faults and TLB flushes took 5x the compression itself). One
// state per thread, reset between bodies.
struct deflater {
    z_stream z{};
    bool ok = false;
    deflater() { ok = deflateInit(&z, Z_BEST_SPEED) == Z_OK; }
    ~deflater() {
        if (ok) deflateEnd(&z);
    }
    deflater(const deflater&) = delete;
    deflater& operator=(const deflater&) = delete;
};

}  // namespace

std::string pack_body(std::string_view raw) {
    thread_local deflater d;
    if (!d.ok || deflateReset(&d.z) != Z_OK) throw store_error("store: cannot compress a webhook body");
    uLong bound = deflateBound(&d.z, static_cast<uLong>(raw.size()));
    // The raw length goes first (4 bytes, little-endian) so unpacking allocates once.
    std::string out(4 + bound, '\0');
    auto n = static_cast<std::uint32_t>(raw.size());
    for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
    d.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    d.z.avail_in = static_cast<uInt>(raw.size());
    d.z.next_out = reinterpret_cast<Bytef*>(out.data() + 4);
    d.z.avail_out = static_cast<uInt>(bound);
    if (deflate(&d.z, Z_FINISH) != Z_STREAM_END) throw store_error("store: cannot compress a webhook body");
    out.resize(4 + d.z.total_out);
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
