// microcloud/sdk/programs.hpp - header-only helpers most component plugins need: finding a
// component's programs, asking them for their version through the host, comparing versions,
// and describing a failed command in one line. Compiled into the plugin; not part of the ABI.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::sdk::programs {

/// Runs a command; plugins bind it to Context::run, tests to a fake. Throws sdk::Error when the
/// command could not be started. Since ABI 1.0.
using CommandRunner = std::function<CommandResult(const std::vector<std::string>& argv, const CommandOptions& options)>;

/// The directories searched for programs: the absolute entries of `path_env` (a $PATH value),
/// then the standard sbin/bin directories a daemon's PATH may lack; duplicates removed, order
/// kept. Since ABI 1.0.
inline std::vector<std::filesystem::path> program_search_dirs(std::string_view path_env) {
    static constexpr std::array<std::string_view, 6> kStandardDirs = {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
                                                                      "/usr/bin",        "/sbin",          "/bin"};
    std::vector<std::filesystem::path> dirs;
    auto add = [&dirs](std::string_view dir) {
        if (dir.empty() || dir.front() != '/') return;  // relative PATH entries are not trusted
        std::filesystem::path p(dir);
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

/// The first executable regular file called `name` in `dirs`. Since ABI 1.0.
inline std::optional<std::filesystem::path> find_program(std::string_view name,
                                                         const std::vector<std::filesystem::path>& dirs) {
    for (const auto& dir : dirs) {
        std::filesystem::path candidate = dir / std::string(name);
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

/// What was learnt about one program. Since ABI 1.0.
struct ProgramProbe {
    std::string name;
    std::string package;                    ///< the distribution package that ships it (for messages)
    std::string path;                       ///< empty when not found
    std::optional<CommandResult> run;       ///< the `--version` run, when it started
    std::string start_error;                ///< why `--version` could not start
    /// The version dpkg records for `package`, which owns `path` (probe_program_or_package; then
    /// nothing ran). Header field since MicroCloud 0.2.
    std::string package_version{};
};

/// Looks `name` up in `dirs` without running it: `path` is set when found, `run` stays empty (for
/// a program whose version another program of the same package already gave). Since ABI 1.0.
inline ProgramProbe locate_program(std::string_view name, std::string_view package,
                                   const std::vector<std::filesystem::path>& dirs) {
    ProgramProbe probe{std::string(name), std::string(package), {}, std::nullopt, {}};
    if (auto path = find_program(name, dirs)) probe.path = path->string();
    return probe;
}

namespace detail {

// How long a `--version` run may take.
inline constexpr std::chrono::milliseconds kVersionTimeout{5000};

// Runs `<probe.path> --version` through `run` (found already), letting the host answer from an
// earlier run while the file is unchanged; a start failure goes to `start_error`.
inline void ask_version(ProgramProbe& probe, const CommandRunner& run, std::chrono::milliseconds timeout) {
    CommandOptions options;
    options.timeout = timeout;
    options.cache_while_program_unchanged = true;  // a version only changes with the file
    try {
        probe.run = run({probe.path, "--version"}, options);
    } catch (const std::exception& e) {
        probe.start_error = e.what();
    }
}

}  // namespace detail

/// Looks `name` up in `dirs` and, when found, runs `<path> --version` through `run`, letting the
/// host answer from an earlier run while the file is unchanged. Since ABI 1.0.
inline ProgramProbe probe_program(std::string_view name, std::string_view package,
                                  const std::vector<std::filesystem::path>& dirs, const CommandRunner& run,
                                  std::chrono::milliseconds timeout = detail::kVersionTimeout) {
    ProgramProbe probe = locate_program(name, package, dirs);
    if (!probe.path.empty()) detail::ask_version(probe, run, timeout);
    return probe;
}

namespace detail {

// A file mapped read-only with its pages populated in one call, unmapped when destroyed; empty
// text when it cannot be read. dpkg's database is most of a megabyte and status reads it on every
// member: copying it into a new buffer costs a page fault per 4 KiB, which on a virtual machine
// cost more than the `--version` the read saves.
class MappedFile {
public:
    explicit MappedFile(const std::filesystem::path& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        struct stat st{};
        if (::fstat(fd, &st) == 0 && st.st_size > 0) {
            void* mapped = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE,
                                  fd, 0);
            if (mapped != MAP_FAILED) {
                data_ = mapped;
                size_ = static_cast<std::size_t>(st.st_size);
            }
        }
        ::close(fd);
    }
    ~MappedFile() {
        if (data_) ::munmap(data_, size_);
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    std::string_view text() const { return data_ ? std::string_view(static_cast<const char*>(data_), size_) : ""; }

private:
    void* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace detail

/// The upstream part of a Debian package version: without the epoch ("1:"), the Debian revision
/// (from the last '-') and a repack suffix (from the first '+' or '~'): "16.2.11+ds-2" ->
/// "16.2.11", "1:2.3~rc1-1" -> "2.3". Header helper since MicroCloud 0.2.
inline std::string upstream_version(std::string_view debian_version) {
    if (const auto colon = debian_version.find(':'); colon != std::string_view::npos)
        debian_version.remove_prefix(colon + 1);
    if (const auto dash = debian_version.rfind('-'); dash != std::string_view::npos)
        debian_version = debian_version.substr(0, dash);
    return std::string(debian_version.substr(0, debian_version.find_first_of("+~")));
}

/// The upstream version dpkg records for `package` when it is installed ("install ok installed"),
/// its file list names `path` (with or without the /usr of a merged /usr), and the file is no
/// newer than that list (not replaced since): the program is the package's own file and prints
/// that version, so it need not be started to tell. nullopt otherwise, or when `dpkg_dir` cannot
/// be read. Header helper since MicroCloud 0.2.
inline std::optional<std::string> installed_package_version(std::string_view package, const std::filesystem::path& path,
                                                            const std::filesystem::path& dpkg_dir = "/var/lib/dpkg") {
    const std::filesystem::path list = dpkg_dir / "info" / (std::string(package) + ".list");
    std::error_code error;
    const auto listed_at = std::filesystem::last_write_time(list, error);
    if (error) return std::nullopt;
    const auto written_at = std::filesystem::last_write_time(path, error);
    if (error || written_at > listed_at) return std::nullopt;
    const std::string wanted = path.string();
    bool owned = false;
    std::ifstream files(list);
    for (std::string line; !owned && std::getline(files, line);)
        owned = line == wanted || "/usr" + line == wanted || line == "/usr" + wanted;
    if (!owned) return std::nullopt;
    const detail::MappedFile database(dpkg_dir / "status");
    const std::string_view status = database.text();
    const std::string header = "Package: " + std::string(package) + "\n";
    for (std::size_t at = status.find(header); at != std::string_view::npos; at = status.find(header, at + 1)) {
        if (at != 0 && status[at - 1] != '\n') continue;
        const std::size_t end = std::min(status.find("\n\n", at), status.size());
        const std::string_view stanza = status.substr(at, end - at);
        const auto field = [&stanza](std::string_view name) -> std::string_view {
            const std::string key = "\n" + std::string(name) + ": ";
            const auto from = stanza.find(key);
            if (from == std::string_view::npos) return {};
            const auto value = stanza.substr(from + key.size());
            return value.substr(0, value.find('\n'));
        };
        if (field("Status") != "install ok installed") continue;
        const std::string version = upstream_version(field("Version"));
        if (!version.empty()) return version;
    }
    return std::nullopt;
}

/// As probe_program, but when dpkg's `package` owns the program's file (installed_package_version)
/// the version comes from there in `package_version`, and nothing runs: a `--version` costs a
/// process start, 15-50 ms for programs linking large libraries, on every member at once.
/// Header helper since MicroCloud 0.2.
inline ProgramProbe probe_program_or_package(std::string_view name, std::string_view package,
                                             const std::vector<std::filesystem::path>& dirs, const CommandRunner& run,
                                             const std::filesystem::path& dpkg_dir = "/var/lib/dpkg") {
    ProgramProbe probe = locate_program(name, package, dirs);
    if (probe.path.empty()) return probe;
    if (auto version = installed_package_version(package, probe.path, dpkg_dir))
        probe.package_version = std::move(*version);
    else
        detail::ask_version(probe, run, detail::kVersionTimeout);
    return probe;
}

/// The last non-empty line of `text`, trimmed and cut to a readable length ("" when none).
/// Since ABI 1.0.
inline std::string last_line(std::string_view text) {
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

/// Why a finished command did not succeed: "timed out" or "exited with status 1: <last line of
/// stderr, else of stdout>". Since ABI 1.0.
inline std::string failure_text(const CommandResult& result) {
    if (result.timed_out) return "timed out";
    std::string text = "exited with status " + std::to_string(result.exit_code);
    auto detail = last_line(result.err);
    if (detail.empty()) detail = last_line(result.out);
    if (!detail.empty()) text += ": " + detail;
    return text;
}

/// The leading numeric components of a version: "23.03.1" -> {23, 3, 1}, "2.17.9-1ubuntu" ->
/// {2, 17, 9}; empty when the text does not start with a digit. Since ABI 1.0.
inline std::vector<int> version_numbers(std::string_view version) {
    std::vector<int> numbers;
    std::size_t i = 0;
    while (i < version.size() && std::isdigit(static_cast<unsigned char>(version[i]))) {
        int value = 0;
        while (i < version.size() && std::isdigit(static_cast<unsigned char>(version[i]))) {
            value = value * 10 + (version[i] - '0');
            if (value > 1'000'000) return {};  // not a version component
            ++i;
        }
        numbers.push_back(value);
        if (i + 1 < version.size() && version[i] == '.' && std::isdigit(static_cast<unsigned char>(version[i + 1])))
            ++i;
        else
            break;
    }
    return numbers;
}

/// Whether `version` >= `minimum`, missing components counting as 0 ("22.03" == "22.03.0");
/// nullopt when either is not a version. Since ABI 1.0.
inline std::optional<bool> version_at_least(std::string_view version, std::string_view minimum) {
    auto have = version_numbers(version);
    auto need = version_numbers(minimum);
    if (have.empty() || need.empty()) return std::nullopt;
    auto size = std::max(have.size(), need.size());
    have.resize(size, 0);
    need.resize(size, 0);
    return have >= need;
}

}  // namespace microcloud::sdk::programs
