#include "host/app/kb_command.hpp"

#include "host/app/startup.hpp"
#include "host/knowledge/library.hpp"
#include "host/store/store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace switchboard::app {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr const char* usage = R"(usage: switchboard kb import ORG PATH [--tag TAG]... [--config PATH]

PATH is a folder or a JSON Lines file:
  folder   every .md, .markdown and .txt file beneath it is one document; its title is
           the first "# " heading, else the file name; its name (the path under the
           folder) identifies it, so importing again replaces it
  .jsonl   one document per line: {"title", "text" | "markdown", "tags"?, "id"?};
           "id" identifies it (else the file name and line number)
--tag TAG  adds TAG to every imported document (repeatable)
)";

constexpr std::size_t batch_size = 1000;  // documents per transaction

struct import_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw import_error(p.string() + ": cannot read");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// "pet-policy_2024" -> "pet policy 2024"
std::string title_from_name(const fs::path& p) {
    std::string t = p.stem().string();
    std::replace_if(t.begin(), t.end(), [](char c) { return c == '-' || c == '_'; }, ' ');
    return t;
}

knowledge::document_input from_file(const fs::path& root, const fs::path& file) {
    knowledge::document_input d;
    d.body = read_file(file);
    auto ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    d.format = ext == ".txt" ? "text" : "markdown";
    d.external_id = fs::relative(file, root).generic_string();
    if (d.format == "markdown") {
        std::istringstream lines(d.body);
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("# ", 0) == 0) {
                d.title = line.substr(2);
                while (!d.title.empty() && (d.title.back() == '\r' || d.title.back() == ' ')) d.title.pop_back();
                break;
            }
        }
    }
    if (d.title.empty()) d.title = title_from_name(file);
    return d;
}

knowledge::document_input from_json_line(const std::string& line, const std::string& where,
                                         const std::string& fallback_id) {
    json::error_code ec;
    auto v = json::parse(line, ec);
    if (ec || !v.is_object()) throw import_error(where + ": not a JSON object");
    auto const& o = v.get_object();
    auto text_of = [&](std::string_view key) -> std::string {
        auto const* f = o.if_contains(key);
        if (!f || f->is_null()) return {};
        if (!f->is_string()) throw import_error(where + ": " + std::string(key) + ": expected a string");
        return std::string(f->get_string());
    };
    knowledge::document_input d;
    d.title = text_of("title");
    if (o.contains("markdown")) {
        d.body = text_of("markdown");
        d.format = "markdown";
    } else {
        d.body = text_of("text");
        d.format = "text";
    }
    if (d.title.empty()) throw import_error(where + ": title: required");
    if (auto const* id = o.if_contains("id"); id && id->is_string()) d.external_id = std::string(id->get_string());
    else if (id && (id->is_int64() || id->is_uint64())) d.external_id = json::serialize(*id);
    else d.external_id = fallback_id;
    if (auto const* tags = o.if_contains("tags"); tags && tags->is_array())
        for (auto const& t : tags->get_array())
            if (t.is_string() && !t.get_string().empty()) d.tags.emplace_back(t.get_string());
    return d;
}

}  // namespace

int kb_command(const std::string& config_path_in, const std::vector<std::string>& args) {
    std::string config_path = config_path_in;
    std::vector<std::string> positional, extra_tags;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if ((args[i] == "--config" || args[i] == "-c") && i + 1 < args.size()) config_path = args[++i];
        else if (args[i].rfind("--config=", 0) == 0) config_path = args[i].substr(9);
        else if (args[i] == "--tag" && i + 1 < args.size()) extra_tags.push_back(args[++i]);
        else if (args[i] == "-h" || args[i] == "--help") {
            std::cout << usage;
            return 0;
        } else positional.push_back(args[i]);
    }
    if (positional.size() != 3 || positional[0] != "import") {
        std::cerr << usage;
        return 64;
    }
    const std::string& org = positional[1];
    const fs::path path = positional[2];

    auto cfg = read_config(config_path);
    if (!cfg) return exit_config;
    if (!cfg->find_org(org)) {
        std::cerr << "switchboard kb: no org '" << org << "' in " << cfg->file << "\n";
        return exit_config;
    }
    try {
        store::store db(cfg->database.url, 2);
        db.migrate();
        const auto options = knowledge_options(*cfg);
        const auto began = std::chrono::steady_clock::now();
        std::size_t documents = 0, chunks = 0;
        std::vector<knowledge::document_input> batch;
        auto flush = [&] {
            if (batch.empty()) return;
            for (auto& d : batch)
                for (auto const& t : extra_tags)
                    if (std::find(d.tags.begin(), d.tags.end(), t) == d.tags.end()) d.tags.push_back(t);
            auto entries = knowledge::prepare_documents(org, std::move(batch), options.chunking);
            db.put_knowledge(entries);
            documents += entries.size();
            for (auto const& e : entries) chunks += e.chunks.size();
            batch.clear();
        };
        if (fs::is_directory(path)) {
            std::vector<fs::path> files;
            for (auto const& entry : fs::recursive_directory_iterator(path)) {
                if (!entry.is_regular_file()) continue;
                auto ext = entry.path().extension().string();
                std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
                if (ext == ".md" || ext == ".markdown" || ext == ".txt") files.push_back(entry.path());
            }
            std::sort(files.begin(), files.end());
            for (auto const& f : files) {
                batch.push_back(from_file(path, f));
                if (batch.size() == batch_size) flush();
            }
        } else if (fs::is_regular_file(path)) {
            std::ifstream in(path);
            if (!in) throw import_error(path.string() + ": cannot read");
            std::size_t n = 0;
            for (std::string line; std::getline(in, line);) {
                ++n;
                if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
                const std::string where = path.string() + ":" + std::to_string(n);
                batch.push_back(from_json_line(line, where, path.filename().string() + ":" + std::to_string(n)));
                if (batch.size() == batch_size) flush();
            }
        } else {
            throw import_error(path.string() + ": no such file or folder");
        }
        flush();
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count();
        std::cout << "org " << org << ": " << documents << " document(s), " << chunks << " chunk(s) stored in " << ms
                  << " ms (sequence " << db.knowledge_sequence(org) << ")\n"
                  << "a running host indexes them within " << cfg->knowledge.follow_interval_ms
                  << " ms; a host that starts later indexes them as it starts\n";
        return 0;
    } catch (const import_error& e) {
        std::cerr << "switchboard kb import: " << e.what() << "\n";
        return exit_config;
    } catch (const std::exception& e) {
        std::cerr << "switchboard kb import: " << e.what() << "\n";
        return exit_runtime;
    }
}

}  // namespace switchboard::app
