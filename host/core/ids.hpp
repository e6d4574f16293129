// Time-sortable string ids (UUIDv7): sorting by id sorts by creation time, which
// keeps "newest first" cheap and ids safe to show to clients.
#pragma once
#include <string>

namespace switchboard::core {
std::string new_id();
}
