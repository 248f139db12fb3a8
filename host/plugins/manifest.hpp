// host/plugins/manifest.hpp - reads a plugin's manifest.json without running any plugin code.
#pragma once

#include "plugins/abi_version.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace microcloud::host::plugins {

struct Manifest {
    std::string id;                                      // unique, reverse-DNS ("org.microcloud.lxd")
    std::string name;                                    // short unique name used on the command line and in preseeds
    std::string component;                               // human name of the component ("LXD")
    std::string version;                                 // plugin version
    AbiVersion abi;                                      // SDK ABI it was built against
    std::string library;                                 // file name of the .so beside the manifest
    std::vector<std::string> hooks;                      // hooks it declares
    std::vector<std::string> after;                      // plugin names that must run before it
    std::vector<std::string> provides;                   // capabilities ("network-provider")
    std::string config_section;                          // preseed section it owns ("" when none)
    unsigned join_concurrency = 0;                       // most members joining its component at once (0: no limit)
    nlohmann::json supports = nlohmann::json::object();  // component versions it supports
    std::map<std::string, unsigned> deadlines;           // hook name -> seconds, over the host's defaults
    std::uint64_t memory_limit_mb = 0;                   // its worker's memory limit (0: the host's default)
    std::filesystem::path dir;                           // directory holding the manifest

    std::filesystem::path library_path() const { return dir / library; }
    nlohmann::json to_json() const;
};

// Reads <dir>/manifest.json. Throws Error("manifest_missing") or Error("manifest_invalid") whose
// message names the file, the field and what would be accepted.
Manifest read_manifest(const std::filesystem::path& dir);

}  // namespace microcloud::host::plugins
