// host/formation/formation_journal.hpp - what a formation led by this member has changed so far,
// kept in a file beside the cluster state while the run lasts: whether it bootstrapped the cluster,
// which members it admitted, and each component join it started (recorded before the hook runs).
// A daemon killed mid-run finds the file when it starts again and undoes the run
// (recover_interrupted_formation), so that no member is left half-joined.
#pragma once

#include "membership/membership.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace microcloud::host::formation {

struct JournalState {
    bool bootstrap = false;
    std::set<std::string> admitted;
    std::vector<std::pair<std::string, std::string>> joins;  // (plugin, member), in start order
};

class FormationJournal {
public:
    // Starts a journal at `path` (nothing is kept when path is empty).
    FormationJournal(std::filesystem::path path, bool bootstrap);
    FormationJournal(const FormationJournal&) = delete;
    FormationJournal& operator=(const FormationJournal&) = delete;

    void admitted(const std::string& member);
    void join_starts(const std::string& plugin, const std::string& member);
    // The run ended (formed, or rolled back by itself): the journal goes.
    void finish();

private:
    void save();  // needs mutex_

    std::filesystem::path path_;
    std::mutex mutex_;
    JournalState state_;
};

// <state dir>/formation-journal.json
std::filesystem::path journal_path(const std::filesystem::path& state_dir);

// The journal at `path`, if a run left one; throws Error("journal_invalid") for an unreadable one.
std::optional<JournalState> read_journal(const std::filesystem::path& path);

// Undoes the run a journal describes: the component joins it started are torn down (rollback mode,
// latest first), the members it admitted are dismissed or removed, a cluster it bootstrapped is
// forgotten; then the journal goes. Waits up to `wait` for the membership to answer after a
// restart. Returns what it did, one line each.
std::vector<std::string> recover_interrupted_formation(const std::filesystem::path& path,
                                                       membership::Membership& membership,
                                                       std::chrono::seconds wait = std::chrono::seconds(20));

}  // namespace microcloud::host::formation
