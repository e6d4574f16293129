// `switchboard kb import ORG PATH`: bulk-loads knowledge-base documents into the
// store (a folder of Markdown/text files, or a JSON Lines file). A running host picks
// them up within knowledge.follow_interval_ms; a host that starts later builds its
// index from the store.
#pragma once

#include <string>
#include <vector>

namespace switchboard::app {

// args: what follows `kb` on the command line ("import", org, path, options).
int kb_command(const std::string& config_path, const std::vector<std::string>& args);

}  // namespace switchboard::app
