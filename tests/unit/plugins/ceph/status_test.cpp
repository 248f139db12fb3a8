// tests/unit/plugins/ceph/status_test.cpp - the `ceph -s --format json` query and the summary
// of its answer (documents shaped as Pacific writes them; older releases nest osdmap).
#include "ceph_status.hpp"

#include <gtest/gtest.h>

namespace ceph = microcloud::plugins::ceph;
using microcloud::sdk::Json;

namespace {

constexpr const char* kPacificWarn = R"({
  "fsid": "11111111-2222-3333-4444-555555555555",
  "health": {"status": "HEALTH_WARN",
             "checks": {"MON_DOWN": {"severity": "HEALTH_WARN",
                                     "summary": {"message": "1/3 mons down, quorum a,b", "count": 1}, "muted": false},
                        "OSD_DOWN": {"severity": "HEALTH_WARN",
                                     "summary": {"message": "1 osds down", "count": 1}, "muted": false}},
             "mutes": []},
  "election_epoch": 12, "quorum": [0, 1], "quorum_names": ["a", "b"], "quorum_age": 30,
  "monmap": {"epoch": 3, "min_mon_release_name": "pacific", "num_mons": 3},
  "osdmap": {"epoch": 20, "num_osds": 3, "num_up_osds": 2, "osd_up_since": 1700000000, "num_in_osds": 3,
             "osd_in_since": 1700000000, "num_remapped_pgs": 0},
  "pgmap": {"pgs_by_state": [], "num_pgs": 1},
  "fsmap": {"epoch": 1, "by_rank": [], "up:standby": 0},
  "mgrmap": {"available": true, "num_standbys": 0, "modules": ["iostat"], "services": {}},
  "servicemap": {"epoch": 1, "modified": "0.000000", "services": {}},
  "progress_events": {}
})";

constexpr const char* kOctopusOk = R"({
  "fsid": "f", "health": {"status": "HEALTH_OK", "checks": {}, "mutes": []},
  "quorum_names": ["m1"], "monmap": {"num_mons": 1},
  "osdmap": {"osdmap": {"epoch": 5, "num_osds": 1, "num_up_osds": 1, "num_in_osds": 1, "full": false}},
  "mgrmap": {"available": false}
})";

}  // namespace

TEST(CephStatus, ArgvNamesConfigClusterKeyringAndTimeout) {
    EXPECT_EQ(ceph::ceph_status_argv("/usr/bin/ceph", "/lab/etc/lab.conf", "lab", "/lab/etc/lab.client.admin.keyring"),
              (std::vector<std::string>{"/usr/bin/ceph", "--conf", "/lab/etc/lab.conf", "--cluster", "lab", "--keyring",
                                        "/lab/etc/lab.client.admin.keyring", "--connect-timeout", "3", "-s", "--format",
                                        "json"}));
    auto without_keyring = ceph::ceph_status_argv("ceph", "/etc/ceph/ceph.conf", "ceph", "");
    EXPECT_EQ(std::count(without_keyring.begin(), without_keyring.end(), "--keyring"), 0);
}

TEST(CephStatus, SummarisesAPacificStatus) {
    auto summary = ceph::summarise_ceph_status(kPacificWarn);
    ASSERT_TRUE(summary);
    EXPECT_EQ((*summary)["reachable"], true);
    EXPECT_EQ((*summary)["status"], "HEALTH_WARN");
    EXPECT_EQ((*summary)["checks"]["MON_DOWN"], "1/3 mons down, quorum a,b");
    EXPECT_EQ((*summary)["checks"]["OSD_DOWN"], "1 osds down");
    EXPECT_EQ((*summary)["fsid"], "11111111-2222-3333-4444-555555555555");
    EXPECT_EQ((*summary)["quorum"], (Json{"a", "b"}));
    EXPECT_EQ((*summary)["mons"], 3);
    EXPECT_EQ((*summary)["osds"], (Json{{"total", 3}, {"up", 2}, {"in", 3}}));
    EXPECT_EQ((*summary)["mgr_available"], true);
}

TEST(CephStatus, SummarisesANestedOsdmap) {
    auto summary = ceph::summarise_ceph_status(kOctopusOk);
    ASSERT_TRUE(summary);
    EXPECT_EQ((*summary)["status"], "HEALTH_OK");
    EXPECT_TRUE((*summary)["checks"].empty());
    EXPECT_EQ((*summary)["osds"], (Json{{"total", 1}, {"up", 1}, {"in", 1}}));
    EXPECT_EQ((*summary)["mgr_available"], false);
}

TEST(CephStatus, RejectsOtherOutput) {
    EXPECT_FALSE(ceph::summarise_ceph_status(""));
    EXPECT_FALSE(ceph::summarise_ceph_status("timed out"));
    EXPECT_FALSE(ceph::summarise_ceph_status(R"({"fsid":"x"})"));
    auto sparse = ceph::summarise_ceph_status(R"({"health":{}})");
    ASSERT_TRUE(sparse);
    EXPECT_TRUE((*sparse)["status"].is_null());
    EXPECT_TRUE((*sparse)["osds"]["total"].is_null());
}

TEST(CephStatus, DocumentsOfOneCephThatReadSeveralCommands) {
    // As `printf 'status\nosd tree\n' | ceph --format json` prints them: one line each, blank lines
    // between; a command that failed prints nothing here (its error goes to stderr).
    const std::string output = std::string(Json::parse(kPacificWarn).dump()) + "\n\n" +
                               R"({"nodes":[{"id":-1,"name":"default","type":"root"}],"stray":[]})" + "\n\n\n";
    const auto documents = ceph::json_documents(output);
    ASSERT_EQ(documents.size(), 2u);
    EXPECT_EQ(ceph::document_with(documents, "health").at("fsid"), "11111111-2222-3333-4444-555555555555");
    EXPECT_EQ(ceph::document_with(documents, "nodes").at("nodes").size(), 1u);
    EXPECT_TRUE(ceph::document_with(documents, "mons").is_null());
    // The parsed document summarises as its text does.
    EXPECT_EQ(ceph::summarise_status_document(ceph::document_with(documents, "health")),
              ceph::summarise_ceph_status(kPacificWarn));
    EXPECT_FALSE(ceph::summarise_status_document(ceph::document_with(documents, "mons")));
    EXPECT_TRUE(ceph::json_documents("Error initializing cluster client: timed out\n").empty());
    EXPECT_TRUE(ceph::json_documents("").empty());
}

TEST(CephServiceRow, RolesAsTheyRunHereAndOnlineWhenAllIsWell) {
    const Json summary{{"quorum", {"m1", "m2", "m3"}}};
    const Json row = ceph::service_row({"m2", true, true, 2, 2}, summary);
    EXPECT_EQ(row["role"], "mon\nmgr\nmds\nosd");
    EXPECT_EQ(row["status"], "ONLINE");
    EXPECT_EQ(ceph::service_row({"m4", false, false, 1, 1}, summary)["role"], "osd");
}

TEST(CephServiceRow, SaysWhatIsWrong) {
    const Json summary{{"quorum", {"m1", "m3"}}};
    EXPECT_EQ(ceph::service_row({"m2", true, false, 2, 1}, summary)["status"], "mon out of quorum; 1 of 2 OSDs down");
    EXPECT_EQ(ceph::service_row({"m2", true, false, 1, 1}, nullptr)["status"], "cluster does not answer");
    EXPECT_EQ(ceph::service_row({"m2", true, false, 2, 0, false}, summary)["status"], "mon out of quorum; OSD state unknown");
}
