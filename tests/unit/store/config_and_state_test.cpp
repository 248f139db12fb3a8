// tests/unit/store/config_and_state_test.cpp - cluster config keys and per-member plugin state.
#include "store_test_support.hpp"

namespace microcloud::host::store::testing {
namespace {

class ConfigAndStateTest : public StoreTest {};

TEST_F(ConfigAndStateTest, ConfigKeysAreSetReplacedListedAndUnset) {
    EXPECT_EQ(store().get_config("core.https_address"), std::nullopt);
    store().set_config("core.https_address", "10.0.0.1:9443");
    store().set_config("cluster.name", "first");
    store().set_config("cluster.name", "second");
    EXPECT_EQ(store().get_config("cluster.name"), "second");
    EXPECT_EQ(store().list_config(), (std::map<std::string, std::string>{{"cluster.name", "second"},
                                                                         {"core.https_address", "10.0.0.1:9443"}}));
    EXPECT_TRUE(store().unset_config("cluster.name"));
    EXPECT_FALSE(store().unset_config("cluster.name"));
    EXPECT_EQ(store().list_config().size(), 1u);
}

TEST_F(ConfigAndStateTest, BadConfigKeysAreRefused) {
    expect_error([&] { store().set_config("", "x"); }, "invalid_config_key", {"letters, digits"});
    expect_error([&] { store().set_config("has space", "x"); }, "invalid_config_key", {"\"has space\""});
    expect_error([&] { store().get_config("semi;colon"); }, "invalid_config_key");
}

TEST_F(ConfigAndStateTest, PluginStateIsPutReplacedAndListed) {
    store().add_member(sample_member(1));
    store().add_member(sample_member(2));
    const nlohmann::json state = {{"pool", "local"}, {"disks", {"/dev/sdb", "/dev/sdc"}}};
    store().put_plugin_state("m1", "microceph", state);
    store().put_plugin_state("m1", "lxd", {{"ready", false}});
    store().put_plugin_state("m2", "lxd", {{"ready", true}});
    now_ += std::chrono::seconds{30};
    store().put_plugin_state("m1", "lxd", {{"ready", true}});

    const auto lxd = store().get_plugin_state("m1", "lxd");
    ASSERT_TRUE(lxd);
    EXPECT_EQ(lxd->state, (nlohmann::json{{"ready", true}}));
    EXPECT_EQ(lxd->updated_at, now_);
    EXPECT_EQ(store().get_plugin_state("m1", "microceph")->state, state);
    EXPECT_EQ(store().get_plugin_state("m2", "microceph"), std::nullopt);

    const auto all = store().list_plugin_states();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].member + "/" + all[0].plugin, "m1/lxd");
    EXPECT_EQ(all[1].member + "/" + all[1].plugin, "m1/microceph");
    EXPECT_EQ(all[2].member + "/" + all[2].plugin, "m2/lxd");
    EXPECT_EQ(store().list_plugin_states("m2").size(), 1u);
}

TEST_F(ConfigAndStateTest, PluginStateNeedsAnExistingMemberAndAPluginName) {
    expect_error([&] { store().put_plugin_state("ghost", "lxd", nlohmann::json::object()); }, "member_not_found",
                 {"\"ghost\"", "\"lxd\""});
    store().add_member(sample_member(1));
    expect_error([&] { store().put_plugin_state("m1", "", nlohmann::json::object()); }, "invalid_plugin_state",
                 {"\"m1\""});
    EXPECT_TRUE(store().list_plugin_states().empty());
}

}  // namespace
}  // namespace microcloud::host::store::testing
