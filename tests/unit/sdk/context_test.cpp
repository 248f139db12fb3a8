// tests/unit/sdk/context_test.cpp - the Context's typed view of a hook's input: the member object
// as hosts of MicroCloud 0.2 send it, as older ones did, and when it is missing or malformed; and
// whether discover is asked for `microcloud status`.
#include <microcloud/sdk/plugin.hpp>

#include <gtest/gtest.h>

#include <string>

namespace sdk = microcloud::sdk;

namespace {

// A context over `input`; input(), member() and discovering_for_status() never reach the host.
template <typename Fn>
auto with_context(const std::string& input, Fn&& read) {
    mc_call call{};
    call.struct_size = sizeof call;
    call.input = input.c_str();
    call.input_len = input.size();
    const sdk::Context ctx(nullptr, &call);
    return read(ctx);
}

sdk::MemberInput member_of(const std::string& input) {
    return with_context(input, [](const sdk::Context& ctx) { return ctx.member(); });
}

bool for_status(const std::string& input) {
    return with_context(input, [](const sdk::Context& ctx) { return ctx.discovering_for_status(); });
}

TEST(ContextMember, ReadsNameStateDirAndPluginDir) {
    const sdk::MemberInput m =
        member_of(R"({"member":{"name":"m1","state_dir":"/var/lib/microcloud","plugin_dir":"/var/lib/microcloud/plugin-state/hello"}})");
    EXPECT_EQ(m.name, "m1");
    EXPECT_EQ(m.state_dir, "/var/lib/microcloud");
    EXPECT_EQ(m.plugin_dir, "/var/lib/microcloud/plugin-state/hello");
}

TEST(ContextMember, LeavesWhatTheHostDidNotSendEmpty) {
    EXPECT_EQ(member_of(R"({"member":{"name":"m1","state_dir":"/s"}})").plugin_dir, "");
    EXPECT_EQ(member_of(R"({})").name, "");
    EXPECT_EQ(member_of(R"({"member":"m1"})").name, "");
    EXPECT_EQ(member_of(R"({"member":{"name":7}})").name, "");
}

TEST(ContextPurpose, OnlyPurposeStatusIsDiscoveringForStatus) {
    EXPECT_TRUE(for_status(R"({"purpose":"status","member":{"name":"m1"}})"));
    EXPECT_FALSE(for_status(R"({"member":{"name":"m1"}})"));  // a formation, or a host before 0.2
    EXPECT_FALSE(for_status(R"({"purpose":"plan"})"));
    EXPECT_FALSE(for_status(R"({"purpose":7})"));
    EXPECT_FALSE(for_status(R"([])"));
}

}  // namespace
