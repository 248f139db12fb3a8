// host/common/hex.hpp - bytes as lowercase hexadecimal text (digests, fingerprints).
#pragma once

#include <cstddef>
#include <string>

namespace microcloud::host {

inline std::string to_hex(const unsigned char* data, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += kDigits[data[i] >> 4];
        out += kDigits[data[i] & 0xf];
    }
    return out;
}

}  // namespace microcloud::host
