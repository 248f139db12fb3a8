// host/interactive/terminal_asker.hpp - questions answered on a terminal: tables drawn in place
// and moved through with the keys (the terminal in raw mode while a table is shown); yes/no and
// text typed as lines, with the terminal's own line editing.
#pragma once

#include "interactive/line_asker.hpp"

namespace microcloud::host::interactive {

class TerminalAsker : public LineAsker {
public:
    // `in` reads the terminal (its fd is put in raw mode while a table is shown); `color`: the
    // cursor's row in bold.
    TerminalAsker(LineReader& in, std::ostream& out, bool color) : LineAsker(in, out), color_(color) {}
    std::vector<std::size_t> select(const std::string& title, const std::vector<std::string>& header,
                                    const std::vector<Row>& rows) override;
    std::vector<Row> select_live(const std::string& title, const std::vector<std::string>& header,
                                 const std::function<std::vector<Row>()>& refresh,
                                 std::chrono::milliseconds period) override;

private:
    // Runs the table until it is confirmed (throws Error("cancelled") on Esc or Ctrl-C);
    // `refresh`, when set, replaces its rows every `period`.
    void run(SelectableTable& table, const std::function<std::vector<Row>()>& refresh,
             std::chrono::milliseconds period);
    bool color_;
};

}  // namespace microcloud::host::interactive
