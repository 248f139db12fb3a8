// tests/unit/interactive/keys_test.cpp - raw terminal bytes decoded into keys.
#include "interactive/keys.hpp"

#include <gtest/gtest.h>

namespace microcloud::host::interactive {
namespace {

using K = Key::Kind;

TEST(DecodeKeys, ArrowsInBothFormsEnterSpaceAndText) {
    std::string bytes = "\x1b[A\x1bOB\x1b[C\x1b[D \rab\x7f\x03";
    const auto keys = decode_keys(bytes, false);
    const std::vector<Key> want{{K::up}, {K::down}, {K::right}, {K::left}, {K::space}, {K::enter},
                                {K::text, "ab"}, {K::backspace}, {K::interrupt}};
    EXPECT_EQ(keys, want);
    EXPECT_TRUE(bytes.empty());
}

TEST(DecodeKeys, ALoneEscapeWaitsForTheRestOfItsSequenceUnlessFlushed) {
    std::string bytes = "x\x1b";
    EXPECT_EQ(decode_keys(bytes, false), (std::vector<Key>{{K::text, "x"}}));
    EXPECT_EQ(bytes, "\x1b");
    bytes += "[B";
    EXPECT_EQ(decode_keys(bytes, false), (std::vector<Key>{{K::down}}));
    bytes = "\x1b";
    EXPECT_EQ(decode_keys(bytes, true), (std::vector<Key>{{K::escape}}));
    EXPECT_TRUE(bytes.empty());
}

TEST(DecodeKeys, UnknownSequencesAreDroppedAndUtf8StaysWhole) {
    std::string bytes = "\x1b[3~\x1b[1;5H\xc3\xa9";
    EXPECT_EQ(decode_keys(bytes, false), (std::vector<Key>{{K::text, "\xc3\xa9"}}));
}

}  // namespace
}  // namespace microcloud::host::interactive
