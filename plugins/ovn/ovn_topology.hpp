// plugins/ovn/ovn_topology.hpp - where OVN's parts run in a MicroCloud (pure): which members hold
// the central databases, the connection strings every part uses, each member's tunnel address.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace microcloud::plugins::ovn {

/// OVN's ports: the databases' client ports and their raft ports.
inline constexpr int kNorthboundPort = 6641;
inline constexpr int kSouthboundPort = 6642;
inline constexpr int kNorthboundRaftPort = 6643;
inline constexpr int kSouthboundRaftPort = 6644;

/// How many members hold the central databases (raft survives the loss of one of three).
inline constexpr std::size_t kCentralCount = 3;

/// A member that runs the NB and SB databases and northd.
struct Central {
    std::string name;
    std::string address;
    bool operator==(const Central&) const = default;
};

/// "ssl:IP:PORT" ("ssl:[IPv6]:PORT" for IPv6).
std::string ssl_endpoint(const std::string& ip, int port);

/// Every central's ssl endpoint on `port`, comma-separated, in order.
std::string ssl_remotes(const std::vector<Central>& centrals, int port);

/// The centrals once this run's members have joined: `existing`, then the first of `joining` (in
/// the plan's order, skipping existing ones) until there are kCentralCount. `addresses` maps a
/// member to its MicroCloud address; Error("invalid_input") when a chosen member has none.
std::vector<Central> centrals_after(const std::vector<Central>& existing, const std::vector<std::string>& joining,
                                    const sdk::Json& addresses);

/// Whether `member` is among `centrals`.
bool is_central(const std::vector<Central>& centrals, const std::string& member);

/// The centrals as JSON ([{"name","address"}]) and back; Error("invalid_token") for a bad shape.
sdk::Json centrals_to_json(const std::vector<Central>& centrals);
std::vector<Central> centrals_from_json(const sdk::Json& json);

/// The address geneve tunnels of `member` use: its systems[].ovn_underlay_ip in the preseed, else
/// its MicroCloud address (input "addresses").
std::string encap_ip(const sdk::Json& input, const std::string& member);

/// The members of a bootstrap run in formation order: the first member (input "members"[0]),
/// then input "joining" without it.
std::vector<std::string> bootstrap_order(const sdk::Json& input);

}  // namespace microcloud::plugins::ovn
