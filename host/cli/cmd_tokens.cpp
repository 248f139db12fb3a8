// host/cli/cmd_tokens.cpp - `microcloud tokens list|revoke`: the join tokens issued and not yet
// used, and taking one back before it is used.
#include "cli/command.hpp"
#include "common/error.hpp"

#include <ctime>
#include <iostream>

namespace microcloud::host::cli {
namespace {

// Seconds since the epoch as UTC text, e.g. 2026-12-01 17:30:00 UTC.
std::string utc(std::int64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm parts{};
    ::gmtime_r(&t, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
    return text;
}

}  // namespace

int run_tokens_list(const Invocation& inv) {
    if (!inv.args.empty())
        throw Error("invalid_arguments", "Unexpected argument \"" + inv.args[0] + "\" (usage: microcloud tokens list)");
    const nlohmann::json tokens = inv.client().get("/1.0/cluster/tokens");
    // The token's text is not shown: only its secret's hash is kept (issue a new one to see one).
    Table table{{"NAME", "TOKEN ID", "EXPIRES"}, {}};
    for (const auto& token : tokens)
        table.rows.push_back(
            {token.value("name", ""), token.value("token_name", ""), utc(token.value("expires_at", std::int64_t{0}))});
    print(inv, tokens, table);
    return 0;
}

int run_tokens_revoke(const Invocation& inv) {
    if (inv.args.size() != 1)
        throw Error("invalid_arguments", "Usage: microcloud tokens revoke NAME (the joiner's name, or a token id)");
    const nlohmann::json revoked = inv.client().post("/1.0/cluster/tokens/revoke", {{"name", inv.args[0]}});
    if (inv.format == Format::table || inv.format == Format::compact) return 0;  // upstream prints nothing
    print(inv, revoked, {});
    return 0;
}

}  // namespace microcloud::host::cli
