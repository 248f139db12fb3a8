// host/interactive/line_asker.hpp - questions answered by plain lines (a script, a pipe, a file):
// yes/no and text as typed, a table's rows by number ("1 3", "2-4", "all", or an empty line for
// none), a live table's rows by their first cell (an empty line: all found so far).
#pragma once

#include "interactive/asker.hpp"

#include <optional>
#include <ostream>

namespace microcloud::host::interactive {

// Lines from a file descriptor, waited for with a timeout.
class LineReader {
public:
    explicit LineReader(int fd) : fd_(fd) {}
    // A whole line (without its line break), or nullopt when none came within `wait`. Throws
    // Error("aborted") once the input ended.
    std::optional<std::string> line(std::chrono::milliseconds wait);
    int fd() const { return fd_; }
    // A descriptor that becomes readable when the user interrupts (Ctrl-C seen elsewhere): line()
    // then throws Error("cancelled"). -1: none.
    void set_interrupt(int fd) { interrupt_ = fd; }
    int interrupt_fd() const { return interrupt_; }

private:
    int fd_;
    int interrupt_ = -1;
    std::string buffer_;
    bool closed_ = false;
};

class LineAsker : public Asker {
public:
    LineAsker(LineReader& in, std::ostream& out) : in_(in), out_(out) {}
    bool ask_bool(const std::string& question, bool fallback) override;
    std::string ask_string(const std::string& question, const std::string& fallback, const Validator& valid) override;
    std::vector<std::size_t> select(const std::string& title, const std::vector<std::string>& header,
                                    const std::vector<Row>& rows) override;
    std::vector<Row> select_live(const std::string& title, const std::vector<std::string>& header,
                                 const std::function<std::vector<Row>()>& refresh,
                                 std::chrono::milliseconds period) override;
    void say(const std::string& text) override;
    void warn(const std::string& text) override;

    LineReader& reader() { return in_; }

    // How select_live announces a row it shows for the first time (default: its cells).
    std::function<std::string(const Row&)> describe_found{};

protected:
    // The prompt, then a line (the answer, trimmed).
    std::string ask_line(const std::string& prompt);
    LineReader& in_;
    std::ostream& out_;
};

// "QUESTION (yes/no) [default=yes]: " as upstream words its prompts.
std::string prompt_text(const std::string& question, const std::string& accepted, const std::string& fallback);
// The rows chosen by a line such as "1 3", "2-4, 6", "all" or "" (none), for `count` rows;
// throws Error("invalid_answer") naming what is wrong.
std::vector<std::size_t> parse_row_numbers(const std::string& answer, std::size_t count);

}  // namespace microcloud::host::interactive
