// host/interactive/selectable_table.cpp - the selectable table's keys and drawing.
#include "interactive/selectable_table.hpp"

#include "common/format.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <utility>

namespace microcloud::host::interactive {
namespace {

// A row's identity: its cells joined (rows are told apart by what they show).
std::string key_of(const Row& row) {
    std::string key;
    for (const auto& cell : row) key.append(cell).push_back('\x1f');
    return key;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

}  // namespace

SelectableTable::SelectableTable(std::string title, std::vector<std::string> header, std::vector<Row> rows)
    : title_(std::move(title)), header_(std::move(header)), rows_(std::move(rows)) {}

std::vector<std::size_t> SelectableTable::visible() const {
    std::vector<std::size_t> out;
    const std::string needle = lower(filter_);
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        if (needle.empty()) {
            out.push_back(i);
            continue;
        }
        for (const auto& cell : rows_[i])
            if (lower(cell).find(needle) != std::string::npos) {
                out.push_back(i);
                break;
            }
    }
    return out;
}

void SelectableTable::clamp_cursor() {
    const std::size_t shown = visible().size();
    if (shown == 0)
        cursor_ = 0;
    else if (cursor_ >= shown)
        cursor_ = shown - 1;
}

SelectableTable::State SelectableTable::press(const Key& key) {
    if (state_ != State::open) return state_;
    const std::vector<std::size_t> shown = visible();
    switch (key.kind) {
        case Key::Kind::up:
            if (cursor_ > 0) --cursor_;
            break;
        case Key::Kind::down:
            if (cursor_ + 1 < shown.size()) ++cursor_;
            break;
        case Key::Kind::space:
            if (cursor_ < shown.size()) {
                const std::string k = key_of(rows_[shown[cursor_]]);
                if (!chosen_.erase(k)) chosen_.insert(k);
            }
            break;
        case Key::Kind::right:
            for (const std::size_t i : shown) chosen_.insert(key_of(rows_[i]));
            break;
        case Key::Kind::left:
            for (const std::size_t i : shown) chosen_.erase(key_of(rows_[i]));
            break;
        case Key::Kind::text:
            filter_ += key.text;
            cursor_ = 0;
            break;
        case Key::Kind::backspace:
            if (!filter_.empty()) {
                // Drops the last character, with its UTF-8 continuation bytes.
                std::size_t cut = filter_.size() - 1;
                while (cut > 0 && (static_cast<unsigned char>(filter_[cut]) & 0xc0) == 0x80) --cut;
                filter_.erase(cut);
            }
            break;
        case Key::Kind::enter:
            state_ = State::confirmed;
            break;
        case Key::Kind::escape:
        case Key::Kind::interrupt:
            state_ = State::cancelled;
            break;
    }
    clamp_cursor();
    return state_;
}

void SelectableTable::set_rows(std::vector<Row> rows) {
    rows_ = std::move(rows);
    std::set<std::string> still;
    for (const auto& row : rows_)
        if (chosen_.contains(key_of(row))) still.insert(key_of(row));
    chosen_ = std::move(still);
    clamp_cursor();
}

std::vector<std::size_t> SelectableTable::selected_indexes() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (chosen_.contains(key_of(rows_[i]))) out.push_back(i);
    return out;
}

std::vector<Row> SelectableTable::selected() const {
    std::vector<Row> out;
    for (const std::size_t i : selected_indexes()) out.push_back(rows_[i]);
    return out;
}

std::vector<std::string> SelectableTable::render(bool color) const {
    std::vector<std::string> lines{title_, ""};
    lines.push_back(" Filter | " + (filter_.empty() ? std::string("<type to filter rows>") : filter_));
    const std::vector<std::size_t> shown = visible();
    Table table{{"SEL"}, {}};
    table.columns.insert(table.columns.end(), header_.begin(), header_.end());
    for (const std::size_t i : shown) {
        Row row{chosen_.contains(key_of(rows_[i])) ? "[x]" : "[ ]"};
        row.insert(row.end(), rows_[i].begin(), rows_[i].end());
        table.rows.push_back(std::move(row));
    }
    // Without borders: the header line, then one line per shown row.
    std::istringstream drawn(host::render(nlohmann::json(), table, Format::compact));
    std::size_t n = 0;
    for (std::string line; std::getline(drawn, line); ++n) {
        const bool at_cursor = !shown.empty() && n == cursor_ + 1;
        if (at_cursor && color) line = "\x1b[1m" + line + "\x1b[0m";
        lines.push_back((at_cursor ? " > " : "   ") + line);
    }
    if (shown.empty()) lines.push_back(rows_.empty() ? "   (nothing yet)" : "   (no row matches the filter)");
    lines.push_back(" space to select; enter to confirm");
    lines.push_back(" ↑/↓ to move; → to select all; ← to select none; type to filter");
    return lines;
}

}  // namespace microcloud::host::interactive
