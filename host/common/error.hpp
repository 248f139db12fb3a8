// host/common/error.hpp - the host's error type: a stable snake_case code, a message for humans
// (what, where, what would be accepted) and optional JSON details.
#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <utility>

namespace microcloud::host {

class Error : public std::runtime_error {
public:
    Error(std::string code, const std::string& message, nlohmann::json details = nullptr)
        : std::runtime_error(message), code_(std::move(code)), details_(std::move(details)) {}

    const std::string& code() const noexcept { return code_; }
    const nlohmann::json& details() const noexcept { return details_; }

private:
    std::string code_;
    nlohmann::json details_;
};

}  // namespace microcloud::host
