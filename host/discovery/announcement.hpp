// host/discovery/announcement.hpp - the versioned JSON messages of multicast discovery: probe and reply.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace microcloud::host::discovery {

// The discovery format spoken here; a reply with any other version is a mismatch.
inline constexpr std::string_view kFormatVersion = "2.0";

// What a joiner multicasts every second: {"version": "2.0"}.
struct Probe {
    std::string version{kFormatVersion};
};

// What an initiator answers by unicast: who it is and which services it runs.
struct ServerInfo {
    std::string version{kFormatVersion};
    std::string name;
    std::string address;
    std::string fingerprint;
    std::map<std::string, std::string> services;  // service name -> version
};

std::string encode_probe(const Probe& probe);
std::string encode_server_info(const ServerInfo& info);

// Parse a datagram. Throws Error("discovery_invalid_message") naming the field that is missing or of
// the wrong type, or saying the text is not a JSON object.
Probe parse_probe(std::string_view text);
ServerInfo parse_server_info(std::string_view text);

// Upstream's text: System "NAME" (version "V") has a version mismatch: Expected "EXPECTED".
std::string version_mismatch_message(std::string_view name, std::string_view version, std::string_view expected);

// Throws Error("discovery_version_mismatch", version_mismatch_message(...)) unless info.version is
// `expected`.
void check_version(const ServerInfo& info, std::string_view expected = kFormatVersion);

}  // namespace microcloud::host::discovery
