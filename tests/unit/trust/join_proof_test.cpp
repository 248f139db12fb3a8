// tests/unit/trust/join_proof_test.cpp - argon2id keys and HMAC proofs: the known answer, round trip, wrong
// passphrase, tampered body, other initiator, malformed input. Derives few keys (argon2id is deliberately slow).
#include "trust/join_proof.hpp"

#include "common/error.hpp"
#include "trust/certificate.hpp"
#include "trust/passphrase.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

namespace microcloud::host::trust {
namespace {

// ctest runs every test in its own process, so keys are derived lazily: each test pays only for the keys it uses.
class JoinProof : public ::testing::Test {
protected:
    static const std::string& initiator_fingerprint() {
        static const std::string value = fingerprint(generate_self_signed("m1", {}).certificate_pem);
        return value;
    }
    static const std::string& passphrase() {
        static const std::string value = normalize_passphrase("Apple banana  cherry date");
        return value;
    }
    // passphrase + initiator A, timed and printed.
    static const JoinKey& right() {
        static const JoinKey key = [] {
            auto start = std::chrono::steady_clock::now();
            JoinKey derived = derive_join_key(passphrase(), initiator_fingerprint());
            auto elapsed =
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
            std::cout << "argon2id t=" << join_kdf_parameters.time_cost << " m=" << join_kdf_parameters.memory_kib
                      << "KiB p=" << join_kdf_parameters.parallelism << ": " << elapsed.count() << " ms per key\n";
            return derived;
        }();
        return key;
    }
    // Another passphrase, initiator A.
    static const JoinKey& wrong() {
        static const JoinKey key = derive_join_key("apple banana cherry dates", initiator_fingerprint());
        return key;
    }
    // The passphrase, initiator B.
    static const JoinKey& other_initiator() {
        static const JoinKey key =
            derive_join_key(passphrase(), fingerprint(generate_self_signed("m9", {}).certificate_pem));
        return key;
    }

    const std::string body_ =
        R"({"name":"m2","address":"10.0.0.2:9443","nonce":"00112233445566778899aabbccddeeff","timestamp":1700000000})";
};

TEST_F(JoinProof, KeyIsDeterministicAndSignatureVerifies) {
    JoinKey again = derive_join_key(passphrase(), initiator_fingerprint());
    EXPECT_EQ(right().bytes(), again.bytes());
    std::string mac = sign(right(), body_);
    EXPECT_EQ(mac.size(), 64u);
    EXPECT_TRUE(verify(right(), body_, mac));
    EXPECT_TRUE(verify(again, body_, mac));
}

// The key is the wire protocol: members of different builds must derive the same one. The expected
// bytes come from libargon2's plain argon2id_hash_raw (its own allocator) over the documented salt,
// so a change of allocator, parameters or salt layout shows here.
TEST_F(JoinProof, KeyMatchesPlainArgon2idOfTheDocumentedSalt) {
    const std::string fingerprint_hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const JoinKey key = derive_join_key("apple banana cherry date", fingerprint_hex);
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char byte : key.bytes()) {
        hex += digits[byte >> 4];
        hex += digits[byte & 0xf];
    }
    EXPECT_EQ(hex, "ed18923cf004b84dc011a24c1645d65203a4ec43c2aa0b77da18069802c18b3a");
}

TEST_F(JoinProof, WrongPassphraseFails) {
    EXPECT_NE(wrong().bytes(), right().bytes());
    EXPECT_FALSE(verify(right(), body_, sign(wrong(), body_)));
}

TEST_F(JoinProof, TamperedBodyFails) {
    std::string mac = sign(right(), body_);
    std::string tampered = body_;
    tampered.replace(tampered.find("m2"), 2, "m3");
    EXPECT_FALSE(verify(right(), tampered, mac));
    EXPECT_FALSE(verify(right(), body_ + " ", mac));
}

TEST_F(JoinProof, DifferentInitiatorFingerprintGivesDifferentKey) {
    EXPECT_NE(other_initiator().bytes(), right().bytes());
    EXPECT_FALSE(verify(right(), body_, sign(other_initiator(), body_)));
}

TEST_F(JoinProof, MalformedOrAlteredMacIsRejected) {
    std::string mac = sign(right(), body_);
    std::string upper = mac;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(verify(right(), body_, upper));
    std::string flipped = mac;
    flipped[10] = flipped[10] == '0' ? '1' : '0';
    EXPECT_FALSE(verify(right(), body_, flipped));
    EXPECT_FALSE(verify(right(), body_, mac.substr(0, 63)));
    EXPECT_FALSE(verify(right(), body_, mac + "0"));
    EXPECT_FALSE(verify(right(), body_, std::string(64, 'z')));
    EXPECT_FALSE(verify(right(), body_, ""));
}

TEST_F(JoinProof, RejectsFingerprintThatIsNotSha256Hex) {
    for (const char* bad : {"", "abc", "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"}) {
        try {
            derive_join_key("a b c d", bad);
            FAIL() << "accepted " << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "invalid_fingerprint");
        }
    }
}

}  // namespace
}  // namespace microcloud::host::trust
