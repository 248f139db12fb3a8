// plugins/fan/fan_kernel.cpp - reads and judges the kernel's Ubuntu fan support.
#include "fan_kernel.hpp"

#include <charconv>
#include <fstream>

namespace microcloud::plugins::fan {
namespace fs = std::filesystem;

namespace {

std::optional<std::string> first_line(const fs::path& path) {
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line)) return std::nullopt;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    return line;
}

std::optional<int> parse_int(const std::string& text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

FanKernelFacts read_fan_kernel_facts(const fs::path& proc_root, const fs::path& sys_root) {
    FanKernelFacts facts;
    std::error_code ec;
    const fs::path fan_dir = proc_root / "sys" / "net" / "fan";
    const fs::path fan_version = fan_dir / "version";
    const fs::path kernel_version = proc_root / "sys" / "kernel" / "version";
    const fs::path osrelease = proc_root / "sys" / "kernel" / "osrelease";
    const fs::path ipip = sys_root / "module" / "ipip";
    facts.checked = {fan_version.string(), kernel_version.string(), osrelease.string(), ipip.string()};

    facts.fan_version_path = fan_version.string();
    facts.fan_sysctl = fs::is_directory(fan_dir, ec);
    if (auto text = first_line(fan_version)) {
        facts.fan_sysctl = true;
        facts.fan_version = parse_int(*text);
    }
    facts.ubuntu_kernel = first_line(kernel_version).value_or("").find("Ubuntu") != std::string::npos;
    facts.release = first_line(osrelease).value_or("");
    facts.ipip_loaded = fs::is_directory(ipip, ec);
    return facts;
}

FanKernelVerdict judge_fan_kernel(const FanKernelFacts& facts) {
    FanKernelVerdict verdict;
    const std::string kernel = "This kernel" + (facts.release.empty() ? std::string() : " (" + facts.release + ")");
    if (facts.fan_sysctl) {
        verdict.supported = true;
        return verdict;
    }
    if (facts.ubuntu_kernel && !facts.ipip_loaded) {
        verdict.supported = true;
        verdict.warnings.push_back(kernel + " is an Ubuntu kernel, so it is assumed to carry the fan patches; " +
                                   facts.fan_version_path + " will confirm it once the ipip module is loaded.");
        return verdict;
    }
    if (facts.ubuntu_kernel) {
        verdict.reason = kernel + " is an Ubuntu kernel without fan support: the ipip module is loaded but " +
                         facts.fan_version_path + " is absent.";
        return verdict;
    }
    verdict.reason =
        kernel + " has no Ubuntu fan support: " + facts.fan_version_path +
        " is absent and the kernel version does not mention Ubuntu" +
        (facts.ipip_loaded ? "." : " (if it carries the fan patches, load the ipip module and look again).");
    return verdict;
}

}  // namespace microcloud::plugins::fan
