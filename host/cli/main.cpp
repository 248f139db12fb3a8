// host/cli/main.cpp - microcloud: global flags (--state-dir, --format, --no-color, --version), then the
// command found in the command table. Errors go to stderr with exit code 1.
#include "api/paths.hpp"
#include "cli/command.hpp"
#include "common/error.hpp"
#include "common/version.hpp"

#include <boost/program_options.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
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

struct Globals {
    std::string state_dir;
    std::string format = "table";
    po::variables_map vm;
    std::vector<std::string> rest;  // the command's words and its own arguments
};

// The global options. `-f` is --format unless the command takes -f itself (`remove -f` is
// --force there, as upstream's).
po::options_description global_options(Globals& g, bool short_f) {
    po::options_description options("Global options");
    options.add_options()("help,h", "show this help")("version", "print the version and exit")(
        "state-dir", po::value(&g.state_dir),
        "microcloudd state directory (default $MICROCLOUD_STATE_DIR or /var/lib/microcloud)")(
        short_f ? "format,f" : "format", po::value(&g.format), "output format: table, compact, json, yaml or csv")(
        "no-color", "no bold headers (also when NO_COLOR is set or the output is not a terminal)");
    return options;
}

void parse_globals(int argc, char** argv, Globals& g, const po::options_description& options) {
    g = Globals{};
    po::parsed_options parsed = po::command_line_parser(argc, argv).options(options).allow_unregistered().run();
    po::store(parsed, g.vm);
    po::notify(g.vm);
    g.rest = po::collect_unrecognized(parsed.options, po::include_positional);
}

int run(int argc, char** argv) {
    // First without -f, to find the command; then again with -f as --format where it is that.
    Globals g;
    parse_globals(argc, argv, g, global_options(g, false));
    std::vector<std::string> probe = g.rest;
    const cli::Command* found = find_command(probe);
    const bool short_f = found == nullptr || !found->takes_dash_f;
    po::options_description options = global_options(g, short_f);
    parse_globals(argc, argv, g, options);
    const po::variables_map& vm = g.vm;
    const std::vector<std::string>& rest = g.rest;
    const std::string& format = g.format;
    const std::string& state_dir = g.state_dir;

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
    inv.color = vm.count("no-color") == 0 && std::getenv("NO_COLOR") == nullptr && ::isatty(STDOUT_FILENO) == 1;
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
