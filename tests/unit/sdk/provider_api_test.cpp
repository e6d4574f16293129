// A provider that implements only the webhook side answers every call-out method
// with provider_api_error 501, so older plugins keep compiling and the host says
// "not supported".
#include <switchboard/provider.hpp>

#include <catch2/catch.hpp>

using namespace switchboard;

namespace {

struct webhooks_only final : sdk::provider {
    sdk::verification verify(const sdk::webhook_request&) const override { return {true, {}}; }
    sdk::parsed_webhook parse(const sdk::webhook_request&) const override { return {}; }
    sdk::webhook_response render(const sdk::webhook_request&, const sdk::webhook_answer&) const override { return {}; }
};

template <class Fn>
int status_of(Fn&& fn) {
    try {
        fn();
    } catch (const sdk::provider_api_error& e) {
        return e.status();
    }
    return 0;
}

}  // namespace

TEST_CASE("call-out methods default to 501 not supported", "[sdk][provider_api]") {
    const webhooks_only p;
    const sdk::org_context org{"acme", nullptr};
    sdk::assistant_spec spec;
    sdk::outbound_call_request call;
    CHECK(status_of([&] { p.create_assistant(org, spec); }) == 501);
    CHECK(status_of([&] { p.get_assistant(org, "a"); }) == 501);
    CHECK(status_of([&] { p.update_assistant(org, "a", spec); }) == 501);
    CHECK(status_of([&] { p.delete_assistant(org, "a"); }) == 501);
    CHECK(status_of([&] { p.list_assistants(org, 10); }) == 501);
    CHECK(status_of([&] { p.place_call(org, call); }) == 501);
    CHECK(status_of([&] { p.get_call(org, "c"); }) == 501);
    CHECK(status_of([&] { p.list_calls(org, {}); }) == 501);
    try {
        p.place_call(org, call);
    } catch (const sdk::provider_api_error& e) {
        CHECK(std::string(e.what()) == "outbound calls are not supported");
    }
}
