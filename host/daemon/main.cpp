// host/daemon/main.cpp - microcloudd: parses flags, takes the state directory, loads plugins,
// serves the control socket and shuts down cleanly on SIGTERM/SIGINT.
#include "api/paths.hpp"
#include "api/state_dir_lock.hpp"
#include "common/error.hpp"
#include "common/version.hpp"
#include "daemon/control_server.hpp"
#include "daemon/daemon_config.hpp"
#include "daemon/member.hpp"
#include "formation/formation_journal.hpp"
#include "formation/session_control.hpp"
#include "membership/membership.hpp"

#include <spdlog/spdlog.h>
#include <boost/program_options.hpp>

#include <malloc.h>

#include <csignal>
#include <iostream>
#include <optional>
#include <thread>

namespace po = boost::program_options;
using namespace microcloud::host;

namespace {

struct Flags {
    std::string state_dir;
    std::string config;
    std::vector<std::string> plugin_dirs;
    std::vector<std::string> disabled;
    std::optional<unsigned> plugin_idle_stop;
    bool debug = false;
    bool verbose = false;
};

// Returns false when the process should exit right away (help, version).
bool parse_flags(int argc, char** argv, Flags& flags) {
    po::options_description options("microcloudd options");
    options.add_options()("help,h", "show this help")("version", "print the version and exit")(
        "state-dir", po::value(&flags.state_dir),
        "state directory (default $MICROCLOUD_STATE_DIR or /var/lib/microcloud)")(
        "config", po::value(&flags.config), "config file (default <state-dir>/microcloudd.yaml)")(
        "plugin-dir", po::value(&flags.plugin_dirs)->composing(), "extra plugin directory (repeatable)")(
        "disable-plugin", po::value(&flags.disabled)->composing(), "leave a plugin out (repeatable)")(
        "plugin-idle-stop", po::value<unsigned>()->notifier([&flags](unsigned s) { flags.plugin_idle_stop = s; }),
        "seconds after which an idle plugin worker stops (0: never; default from the config, else 300)")(
        "debug,d", po::bool_switch(&flags.debug), "debug logging")("verbose,v", po::bool_switch(&flags.verbose),
                                                                   "informational logging");
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, options), vm);
    po::notify(vm);
    if (vm.count("help")) {
        std::cout << "Usage: microcloudd [options]\n\n" << options;
        return false;
    }
    if (vm.count("version")) {
        std::cout << kVersion << "\n";
        return false;
    }
    return true;
}

daemon::DaemonConfig build_config(const Flags& flags) {
    daemon::DaemonConfig config;
    config.state_dir = api::resolve_state_dir(flags.state_dir);
    for (const auto& dir : flags.plugin_dirs) config.plugin_dirs.emplace_back(dir);
    const bool explicit_file = !flags.config.empty();
    const std::filesystem::path file =
        explicit_file ? std::filesystem::path(flags.config) : config.state_dir / "microcloudd.yaml";
    daemon::apply_config_file(config, file, explicit_file);
    config.disabled_plugins.insert(flags.disabled.begin(), flags.disabled.end());
    if (flags.plugin_idle_stop) config.plugin_idle_stop = std::chrono::seconds(*flags.plugin_idle_stop);
    return config;
}

int run(const Flags& flags) {
    spdlog::set_level(flags.debug ? spdlog::level::debug : flags.verbose ? spdlog::level::info : spdlog::level::warn);
    daemon::DaemonConfig config = build_config(flags);

    // Block the stop signals in every thread; one thread waits for them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    api::StateDirLock lock(config.state_dir);
    daemon::Member member(config);
    membership::Membership membership({.state_dir = config.state_dir, .member_name = member.name()});
    membership.set_local_status([&member](bool refresh) { return member.local_status(refresh); });
    membership.set_local_facts([&member] { return member.system_facts(); });
    membership.set_local_plugins([&member] { return member.plugins(); });
    membership.set_hook_runner([&member](const std::string& plugin, const std::string& hook,
                                         const nlohmann::json& input) { return member.run_hook(plugin, hook, input); });
    membership.resume();
    // A formation this member led and did not finish (it was killed) is undone before any client
    // can start another.
    try {
        formation::recover_interrupted_formation(formation::journal_path(config.state_dir), membership);
    } catch (const Error& e) {
        spdlog::error("could not undo an interrupted formation: {}", e.what());
    }
    formation::SessionControl sessions(membership, member.name(), member.services(), member.components(),
                                       [&member] { return member.system_facts(); }, member.join_concurrency());
    daemon::ControlServer server(member, membership, sessions, api::control_socket(config.state_dir));
    server.bind();
    spdlog::info("microcloudd {} serving {} on {}", kVersion, member.name(),
                 api::control_socket(config.state_dir).string());

    std::jthread waiter([&server, stop_signals] {
        int signal = 0;
        sigwait(&stop_signals, &signal);
        spdlog::info("received signal {}, shutting down", signal);
        server.stop();
    });
    server.serve();
    // serve() also returns if the server fails; wake the waiter so the process can exit.
    pthread_kill(waiter.native_handle(), SIGTERM);
    membership.stop();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // Buffers of 1 MiB and more (request bodies up to the limits) are mapped on their own and
    // unmapped when freed, so a burst of large requests leaves no memory behind in glibc's arenas.
    // Set explicitly, the threshold no longer grows as large blocks are freed.
    ::mallopt(M_MMAP_THRESHOLD, 1 << 20);
    Flags flags;
    try {
        if (!parse_flags(argc, argv, flags)) return 0;
        return run(flags);
    } catch (const Error& e) {
        std::cerr << "Error: " << e.what() << "\n";
    } catch (const po::error& e) {
        std::cerr << "Error: " << e.what() << " (see microcloudd --help)\n";
    } catch (const std::exception& e) {
        std::cerr << "Error: " << e.what() << "\n";
    }
    return 1;
}
