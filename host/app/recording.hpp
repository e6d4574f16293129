// A recorded webhook file as `switchboard replay` reads it: one body per line
// (JSON lines), blank lines and `#` comments skipped, each line keeping its number
// so every result and error can name it.
#pragma once

#include <istream>
#include <string>
#include <vector>

namespace switchboard::app {

struct recorded_line {
    int number = 0;       // 1-based, in the file
    std::string body;     // as recorded, without the line end
    std::string type;     // message.type, else type; "?" when absent
    std::string call_id;  // message.call.id, else call.id; empty when absent
    std::string error;    // set: not valid JSON (with the column); the line is not sent
};

// Reads every line that is not blank and not a comment. Never throws.
std::vector<recorded_line> read_recording(std::istream& in);

}  // namespace switchboard::app
