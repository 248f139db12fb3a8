// host/store/records.cpp - member role names (printing and checked parsing) and the system clock.
#include "store/records.hpp"

#include "common/error.hpp"

#include <array>

namespace microcloud::host::store {
namespace {

constexpr std::array<std::pair<MemberRole, std::string_view>, 4> kRoles{{
    {MemberRole::voter, "voter"},
    {MemberRole::standby, "stand-by"},
    {MemberRole::spare, "spare"},
    {MemberRole::pending, "pending"},
}};

}  // namespace

Timestamp system_now() {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string_view member_role_name(MemberRole role) {
    for (const auto& [value, name] : kRoles) {
        if (value == role) {
            return name;
        }
    }
    return "unknown";
}

MemberRole parse_member_role(std::string_view name) {
    if (name == "standby") {
        return MemberRole::standby;
    }
    nlohmann::json accepted = nlohmann::json::array();
    std::string listed;
    for (const auto& [value, known] : kRoles) {
        if (known == name) {
            return value;
        }
        accepted.push_back(known);
        listed += (listed.empty() ? "" : ", ") + std::string(known);
    }
    throw Error("invalid_role", "member role \"" + std::string(name) + "\" is not accepted; accepted roles: " + listed,
                {{"value", name}, {"accepted", accepted}});
}

}  // namespace microcloud::host::store
