// tests/fuzz/join_fuzz.cpp - fuzzes what a stranger sends to join: the membership join token, the
// HMAC proof check (verify under a fixed key), the sealed trust-session envelope and its payload, and
// the fields of a join request body (freshness, member address, certificate PEM).
// The first byte picks the parser ('0' token, '1' proof, '2' envelope, '3' sealed payload, '4' body);
// the rest is its input. For '1' the first line is the MAC and the rest the body.
#include "common/error.hpp"
#include "formation/session_messages.hpp"
#include "fuzz_input.hpp"
#include "membership/join_token.hpp"
#include "membership/member_file.hpp"
#include "transport/peer_server.hpp"
#include "trust/certificate.hpp"
#include "trust/join_freshness.hpp"
#include "trust/join_proof.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>

using namespace microcloud::host;
using microcloud::fuzz::require;
using nlohmann::json;

namespace {

const trust::JoinKey kKey(std::array<unsigned char, trust::join_key_size>{
    0x6d, 0x69, 0x63, 0x72, 0x6f, 0x63, 0x6c, 0x6f, 0x75, 0x64, 0x2d, 0x66, 0x75, 0x7a, 0x7a, 0x2d,
    0x6a, 0x6f, 0x69, 0x6e, 0x2d, 0x6b, 0x65, 0x79, 0x2d, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36});

// The clock the freshness checks run at: the seeds' timestamps are near it.
const std::chrono::system_clock::time_point kNow{std::chrono::seconds(1700000000)};

void token(std::string_view text) {
    const membership::JoinTokenText decoded = membership::decode_join_token(std::string(text));
    require(membership::decode_join_token(membership::encode_join_token(decoded)) == decoded);
}

void proof(std::string_view text) {
    const auto [mac, body] = microcloud::fuzz::split_line(text);
    (void)trust::verify(kKey, body, mac);
    require(trust::verify(kKey, body, trust::sign(kKey, body)));
}

void payload_fields(const json& payload) {
    try {
        (void)formation::intent_from_json(payload);
    } catch (const Error&) {
    }
    try {
        (void)formation::answer_from_json(payload);
    } catch (const Error&) {
    }
}

void envelope(std::string_view text) {
    trust::FreshnessGuard guard;
    payload_fields(formation::open_sealed(kKey, std::string(text), guard));
}

// `text` (made valid UTF-8) as the payload of an envelope with a correct MAC.
void sealed(std::string_view text) {
    const std::string quoted = json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
    const std::string payload = json::parse(quoted).get<std::string>();
    const std::string wire = json{{"payload", payload}, {"mac", trust::sign(kKey, payload)}}.dump();
    trust::FreshnessGuard guard;
    try {
        payload_fields(formation::open_sealed(kKey, wire, guard));
    } catch (const Error& error) {
        require(error.code() != "session_wrong_passphrase");
    }
}

// The fields a join request (POST /1.0/cluster/join, /1.0/session/join) is read for.
void body(std::string_view text) {
    const json doc = json::parse(text, nullptr, false);
    if (!doc.is_object()) return;
    try {
        trust::FreshnessGuard guard;
        guard.check(doc, kNow);
    } catch (const Error&) {
    }
    payload_fields(doc);
    if (doc.contains("address") && doc["address"].is_string()) {
        try {
            (void)membership::normalise_member_address(doc["address"].get<std::string>(), transport::kDefaultPeerPort);
        } catch (const Error&) {
        }
    }
    if (doc.contains("certificate") && doc["certificate"].is_string()) {
        try {
            (void)trust::fingerprint(doc["certificate"].get<std::string>());
        } catch (const Error&) {
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view rest = microcloud::fuzz::as_text(data + 1, size - 1);
    try {
        switch ((data[0] - '0' + 500) % 5) {
            case 0:
                token(rest);
                break;
            case 1:
                proof(rest);
                break;
            case 2:
                envelope(rest);
                break;
            case 3:
                sealed(rest);
                break;
            default:
                body(rest);
                break;
        }
    } catch (const Error&) {
    } catch (const json::exception&) {
    }
    return 0;
}
