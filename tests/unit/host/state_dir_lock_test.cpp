// tests/unit/host/state_dir_lock_test.cpp - one daemon per state directory.
#include "common/error.hpp"
#include "api/state_dir_lock.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace microcloud::host;
using microcloud::testing::TempDir;

TEST(StateDirLock, CreatesTheDirectoryRootOnly) {
    TempDir dir;
    auto state = dir.path() / "state";
    api::StateDirLock lock(state);
    struct stat st {};
    ASSERT_EQ(::stat(state.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(StateDirLock, SecondHolderIsRefusedWithThePid) {
    TempDir dir;
    api::StateDirLock lock(dir.path());
    // flock is per open file description: a second lock in another process must fail.
    pid_t child = ::fork();
    if (child == 0) {
        try {
            api::StateDirLock second(dir.path());
            ::_exit(1);
        } catch (const Error& e) {
            bool ok = e.code() == "state_dir_locked" &&
                      std::string(e.what()).find(std::to_string(::getppid())) != std::string::npos;
            ::_exit(ok ? 0 : 2);
        }
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(StateDirLock, ReleasedWhenDestroyed) {
    TempDir dir;
    { api::StateDirLock lock(dir.path()); }
    EXPECT_NO_THROW(api::StateDirLock again(dir.path()));
}
