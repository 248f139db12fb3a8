// tests/unit/format/render_csv_test.cpp - csv with a header line and RFC 4180 quoting.
#include "common/error.hpp"
#include "common/format.hpp"

#include <gtest/gtest.h>

namespace microcloud::host {
namespace {

TEST(RenderCsv, WritesAHeaderAndOneLinePerRow) {
    const Table table{{"NAME", "ROLE"}, {{"micro01", "voter"}, {"micro02", "spare"}}};
    EXPECT_EQ(render(nullptr, table, Format::csv), "NAME,ROLE\nmicro01,voter\nmicro02,spare\n");
}

TEST(RenderCsv, QuotesFieldsWithCommasQuotesAndLineBreaks) {
    const Table table{{"VALUE", "NOTE"},
                      {{"a,b", "plain"}, {"say \"hi\"", "two\nlines"}, {"cr\rx", ""}, {" padded", "tail\t"}}};
    EXPECT_EQ(render(nullptr, table, Format::csv),
              "VALUE,NOTE\n"
              "\"a,b\",plain\n"
              "\"say \"\"hi\"\"\",\"two\nlines\"\n"
              "\"cr\rx\",\n"
              "\" padded\",\"tail\t\"\n");
}

TEST(RenderCsv, QuotesHeadersToo) {
    EXPECT_EQ(render(nullptr, Table{{"A,B"}, {{"1"}}}, Format::csv), "\"A,B\"\n1\n");
}

TEST(RenderCsv, KeepsUtf8AsIs) {
    EXPECT_EQ(render(nullptr, Table{{"NAME"}, {{"日本"}}}, Format::csv), "NAME\n日本\n");
}

TEST(RenderCsv, RejectsARowWithTheWrongNumberOfCells) {
    EXPECT_THROW(render(nullptr, Table{{"A"}, {{"1", "2"}}}, Format::csv), Error);
}

}  // namespace
}  // namespace microcloud::host
