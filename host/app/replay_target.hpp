// Where `switchboard replay` sends recorded webhooks: the in-process pipeline
// (trusted, straight into the configured database) or a running host over HTTP.
// The driver (replay.cpp) is the same for both, so both print the same lines.
#pragma once

#include "host/app/recording.hpp"

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace switchboard::app {

struct replay_options;

struct line_outcome {
    int status = 0;          // the HTTP status; 0 when nothing was answered
    bool duplicate = false;  // the host had stored this webhook already (in-process only: HTTP does not say)
    std::string detail;      // the answer's body, or why there was none

    bool ok() const noexcept { return status >= 200 && status < 300; }
};

class replay_target {
public:
    virtual ~replay_target() = default;
    // "the in-process pipeline (org acme, sqlite:...)" or the webhook URL; no secrets.
    virtual std::string describe() const = 0;
    virtual line_outcome send(const recorded_line& line) = 0;
    // Prints the calls with these provider call ids as JSON, one per line, in the
    // API's call detail shape. Returns false (after saying why on `err`) when they
    // could not be read.
    virtual bool print_calls(const std::vector<std::string>& provider_call_ids, std::ostream& out,
                             std::ostream& err) = 0;
};

// Both print their own errors and set `exit_code` (2: config, org; 1: store) when
// they return null.
std::unique_ptr<replay_target> make_in_process_target(const replay_options& o, int& exit_code);
std::unique_ptr<replay_target> make_http_target(const replay_options& o);

}  // namespace switchboard::app
