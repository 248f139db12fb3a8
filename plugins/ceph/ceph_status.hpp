// plugins/ceph/ceph_status.hpp - asks a configured cluster for its status
// (`ceph --connect-timeout 3 -s --format json`) and summarises the answer.
#pragma once

#include <microcloud/sdk/plugin.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::plugins::ceph {

// Seconds the ceph client waits for a monitor.
inline constexpr int kConnectTimeoutSeconds = 3;

// The argv for the status query against the given config (and keyring, when not empty).
std::vector<std::string> ceph_status_argv(const std::string& ceph, const std::string& conf_path,
                                          const std::string& cluster, const std::string& keyring);

// A summary of `ceph -s --format json` output:
// {"reachable":true, "status":"HEALTH_OK", "checks":{name: message}, "fsid", "quorum":[names],
//  "mons":N, "osds":{"total","up","in"}, "mgr_available":bool}. Missing fields are null.
// nullopt when the text is not a status document.
std::optional<sdk::Json> summarise_ceph_status(std::string_view output);
// The same summary of a status document already parsed (nullopt when it is not one).
std::optional<sdk::Json> summarise_status_document(const sdk::Json& status);

// The JSON documents in what one `ceph --format json` that read several commands from stdin
// printed: one line each, blank lines between; lines that are not JSON are left out.
std::vector<sdk::Json> json_documents(std::string_view output);

// The first object among `documents` that has `key` (e.g. "health" for `status`, "nodes" for
// `osd tree`), or null.
sdk::Json document_with(const std::vector<sdk::Json>& documents, const std::string& key);

// What runs for Ceph on one member, as its marker and the OSD tree say.
struct MemberDaemons {
    std::string member;
    bool mon = false;  // with its mgr
    bool mds = false;
    std::size_t osds = 0;
    std::size_t osds_up = 0;
    bool osds_known = true;  // false when the OSD tree could not be read
};

// This member's row in `microcloud service list`: {"role": "mon", "mgr", "mds", "osd" as they run
// here (one per line), "status": "ONLINE", or what is wrong (its mon out of the quorum, OSDs
// down, the cluster not answering)}. `summary` is summarise_status_document's, or null when the
// cluster did not answer.
sdk::Json service_row(const MemberDaemons& here, const sdk::Json& summary);

}  // namespace microcloud::plugins::ceph
