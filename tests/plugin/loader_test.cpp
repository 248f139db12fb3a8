// tests/plugin/loader_test.cpp - the registry against real fixture libraries, one test per load
// path (loaded, incompatible, failed, disabled): state, reason, version, ABI and hooks.
#include "fixture_cases.hpp"

#include "plugins/abi_version.hpp"
#include "plugins/host_services.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/registry.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::test {
namespace {

namespace fs = std::filesystem;
using namespace host::plugins;
using nlohmann::json;

const std::vector<std::string> kRequiredHooks = {"discover", "validate", "join", "teardown"};
const std::vector<std::string> kOptionalHooks = {"issue_token", "configure", "status"};

std::vector<std::string> all_hook_names() {
    std::vector<std::string> out = kRequiredHooks;
    out.insert(out.end(), kOptionalHooks.begin(), kOptionalHooks.end());
    return out;
}

class PluginLoader : public ::testing::Test {
protected:
    // Scans the given fixture cases, in this order, into the test's registry.
    void scan(const std::vector<std::string_view>& cases, ScanOptions options = {}) {
        for (std::string_view c : cases) options.dirs.push_back(fixture_case(c));
        registry.scan(options);
    }

    const PluginRecord* record(std::string_view case_name, std::string_view dir) const {
        return record_of(registry, fixture_dir(case_name, dir));
    }

    HostServices services;
    Registry registry{services};
};

// --- loaded ------------------------------------------------------------------------------------

TEST_F(PluginLoader, LoadsCompletePluginWithEveryHook) {
    scan({"good"});
    ASSERT_EQ(registry.records().size(), 1u) << describe(registry);
    const PluginRecord* rec = record("good", "good_plugin");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::loaded) << rec->reason;
    EXPECT_EQ(rec->reason, "");
    EXPECT_EQ(rec->name, "good");
    EXPECT_EQ(rec->id, "org.microcloud.test.good");
    EXPECT_EQ(rec->version, "1.2.3");
    EXPECT_EQ(rec->abi, host_abi().str());
    EXPECT_EQ(rec->path, fixture_dir("good", "good_plugin") / "good_plugin.so");
    EXPECT_EQ(sorted(rec->hooks), sorted(all_hook_names()));
    EXPECT_TRUE(rec->unsupported_hooks.empty());
    ASSERT_NE(rec->manifest, nullptr);
    EXPECT_EQ(rec->manifest->provides, std::vector<std::string>{"fixture-provider"});
    EXPECT_EQ(rec->manifest->config_section, "good");
    ASSERT_NE(rec->plugin, nullptr);
    EXPECT_EQ(registry.find("good"), rec->plugin);
    EXPECT_EQ(registry.loaded().size(), 1u);
    for (Hook hook : all_hooks()) EXPECT_TRUE(rec->plugin->supports(hook)) << to_string(hook);
}

TEST_F(PluginLoader, DiscoverEchoesInputAndConfig) {
    ScanOptions options;
    options.config = {{"good", {{"answer", 42}}}};
    scan({"good"}, options);
    auto plugin = registry.find("good");
    ASSERT_NE(plugin, nullptr) << describe(registry);

    HookResult result = plugin->call(Hook::discover, {{"probe", "x"}});
    ASSERT_TRUE(result.ok) << result.code << ": " << result.message;
    EXPECT_EQ(result.value, json({{"input", {{"probe", "x"}}}, {"config", {{"answer", 42}}}}));
}

TEST_F(PluginLoader, PluginWithoutConfigGetsAnEmptyObject) {
    scan({"good"});
    auto plugin = registry.find("good");
    ASSERT_NE(plugin, nullptr) << describe(registry);

    HookResult result = plugin->call(Hook::discover, json::object());
    ASSERT_TRUE(result.ok) << result.code << ": " << result.message;
    EXPECT_EQ(result.value.at("config"), json::object());
}

TEST_F(PluginLoader, LoadedPluginOutlivesItsRegistry) {
    std::shared_ptr<LoadedPlugin> plugin;
    {
        Registry scoped(services);
        scoped.scan(scan_options({fixture_case("good")}));
        plugin = scoped.find("good");
    }
    ASSERT_NE(plugin, nullptr);
    EXPECT_TRUE(plugin->call(Hook::discover, json::object()).ok);
}

// --- incompatible ------------------------------------------------------------------------------

TEST_F(PluginLoader, RejectsWrongAbiMajor) {
    scan({"wrong_major"});
    const PluginRecord* rec = record("wrong_major", "wrong_major");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::incompatible);
    EXPECT_TRUE(mentions(rec->reason, "Wrong SDK ABI major version"));
    EXPECT_TRUE(mentions(rec->reason, "Rebuild the plugin against SDK 1.x"));
    EXPECT_TRUE(mentions(rec->reason, fixture_dir("wrong_major", "wrong_major").string()));
    EXPECT_TRUE(mentions(rec->reason, "2.0"));
    EXPECT_TRUE(mentions(rec->reason, host_abi().str()));
    EXPECT_EQ(rec->abi, "2.0");
    EXPECT_EQ(rec->plugin, nullptr);
    EXPECT_EQ(registry.find("wrong-major"), nullptr);
}

TEST_F(PluginLoader, RejectsWrongAbiMajorFoundOnlyInTheDescriptor) {
    scan({"wrong_major_descriptor"});
    const PluginRecord* rec = record("wrong_major_descriptor", "liar");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::incompatible) << rec->reason;
    EXPECT_TRUE(mentions(rec->reason, "2.0"));
    EXPECT_TRUE(mentions(rec->reason, host_abi().str()));
    EXPECT_TRUE(mentions(rec->reason, "Rebuild"));
    EXPECT_TRUE(mentions(rec->reason, fixture_dir("wrong_major_descriptor", "liar").string()));
    EXPECT_EQ(registry.find("liar"), nullptr);
}

TEST_F(PluginLoader, RejectsNewerAbiMinor) {
    scan({"newer_minor"});
    const PluginRecord* rec = record("newer_minor", "newer_minor");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::incompatible);
    EXPECT_TRUE(mentions(rec->reason, "needs a newer host"));
    EXPECT_TRUE(mentions(rec->reason, "1.7"));
    EXPECT_TRUE(mentions(rec->reason, host_abi().str()));
    EXPECT_TRUE(mentions(rec->reason, fixture_dir("newer_minor", "newer_minor").string()));
    EXPECT_EQ(rec->abi, "1.7");
    EXPECT_EQ(registry.find("newer-minor"), nullptr);
}

TEST_F(PluginLoader, RejectsTableTooShortForTheRequiredHooks) {
    scan({"truncated_table"});
    const PluginRecord* rec = record("truncated_table", "truncated_table");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::incompatible) << rec->reason;
    EXPECT_TRUE(mentions(rec->reason, "truncated_table.so"));
    EXPECT_EQ(registry.find("truncated-table"), nullptr);
}

// --- an older, shorter hook table ---------------------------------------------------------------

TEST_F(PluginLoader, LoadsShorterHookTableWithOptionalHooksUnsupported) {
    scan({"short_table"});
    const PluginRecord* rec = record("short_table", "short_table");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::loaded) << rec->reason;
    EXPECT_EQ(sorted(rec->hooks), sorted(kRequiredHooks));
    EXPECT_EQ(sorted(rec->unsupported_hooks), sorted(kOptionalHooks));
    ASSERT_NE(rec->plugin, nullptr);
    EXPECT_TRUE(rec->plugin->supports(Hook::discover));
    EXPECT_FALSE(rec->plugin->supports(Hook::issue_token));
    EXPECT_FALSE(rec->plugin->supports(Hook::configure));
    EXPECT_FALSE(rec->plugin->supports(Hook::status));
}

// The fixture keeps functions in the fields beyond its struct_size: a host that read them anyway
// would get {"hook":"optional"} back instead of "unsupported".
TEST_F(PluginLoader, CallingHookBeyondShortTableIsUnsupported) {
    scan({"short_table"});
    auto plugin = registry.find("short-table");
    ASSERT_NE(plugin, nullptr) << describe(registry);

    for (Hook hook : {Hook::issue_token, Hook::configure, Hook::status}) {
        HookResult result = plugin->call(hook, json::object());
        EXPECT_FALSE(result.ok) << to_string(hook) << " answered " << result.value.dump();
        EXPECT_EQ(result.code, "unsupported") << to_string(hook);
        EXPECT_FALSE(result.message.empty()) << to_string(hook);
    }
    HookResult discovered = plugin->call(Hook::discover, json::object());
    ASSERT_TRUE(discovered.ok) << discovered.code << ": " << discovered.message;
    EXPECT_EQ(discovered.value, json({{"id", "org.microcloud.test.short-table"}, {"abi", "1.0"}}));
}

// --- failed ------------------------------------------------------------------------------------

TEST_F(PluginLoader, FailsWithoutEntrySymbol) {
    scan({"no_entry"});
    const PluginRecord* rec = record("no_entry", "no_entry");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::failed);
    EXPECT_TRUE(mentions_ci(rec->reason, "entry point"));
    EXPECT_TRUE(mentions(rec->reason, "microcloud_plugin_entry"));
    EXPECT_TRUE(mentions(rec->reason, (fixture_dir("no_entry", "no_entry") / "no_entry.so").string()));
    EXPECT_EQ(rec->plugin, nullptr);
}

TEST_F(PluginLoader, FailsWithoutManifest) {
    scan({"manifest_missing"});
    const PluginRecord* rec = record("manifest_missing", "nomanifest");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::failed);
    EXPECT_TRUE(mentions(rec->reason, (fixture_dir("manifest_missing", "nomanifest") / "manifest.json").string()));
    EXPECT_EQ(rec->name, "nomanifest");
    EXPECT_EQ(rec->manifest, nullptr);
    EXPECT_EQ(rec->plugin, nullptr);
}

TEST_F(PluginLoader, FailsWhenManifestNamesAnotherPlugin) {
    scan({"manifest_other_id"});
    const PluginRecord* rec = record("manifest_other_id", "other_id");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::failed);
    EXPECT_TRUE(mentions(rec->reason, "org.microcloud.test.claimed"));
    EXPECT_TRUE(mentions(rec->reason, "org.microcloud.test.actual"));
    EXPECT_EQ(registry.find("other-id"), nullptr);
}

TEST_F(PluginLoader, FailsOnManifestThatIsNotJson) {
    scan({"manifest_bad_json"});
    const PluginRecord* rec = record("manifest_bad_json", "bad_json");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::failed);
    EXPECT_TRUE(mentions(rec->reason, (fixture_dir("manifest_bad_json", "bad_json") / "manifest.json").string()));
    EXPECT_EQ(rec->name, "bad_json");
}

TEST_F(PluginLoader, FailsOnManifestMissingAField) {
    scan({"manifest_missing_field"});
    const PluginRecord* rec = record("manifest_missing_field", "missing_field");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::failed);
    EXPECT_TRUE(mentions(rec->reason, "abi"));
    EXPECT_TRUE(mentions(rec->reason, "manifest.json"));
}

TEST_F(PluginLoader, FailsWhenTheLibraryIsMissing) {
    scan({"library_missing"});
    const PluginRecord* rec = record("library_missing", "gone");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::failed);
    EXPECT_TRUE(mentions(rec->reason, "gone.so"));
}

TEST_F(PluginLoader, FailsWhenCreateThrows) {
    scan({"create_fails"});
    const PluginRecord* rec = record("create_fails", "create_fails_plugin");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::failed);
    EXPECT_TRUE(mentions(rec->reason, "create_fails fixture cannot start: /nonexistent/fixture.socket is missing"));
    EXPECT_EQ(rec->plugin, nullptr);
    EXPECT_EQ(registry.find("create-fails"), nullptr);
}

// --- duplicates --------------------------------------------------------------------------------

TEST_F(PluginLoader, SecondPluginWithTheSameIdFails) {
    scan({"duplicate_id"});
    ASSERT_EQ(registry.records().size(), 2u) << describe(registry);
    const PluginRecord* first = record("duplicate_id", "dup_a");
    const PluginRecord* second = record("duplicate_id", "dup_b");
    ASSERT_NE(first, nullptr) << describe(registry);
    ASSERT_NE(second, nullptr) << describe(registry);

    EXPECT_EQ(first->state, PluginState::loaded) << first->reason;
    EXPECT_EQ(second->state, PluginState::failed);
    EXPECT_TRUE(mentions_ci(second->reason, "duplicate"));
    EXPECT_TRUE(mentions(second->reason, "org.microcloud.test.dup"));
    EXPECT_TRUE(mentions(second->reason, fixture_dir("duplicate_id", "dup_a").string()));
    EXPECT_NE(registry.find("dup-a"), nullptr);
    EXPECT_EQ(registry.find("dup-b"), nullptr);
}

TEST_F(PluginLoader, FirstDirectoryWinsForTheSameId) {
    scan({"shadow_good", "good"});
    const PluginRecord* first = record("shadow_good", "shadow");
    const PluginRecord* second = record("good", "good_plugin");
    ASSERT_NE(first, nullptr) << describe(registry);
    ASSERT_NE(second, nullptr) << describe(registry);

    EXPECT_EQ(first->state, PluginState::loaded) << first->reason;
    EXPECT_EQ(second->state, PluginState::failed);
    EXPECT_TRUE(mentions_ci(second->reason, "duplicate"));
    EXPECT_TRUE(mentions(second->reason, "org.microcloud.test.good"));
    EXPECT_TRUE(mentions(second->reason, fixture_dir("shadow_good", "shadow").string()));
    EXPECT_NE(registry.find("shadow"), nullptr);
    EXPECT_EQ(registry.find("good"), nullptr);
}

TEST_F(PluginLoader, SecondPluginWithTheSameNameFails) {
    scan({"duplicate_name"});
    const PluginRecord* first = record("duplicate_name", "name_a");
    const PluginRecord* second = record("duplicate_name", "name_b");
    ASSERT_NE(first, nullptr) << describe(registry);
    ASSERT_NE(second, nullptr) << describe(registry);

    EXPECT_EQ(first->state, PluginState::loaded) << first->reason;
    EXPECT_EQ(second->state, PluginState::failed);
    EXPECT_TRUE(mentions_ci(second->reason, "duplicate"));
    EXPECT_TRUE(mentions(second->reason, "twin"));
    EXPECT_EQ(registry.find("twin"), first->plugin);
}

// --- disabled and scanning ---------------------------------------------------------------------

TEST_F(PluginLoader, DisabledPluginIsNotLoaded) {
    scan({"good"}, scan_options({}, {"good"}));
    const PluginRecord* rec = record("good", "good_plugin");
    ASSERT_NE(rec, nullptr) << describe(registry);

    EXPECT_EQ(rec->state, PluginState::disabled);
    EXPECT_EQ(rec->name, "good");
    EXPECT_EQ(rec->plugin, nullptr);
    EXPECT_EQ(registry.find("good"), nullptr);
    EXPECT_TRUE(registry.loaded().empty());
}

TEST_F(PluginLoader, MissingScanDirectoryIsSkipped) {
    EXPECT_NO_THROW(scan({"no_such_case"}));
    EXPECT_TRUE(registry.records().empty()) << describe(registry);
}

// Every case in one scan: each bad plugin is recorded and the good ones still load. The cases are
// scanned in name order, so good comes before shadow_good and keeps its id.
TEST_F(PluginLoader, BadPluginsDoNotStopTheScan) {
    std::vector<fs::path> cases;
    for (const auto& entry : fs::directory_iterator(MICROCLOUD_PLUGIN_FIXTURES))
        if (entry.is_directory()) cases.push_back(entry.path());
    std::sort(cases.begin(), cases.end());
    std::size_t plugin_dirs = 0;
    for (const fs::path& c : cases)
        for (const auto& entry : fs::directory_iterator(c)) plugin_dirs += entry.is_directory() ? 1 : 0;

    ASSERT_NO_THROW(registry.scan(scan_options(cases)));
    EXPECT_EQ(registry.records().size(), plugin_dirs) << describe(registry);
    std::set<std::string> loaded;
    for (const auto& plugin : registry.loaded()) loaded.insert(plugin->name());
    EXPECT_EQ(loaded, (std::set<std::string>{"dup-a", "good", "hostile", "short-table", "throwing", "twin"}))
        << describe(registry);
}

TEST(PluginState, NamesAsTheApiShowsThem) {
    EXPECT_EQ(to_string(PluginState::loaded), "loaded");
    EXPECT_EQ(to_string(PluginState::incompatible), "incompatible");
    EXPECT_EQ(to_string(PluginState::failed), "failed");
    EXPECT_EQ(to_string(PluginState::disabled), "disabled");
}

}  // namespace
}  // namespace microcloud::test
