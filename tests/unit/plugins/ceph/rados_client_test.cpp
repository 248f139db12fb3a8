// tests/unit/plugins/ceph/rados_client_test.cpp - librados loaded at run time: a missing or foreign
// library is refused with the loader's reason; against a stand-in library (fake_rados.c) commands
// answer JSON documents, failures name the command, the step and the config, a working connection
// is kept until its config file changes or it stops answering, and every other handle is shut down.
#include "rados_client.hpp"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace ceph = microcloud::plugins::ceph;
using microcloud::sdk::Json;

namespace {

class RadosClient : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        library_ = ceph::RadosLibrary::load(FAKE_RADOS_PATH, why);
        ASSERT_NE(library_, nullptr) << why;
        void* self = dlopen(FAKE_RADOS_PATH, RTLD_NOW | RTLD_NOLOAD);
        ASSERT_NE(self, nullptr);
        open_handles_ = reinterpret_cast<int (*)()>(dlsym(self, "fake_rados_open_handles"));
        connects_ = reinterpret_cast<int (*)()>(dlsym(self, "fake_rados_connects"));
        commands_ = reinterpret_cast<int (*)()>(dlsym(self, "fake_rados_commands"));
        break_connections_ = reinterpret_cast<void (*)()>(dlsym(self, "fake_rados_break_connections"));
        dlclose(self);
        ASSERT_NE(open_handles_, nullptr);
        ASSERT_NE(connects_, nullptr);
        ASSERT_NE(commands_, nullptr);
        ASSERT_NE(break_connections_, nullptr);
        dir_ = std::filesystem::temp_directory_path() / ("rados-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        kept_.drop();
        EXPECT_EQ(open_handles_(), 0);
        std::filesystem::remove_all(dir_);
    }

    std::string conf(const std::string& first_line) {
        const auto path = dir_ / "ceph.conf";
        std::ofstream(path) << first_line << "\n[global]\n";
        return path.string();
    }

    std::shared_ptr<const ceph::RadosLibrary> library_;
    ceph::KeptRadosConnection kept_;
    int (*open_handles_)() = nullptr;
    int (*connects_)() = nullptr;
    int (*commands_)() = nullptr;
    void (*break_connections_)() = nullptr;
    std::filesystem::path dir_;
};

const std::vector<Json> kStatusAndTree = {{{"prefix", "status"}, {"format", "json"}},
                                          {{"prefix", "osd tree"}, {"format", "json"}}};

}  // namespace

TEST(RadosLibraryLoad, MissingLibraryIsRefusedWithTheLoadersReason) {
    std::string why;
    EXPECT_EQ(ceph::RadosLibrary::load("librados-not-here.so.9", why), nullptr);
    EXPECT_NE(why.find("librados-not-here.so.9"), std::string::npos) << why;
}

TEST(RadosLibraryLoad, LibraryWithoutTheEntryPointsIsRefused) {
    std::string why;
    EXPECT_EQ(ceph::RadosLibrary::load("libm.so.6", why), nullptr);
    EXPECT_NE(why.find("libm.so.6: it has no rados_create2"), std::string::npos) << why;
}

TEST_F(RadosClient, CommandsAnswerTheirDocumentsInOrder) {
    std::string failure;
    const auto documents = kept_.documents(library_, {conf("answer"), "ceph"}, kStatusAndTree, failure);
    ASSERT_EQ(documents.size(), 2u);
    EXPECT_EQ(documents[0]["health"]["status"], "HEALTH_OK");
    EXPECT_EQ(documents[1]["nodes"][0]["name"], "osd.0");
    EXPECT_EQ(failure, "");
}

TEST_F(RadosClient, AWorkingConnectionIsKeptForTheNextCall) {
    const std::string path = conf("answer");
    const int connected_before = connects_();
    for (int call = 0; call < 3; ++call) {
        std::string failure;
        const auto documents = kept_.documents(library_, {path, "ceph"}, kStatusAndTree, failure);
        EXPECT_EQ(documents[0]["health"]["status"], "HEALTH_OK");
        EXPECT_EQ(failure, "");
    }
    EXPECT_EQ(connects_() - connected_before, 1);
    EXPECT_EQ(open_handles_(), 1);
}

TEST_F(RadosClient, AChangedConfigFileConnectsAgain) {
    std::string failure;
    kept_.documents(library_, {conf("answer"), "ceph"}, kStatusAndTree, failure);
    const int connected_before = connects_();
    conf("answer, and a longer first line: the file differs in size");
    kept_.documents(library_, {(dir_ / "ceph.conf").string(), "ceph"}, kStatusAndTree, failure);
    EXPECT_EQ(failure, "");
    EXPECT_EQ(connects_() - connected_before, 1);
    EXPECT_EQ(open_handles_(), 1);
}

TEST_F(RadosClient, AKeptConnectionThatStoppedAnsweringIsReplaced) {
    const std::string path = conf("answer");
    std::string failure;
    kept_.documents(library_, {path, "ceph"}, kStatusAndTree, failure);
    break_connections_();
    const int connected_before = connects_();
    const auto documents = kept_.documents(library_, {path, "ceph"}, kStatusAndTree, failure);
    EXPECT_EQ(failure, "");
    EXPECT_EQ(documents[0]["health"]["status"], "HEALTH_OK");
    EXPECT_EQ(documents[1]["nodes"][0]["name"], "osd.0");
    EXPECT_EQ(connects_() - connected_before, 1);
    EXPECT_EQ(open_handles_(), 1);
}

TEST_F(RadosClient, AConnectionWithAFailedCommandIsNotKept) {
    const std::string path = conf("answer");
    std::string failure;
    kept_.documents(library_, {path, "ceph"}, {{{"prefix", "mon dump"}}}, failure);
    EXPECT_NE(failure, "");
    EXPECT_EQ(open_handles_(), 0);
}

TEST_F(RadosClient, CommandsAfterATimeOutAreNotSent) {
    std::string failure;
    const int sent_before = commands_();
    const auto documents = kept_.documents(
        library_, {conf("answer"), "ceph"}, {{{"prefix", "hang"}}, kStatusAndTree[0], kStatusAndTree[1]}, failure);
    ASSERT_EQ(documents.size(), 3u);
    EXPECT_TRUE(documents[0].is_null());
    EXPECT_TRUE(documents[1].is_null());
    EXPECT_TRUE(documents[2].is_null());
    EXPECT_EQ(commands_() - sent_before, 1);
    EXPECT_NE(failure.find("`hang` failed: "), std::string::npos) << failure;
    EXPECT_NE(failure.find("(-110)"), std::string::npos) << failure;
}

TEST_F(RadosClient, AFailedCommandIsNullAndNamed) {
    std::string failure;
    const auto documents = kept_.documents(
        library_, {conf("answer"), "ceph"}, {{{"prefix", "mon dump"}, {"format", "json"}}, kStatusAndTree[0]}, failure);
    ASSERT_EQ(documents.size(), 2u);
    EXPECT_TRUE(documents[0].is_null());
    EXPECT_TRUE(documents[1].is_object());
    EXPECT_NE(failure.find("`mon dump` failed: "), std::string::npos) << failure;
    EXPECT_NE(failure.find("(-22) command not known"), std::string::npos) << failure;
}

TEST_F(RadosClient, NoMonitorNamesTheStepAndTheConfigAndShutsTheHandleDown) {
    const std::string path = conf("refuse");
    try {
        std::string failure;
        kept_.documents(library_, {path, "ceph"}, kStatusAndTree, failure);
        FAIL() << "connected to a cluster that refuses";
    } catch (const microcloud::sdk::Error& e) {
        EXPECT_EQ(e.code(), "ceph_unreachable");
        const std::string text = e.what();
        EXPECT_NE(text.find("could not reach a monitor (config " + path + ", cluster \"ceph\", as client.admin)"),
                  std::string::npos)
            << text;
        EXPECT_NE(text.find("(-110)"), std::string::npos) << text;
    }
    EXPECT_EQ(open_handles_(), 0);
}

TEST_F(RadosClient, AMissingConfigFileIsNamed) {
    try {
        std::string failure;
        kept_.documents(library_, {(dir_ / "absent.conf").string(), "ceph"}, kStatusAndTree, failure);
        FAIL() << "read a config file that does not exist";
    } catch (const microcloud::sdk::Error& e) {
        EXPECT_NE(std::string(e.what()).find("could not read the config file"), std::string::npos) << e.what();
    }
    EXPECT_EQ(open_handles_(), 0);
}
