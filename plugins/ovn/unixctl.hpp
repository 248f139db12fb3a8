// plugins/ovn/unixctl.hpp - asks an Open vSwitch or OVN daemon a unixctl command (what `ovs-appctl`
// and `ovn-appctl` send) over its control socket, in-process: JSON-RPC 1.0, one request, one reply.
// The status hook asks three daemons on every member each time; a process each cost more than the
// question.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace microcloud::plugins::ovn {

// What a daemon answered, or why there is no answer.
struct UnixctlReply {
    bool answered = false;  // a reply came (its "result" or its "error")
    bool ok = false;        // the reply carried a result, not an error
    std::string text;       // the result's text, the daemon's error, or why nothing came
};

// Sends `command` with `args` to the control socket at `socket` and waits up to `timeout` for the
// reply.
UnixctlReply unixctl_call(const std::string& socket, const std::string& command, const std::vector<std::string>& args,
                          std::chrono::milliseconds timeout);

// The control socket of the daemon `name` (e.g. "ovn-controller") that writes its pid file in
// `rundir`: <rundir>/<name>.<pid>.ctl, as `ovn-appctl -t <name>` finds it; "" when the pid file
// cannot be read.
std::string daemon_control_socket(const std::string& rundir, const std::string& name);

}  // namespace microcloud::plugins::ovn
