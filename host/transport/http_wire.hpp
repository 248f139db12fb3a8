// host/transport/http_wire.hpp - HTTP/1.1 over a TlsStream with Beast; heads are read without over-reading.
#pragma once

#include "transport/net_util.hpp"
#include "transport/tls_stream.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace microcloud::host::transport::http {

// The longest request or response head accepted.
inline constexpr std::size_t kMaxHeadBytes = 16 * 1024;

// A parsed request or response.
struct Message {
    std::string method;                          // requests
    std::string target;                          // requests
    int status = 0;                              // responses
    std::map<std::string, std::string> headers;  // names lowercased; repeated headers joined with ", "
    std::string body;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// Read errors: Error("http_closed") when the stream ended before the first byte, Error("http_invalid") for a
// message that does not parse (or ends early), Error("http_head_too_large") / Error("http_body_too_large") past
// the limits, and the stream's own errors (tls_timeout when `deadline` passes, tls_io).
Message read_request(TlsStream& stream, net::Clock::time_point deadline, std::size_t max_body);
// A response to a request with `method`; a 1xx answer is returned as soon as its head is read.
Message read_response(TlsStream& stream, const std::string& method, net::Clock::time_point deadline,
                      std::size_t max_body);
// The same reads over a message already in memory (tests, fuzzing): `wire` stands in for the stream, with the
// same limits and errors (http_invalid when it ends early); bytes after the message are ignored.
Message parse_request(std::string_view wire, std::size_t max_body);
Message parse_response(std::string_view wire, const std::string& method, std::size_t max_body);

// A complete request / response in wire format; Content-Length is set from the body.
std::string request_text(const std::string& method, const std::string& target, const Headers& headers,
                         const std::string& body);
std::string response_text(int status, const Headers& headers, const std::string& body);

// Whether a comma-separated header value lists `token` (case-insensitive), as "Connection: keep-alive, Upgrade".
bool has_token(const std::string& value, const std::string& token);
bool iequals(const std::string& a, const std::string& b);

}  // namespace microcloud::host::transport::http
