// tests/unit/format/render_table_test.cpp - the LXD-style box: borders, padding, UTF-8 widths.
#include "common/error.hpp"
#include "common/format.hpp"

#include <gtest/gtest.h>

namespace microcloud::host {
namespace {

TEST(RenderTable, DrawsAnLxdStyleBox) {
    const Table table{{"NAME", "ADDRESS", "ROLE"},
                      {{"micro01", "10.0.0.1:9443", "voter"}, {"m2", "10.0.0.2:9443", "stand-by"}}};
    EXPECT_EQ(render(nullptr, table, Format::table),
              "+---------+---------------+----------+\n"
              "|  NAME   |    ADDRESS    |   ROLE   |\n"
              "+---------+---------------+----------+\n"
              "| micro01 | 10.0.0.1:9443 | voter    |\n"
              "+---------+---------------+----------+\n"
              "| m2      | 10.0.0.2:9443 | stand-by |\n"
              "+---------+---------------+----------+\n");
}

TEST(RenderTable, ShowsOnlyTheHeaderWhenThereAreNoRows) {
    EXPECT_EQ(render(nullptr, Table{{"NAME"}, {}}, Format::table),
              "+------+\n"
              "| NAME |\n"
              "+------+\n");
}

TEST(RenderTable, PadsEmptyCells) {
    EXPECT_EQ(render(nullptr, Table{{"A", "B"}, {{"", "x"}}}, Format::table),
              "+---+---+\n"
              "| A | B |\n"
              "+---+---+\n"
              "|   | x |\n"
              "+---+---+\n");
}

TEST(RenderTable, CountsTerminalCellsNotBytes) {
    const Table table{{"NAME", "NOTE"}, {{"héllo", "日本"}, {"e\xcc\x81", "ok"}}};
    EXPECT_EQ(render(nullptr, table, Format::table),
              "+-------+------+\n"
              "| NAME  | NOTE |\n"
              "+-------+------+\n"
              "| héllo | 日本 |\n"
              "+-------+------+\n"
              "| e\xcc\x81     | ok   |\n"
              "+-------+------+\n");
}

TEST(RenderTable, PutsEachLineOfACellOnItsOwnLine) {
    const Table table{{"NAME", "IPV4"}, {{"c1", "10.0.0.5 (eth0)\n10.1.0.5 (eth1)"}}};
    EXPECT_EQ(render(nullptr, table, Format::table),
              "+------+-----------------+\n"
              "| NAME |      IPV4       |\n"
              "+------+-----------------+\n"
              "| c1   | 10.0.0.5 (eth0) |\n"
              "|      | 10.1.0.5 (eth1) |\n"
              "+------+-----------------+\n");
}

TEST(RenderTable, RendersNothingWithoutColumns) {
    EXPECT_EQ(render(nullptr, Table{}, Format::table), "");
}

TEST(RenderTable, RejectsARowWithTheWrongNumberOfCells) {
    try {
        render(nullptr, Table{{"A", "B"}, {{"1", "2"}, {"3"}}}, Format::table);
        FAIL() << "a short row was accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "invalid_table");
        EXPECT_STREQ(error.what(), "cannot render row 2: it has 1 cells, the table has 2 columns");
    }
}

TEST(RenderCompact, DrawsTheColumnsWithoutBordersOrTrailingBlanks) {
    const Table table{{"NAME", "ADDRESS", "ROLE"}, {{"m1", "10.0.0.11:9443", "voter"}, {"m10", "10.0.0.20:9443", ""}}};
    EXPECT_EQ(render(nullptr, table, Format::compact),
              " NAME     ADDRESS      ROLE\n"
              " m1    10.0.0.11:9443  voter\n"
              " m10   10.0.0.20:9443\n");
}

TEST(RenderTable, BoldHeaderWrapsOnlyTheHeaderTextAndKeepsTheWidths) {
    const Table table{{"NAME"}, {{"m1"}}};
    EXPECT_EQ(render(nullptr, table, Format::table, true),
              "+------+\n"
              "| \033[1mNAME\033[0m |\n"
              "+------+\n"
              "| m1   |\n"
              "+------+\n");
    EXPECT_EQ(render(nullptr, table, Format::compact, true), " \033[1mNAME\033[0m\n m1\n");
}

}  // namespace
}  // namespace microcloud::host
