// tests/plugin/abi_version_test.cpp - parse_abi and the compatibility rule: majors equal, the
// plugin's minor not above the host's, and every rejection naming file, versions and the fix.
#include "fixture_cases.hpp"

#include "plugins/abi_version.hpp"

#include <microcloud/sdk/plugin.h>

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace microcloud::test {
namespace {

using host::plugins::abi_incompatibility;
using host::plugins::AbiVersion;
using host::plugins::host_abi;
using host::plugins::parse_abi;

const std::string kFile = "/usr/lib/microcloud/plugins/lxd/lxd.so";

TEST(ParseAbi, AcceptsMajorDotMinor) {
    EXPECT_EQ(parse_abi("1.0"), (AbiVersion{1, 0}));
    EXPECT_EQ(parse_abi("2.13"), (AbiVersion{2, 13}));
    EXPECT_EQ(parse_abi("0.0"), (AbiVersion{0, 0}));
    EXPECT_EQ(parse_abi("10.007"), (AbiVersion{10, 7}));
}

TEST(ParseAbi, RejectsAnythingElse) {
    for (const char* text : {"", "1", "1.", ".1", ".", "1.x", "x.1", "a.b", "1.0.0", "1..0", "-1.0", "1.-0",
                             "+1.0", " 1.0", "1.0 ", "1,0", "v1.0", "99999999999.0", "1.99999999999"})
        EXPECT_EQ(parse_abi(text), std::nullopt) << '"' << text << '"';
}

TEST(AbiVersion, PrintsAsMajorDotMinor) {
    EXPECT_EQ((AbiVersion{1, 7}).str(), "1.7");
    EXPECT_EQ(parse_abi((AbiVersion{3, 12}).str()), (AbiVersion{3, 12}));
}

TEST(HostAbi, IsTheSdkHeaderVersion) { EXPECT_EQ(host_abi(), (AbiVersion{MC_ABI_MAJOR, MC_ABI_MINOR})); }

TEST(AbiIncompatibility, SameVersionLoads) { EXPECT_EQ(abi_incompatibility({1, 0}, {1, 0}, kFile), ""); }

TEST(AbiIncompatibility, OlderMinorLoads) {
    EXPECT_EQ(abi_incompatibility({1, 3}, {1, 0}, kFile), "");
    EXPECT_EQ(abi_incompatibility({1, 3}, {1, 2}, kFile), "");
}

TEST(AbiIncompatibility, NewerMinorNeedsNewerHost) {
    std::string why = abi_incompatibility({1, 3}, {1, 4}, kFile);
    EXPECT_TRUE(mentions(why, "needs a newer host"));
    EXPECT_TRUE(mentions(why, kFile));
    EXPECT_TRUE(mentions(why, "1.4"));
    EXPECT_TRUE(mentions(why, "1.3"));
}

TEST(AbiIncompatibility, NewerMajorMustBeRebuilt) {
    std::string why = abi_incompatibility({1, 3}, {2, 0}, kFile);
    EXPECT_TRUE(mentions(why, "Wrong SDK ABI major version"));
    EXPECT_TRUE(mentions(why, kFile));
    EXPECT_TRUE(mentions(why, "2.0"));
    EXPECT_TRUE(mentions(why, "1.3"));
    EXPECT_TRUE(mentions(why, "Rebuild the plugin against SDK 1.x"));
}

TEST(AbiIncompatibility, OlderMajorMustBeRebuiltEvenWithHigherMinor) {
    std::string why = abi_incompatibility({2, 0}, {1, 9}, kFile);
    EXPECT_TRUE(mentions(why, "Wrong SDK ABI major version"));
    EXPECT_TRUE(mentions(why, "1.9"));
    EXPECT_TRUE(mentions(why, "2.0"));
    EXPECT_TRUE(mentions(why, "Rebuild the plugin against SDK 2.x"));
}

}  // namespace
}  // namespace microcloud::test
