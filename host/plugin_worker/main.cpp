// host/plugin_worker/main.cpp - microcloud-plugin-worker: the small process microcloudd starts for
// each plugin, so that a plugin which crashes, hangs or runs out of memory takes only this process
// down. Usage: microcloud-plugin-worker --fd N [--memory-limit-mb M]; N is this end of the
// daemon's socketpair. The process ends when the daemon closes the socket or asks it to stop.
#include "plugin_worker/daemon_link.hpp"
#include "plugin_worker/plugin_host.hpp"
#include "plugins/worker_wire.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <string>
#include <string_view>

namespace {

using namespace microcloud::host;

int g_fd = -1;  // for the terminate handler, which can take no arguments

// A sanitizer's shadow memory is writable anonymous memory too: under RLIMIT_DATA it cannot start.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

// An exception that escaped on a thread the plugin started: say what it was, then end.
[[noreturn]] void on_terminate() {
    if (std::exception_ptr current = std::current_exception()) {
        std::string what = "an exception of a type that is not std::exception";
        try {
            std::rethrow_exception(current);
        } catch (const std::bad_alloc&) {
            ::_exit(plugins::wire::kExitOutOfMemory);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        plugins::wire::write_frame(g_fd, {{"t", "uncaught"}, {"message", what}});
        ::_exit(plugins::wire::kExitUncaughtException);
    }
    std::abort();
}

[[noreturn]] void on_out_of_memory() { ::_exit(plugins::wire::kExitOutOfMemory); }

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
// In an AddressSanitizer build a plugin's SIGSEGV or abort stays a signal, as in a normal build, so
// that the daemon reports it the same way (ASan would turn it into a report and exit code 1).
extern "C" const char* __asan_default_options() {
    return "handle_segv=0:handle_sigbus=0:handle_abort=0:handle_sigfpe=0:handle_sigill=0";
}
#endif

namespace {

bool parse_number(std::string_view text, long& out) {
    char* end = nullptr;
    const std::string copy(text);
    out = std::strtol(copy.c_str(), &end, 10);
    return !copy.empty() && end && *end == '\0' && out >= 0;
}

// Reads "--fd N [--memory-limit-mb M]" (in any order); false for anything else or without --fd.
bool parse_arguments(int argc, char** argv, long& fd, long& memory_mb) {
    if (argc % 2 == 0) return false;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view flag = argv[i];
        long* target = flag == "--fd" ? &fd : flag == "--memory-limit-mb" ? &memory_mb : nullptr;
        if (!target || !parse_number(argv[i + 1], *target)) return false;
    }
    return fd >= 0;
}

}  // namespace

int main(int argc, char** argv) {
    long fd = -1;
    long memory_mb = 0;
    if (!parse_arguments(argc, argv, fd, memory_mb)) {
        std::fprintf(stderr, "usage: microcloud-plugin-worker --fd N [--memory-limit-mb M]\n");
        return plugins::wire::kExitBadArguments;
    }
    if (memory_mb > 0 && !kSanitized) {
        // RLIMIT_DATA counts what the plugin can actually write (heap, anonymous mappings), not
        // address space merely reserved, so thread stacks and malloc arenas do not trip it.
        const rlim_t bytes = static_cast<rlim_t>(memory_mb) * 1024 * 1024;
        const rlimit limit{bytes, bytes};
        ::setrlimit(RLIMIT_DATA, &limit);
    }
    std::signal(SIGPIPE, SIG_IGN);
    g_fd = static_cast<int>(fd);
    std::set_terminate(&on_terminate);
    std::set_new_handler(&on_out_of_memory);

    plugin_worker::DaemonLink link(g_fd);
    plugin_worker::PluginHost plugin(link);
    for (;;) {
        plugins::wire::Frame frame = plugins::wire::read_frame(g_fd, std::nullopt);
        if (frame.status != plugins::wire::ReadStatus::ok) break;
        const nlohmann::json& m = frame.message;
        const std::string type = m.value("t", "");
        if (type == "svc_reply") {
            link.deliver(m);
        } else if (type == "call") {
            plugin.start_call(m.value("hook", ""), m.value("input", ""));
        } else if (type == "load") {
            link.send(plugin.load(m.value("library", "")));
        } else if (type == "create") {
            link.send(plugin.create(m.value("config", "{}")));
        } else if (type == "stop") {
            break;
        }
    }
    // The daemon is gone or asked us to stop. A hook still running cannot be stopped cleanly.
    link.close();
    if (plugin.busy()) ::_exit(0);
    plugin.destroy();
    ::_exit(0);
}
