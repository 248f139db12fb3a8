// tests/unit/interactive/selectable_table_test.cpp - moving, selecting, filtering and drawing.
#include "interactive/selectable_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace microcloud::host::interactive {
namespace {

using K = Key::Kind;

SelectableTable disks() {
    return SelectableTable("Pick:", {"LOCATION", "PATH"},
                           {{"m1", "/dev/sda"}, {"m1", "/dev/sdb"}, {"m2", "/dev/sda"}, {"m3", "/dev/vdc"}});
}

TEST(SelectableTable, SpaceTogglesTheRowUnderTheCursorAndEnterConfirms) {
    SelectableTable table = disks();
    table.press({K::space});
    table.press({K::down});
    table.press({K::down});
    table.press({K::space});
    table.press({K::up});
    table.press({K::space});
    table.press({K::space});  // twice: unselected again
    EXPECT_EQ(table.press({K::enter}), SelectableTable::State::confirmed);
    EXPECT_EQ(table.selected_indexes(), (std::vector<std::size_t>{0, 2}));
    table.press({K::space});  // nothing changes once confirmed
    EXPECT_EQ(table.selected_indexes(), (std::vector<std::size_t>{0, 2}));
}

TEST(SelectableTable, RightSelectsAndLeftUnselectsTheRowsTheFilterShows) {
    SelectableTable table = disks();
    table.press({K::text, "sda"});
    table.press({K::right});
    EXPECT_EQ(table.selected_indexes(), (std::vector<std::size_t>{0, 2}));
    table.press({K::backspace});
    table.press({K::backspace});
    table.press({K::backspace});
    table.press({K::right});
    EXPECT_EQ(table.selected_indexes().size(), 4u);
    table.press({K::text, "M3"});  // the filter ignores case
    table.press({K::left});
    EXPECT_EQ(table.selected_indexes(), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(SelectableTable, EscapeAndCtrlCCancel) {
    SelectableTable a = disks();
    EXPECT_EQ(a.press({K::escape}), SelectableTable::State::cancelled);
    SelectableTable b = disks();
    EXPECT_EQ(b.press({K::interrupt}), SelectableTable::State::cancelled);
}

TEST(SelectableTable, TheCursorStaysOnTheRowsShown) {
    SelectableTable table = disks();
    for (int i = 0; i < 10; ++i) table.press({K::down});
    table.press({K::text, "m2"});  // one row left: the cursor goes to it
    table.press({K::space});
    EXPECT_EQ(table.selected_indexes(), (std::vector<std::size_t>{2}));
}

TEST(SelectableTable, ALiveTableKeepsTheSelectionOfRowsThatStay) {
    SelectableTable table("Systems:", {"NAME"}, {{"m2"}});
    table.press({K::space});
    table.set_rows({{"m2"}, {"m3"}});
    EXPECT_EQ(table.selected(), (std::vector<Row>{{"m2"}}));
    table.set_rows({{"m3"}});
    EXPECT_TRUE(table.selected().empty());
}

TEST(SelectableTable, DrawsTheCursorTheSelectionTheFilterAndTheKeys) {
    SelectableTable table = disks();
    table.press({K::down});
    table.press({K::space});
    const auto lines = table.render(false);
    ASSERT_GE(lines.size(), 9u);
    EXPECT_EQ(lines[0], "Pick:");
    EXPECT_EQ(lines[2], " Filter | <type to filter rows>");
    EXPECT_NE(lines[3].find("SEL"), std::string::npos);
    EXPECT_EQ(lines[4].rfind("   ", 0), 0u) << lines[4];
    EXPECT_NE(lines[4].find("[ ]"), std::string::npos) << lines[4];
    EXPECT_EQ(lines[5].rfind(" > ", 0), 0u) << lines[5];
    EXPECT_NE(lines[5].find("[x]"), std::string::npos) << lines[5];
    EXPECT_NE(lines[5].find("/dev/sdb"), std::string::npos) << lines[5];
    EXPECT_NE(lines.back().find("select all"), std::string::npos);
    table.press({K::text, "zzz"});
    const auto none = table.render(false);
    EXPECT_NE(std::find(none.begin(), none.end(), "   (no row matches the filter)"), none.end());
}

}  // namespace
}  // namespace microcloud::host::interactive
