// host/cli/cmd_session.cpp - `microcloud init`, `add` and `join`: the interactive trust session.
// Questions are read as lines from standard input, so a script can answer them; the initiator
// shows systems as they are found and adds the ones the user names (or all found so far).
#include "cli/command.hpp"
#include "common/error.hpp"

#include <boost/program_options.hpp>

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

namespace microcloud::host::cli {
namespace {

namespace po = boost::program_options;

// Lines from standard input that can be waited for with a timeout.
class LineReader {
public:
    // A whole line, or nullopt when none arrived within `wait`. Throws Error("aborted") at end of input.
    std::optional<std::string> line(std::chrono::milliseconds wait) {
        for (;;) {
            if (const auto end = buffer_.find('\n'); end != std::string::npos) {
                std::string out = buffer_.substr(0, end);
                buffer_.erase(0, end + 1);
                if (!out.empty() && out.back() == '\r') out.pop_back();
                return out;
            }
            if (closed_) {
                if (!buffer_.empty()) return std::exchange(buffer_, {});
                throw Error("aborted", "Standard input ended before the question was answered");
            }
            pollfd in{STDIN_FILENO, POLLIN, 0};
            if (::poll(&in, 1, static_cast<int>(wait.count())) <= 0) return std::nullopt;
            char chunk[4096];
            const ssize_t got = ::read(STDIN_FILENO, chunk, sizeof chunk);
            if (got <= 0)
                closed_ = true;
            else
                buffer_.append(chunk, static_cast<std::size_t>(got));
        }
    }
    std::string ask(const std::string& question) {
        std::cout << question << std::flush;
        auto answer = line(std::chrono::hours(24));
        std::cout << "\n";
        return answer.value_or("");
    }

private:
    std::string buffer_;
    bool closed_ = false;
};

std::string trim(std::string text) {
    text.erase(0, text.find_first_not_of(" \t"));
    text.erase(text.find_last_not_of(" \t") + 1);
    return text;
}

bool yes(const std::string& answer, bool fallback) {
    const std::string a = trim(answer);
    if (a.empty()) return fallback;
    if (a == "yes" || a == "y") return true;
    if (a == "no" || a == "n") return false;
    throw Error("invalid_arguments", "Invalid answer \"" + a + "\" (accepted: yes or no)");
}

// Asks which of this machine's global IPv4 addresses MicroCloud uses.
std::string ask_address(const Invocation& inv, LineReader& in) {
    const nlohmann::json facts = inv.client().get("/1.0/system");
    std::vector<std::pair<std::string, std::string>> choices;  // address, interface
    for (const auto& interface : facts.value("interfaces", nlohmann::json::array()))
        for (const auto& address : interface.value("addresses", nlohmann::json::array()))
            if (address.value("family", "") == "inet" && address.value("scope", "global") == "global")
                choices.emplace_back(address.value("address", ""), interface.value("name", ""));
    if (choices.empty()) throw Error("invalid_address", "This machine has no global IPv4 address for MicroCloud");
    std::cout << "Select an address for MicroCloud's internal traffic:\n";
    for (std::size_t i = 0; i < choices.size(); ++i)
        std::cout << "  " << i + 1 << ") " << choices[i].first << " (" << choices[i].second << ")\n";
    const std::string answer = trim(in.ask("Address [default=" + choices.front().first + "]: "));
    if (answer.empty()) return choices.front().first;
    for (std::size_t i = 0; i < choices.size(); ++i)
        if (answer == std::to_string(i + 1) || answer == choices[i].first) return choices[i].first;
    throw Error("invalid_address", "Invalid answer \"" + answer + "\": give one of the listed numbers or addresses",
                {{"field", "address"}, {"value", answer}});
}

// Shows systems as they are found and selects the ones named on a line of input (or all found
// so far for an empty line); waits for them to be members; ends the session.
void run_selection(const Invocation& inv, LineReader& in) {
    const DaemonClient client = inv.client();
    std::cout << "Type the names of the systems to add, separated by spaces, or press Enter to add every system "
                 "found so far.\n"
              << std::flush;
    std::set<std::string> shown;
    std::optional<std::set<std::string>> wanted;  // set once the user answered
    std::set<std::string> selected;
    for (;;) {
        const nlohmann::json session = client.get("/1.0/session");
        std::set<std::string> pending;
        for (const auto& joiner : session.value("pending", nlohmann::json::array())) {
            const std::string name = joiner.value("name", "");
            pending.insert(name);
            if (shown.insert(name).second)
                std::cout << "Found system " << name << " at " << joiner.value("address", "") << " using fingerprint "
                          << joiner.value("fingerprint", "").substr(0, 12) << "\n"
                          << std::flush;
        }
        if (!wanted) {
            if (auto answer = in.line(std::chrono::milliseconds(300))) {
                std::istringstream words(*answer);
                std::set<std::string> names;
                for (std::string word; words >> word;) names.insert(word);
                wanted = names;
            }
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        }
        if (wanted) {
            const std::set<std::string> target = wanted->empty() ? pending : *wanted;
            if (target.empty()) {
                wanted.reset();  // nothing found yet: keep waiting for an answer
                continue;
            }
            if (std::includes(pending.begin(), pending.end(), target.begin(), target.end())) {
                nlohmann::json names = nlohmann::json::array();
                for (const auto& name : target) names.push_back(name);
                client.post("/1.0/session/select", {{"names", names}});
                selected = target;
                break;
            }
        }
    }
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
    std::cout << "Forming the components ...\n" << std::flush;
    client.post_streaming("/1.0/session/stop", {{"reason", "The initiator finished the setup"}},
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
}

// Starts the session (init: bootstrapping on `address`), prints what joiners need, selects.
int run_session(const Invocation& inv, LineReader& in, bool bootstrap, const std::string& address) {
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
    try {
        run_selection(inv, in);
    } catch (...) {
        try {
            client.post("/1.0/session/stop", {{"reason", "Initiator aborted the setup"}, {"abort", true}});
        } catch (const std::exception&) {
        }
        throw;
    }
    Table table{{"NAME", "ADDRESS", "ROLE", "STATUS"}, {}};
    const nlohmann::json members = client.get("/1.0/cluster");
    for (const auto& member : members)
        table.rows.push_back({member.value("name", ""), member.value("address", ""), member.value("role", ""),
                              member.value("status", "")});
    print(inv, members, table);
    return 0;
}

}  // namespace

int run_init(const Invocation& inv) {
    if (!inv.args.empty()) throw Error("invalid_arguments", "Usage: microcloud init");
    try {
        inv.client().get("/1.0/cluster");
        throw Error("already_clustered", "MicroCloud is already initialized");
    } catch (const Error& error) {
        if (error.code() != "not_clustered") throw;
    }
    LineReader in;
    const bool several =
        yes(in.ask("Do you want to set up more than one cluster member? (yes/no) [default=yes]: "), true);
    const std::string address = ask_address(inv, in);
    if (!several) {
        inv.client().post("/1.0/cluster/bootstrap", {{"address", address}});
        std::cout << "MicroCloud is ready with this member alone, on " << address << ".\n";
        return 0;
    }
    return run_session(inv, in, true, address);
}

int run_add(const Invocation& inv) {
    if (!inv.args.empty()) throw Error("invalid_arguments", "Usage: microcloud add");
    LineReader in;
    return run_session(inv, in, false, "");
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
    LineReader in;
    const std::string passphrase = in.ask("Passphrase: ");
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
