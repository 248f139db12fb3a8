// host/membership/member_file.cpp - reading and writing member.json, checking member addresses.
#include "membership/member_file.hpp"

#include "common/error.hpp"
#include "trust/atomic_file.hpp"

#include <arpa/inet.h>
#include <nlohmann/json.hpp>

namespace microcloud::host::membership {
namespace {

std::filesystem::path member_file(const std::filesystem::path& state_dir) {
    return cluster_dir(state_dir) / "member.json";
}

bool is_ip(const std::string& text, int family) {
    unsigned char buffer[sizeof(in6_addr)];
    return ::inet_pton(family, text.c_str(), buffer) == 1;
}

}  // namespace

std::filesystem::path cluster_dir(const std::filesystem::path& state_dir) {
    return state_dir / "cluster";
}

std::optional<LocalMember> read_local_member(const std::filesystem::path& state_dir) {
    const auto path = member_file(state_dir);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    const nlohmann::json body = nlohmann::json::parse(trust::read_whole_file(path), nullptr, false);
    try {
        LocalMember member{body.at("name").get<std::string>(), body.at("address").get<std::string>(),
                           body.at("node_id").get<cluster::NodeId>()};
        if (member.name.empty() || member.address.empty() || member.node_id == 0) throw std::invalid_argument("empty");
        return member;
    } catch (const std::exception&) {
        throw Error("member_file_invalid",
                    "Cannot read " + path.string() + ": expected a JSON object with name, address and node_id",
                    {{"path", path.string()}});
    }
}

void write_local_member(const std::filesystem::path& state_dir, const LocalMember& member) {
    std::filesystem::create_directories(cluster_dir(state_dir));
    const nlohmann::json body{{"name", member.name}, {"address", member.address}, {"node_id", member.node_id}};
    trust::write_file_atomically(member_file(state_dir), body.dump(2) + "\n", 0600);
}

std::string normalise_member_address(const std::string& value, int default_port) {
    const auto invalid = [&](const std::string& problem) -> Error {
        return Error("invalid_address",
                     "Invalid member address \"" + value + "\": " + problem +
                         " (accepted: an IPv4 or IPv6 address of this member, optionally with :port, e.g. "
                         "10.0.0.11 or 10.0.0.11:9443 or [fd00::11]:9443)",
                     {{"field", "address"}, {"value", value}});
    };
    std::string host = value;
    std::string port = std::to_string(default_port);
    if (!value.empty() && value.front() == '[') {
        const auto close = value.find(']');
        if (close == std::string::npos) throw invalid("no closing ']'");
        host = value.substr(1, close - 1);
        if (close + 1 < value.size()) {
            if (value[close + 1] != ':') throw invalid("expected ':' after ']'");
            port = value.substr(close + 2);
        }
        if (!is_ip(host, AF_INET6)) throw invalid("\"" + host + "\" is not an IPv6 address");
    } else if (const auto colon = value.find(':');
               colon != std::string::npos && value.find(':', colon + 1) == std::string::npos) {
        host = value.substr(0, colon);
        port = value.substr(colon + 1);
        if (!is_ip(host, AF_INET)) throw invalid("\"" + host + "\" is not an IPv4 address");
    } else if (is_ip(value, AF_INET6)) {
        return "[" + value + "]:" + port;
    } else if (!is_ip(value, AF_INET)) {
        throw invalid("it is not an IP address");
    }
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) < 1 || std::stoi(port) > 65535)
        throw invalid("the port must be a number from 1 to 65535");
    return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
}

}  // namespace microcloud::host::membership
