// host/trust/passphrase.hpp - the 4-word session passphrase: generation with a CSPRNG and normalization of
// what the user typed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace microcloud::host::trust {

inline constexpr std::size_t passphrase_word_count = 4;

// Four words from passphrase_words(), each chosen independently and uniformly with RAND_bytes
// (rejection sampling, no modulo bias), joined by single spaces. Throws Error("random_failed").
std::string generate_passphrase();

// A uniformly random integer in [0, bound) from RAND_bytes; bound must be > 0.
std::uint32_t random_below(std::uint32_t bound);

// The canonical form of a typed passphrase: surrounding whitespace trimmed, ASCII lowercased, words
// separated by single spaces. Throws Error("invalid_passphrase", "Passphrase has to contain exactly four
// elements") unless there are exactly four words. Words need not come from the word list (a preseed may
// carry its own passphrase).
std::string normalize_passphrase(std::string_view input);

}  // namespace microcloud::host::trust
