// host/interactive/terminal_asker.cpp - the selectable table on a terminal: raw mode (restored by
// RAII however the table ends), keys read with poll, the table redrawn in place with two VT100
// sequences (cursor up, erase below). Written here rather than with ncurses: curses takes over the
// whole screen, and these few lines of a question must stay in the terminal's scrollback.
#include "interactive/terminal_asker.hpp"

#include "common/error.hpp"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace microcloud::host::interactive {
namespace {

// The terminal without line buffering, echo or signal keys while it lives (Ctrl-C arrives as a key,
// so the table can end cleanly); output processing is kept, so "\n" still starts a new line.
class RawMode {
public:
    explicit RawMode(int fd) : fd_(fd) {
        if (::tcgetattr(fd_, &saved_) != 0)
            throw Error("not_a_terminal", "Cannot read the terminal's settings: standard input is not a terminal");
        termios raw = saved_;
        raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG | IEXTEN);
        raw.c_iflag &= ~static_cast<tcflag_t>(IXON | ICRNL);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        ::tcsetattr(fd_, TCSADRAIN, &raw);
    }
    ~RawMode() { ::tcsetattr(fd_, TCSADRAIN, &saved_); }
    RawMode(const RawMode&) = delete;
    RawMode& operator=(const RawMode&) = delete;

private:
    int fd_;
    termios saved_{};
};

}  // namespace

void TerminalAsker::run(SelectableTable& table, const std::function<std::vector<Row>()>& refresh,
                        std::chrono::milliseconds period) {
    const RawMode raw(in_.fd());
    std::size_t drawn = 0;
    const auto draw = [&] {
        std::string text;
        if (drawn > 0) text += "\r\x1b[" + std::to_string(drawn) + "A\x1b[J";  // back to the table's top
        const std::vector<std::string> lines = table.render(color_);
        for (const auto& line : lines) text += line + "\n";
        drawn = lines.size();
        out_ << text << std::flush;
    };
    if (refresh) table.set_rows(refresh());
    draw();
    std::string pending;
    auto next_refresh = std::chrono::steady_clock::now() + period;
    while (table.state() == SelectableTable::State::open) {
        // A lone ESC waits 50 ms for the rest of its sequence; otherwise wait for keys or a refresh.
        auto wait = pending.empty() ? (refresh ? period : std::chrono::milliseconds(1000)) : std::chrono::milliseconds(50);
        pollfd in{in_.fd(), POLLIN, 0};
        const int ready = ::poll(&in, 1, static_cast<int>(wait.count()));
        bool changed = false;
        if (ready > 0) {
            char chunk[256];
            const ssize_t got = ::read(in_.fd(), chunk, sizeof chunk);
            if (got <= 0) throw Error("aborted", "The terminal closed before the table was answered");
            pending.append(chunk, static_cast<std::size_t>(got));
        }
        for (const Key& key : decode_keys(pending, ready == 0)) {
            table.press(key);
            changed = true;
        }
        if (refresh && std::chrono::steady_clock::now() >= next_refresh) {
            table.set_rows(refresh());
            next_refresh = std::chrono::steady_clock::now() + period;
            changed = true;
        }
        if (changed) draw();
    }
    if (table.state() == SelectableTable::State::cancelled)
        throw Error("cancelled", "Input cancelled: the table was left with Esc or Ctrl-C");
}

std::vector<std::size_t> TerminalAsker::select(const std::string& title, const std::vector<std::string>& header,
                                               const std::vector<Row>& rows) {
    SelectableTable table(title, header, rows);
    run(table, {}, std::chrono::milliseconds(0));
    return table.selected_indexes();
}

std::vector<Row> TerminalAsker::select_live(const std::string& title, const std::vector<std::string>& header,
                                            const std::function<std::vector<Row>()>& refresh,
                                            std::chrono::milliseconds period) {
    SelectableTable table(title, header, {});
    for (;;) {
        run(table, refresh, period);
        if (!table.selected().empty()) return table.selected();
        warn("Select at least one row (space), then press enter");
        table = SelectableTable(title, header, table.rows());
    }
}

}  // namespace microcloud::host::interactive
