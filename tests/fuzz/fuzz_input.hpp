// tests/fuzz/fuzz_input.hpp - small helpers shared by the fuzz targets: the input as text, and an input
// split into a one-byte choice and parts separated by a line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

namespace microcloud::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return size == 0 ? std::string_view() : std::string_view(reinterpret_cast<const char*>(data), size);
}

// `text` cut at the first "\n": the line before it and everything after it (all of `text` and "" when
// there is no newline).
inline std::pair<std::string_view, std::string_view> split_line(std::string_view text) {
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos) return {text, {}};
    return {text.substr(0, newline), text.substr(newline + 1)};
}

// A property every accepted input must have; a broken one aborts, which the fuzzer reports as a crash.
inline void require(bool holds) {
    if (!holds) std::abort();
}

// Runs `step`, swallowing an exception of one of the types Expected (how a parser refuses bad input);
// anything else escapes and is a finding.
template <class First, class... Rest, class Step>
void attempt(Step&& step) {
    try {
        if constexpr (sizeof...(Rest) == 0)
            step();
        else
            attempt<Rest...>(step);
    } catch (const First&) {
    }
}

}  // namespace microcloud::fuzz
