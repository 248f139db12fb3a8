// plugins/lxd/apply_state.cpp - the two-phase creation LXD clusters need, then the profile.
#include "apply_state.hpp"

namespace microcloud::plugins::lxd {

using sdk::Error;
using sdk::Json;

namespace {

std::string collection(const Entity& entity) {
    return entity.kind == "storage-pool" ? "/1.0/storage-pools" : "/1.0/networks";
}

std::string path_of(const Entity& entity) {
    return collection(entity) + "/" + entity.name;
}

Json request_body(const Entity& entity, const Json& config) {
    Json body{{"name", entity.name}, {"config", config}};
    body[entity.kind == "storage-pool" ? "driver" : "type"] = entity.type;
    return body;
}

// "Created" when the entity exists cluster-wide, "Pending"/"Errored" when half made, "" when absent.
std::string status_of(const LxdApi& api, const Entity& entity) {
    if (!api.exists(path_of(entity))) return "";
    return api.get(path_of(entity)).value("status", "Created");
}

// LXD's own answer (not the request) says the member's part exists.
bool defined_already(const Error& e) {
    if (e.code() != "lxd_error" || !e.details().is_object()) return false;
    const std::string said = e.details().value("error", "");
    return said.find("already defined") != std::string::npos || said.find("already exists") != std::string::npos;
}

// The keys LXD's create would have overwritten (Entity::after_create).
void set_after_create(const LxdApi& api, const Entity& entity) {
    if (!entity.after_create.empty()) api.send("PATCH", path_of(entity), Json{{"config", entity.after_create}});
}

void create(const LxdApi& api, const Entity& entity) {
    if (entity.per_member)
        for (const auto& [member, keys] : entity.members.items()) {
            try {
                api.send("POST", collection(entity) + "?target=" + member, request_body(entity, keys));
            } catch (const Error& e) {
                // A run that stopped half-way left this member's part defined already.
                if (!defined_already(e)) throw;
            }
        }
    api.send("POST", collection(entity), request_body(entity, entity.config));
    set_after_create(api, entity);
}

void put_profile_devices(const LxdApi& api, const Json& profile, const Json& devices) {
    api.send("PUT", "/1.0/profiles/default",
             Json{{"config", profile.value("config", Json::object())},
                  {"description", profile.value("description", "")},
                  {"devices", devices}});
}

}  // namespace

Json undo_changes(const LxdApi& api, const AppliedChanges& changes) {
    Json out{{"undone", Json::array()}, {"failed", Json::array()}};
    // Each step on its own: one that fails does not keep the others from running.
    const auto step = [&out](const std::string& label, const std::function<bool()>& undo) {
        try {
            if (undo()) out["undone"].push_back(label);
        } catch (const Error& e) {
            out["failed"].push_back(label + ": " + e.what());
        }
    };
    if (changes.profile_devices_before)
        step("profile default", [&] {
            put_profile_devices(api, api.get("/1.0/profiles/default"), *changes.profile_devices_before);
            return true;
        });
    for (auto it = changes.created.rbegin(); it != changes.created.rend(); ++it)
        step(it->kind + " " + it->name, [&api, &entity = *it] {
            if (!api.exists(path_of(entity))) return false;
            // `remote` must not take the Ceph pool with it (a pending pool has nothing to take).
            if (!entity.after_create.empty() && api.get(path_of(entity)).value("status", "Created") == "Created")
                set_after_create(api, entity);
            api.send("DELETE", path_of(entity));
            return true;
        });
    if (!changes.server_config_before.empty())
        step("server configuration", [&] {
            api.send("PATCH", "/1.0", Json{{"config", changes.server_config_before}});
            return true;
        });
    return out;
}

Json apply_state(const LxdApi& api, const DesiredState& state, bool replace_devices, AppliedChanges& changes,
                 const std::function<void(const std::string&)>& say) {
    Json report{{"created", Json::array()}, {"existing", Json::array()}};
    if (!state.server_config.empty()) {
        const Json config = api.get("/1.0").value("config", Json::object());
        for (const auto& [key, value] : state.server_config.items())
            if (!changes.server_config_before.contains(key)) changes.server_config_before[key] = config.value(key, "");
        api.send("PATCH", "/1.0", Json{{"config", state.server_config}});
    }
    for (const Entity& entity : state.entities) {
        const std::string label = entity.kind + " " + entity.name + " (" + entity.type + ")";
        if (status_of(api, entity) == "Created") {
            report["existing"].push_back(label);
            continue;
        }
        say("Creating " + label + " on " + std::to_string(entity.members.size()) + " members");
        changes.created.push_back(entity);  // before: a half-made entity is taken back too
        create(api, entity);
        report["created"].push_back(label);
    }
    const Json profile = api.get("/1.0/profiles/default");
    Json devices = profile.value("devices", Json::object());
    if (!devices.is_object()) devices = Json::object();
    if (!changes.profile_devices_before) changes.profile_devices_before = devices;
    for (const auto& [name, device] : state.profile_devices.items())
        if (replace_devices || !devices.contains(name)) devices[name] = device;
    put_profile_devices(api, profile, devices);
    report["profile_devices"] = devices;
    say("Default profile: " + devices.dump());
    return report;
}

}  // namespace microcloud::plugins::lxd
