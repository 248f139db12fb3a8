// tests/unit/formation/formation_journal_test.cpp - the formation journal on disk: what a run
// records while it lasts, read back as a restarted daemon would, and gone once the run ends.
#include "formation/formation_journal.hpp"

#include "common/error.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace microcloud::host::formation {
namespace testing = microcloud::testing;
namespace {

TEST(FormationJournal, RecordsTheRunAndReadsBack) {
    testing::TempDir dir;
    const auto path = journal_path(dir.path());
    FormationJournal journal(path, true);
    journal.admitted("m2");
    journal.join_starts("ovn", "m1");
    journal.join_starts("ovn", "m2");
    const auto state = read_journal(path);
    ASSERT_TRUE(state.has_value());
    EXPECT_TRUE(state->bootstrap);
    EXPECT_EQ(state->admitted, (std::set<std::string>{"m2"}));
    ASSERT_EQ(state->joins.size(), 2u);
    EXPECT_EQ(state->joins[1], std::make_pair(std::string("ovn"), std::string("m2")));
    journal.finish();
    EXPECT_FALSE(read_journal(path).has_value());
}

TEST(FormationJournal, NoPathKeepsNothing) {
    testing::TempDir dir;
    FormationJournal journal({}, false);
    journal.admitted("m2");
    journal.finish();
    EXPECT_FALSE(read_journal(journal_path(dir.path())).has_value());
}

TEST(FormationJournal, ADamagedJournalIsNamed) {
    testing::TempDir dir;
    const auto path = journal_path(dir.path());
    std::ofstream(path) << R"({"bootstrap": "yes"})";
    try {
        read_journal(path);
        FAIL() << "accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "journal_invalid");
        EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos);
    }
}

}  // namespace
}  // namespace microcloud::host::formation
