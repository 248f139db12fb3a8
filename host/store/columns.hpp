// host/store/columns.hpp - reading typed fields out of dqlite result rows and turning typed fields
// into statement parameters, with an Error("store_corrupt") naming the column on a mismatch.
#pragma once

#include "cluster/dqlite_value.hpp"
#include "store/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace microcloud::host::store::detail {

std::string text_at(const cluster::Row& row, std::size_t index, std::string_view column);
std::int64_t integer_at(const cluster::Row& row, std::size_t index, std::string_view column);
std::optional<std::int64_t> optional_integer_at(const cluster::Row& row, std::size_t index, std::string_view column);
Timestamp time_at(const cluster::Row& row, std::size_t index, std::string_view column);
std::optional<Timestamp> optional_time_at(const cluster::Row& row, std::size_t index, std::string_view column);

inline cluster::Value time_value(Timestamp time) {
    return std::int64_t{time.time_since_epoch().count()};
}
inline cluster::Value optional_time_value(const std::optional<Timestamp>& time) {
    return time ? time_value(*time) : cluster::Value{cluster::Null{}};
}
// dqlite node ids use all 64 bits; SQLite integers are signed: the bits are kept as they are.
inline cluster::Value node_id_value(std::uint64_t id) {
    return static_cast<std::int64_t>(id);
}
inline std::uint64_t node_id_from(std::int64_t stored) {
    return static_cast<std::uint64_t>(stored);
}

}  // namespace microcloud::host::store::detail
