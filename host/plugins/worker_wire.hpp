// host/plugins/worker_wire.hpp - the frames microcloudd and a plugin worker process exchange over
// their socketpair: a 4-byte big-endian length, then that many bytes of JSON text. Shared by both
// sides; depends on nothing of the host but nlohmann::json and POSIX.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace microcloud::host::plugins::wire {

// Frames above this size are refused by the reader (a worker writing one is misbehaving).
constexpr std::uint32_t kMaxFrameBytes = 256u * 1024u * 1024u;

// Exit codes a worker uses for what it could tell before dying.
constexpr int kExitBadArguments = 64;
constexpr int kExitOutOfMemory = 86;      // an allocation failed under the worker's memory limit
constexpr int kExitUncaughtException = 87;  // an exception escaped a hook or plugin code

// Writes one frame; false when the peer is gone (never raises SIGPIPE).
bool write_frame(int fd, const nlohmann::json& message);

enum class ReadStatus { ok, closed, timed_out, malformed };

struct Frame {
    ReadStatus status = ReadStatus::closed;
    nlohmann::json message;
};

using Deadline = std::optional<std::chrono::steady_clock::time_point>;

// Reads one frame, waiting until `deadline` (forever when empty). A frame cut short by the end of
// the stream reads as closed; text that is not a JSON object, or a length over kMaxFrameBytes, as
// malformed.
Frame read_frame(int fd, Deadline deadline);

}  // namespace microcloud::host::plugins::wire
