// The knowledge base through the real binary, on SQLite and PostgreSQL: documents
// managed over the API, searched by the dashboard endpoint, by the assistant's
// search_knowledge_base tool on the Vapi tool-calls path (with the org's route_tool
// hook), by Vapi's knowledge-base-request and by sb.kb_search; kept per org; the
// index rebuilt from the store when its folder is lost, and `kb import` picked up by
// a running host.
#include "host_fixture.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

using namespace switchboard::testing;
namespace json = boost::json;

namespace {

constexpr const char* secret = "kb-vapi-secret";

// route_tool answers "who wrote" questions from sb.kb_search itself, to prove the
// script sees the same index; everything else goes to the tool.
const char* acme_script = R"(
function route_tool(call, name, args)
  if name == 'search_knowledge_base' and args.query == 'which document' then
    local hits, err = sb.kb_search('parking garage', 1)
    if not hits then return { action = 'deny', message = 'no search: ' .. tostring(err) } end
    if #hits == 0 then return { action = 'deny', message = 'nothing found' } end
    return { action = 'deny', message = 'It is in ' .. hits[1].title .. '.' }
  end
  return nil
end
)";

struct kb_host {
    temp_dir scripts;
    std::unique_ptr<host> h;

    explicit kb_host(db_kind kind, const std::string& extra = {}) {
        scripts.write("orgs/acme.lua", acme_script);
        host_options o;
        o.org_yaml = std::string("orgs:\n") + "  - id: acme\n    api_keys: [\"" + acme_key + "\"]\n" +
                     "    plugins:\n      vapi: {webhook_secret: \"" + secret + "\"}\n" + "  - id: globex\n" +
                     "    api_keys: [\"" + globex_key + "\"]\n" + "    plugins:\n      vapi: {webhook_secret: \"" +
                     secret + "\"}\n";
        o.plugins_yaml = std::string("plugins:\n  directories: [\"") + SB_PLUGIN_DIR +
                         "\"]\n  load:\n    - name: vapi\n      required: true\n    - name: knowledge_search\n"
                         "      required: true\n";
        o.extra_yaml = "scripting:\n  directory: \"" + scripts.path().string() + "\"\n" + extra;
        h = std::make_unique<host>(kind, o);
        h->start();
    }

    json::value call(const std::string& method, const std::string& target, const std::string& body, int expect,
                     const std::string& key = acme_key) {
        auto r = h->request(method, target, body, key);
        INFO(method << " " << target << " -> " << r.status << " " << r.body);
        REQUIRE(r.status == expect);
        return json::parse(r.body);
    }

    json::array search(const std::string& q, const std::string& key = acme_key) {
        auto v = call("GET", "/api/v1/knowledge/search?q=" + url_encode(q), "", 200, key);
        return v.at("results").as_array();
    }

    http_response vapi(const std::string& org, const std::string& body) {
        http_client c("127.0.0.1", h->port());
        return c.request("POST", "/webhooks/vapi/" + org, body,
                         {{"Content-Type", "application/json"}, {"X-Vapi-Secret", secret}});
    }

    std::string tool_result(const std::string& org, const std::string& query, const std::string& id) {
        auto r = vapi(org, R"({"message":{"type":"tool-calls","toolCallList":[{"id":")" + id +
                                R"(","type":"function","function":{"name":"search_knowledge_base","arguments":{"query":)" +
                                json::serialize(json::value(query)) + R"(}}}],"call":{"id":"call-)" + id + R"("}}})");
        INFO(r.body);
        REQUIRE(r.status == 200);
        auto results = json::parse(r.body).at("results").as_array();
        REQUIRE(results.size() == 1);
        CHECK(results[0].at("toolCallId").as_string() == id);
        return std::string(results[0].at("result").as_string());
    }

    static std::string url_encode(const std::string& s) {
        std::string out;
        for (unsigned char c : s) {
            if (std::isalnum(c) || c == '-' || c == '_' || c == '.') out.push_back(static_cast<char>(c));
            else {
                char buf[4];
                std::snprintf(buf, sizeof buf, "%%%02X", c);
                out += buf;
            }
        }
        return out;
    }
};

const char* pets_markdown = R"(# Pet policy

## Dogs

Dogs under 50 pounds are welcome in every building. A pet deposit of $300 is due at move-in.

## Cats

Cats are welcome; two per apartment at most.
)";

void documents_and_search(db_kind kind) {
    kb_host k(kind);

    // Add one document (Markdown) and a batch of two (text).
    auto pets = k.call("POST", "/api/v1/knowledge/documents",
                       json::serialize(json::object{{"title", "Pet policy"}, {"markdown", pets_markdown},
                                                    {"tags", json::array{"pets", "policy"}}}),
                       201);
    const std::string pets_id(pets.at("id").as_string());
    CHECK(pets.at("chunks").as_int64() >= 2);  // one per heading section at least
    CHECK(pets.at("format").as_string() == "markdown");
    auto batch = k.call("POST", "/api/v1/knowledge/documents",
                        R"({"documents":[{"title":"Parking","text":"Covered parking is $75 a month. The garage opens at 6 AM."},
                                         {"title":"Rent payments","text":"Pay rent through the resident portal by the 5th."}]})",
                        201);
    REQUIRE(batch.at("documents").as_array().size() == 2);
    const std::string parking_id(batch.at("documents").as_array()[0].at("id").as_string());

    // Listed, read back, filtered by tag.
    auto list = k.call("GET", "/api/v1/knowledge/documents", "", 200);
    CHECK(list.at("total").as_int64() == 3);
    CHECK(k.call("GET", "/api/v1/knowledge/documents?tag=pets", "", 200).at("total").as_int64() == 1);
    auto one = k.call("GET", "/api/v1/knowledge/documents/" + pets_id, "", 200);
    CHECK(one.at("text").as_string() == pets_markdown);

    // Search: stemming ("deposits" finds "deposit"), the section heading comes along.
    auto hits = k.search("pet deposits");
    REQUIRE_FALSE(hits.empty());
    CHECK(hits[0].at("document_id").as_string() == pets_id);
    CHECK(std::string(hits[0].at("text").as_string()).find("$300") != std::string::npos);
    CHECK(std::string(hits[0].at("heading").as_string()).find("Dogs") != std::string::npos);
    CHECK(k.search("the of and").empty());  // stop words only
    CHECK(k.call("GET", "/api/v1/knowledge/search?q=garage&tag=pets", "", 200).at("results").as_array().empty());

    // Another org sees none of it: not the document, not the search.
    k.call("GET", "/api/v1/knowledge/documents/" + pets_id, "", 404, globex_key);
    CHECK(k.search("pet deposit", globex_key).empty());
    CHECK(k.call("GET", "/api/v1/knowledge/documents", "", 200, globex_key).at("total").as_int64() == 0);
    k.call("DELETE", "/api/v1/knowledge/documents/" + pets_id, "", 404, globex_key);

    // The assistant's tool answers from it, on the Vapi path, as one spoken line.
    auto said = k.tool_result("acme", "how much is the pet deposit", "tc-1");
    CHECK(said.find("300") != std::string::npos);
    CHECK(said.find('#') == std::string::npos);
    CHECK(said.find('\n') == std::string::npos);
    // The org's route_tool hook runs first and can use sb.kb_search itself.
    CHECK(k.tool_result("acme", "which document", "tc-2") == "It is in Parking.");
    // Arguments that do not fit the tool's schema never reach it: a polite line instead.
    {
        auto r = k.vapi("acme", R"({"message":{"type":"tool-calls","toolCallList":[{"id":"tc-bad","type":"function",
            "function":{"name":"search_knowledge_base","arguments":{"question":"pets?"}}}],"call":{"id":"call-bad"}}})");
        REQUIRE(r.status == 200);
        auto results = json::parse(r.body).at("results").as_array();
        REQUIRE(results.size() == 1);
        CHECK(results[0].at("result").as_string() == "I'm sorry, I still need the query for that.");
        CHECK_THAT(k.h->log(), Catch::Contains("arguments refused: query is required"));
    }
    // Globex asks the same and has no such knowledge.
    CHECK(k.tool_result("globex", "how much is the pet deposit", "tc-3").find("300") == std::string::npos);

    // Vapi's own knowledge-base request gets documents from the same index.
    auto r = k.vapi("acme", R"({"message":{"type":"knowledge-base-request","call":{"id":"call-kb"},
        "messages":[{"role":"user","message":"where is covered parking"}],"messagesOpenAIFormatted":[]}})");
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto docs = json::parse(r.body).at("documents").as_array();
    REQUIRE_FALSE(docs.empty());
    CHECK(std::string(docs[0].at("content").as_string()).find("Covered parking") != std::string::npos);
    CHECK(docs[0].at("similarity").as_double() == Approx(1.0));

    // Changing a document re-indexes it; deleting it takes it out of the index.
    k.call("PUT", "/api/v1/knowledge/documents/" + parking_id,
           R"({"text":"Parking is free for residents; the garage opens at 5 AM."})", 200);
    auto parking = k.search("garage");
    REQUIRE(parking.size() == 1);
    CHECK(std::string(parking[0].at("text").as_string()).find("free for residents") != std::string::npos);
    CHECK(k.search("covered").empty());
    k.call("DELETE", "/api/v1/knowledge/documents/" + parking_id, "", 200);
    CHECK(k.search("garage").empty());
    k.call("GET", "/api/v1/knowledge/documents/" + parking_id, "", 404);

    auto status = k.call("GET", "/api/v1/knowledge/status", "", 200);
    CHECK(status.at("in_step").as_bool());
    CHECK(status.at("applied_sequence").as_int64() == status.at("store_sequence").as_int64());

    // Bad input: the detail names the field; nothing is stored.
    auto bad = [&](const std::string& body, const std::string& detail) {
        auto v = k.call("POST", "/api/v1/knowledge/documents", body, 422);
        CHECK_THAT(std::string(v.at("detail").as_string()), Catch::Contains(detail));
    };
    bad(R"({"text":"no title"})", "title: required");
    bad(R"({"title":"No text"})", "text or markdown: required");
    bad(R"({"title":"T","text":"x","colour":"red"})", "colour: unknown field");
    bad(R"({"title":"T","text":"x","tags":[1]})", "tags:");
    bad(R"({"documents":[{"title":"ok","text":"fine"},{"text":"no title"}]})", "documents[1].title: required");
    CHECK(k.call("GET", "/api/v1/knowledge/documents", "", 200).at("total").as_int64() == 2);
    k.call("GET", "/api/v1/knowledge/search", "", 422);
    // An admin names the org; without one the request is refused.
    k.call("GET", "/api/v1/knowledge/search?q=pets", "", 422, admin_key);
    CHECK_FALSE(k.call("GET", "/api/v1/knowledge/search?q=pets&org=acme", "", 200, admin_key)
                    .at("results").as_array().empty());
}
SB_BOTH_DATABASES("knowledge documents over the API, searched by the dashboard, the tool, Vapi and Lua", "[knowledge]",
                  documents_and_search)

// The index is derived data: lose its folder and the next start builds it again
// from the store; `kb import` while the host runs is picked up by its follower.
void rebuild_and_import(db_kind kind) {
    temp_dir docs;
    docs.write("faq/pool-hours.md", "# Pool hours\n\nThe pool is open from 8 AM to 10 PM in summer.\n");
    docs.write("faq/laundry.txt", "Laundry rooms are on every floor and take the resident card.\n");
    {
        temp_dir index;
        const auto index_dir = index.path() / "kb";
        kb_host k(kind, "knowledge:\n  directory: \"" + index_dir.string() + "\"\n  follow_interval_ms: 100\n");
        CHECK(k.search("pool").empty());
        auto run = k.h->cli({"kb", "import", "acme", docs.path().string(), "--tag", "faq"});
        INFO(run.output);
        REQUIRE(run.code == 0);
        CHECK_THAT(run.output, Catch::Contains("2 document(s)"));
        // The running host follows the store's changes (another process wrote them).
        json::array hits;
        for (int i = 0; i < 100 && hits.empty(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            hits = k.search("pool");
        }
        REQUIRE(hits.size() == 1);
        CHECK(hits[0].at("title").as_string() == "Pool hours");
        CHECK(k.call("GET", "/api/v1/knowledge/documents?tag=faq", "", 200).at("total").as_int64() == 2);
        // Importing again replaces by file name: still two documents.
        docs.write("faq/pool-hours.md", "# Pool hours\n\nThe pool closes at 9 PM from September.\n");
        REQUIRE(k.h->cli({"kb", "import", "acme", docs.path().string()}).code == 0);
        CHECK(k.call("GET", "/api/v1/knowledge/documents", "", 200).at("total").as_int64() == 2);
        bool replaced = false;
        for (int i = 0; i < 100 && !replaced; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            auto h = k.search("September");
            replaced = h.size() == 1;
        }
        CHECK(replaced);

        // Restart without the index folder: the host builds it from the store before
        // it serves, so the first search already finds the documents.
        k.h->proc().signal(SIGTERM);
        REQUIRE(k.h->proc().wait(std::chrono::seconds(10)) == 0);
        REQUIRE(std::filesystem::exists(index_dir));
        std::filesystem::remove_all(index_dir);
        k.h->start();
        CHECK(k.search("September").size() == 1);
        CHECK(k.search("laundry").size() == 1);
        auto status = k.call("GET", "/api/v1/knowledge/status", "", 200);
        CHECK(status.at("in_step").as_bool());
        CHECK(status.at("chunks").as_int64() == 2);
        CHECK_THAT(k.h->log(), Catch::Contains("in step with the store (2 document(s) applied"));
    }

    // A bad path is an error naming it; an unknown org too.
    kb_host k(kind);
    auto missing = k.h->cli({"kb", "import", "acme", (docs.path() / "nope").string()});
    CHECK(missing.code == 2);
    CHECK_THAT(missing.output, Catch::Contains("no such file or folder"));
    auto bad_org = k.h->cli({"kb", "import", "initech", docs.path().string()});
    CHECK(bad_org.code == 2);
    CHECK_THAT(bad_org.output, Catch::Contains("no org 'initech'"));
    docs.write("bad.jsonl", "{\"title\":\"ok\",\"text\":\"fine\"}\nnot json\n");
    auto bad_line = k.h->cli({"kb", "import", "acme", (docs.path() / "bad.jsonl").string()});
    CHECK(bad_line.code == 2);
    CHECK_THAT(bad_line.output, Catch::Contains("bad.jsonl:2: not a JSON object"));
}
SB_BOTH_DATABASES("kb import is followed by a running host, and a lost index is rebuilt at start", "[knowledge]", rebuild_and_import)

}  // namespace
