// host/trust/passphrase.cpp - 4-word passphrases: unbiased CSPRNG word choice and input normalization.
#include "trust/passphrase.hpp"

#include "common/error.hpp"
#include "trust/wordlist.hpp"

#include <openssl/rand.h>

#include <array>
#include <cctype>
#include <vector>

namespace microcloud::host::trust {

std::uint32_t random_below(std::uint32_t bound) {
    if (bound == 0) throw Error("invalid_argument", "random_below needs a bound above zero");
    // Accept only values below the largest multiple of `bound` that fits, so every residue is equally likely.
    const std::uint64_t range = std::uint64_t{1} << 32;
    const std::uint64_t limit = range - range % bound;
    for (;;) {
        std::array<unsigned char, 4> bytes{};
        if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
            throw Error("random_failed", "The system random number generator failed");
        }
        std::uint64_t value = (std::uint64_t{bytes[0]} << 24) | (std::uint64_t{bytes[1]} << 16) |
                              (std::uint64_t{bytes[2]} << 8) | std::uint64_t{bytes[3]};
        if (value < limit) return static_cast<std::uint32_t>(value % bound);
    }
}

std::string generate_passphrase() {
    const auto words = passphrase_words();
    std::string out;
    for (std::size_t i = 0; i < passphrase_word_count; ++i) {
        if (i > 0) out += ' ';
        out += words[random_below(static_cast<std::uint32_t>(words.size()))];
    }
    return out;
}

std::string normalize_passphrase(std::string_view input) {
    std::vector<std::string> words;
    std::string current;
    for (char c : input) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!current.empty()) words.push_back(std::move(current));
            current.clear();
            continue;
        }
        current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (!current.empty()) words.push_back(std::move(current));
    if (words.size() != passphrase_word_count) {
        throw Error("invalid_passphrase", "Passphrase has to contain exactly four elements", {{"words", words.size()}});
    }
    std::string out;
    for (const std::string& word : words) {
        if (!out.empty()) out += ' ';
        out += word;
    }
    return out;
}

}  // namespace microcloud::host::trust
