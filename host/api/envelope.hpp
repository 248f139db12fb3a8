// host/api/envelope.hpp - the LXD-style JSON envelope every microcloudd response uses, built by
// the daemon and unwrapped by clients.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace microcloud::host::api {

// {"type":"sync","status":"Success","status_code":200,"error_code":0,"error":"","metadata":...}
nlohmann::json sync_response(nlohmann::json metadata);

// {"type":"error","status":"","status_code":0,"error_code":<http>,"error":<message>,"metadata":{code,...}}
nlohmann::json error_response(int http_status, const std::string& message, const std::string& code = {},
                              nlohmann::json details = nullptr);

// The HTTP status an error code maps to: 400 invalid[_*], 403 [*_]untrusted / [*_]forbidden, 404 [*_]not_found,
// 409 [*_]exists / already_clustered / not_clustered / member_remove_self, 429 rate_limited, 500 otherwise.
int http_status_for(const std::string& code);

// Returns the metadata of a sync response; throws Error(<code or "api_error">, <error>) for an
// error envelope and Error("bad_response") for anything that is not an envelope.
nlohmann::json unwrap(int http_status, const std::string& body);

}  // namespace microcloud::host::api
