// plugins/lxd/lxd_plugin.cpp - LxdPlugin: gathers observations through the host, then reports them.
#include "lxd_plugin.hpp"

#include "discovery_report.hpp"
#include "envelope.hpp"
#include "inventory.hpp"
#include "program_probe.hpp"
#include "server_summary.hpp"
#include "socket_choice.hpp"

#include <chrono>
#include <exception>
#include <utility>

namespace microcloud::plugins::lxd {
namespace {

using sdk::Json;

constexpr std::chrono::milliseconds version_timeout{10000};
constexpr std::chrono::milliseconds request_timeout{5000};

ProgramProbe probe_program(const sdk::Context& ctx) {
    try {
        sdk::CommandOptions options;
        options.timeout = version_timeout;
        return read_version_answer(ctx.run(version_command(), options));
    } catch (const std::exception& e) {
        return program_not_started(e.what());
    }
}

// GETs `path` from LXD and summarises the metadata; any failure becomes the answer's problem.
Answer ask(const sdk::Context& ctx, const std::string& socket, const std::string& path,
           Json (*summarize)(const Json&)) {
    try {
        const sdk::HttpResponse response = ctx.http(socket, "GET", path, {}, request_timeout);
        return Answer{summarize(metadata_of(response, "GET " + path)), {}};
    } catch (const std::exception& e) {
        return Answer{Json(), e.what()};
    }
}

}  // namespace

LxdPlugin::LxdPlugin(const Json& config, SystemView system)
    : config_(parse_config(config)), system_(std::move(system)) {}

Json LxdPlugin::discover(sdk::Context& ctx) {
    Observations seen;
    seen.program = probe_program(ctx);
    seen.socket = choose_socket(config_.socket, system_.env("LXD_DIR"), system_.exists);
    seen.socket_exists = seen.socket.path && system_.exists(*seen.socket.path);
    if (seen.socket_exists) {
        const std::string& socket = *seen.socket.path;
        ctx.debug("lxd: asking LXD on " + socket + " (" + source_description(seen.socket.source) + ")");
        seen.server = ask(ctx, socket, "/1.0", &summarize_server);
        if (seen.server->ok()) {
            seen.storage_pools = ask(ctx, socket, "/1.0/storage-pools?recursion=1", &summarize_storage_pools);
            seen.networks = ask(ctx, socket, "/1.0/networks?recursion=1", &summarize_networks);
        }
    }
    return build_report(seen);
}

Json LxdPlugin::validate(sdk::Context&) { sdk::not_implemented("lxd", "validate"); }
Json LxdPlugin::join(sdk::Context&) { sdk::not_implemented("lxd", "join"); }
Json LxdPlugin::teardown(sdk::Context&) { sdk::not_implemented("lxd", "teardown"); }

}  // namespace microcloud::plugins::lxd
