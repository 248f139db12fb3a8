// plugins/lxd/kernel_modules.cpp - reads /sys/module, /proc and the running kernel's module lists.
#include "kernel_modules.hpp"

#include <algorithm>
#include <optional>
#include <sstream>

namespace microcloud::plugins::lxd {
namespace {

std::optional<std::string> read_text(const SystemView& system, const std::string& path) {
    if (!system.read) return std::nullopt;
    return system.read(path);
}

bool exists(const SystemView& system, const std::string& path) {
    return system.exists && system.exists(path);
}

std::string underscored(std::string name) {
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

// "kernel/drivers/block/rbd.ko.xz" -> "rbd"; "" when the path names no module file.
std::string module_of_file(const std::string& path) {
    const std::string file = path.substr(path.find_last_of('/') + 1);
    const auto ko = file.find(".ko");
    if (ko == std::string::npos || ko == 0) return "";
    const std::string rest = file.substr(ko + 3);
    if (!rest.empty() && rest != ".xz" && rest != ".gz" && rest != ".zst") return "";
    return underscored(file.substr(0, ko));
}

// A whole line of `text` equals `word` (/proc/filesystems: "nodev\tceph"; /proc/misc: " 236 device-mapper").
bool has_word_line(const std::string& text, const std::string& word) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream words(line);
        std::string last;
        for (std::string w; words >> w;) last = w;
        if (last == word) return true;
    }
    return false;
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

struct ModuleLists {
    std::string dep;
    std::string builtin;
};

ModuleLists module_lists(const SystemView& system) {
    ModuleLists lists;
    const std::string release = trimmed(read_text(system, "/proc/sys/kernel/osrelease").value_or(""));
    if (release.empty()) return lists;
    const std::string dir = "/lib/modules/" + release + "/";
    lists.dep = read_text(system, dir + "modules.dep").value_or("");
    lists.builtin = read_text(system, dir + "modules.builtin").value_or("");
    return lists;
}

bool available(const ModuleLists& lists, const std::string& module) {
    return module_listed(module, lists.dep) || module_listed(module, lists.builtin);
}

}  // namespace

bool module_listed(const std::string& module, const std::string& listing) {
    const std::string wanted = underscored(module);
    std::istringstream lines(listing);
    for (std::string line; std::getline(lines, line);)
        if (module_of_file(line.substr(0, line.find(':'))) == wanted) return true;
    return false;
}

sdk::Json kernel_report(const SystemView& system) {
    const ModuleLists lists = module_lists(system);
    const std::string filesystems = read_text(system, "/proc/filesystems").value_or("");
    const std::string misc = read_text(system, "/proc/misc").value_or("");
    return sdk::Json{
        {"rbd", exists(system, "/sys/module/rbd") || available(lists, "rbd")},
        {"ceph", exists(system, "/sys/module/ceph") || has_word_line(filesystems, "ceph") || available(lists, "ceph")},
        {"device_mapper",
         exists(system, "/sys/module/dm_mod") || has_word_line(misc, "device-mapper") || available(lists, "dm_mod")},
    };
}

}  // namespace microcloud::plugins::lxd
