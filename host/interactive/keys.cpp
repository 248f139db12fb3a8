// host/interactive/keys.cpp - decoding raw terminal input into keys.
#include "interactive/keys.hpp"

namespace microcloud::host::interactive {
namespace {

// The key of a CSI or SS3 sequence's final byte; Kind::text (ignored) for others.
Key::Kind arrow(char final) {
    switch (final) {
        case 'A':
            return Key::Kind::up;
        case 'B':
            return Key::Kind::down;
        case 'C':
            return Key::Kind::right;
        case 'D':
            return Key::Kind::left;
        default:
            return Key::Kind::text;
    }
}

}  // namespace

std::vector<Key> decode_keys(std::string& pending, bool flush) {
    std::vector<Key> keys;
    std::size_t i = 0;
    while (i < pending.size()) {
        const auto c = static_cast<unsigned char>(pending[i]);
        if (c == 0x1b) {
            if (i + 1 >= pending.size()) {
                if (!flush) break;  // maybe the start of a sequence still arriving
                keys.push_back({Key::Kind::escape});
                ++i;
                continue;
            }
            const char kind = pending[i + 1];
            if (kind != '[' && kind != 'O') {  // ESC then another key: Esc pressed alone
                keys.push_back({Key::Kind::escape});
                ++i;
                continue;
            }
            // CSI: parameters and intermediates (0x20-0x3f), then a final byte (0x40-0x7e).
            std::size_t end = i + 2;
            while (end < pending.size() && static_cast<unsigned char>(pending[end]) < 0x40) ++end;
            if (end >= pending.size()) {
                if (!flush) break;
                i = pending.size();  // an unfinished sequence that will not finish
                continue;
            }
            const Key::Kind k = arrow(pending[end]);
            if (k != Key::Kind::text) keys.push_back({k});
            i = end + 1;
            continue;
        }
        if (c == '\r' || c == '\n') {
            keys.push_back({Key::Kind::enter});
        } else if (c == ' ') {
            keys.push_back({Key::Kind::space});
        } else if (c == 0x7f || c == 0x08) {
            keys.push_back({Key::Kind::backspace});
        } else if (c == 0x03 || c == 0x04) {
            keys.push_back({Key::Kind::interrupt});
        } else if (c >= 0x20) {
            // A printable character, with the continuation bytes of a UTF-8 sequence.
            std::size_t end = i + 1;
            while (end < pending.size() && (static_cast<unsigned char>(pending[end]) & 0xc0) == 0x80) ++end;
            if (!keys.empty() && keys.back().kind == Key::Kind::text)
                keys.back().text += pending.substr(i, end - i);
            else
                keys.push_back({Key::Kind::text, pending.substr(i, end - i)});
            i = end;
            continue;
        }
        ++i;
    }
    pending.erase(0, i);
    return keys;
}

}  // namespace microcloud::host::interactive
