// tests/unit/format/render_csv_test.cpp - csv as upstream prints it: the rows only (no header
// line), quoted as Go's encoding/csv does.
#include "common/error.hpp"
#include "common/format.hpp"

#include <gtest/gtest.h>

namespace microcloud::host {
namespace {

TEST(RenderCsv, WritesOneLinePerRowAndNoHeader) {
    const Table table{{"NAME", "ROLE"}, {{"micro01", "voter"}, {"micro02", "spare"}}};
    EXPECT_EQ(render(nullptr, table, Format::csv), "micro01,voter\nmicro02,spare\n");
}

TEST(RenderCsv, QuotesFieldsWithCommasQuotesAndLineBreaks) {
    const Table table{{"VALUE", "NOTE"},
                      {{"a,b", "plain"}, {"say \"hi\"", "two\nlines"}, {"cr\rx", ""}, {" padded", "tail\t"}}};
    EXPECT_EQ(render(nullptr, table, Format::csv),
              "\"a,b\",plain\n"
              "\"say \"\"hi\"\"\",\"two\nlines\"\n"
              "\"cr\rx\",\n"
              "\" padded\",tail\t\n");
}

TEST(RenderCsv, AnEmptyTableIsEmpty) {
    EXPECT_EQ(render(nullptr, Table{{"A,B"}, {}}, Format::csv), "");
}

TEST(RenderCsv, KeepsUtf8AsIs) {
    EXPECT_EQ(render(nullptr, Table{{"NAME"}, {{"日本"}}}, Format::csv), "日本\n");
}

TEST(RenderCsv, RejectsARowWithTheWrongNumberOfCells) {
    EXPECT_THROW(render(nullptr, Table{{"A"}, {{"1", "2"}}}, Format::csv), Error);
}

}  // namespace
}  // namespace microcloud::host
