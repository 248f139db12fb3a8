// host/cluster/dqlite_value.hpp - one SQL value as dqlite carries it (integer, float, text, blob,
// null, unix time, ISO-8601 date, boolean) and a result set of such values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace microcloud::host::cluster {

// SQL NULL.
struct Null {
    friend bool operator==(const Null&, const Null&) = default;
};

// Seconds since the epoch; what a DATETIME/DATE/TIMESTAMP column holding an integer yields.
struct UnixTime {
    std::int64_t seconds = 0;
    friend bool operator==(const UnixTime&, const UnixTime&) = default;
};

// An ISO-8601 date as text; what a DATETIME/DATE/TIMESTAMP column holding text yields.
struct Iso8601 {
    std::string text{};
    friend bool operator==(const Iso8601&, const Iso8601&) = default;
};

using Blob = std::vector<std::uint8_t>;

// Build from int64_t/int, double, std::string/const char*, Blob, bool, Null{}, UnixTime{} or
// Iso8601{}. Unsigned integers need an explicit cast to std::int64_t.
using Value = std::variant<Null, std::int64_t, double, std::string, Blob, bool, UnixTime, Iso8601>;
using Row = std::vector<Value>;

// The rows a query yielded, with the names of its columns.
struct Rows {
    std::vector<std::string> columns{};
    std::vector<Row> rows{};
    friend bool operator==(const Rows&, const Rows&) = default;
};

// The type codes of the wire protocol: SQLite's own for the first five, dqlite's for the rest.
enum class ValueType : std::uint8_t {
    integer = 1,
    floating = 2,
    text = 3,
    blob = 4,
    null = 5,
    unix_time = 9,
    iso8601 = 10,
    boolean = 11,
};

inline ValueType type_of(const Value& value) {
    constexpr ValueType kByIndex[] = {ValueType::null, ValueType::integer, ValueType::floating,  ValueType::text,
                                      ValueType::blob, ValueType::boolean, ValueType::unix_time, ValueType::iso8601};
    return kByIndex[value.index()];
}

inline std::string_view type_name(ValueType type) {
    switch (type) {
        case ValueType::integer:
            return "integer";
        case ValueType::floating:
            return "float";
        case ValueType::text:
            return "text";
        case ValueType::blob:
            return "blob";
        case ValueType::null:
            return "null";
        case ValueType::unix_time:
            return "unix time";
        case ValueType::iso8601:
            return "iso8601";
        case ValueType::boolean:
            return "boolean";
    }
    return "unknown";
}

}  // namespace microcloud::host::cluster
