// tests/unit/sdk/context_test.cpp - the Context's typed view of a hook's input: the member object
// as hosts of MicroCloud 0.2 send it, as older ones did, and when it is missing or malformed.
#include <microcloud/sdk/plugin.hpp>

#include <gtest/gtest.h>

#include <string>

namespace sdk = microcloud::sdk;

namespace {

sdk::MemberInput member_of(const std::string& input) {
    mc_call call{};
    call.struct_size = sizeof call;
    call.input = input.c_str();
    call.input_len = input.size();
    const sdk::Context ctx(nullptr, &call);  // input() and member() never reach the host
    return ctx.member();
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

}  // namespace
