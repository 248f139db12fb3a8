// host/trust/join_proof.cpp - argon2id key derivation and HMAC-SHA256 sign/verify for the join session.
#include "trust/join_proof.hpp"

#include "common/error.hpp"

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace microcloud::host::trust {
namespace {

using Mac = std::array<unsigned char, 32>;

Mac hmac_sha256(const JoinKey& key, std::string_view body) {
    Mac mac{};
    unsigned int size = 0;
    if (!HMAC(EVP_sha256(), key.bytes().data(), static_cast<int>(key.bytes().size()),
              reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac.data(), &size) ||
        size != mac.size()) {
        throw Error("mac_failed", "HMAC-SHA256 failed");
    }
    return mac;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<Mac> parse_mac(std::string_view hex) {
    Mac mac{};
    if (hex.size() != mac.size() * 2) return std::nullopt;
    for (std::size_t i = 0; i < mac.size(); ++i) {
        int high = hex_value(hex[2 * i]);
        int low = hex_value(hex[2 * i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        mac[i] = static_cast<unsigned char>(high << 4 | low);
    }
    return mac;
}

bool is_fingerprint(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(),
                                            [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// argon2 fills its whole memory once per pass. Allocated with malloc, those 32 MiB are 8192 small pages,
// each a page fault and a TLB entry; in 2 MiB pages the derivation took 76 ms instead of 204 ms on the
// 2-core lab VM (the key is the same). The pages are asked for, not required: where transparent huge pages
// are off, madvise fails and the memory is as malloc's. argon2 wipes the memory before it frees it.
constexpr std::size_t huge_page_size = std::size_t{2} << 20;

int allocate_kdf_memory(std::uint8_t** memory, std::size_t bytes) {
    const std::size_t rounded = (bytes + huge_page_size - 1) / huge_page_size * huge_page_size;
    void* block = std::aligned_alloc(huge_page_size, rounded);
    if (block == nullptr) return ARGON2_MEMORY_ALLOCATION_ERROR;
    (void)madvise(block, rounded, MADV_HUGEPAGE);
    *memory = static_cast<std::uint8_t*>(block);
    return ARGON2_OK;
}

void free_kdf_memory(std::uint8_t* memory, std::size_t /*bytes*/) {
    std::free(memory);
}

}  // namespace

JoinKey::~JoinKey() {
    OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

JoinKey derive_join_key(std::string_view passphrase, std::string_view initiator_fingerprint) {
    if (!is_fingerprint(initiator_fingerprint)) {
        throw Error("invalid_fingerprint",
                    "Invalid initiator fingerprint \"" + std::string(initiator_fingerprint) +
                        "\" (want 64 lowercase hex digits of the certificate's SHA-256)",
                    {{"fingerprint", std::string(initiator_fingerprint)}});
    }
    const std::string salt = std::string(join_key_context) + std::string(initiator_fingerprint);
    std::array<unsigned char, join_key_size> bytes{};
    argon2_context context{};
    context.out = bytes.data();
    context.outlen = static_cast<std::uint32_t>(bytes.size());
    // argon2 reads the password and salt only; its struct has no const members.
    context.pwd = reinterpret_cast<std::uint8_t*>(const_cast<char*>(passphrase.data()));
    context.pwdlen = static_cast<std::uint32_t>(passphrase.size());
    context.salt = reinterpret_cast<std::uint8_t*>(const_cast<char*>(salt.data()));
    context.saltlen = static_cast<std::uint32_t>(salt.size());
    context.t_cost = join_kdf_parameters.time_cost;
    context.m_cost = join_kdf_parameters.memory_kib;
    context.lanes = join_kdf_parameters.parallelism;
    context.threads = join_kdf_parameters.parallelism;
    context.version = ARGON2_VERSION_13;
    context.allocate_cbk = allocate_kdf_memory;
    context.free_cbk = free_kdf_memory;
    context.flags = ARGON2_DEFAULT_FLAGS;
    int rc = argon2_ctx(&context, Argon2_id);
    if (rc != ARGON2_OK) {
        throw Error("kdf_failed", std::string("argon2id key derivation failed: ") + argon2_error_message(rc),
                    {{"argon2_code", rc}});
    }
    JoinKey key(bytes);
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return key;
}

std::string sign(const JoinKey& key, std::string_view body) {
    static constexpr char digits[] = "0123456789abcdef";
    Mac mac = hmac_sha256(key, body);
    std::string out;
    out.reserve(mac.size() * 2);
    for (unsigned char byte : mac) {
        out += digits[byte >> 4];
        out += digits[byte & 0xf];
    }
    return out;
}

bool verify(const JoinKey& key, std::string_view body, std::string_view mac_hex) {
    std::optional<Mac> presented = parse_mac(mac_hex);
    if (!presented) return false;
    Mac expected = hmac_sha256(key, body);
    return CRYPTO_memcmp(expected.data(), presented->data(), expected.size()) == 0;
}

}  // namespace microcloud::host::trust
