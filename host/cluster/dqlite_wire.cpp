// host/cluster/dqlite_wire.cpp - the field encodings of the dqlite wire protocol.
#include "cluster/dqlite_wire.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace microcloud::host::cluster {

namespace {

static_assert(sizeof(double) == 8, "the wire carries IEEE 754 doubles in one word");

std::uint64_t load_le(std::span<const std::uint8_t> bytes) {
    std::uint64_t value = 0;
    for (std::size_t i = bytes.size(); i-- > 0;) {
        value = (value << 8) | bytes[i];
    }
    return value;
}

std::uint8_t wire_code(const Value& value) {
    // A unix time parameter travels as a plain integer (see put_params).
    const ValueType type = type_of(value);
    return static_cast<std::uint8_t>(type == ValueType::unix_time ? ValueType::integer : type);
}

}  // namespace

void WireWriter::put_uint8(std::uint8_t value) {
    bytes_.push_back(value);
}

void WireWriter::put_uint32(std::uint32_t value) {
    for (int i = 0; i < 4; ++i) {
        bytes_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    }
}

void WireWriter::put_uint64(std::uint64_t value) {
    for (int i = 0; i < 8; ++i) {
        bytes_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    }
}

void WireWriter::put_int64(std::int64_t value) {
    put_uint64(static_cast<std::uint64_t>(value));
}

void WireWriter::put_double(double value) {
    put_uint64(std::bit_cast<std::uint64_t>(value));
}

void WireWriter::put_text(std::string_view text) {
    if (text.find('\0') != std::string_view::npos) {
        throw Error("dqlite_invalid_value",
                    "cannot send text holding a zero byte (at offset " + std::to_string(text.find('\0')) +
                        "); dqlite text ends at the first zero byte, send it as a blob instead");
    }
    bytes_.insert(bytes_.end(), text.begin(), text.end());
    bytes_.push_back(0);
    align();
}

void WireWriter::put_blob(std::span<const std::uint8_t> bytes) {
    put_uint64(bytes.size());
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    align();
}

void WireWriter::put_params(const std::vector<Value>& params) {
    if (params.size() > 255) {
        throw Error("dqlite_invalid_value", "cannot bind " + std::to_string(params.size()) +
                                                " parameters in one request (accepted: at most 255)");
    }
    put_uint8(static_cast<std::uint8_t>(params.size()));
    for (const Value& value : params) {
        put_uint8(wire_code(value));
    }
    align();
    for (const Value& value : params) {
        put_value(value);
    }
}

void WireWriter::put_row(const Row& row) {
    const std::size_t header = bytes_.size();
    bytes_.resize(header + pad_to_word((row.size() + 1) / 2), 0);
    for (std::size_t i = 0; i < row.size(); ++i) {
        const auto code = static_cast<std::uint8_t>(type_of(row[i]));
        bytes_[header + i / 2] |= static_cast<std::uint8_t>(i % 2 == 0 ? code : code << 4);
    }
    for (const Value& value : row) {
        put_value(value);
    }
}

void WireWriter::put_value(const Value& value) {
    switch (type_of(value)) {
        case ValueType::integer:
            put_int64(std::get<std::int64_t>(value));
            break;
        case ValueType::floating:
            put_double(std::get<double>(value));
            break;
        case ValueType::text:
            put_text(std::get<std::string>(value));
            break;
        case ValueType::blob:
            put_blob(std::get<Blob>(value));
            break;
        case ValueType::null:
            put_uint64(0);
            break;
        case ValueType::unix_time:
            put_int64(std::get<UnixTime>(value).seconds);
            break;
        case ValueType::iso8601:
            put_text(std::get<Iso8601>(value).text);
            break;
        case ValueType::boolean:
            put_uint64(std::get<bool>(value) ? 1 : 0);
            break;
    }
}

void WireWriter::align() {
    bytes_.resize(pad_to_word(bytes_.size()), 0);
}

std::span<const std::uint8_t> WireReader::need(std::size_t count, std::string_view what) {
    if (count > remaining()) {
        throw Error("dqlite_protocol", "malformed dqlite message: " + std::string(what) + " at offset " +
                                           std::to_string(offset_) + " needs " + std::to_string(count) +
                                           " bytes, only " + std::to_string(remaining()) + " left in the body");
    }
    auto field = bytes_.subspan(offset_, count);
    offset_ += count;
    return field;
}

std::uint8_t WireReader::get_uint8() {
    return need(1, "uint8")[0];
}

std::uint32_t WireReader::get_uint32() {
    return static_cast<std::uint32_t>(load_le(need(4, "uint32")));
}

std::uint64_t WireReader::get_uint64() {
    return load_le(need(8, "uint64"));
}

std::int64_t WireReader::get_int64() {
    return static_cast<std::int64_t>(load_le(need(8, "int64")));
}

double WireReader::get_double() {
    return std::bit_cast<double>(load_le(need(8, "float")));
}

std::uint64_t WireReader::peek_uint64() const {
    if (remaining() < 8) {
        throw Error("dqlite_protocol", "malformed dqlite message: expected a word at offset " +
                                           std::to_string(offset_) + ", only " + std::to_string(remaining()) +
                                           " bytes left in the body");
    }
    return load_le(bytes_.subspan(offset_, 8));
}

std::string WireReader::get_text() {
    const auto rest = bytes_.subspan(offset_);
    const auto end = std::find(rest.begin(), rest.end(), std::uint8_t{0});
    if (end == rest.end()) {
        throw Error("dqlite_protocol", "malformed dqlite message: text at offset " + std::to_string(offset_) +
                                           " has no terminating zero byte");
    }
    const auto length = static_cast<std::size_t>(end - rest.begin());
    const auto field = need(pad_to_word(length + 1), "padded text");
    return std::string(reinterpret_cast<const char*>(field.data()), length);
}

Blob WireReader::get_blob() {
    const std::uint64_t length = get_uint64();
    if (length > remaining()) {
        throw Error("dqlite_protocol", "malformed dqlite message: blob at offset " + std::to_string(offset_ - 8) +
                                           " claims " + std::to_string(length) + " bytes, only " +
                                           std::to_string(remaining()) + " left in the body");
    }
    const auto field = need(pad_to_word(static_cast<std::size_t>(length)), "padded blob");
    return Blob(field.begin(), field.begin() + static_cast<std::ptrdiff_t>(length));
}

std::vector<Value> WireReader::get_params() {
    const std::size_t count = get_uint8();
    // The count byte shares the first header word with the type bytes.
    const auto types = need(pad_to_word(count + 1) - 1, "parameter types");
    std::vector<Value> params;
    params.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        params.push_back(get_value(types[i]));
    }
    return params;
}

Row WireReader::get_row(std::size_t columns) {
    const auto types = need(pad_to_word((columns + 1) / 2), "row types");
    Row row;
    row.reserve(columns);
    for (std::size_t i = 0; i < columns; ++i) {
        const std::uint8_t slot = types[i / 2];
        row.push_back(get_value(i % 2 == 0 ? slot & 0x0f : slot >> 4));
    }
    return row;
}

Value WireReader::get_value(std::uint8_t type) {
    switch (static_cast<ValueType>(type)) {
        case ValueType::integer:
            return get_int64();
        case ValueType::floating:
            return get_double();
        case ValueType::text:
            return get_text();
        case ValueType::blob:
            return get_blob();
        case ValueType::null:
            get_uint64();
            return Null{};
        case ValueType::unix_time:
            return UnixTime{get_int64()};
        case ValueType::iso8601:
            return Iso8601{get_text()};
        case ValueType::boolean:
            return get_uint64() != 0;
    }
    throw Error("dqlite_protocol", "malformed dqlite message: unknown value type code " + std::to_string(type) +
                                       " before offset " + std::to_string(offset_) + " (accepted: 1-5 and 9-11)");
}

}  // namespace microcloud::host::cluster
