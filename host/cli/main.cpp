// host/cli/main.cpp - microcloud: global flags (--state-dir, --format, --version), then the
// command found in the command table. Errors go to stderr with exit code 1.
#include "api/paths.hpp"
#include "cli/command.hpp"
#include "common/error.hpp"
#include "common/version.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <iostream>

namespace po = boost::program_options;
using namespace microcloud::host;

namespace {

void usage(std::ostream& out, const po::options_description& options) {
    out << "Usage: microcloud [global options] <command> [command options]\n\nCommands:\n";
    const auto words_of = [](const cli::Command& c) {
        std::string words;
        for (const auto& w : c.words) words += (words.empty() ? "" : " ") + w;
        return words;
    };
    std::size_t width = 0;  // the summaries line up after the longest command
    for (const auto& c : cli::commands()) width = std::max(width, words_of(c).size());
    for (const auto& c : cli::commands()) {
        const std::string words = words_of(c);
        out << "  " << words << std::string(width + 2 - words.size(), ' ') << c.summary << "\n";
    }
    out << "\n" << options;
}

const cli::Command* find_command(std::vector<std::string>& rest) {
    for (const auto& c : cli::commands()) {
        if (rest.size() < c.words.size()) continue;
        if (std::equal(c.words.begin(), c.words.end(), rest.begin())) {
            rest.erase(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(c.words.size()));
            return &c;
        }
    }
    return nullptr;
}

int run(int argc, char** argv) {
    std::string state_dir;
    std::string format = "table";
    po::options_description options("Global options");
    options.add_options()("help,h", "show this help")("version", "print the version and exit")(
        "state-dir", po::value(&state_dir),
        "microcloudd state directory (default $MICROCLOUD_STATE_DIR or /var/lib/microcloud)")(
        "format,f", po::value(&format), "output format: table, json, yaml or csv");
    po::parsed_options parsed = po::command_line_parser(argc, argv).options(options).allow_unregistered().run();
    po::variables_map vm;
    po::store(parsed, vm);
    po::notify(vm);
    std::vector<std::string> rest = po::collect_unrecognized(parsed.options, po::include_positional);

    if (vm.count("version")) {
        std::cout << kVersion << "\n";
        return 0;
    }
    if (vm.count("help") || rest.empty()) {
        usage(vm.count("help") ? std::cout : std::cerr, options);
        return vm.count("help") ? 0 : 1;
    }
    cli::Invocation inv;
    inv.format = parse_format(format);
    inv.state_dir = api::resolve_state_dir(state_dir);
    std::vector<std::string> words = rest;
    const cli::Command* command = find_command(words);
    if (!command) {
        std::string given;
        for (const auto& w : rest) given += (given.empty() ? "" : " ") + w;
        throw Error("unknown_command", "Unknown command \"" + given + "\" (see microcloud --help)");
    }
    inv.args = words;
    return command->run(inv);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const Error& e) {
        std::cerr << "Error: " << e.what() << "\n";
    } catch (const po::error& e) {
        std::cerr << "Error: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "Error: " << e.what() << "\n";
    }
    return 1;
}
