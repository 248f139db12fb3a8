// plugins/lxd/lxd_api.cpp - LxdApi: one request at a time through the host's http_request service.
#include "lxd_api.hpp"

#include "envelope.hpp"

#include <thread>

namespace microcloud::plugins::lxd {

using sdk::Error;
using sdk::Json;

Json LxdApi::envelope(const std::string& method, const std::string& path, const Json& body,
                      std::chrono::milliseconds timeout) const {
    const std::string what = method + " " + path;
    const sdk::HttpResponse response =
        ctx_.http(socket_, method, path, body.is_null() ? std::string() : body.dump(), timeout);
    metadata_of(response, what);  // throws lxd_error for an error answer
    return response.json();
}

Json LxdApi::get(const std::string& path) const {
    return send("GET", path);
}

bool LxdApi::exists(const std::string& path) const {
    try {
        get(path);
        return true;
    } catch (const Error& e) {
        if (e.code() == "lxd_error" && e.details().value("error_code", 0) == 404) return false;
        throw;
    }
}

Json LxdApi::start(const std::string& method, const std::string& path, const Json& body) const {
    const Json answer = envelope(method, path, body, timeout_);
    return answer.value("metadata", Json());
}

Json LxdApi::send(const std::string& method, const std::string& path, const Json& body,
                  std::chrono::seconds wait) const {
    const Json answer = envelope(method, path, body, timeout_);
    if (answer.value("type", "") != "async") return answer.value("metadata", Json());
    const std::string operation = answer.value("operation", "");
    const Json waited = envelope("GET", operation + "/wait?timeout=" + std::to_string(wait.count()), nullptr,
                                 std::chrono::duration_cast<std::chrono::milliseconds>(wait) + std::chrono::seconds(5));
    const Json op = waited.contains("metadata") && waited["metadata"].is_object() ? waited["metadata"] : Json::object();
    const std::string status = op.value("status", "");
    if (status == "Success") return op;
    const std::string description = op.value("description", method + " " + path);
    if (status == "Running" || status == "Pending")
        throw Error("lxd_timeout",
                    "LXD did not finish \"" + description + "\" within " + std::to_string(wait.count()) + " s",
                    Json{{"operation", operation}});
    throw Error("lxd_error", "LXD could not finish \"" + description + "\": " + op.value("err", status),
                Json{{"operation", operation}, {"error", op.value("err", "")}, {"request", method + " " + path}});
}

Json pool_drivers(const LxdApi& api) {
    Json out = Json::object();
    for (const Json& pool : api.get("/1.0/storage-pools?recursion=1"))
        out[pool.value("name", "")] = pool.value("driver", "");
    return out;
}

void LxdApi::wait_ready(std::chrono::seconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::string last;
    while (true) {
        try {
            envelope("GET", "/1.0", nullptr, std::chrono::seconds(5));
            envelope("GET", "/internal/ready", nullptr, std::chrono::seconds(5));
            return;
        } catch (const Error& e) {
            last = e.what();
        }
        if (std::chrono::steady_clock::now() >= deadline)
            throw Error("lxd_timeout",
                        "LXD on " + socket_ + " was not ready within " + std::to_string(limit.count()) + " s: " + last);
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
}

}  // namespace microcloud::plugins::lxd
