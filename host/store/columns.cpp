// host/store/columns.cpp - typed access to the fields of dqlite result rows.
#include "store/columns.hpp"

#include "common/error.hpp"

namespace microcloud::host::store::detail {
namespace {

const cluster::Value& field(const cluster::Row& row, std::size_t index, std::string_view column) {
    if (index >= row.size()) {
        throw Error("store_corrupt", "the store returned a row without column \"" + std::string(column) + "\"",
                    {{"column", column}, {"index", index}, {"width", row.size()}});
    }
    return row[index];
}

[[noreturn]] void wrong_type(const cluster::Value& value, std::string_view column, std::string_view expected) {
    const std::string got(cluster::type_name(cluster::type_of(value)));
    throw Error("store_corrupt",
                "column \"" + std::string(column) + "\" holds a " + got + " value where " + std::string(expected) +
                    " was expected",
                {{"column", column}, {"type", got}, {"expected", expected}});
}

}  // namespace

std::string text_at(const cluster::Row& row, std::size_t index, std::string_view column) {
    const cluster::Value& value = field(row, index, column);
    if (const auto* text = std::get_if<std::string>(&value)) {
        return *text;
    }
    wrong_type(value, column, "text");
}

std::int64_t integer_at(const cluster::Row& row, std::size_t index, std::string_view column) {
    const cluster::Value& value = field(row, index, column);
    if (const auto* number = std::get_if<std::int64_t>(&value)) {
        return *number;
    }
    if (const auto* time = std::get_if<cluster::UnixTime>(&value)) {
        return time->seconds;
    }
    wrong_type(value, column, "integer");
}

std::optional<std::int64_t> optional_integer_at(const cluster::Row& row, std::size_t index, std::string_view column) {
    if (std::holds_alternative<cluster::Null>(field(row, index, column))) {
        return std::nullopt;
    }
    return integer_at(row, index, column);
}

Timestamp time_at(const cluster::Row& row, std::size_t index, std::string_view column) {
    return Timestamp{std::chrono::seconds{integer_at(row, index, column)}};
}

std::optional<Timestamp> optional_time_at(const cluster::Row& row, std::size_t index, std::string_view column) {
    const auto seconds = optional_integer_at(row, index, column);
    if (!seconds) {
        return std::nullopt;
    }
    return Timestamp{std::chrono::seconds{*seconds}};
}

}  // namespace microcloud::host::store::detail
