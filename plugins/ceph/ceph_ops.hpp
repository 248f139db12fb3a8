// plugins/ceph/ceph_ops.hpp - the Ceph plugin's steps on one member: running Ceph's tools through
// the host (failures become errors naming the step), JSON queries, waiting for a condition,
// starting and stopping daemons (directly or through systemd), and files written with a mode.
#pragma once

#include "ceph_commands.hpp"
#include "ceph_config.hpp"
#include "ceph_layout.hpp"

#include <microcloud/sdk/plugin.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace microcloud::plugins::ceph {

class CephOps {
public:
    CephOps(const sdk::Context& ctx, const CephConfig& config);

    /// Runs `argv` (stdin from `input`); the result as it came.
    sdk::CommandResult run(const Argv& argv, const std::string& input = {},
                           std::chrono::seconds timeout = std::chrono::seconds(60)) const;
    /// Runs `argv` and throws Error("ceph_command_failed") naming `what` when it fails.
    sdk::CommandResult must(const Argv& argv, const std::string& what, const std::string& input = {},
                            std::chrono::seconds timeout = std::chrono::seconds(120)) const;
    /// `ceph <args> --format json` parsed; throws as must().
    sdk::Json query(const Argv& args, const std::string& what) const;
    /// query(), or nullopt-like null when the command failed (for polling).
    sdk::Json try_query(const Argv& args) const;
    /// What one `ceph` process printed for several commands.
    struct Batch {
        sdk::CommandResult result;
        std::vector<sdk::Json> documents;  ///< the JSON documents printed, in order
    };
    /// Runs every command of `commands` (its words, none with blanks) in one `ceph` process, which
    /// reads them from stdin, with JSON output: one Python start instead of one per command. A
    /// command that fails prints no document (json_documents, document_with: ceph_status.hpp).
    Batch query_batch(const std::vector<Argv>& commands, std::chrono::seconds timeout) const;

    /// Polls `ready` every `step` until it is true; throws Error("ceph_timeout") naming `what`.
    void wait_for(const std::function<bool()>& ready, std::chrono::seconds timeout, const std::string& what,
                  std::chrono::milliseconds step = std::chrono::milliseconds(700)) const;

    /// Starts daemon kind.id (extra arguments only when started directly).
    void start(const std::string& kind, const std::string& id, const Argv& extra = {}) const;
    /// Stops daemon kind.id if it runs; true when it was running.
    bool stop(const std::string& kind, const std::string& id) const;
    /// The pid of a directly started daemon that runs now (0 when none).
    int running_pid(const std::string& kind, const std::string& id) const;

    /// Writes `text` to `path` with `mode` (created 0600 first, then chmod), creating parents.
    void write_file(const std::string& path, const std::string& text, unsigned mode = 0600) const;

    bool systemd() const { return systemd_; }
    const Layout& layout() const { return layout_; }
    const sdk::Context& ctx() const { return ctx_; }

private:
    const sdk::Context& ctx_;
    const CephConfig& config_;
    Layout layout_;
    bool systemd_ = false;
};

/// A random UUID from the kernel.
std::string random_uuid();

/// The file's text ("" when it cannot be read).
std::string read_text(const std::string& path);

/// MemTotal of /proc/meminfo in bytes (0 when unknown).
std::uint64_t mem_total_bytes();

}  // namespace microcloud::plugins::ceph
