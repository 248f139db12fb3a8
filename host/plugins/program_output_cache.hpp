// host/plugins/program_output_cache.hpp - remembers what a command printed when the plugin said its
// answer depends only on the program file (a `--version` probe): the same argv, environment and
// stdin on the same unchanged file (device, inode, size, modification time) give the same answer,
// so discovery and status need not start the program again (a Python `ceph --version` costs a
// quarter second). Shared by every plugin of the daemon; survives their worker processes.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace microcloud::host::plugins {

class ProgramOutputCache {
public:
    // At most this many answers are kept; a full cache starts again empty.
    static constexpr std::size_t kMaxEntries = 256;

    // The key of a run request ({"argv", "env", "stdin"}): nullopt when argv[0] does not lead to a
    // regular file by an absolute path (a bare name is looked up along the daemon's PATH, as
    // execvpe does), so
    // nothing is cached while the program's identity is unknown.
    static std::optional<std::string> key_of(const nlohmann::json& request);

    // The answer kept for `key`, if any.
    std::optional<nlohmann::json> find(const std::string& key) const;
    // Keeps `answer` for `key` when the run finished by itself with exit code 0.
    void keep(const std::string& key, const nlohmann::json& answer);
    std::size_t size() const;
    // Forgets every answer.
    void clear();

private:
    mutable std::mutex mutex_;
    std::map<std::string, nlohmann::json> answers_;
};

}  // namespace microcloud::host::plugins
