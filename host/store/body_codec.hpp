// Webhook bodies are kept compressed in the inbox: a status-update (4 KB of JSON)
// then fits in its table page instead of spilling into an overflow page, and an
// end-of-call report (24 KB) takes two pages instead of six. Every page is written
// twice (WAL, then checkpoint), so this is most of the ingest path's disk work.
// deflate (zlib, fastest level) then base64, so the column stays TEXT on both
// backends. Callers never see the packed form: the store unpacks what it reads.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::store {

inline constexpr std::string_view packed_body_encoding = "deflate+base64";

std::string pack_body(std::string_view raw);
// Throws store_error when `packed` is not something pack_body() made.
std::string unpack_body(std::string_view packed);

}  // namespace switchboard::store
