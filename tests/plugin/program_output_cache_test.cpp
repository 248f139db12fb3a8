// tests/plugin/program_output_cache_test.cpp - a run marked "while_program_unchanged" is answered
// from an earlier run while the program file stays the same, and runs again once it changes.
#include "plugins/host_services.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace microcloud::test {
namespace {

using host::plugins::HostServices;
using host::plugins::ProgramOutputCache;
using host::plugins::ServiceRequest;
using nlohmann::json;
namespace fs = std::filesystem;

class ProgramOutputs : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("mc-outputs-" + std::to_string(::getpid()));
        fs::create_directories(dir);
        program = dir / "probe";
        write_program("1.0");
    }
    void TearDown() override { fs::remove_all(dir); }

    // A program that counts its runs in `runs` and prints `version` (or fails when it is "fail").
    void write_program(const std::string& version) {
        std::ofstream(program) << "#!/bin/sh\necho run >> '" << (dir / "runs").string() << "'\n"
                               << (version == "fail" ? "exit 3\n" : "echo " + version + "\n");
        fs::permissions(program, fs::perms::owner_all);
    }
    int runs() const {
        std::ifstream in(dir / "runs");
        int count = 0;
        for (std::string line; std::getline(in, line);) ++count;
        return count;
    }
    json run(const json& argv, bool cacheable, const json& env = json::object()) const {
        json request{{"argv", argv}, {"env", env}, {"stdin", ""}, {"timeout_ms", 5000}};
        if (cacheable) request["cache"] = "while_program_unchanged";
        const auto answer = services.serve(ServiceRequest{"p", "discover", "run_command", request.dump(), {}});
        EXPECT_EQ(answer.status, 0) << answer.output;
        return json::parse(answer.output);
    }

    fs::path dir;
    fs::path program;
    HostServices services;
};

TEST_F(ProgramOutputs, SecondRunOfAnUnchangedProgramIsAnsweredFromTheFirst) {
    const json first = run({program.string(), "--version"}, true);
    const json second = run({program.string(), "--version"}, true);
    EXPECT_EQ(first.value("stdout", ""), "1.0\n");
    EXPECT_FALSE(first.value("cached", false));
    EXPECT_EQ(second.value("stdout", ""), "1.0\n");
    EXPECT_TRUE(second.value("cached", false));
    EXPECT_EQ(runs(), 1);
}

TEST_F(ProgramOutputs, ChangedProgramRunsAgain) {
    run({program.string(), "--version"}, true);
    write_program("2.0");  // another size and modification time
    const json after = run({program.string(), "--version"}, true);
    EXPECT_EQ(after.value("stdout", ""), "2.0\n");
    EXPECT_FALSE(after.value("cached", false));
    EXPECT_EQ(runs(), 2);
}

TEST_F(ProgramOutputs, OnlyMarkedAndSuccessfulRunsAreKept) {
    run({program.string(), "--version"}, false);
    run({program.string(), "--version"}, false);
    EXPECT_EQ(runs(), 2) << "an unmarked run always runs";
    write_program("fail");
    run({program.string(), "--version"}, true);
    const json again = run({program.string(), "--version"}, true);
    EXPECT_EQ(again.value("exit_code", 0), 3);
    EXPECT_EQ(runs(), 4) << "a failed run is not kept";
}

TEST_F(ProgramOutputs, OtherArgumentsOrEnvironmentRunAgain) {
    run({program.string(), "--version"}, true);
    run({program.string(), "--help"}, true);
    run({program.string(), "--version"}, true, {{"LANG", "C"}});
    EXPECT_EQ(runs(), 3);
}

TEST_F(ProgramOutputs, BareNameIsFoundAlongTheDaemonsPath) {
    const json argv{"sh", "-c", "echo found"};
    EXPECT_FALSE(run(argv, true).value("cached", false));
    const json second = run(argv, true);
    EXPECT_TRUE(second.value("cached", false));
    EXPECT_EQ(second.value("stdout", ""), "found\n");
    EXPECT_FALSE(ProgramOutputCache::key_of({{"argv", {"no-such-program-here"}}}));
}

}  // namespace
}  // namespace microcloud::test
