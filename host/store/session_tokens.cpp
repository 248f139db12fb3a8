// host/store/session_tokens.cpp - the join_tokens table: issuing, using up exactly once, expiring
// and revoking tokens.
#include "store/session.hpp"

#include "common/error.hpp"
#include "store/columns.hpp"

namespace microcloud::host::store {
namespace {

constexpr const char* kTokenColumns = "name, secret_hash, joiner, expires_at, created_at";

[[noreturn]] void invalid(const std::string& token, std::string_view field, const std::string& problem) {
    throw Error("invalid_token", "join token \"" + token + "\": " + std::string(field) + " " + problem,
                {{"token", token}, {"field", field}});
}

void check(const JoinToken& token) {
    if (token.name.empty()) {
        invalid(token.name, "name", "must not be empty");
    }
    if (token.secret_hash.empty()) {
        invalid(token.name, "secret hash", "must not be empty");
    }
    if (token.joiner.empty()) {
        invalid(token.name, "joiner", "must name the member that may join with it");
    }
    if (token.expires_at <= token.created_at) {
        invalid(token.name, "expiry", "must come after its creation");
    }
}

JoinToken token_from(const cluster::Row& row) {
    return JoinToken{
        .name = detail::text_at(row, 0, "name"),
        .secret_hash = detail::text_at(row, 1, "secret_hash"),
        .joiner = detail::text_at(row, 2, "joiner"),
        .expires_at = detail::time_at(row, 3, "expires_at"),
        .created_at = detail::time_at(row, 4, "created_at"),
    };
}

Error not_found(const std::string& name) {
    return Error("token_not_found",
                 "join token \"" + name + "\" does not exist (never issued, revoked or already used)",
                 {{"token", name}});
}

}  // namespace

void Session::issue_token(const JoinToken& token) {
    check(token);
    try {
        client_.exec("INSERT INTO join_tokens (" + std::string(kTokenColumns) + ") VALUES (?, ?, ?, ?, ?)",
                     {token.name, token.secret_hash, token.joiner, detail::time_value(token.expires_at),
                      detail::time_value(token.created_at)});
    } catch (const Error& error) {
        if (error.code() == "dqlite_failure" &&
            std::string(error.what()).find("UNIQUE constraint failed: join_tokens.name") != std::string::npos) {
            throw Error("token_exists", "a join token named \"" + token.name + "\" already exists",
                        {{"token", token.name}});
        }
        throw;
    }
}

std::optional<JoinToken> Session::find_token(const std::string& name) {
    const cluster::Rows rows =
        client_.query("SELECT " + std::string(kTokenColumns) + " FROM join_tokens WHERE name = ?", {name});
    if (rows.rows.empty()) {
        return std::nullopt;
    }
    return token_from(rows.rows.front());
}

JoinToken Session::consume_token(const std::string& name, const std::string& secret_hash) {
    const std::optional<JoinToken> token = find_token(name);
    if (!token) {
        throw not_found(name);
    }
    const Timestamp now = now_();
    if (token->expires_at <= now) {
        throw Error("token_expired", "join token \"" + name + "\" expired", {{"token", name}});
    }
    if (token->secret_hash != secret_hash) {
        throw Error("token_invalid", "join token \"" + name + "\" does not match the secret given", {{"token", name}});
    }
    // The conditional delete is what makes the use unique: of several callers that got this far,
    // only one deletes the row.
    const cluster::ExecResult deleted =
        client_.exec("DELETE FROM join_tokens WHERE name = ? AND secret_hash = ? AND expires_at > ?",
                     {name, secret_hash, detail::time_value(now)});
    if (deleted.rows_affected == 0) {
        throw not_found(name);
    }
    return *token;
}

std::size_t Session::expire_tokens() {
    return client_.exec("DELETE FROM join_tokens WHERE expires_at <= ?", {detail::time_value(now_())}).rows_affected;
}

bool Session::revoke_token(const std::string& name) {
    return client_.exec("DELETE FROM join_tokens WHERE name = ?", {name}).rows_affected > 0;
}

std::vector<JoinToken> Session::list_tokens() {
    std::vector<JoinToken> tokens;
    for (const cluster::Row& row :
         client_.query("SELECT " + std::string(kTokenColumns) + " FROM join_tokens ORDER BY name").rows) {
        tokens.push_back(token_from(row));
    }
    return tokens;
}

}  // namespace microcloud::host::store
