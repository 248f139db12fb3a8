// host/cli/cmd_session.cpp - `microcloud init`, `add` and `join`: the interactive trust session.
// On a terminal the systems and disks are tables chosen with the keys; otherwise every question is
// answered by a line of standard input, so a script can answer them (host/interactive). After the
// systems joined, the storage and network questions make a preseed document that forms the
// components; --print-preseed prints it at the end.
#include "cli/command.hpp"
#include "cli/interrupt_cancels.hpp"
#include "cli/setup_input.hpp"
#include "common/error.hpp"
#include "interactive/setup_questions.hpp"

#include <boost/program_options.hpp>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

namespace microcloud::host::cli {
namespace {

namespace po = boost::program_options;

// Asks which of this machine's global IPv4 addresses MicroCloud uses.
std::string ask_address(const Invocation& inv, interactive::Asker& asker) {
    const nlohmann::json facts = inv.client().get("/1.0/system");
    std::vector<std::pair<std::string, std::string>> choices;  // address, interface
    for (const auto& interface : facts.value("interfaces", nlohmann::json::array()))
        for (const auto& address : interface.value("addresses", nlohmann::json::array()))
            if (address.value("family", "") == "inet" && address.value("scope", "global") == "global")
                choices.emplace_back(address.value("address", ""), interface.value("name", ""));
    if (choices.empty()) throw Error("invalid_address", "This machine has no global IPv4 address for MicroCloud");
    std::string listing = "Select an address for MicroCloud's internal traffic:";
    for (std::size_t i = 0; i < choices.size(); ++i)
        listing += "\n  " + std::to_string(i + 1) + ") " + choices[i].first + " (" + choices[i].second + ")";
    asker.say(listing);
    const std::string answer = asker.ask_string("Address", choices.front().first, [&](const std::string& a) {
        for (std::size_t i = 0; i < choices.size(); ++i)
            if (a == std::to_string(i + 1) || a == choices[i].first) return std::string();
        return std::string("give one of the listed numbers or addresses");
    });
    for (std::size_t i = 0; i < choices.size(); ++i)
        if (answer == std::to_string(i + 1)) return choices[i].first;
    return answer;
}

// Shows systems as they are found and admits the ones chosen; waits for them to be members.
std::set<std::string> choose_systems(const DaemonClient& client, interactive::LineAsker& asker) {
    asker.describe_found = [](const interactive::Row& row) {
        return "Found system " + row[0] + " at " + row[1] + " using fingerprint " + row[2];
    };
    const auto pending = [&client] {
        std::vector<interactive::Row> rows;
        const nlohmann::json session = client.get("/1.0/session");
        for (const auto& joiner : session.value("pending", nlohmann::json::array()))
            rows.push_back({joiner.value("name", ""), joiner.value("address", ""),
                            joiner.value("fingerprint", "").substr(0, 12)});
        return rows;
    };
    std::set<std::string> selected;
    for (const auto& row : asker.select_live("Select the systems to add to the cluster:", {"NAME", "ADDRESS", "FINGERPRINT"},
                                             pending, std::chrono::milliseconds(300)))
        selected.insert(row.front());
    nlohmann::json names = nlohmann::json::array();
    for (const auto& name : selected) names.push_back(name);
    client.post("/1.0/session/select", {{"names", names}});
    std::cout << "Adding " << selected.size() << " system(s) ...\n" << std::flush;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    for (;;) {
        std::set<std::string> online;
        for (const auto& member : client.get("/1.0/cluster"))
            if (member.value("status", "") == "ONLINE") online.insert(member.value("name", ""));
        if (std::includes(online.begin(), online.end(), selected.begin(), selected.end())) break;
        if (std::chrono::steady_clock::now() > deadline)
            throw Error("formation_timeout", "The selected systems did not all join within 5 minutes");
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    return selected;
}

// Starts the session (init: bootstrapping on `address`), prints what joiners need, has the systems
// chosen, asks the storage and network questions, forms the components.
int run_session(const Invocation& inv, interactive::LineAsker& asker, bool bootstrap, const std::string& address,
                bool print_preseed) {
    const DaemonClient client = inv.client();
    const nlohmann::json started =
        client.post("/1.0/session/initiating", {{"bootstrap", bootstrap}, {"address", address}});
    std::cout << "Use the following command on systems that you want to join the cluster:\n\n"
              << "  microcloud join\n\n"
              << "When requested, enter the passphrase:\n\n"
              << "  " << started.value("passphrase", "") << "\n\n"
              << "Verify the fingerprint " << started.value("fingerprint", "")
              << " is displayed on joining systems.\nWaiting to detect systems ...\n"
              << std::flush;
    nlohmann::json setup;
    try {
        // Ctrl-C while the systems are chosen or a question waits ends the run here, so that the
        // catch below takes back what it did (in a table, raw mode makes Ctrl-C a key that cancels).
        const UniqueFd interrupted(::eventfd(0, EFD_CLOEXEC));
        asker.reader().set_interrupt(interrupted.get());
        const InterruptCancels on_interrupt([fd = interrupted.get()] {
            const std::uint64_t one = 1;
            [[maybe_unused]] const auto written = ::write(fd, &one, sizeof one);
        });
        const std::set<std::string> systems = choose_systems(client, asker);
        std::vector<std::string> members(systems.begin(), systems.end());
        if (bootstrap) members.insert(members.begin(), client.get("/1.0").value("name", ""));
        setup = interactive::ask_setup(asker, setup_input(client, members, bootstrap));
        asker.reader().set_interrupt(-1);
    } catch (...) {
        asker.reader().set_interrupt(-1);
        // Nothing is left of this run: the admitted systems leave, an init's cluster is forgotten.
        try {
            client.post("/1.0/session/stop", {{"reason", "Initiator aborted the setup"}, {"abort", true}});
        } catch (const std::exception& undo) {
            std::cerr << "Warning: could not undo the session: " << undo.what() << "\n";
        }
        throw;
    }
    std::cout << "Forming the components ...\n" << std::flush;
    client.post_streaming("/1.0/session/stop", {{"reason", "The initiator finished the setup"}, {"setup", setup}},
                          [](const std::string& line) { std::cout << "  " << line << "\n"
                                                                  << std::flush; });
    // Give the leader a moment to hand out the votes, so the table shows the roles that stay.
    for (const auto settle = std::chrono::steady_clock::now() + std::chrono::seconds(20);
         std::chrono::steady_clock::now() < settle;) {
        const nlohmann::json members = client.get("/1.0/cluster");
        std::size_t voters = 0;
        for (const auto& member : members) voters += member.value("role", "") == "voter" ? 1 : 0;
        if (voters >= std::min<std::size_t>(members.size(), 3)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    Table table{{"NAME", "ADDRESS", "ROLE", "STATUS"}, {}};
    const nlohmann::json members = client.get("/1.0/cluster");
    for (const auto& member : members)
        table.rows.push_back({member.value("name", ""), member.value("address", ""), member.value("role", ""),
                              member.value("status", "")});
    print(inv, members, table);
    if (print_preseed) {
        // The same setup as a preseed file: `microcloud preseed` forms it again without questions.
        nlohmann::json file = setup;
        file["session_passphrase"] = started.value("passphrase", "");
        std::cout << "\n# The equivalent preseed file:\n" << render(file, Table{}, Format::yaml) << std::flush;
    }
    return 0;
}

// --print-preseed, the one option of init and add.
bool parse_print_preseed(const Invocation& inv, const std::string& usage) {
    bool print_preseed = false;
    for (const auto& arg : inv.args) {
        if (arg != "--print-preseed") throw Error("invalid_arguments", "Unknown argument \"" + arg + "\". Usage: " + usage);
        print_preseed = true;
    }
    return print_preseed;
}

}  // namespace

int run_init(const Invocation& inv) {
    const bool print_preseed = parse_print_preseed(inv, "microcloud init [--print-preseed]");
    try {
        inv.client().get("/1.0/cluster");
        throw Error("already_clustered", "MicroCloud is already initialized");
    } catch (const Error& error) {
        if (error.code() != "not_clustered") throw;
    }
    interactive::LineReader in(STDIN_FILENO);
    const auto asker = make_asker(in, inv);
    const bool several = asker->ask_bool("Do you want to set up more than one cluster member?", true);
    const std::string address = ask_address(inv, *asker);
    if (!several) {
        inv.client().post("/1.0/cluster/bootstrap", {{"address", address}});
        std::cout << "MicroCloud is ready with this member alone, on " << address << ".\n";
        return 0;
    }
    return run_session(inv, *asker, true, address, print_preseed);
}

int run_add(const Invocation& inv) {
    const bool print_preseed = parse_print_preseed(inv, "microcloud add [--print-preseed]");
    interactive::LineReader in(STDIN_FILENO);
    const auto asker = make_asker(in, inv);
    return run_session(inv, *asker, false, "", print_preseed);
}

int run_join(const Invocation& inv) {
    std::string initiator_address, address;
    int lookup_timeout = 60, session_timeout = 600;
    po::options_description options("join options");
    options.add_options()("initiator-address", po::value(&initiator_address), "the initiator's address (no discovery)")(
        "address", po::value(&address), "this member's address (default: on the default route's interface)")(
        "lookup-timeout", po::value(&lookup_timeout), "seconds to look for the initiator (default 60)")(
        "session-timeout", po::value(&session_timeout), "seconds to wait for the initiator's selection (default 600)");
    po::variables_map vm;
    po::store(po::command_line_parser(inv.args).options(options).run(), vm);
    po::notify(vm);
    if (lookup_timeout <= 0 || session_timeout <= 0)
        throw Error("invalid_arguments", "The timeouts must be positive numbers of seconds");
    interactive::LineReader in(STDIN_FILENO);
    std::cout << "Passphrase: " << std::flush;
    const std::string passphrase = in.line(std::chrono::hours(24)).value_or("");
    std::cout << "\n";
    std::cout << "Searching for an eligible system ...\n" << std::flush;
    inv.client().post_streaming(
        "/1.0/session/joining",
        {{"passphrase", passphrase},
         {"address", address},
         {"initiator_address", initiator_address},
         {"lookup_timeout", lookup_timeout},
         {"session_timeout", session_timeout}},
        [](const std::string& line) { std::cout << line << "\n"
                                                << std::flush; },
        std::chrono::seconds(lookup_timeout + session_timeout + 120));
    return 0;
}

}  // namespace microcloud::host::cli
