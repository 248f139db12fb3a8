// tests/unit/trust/truststore_test.cpp - add/find/remove/verify, persistence and reload, rejections, and
// concurrent use of the truststore.
#include "trust/truststore.hpp"

#include "common/error.hpp"
#include "trust/atomic_file.hpp"
#include "trust/certificate.hpp"
#include "trust_test_support.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace microcloud::host::trust {
namespace {

TrustedPeer peer(const std::string& name, const std::string& certificate_pem) {
    return {name, "10.0.0.9:9443", "voter", certificate_pem, ""};
}

std::string expect_error_code(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        return e.code();
    }
    ADD_FAILURE() << "expected an Error";
    return "";
}

TEST(Truststore, InMemoryAddFindVerifyRemove) {
    Truststore store;
    EXPECT_FALSE(store.persistent());
    std::string cert = generate_self_signed("m2", {}).certificate_pem;
    TrustedPeer added = store.add(peer("m2", cert));
    EXPECT_EQ(added.fingerprint, fingerprint(cert));

    ASSERT_TRUE(store.find_by_name("m2"));
    EXPECT_EQ(store.find_by_fingerprint(added.fingerprint)->name, "m2");
    ASSERT_TRUE(store.verify_peer(cert));
    EXPECT_EQ(store.verify_peer(cert)->address, "10.0.0.9:9443");
    EXPECT_FALSE(store.verify_peer(generate_self_signed("m2", {}).certificate_pem));
    EXPECT_FALSE(store.verify_peer("not a certificate"));

    EXPECT_TRUE(store.remove("m2"));
    EXPECT_FALSE(store.remove("m2"));
    EXPECT_FALSE(store.verify_peer(cert));
    EXPECT_EQ(store.size(), 0u);
}

TEST(Truststore, PersistsOneYamlFilePerPeerAndReloads) {
    test::ScratchDir dir;
    std::string cert2 = generate_self_signed("m2", {}).certificate_pem;
    std::string cert3 = generate_self_signed("m3", {}).certificate_pem;
    {
        Truststore store(dir.path() / "truststore");
        store.add(peer("m3", cert3));
        store.add(peer("m2", cert2));
    }
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "truststore" / "m2.yaml"));
    EXPECT_NE(read_whole_file(dir.path() / "truststore" / "m2.yaml").find("certificate: |"), std::string::npos);

    Truststore reopened(dir.path() / "truststore");
    std::vector<TrustedPeer> peers = reopened.list();
    ASSERT_EQ(peers.size(), 2u);
    EXPECT_EQ(peers[0].name, "m2");
    EXPECT_EQ(peers[1].name, "m3");
    EXPECT_EQ(peers[0].certificate_pem, cert2);
    EXPECT_EQ(peers[0].role, "voter");
    EXPECT_EQ(peers[0].fingerprint, fingerprint(cert2));

    EXPECT_TRUE(reopened.remove("m3"));
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "truststore" / "m3.yaml"));
    Truststore again(dir.path() / "truststore");
    EXPECT_EQ(again.size(), 1u);
}

TEST(Truststore, ReadsJsonEntriesAndReloadPicksUpNewFiles) {
    test::ScratchDir dir;
    Truststore store(dir.path());
    std::string cert = generate_self_signed("m4", {}).certificate_pem;
    nlohmann::json entry = {{"name", "m4"}, {"address", "10.0.0.4:9443"}, {"role", "spare"}, {"certificate", cert}};
    write_file_atomically(dir.path() / "m4.json", entry.dump(), 0644);
    EXPECT_FALSE(store.find_by_name("m4"));
    store.reload();
    ASSERT_TRUE(store.find_by_name("m4"));
    EXPECT_EQ(store.find_by_name("m4")->role, "spare");
    EXPECT_TRUE(store.remove("m4"));
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "m4.json"));
}

TEST(Truststore, RejectsDuplicatesAndBadNames) {
    Truststore store;
    std::string cert = generate_self_signed("m2", {}).certificate_pem;
    store.add(peer("m2", cert));
    EXPECT_EQ(expect_error_code([&] { store.add(peer("m2", generate_self_signed("m2", {}).certificate_pem)); }),
              "peer_exists");
    try {
        store.add(peer("other", cert));
        FAIL() << "expected fingerprint_exists";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "fingerprint_exists");
        EXPECT_STREQ(e.what(), "Fingerprint already exists");
    }
    for (const char* bad : {"", "../m5", "a/b", ".hidden", "-x", "with space"}) {
        EXPECT_EQ(expect_error_code([&] { store.add(peer(bad, generate_self_signed("z", {}).certificate_pem)); }),
                  "invalid_peer_name")
            << bad;
    }
    EXPECT_EQ(expect_error_code([&] { store.add(peer("m6", "garbage")); }), "invalid_certificate");
    EXPECT_EQ(store.size(), 1u);
}

TEST(Truststore, RejectsUnreadableEntryNamingTheFile) {
    test::ScratchDir dir;
    write_file_atomically(dir.path() / "m7.yaml", "name: m7\ncertificate: nope\n", 0644);
    try {
        Truststore store(dir.path());
        FAIL() << "expected truststore_invalid";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "truststore_invalid");
        EXPECT_NE(std::string(e.what()).find("m7.yaml"), std::string::npos);
    }
}

TEST(Truststore, RejectsEntryWhoseFieldsAreNotStringsOrWhoseNameDiffers) {
    test::ScratchDir dir;
    std::string cert = generate_self_signed("m8", {}).certificate_pem;
    nlohmann::json nested = {{"name", {{"a", 1}}}, {"certificate", cert}};
    write_file_atomically(dir.path() / "m8.json", nested.dump(), 0644);
    EXPECT_EQ(expect_error_code([&] { Truststore store(dir.path()); }), "truststore_invalid");
    nlohmann::json renamed = {{"name", "other"}, {"certificate", cert}};
    write_file_atomically(dir.path() / "m8.json", renamed.dump(), 0644);
    EXPECT_EQ(expect_error_code([&] { Truststore store(dir.path()); }), "truststore_invalid");
}

TEST(Truststore, ConcurrentAddsAndLookupsAreSafe) {
    test::ScratchDir dir;
    Truststore store(dir.path());
    const std::vector<std::string> names = {"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7"};
    std::vector<std::string> certs;
    for (const std::string& name : names) certs.push_back(generate_self_signed(name, {}).certificate_pem);
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            store.add(peer(names[i], certs[i]));
            for (int j = 0; j < 50; ++j) {
                store.list();
                store.verify_peer(certs[(i + j) % certs.size()]);
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(store.size(), 8u);
    EXPECT_EQ(Truststore(dir.path()).size(), 8u);
}

}  // namespace
}  // namespace microcloud::host::trust
