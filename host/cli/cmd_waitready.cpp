// host/cli/cmd_waitready.cpp - `microcloud waitready [--timeout S]`: polls until the daemon is ready.
#include "cli/command.hpp"
#include "common/error.hpp"

#include <boost/program_options.hpp>

#include <thread>

namespace microcloud::host::cli {

int run_waitready(const Invocation& inv) {
    namespace po = boost::program_options;
    int timeout_s = 0;
    po::options_description options("waitready options");
    options.add_options()("timeout,t", po::value(&timeout_s)->default_value(0), "seconds to wait (0: forever)");
    po::variables_map vm;
    po::store(po::command_line_parser(inv.args).options(options).run(), vm);
    po::notify(vm);
    if (timeout_s < 0)
        throw Error("invalid_arguments",
                    "Invalid value for --timeout: " + std::to_string(timeout_s) + " (accepted: 0 or more seconds)");

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    const DaemonClient client = inv.client();
    std::string last_error;
    while (true) {
        try {
            if (client.get("/1.0", std::chrono::milliseconds(2000)).value("ready", false)) return 0;
            last_error = "the daemon is not ready yet";
        } catch (const Error& e) {
            last_error = e.what();
        }
        if (timeout_s > 0 && std::chrono::steady_clock::now() >= deadline)
            throw Error("timeout",
                        "Timed out after " + std::to_string(timeout_s) + " s waiting for microcloudd: " + last_error);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace microcloud::host::cli
