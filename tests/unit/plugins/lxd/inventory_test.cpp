// tests/unit/plugins/lxd/inventory_test.cpp - pools and networks from real LXD listings.
#include "envelope.hpp"
#include "inventory.hpp"
#include "test_data.hpp"

#include <gtest/gtest.h>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

Json metadata_in(const std::string& file) {
    return metadata_of(sdk::HttpResponse{200, test::read_data(file)}, "GET");
}

TEST(LxdInventory, StoragePoolsWithRecursion) {
    EXPECT_EQ(summarize_storage_pools(metadata_in("storage_pools_recursion.json")),
              Json::array({{{"name", "local"}, {"driver", "dir"}, {"status", "Created"}}}));
}

TEST(LxdInventory, NetworksWithRecursion) {
    const Json networks = summarize_networks(metadata_in("networks_recursion.json"));
    ASSERT_EQ(networks.size(), 2u);
    EXPECT_EQ(networks[0], (Json{{"name", "lxdbr0"}, {"type", "bridge"}, {"managed", true}, {"status", "Created"}}));
    EXPECT_EQ(networks[1].at("name"), "lo");
    EXPECT_EQ(networks[1].at("managed"), false);
}

TEST(LxdInventory, PlainUrlListGivesNames) {
    EXPECT_EQ(summarize_networks(metadata_in("networks_urls.json")), Json::array({{{"name", "lo"}}}));
}

TEST(LxdInventory, NullIsEmptyAndAnObjectIsRejected) {
    EXPECT_EQ(summarize_storage_pools(Json()), Json::array());
    EXPECT_THROW(summarize_networks(Json::object()), sdk::Error);
}

}  // namespace
}  // namespace microcloud::plugins::lxd
