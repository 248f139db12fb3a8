// tests/unit/membership/member_file_test.cpp - the member file round trip and member address
// checks (accepted forms normalised, others refused naming the value).
#include "membership/member_file.hpp"

#include "common/error.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace microcloud::host::membership {
namespace {

TEST(MemberFile, AbsentMeansNotClustered) {
    testing::TempDir dir;
    EXPECT_FALSE(read_local_member(dir.path()).has_value());
}

TEST(MemberFile, RoundTrips) {
    testing::TempDir dir;
    const LocalMember member{"m1", "10.0.0.1:9443", 42};
    write_local_member(dir.path(), member);
    EXPECT_EQ(read_local_member(dir.path()), member);
}

TEST(MemberFile, GarbageIsAnError) {
    testing::TempDir dir;
    std::filesystem::create_directories(cluster_dir(dir.path()));
    std::ofstream(cluster_dir(dir.path()) / "member.json") << "{\"name\": 3}";
    try {
        read_local_member(dir.path());
        FAIL() << "accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "member_file_invalid");
    }
}

TEST(MemberAddress, AcceptedFormsAreNormalised) {
    EXPECT_EQ(normalise_member_address("10.0.0.1", 9443), "10.0.0.1:9443");
    EXPECT_EQ(normalise_member_address("10.0.0.1:7000", 9443), "10.0.0.1:7000");
    EXPECT_EQ(normalise_member_address("fd00::1", 9443), "[fd00::1]:9443");
    EXPECT_EQ(normalise_member_address("[fd00::1]:7000", 9443), "[fd00::1]:7000");
}

TEST(MemberAddress, OtherFormsAreRefusedNamingTheValue) {
    for (const std::string bad :
         {"", "host.example", "10.0.0.1:", "10.0.0.1:99999", "10.0.0.300", "[fd00::1", "fd00::zz"}) {
        try {
            normalise_member_address(bad, 9443);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), "invalid_address") << bad;
            EXPECT_NE(std::string(error.what()).find("\"" + bad + "\""), std::string::npos) << error.what();
            EXPECT_EQ(error.details().at("field"), "address");
        }
    }
}

}  // namespace
}  // namespace microcloud::host::membership
