// host/interactive/selectable_table.hpp - a table of rows the user moves through and selects from
// with the keys (space selects, → all, ← none, ↑/↓ move, typing filters, enter confirms), as
// upstream's interactive questions show them. The model only: no terminal I/O, so it is tested
// as plain data.
#pragma once

#include "interactive/keys.hpp"

#include <set>
#include <string>
#include <vector>

namespace microcloud::host::interactive {

using Row = std::vector<std::string>;

class SelectableTable {
public:
    enum class State { open, confirmed, cancelled };

    SelectableTable(std::string title, std::vector<std::string> header, std::vector<Row> rows);

    // Applies one key; returns the state after it.
    State press(const Key& key);
    // Replaces the rows (a live table: systems found while it is shown). A row stays selected
    // while a row with the same first cell is there.
    void set_rows(std::vector<Row> rows);

    // The selected rows, in the table's order.
    std::vector<Row> selected() const;
    // The indexes of the selected rows in the table's rows.
    std::vector<std::size_t> selected_indexes() const;
    const std::vector<Row>& rows() const { return rows_; }
    State state() const { return state_; }

    // The lines to draw: the title, the filter, the table with a cursor mark (>) and a selection
    // mark ([x]) per row, and the keys' help. `color`: the cursor row in bold.
    std::vector<std::string> render(bool color) const;

private:
    std::vector<std::size_t> visible() const;  // indexes of the rows the filter lets through
    void clamp_cursor();

    std::string title_;
    std::vector<std::string> header_;
    std::vector<Row> rows_;
    std::set<std::string> chosen_;  // first cells of the selected rows
    std::size_t cursor_ = 0;        // position among the visible rows
    std::string filter_;
    State state_ = State::open;
};

}  // namespace microcloud::host::interactive
