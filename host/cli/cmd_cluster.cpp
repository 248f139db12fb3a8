// host/cli/cmd_cluster.cpp - `microcloud cluster bootstrap|add|join|list|remove`: forming and
// inspecting the member set through the local daemon.
#include "cli/command.hpp"
#include "common/error.hpp"
#include "formation/preseed_disks.hpp"
#include "membership/recover.hpp"

#include <boost/program_options.hpp>

#include <iostream>

namespace microcloud::host::cli {
namespace {

namespace po = boost::program_options;

struct Parsed {
    std::vector<std::string> positional;
    std::string address;
};

// Parses `args` as [POSITIONAL...] with an optional --address; checks the positional count.
Parsed parse(const Invocation& inv, const std::string& command, std::size_t positionals, bool with_address,
             const std::string& usage) {
    Parsed parsed;
    po::options_description options(command + " options");
    if (with_address)
        options.add_options()("address", po::value(&parsed.address), "this member's address: IP or IP:PORT");
    options.add_options()("positional", po::value(&parsed.positional)->composing(), "");
    po::positional_options_description positional;
    positional.add("positional", -1);
    po::variables_map vm;
    po::store(po::command_line_parser(inv.args).options(options).positional(positional).run(), vm);
    po::notify(vm);
    if (parsed.positional.size() != positionals) throw Error("invalid_arguments", "Usage: microcloud " + usage);
    if (with_address && parsed.address.empty())
        throw Error("invalid_arguments", "Missing --address (this member's IP or IP:PORT). Usage: microcloud " + usage);
    return parsed;
}

void print_object(const Invocation& inv, const nlohmann::json& data) {
    Table table{{"KEY", "VALUE"}, {}};
    for (const auto& [key, value] : data.items())
        table.rows.push_back({key, value.is_string() ? value.get<std::string>() : value.dump()});
    print(inv, data, table);
}

}  // namespace

int run_cluster_bootstrap(const Invocation& inv) {
    const Parsed p = parse(inv, "cluster bootstrap", 0, true, "cluster bootstrap --address IP[:PORT]");
    print_object(inv, inv.client().post("/1.0/cluster/bootstrap", {{"address", p.address}}));
    return 0;
}

int run_cluster_add(const Invocation& inv) {
    const Parsed p = parse(inv, "cluster add", 1, false, "cluster add NAME");
    const nlohmann::json issued = inv.client().post("/1.0/cluster/tokens", {{"name", p.positional[0]}});
    if (inv.format == Format::table || inv.format == Format::compact) {
        std::cout << issued.value("token", "") << "\n";  // what the joiner pastes
        return 0;
    }
    print_object(inv, issued);
    return 0;
}

int run_cluster_join(const Invocation& inv) {
    const Parsed p = parse(inv, "cluster join", 1, true, "cluster join TOKEN --address IP[:PORT]");
    print_object(inv, inv.client().post("/1.0/cluster/join", {{"token", p.positional[0]}, {"address", p.address}}));
    return 0;
}

int run_cluster_list(const Invocation& inv) {
    parse(inv, "cluster list", 0, false, "cluster list");
    const nlohmann::json members = inv.client().get("/1.0/cluster");
    // Upstream's columns, in its order, with the whole fingerprint.
    Table table{{"NAME", "ADDRESS", "ROLE", "FINGERPRINT", "STATUS"}, {}};
    for (const auto& member : members)
        table.rows.push_back({member.value("name", ""), member.value("address", ""), member.value("role", ""),
                              member.value("fingerprint", ""), member.value("status", "")});
    print(inv, members, table);
    return 0;
}

}  // namespace microcloud::host::cli

namespace microcloud::host::cli {

int run_cluster_recover(const Invocation& inv) {
    bool yes = false;
    po::options_description options("cluster recover options");
    options.add_options()("yes", po::bool_switch(&yes), "confirm: make this member the only voter");
    po::variables_map vm;
    po::store(po::command_line_parser(inv.args).options(options).run(), vm);
    po::notify(vm);
    if (!yes)
        throw Error("invalid_arguments",
                    "cluster recover makes this member the cluster's only voter after most voters were lost for good. "
                    "Stop microcloudd on every surviving member, run it on the one with the newest data, then re-run "
                    "with --yes");
    print_object(inv, membership::recover_alone(inv.state_dir));
    return 0;
}

}  // namespace microcloud::host::cli

namespace microcloud::host::cli {

namespace {

// A dry run's disk choice: per member what each filter or explicit path chose, and what was passed
// over and why (a real run says the same lines as it goes).
void print_disk_plan(const nlohmann::json& plan) {
    const nlohmann::json disks = plan.value("disks", nlohmann::json::object());
    const nlohmann::json storage = plan.value("storage", nlohmann::json());
    for (const auto& [member, choice] : disks.items()) {
        std::cout << "  " << formation::describe_disk_choice(member, choice, storage) << "\n";
        for (const auto& skipped : choice.value("passed_over", nlohmann::json::array()))
            std::cout << "    passed over " << skipped.value("path", "") << ": " << skipped.value("reason", "") << "\n";
    }
    if (plan.contains("disks_note")) std::cout << "  note: " << plan.value("disks_note", "") << "\n";
}

}  // namespace

int run_preseed(const Invocation& inv) {
    bool dry_run = false;
    po::options_description options("preseed options");
    options.add_options()("dry-run", po::bool_switch(&dry_run), "check the file and print the plan; change nothing");
    po::variables_map vm;
    po::store(po::command_line_parser(inv.args).options(options).run(), vm);
    po::notify(vm);
    const std::string text(std::istreambuf_iterator<char>(std::cin), {});
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw Error("invalid_preseed",
                    "No preseed given on standard input (usage: microcloud preseed [--dry-run] < FILE)");
    const bool live = inv.format == Format::table || inv.format == Format::compact;
    const nlohmann::json result = inv.client().post_streaming("/1.0/preseed", {{"preseed", text}, {"dry_run", dry_run}},
                                                              [live](const std::string& line) {
                                                                  if (live)
                                                                      std::cout << "  " << line << "\n" << std::flush;
                                                              });
    if (!live) {
        print(inv, result, {});
        return 0;
    }
    const nlohmann::json& plan = result.at("plan");
    std::cout << "Plan on " << plan.value("member", "") << ": " << plan.value("role", "") << ", address "
              << plan.value("address", "") << ", initiator " << plan.value("initiator", "") << "\n";
    const nlohmann::json components = plan.value("components", result.value("components", nlohmann::json::object()));
    const nlohmann::json plugins = components.value("plugins", nlohmann::json::object());
    for (const auto& [plugin, state] : plugins.items())
        std::cout << "  plugin " << plugin << ": " << state.value("state", "")
                  << (state.contains("reason") ? " (" + state.value("reason", "") + ")" : "") << "\n";
    print_disk_plan(plan);
    if (!result.value("steps", nlohmann::json::array()).empty())
        std::cout << "Done in " << result["steps"].back().value("ms", 0) << " ms.\n";
    if (result.contains("members")) {
        Table table{{"NAME", "ADDRESS", "ROLE", "STATUS"}, {}};
        for (const auto& member : result["members"])
            table.rows.push_back({member.value("name", ""), member.value("address", ""), member.value("role", ""),
                                  member.value("status", "")});
        print(inv, result["members"], table);
    }
    return 0;
}

}  // namespace microcloud::host::cli

namespace microcloud::host::cli {

namespace {

// `remove` takes the member out of every component first; `cluster remove` only out of the membership.
int remove_member(const Invocation& inv, bool components) {
    bool force = false;
    std::vector<std::string> names;
    po::options_description options("remove options");
    options.add_options()("force,f", po::bool_switch(&force), "remove even if the member does not answer")(
        "name", po::value(&names)->composing(), "");
    po::positional_options_description positional;
    positional.add("name", -1);
    po::variables_map vm;
    po::store(po::command_line_parser(inv.args).options(options).positional(positional).run(), vm);
    po::notify(vm);
    if (names.size() != 1) throw Error("invalid_arguments", "Usage: microcloud remove NAME [--force]");
    const bool live = inv.format == Format::table || inv.format == Format::compact;
    const nlohmann::json removed = inv.client().post_streaming(
        "/1.0/cluster/remove", {{"name", names[0]}, {"force", force}, {"components", components}},
        [live](const std::string& line) {
            if (live) std::cout << "  " << line << "\n" << std::flush;
        });
    if (!live || !removed.contains("components")) {
        print_object(inv, removed);
        return 0;
    }
    // One row per component: what its plugin did with the member.
    Table table{{"COMPONENT", "STATE", "DETAIL"}, {}};
    const nlohmann::json plugins = removed["components"].value("plugins", nlohmann::json::object());
    for (const auto& [plugin, outcome] : plugins.items()) {
        std::string detail = outcome.value("reason", "");
        if (outcome.contains("result") && outcome["result"].is_object())
            detail = outcome["result"].value("detail", outcome["result"].dump());
        if (outcome.contains("error")) detail = outcome["error"].value("message", "");
        table.rows.push_back({plugin, outcome.value("state", ""), detail});
    }
    print(inv, removed, table);
    std::cout << "Removed " << removed.value("removed", names[0]) << " from the cluster\n";
    return 0;
}

}  // namespace

int run_remove(const Invocation& inv) {
    return remove_member(inv, true);
}

int run_cluster_remove(const Invocation& inv) {
    return remove_member(inv, false);
}

int run_shutdown(const Invocation& inv) {
    if (!inv.args.empty()) throw Error("invalid_arguments", "Usage: microcloud shutdown");
    inv.client().post("/1.0/shutdown", nlohmann::json::object());
    return 0;
}

}  // namespace microcloud::host::cli
