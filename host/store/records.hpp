// host/store/records.hpp - the rows MicroCloud keeps in dqlite: members, join tokens and per-member
// plugin state, as plain structs with typed fields.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace microcloud::host::store {

// Whole seconds since the epoch, as the store keeps every time.
using Timestamp = std::chrono::sys_seconds;
// Where the store reads the time (token expiry, update times); tests pass a fixed one.
using Clock = std::function<Timestamp()>;
// The system clock, in whole seconds.
Timestamp system_now();

// A member's place in the cluster: the dqlite roles, plus `pending` for a member recorded before
// its dqlite node has joined.
enum class MemberRole { voter, standby, spare, pending };

// "voter", "stand-by", "spare", "pending".
std::string_view member_role_name(MemberRole role);
// Accepts the names above (and "standby"); throws Error("invalid_role") naming the value and the
// accepted ones.
MemberRole parse_member_role(std::string_view name);

struct Member {
    std::string name{};
    std::string address{};      // host:port of its API (9443)
    std::string certificate{};  // PEM
    std::string fingerprint{};  // SHA-256 of the certificate, lowercase hex
    MemberRole role = MemberRole::pending;
    std::uint64_t node_id = 0;  // dqlite node id
    Timestamp joined_at{};
    std::optional<Timestamp> heartbeat_at{};
    friend bool operator==(const Member&, const Member&) = default;
};

// A join token as stored: the secret itself never is, only its hash.
struct JoinToken {
    std::string name{};
    std::string secret_hash{};
    std::string joiner{};  // the member name that may use it
    Timestamp expires_at{};
    Timestamp created_at{};
    friend bool operator==(const JoinToken&, const JoinToken&) = default;
};

// What one plugin keeps about one member.
struct PluginState {
    std::string member{};
    std::string plugin{};
    nlohmann::json state{};
    Timestamp updated_at{};
    friend bool operator==(const PluginState&, const PluginState&) = default;
};

}  // namespace microcloud::host::store
