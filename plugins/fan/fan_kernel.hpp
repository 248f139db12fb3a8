// plugins/fan/fan_kernel.hpp - whether this kernel can do Ubuntu fan mapping.
//
// What is checked, and why: the Ubuntu kernel's fan patch to the ipip tunnel driver registers
// the sysctl directory net/fan with a read-only "version" entry when the ipip module loads;
// the ubuntu-fan tools test <proc>/sys/net/fan/version (loading ipip first). LXD's own
// heuristic is that <proc>/sys/kernel/version mentions "Ubuntu". Both are read here, plus
// whether ipip is loaded (<sys>/module/ipip), since without it the sysctl cannot appear.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace microcloud::plugins::fan {

struct FanKernelFacts {
    std::string release;               // <proc>/sys/kernel/osrelease
    std::string fan_version_path;      // <proc>/sys/net/fan/version
    std::optional<int> fan_version;    // its value, when the file exists and holds a number
    bool fan_sysctl = false;           // <proc>/sys/net/fan exists
    bool ubuntu_kernel = false;        // <proc>/sys/kernel/version mentions "Ubuntu"
    bool ipip_loaded = false;          // <sys>/module/ipip exists
    std::vector<std::string> checked;  // every path read
};

// Reads the facts under the given procfs and sysfs roots (read-only).
FanKernelFacts read_fan_kernel_facts(const std::filesystem::path& proc_root, const std::filesystem::path& sys_root);

struct FanKernelVerdict {
    bool supported = false;
    std::string reason;                 // why not, when not supported
    std::vector<std::string> warnings;  // caveats when supported
};

// Supported when the fan sysctl exists; assumed supported on an Ubuntu kernel whose ipip module
// is not loaded yet (with a warning); unsupported otherwise.
FanKernelVerdict judge_fan_kernel(const FanKernelFacts& facts);

}  // namespace microcloud::plugins::fan
