// tests/unit/store/tokens_test.cpp - join tokens: issuing, using once (also under concurrent
// consumers), expiry, revocation and rejected inputs.
#include "store_test_support.hpp"

#include <atomic>
#include <thread>

namespace microcloud::host::store::testing {
namespace {

class TokensTest : public StoreTest {
protected:
    JoinToken token(const std::string& name, std::int64_t lifetime = 600) const {
        return JoinToken{
            .name = name,
            .secret_hash = "hash-of-" + name,
            .joiner = "joiner-" + name,
            .expires_at = now_ + std::chrono::seconds{lifetime},
            .created_at = now_,
        };
    }
};

TEST_F(TokensTest, IssuedTokensAreFoundAndListed) {
    store().issue_token(token("b"));
    store().issue_token(token("a"));
    EXPECT_EQ(store().find_token("a"), token("a"));
    EXPECT_EQ(store().find_token("zzz"), std::nullopt);
    EXPECT_EQ(store().list_tokens(), (std::vector<JoinToken>{token("a"), token("b")}));
    expect_error([&] { store().issue_token(token("a")); }, "token_exists", {"\"a\""});
}

TEST_F(TokensTest, InvalidTokensAreRefused) {
    JoinToken no_name = token("x");
    no_name.name = "";
    expect_error([&] { store().issue_token(no_name); }, "invalid_token", {"name"});
    JoinToken no_hash = token("x");
    no_hash.secret_hash = "";
    expect_error([&] { store().issue_token(no_hash); }, "invalid_token", {"secret hash"});
    JoinToken no_joiner = token("x");
    no_joiner.joiner = "";
    expect_error([&] { store().issue_token(no_joiner); }, "invalid_token", {"joiner"});
    expect_error([&] { store().issue_token(token("x", 0)); }, "invalid_token", {"expiry"});
    EXPECT_TRUE(store().list_tokens().empty());
}

TEST_F(TokensTest, ATokenIsUsedOnce) {
    store().issue_token(token("t"));
    EXPECT_EQ(store().consume_token("t", "hash-of-t"), token("t"));
    expect_error([&] { store().consume_token("t", "hash-of-t"); }, "token_not_found", {"\"t\"", "already used"});
    EXPECT_EQ(store().find_token("t"), std::nullopt);
}

TEST_F(TokensTest, AWrongSecretDoesNotUseTheToken) {
    store().issue_token(token("t"));
    expect_error([&] { store().consume_token("t", "guess"); }, "token_invalid", {"\"t\""});
    EXPECT_EQ(store().consume_token("t", "hash-of-t").joiner, "joiner-t");
}

TEST_F(TokensTest, ExpiredTokensCannotBeUsedAndAreSweptAway) {
    store().issue_token(token("short", 10));
    store().issue_token(token("long", 1000));
    now_ += std::chrono::seconds{10};
    expect_error([&] { store().consume_token("short", "hash-of-short"); }, "token_expired", {"\"short\""});
    EXPECT_EQ(store().expire_tokens(), 1u);
    EXPECT_EQ(store().expire_tokens(), 0u);
    const std::vector<JoinToken> left = store().list_tokens();
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].name, "long");
}

TEST_F(TokensTest, RevokedTokensAreGone) {
    store().issue_token(token("t"));
    EXPECT_TRUE(store().revoke_token("t"));
    EXPECT_FALSE(store().revoke_token("t"));
    expect_error([&] { store().consume_token("t", "hash-of-t"); }, "token_not_found");
}

TEST_F(TokensTest, OfConcurrentConsumersExactlyOneWins) {
    constexpr int kConsumers = 6;
    std::vector<std::unique_ptr<Store>> stores;
    for (int i = 0; i < kConsumers; ++i) {
        stores.push_back(make_store());
    }
    for (int round = 0; round < 5; ++round) {
        const std::string name = "race-" + std::to_string(round);
        store().issue_token(token(name));
        std::atomic<int> winners{0};
        std::atomic<int> refused{0};
        std::vector<std::thread> threads;
        for (auto& each : stores) {
            threads.emplace_back([&, consumer = each.get()] {
                try {
                    consumer->consume_token(name, "hash-of-" + name);
                    ++winners;
                } catch (const Error& error) {
                    EXPECT_EQ(error.code(), "token_not_found") << error.what();
                    ++refused;
                }
            });
        }
        for (std::thread& thread : threads) {
            thread.join();
        }
        EXPECT_EQ(winners.load(), 1) << name;
        EXPECT_EQ(refused.load(), kConsumers - 1) << name;
    }
}

}  // namespace
}  // namespace microcloud::host::store::testing
