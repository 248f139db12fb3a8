// host/interactive/keys.hpp - the keys an interactive table reacts to, decoded from the bytes a
// terminal in raw mode sends (VT100/xterm sequences, which tmux and every current terminal use).
#pragma once

#include <string>
#include <vector>

namespace microcloud::host::interactive {

struct Key {
    enum class Kind { up, down, left, right, enter, space, backspace, escape, interrupt, text };
    Kind kind;
    std::string text{};  // the characters typed, for Kind::text
    bool operator==(const Key&) const = default;
};

// Decodes the keys at the front of `pending` and removes their bytes. A lone ESC is left in
// `pending` unless `flush` (the caller waited and nothing followed, so it is the Esc key). Bytes of
// sequences it does not know are dropped.
std::vector<Key> decode_keys(std::string& pending, bool flush);

}  // namespace microcloud::host::interactive
