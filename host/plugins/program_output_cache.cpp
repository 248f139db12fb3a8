// host/plugins/program_output_cache.cpp - keys from the program file's identity, and the map.
#include "plugins/program_output_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace microcloud::host::plugins {
namespace {

// The file a command named `program` runs, as execvpe finds it: a name with a slash as it is,
// otherwise the first executable regular file of that name along the daemon's PATH (execvpe
// searches the caller's PATH, not the one it passes on).
std::optional<std::string> program_file(const std::string& program) {
    if (program.empty()) return std::nullopt;
    if (program.find('/') != std::string::npos) return program;
    const char* daemon_path = std::getenv("PATH");
    const std::string path = daemon_path ? daemon_path : "/bin:/usr/bin";
    for (std::size_t start = 0; start <= path.size();) {
        std::size_t end = path.find(':', start);
        if (end == std::string::npos) end = path.size();
        const std::string dir = path.substr(start, end - start);
        start = end + 1;
        if (dir.empty() || dir.front() != '/') continue;  // execvpe's relative entries depend on the cwd
        const std::string candidate = dir + "/" + program;
        struct stat file {};
        if (::stat(candidate.c_str(), &file) == 0 && S_ISREG(file.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> ProgramOutputCache::key_of(const nlohmann::json& request) {
    const nlohmann::json& argv = request.value("argv", nlohmann::json::array());
    if (!argv.is_array() || argv.empty() || !argv[0].is_string()) return std::nullopt;
    const nlohmann::json env = request.value("env", nlohmann::json::object());
    const std::optional<std::string> program = program_file(argv[0].get<std::string>());
    struct stat file {};
    if (!program || program->front() != '/' || ::stat(program->c_str(), &file) != 0 || !S_ISREG(file.st_mode))
        return std::nullopt;
    const nlohmann::json identity{*program,        file.st_dev,          file.st_ino,
                                  file.st_size,    file.st_mtim.tv_sec,  file.st_mtim.tv_nsec};
    const nlohmann::json what{argv, env, request.value("stdin", "")};
    return identity.dump() + what.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<nlohmann::json> ProgramOutputCache::find(const std::string& key) const {
    const std::lock_guard lock(mutex_);
    const auto found = answers_.find(key);
    if (found == answers_.end()) return std::nullopt;
    return found->second;
}

void ProgramOutputCache::keep(const std::string& key, const nlohmann::json& answer) {
    if (answer.value("exit_code", -1) != 0 || answer.value("timed_out", false) || answer.value("cancelled", false))
        return;
    const std::lock_guard lock(mutex_);
    if (answers_.size() >= kMaxEntries) answers_.clear();
    answers_[key] = answer;
}

std::size_t ProgramOutputCache::size() const {
    const std::lock_guard lock(mutex_);
    return answers_.size();
}

void ProgramOutputCache::clear() {
    const std::lock_guard lock(mutex_);
    answers_.clear();
}

}  // namespace microcloud::host::plugins
