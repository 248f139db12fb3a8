// host/store/session_members.cpp - the members table: checked inserts and updates, removal with
// the member's plugin state, lookups.
#include "store/session.hpp"

#include "common/error.hpp"
#include "store/columns.hpp"

#include <algorithm>
#include <array>

namespace microcloud::host::store {
namespace {

constexpr const char* kMemberColumns =
    "name, address, certificate, fingerprint, role, node_id, joined_at, heartbeat_at";
// The same places, the certificate read as ''.
constexpr const char* kMemberColumnsWithoutCertificate =
    "name, address, '', fingerprint, role, node_id, joined_at, heartbeat_at";

// A column that must differ between members: its name, how a message names it, and its place
// among the values of values_of().
struct UniqueColumn {
    std::string_view column;
    std::string_view label;
    std::size_t value_index;
};

constexpr std::array<UniqueColumn, 4> kUniqueColumns{{
    {"name", "name", 0},
    {"address", "address", 1},
    {"fingerprint", "certificate fingerprint", 3},
    {"node_id", "dqlite node id", 5},
}};

[[noreturn]] void invalid(const std::string& member, std::string_view field, const std::string& problem) {
    throw Error("invalid_member", "member \"" + member + "\": " + std::string(field) + " " + problem,
                {{"member", member}, {"field", field}});
}

bool is_lower_hex(const std::string& text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool has_space_or_control(const std::string& text) {
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; });
}

void check(const Member& member) {
    if (member.name.empty()) {
        invalid(member.name, "name", "must not be empty");
    }
    if (member.name.size() > 255 || has_space_or_control(member.name)) {
        invalid(member.name, "name", "must be at most 255 characters without spaces or control characters");
    }
    if (member.address.empty() || has_space_or_control(member.address)) {
        invalid(member.name, "address", "must be a non-empty host:port without spaces");
    }
    if (member.certificate.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
        invalid(member.name, "certificate", "must be a PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    if (member.fingerprint.size() != 64 || !is_lower_hex(member.fingerprint)) {
        invalid(member.name, "fingerprint",
                "must be 64 lowercase hex digits (SHA-256), got \"" + member.fingerprint + "\"");
    }
    if (member.node_id == 0) {
        invalid(member.name, "node id", "must not be 0");
    }
}

std::vector<cluster::Value> values_of(const Member& member) {
    return {member.name,
            member.address,
            member.certificate,
            member.fingerprint,
            std::string(member_role_name(member.role)),
            detail::node_id_value(member.node_id),
            detail::time_value(member.joined_at),
            detail::optional_time_value(member.heartbeat_at)};
}

Member member_from(const cluster::Row& row) {
    return Member{
        .name = detail::text_at(row, 0, "name"),
        .address = detail::text_at(row, 1, "address"),
        .certificate = detail::text_at(row, 2, "certificate"),
        .fingerprint = detail::text_at(row, 3, "fingerprint"),
        .role = parse_member_role(detail::text_at(row, 4, "role")),
        .node_id = detail::node_id_from(detail::integer_at(row, 5, "node_id")),
        .joined_at = detail::time_at(row, 6, "joined_at"),
        .heartbeat_at = detail::optional_time_at(row, 7, "heartbeat_at"),
    };
}

// Every member, by name, read with `columns` (kMemberColumns or the same without the certificate).
std::vector<Member> members_by_name(cluster::Client& client, const char* columns) {
    std::vector<Member> members;
    for (const cluster::Row& row : client.query("SELECT " + std::string(columns) + " FROM members ORDER BY name").rows)
        members.push_back(member_from(row));
    return members;
}

// Turns SQLite's "UNIQUE constraint failed: members.<column>" into member_exists naming the member
// that holds the value; rethrows anything else.
[[noreturn]] void rethrow_clash(cluster::Client& client, const Error& error, const Member& member) {
    const std::string what = error.what();
    if (error.code() != "dqlite_failure" || what.find("UNIQUE constraint failed: members.") == std::string::npos) {
        throw error;
    }
    const std::vector<cluster::Value> values = values_of(member);
    for (const auto& [column, label, index] : kUniqueColumns) {
        if (what.find("members." + std::string(column)) == std::string::npos) {
            continue;
        }
        const cluster::Rows holder =
            client.query("SELECT name FROM members WHERE " + std::string(column) + " = ?", {values[index]});
        const std::string owner = holder.rows.empty() ? std::string("another member")
                                                      : "member \"" + detail::text_at(holder.rows[0], 0, "name") + "\"";
        const std::string message = column == "name" ? "a member named \"" + member.name + "\" already exists"
                                                     : "cannot record member \"" + member.name + "\": its " +
                                                           std::string(label) + " is already used by " + owner;
        throw Error("member_exists", message, {{"member", member.name}, {"field", label}});
    }
    throw Error("member_exists", "member \"" + member.name + "\" clashes with an existing member: " + what,
                {{"member", member.name}});
}

}  // namespace

void Session::add_member(const Member& member) {
    check(member);
    try {
        client_.exec("INSERT INTO members (" + std::string(kMemberColumns) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     values_of(member));
    } catch (const Error& error) {
        rethrow_clash(client_, error, member);
    }
}

void Session::update_member(const Member& member) {
    check(member);
    std::vector<cluster::Value> values = values_of(member);
    values.push_back(member.name);
    cluster::ExecResult result;
    try {
        result = client_.exec(
            "UPDATE members SET name = ?, address = ?, certificate = ?, fingerprint = ?, role = ?, node_id = ?,"
            " joined_at = ?, heartbeat_at = ? WHERE name = ?",
            values);
    } catch (const Error& error) {
        rethrow_clash(client_, error, member);
    }
    if (result.rows_affected == 0) {
        throw Error("member_not_found", "no member named \"" + member.name + "\"", {{"member", member.name}});
    }
}

void Session::set_member_role(const std::string& name, MemberRole role) {
    const cluster::ExecResult result = client_.exec("UPDATE members SET role = ? WHERE name = ?",
                                                    {std::string(member_role_name(role)), name});
    if (result.rows_affected == 0) throw Error("member_not_found", "no member named \"" + name + "\"", {{"member", name}});
}

void Session::remove_member(const std::string& name) {
    const cluster::ExecResult result = client_.exec("DELETE FROM members WHERE name = ?", {name});
    if (result.rows_affected == 0) {
        throw Error("member_not_found", "cannot remove member \"" + name + "\": no member by that name",
                    {{"member", name}});
    }
    client_.exec("DELETE FROM plugin_state WHERE member = ?", {name});
}

std::vector<Member> Session::list_members() {
    return members_by_name(client_, kMemberColumns);
}

std::vector<Member> Session::list_members_without_certificates() {
    return members_by_name(client_, kMemberColumnsWithoutCertificate);
}

std::optional<Member> Session::find_member(const std::string& name) {
    const cluster::Rows rows =
        client_.query("SELECT " + std::string(kMemberColumns) + " FROM members WHERE name = ?", {name});
    if (rows.rows.empty()) {
        return std::nullopt;
    }
    return member_from(rows.rows.front());
}

}  // namespace microcloud::host::store
