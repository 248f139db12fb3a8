// tests/unit/trust/passphrase_test.cpp - the word list's shape, generated passphrases, unbiased random
// choice bounds, and normalization of typed passphrases.
#include "trust/passphrase.hpp"

#include "common/error.hpp"
#include "trust/wordlist.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace microcloud::host::trust {
namespace {

TEST(Wordlist, HasAtLeast1024DistinctLowercaseWordsOf3To7Letters) {
    auto words = passphrase_words();
    EXPECT_GE(words.size(), 1024u);
    std::set<std::string_view> distinct(words.begin(), words.end());
    EXPECT_EQ(distinct.size(), words.size());
    for (std::string_view word : words) {
        EXPECT_GE(word.size(), 3u) << word;
        EXPECT_LE(word.size(), 7u) << word;
        EXPECT_TRUE(std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; })) << word;
    }
}

TEST(Passphrase, GeneratesFourWordsFromTheList) {
    auto words = passphrase_words();
    std::set<std::string_view> known(words.begin(), words.end());
    std::set<std::string> seen;
    for (int i = 0; i < 20; ++i) {
        std::string phrase = generate_passphrase();
        EXPECT_EQ(normalize_passphrase(phrase), phrase);
        std::istringstream in(phrase);
        std::string word;
        int count = 0;
        while (in >> word) {
            EXPECT_TRUE(known.count(word)) << word;
            ++count;
        }
        EXPECT_EQ(count, 4);
        seen.insert(phrase);
    }
    EXPECT_GT(seen.size(), 15u);  // 1024^4 possibilities: repeats would mean a broken generator
}

TEST(Passphrase, RandomBelowStaysInRangeAndCoversIt) {
    std::set<std::uint32_t> values;
    for (int i = 0; i < 2000; ++i) {
        std::uint32_t v = random_below(7);
        ASSERT_LT(v, 7u);
        values.insert(v);
    }
    EXPECT_EQ(values.size(), 7u);
    EXPECT_EQ(random_below(1), 0u);
    EXPECT_THROW(random_below(0), Error);
}

TEST(Passphrase, NormalizesWhitespaceAndCase) {
    EXPECT_EQ(normalize_passphrase("  Apple\tBANANA  cherry\n date "), "apple banana cherry date");
    EXPECT_EQ(normalize_passphrase("one two three four"), "one two three four");
}

TEST(Passphrase, RejectsAnythingButFourWordsWithUpstreamMessage) {
    for (const char* input : {"", "   ", "one two three", "one two three four five", "one-two-three-four"}) {
        try {
            normalize_passphrase(input);
            FAIL() << "accepted \"" << input << "\"";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "invalid_passphrase");
            EXPECT_STREQ(e.what(), "Passphrase has to contain exactly four elements");
        }
    }
}

}  // namespace
}  // namespace microcloud::host::trust
