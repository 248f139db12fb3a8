// tests/unit/format/parse_format_test.cpp - the --format values accepted and the rejection message.
#include "common/error.hpp"
#include "common/format.hpp"

#include <gtest/gtest.h>

namespace microcloud::host {
namespace {

TEST(ParseFormat, AcceptsEveryFormatByName) {
    EXPECT_EQ(parse_format("table"), Format::table);
    EXPECT_EQ(parse_format("json"), Format::json);
    EXPECT_EQ(parse_format("yaml"), Format::yaml);
    EXPECT_EQ(parse_format("csv"), Format::csv);
    EXPECT_EQ(parse_format("compact"), Format::compact);
}

TEST(ParseFormat, NamesRoundTrip) {
    for (const auto format : {Format::table, Format::json, Format::yaml, Format::csv, Format::compact}) {
        EXPECT_EQ(parse_format(format_name(format)), format);
    }
}

TEST(ParseFormat, RejectsUnknownValueNamingItAndTheAcceptedOnes) {
    try {
        parse_format("xml");
        FAIL() << "xml was accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "invalid_format");
        EXPECT_STREQ(error.what(), "Invalid value for --format: \"xml\" (accepted: table, json, yaml, csv, compact)");
        EXPECT_EQ(error.details().at("value"), "xml");
    }
}

TEST(ParseFormat, IsExactAboutCaseAndBlanks) {
    for (const char* text : {"JSON", " json", "json ", "", "yml"}) {
        EXPECT_THROW(parse_format(text), Error) << text;
    }
}

}  // namespace
}  // namespace microcloud::host
