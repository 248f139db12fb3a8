// plugins/lxd/offline_reset.cpp - set_cluster_state_aside: renames within LXD's directory.
#include "offline_reset.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <ctime>
#include <filesystem>
#include <system_error>

namespace microcloud::plugins::lxd {

namespace fs = std::filesystem;

std::string set_cluster_state_aside(const std::string& lxd_dir) {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    const fs::path aside = fs::path(lxd_dir) / (std::string("microcloud-rollback-") + stamp);
    std::error_code ec;
    if (!fs::is_directory(fs::path(lxd_dir) / "database", ec))
        throw sdk::Error("teardown_incomplete", "there is no LXD database in " + lxd_dir +
                                                    " to set aside: LXD's cluster state stays as the join left it");
    fs::create_directory(aside, ec);
    if (ec)
        throw sdk::Error("teardown_incomplete", "cannot make " + aside.string() + " to set LXD's cluster state aside: " +
                                                    ec.message());
    for (const char* name : {"database", "cluster.crt", "cluster.key"}) {
        const fs::path from = fs::path(lxd_dir) / name;
        if (!fs::exists(from, ec)) continue;
        fs::rename(from, aside / name, ec);
        if (ec)
            throw sdk::Error("teardown_incomplete", "cannot move " + from.string() + " to " + aside.string() + ": " +
                                                        ec.message());
    }
    return aside.string();
}

}  // namespace microcloud::plugins::lxd
