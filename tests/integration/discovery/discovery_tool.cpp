// tests/integration/discovery/discovery_tool.cpp - runs a responder or a lookup, for tests inside namespaces.
//   discovery_tool respond --interface IF --name NAME --fingerprint FP [--version V] [--seconds N]
//   discovery_tool lookup --subnet CIDR [--timeout SECONDS] [--name NAME]
// respond prints "ready" once listening; lookup prints the reply as JSON. Errors: one JSON line
// {"code", "message", "details"} on stdout, exit 1.
#include "common/error.hpp"
#include "discovery/interface_choice.hpp"
#include "discovery/lookup.hpp"
#include "discovery/responder.hpp"
#include "system/facts.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <iostream>
#include <map>
#include <string>
#include <thread>

namespace discovery = microcloud::host::discovery;
using microcloud::host::Error;
using nlohmann::json;

namespace {

volatile std::sig_atomic_t g_stop = 0;

std::map<std::string, std::string> options_of(int argc, char** argv) {
    std::map<std::string, std::string> out;
    for (int i = 2; i + 1 < argc; i += 2) out[argv[i]] = argv[i + 1];
    return out;
}

std::string option(const std::map<std::string, std::string>& options, const std::string& name,
                   const std::string& fallback = "") {
    const auto it = options.find(name);
    if (it != options.end()) return it->second;
    if (!fallback.empty()) return fallback;
    throw Error("usage", "missing " + name);
}

int respond(const std::map<std::string, std::string>& options) {
    const auto chosen =
        discovery::interface_by_name(microcloud::host::system::collect_interfaces(), option(options, "--interface"));
    discovery::ServerInfo info;
    info.version = option(options, "--version", std::string(discovery::kFormatVersion));
    info.name = option(options, "--name");
    info.address = chosen.endpoint.address;
    info.fingerprint = option(options, "--fingerprint");
    info.services = {{"MicroCloud", info.version}};
    discovery::Responder responder(chosen.endpoint, info);
    std::cout << "ready" << std::endl;
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::seconds(std::stoi(option(options, "--seconds", "60")));
    while (!g_stop && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    responder.stop();
    std::cerr << "replies sent: " << responder.replies_sent() << std::endl;
    return 0;
}

int lookup(const std::map<std::string, std::string>& options) {
    discovery::LookupOptions lookup_options;
    lookup_options.on =
        discovery::interface_for_subnet(microcloud::host::system::collect_interfaces(), option(options, "--subnet"));
    lookup_options.timeout = std::chrono::seconds(std::stoi(option(options, "--timeout", "10")));
    if (options.count("--name")) {
        const std::string wanted = options.at("--name");
        lookup_options.match = [wanted](const discovery::ServerInfo& info) { return info.name == wanted; };
    }
    const auto result = discovery::lookup(lookup_options);
    std::cout << json{{"version", result.system.version},   {"name", result.system.name},
                      {"address", result.system.address},   {"fingerprint", result.system.fingerprint},
                      {"services", result.system.services}, {"sender", result.sender_address},
                      {"probes_sent", result.probes_sent}}
                     .dump()
              << std::endl;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGTERM, [](int) { g_stop = 1; });
    std::signal(SIGINT, [](int) { g_stop = 1; });
    const std::string command = argc > 1 ? argv[1] : "";
    try {
        if (command == "respond") return respond(options_of(argc, argv));
        if (command == "lookup") return lookup(options_of(argc, argv));
        std::cerr << "usage: discovery_tool respond|lookup [--option value]..." << std::endl;
        return 2;
    } catch (const Error& error) {
        std::cout << json{{"code", error.code()}, {"message", error.what()}, {"details", error.details()}}.dump()
                  << std::endl;
        return 1;
    }
}
