// plugins/lxd/envelope.cpp - reads LXD's response envelope and turns its errors into sdk::Error.
#include "envelope.hpp"

#include <string>

namespace microcloud::plugins::lxd {

using sdk::Error;
using sdk::Json;

sdk::Json metadata_of(const sdk::HttpResponse& response, std::string_view request) {
    const std::string what(request);
    Json body = response.json();
    if (!body.is_object() || !body.contains("type"))
        throw Error("bad_response", "LXD's answer to " + what + " is not an LXD response envelope",
                    Json{{"request", what}, {"status", response.status}});
    const bool http_ok = response.status >= 200 && response.status < 300;
    if (!http_ok || body.value("type", "") == "error") {
        const int code = body.value("error_code", response.status);
        const std::string message = body.value("error", "");
        throw Error("lxd_error",
                    "LXD answered " + what + " with " + std::to_string(code) + ": " +
                        (message.empty() ? "no error message" : message),
                    Json{{"request", what}, {"status", response.status}, {"error_code", code}, {"error", message}});
    }
    return body.value("metadata", Json());
}

}  // namespace microcloud::plugins::lxd
