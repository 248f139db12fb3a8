// host/formation/formation_journal.cpp - the journal file (rewritten atomically at every change)
// and the undo of an interrupted run.
#include "formation/formation_journal.hpp"

#include "common/error.hpp"
#include "formation/preseed_run.hpp"
#include "trust/atomic_file.hpp"

#include <spdlog/spdlog.h>

#include <thread>

namespace microcloud::host::formation {

FormationJournal::FormationJournal(std::filesystem::path path, bool bootstrap) : path_(std::move(path)) {
    state_.bootstrap = bootstrap;
    std::lock_guard lock(mutex_);
    save();
}

void FormationJournal::admitted(const std::string& member) {
    std::lock_guard lock(mutex_);
    state_.admitted.insert(member);
    save();
}

void FormationJournal::join_starts(const std::string& plugin, const std::string& member) {
    std::lock_guard lock(mutex_);
    state_.joins.emplace_back(plugin, member);
    save();
}

void FormationJournal::finish() {
    std::lock_guard lock(mutex_);
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    path_.clear();
}

void FormationJournal::save() {
    if (path_.empty()) return;
    nlohmann::json joins = nlohmann::json::array();
    for (const auto& [plugin, member] : state_.joins) joins.push_back({{"plugin", plugin}, {"member", member}});
    const nlohmann::json doc{{"bootstrap", state_.bootstrap}, {"admitted", state_.admitted}, {"joins", joins}};
    trust::write_file_atomically(path_, doc.dump(), 0600);
}

std::filesystem::path journal_path(const std::filesystem::path& state_dir) {
    return state_dir / "formation-journal.json";
}

std::optional<JournalState> read_journal(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    const nlohmann::json doc = nlohmann::json::parse(trust::read_whole_file(path), nullptr, false);
    if (!doc.is_object())
        throw Error("journal_invalid", "The formation journal " + path.string() + " is not a JSON object");
    try {
        JournalState state;
        state.bootstrap = doc.at("bootstrap").get<bool>();
        state.admitted = doc.at("admitted").get<std::set<std::string>>();
        for (const auto& join : doc.at("joins"))
            state.joins.emplace_back(join.at("plugin").get<std::string>(), join.at("member").get<std::string>());
        return state;
    } catch (const nlohmann::json::exception& e) {
        throw Error("journal_invalid", "The formation journal " + path.string() + " is damaged: " + e.what());
    }
}

std::vector<std::string> recover_interrupted_formation(const std::filesystem::path& path,
                                                       membership::Membership& membership,
                                                       std::chrono::seconds wait) {
    const std::optional<JournalState> state = read_journal(path);
    if (!state) return {};
    std::vector<std::string> done;
    const auto say = [&done](std::string line) {
        spdlog::warn("interrupted formation: {}", line);
        done.push_back(std::move(line));
    };
    say("this member was stopped while it led a formation; undoing what that run changed");
    if (membership.clustered()) {
        // After a restart the cluster answers once the dqlite node has found its peers again.
        const auto until = std::chrono::steady_clock::now() + wait;
        for (;;) {
            try {
                membership.list();
                break;
            } catch (const std::exception& e) {
                if (std::chrono::steady_clock::now() >= until) {
                    say(std::string("the cluster does not answer (") + e.what() + "); undoing what can be undone");
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(250));
            }
        }
        for (auto it = state->joins.rbegin(); it != state->joins.rend(); ++it) {
            const auto& [plugin, member] = *it;
            try {
                const nlohmann::json answer = membership.call_member_hook(
                    member, plugin, "teardown", {{"mode", "rollback"}, {"force", true}});
                say("Rolling back: " + plugin + " on " + member +
                    (answer.value("ok", false) ? "" : " failed: " + answer.dump()));
            } catch (const std::exception& e) {
                say("Rolling back: " + plugin + " on " + member + " failed: " + e.what());
            }
        }
        undo_admissions(membership, state->admitted, state->bootstrap);
        say(state->bootstrap ? "the cluster this run bootstrapped is forgotten here and by the members it admitted"
                             : "the members this run admitted are removed");
    }
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return done;
}

}  // namespace microcloud::host::formation
