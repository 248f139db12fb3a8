// tests/unit/interactive/line_asker_test.cpp - questions answered by plain lines through a pipe.
#include "interactive/line_asker.hpp"

#include "common/error.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

namespace microcloud::host::interactive {
namespace {

// A pipe whose read end the asker reads; the answers are written before asking.
class Answers {
public:
    explicit Answers(const std::string& text) {
        EXPECT_EQ(::pipe(fds_), 0);
        EXPECT_EQ(::write(fds_[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
        ::close(fds_[1]);
    }
    ~Answers() { ::close(fds_[0]); }
    int fd() const { return fds_[0]; }

private:
    int fds_[2]{-1, -1};
};

TEST(LineAsker, YesNoWithTheDefaultAndUpstreamsPrompt) {
    Answers answers("\nn\nmaybe\nYES\n");
    LineReader in(answers.fd());
    std::ostringstream out;
    LineAsker asker(in, out);
    EXPECT_TRUE(asker.ask_bool("Would you like to set up local storage?", true));
    EXPECT_FALSE(asker.ask_bool("Again?", true));
    EXPECT_TRUE(asker.ask_bool("Once more?", false));  // "maybe" is refused, then YES
    EXPECT_NE(out.str().find("Would you like to set up local storage? (yes/no) [default=yes]: "), std::string::npos);
    EXPECT_NE(out.str().find("Invalid input \"maybe\""), std::string::npos);
}

TEST(LineAsker, TextIsAskedAgainWhileTheValidatorRefusesIt) {
    Answers answers("bad\n\n");
    LineReader in(answers.fd());
    std::ostringstream out;
    LineAsker asker(in, out);
    const auto valid = [](const std::string& a) { return a.find('/') == std::string::npos ? "not a CIDR" : ""; };
    EXPECT_EQ(asker.ask_string("Subnet?", "10.0.0.0/24", valid), "10.0.0.0/24");
    EXPECT_NE(out.str().find("Invalid input \"bad\": not a CIDR"), std::string::npos);
}

TEST(LineAsker, TableRowsByNumberRangeAllOrNone) {
    Answers answers("2 4\n1-3,5\nall\n\n9\n1\n");
    LineReader in(answers.fd());
    std::ostringstream out;
    LineAsker asker(in, out);
    const std::vector<Row> rows{{"a"}, {"b"}, {"c"}, {"d"}, {"e"}};
    EXPECT_EQ(asker.select("Pick:", {"X"}, rows), (std::vector<std::size_t>{1, 3}));
    EXPECT_EQ(asker.select("Pick:", {"X"}, rows), (std::vector<std::size_t>{0, 1, 2, 4}));
    EXPECT_EQ(asker.select("Pick:", {"X"}, rows).size(), 5u);
    EXPECT_TRUE(asker.select("Pick:", {"X"}, rows).empty());
    EXPECT_EQ(asker.select("Pick:", {"X"}, rows), (std::vector<std::size_t>{0}));  // 9 refused, then 1
    EXPECT_NE(out.str().find("Invalid row \"9\""), std::string::npos);
}

TEST(ParseRowNumbers, RefusesWhatIsNotARowOrARange) {
    EXPECT_THROW(parse_row_numbers("0", 3), Error);
    EXPECT_THROW(parse_row_numbers("x", 3), Error);
    EXPECT_THROW(parse_row_numbers("3-1", 3), Error);
    EXPECT_EQ(parse_row_numbers(" none ", 3), std::vector<std::size_t>{});
}

TEST(LineAsker, ALiveTableWaitsForTheNamedRows) {
    Answers answers("m3\n");
    LineReader in(answers.fd());
    std::ostringstream out;
    LineAsker asker(in, out);
    int calls = 0;
    const auto refresh = [&calls] {
        ++calls;
        return calls < 3 ? std::vector<Row>{{"m2", "10.0.0.2"}} : std::vector<Row>{{"m2", "10.0.0.2"}, {"m3", "10.0.0.3"}};
    };
    const auto chosen = asker.select_live("Systems:", {"NAME", "ADDRESS"}, refresh, std::chrono::milliseconds(1));
    EXPECT_EQ(chosen, (std::vector<Row>{{"m3", "10.0.0.3"}}));
    EXPECT_NE(out.str().find("Found m2 10.0.0.2"), std::string::npos);
}

TEST(LineAsker, EndOfInputIsAnError) {
    Answers answers("");
    LineReader in(answers.fd());
    std::ostringstream out;
    LineAsker asker(in, out);
    EXPECT_THROW(asker.ask_bool("Q?", true), Error);
}

}  // namespace
}  // namespace microcloud::host::interactive
