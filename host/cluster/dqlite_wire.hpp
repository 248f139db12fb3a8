// host/cluster/dqlite_wire.hpp - the field encodings of the dqlite wire protocol: little-endian
// words, zero-padded text, length-prefixed blobs and tuples (parameters and rows).
#pragma once

#include "cluster/dqlite_value.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace microcloud::host::cluster {

inline constexpr std::size_t kWordSize = 8;

// Rounds a byte count up to whole words.
constexpr std::size_t pad_to_word(std::size_t bytes) {
    return (bytes + kWordSize - 1) / kWordSize * kWordSize;
}

// Appends fields to a growing message body.
class WireWriter {
public:
    void put_uint8(std::uint8_t value);
    void put_uint32(std::uint32_t value);
    void put_uint64(std::uint64_t value);
    void put_int64(std::int64_t value);
    void put_double(double value);
    // Zero-terminated, then zero-padded to a word boundary. Throws Error("dqlite_invalid_value")
    // when the text holds a zero byte (the peer would cut it there).
    void put_text(std::string_view text);
    // Length word, then the bytes zero-padded to a word boundary.
    void put_blob(std::span<const std::uint8_t> bytes);
    // A parameter tuple: count byte, one type byte per value, padding, then the values.
    // UnixTime goes out as an integer (code 1): dqlite 1.11 servers refuse code 9 in parameters.
    // Throws Error("dqlite_invalid_value") beyond 255 values.
    void put_params(const std::vector<Value>& params);
    // A row tuple: one 4-bit type code per value, padding, then the values.
    void put_row(const Row& row);

    const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }
    std::vector<std::uint8_t> take() noexcept { return std::move(bytes_); }

private:
    void put_value(const Value& value);
    void align();  // zero bytes up to the next word boundary

    std::vector<std::uint8_t> bytes_{};
};

// Reads fields from one message body. Every getter throws Error("dqlite_protocol") naming the
// field and offset when the body is too short or malformed.
class WireReader {
public:
    explicit WireReader(std::span<const std::uint8_t> bytes) noexcept : bytes_(bytes) {}

    std::uint8_t get_uint8();
    std::uint32_t get_uint32();
    std::uint64_t get_uint64();
    std::int64_t get_int64();
    double get_double();
    std::string get_text();
    Blob get_blob();
    std::vector<Value> get_params();
    Row get_row(std::size_t columns);

    // The next word without consuming it.
    std::uint64_t peek_uint64() const;
    std::size_t offset() const noexcept { return offset_; }
    std::size_t remaining() const noexcept { return bytes_.size() - offset_; }
    bool at_end() const noexcept { return offset_ == bytes_.size(); }

private:
    std::span<const std::uint8_t> need(std::size_t count, std::string_view what);
    Value get_value(std::uint8_t type);

    std::span<const std::uint8_t> bytes_;
    std::size_t offset_ = 0;
};

}  // namespace microcloud::host::cluster
