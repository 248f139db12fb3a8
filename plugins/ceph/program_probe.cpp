// plugins/ceph/program_probe.cpp - program lookup in PATH plus sbin dirs, and `--version` runs.
#include "program_probe.hpp"

#include <unistd.h>
#include <algorithm>
#include <array>

namespace microcloud::plugins::ceph {
namespace fs = std::filesystem;

std::vector<fs::path> program_search_dirs(std::string_view path_env) {
    static constexpr std::array<std::string_view, 6> kStandardDirs = {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
                                                                      "/usr/bin",        "/sbin",          "/bin"};
    std::vector<fs::path> dirs;
    auto add = [&dirs](std::string_view dir) {
        if (dir.empty() || dir.front() != '/') return;  // relative PATH entries are not trusted
        fs::path p(dir);
        if (std::find(dirs.begin(), dirs.end(), p) == dirs.end()) dirs.push_back(p);
    };
    for (std::size_t start = 0; start <= path_env.size();) {
        auto end = path_env.find(':', start);
        if (end == std::string_view::npos) end = path_env.size();
        add(path_env.substr(start, end - start));
        start = end + 1;
    }
    for (auto dir : kStandardDirs) add(dir);
    return dirs;
}

std::optional<fs::path> find_program(std::string_view name, const std::vector<fs::path>& dirs) {
    for (const auto& dir : dirs) {
        fs::path candidate = dir / std::string(name);
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

ProgramProbe probe_program(std::string_view name, std::string_view package, const std::vector<fs::path>& dirs,
                           const CommandRunner& run, std::chrono::milliseconds timeout) {
    ProgramProbe probe{std::string(name), std::string(package), {}, std::nullopt, {}};
    auto path = find_program(name, dirs);
    if (!path) return probe;
    probe.path = path->string();
    sdk::CommandOptions options;
    options.timeout = timeout;
    try {
        probe.run = run({probe.path, "--version"}, options);
    } catch (const std::exception& e) {
        probe.start_error = e.what();
    }
    return probe;
}

std::string last_line(std::string_view text) {
    constexpr std::size_t kMaxLength = 300;
    std::string_view best;
    for (std::size_t start = 0; start < text.size();) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        auto line = text.substr(start, end - start);
        auto first = line.find_first_not_of(" \t\r");
        if (first != std::string_view::npos) {
            auto last = line.find_last_not_of(" \t\r");
            best = line.substr(first, last - first + 1);
        }
        start = end + 1;
    }
    std::string out(best.substr(0, kMaxLength));
    if (best.size() > kMaxLength) out += "...";
    return out;
}

std::string failure_text(const sdk::CommandResult& result) {
    if (result.timed_out) return "timed out";
    std::string text = "exited with status " + std::to_string(result.exit_code);
    auto detail = last_line(result.err);
    if (detail.empty()) detail = last_line(result.out);
    if (!detail.empty()) text += ": " + detail;
    return text;
}

}  // namespace microcloud::plugins::ceph
