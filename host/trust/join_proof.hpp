// host/trust/join_proof.hpp - proof that a joiner knows the session passphrase: an argon2id key bound to the
// initiator's certificate, and HMAC-SHA256 over the exact request body.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace microcloud::host::trust {

// Fixed context prefixed to the initiator's fingerprint to form the argon2id salt; changing it (or the
// parameters below) makes old and new members unable to join each other, so bump the version suffix.
inline constexpr std::string_view join_key_context = "microcloud.join-proof.v1:";

struct JoinKdfParameters {
    std::uint32_t time_cost;    // passes
    std::uint32_t memory_kib;   // KiB
    std::uint32_t parallelism;  // lanes
};

// argon2id t=3, m=32 MiB, p=1: about 76 ms per derivation on the 2-core development VM with its memory in
// huge pages, 204 ms without (unit_trust_tests prints the measured time). The initiator derives once per session, a
// joiner once per try; 32 MiB (not 64) keeps a lab of 50 members joining at once within memory.
inline constexpr JoinKdfParameters join_kdf_parameters{3, 32 * 1024, 1};

inline constexpr std::size_t join_key_size = 32;

// A 32-byte HMAC key; wiped (OPENSSL_cleanse) when destroyed.
class JoinKey {
public:
    explicit JoinKey(const std::array<unsigned char, join_key_size>& bytes) : bytes_(bytes) {}
    JoinKey(const JoinKey&) = default;
    JoinKey& operator=(const JoinKey&) = default;
    ~JoinKey();

    const std::array<unsigned char, join_key_size>& bytes() const { return bytes_; }

private:
    std::array<unsigned char, join_key_size> bytes_;
};

// argon2id(passphrase, salt = join_key_context + initiator_fingerprint) with join_kdf_parameters, 32 bytes.
// Both sides must pass the same text: a preseed's passphrase as written, or the output of
// normalize_passphrase() for one typed at a prompt. The fingerprint is the
// initiator's full certificate fingerprint (64 lowercase hex digits, certificate.hpp): a proof made for one
// initiator is useless against another. Throws Error("invalid_fingerprint"), Error("kdf_failed").
JoinKey derive_join_key(std::string_view passphrase, std::string_view initiator_fingerprint);

// HMAC-SHA256 of `body` under `key`, 64 lowercase hex digits.
std::string sign(const JoinKey& key, std::string_view body);

// Whether `mac_hex` (64 hex digits, any case) is the HMAC of `body`; constant-time comparison
// (CRYPTO_memcmp). A malformed MAC is simply false.
bool verify(const JoinKey& key, std::string_view body, std::string_view mac_hex);

}  // namespace microcloud::host::trust
