// host/formation/preseed.cpp - reading a preseed file: YAML to JSON, then every key checked and
// typed, with the key path in every error.
#include "formation/preseed.hpp"

#include "common/error.hpp"
#include "common/yaml_json.hpp"

#include <set>

namespace microcloud::host::formation {
namespace {

[[noreturn]] void invalid(const std::string& path, const nlohmann::json& value, const std::string& accepted) {
    throw Error("invalid_preseed",
                "Invalid preseed: key \"" + path + "\" has the value " + value.dump() + " (accepted: " + accepted + ")",
                {{"field", path}, {"value", value}});
}

// A JSON object being read: each key taken once, the rest refused as unknown.
class Section {
public:
    Section(const nlohmann::json& value, std::string path) : value_(value), path_(std::move(path)) {
        if (!value_.is_object() && !value_.is_null()) invalid(path_.empty() ? "(top level)" : path_, value_, "a map");
    }

    std::string text(const std::string& key) {
        const nlohmann::json* v = take(key);
        if (v == nullptr || v->is_null()) return {};
        if (v->is_string()) return v->get<std::string>();
        if (v->is_number()) return v->dump();
        invalid(at(key), *v, "a string");
    }

    bool flag(const std::string& key) {
        const nlohmann::json* v = take(key);
        if (v == nullptr || v->is_null()) return false;
        if (!v->is_boolean()) invalid(at(key), *v, "true or false");
        return v->get<bool>();
    }

    long number(const std::string& key) {
        const nlohmann::json* v = take(key);
        if (v == nullptr || v->is_null()) return 0;
        if (!v->is_number_integer()) invalid(at(key), *v, "a whole number");
        return v->get<long>();
    }

    std::optional<std::chrono::seconds> duration(const std::string& key) {
        const nlohmann::json* v = take(key);
        if (v == nullptr || v->is_null()) return std::nullopt;
        const std::string accepted =
            "seconds as a number, or a duration such as \"90s\", \"10m\" or \"1h\" (at most 876000h)";
        // 100 years: longer ones would overflow the clocks' nanoseconds once added to the time now.
        constexpr long kMaxSeconds = 876000L * 3600;
        if (v->is_number_integer() && v->get<long>() > 0) {
            if (v->get<long>() > kMaxSeconds) invalid(at(key), *v, accepted);
            return std::chrono::seconds(v->get<long>());
        }
        if (!v->is_string()) invalid(at(key), *v, accepted);
        const std::string s = v->get<std::string>();
        std::size_t used = 0;
        long amount = 0;
        try {
            amount = std::stol(s, &used);
        } catch (const std::exception&) {
            invalid(at(key), *v, accepted);
        }
        const std::string unit = s.substr(used);
        const long scale = unit == "s" || unit.empty() ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : 0;
        if (scale == 0 || amount <= 0 || amount > kMaxSeconds / scale) invalid(at(key), *v, accepted);
        return std::chrono::seconds(amount * scale);
    }

    Section section(const std::string& key) {
        const nlohmann::json* v = take(key);
        return Section(v == nullptr ? null_ : *v, at(key));
    }

    // The elements of a list, each with its path.
    std::vector<std::pair<const nlohmann::json*, std::string>> list(const std::string& key) {
        const nlohmann::json* v = take(key);
        std::vector<std::pair<const nlohmann::json*, std::string>> out;
        if (v == nullptr || v->is_null()) return out;
        if (!v->is_array()) invalid(at(key), *v, "a list");
        for (std::size_t i = 0; i < v->size(); ++i) out.emplace_back(&(*v)[i], at(key) + "[" + std::to_string(i) + "]");
        return out;
    }

    // After every known key was taken: anything left is unknown.
    void finish() const {
        if (!value_.is_object()) return;
        std::vector<std::string> known(taken_.begin(), taken_.end());
        for (const auto& [key, v] : value_.items()) {
            if (taken_.contains(key)) continue;
            std::string accepted;
            for (const auto& k : known) accepted += (accepted.empty() ? "" : ", ") + k;
            throw Error("invalid_preseed",
                        "Invalid preseed: unknown key \"" + at(key) + "\" (accepted here: " + accepted + ")",
                        {{"field", at(key)}});
        }
    }

private:
    const nlohmann::json* take(const std::string& key) {
        taken_.insert(key);
        if (!value_.is_object() || !value_.contains(key)) return nullptr;
        return &value_.at(key);
    }
    std::string at(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

    static inline const nlohmann::json null_{};
    const nlohmann::json& value_;
    std::string path_;
    std::set<std::string> taken_;
};

PreseedDisk read_disk(Section s, bool ceph) {
    PreseedDisk disk{s.text("path"), s.flag("wipe"), ceph ? s.flag("encrypt") : false};
    s.finish();
    return disk;
}

DiskFilter read_filter(Section s, bool ceph) {
    DiskFilter filter{s.text("find"), s.number("find_min"), s.number("find_max"), s.flag("wipe"), false};
    if (ceph) filter.encrypt = s.flag("encrypt");
    s.finish();
    return filter;
}

}  // namespace

Preseed parse_preseed(const std::string& yaml_text, const std::set<std::string>& plugin_sections) {
    Preseed preseed;
    preseed.document = parse_yaml(yaml_text, "preseed");
    if (preseed.document.is_null()) preseed.document = nlohmann::json::object();
    Section top(preseed.document, "");
    preseed.initiator = top.text("initiator");
    preseed.initiator_address = top.text("initiator_address");
    preseed.lookup_subnet = top.text("lookup_subnet");
    if (auto t = top.duration("lookup_timeout")) preseed.lookup_timeout = *t;
    preseed.session_passphrase = top.text("session_passphrase");
    if (auto t = top.duration("session_timeout")) preseed.session_timeout = *t;
    for (const auto& [value, path] : top.list("systems")) {
        Section s(*value, path);
        PreseedSystem system{s.text("name"),
                             s.text("address"),
                             s.text("ovn_uplink_interface"),
                             s.text("ovn_underlay_ip"),
                             std::nullopt,
                             {}};
        Section storage = s.section("storage");
        Section local = storage.section("local");
        PreseedDisk disk = read_disk(std::move(local), false);
        if (!disk.path.empty() || disk.wipe) system.local_disk = disk;
        for (const auto& [ceph_value, ceph_path] : storage.list("ceph"))
            system.ceph_disks.push_back(read_disk(Section(*ceph_value, ceph_path), true));
        storage.finish();
        s.finish();
        preseed.systems.push_back(std::move(system));
    }
    Section ovn = top.section("ovn");
    preseed.ovn = {ovn.text("ipv4_gateway"), ovn.text("ipv4_range"), ovn.text("ipv6_gateway"), ovn.text("dns_servers")};
    ovn.finish();
    Section ceph = top.section("ceph");
    preseed.ceph.cephfs = ceph.flag("cephfs");
    preseed.ceph.internal_network = ceph.text("internal_network");
    preseed.ceph.public_network = ceph.text("public_network");
    ceph.finish();
    Section storage = top.section("storage");
    for (const auto& [value, path] : storage.list("local"))
        preseed.local_filters.push_back(read_filter(Section(*value, path), false));
    for (const auto& [value, path] : storage.list("ceph"))
        preseed.ceph_filters.push_back(read_filter(Section(*value, path), true));
    storage.finish();
    for (const auto& section : plugin_sections) top.section(section);  // the plugin checks it
    top.finish();
    return preseed;
}

}  // namespace microcloud::host::formation
