#include "store_scenario.hpp"

#include <sstream>

using namespace switchboard;
using store::backend;
using store::parse_database_url;

TEST_CASE("store: sqlite URLs", "[store]") {
    auto u = parse_database_url("sqlite:var/switchboard.db");
    CHECK(u.kind == backend::sqlite);
    CHECK(u.sqlite_path == "var/switchboard.db");
    CHECK(u.connect == "var/switchboard.db");
    CHECK_FALSE(u.in_memory);

    CHECK(parse_database_url("sqlite:///abs/x.db").sqlite_path == "/abs/x.db");
    auto mem = parse_database_url("sqlite::memory:");
    CHECK(mem.in_memory);
    CHECK(mem.sqlite_path == ":memory:");
    // SOCI reads key=value pairs as soon as the string holds '=': quote the path.
    CHECK(parse_database_url("sqlite:a=b.db").connect == "db=\"a=b.db\"");
    CHECK_THROWS_AS(parse_database_url("sqlite:"), store::store_error);
}

TEST_CASE("store: postgresql URLs become libpq keyword strings", "[store]") {
    auto u = parse_database_url("postgresql://sb:p%40ss%20w'd@db.example:6543/calls?sslmode=require");
    CHECK(u.kind == backend::postgresql);
    CHECK(u.connect ==
          "user='sb' password='p@ss w\\'d' host='db.example' port='6543' dbname='calls' sslmode='require' "
          "options='-c client_min_messages=warning'");

    auto v6 = parse_database_url("postgres://[::1]:5432/x");
    CHECK(v6.connect == "host='::1' port='5432' dbname='x' options='-c client_min_messages=warning'");

    auto kw = parse_database_url("postgresql:host=127.0.0.1 port=5 dbname=postgres user=postgres");
    CHECK(kw.kind == backend::postgresql);
    CHECK(kw.connect ==
          "host=127.0.0.1 port=5 dbname=postgres user=postgres options='-c client_min_messages=warning'");
    // A caller's own options are left alone.
    CHECK(parse_database_url("postgresql:host=h options='-c x=y'").connect == "host=h options='-c x=y'");
}

TEST_CASE("store: bad database URLs name the problem, never the password", "[store]") {
    auto message = [](const std::string& url) {
        try {
            parse_database_url(url);
        } catch (const store::store_error& e) {
            return std::string(e.what());
        }
        FAIL("no error for " << url);
        return std::string();
    };
    CHECK_THAT(message("mysql://root:hunter2@h/db"), Catch::Contains("unsupported scheme 'mysql'"));
    CHECK_THAT(message("mysql://root:hunter2@h/db"), !Catch::Contains("hunter2"));
    CHECK_THAT(message("postgresql://u:hunter2@h:99999/db"), Catch::Contains("port"));
    CHECK_THAT(message("postgresql://u:hunter2@h:99999/db"), !Catch::Contains("hunter2"));
    CHECK_THAT(message("postgresql://u:hunter2@h:5432/db?novalue"), Catch::Contains("key=value"));
    CHECK_THAT(message("var/switchboard.db"), Catch::Contains("no scheme"));
    CHECK_THAT(message(""), Catch::Contains("empty"));
    CHECK_THAT(message("postgresql:"), Catch::Contains("keyword string"));
}

TEST_CASE("store: a bad SQLite location is reported with its path", "[store][sqlite]") {
    testing::temp_dir dir;
    auto blocker = dir.write("file", "x");  // a file where a folder should be
    try {
        store::store s("sqlite:" + (blocker / "sub" / "sb.db").string(), 1);
        FAIL("opened a database under a file");
    } catch (const store::store_error& e) {
        CHECK_THAT(e.what(), Catch::Contains((blocker / "sub").string()));
    }
}

TEST_CASE("store: sqlite::memory: works with a pool size of one", "[store][sqlite]") {
    store::store s("sqlite::memory:", 8);
    CHECK(s.migrate() == store::store::latest_schema_version());
    s.upsert_org("acme", "Acme");
    CHECK(s.list_orgs().size() == 1);  // same connection saw the migration and the row
}

TEST_CASE("store: a postgresql:// URL connects (pg)", "[store][pg]") {
    // Rebuild SB_PG's keyword string as a URL for a fresh database.
    auto keywords = testing::fresh_pg_database().substr(std::string("postgresql:").size());
    std::string host, port, db, user;
    std::istringstream words(keywords);
    for (std::string w; words >> w;) {
        auto eq = w.find('=');
        auto k = w.substr(0, eq), v = w.substr(eq + 1);
        if (k == "host") host = v;
        if (k == "port") port = v;
        if (k == "dbname") db = v;
        if (k == "user") user = v;
    }
    store::store s("postgresql://" + user + "@" + host + ":" + port + "/" + db, 2);
    CHECK(s.kind() == backend::postgresql);
    CHECK(s.ping());
    CHECK(s.migrate() == store::store::latest_schema_version());
}
