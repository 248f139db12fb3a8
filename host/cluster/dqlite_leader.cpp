// host/cluster/dqlite_leader.cpp - finding the dqlite leader from a list of member addresses.
#include "cluster/dqlite_leader.hpp"

#include "common/error.hpp"

#include <thread>

namespace microcloud::host::cluster {

namespace {

// Asks the node at `address` who leads; returns a client on the leader when it is that node or
// when the node it names confirms it.
std::optional<Client> ask(const std::string& address, const LeaderSearch& search, std::vector<std::string>& problems,
                          bool& reached) {
    Client client = Client::connect(address, search.client);
    const std::optional<NodeInfo> leader = client.leader();
    reached = true;
    if (!leader) {
        problems.push_back(address + ": knows no leader");
        return std::nullopt;
    }
    if (leader->address == address) {
        return client;
    }
    Client redirected = Client::connect(leader->address, search.client);
    const std::optional<NodeInfo> confirmed = redirected.leader();
    if (confirmed && confirmed->address == leader->address) {
        return redirected;
    }
    problems.push_back(address + ": named " + leader->address + " as leader, which did not confirm");
    return std::nullopt;
}

}  // namespace

std::optional<Client> find_leader_once(const LeaderSearch& search, std::vector<std::string>& problems, bool& reached) {
    for (const std::string& address : search.addresses) {
        try {
            if (auto client = ask(address, search, problems, reached)) {
                return client;
            }
        } catch (const Error& error) {
            if (error.code() != "dqlite_unreachable" && error.code() != "invalid_address") {
                reached = true;
            }
            problems.push_back(address + ": " + error.what());
        }
    }
    return std::nullopt;
}

Client connect_to_leader(const LeaderSearch& search) {
    if (search.addresses.empty()) {
        throw Error("dqlite_unreachable", "cannot look for the dqlite leader: no member address given");
    }
    const auto give_up = std::chrono::steady_clock::now() + search.timeout;
    std::vector<std::string> problems;
    bool reached = false;
    for (;;) {
        problems.clear();
        if (auto client = find_leader_once(search, problems, reached)) {
            return std::move(*client);
        }
        if (std::chrono::steady_clock::now() + search.retry_interval >= give_up) {
            break;
        }
        std::this_thread::sleep_for(search.retry_interval);
    }
    const std::string summary = problems.empty() ? std::string() : " (last round: " + problems.front() + ")";
    nlohmann::json details{
        {"addresses", search.addresses}, {"problems", problems}, {"timeout_ms", search.timeout.count()}};
    if (!reached) {
        throw Error(
            "dqlite_unreachable",
            "no dqlite member could be reached within " + std::to_string(search.timeout.count()) + " ms" + summary,
            std::move(details));
    }
    throw Error("dqlite_no_leader",
                "no dqlite leader found within " + std::to_string(search.timeout.count()) + " ms" + summary,
                std::move(details));
}

}  // namespace microcloud::host::cluster
