// tests/fuzz/preseed_fuzz.cpp - fuzzes the preseed YAML: parse_preseed, then, on what parses,
// validate_preseed for a fixed machine and the disk filter expressions (storage.*[].find) matched
// against one fixed disk.
#include "common/error.hpp"
#include "formation/disk_filter.hpp"
#include "formation/preseed.hpp"
#include "fuzz_input.hpp"

#include <yaml-cpp/exceptions.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>

namespace {

using namespace microcloud::host;
using namespace microcloud::host::formation;

const LocalContext kLocal{"m1", {"10.0.0.11", "fd00::11"}, false};

// One disk as host/system/disks.cpp reports it.
const nlohmann::json kDisk = {{"name", "vdb"},
                              {"device_id", "virtio-disk1"},
                              {"device_path", "pci-0000:00:05.0"},
                              {"model", "QEMU HARDDISK"},
                              {"type", "virtio"},
                              {"serial", "disk1"},
                              {"wwn", ""},
                              {"size", 21474836480},
                              {"block_size", 512},
                              {"read_only", false},
                              {"removable", false},
                              {"in_use", false}};

void check_filters(const std::vector<DiskFilter>& filters) {
    for (const DiskFilter& filter : filters) {
        try {
            (void)DiskFilterExpression::parse(filter.find).matches(kDisk);
        } catch (const Error&) {
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const Preseed preseed = parse_preseed(std::string(microcloud::fuzz::as_text(data, size)), {"fan"});
        try {
            (void)validate_preseed(preseed, kLocal);
        } catch (const Error&) {
        }
        check_filters(preseed.local_filters);
        check_filters(preseed.ceph_filters);
        (void)preseed.document.dump();
    } catch (const Error&) {
    } catch (const YAML::Exception&) {
    } catch (const nlohmann::json::exception&) {
    }
    return 0;
}
