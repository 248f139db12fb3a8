// host/membership/config_change.cpp - retrying a raft configuration change while another commits.
#include "membership/config_change.hpp"

#include "common/backoff.hpp"
#include "common/error.hpp"

#include <string>

namespace microcloud::host::membership {

void change_configuration(store::Store& store, const std::function<void(cluster::Client&)>& change,
                          std::chrono::milliseconds patience) {
    const auto give_up = std::chrono::steady_clock::now() + patience;
    Backoff pause(std::chrono::milliseconds(20), std::chrono::milliseconds(500));
    for (;;) {
        try {
            store.run([&](store::Session& session) { change(session.client()); });
            return;
        } catch (const Error& error) {
            const bool busy =
                std::string(error.what()).find("configuration change is already in progress") != std::string::npos;
            if (!busy || std::chrono::steady_clock::now() + pause.peek() >= give_up) throw;
        }
        pause.sleep();
    }
}

}  // namespace microcloud::host::membership
