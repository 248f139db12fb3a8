// plugins/lxd/program_probe.cpp - reads the answer of `lxd --version`.
#include "program_probe.hpp"

namespace microcloud::plugins::lxd {
namespace {

std::string first_line(const std::string& text) {
    const auto start = text.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return {};
    const auto end = text.find_first_of("\r\n", start);
    return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string first_word(const std::string& text) {
    const std::string line = first_line(text);
    return line.substr(0, line.find_first_of(" \t"));
}

}  // namespace

const std::vector<std::string>& version_command() {
    static const std::vector<std::string> argv{"lxd", "--version"};
    return argv;
}

ProgramProbe read_version_answer(const sdk::CommandResult& result) {
    ProgramProbe probe;
    if (result.timed_out) {
        probe.problem = "`lxd --version` did not finish in time";
        return probe;
    }
    if (result.exit_code == 127) {
        probe.problem = "`lxd --version` found no lxd program (exit code 127)";
        return probe;
    }
    if (result.exit_code != 0) {
        const std::string detail = first_line(result.err);
        probe.problem = "`lxd --version` exited with code " + std::to_string(result.exit_code) +
                        (detail.empty() ? "" : ": " + detail);
        return probe;
    }
    probe.version = first_word(result.out);
    if (probe.version.empty()) {
        probe.problem = "`lxd --version` printed no version";
        return probe;
    }
    probe.installed = true;
    return probe;
}

ProgramProbe program_not_started(const std::string& message) {
    ProgramProbe probe;
    probe.problem = "`lxd --version` could not be started: " + message;
    return probe;
}

}  // namespace microcloud::plugins::lxd
