// tests/unit/formation/session_test.cpp - the initiator's session in process: a sealed request with
// the right passphrase gets a sealed token; a wrong one is "Invalid HMAC" and enough of them stop the
// session (which then says it gave up); upstream's refusals for unselected peers, missing services
// and version mismatches; a replayed request is refused; the answer proves the initiator knows the
// passphrase.
#include "formation/initiator_session.hpp"
#include "formation/session_messages.hpp"

#include "api/envelope.hpp"
#include "common/error.hpp"
#include "trust/certificate.hpp"

#include <gtest/gtest.h>

namespace microcloud::host::formation {
namespace {

const std::string kInitiatorFingerprint(64, 'a');

struct Joiner {
    std::string name;
    trust::CertificateAndKey cert = trust::generate_self_signed(name, {});
    std::map<std::string, std::string> services{{"lxd", "1.0.0"}};

    transport::PeerRequest request(const trust::JoinKey& key) const {
        transport::PeerRequest r;
        r.method = "POST";
        r.path = "/1.0/session/join";
        r.remote_address = "10.0.0.12:40000";
        r.client = transport::PeerCertificate{cert.certificate_pem, trust::fingerprint(cert.certificate_pem)};
        r.body = seal(key, to_json(JoinIntent{name, "0.3.0", "10.0.0.12:9443", cert.certificate_pem, services}));
        return r;
    }
};

std::string error_of(InitiatorSession& session, const transport::PeerRequest& request) {
    try {
        session.handle(request);
    } catch (const Error& error) {
        return error.code() + ": " + error.what();
    }
    return "accepted";
}

class Session : public ::testing::Test {
protected:
    SessionOptions options(std::size_t max_failures = 50) {
        SessionOptions o;
        o.passphrase = "cat dog cow pig";
        o.fingerprint = kInitiatorFingerprint;
        o.name = "m1";
        o.address = "10.0.0.11:9443";
        o.expected = {"m2", "m3"};
        o.services = {{"lxd", "1.0.0"}};
        o.admit = [this](const JoinIntent& intent) {
            admitted.push_back(intent.name);
            return "token-for-" + intent.name;
        };
        o.max_failures = max_failures;
        return o;
    }
    static const trust::JoinKey& right() {
        static const trust::JoinKey key = trust::derive_join_key("cat dog cow pig", kInitiatorFingerprint);
        return key;
    }
    static const trust::JoinKey& wrong() {
        static const trust::JoinKey key = trust::derive_join_key("pig cow dog cat", kInitiatorFingerprint);
        return key;
    }
    std::vector<std::string> admitted;
};

TEST_F(Session, RightPassphraseGetsASealedToken) {
    InitiatorSession session(options());
    const transport::PeerResponse response = session.handle(Joiner{"m2"}.request(right()));
    const nlohmann::json metadata = api::unwrap(response.status, response.body);
    trust::FreshnessGuard guard;
    const JoinAnswer answer = answer_from_json(open_sealed(right(), metadata.at("sealed"), guard));
    EXPECT_EQ(answer.name, "m1");
    EXPECT_EQ(answer.token, "token-for-m2");
    EXPECT_EQ(admitted, std::vector<std::string>{"m2"});
    // A joiner holding another passphrase cannot read the answer as genuine.
    trust::FreshnessGuard other;
    EXPECT_THROW(open_sealed(wrong(), metadata.at("sealed"), other), Error);
}

TEST_F(Session, WrongPassphraseIsInvalidHmacAndStopsTheSessionAtTheLimit) {
    InitiatorSession session(options(3));
    const Joiner m2{"m2"};
    EXPECT_EQ(error_of(session, m2.request(wrong())), "session_forbidden: Invalid HMAC");
    EXPECT_EQ(error_of(session, m2.request(wrong())), "session_forbidden: Invalid HMAC");
    EXPECT_EQ(error_of(session, m2.request(wrong())),
              "session_stopped: Stopping session after too many failed attempts");
    EXPECT_NE(error_of(session, m2.request(right())).find("session_stopped"), std::string::npos);
    EXPECT_TRUE(admitted.empty());
}

TEST_F(Session, GaveUpNamesWhyOnlyWhenTheSessionStoppedItself) {
    InitiatorSession session(options(2));
    const Joiner m2{"m2"};
    EXPECT_EQ(session.gave_up(), "");
    EXPECT_EQ(error_of(session, m2.request(wrong())), "session_forbidden: Invalid HMAC");
    EXPECT_EQ(session.gave_up(), "");
    EXPECT_EQ(error_of(session, m2.request(wrong())),
              "session_stopped: Stopping session after too many failed attempts");
    EXPECT_EQ(session.gave_up(), "Stopping session after too many failed attempts");
    session.stop("Initiator aborted the setup");  // the first reason stays
    EXPECT_EQ(session.gave_up(), "Stopping session after too many failed attempts");

    InitiatorSession ended(options(2));
    ended.stop("Initiator aborted the setup");
    EXPECT_EQ(error_of(ended, m2.request(wrong())),
              "session_stopped: The session is over: Initiator aborted the setup");
    EXPECT_EQ(ended.gave_up(), "");
}

TEST_F(Session, UpstreamRefusals) {
    InitiatorSession session(options());
    EXPECT_NE(error_of(session, Joiner{"m9"}.request(right())).find("Rejecting peer \"m9\""), std::string::npos);
    Joiner bare{"m2"};
    bare.services.clear();
    EXPECT_NE(error_of(session, bare.request(right())).find("Rejecting peer \"m2\" due to missing services (lxd)"),
              std::string::npos);
    Joiner old{"m2"};
    old.services["lxd"] = "0.9.0";
    EXPECT_NE(error_of(session, old.request(right()))
                  .find("Rejecting peer \"m2\" due to invalid lxd version. (Want: \"1.0.0\", Detected: \"0.9.0\")"),
              std::string::npos);
    EXPECT_TRUE(admitted.empty());
}

TEST_F(Session, ReplaysAndSharedCertificatesAreRefused) {
    InitiatorSession session(options());
    const Joiner m2{"m2"};
    const transport::PeerRequest once = m2.request(right());
    session.handle(once);
    EXPECT_NE(error_of(session, once).find("proof_replayed"), std::string::npos);
    Joiner m3{"m3"};
    m3.cert = m2.cert;
    EXPECT_EQ(error_of(session, m3.request(right())), "fingerprint_exists: Fingerprint already exists");
}

TEST_F(Session, SecondSystemWithTheSameNameIsRefused) {
    InitiatorSession session(options());
    session.handle(Joiner{"m2"}.request(right()));
    EXPECT_EQ(error_of(session, Joiner{"m2"}.request(right())), "member_exists: Duplicate system name \"m2\"");
    EXPECT_EQ(admitted, std::vector<std::string>{"m2"});
}

TEST_F(Session, WaitsForEveryExpectedSystem) {
    InitiatorSession session(options());
    session.handle(Joiner{"m2"}.request(right()));
    const auto soon = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
    EXPECT_EQ(session.wait_for_all(soon), (std::set<std::string>{"m2"}));
    session.handle(Joiner{"m3"}.request(right()));
    EXPECT_EQ(session.wait_for_all(std::chrono::steady_clock::now() + std::chrono::seconds(5)),
              (std::set<std::string>{"m2", "m3"}));
}

}  // namespace
}  // namespace microcloud::host::formation
