// host/formation/preseed_disks.cpp - reading the members' disks, choosing from the preseed, and
// saying what each member got.
#include "formation/preseed_disks.hpp"

#include "common/error.hpp"
#include "formation/disk_selection.hpp"

#include <algorithm>
#include <future>
#include <map>
#include <optional>
#include <regex>
#include <utility>

namespace microcloud::host::formation {
namespace {

// The disks array of a member's facts; null (which select_disks refuses, naming the member) when
// the facts have none.
nlohmann::json disks_of(const nlohmann::json& facts) {
    if (!facts.is_object() || !facts.contains("disks")) return nullptr;
    return facts.at("disks");
}

// Every member's disks, read side by side; the first failure (in member order) is rethrown once
// every read has finished.
std::map<std::string, nlohmann::json> read_disks(const std::vector<std::string>& members, const FactsOf& facts_of) {
    std::vector<std::pair<std::string, std::future<nlohmann::json>>> reads;
    for (const auto& member : members)
        reads.emplace_back(member, std::async(std::launch::async, [&facts_of, member] { return facts_of(member); }));
    std::map<std::string, nlohmann::json> out;
    std::optional<Error> first;
    for (auto& [member, read] : reads) {
        try {
            out[member] = disks_of(read.get());
        } catch (const Error& error) {
            if (!first) first = error;
        } catch (const std::exception& error) {
            if (!first)
                first = Error("member_facts_unavailable",
                              "Cannot read the system facts of member " + member + ": " + error.what(),
                              {{"member", member}});
        }
    }
    if (first) throw *first;
    return out;
}

// "filter storage.ceph[0] \"type == loop\"" for a filter (its find read from `storage`), "explicit
// path systems[1].storage.local" for a path the file names.
std::string source_label(const std::string& source, const nlohmann::json& storage) {
    static const std::regex filter(R"(^storage\.(local|ceph)\[([0-9]+)\]$)");
    std::smatch match;
    if (!std::regex_match(source, match, filter)) return "explicit path " + source;
    std::string label = "filter " + source;
    const std::size_t index = std::stoul(match[2].str());
    if (storage.is_object() && storage.contains(match[1].str())) {
        const nlohmann::json& filters = storage.at(match[1].str());
        if (filters.is_array() && index < filters.size() && filters[index].is_object() &&
            filters[index].contains("find") && filters[index]["find"].is_string())
            label += " \"" + filters[index]["find"].get<std::string>() + "\"";
    }
    return label;
}

std::string describe_disk(const nlohmann::json& disk, const nlohmann::json& storage) {
    std::string text = disk.value("path", "") + " (" + source_label(disk.value("source", ""), storage);
    if (disk.value("wipe", false)) text += ", wipe";
    if (disk.value("encrypt", false)) text += ", encrypt";
    return text + ")";
}

}  // namespace

bool names_storage(const Preseed& preseed) {
    return !preseed.local_filters.empty() || !preseed.ceph_filters.empty() ||
           std::any_of(preseed.systems.begin(), preseed.systems.end(), [](const PreseedSystem& system) {
               return system.local_disk.has_value() || !system.ceph_disks.empty();
           });
}

nlohmann::json choose_disks(const Preseed& preseed, const std::vector<std::string>& members, bool bootstrap,
                            const FactsOf& facts_of, const std::function<void(const std::string&)>& say) {
    if (!names_storage(preseed)) return nlohmann::json::object();
    const nlohmann::json chosen = select_disks(preseed, read_disks(members, facts_of), bootstrap);
    const nlohmann::json storage =
        preseed.document.is_object() ? preseed.document.value("storage", nlohmann::json()) : nlohmann::json();
    if (say)
        for (const auto& [member, choice] : chosen.items()) say(describe_disk_choice(member, choice, storage));
    return chosen;
}

OwnDiskChoice choose_own_disks(const Preseed& preseed, const std::string& name, const nlohmann::json& facts) {
    OwnDiskChoice out;
    if (!names_storage(preseed)) return out;
    const std::map<std::string, nlohmann::json> disks{{name, disks_of(facts)}};
    try {
        out.disks = select_disks(preseed, disks, false);
    } catch (const Error& error) {
        if (error.code() != "disk_selection_failed") throw;
        out.note = std::string(error.what()) + " (counting this machine's disks alone; the run counts every member's)";
        out.disks = select_disks(preseed, disks, false, false);
    }
    return out;
}

std::string describe_disk_choice(const std::string& member, const nlohmann::json& choice,
                                 const nlohmann::json& storage) {
    std::vector<std::string> parts;
    if (choice.contains("local") && choice["local"].is_object())
        parts.push_back("local " + describe_disk(choice["local"], storage));
    std::string ceph;
    for (const auto& disk : choice.value("ceph", nlohmann::json::array()))
        ceph += (ceph.empty() ? "" : ", ") + describe_disk(disk, storage);
    if (!ceph.empty()) parts.push_back("ceph " + ceph);
    std::string text = "Disks of " + member + ": ";
    if (parts.empty()) text += "none chosen";
    for (std::size_t i = 0; i < parts.size(); ++i) text += (i == 0 ? "" : "; ") + parts[i];
    return text;
}

}  // namespace microcloud::host::formation
