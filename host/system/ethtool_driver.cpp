// host/system/ethtool_driver.cpp - an interface's driver name through the SIOCETHTOOL ioctl.
#include "system/interfaces.hpp"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace microcloud::host::system {

namespace {

// Closes the socket when the query is done.
class SocketFd {
public:
    SocketFd() : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {}
    ~SocketFd() {
        if (fd_ >= 0) ::close(fd_);
    }
    SocketFd(const SocketFd&) = delete;
    SocketFd& operator=(const SocketFd&) = delete;
    int get() const noexcept { return fd_; }

private:
    int fd_;
};

}  // namespace

std::string ethtool_driver(const std::string& interface) {
    if (interface.empty() || interface.size() >= IFNAMSIZ) return {};
    SocketFd sock;
    if (sock.get() < 0) return {};
    ethtool_drvinfo info{};
    info.cmd = ETHTOOL_GDRVINFO;
    ifreq request{};
    std::memcpy(request.ifr_name, interface.c_str(), interface.size());
    request.ifr_data = reinterpret_cast<char*>(&info);
    if (::ioctl(sock.get(), SIOCETHTOOL, &request) != 0) return {};
    return std::string(info.driver, ::strnlen(info.driver, sizeof info.driver));
}

}  // namespace microcloud::host::system
