// tests/unit/discovery/multicast_socket_test.cpp - socket errors name the interface (nothing is sent).
#include "discovery/multicast_socket.hpp"
#include "common/error.hpp"
#include "discovery/lookup.hpp"

#include <gtest/gtest.h>

namespace discovery = microcloud::host::discovery;
using microcloud::host::Error;

TEST(DiscoveryMulticastSocket, UnknownInterfaceIsNamed) {
    try {
        discovery::MulticastSocket::sender({"nosuchif0", "10.174.0.2"});
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "discovery_socket_failed");
        EXPECT_NE(std::string(error.what()).find("interface nosuchif0 (address 10.174.0.2)"), std::string::npos)
            << error.what();
        EXPECT_EQ(error.details()["interface"], "nosuchif0");
    }
}

TEST(DiscoveryMulticastSocket, LookupOnUnknownInterfaceFailsBeforeProbing) {
    discovery::LookupOptions options;
    options.on = {{"nosuchif0", "10.174.0.2"}, 24, "10.174.0.0/24"};
    options.timeout = std::chrono::milliseconds(100);
    EXPECT_THROW(discovery::lookup(options), Error);
}
