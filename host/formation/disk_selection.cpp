// host/formation/disk_selection.cpp - the preseed's disk choice per member: explicit paths, then the
// Ceph filters, then the local filters, then upstream's find_min/find_max checks.
//
// Where this differs from upstream's preseed.go, on purpose:
//  - the local pass only sees disks the Ceph pass left (upstream re-reads every unpartitioned disk,
//    so one disk could be given to both ZFS and Ceph);
//  - a member's local pass stops at the first filter that matches (upstream keeps trying the later
//    filters, which would add a second local pool); the docs say one local disk per member;
//  - explicit paths are taken out of every filter's reach (upstream only skips the filters of the
//    explicit kind, so a Ceph filter could take an explicit local disk);
//  - CD/DVD, read-only and in-use disks are not offered to filters (upstream: partitions only).
#include "formation/disk_selection.hpp"

#include "common/error.hpp"
#include "formation/disk_filter.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace microcloud::host::formation {
namespace {

constexpr const char* kByIdPrefix = "/dev/disk/by-id/";
constexpr const char* kByPathPrefix = "/dev/disk/by-path/";

std::string text_of(const nlohmann::json& disk, const char* key) {
    const auto it = disk.find(key);
    return it != disk.end() && it->is_string() ? it->get<std::string>() : "";
}

[[noreturn]] void rule(const std::string& message, const std::string& field) {
    throw Error("invalid_preseed", message, {{"field", field}});
}

// A filter of the preseed with its parsed expression and where it sits in the file.
struct Filter {
    DiskFilter spec;
    DiskFilterExpression expression;
    std::string source;  // storage.ceph[k] / storage.local[k]
};

// Upstream refuses filters of a kind when every listed system gives that kind explicitly.
void check_filters_usable(const Preseed& p) {
    const bool ceph_needed =
        std::any_of(p.systems.begin(), p.systems.end(), [](const PreseedSystem& s) { return s.ceph_disks.empty(); });
    const bool local_needed = std::any_of(p.systems.begin(), p.systems.end(),
                                          [](const PreseedSystem& s) { return !s.local_disk.has_value(); });
    if (!ceph_needed && !p.ceph_filters.empty())
        rule("Ceph disk filter cannot be used. All systems have explicitly specified disks", "storage.ceph");
    if (!local_needed && !p.local_filters.empty())
        rule("Local disk filter cannot be used. All systems have explicitly specified a disk", "storage.local");
}

std::vector<Filter> compile(const std::vector<DiskFilter>& specs, const std::string& kind) {
    const std::string prefix =
        kind == "ceph" ? "Failed to apply filter for ceph disks: " : "Failed to apply filter for local disks: ";
    std::vector<Filter> out;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const std::string source = "storage." + kind + "[" + std::to_string(i) + "]";
        try {
            out.push_back({specs[i], DiskFilterExpression::parse(specs[i].find), source});
        } catch (const Error& error) {
            nlohmann::json details = error.details();
            details["field"] = source + ".find";
            throw Error(error.code(), prefix + error.what(), details);
        }
    }
    return out;
}

// ---- one member ---------------------------------------------------------------------------------

struct Member {
    std::string name;
    const PreseedSystem* system = nullptr;  // its systems[] entry, if listed
    std::string system_at;                  // "systems[i]"
    std::vector<nlohmann::json> free;       // usable disks no one has taken yet
    nlohmann::json local = nullptr;
    nlohmann::json ceph = nlohmann::json::array();
    nlohmann::json passed_over = nlohmann::json::array();
    bool explicit_local() const { return system != nullptr && system->local_disk.has_value(); }
    bool explicit_ceph() const { return system != nullptr && !system->ceph_disks.empty(); }
};

bool disk_has_path(const nlohmann::json& disk, const std::string& path) {
    const std::string by_path = text_of(disk, "device_path");
    return path == disk_path(disk) || path == text_of(disk, "path") || path == text_of(disk, "id") ||
           path == "/dev/" + text_of(disk, "name") || (!by_path.empty() && path == kByPathPrefix + by_path);
}

bool is_explicit(const Member& m, const nlohmann::json& disk) {
    if (m.system == nullptr) return false;
    if (m.system->local_disk && !m.system->local_disk->path.empty() && disk_has_path(disk, m.system->local_disk->path))
        return true;
    return std::any_of(m.system->ceph_disks.begin(), m.system->ceph_disks.end(),
                       [&](const PreseedDisk& d) { return !d.path.empty() && disk_has_path(disk, d.path); });
}

void take_explicit(Member& m) {
    if (m.system == nullptr) return;
    if (m.system->local_disk && !m.system->local_disk->path.empty())
        m.local = {{"path", m.system->local_disk->path},
                   {"wipe", m.system->local_disk->wipe},
                   {"source", m.system_at + ".storage.local"}};
    for (std::size_t j = 0; j < m.system->ceph_disks.size(); ++j) {
        const PreseedDisk& d = m.system->ceph_disks[j];
        if (d.path.empty()) continue;
        m.ceph.push_back({{"path", d.path},
                          {"wipe", d.wipe},
                          {"encrypt", d.encrypt},
                          {"source", m.system_at + ".storage.ceph[" + std::to_string(j) + "]"}});
    }
}

Member make_member(const Preseed& p, const std::string& name, const nlohmann::json& disks) {
    Member m;
    m.name = name;
    for (std::size_t i = 0; i < p.systems.size(); ++i)
        if (p.systems[i].name == name) {
            m.system = &p.systems[i];
            m.system_at = "systems[" + std::to_string(i) + "]";
        }
    take_explicit(m);
    if (!disks.is_array())
        throw Error("invalid_disk_facts", "Disk facts of member " + go_quoted(name) + " are not a list of disks",
                    {{"member", name}, {"disks", disks}});
    for (const auto& disk : disks) {
        if (!disk.is_object())
            throw Error("invalid_disk_facts", "Disk facts of member " + go_quoted(name) + " hold a non-object entry",
                        {{"member", name}, {"disk", disk}});
        if (is_explicit(m, disk)) continue;
        const std::string reason = disk_unusable_reason(disk);
        if (reason.empty())
            m.free.push_back(disk);
        else
            m.passed_over.push_back({{"path", disk_path(disk)}, {"reason", reason}});
    }
    return m;
}

// The free disks `filter` matches; errors carry upstream's "Failed to apply filter ..." prefix.
std::vector<nlohmann::json> matching(const Filter& filter, const std::vector<nlohmann::json>& disks,
                                     const std::string& kind) {
    std::vector<nlohmann::json> out;
    try {
        for (const auto& disk : disks)
            if (filter.expression.matches(disk)) out.push_back(disk);
    } catch (const Error& error) {
        throw Error(error.code(), "Failed to apply filter for " + kind + " disks: " + error.what(), error.details());
    }
    return out;
}

void remove_taken(Member& m, const std::vector<nlohmann::json>& taken) {
    std::erase_if(
        m.free, [&](const nlohmann::json& disk) { return std::find(taken.begin(), taken.end(), disk) != taken.end(); });
}

// Every Ceph filter in order takes all it matches; returns how many each find took.
void choose_ceph(Member& m, const std::vector<Filter>& filters, std::map<std::string, long>& counts) {
    if (m.explicit_ceph()) return;
    for (const Filter& filter : filters) {
        const auto taken = matching(filter, m.free, "ceph");
        for (const auto& disk : taken)
            m.ceph.push_back({{"path", disk_path(disk)},
                              {"wipe", filter.spec.wipe},
                              {"encrypt", filter.spec.encrypt},
                              {"source", filter.source}});
        counts[filter.spec.find] += static_cast<long>(taken.size());
        remove_taken(m, taken);
    }
}

// The first local filter that matches a free disk takes the first such disk.
void choose_local(Member& m, const std::vector<Filter>& filters, std::map<std::string, long>& counts) {
    if (m.explicit_local()) return;
    for (const Filter& filter : filters) {
        const auto matched = matching(filter, m.free, "local");
        if (matched.empty()) continue;
        m.local = {{"path", disk_path(matched.front())}, {"wipe", filter.spec.wipe}, {"source", filter.source}};
        counts[filter.spec.find] += 1;
        remove_taken(m, {matched.front()});
        return;
    }
}

std::string leftover_reason(const Member& m, bool ceph_filters, bool local_filters) {
    std::vector<std::string> parts;
    if (ceph_filters)
        parts.push_back(m.explicit_ceph() ? "the storage.ceph filters do not apply (" + m.system_at +
                                                ".storage.ceph gives this member's Ceph disks)"
                                          : "matched no storage.ceph filter");
    if (local_filters && m.explicit_local())
        parts.push_back("the storage.local filters do not apply (" + m.system_at +
                        ".storage.local gives this member's local disk)");
    else if (local_filters && !m.local.is_null())
        parts.push_back("the member's one local disk is already chosen (" + m.local["path"].get<std::string>() + ")");
    else if (local_filters)
        parts.push_back("matched no storage.local filter");
    if (parts.empty()) return "no storage filter given and not named in systems[].storage";
    std::string out;
    for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
    return out;
}

// upstream's checks of each filter's total across members.
void check_counts(const std::vector<Filter>& filters, const std::map<std::string, long>& counts) {
    for (const Filter& f : filters) {
        const auto it = counts.find(f.spec.find);
        const long found = it == counts.end() ? 0 : it->second;
        const nlohmann::json details = {{"field", f.source}, {"find", f.spec.find}, {"found", found}};
        if (found < f.spec.find_min)
            throw Error("disk_selection_failed",
                        "Failed to find at least " + std::to_string(f.spec.find_min) + " disks for filter " +
                            go_quoted(f.spec.find),
                        details);
        if (f.spec.find_max > 0 && found > f.spec.find_max)
            throw Error(
                "disk_selection_failed",
                "Found more than " + std::to_string(f.spec.find_max) + " disks for filter " + go_quoted(f.spec.find),
                details);
    }
}

void check_local_everywhere(const std::vector<Member>& members) {
    const auto with_local =
        std::count_if(members.begin(), members.end(), [](const Member& m) { return !m.local.is_null(); });
    if (with_local == 0 || with_local == static_cast<long>(members.size())) return;
    nlohmann::json missing = nlohmann::json::array();
    for (const auto& m : members)
        if (m.local.is_null()) missing.push_back(m.name);
    throw Error("disk_selection_failed",
                "Failed to find at least 1 disk on each machine for local storage pool configuration",
                {{"field", "storage.local"}, {"members_without_local_disk", missing}});
}

}  // namespace

std::vector<DiskFilter> checked_filters(const Preseed& p) {
    for (std::size_t i = 0; i < p.ceph_filters.size(); ++i) {
        const DiskFilter& f = p.ceph_filters[i];
        const std::string at = "storage.ceph[" + std::to_string(i) + "]";
        if (f.find.empty()) rule("Received empty remote disk filter", at + ".find");
        if (f.find_max > 0 && f.find_max < f.find_min)
            rule("Invalid remote storage filter constraints find_max (" + std::to_string(f.find_max) +
                     ") must be larger than find_min (" + std::to_string(f.find_min) + ")",
                 at + ".find_max");
        if (f.find_min < 1) rule("Remote storage filter cannot be defined with find_min less than 1", at + ".find_min");
    }
    std::vector<DiskFilter> local = p.local_filters;
    for (std::size_t i = 0; i < local.size(); ++i) {
        DiskFilter& f = local[i];
        const std::string at = "storage.local[" + std::to_string(i) + "]";
        if (f.find.empty()) rule("Received empty local disk filter", at + ".find");
        if (f.find_max > 0 && f.find_max < f.find_min)
            rule("Invalid local storage filter constraints find_max (" + std::to_string(f.find_max) +
                     ") larger than find_min (" + std::to_string(f.find_min) + ")",
                 at + ".find_max");
        if (f.find_min == 0) f.find_min = 1;
    }
    return local;
}

std::string disk_path(const nlohmann::json& disk) {
    const std::string id = text_of(disk, "id");
    if (id.starts_with(kByIdPrefix)) return id;
    if (const std::string device_id = text_of(disk, "device_id"); !device_id.empty()) return kByIdPrefix + device_id;
    if (const std::string by_path = text_of(disk, "device_path"); !by_path.empty()) return kByPathPrefix + by_path;
    if (const std::string path = text_of(disk, "path"); !path.empty()) return path;
    return "/dev/" + text_of(disk, "name");
}

std::string disk_unusable_reason(const nlohmann::json& disk) {
    const auto partitions = disk.find("partitions");
    if (partitions != disk.end() && partitions->is_array() && !partitions->empty()) return "has partitions";
    if (text_of(disk, "type") == "cdrom") return "is a CD/DVD drive";
    if (disk.value("read_only", false)) return "is read-only";
    if (disk.value("in_use", false)) {
        const std::string why = text_of(disk, "in_use_reason");
        return why.empty() ? "is in use" : "is in use: " + why;
    }
    return "";
}

nlohmann::json select_disks(const Preseed& preseed, const std::map<std::string, nlohmann::json>& member_disks,
                            bool bootstrap, bool check_totals) {
    const std::vector<DiskFilter> local_specs = checked_filters(preseed);
    check_filters_usable(preseed);
    const std::vector<Filter> ceph_filters = compile(preseed.ceph_filters, "ceph");
    const std::vector<Filter> local_filters = compile(local_specs, "local");

    std::vector<Member> members;
    for (const auto& [name, disks] : member_disks) members.push_back(make_member(preseed, name, disks));
    std::map<std::string, long> ceph_counts;
    std::map<std::string, long> local_counts;
    for (Member& m : members) choose_ceph(m, ceph_filters, ceph_counts);
    for (Member& m : members) choose_local(m, local_filters, local_counts);

    if (check_totals) {
        check_counts(ceph_filters, ceph_counts);
        check_counts(local_filters, local_counts);
    }
    if (bootstrap) check_local_everywhere(members);

    nlohmann::json out = nlohmann::json::object();
    for (Member& m : members) {
        for (const auto& disk : m.free)
            m.passed_over.push_back({{"path", disk_path(disk)},
                                     {"reason", leftover_reason(m, !ceph_filters.empty(), !local_filters.empty())}});
        out[m.name] = {{"local", m.local}, {"ceph", m.ceph}, {"passed_over", m.passed_over}};
    }
    return out;
}

}  // namespace microcloud::host::formation
