// host/store/transaction.hpp - BEGIN/COMMIT/ROLLBACK around a function on one dqlite connection,
// and how to tell the failures worth another try (busy database, lost leader) from the others.
#pragma once

#include "cluster/dqlite_client.hpp"
#include "common/error.hpp"

#include <exception>
#include <utility>

namespace microcloud::host::store {

// SQLite said another writer holds the database (SQLITE_BUSY or SQLITE_LOCKED, extended or not).
bool is_busy(const Error& error);
// The connection went to a node that does not lead (any more), or went away: a new leader may
// take the request.
bool is_leader_change(const Error& error);
// The connection broke while COMMIT was in flight: the changes may or may not be in the database.
bool is_commit_unknown(const Error& error);

namespace detail {
void begin(cluster::Client& client);
// Throws what COMMIT threw; a lost connection becomes an error marked commit_outcome "unknown".
void commit(cluster::Client& client);
// Never throws: a failed rollback leaves nothing to undo on this connection, or no connection.
void rollback_quietly(cluster::Client& client) noexcept;
}  // namespace detail

// Runs `fn()` inside BEGIN ... COMMIT on `client`; rolls back and rethrows when `fn` or COMMIT
// throws. Every statement `fn` runs must use this same client.
template <class Fn>
auto in_transaction(cluster::Client& client, Fn&& fn) -> decltype(fn()) {
    detail::begin(client);
    try {
        if constexpr (std::is_void_v<decltype(fn())>) {
            std::forward<Fn>(fn)();
            detail::commit(client);
        } else {
            auto result = std::forward<Fn>(fn)();
            detail::commit(client);
            return result;
        }
    } catch (...) {
        detail::rollback_quietly(client);
        throw;
    }
}

}  // namespace microcloud::host::store
