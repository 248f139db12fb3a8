// tests/unit/host/backoff_test.cpp - the retry pause: doubles from its first value up to its ceiling.
#include "common/backoff.hpp"

#include <gtest/gtest.h>

using microcloud::host::Backoff;
using std::chrono::milliseconds;

TEST(Backoff, DoublesUpToTheCeiling) {
    Backoff pause(milliseconds(100), milliseconds(1000));
    EXPECT_EQ(pause.peek(), milliseconds(100));
    EXPECT_EQ(pause.take(), milliseconds(100));
    EXPECT_EQ(pause.take(), milliseconds(200));
    EXPECT_EQ(pause.take(), milliseconds(400));
    EXPECT_EQ(pause.take(), milliseconds(800));
    EXPECT_EQ(pause.take(), milliseconds(1000));
    EXPECT_EQ(pause.take(), milliseconds(1000));
}

TEST(Backoff, FirstPauseStaysWithinOneMillisecondAndTheCeiling) {
    EXPECT_EQ(Backoff(milliseconds(0), milliseconds(50)).peek(), milliseconds(1));
    EXPECT_EQ(Backoff(milliseconds(500), milliseconds(50)).peek(), milliseconds(50));
    Backoff none(milliseconds(0), milliseconds(0));
    EXPECT_EQ(none.take(), milliseconds(1));
    EXPECT_EQ(none.take(), milliseconds(1));
}
