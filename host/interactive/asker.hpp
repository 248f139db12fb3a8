// host/interactive/asker.hpp - how an interactive command asks its questions: yes/no, a line of
// text, a choice of table rows. Two ways to answer: keys on a terminal (terminal_asker.hpp) and
// plain lines on a pipe (line_asker.hpp); the questions (setup_questions.hpp) do not know which.
#pragma once

#include "interactive/selectable_table.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace microcloud::host::interactive {

// Checks an answer: "" when it is accepted, else what is wrong with it.
using Validator = std::function<std::string(const std::string&)>;

class Asker {
public:
    virtual ~Asker() = default;
    // "QUESTION (yes/no) [default=yes]: "; asks again until the answer is yes, y, no or n (or empty).
    virtual bool ask_bool(const std::string& question, bool fallback) = 0;
    // "QUESTION [default=X]: "; an empty answer is the default; asks again while `valid` refuses.
    virtual std::string ask_string(const std::string& question, const std::string& fallback,
                                   const Validator& valid) = 0;
    // Shows the rows and returns the indexes of the ones chosen (ascending; may be none).
    virtual std::vector<std::size_t> select(const std::string& title, const std::vector<std::string>& header,
                                            const std::vector<Row>& rows) = 0;
    // Shows rows that `refresh` gives every `period` until the user chose; returns the chosen rows.
    // The rows are told apart by their first cell.
    virtual std::vector<Row> select_live(const std::string& title, const std::vector<std::string>& header,
                                         const std::function<std::vector<Row>()>& refresh,
                                         std::chrono::milliseconds period) = 0;
    // A line of information, and a warning.
    virtual void say(const std::string& text) = 0;
    virtual void warn(const std::string& text) = 0;
};

}  // namespace microcloud::host::interactive
