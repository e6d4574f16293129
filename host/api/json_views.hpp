// How stored rows look in API responses. One place, so every endpoint and alias
// renders a call the same way.
#pragma once

#include "host/store/store.hpp"

#include <boost/json/object.hpp>
#include <boost/json/array.hpp>

namespace switchboard::api {

boost::json::object call_json(const store::call_row& row);
// Detail adds the transcript, analytics and the status history (ordered by the
// provider's times: the same whatever order the messages arrived in).
boost::json::object call_detail_json(const store::call_row& row, const std::vector<store::stored_segment>& transcript,
                                     const std::vector<store::status_step>& history);
boost::json::array status_history_json(const std::vector<store::status_step>& steps);
boost::json::object segment_json(const store::stored_segment& s);
boost::json::array transcript_json(const std::vector<store::stored_segment>& transcript);
boost::json::object analytics_json(const store::call_analytics& a);
boost::json::object org_json(const store::org_row& org);

}  // namespace switchboard::api
