// host/daemon/control_server.hpp - the root-only unix-socket API (<state-dir>/control.socket)
// that the microcloud CLI talks to.
#pragma once

#include "daemon/running_operations.hpp"

#include "daemon/member.hpp"
#include "formation/session_control.hpp"
#include "membership/membership.hpp"

#include <httplib.h>

#include <filesystem>

namespace microcloud::host::daemon {

class ControlServer {
public:
    ControlServer(const Member& member, membership::Membership& membership, formation::SessionControl& sessions,
                  std::filesystem::path socket_path);
    ~ControlServer();  // removes the socket file
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    // Binds the socket (mode 0600); throws Error("socket_bind_failed").
    void bind();
    // Serves until stop() is called from another thread.
    void serve();
    void stop();

private:
    void routes();

    const Member& member_;
    membership::Membership& membership_;
    formation::SessionControl& sessions_;
    std::filesystem::path socket_path_;
    RunningOperations operations_;
    httplib::Server server_;
};

}  // namespace microcloud::host::daemon
