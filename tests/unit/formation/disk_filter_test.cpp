// tests/unit/formation/disk_filter_test.cpp - the preseed's disk filter language: upstream's byte
// sizes, a table of expressions against three disks' facts, and a table of rejected expressions
// with upstream's text, the column and what was expected.
#include "formation/disk_filter.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace microcloud::host::formation {
namespace {

// Facts as host/system/disks.cpp writes them (plus block_size on the hdd).
nlohmann::json nvme_disk() {
    return {{"name", "nvme0n1"},
            {"path", "/dev/nvme0n1"},
            {"id", "/dev/disk/by-id/nvme-Samsung_SSD_980_S123"},
            {"size", 500107862016LL},
            {"model", "Samsung SSD 980 500GB"},
            {"vendor", ""},
            {"serial", "S123"},
            {"type", "nvme"},
            {"removable", false},
            {"read_only", false},
            {"partitions", nlohmann::json::array()},
            {"in_use", false},
            {"in_use_reason", ""}};
}

nlohmann::json hdd_disk() {
    return {{"name", "sda"},
            {"path", "/dev/sda"},
            {"id", "/dev/sda"},
            {"size", 21474836480LL},
            {"model", "WDC WD20EZRZ"},
            {"serial", "WD-1"},
            {"type", "hdd"},
            {"removable", true},
            {"read_only", false},
            {"block_size", 4096},
            {"partitions", nlohmann::json::array()},
            {"in_use", false}};
}

nlohmann::json loop_disk() {
    return {{"name", "loop3"},    {"path", "/dev/loop3"},
            {"id", "/dev/loop3"}, {"size", 10000000000LL},
            {"model", ""},        {"type", "loop"},
            {"removable", false}, {"read_only", false},
            {"in_use", false},    {"partitions", nlohmann::json::array()}};
}

struct MatchCase {
    const char* find;
    bool nvme, hdd, loop;
};

TEST(DiskFilter, ExpressionsAgainstDisks) {
    const std::vector<MatchCase> cases = {
        {"size > 10GiB", true, true, false},
        {"size == 20GiB", false, true, false},
        {"size == 10GB", false, false, true},
        {"size == 10000000000", false, false, true},
        {"size >= 21474836480 && size <= 20GiB", false, true, false},
        {"size < 10GiB", false, false, true},
        {"type == nvme", true, false, false},
        {"type == NVMe", true, false, false},
        {"type != nvme", false, true, true},
        {"model == Samsung.*", true, false, false},
        {"model == samsung.*", true, false, false},
        {"model == Samsung", false, false, false},
        {"model == ^WDC", false, true, false},
        {"model == 'Samsung SSD 980 500GB'", true, false, false},
        {"model == \"Samsung SSD.*\"", true, false, false},
        {"model == 'WDC.*'", false, true, false},
        {"model == [", false, false, false},
        {"type == nvme || type == loop", true, false, true},
        // left to right, no precedence: (nvme || loop) && size < 15GiB
        {"type == nvme || type == loop && size < 15GiB", false, false, true},
        {"! type == nvme", false, true, true},
        {"! type == nvme && ! type == loop", false, true, false},
        {"removable == true", false, true, false},
        {"removable == 1", false, true, false},
        {"read_only == False", true, true, true},
        {"mounted == false", true, true, true},
        {"id == nvme0n1", true, false, false},
        {"id == sd.", false, true, false},
        {"device_id == nvme-Samsung.*", true, false, false},
        {"device_path == ''", true, true, true},
        {"wwn != ''", false, false, false},
        {"block_size == 4096", false, true, false},
        {"block_size > 0", false, true, false},
        {"serial == s123", true, false, false},
        {"size > 10GiB && type == nvme", true, false, false},
        {"  size   >   10GiB  ", true, true, false},
        {"   ", true, true, true},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.find);
        const auto expression = DiskFilterExpression::parse(c.find);
        EXPECT_EQ(expression.matches(nvme_disk()), c.nvme) << "nvme";
        EXPECT_EQ(expression.matches(hdd_disk()), c.hdd) << "hdd";
        EXPECT_EQ(expression.matches(loop_disk()), c.loop) << "loop";
    }
}

TEST(DiskFilter, ClausesRecordWhatWasWritten) {
    const auto expression = DiskFilterExpression::parse("size > 1GiB || ! model == 'A B'");
    ASSERT_EQ(expression.clauses().size(), 2u);
    const auto& second = expression.clauses()[1];
    EXPECT_EQ(expression.clauses()[0].joiner, "&&");
    EXPECT_EQ(expression.clauses()[0].number, 1073741824u);
    EXPECT_EQ(second.joiner, "||");
    EXPECT_TRUE(second.negate);
    EXPECT_EQ(second.field, "model");
    EXPECT_EQ(second.value, "A B");
    EXPECT_EQ(second.column, 16u);
}

struct RejectCase {
    const char* find;
    std::vector<std::string> parts;  // each must appear in the message
};

TEST(DiskFilter, RejectedExpressions) {
    const std::vector<RejectCase> cases = {
        {"size >", {"Invalid disk filter \"size >\" at column 7: clause has no value", "a value after \">\""}},
        {"size", {"column 5: clause has no operator", "one of ==, !=, <, >, <=, >="}},
        {"!", {"incomplete not clause", "a field name after \"!\""}},
        {"size > 1GiB &&", {"unterminated compound clause", "a clause after \"&&\""}},
        {"size > 1GiB and type == nvme", {"column 13: invalid clause composition", "found \"and\""}},
        {"model == 'Samsung SSD", {"column 10: unterminated quote", "a closing ' for the value opened at column 10"}},
        {"colour == red", {"unknown disk field \"colour\"", "id, device_id, device_path, model, type, serial"}},
        {"rpm == 0", {"unknown disk field \"rpm\"", "do not carry it"}},
        {"(size > 1GiB)", {"unknown disk field \"(size\"", "parentheses are not supported"}},
        {"!type == nvme", {"unknown disk field \"!type\"", "as a word of its own"}},
        {"size>1GiB == 1", {"separate field, operator and value with spaces"}},
        {"size > 10XB", {"Failed parsing value: Invalid value: 10XB", "a size in bytes"}},
        {"block_size > 4k", {"Failed parsing value: strconv.ParseUint: parsing \"4k\": invalid syntax"}},
        {"read_only == yes", {"Failed parsing value: strconv.ParseBool: parsing \"yes\": invalid syntax"}},
        {"model > abc", {"Invalid operator \">\" for field \"model\"", "== or !="}},
        {"size =~ 1", {"Unsupported operation \"=~\""}},
        {"type == nvme || size > 1 && type == hdd xxx", {"invalid clause composition"}},
        {"colour == red xxx", {"invalid clause composition"}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.find);
        try {
            DiskFilterExpression::parse(c.find);
            ADD_FAILURE() << "accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), "invalid_disk_filter");
            EXPECT_EQ(error.details()["filter"], c.find);
            for (const auto& part : c.parts)
                EXPECT_NE(std::string(error.what()).find(part), std::string::npos)
                    << error.what() << "\n  lacks: " << part;
        }
    }
}

TEST(DiskFilter, SecondClauseColumnIsReported) {
    try {
        DiskFilterExpression::parse("type == nvme && colour == red");
        FAIL() << "accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.details()["column"], 17);
        EXPECT_EQ(error.details()["field"], "colour");
    }
}

TEST(DiskFilter, FactsOfTheWrongTypeAreNamed) {
    const auto expression = DiskFilterExpression::parse("size > 1");
    nlohmann::json disk = hdd_disk();
    disk["size"] = "big";
    try {
        expression.matches(disk);
        FAIL() << "matched";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "invalid_disk_facts");
        EXPECT_NE(std::string(error.what()).find("\"size\""), std::string::npos) << error.what();
    }
}

TEST(DiskFilter, FieldsListed) {
    const auto& fields = disk_filter_fields();
    EXPECT_EQ(fields.front(), "id");
    EXPECT_NE(std::find(fields.begin(), fields.end(), "size"), fields.end());
}

TEST(ByteSize, UpstreamSuffixes) {
    EXPECT_EQ(parse_byte_size("10GiB"), 10737418240LL);
    EXPECT_EQ(parse_byte_size("10GB"), 10000000000LL);
    EXPECT_EQ(parse_byte_size("512"), 512);
    EXPECT_EQ(parse_byte_size("512B"), 512);
    EXPECT_EQ(parse_byte_size("1 bytes"), 1);
    EXPECT_EQ(parse_byte_size("1kB"), 1000);
    EXPECT_EQ(parse_byte_size("1KiB"), 1024);
    EXPECT_EQ(parse_byte_size("2MiB"), 2097152);
    EXPECT_EQ(parse_byte_size("3TB"), 3000000000000LL);
    EXPECT_EQ(parse_byte_size("1PiB"), 1LL << 50);
    EXPECT_EQ(parse_byte_size("7EiB"), 7LL << 60);
    EXPECT_EQ(parse_byte_size(""), 0);
}

TEST(ByteSize, UpstreamErrors) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"1KB", "Invalid value: 1KB"},
        {"GiB", "Invalid value: GiB"},
        {"-1GiB", "Invalid value: -1GiB"},
        {"1.5GiB", "Invalid value: 1.5GiB"},
        {"99999999999999999999", "Invalid integer: 99999999999999999999"},
        {"16EiB", "Overflow multiplying 16 with 1152921504606846976"},
    };
    for (const auto& [input, message] : cases) {
        try {
            parse_byte_size(input);
            ADD_FAILURE() << input << " accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), "invalid_size");
            EXPECT_EQ(std::string(error.what()), message);
        }
    }
}

}  // namespace
}  // namespace microcloud::host::formation
