// host/plugins/worker_wire.cpp - length-prefixed JSON frames over a stream socket, with a deadline
// on reads (poll) and no SIGPIPE on writes (MSG_NOSIGNAL).
#include "plugins/worker_wire.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>

namespace microcloud::host::plugins::wire {
namespace {

using Clock = std::chrono::steady_clock;

bool send_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// Waits until fd is readable or the deadline passes; false on timeout.
bool wait_readable(int fd, const Deadline& deadline) {
    for (;;) {
        int timeout_ms = -1;
        if (deadline) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
            if (left <= 0) return false;
            timeout_ms = static_cast<int>(std::min<long long>(left, 60'000));
        }
        pollfd p{fd, POLLIN, 0};
        const int rc = ::poll(&p, 1, timeout_ms);
        if (rc > 0) return true;
        if (rc < 0 && errno != EINTR) return true;  // let the read report the error
    }
}

// Reads exactly size bytes; ReadStatus::ok, closed (end of stream or error) or timed_out.
ReadStatus recv_all(int fd, char* data, std::size_t size, const Deadline& deadline) {
    while (size > 0) {
        if (!wait_readable(fd, deadline)) return ReadStatus::timed_out;
        const ssize_t n = ::recv(fd, data, size, 0);
        if (n == 0) return ReadStatus::closed;
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return ReadStatus::closed;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return ReadStatus::ok;
}

}  // namespace

bool write_frame(int fd, const nlohmann::json& message) {
    const std::string text = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() > kMaxFrameBytes) return false;
    const auto size = static_cast<std::uint32_t>(text.size());
    const std::array<char, 4> head{static_cast<char>(size >> 24), static_cast<char>(size >> 16),
                                   static_cast<char>(size >> 8), static_cast<char>(size)};
    // One buffer, one send: frames from several threads never interleave under the caller's lock,
    // and a short message costs one system call.
    std::string buffer(head.begin(), head.end());
    buffer += text;
    return send_all(fd, buffer.data(), buffer.size());
}

Frame read_frame(int fd, Deadline deadline) {
    Frame frame;
    std::array<unsigned char, 4> head{};
    frame.status = recv_all(fd, reinterpret_cast<char*>(head.data()), head.size(), deadline);
    if (frame.status != ReadStatus::ok) return frame;
    const std::uint32_t size = (std::uint32_t{head[0]} << 24) | (std::uint32_t{head[1]} << 16) |
                               (std::uint32_t{head[2]} << 8) | std::uint32_t{head[3]};
    if (size > kMaxFrameBytes) {
        frame.status = ReadStatus::malformed;
        return frame;
    }
    std::string text(size, '\0');
    frame.status = recv_all(fd, text.data(), text.size(), deadline);
    if (frame.status != ReadStatus::ok) return frame;
    frame.message = nlohmann::json::parse(text, nullptr, false);
    if (frame.message.is_discarded() || !frame.message.is_object()) frame.status = ReadStatus::malformed;
    return frame;
}

}  // namespace microcloud::host::plugins::wire
