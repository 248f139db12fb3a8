// host/interactive/line_asker.cpp - answering the questions with plain lines.
#include "interactive/line_asker.hpp"

#include "common/error.hpp"
#include "common/format.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <thread>

namespace microcloud::host::interactive {
namespace {

std::string trim(std::string text) {
    text.erase(0, text.find_first_not_of(" \t"));
    text.erase(text.find_last_not_of(" \t") + 1);
    return text;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// The rows as a table with a leading "#" column numbering them from 1.
std::string numbered_table(const std::vector<std::string>& header, const std::vector<Row>& rows) {
    Table table{{"#"}, {}};
    table.columns.insert(table.columns.end(), header.begin(), header.end());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        Row row{std::to_string(i + 1)};
        row.insert(row.end(), rows[i].begin(), rows[i].end());
        table.rows.push_back(std::move(row));
    }
    return render(nlohmann::json(), table, Format::table);
}

std::size_t row_number(const std::string& word, std::size_t count) {
    std::size_t used = 0;
    unsigned long n = 0;
    try {
        n = std::stoul(word, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != word.size() || word.empty() || n < 1 || n > count)
        throw Error("invalid_answer", "Invalid row \"" + word + "\": give numbers from 1 to " + std::to_string(count) +
                                          ", ranges such as 1-" + std::to_string(count) + ", \"all\" or nothing",
                    {{"value", word}});
    return n - 1;
}

}  // namespace

std::optional<std::string> LineReader::line(std::chrono::milliseconds wait) {
    for (;;) {
        if (const auto end = buffer_.find('\n'); end != std::string::npos) {
            std::string out = buffer_.substr(0, end);
            buffer_.erase(0, end + 1);
            if (!out.empty() && out.back() == '\r') out.pop_back();
            return out;
        }
        if (closed_) {
            if (!buffer_.empty()) return std::exchange(buffer_, {});
            throw Error("aborted", "Standard input ended before the question was answered");
        }
        pollfd fds[2] = {{fd_, POLLIN, 0}, {interrupt_, POLLIN, 0}};
        if (::poll(fds, interrupt_ >= 0 ? 2 : 1, static_cast<int>(wait.count())) <= 0) return std::nullopt;
        if (interrupt_ >= 0 && (fds[1].revents & POLLIN) != 0)
            throw Error("cancelled", "Cancelled from the command line (Ctrl-C)");
        if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        char chunk[4096];
        const ssize_t got = ::read(fd_, chunk, sizeof chunk);
        if (got <= 0)
            closed_ = true;
        else
            buffer_.append(chunk, static_cast<std::size_t>(got));
    }
}

std::string prompt_text(const std::string& question, const std::string& accepted, const std::string& fallback) {
    std::string text = question;
    if (!accepted.empty()) text += " (" + accepted + ")";
    if (!fallback.empty()) text += " [default=" + fallback + "]";
    return text + ": ";
}

std::vector<std::size_t> parse_row_numbers(const std::string& answer, std::size_t count) {
    std::string text = answer;
    std::replace(text.begin(), text.end(), ',', ' ');
    std::set<std::size_t> chosen;
    std::istringstream words(text);
    for (std::string word; words >> word;) {
        if (lower(word) == "all") {
            for (std::size_t i = 0; i < count; ++i) chosen.insert(i);
        } else if (lower(word) == "none") {
            continue;
        } else if (const auto dash = word.find('-'); dash != std::string::npos && dash > 0) {
            const std::size_t from = row_number(word.substr(0, dash), count);
            const std::size_t to = row_number(word.substr(dash + 1), count);
            if (to < from)
                throw Error("invalid_answer", "Invalid range \"" + word + "\": its end comes before its start",
                            {{"value", word}});
            for (std::size_t i = from; i <= to; ++i) chosen.insert(i);
        } else {
            chosen.insert(row_number(word, count));
        }
    }
    return {chosen.begin(), chosen.end()};
}

std::string LineAsker::ask_line(const std::string& prompt) {
    out_ << prompt << std::flush;
    const auto answer = in_.line(std::chrono::hours(24));
    out_ << "\n" << std::flush;
    return trim(answer.value_or(""));
}

bool LineAsker::ask_bool(const std::string& question, bool fallback) {
    for (;;) {
        const std::string answer = lower(ask_line(prompt_text(question, "yes/no", fallback ? "yes" : "no")));
        if (answer.empty()) return fallback;
        if (answer == "yes" || answer == "y") return true;
        if (answer == "no" || answer == "n") return false;
        warn("Invalid input \"" + answer + "\": answer yes or no");
    }
}

std::string LineAsker::ask_string(const std::string& question, const std::string& fallback, const Validator& valid) {
    for (;;) {
        std::string answer = ask_line(prompt_text(question, "", fallback));
        if (answer.empty()) answer = fallback;
        const std::string problem = valid ? valid(answer) : (answer.empty() ? "An answer is needed" : "");
        if (problem.empty()) return answer;
        warn("Invalid input \"" + answer + "\": " + problem);
    }
}

std::vector<std::size_t> LineAsker::select(const std::string& title, const std::vector<std::string>& header,
                                           const std::vector<Row>& rows) {
    out_ << title << "\n" << numbered_table(header, rows) << std::flush;
    for (;;) {
        const std::string answer =
            ask_line("Rows to select (numbers such as \"1 3\" or \"1-" + std::to_string(rows.size()) +
                     "\", \"all\", or nothing for none): ");
        try {
            return parse_row_numbers(answer, rows.size());
        } catch (const Error& error) {
            warn(error.what());
        }
    }
}

std::vector<Row> LineAsker::select_live(const std::string& title, const std::vector<std::string>&,
                                        const std::function<std::vector<Row>()>& refresh,
                                        std::chrono::milliseconds period) {
    out_ << title << "\nType the first column's values of the rows to select, separated by spaces, or press Enter "
                     "to select every row shown so far.\n"
         << std::flush;
    std::set<std::string> shown;
    std::optional<std::set<std::string>> wanted;
    for (;;) {
        const std::vector<Row> rows = refresh();
        for (const auto& row : rows) {
            if (row.empty() || !shown.insert(row.front()).second) continue;
            if (describe_found) {
                out_ << describe_found(row) << "\n";
            } else {
                std::string line = "Found";
                for (const auto& cell : row) line += " " + cell;
                out_ << line << "\n";
            }
            out_ << std::flush;
        }
        if (!wanted) {
            if (auto answer = in_.line(period)) {
                std::istringstream words(*answer);
                std::set<std::string> names;
                for (std::string word; words >> word;) names.insert(word);
                wanted = names;
            }
        } else {
            std::this_thread::sleep_for(period);
        }
        if (!wanted) continue;
        std::vector<Row> chosen;
        std::set<std::string> missing = *wanted;
        for (const auto& row : rows) {
            if (row.empty()) continue;
            if (wanted->empty() || wanted->contains(row.front())) chosen.push_back(row);
            missing.erase(row.front());
        }
        if (wanted->empty() && chosen.empty()) {
            wanted.reset();  // nothing shown yet: wait for another answer
            continue;
        }
        if (missing.empty()) return chosen;
    }
}

void LineAsker::say(const std::string& text) {
    out_ << text << "\n" << std::flush;
}

void LineAsker::warn(const std::string& text) {
    out_ << "! " << text << "\n" << std::flush;
}

}  // namespace microcloud::host::interactive
