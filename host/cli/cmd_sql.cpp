// host/cli/cmd_sql.cpp - `microcloud sql QUERY`: SQL (or ".schema") run on the cluster database
// through the local daemon; "-" reads the query from standard input. For debugging.
#include "cli/command.hpp"
#include "common/error.hpp"

#include <iostream>
#include <iterator>

namespace microcloud::host::cli {
namespace {

std::string cell(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return "NULL";
    return value.dump();
}

}  // namespace

int run_sql(const Invocation& inv) {
    if (inv.args.size() != 1)
        throw Error("invalid_arguments",
                    "Usage: microcloud sql QUERY (SQL statements separated by \";\", \".schema\", or \"-\" to read "
                    "them from standard input)");
    std::string query = inv.args[0];
    if (query == "-") query.assign(std::istreambuf_iterator<char>(std::cin), {});
    const nlohmann::json answer = inv.client().post("/1.0/sql", {{"query", query}});
    if (inv.format != Format::table && inv.format != Format::compact) {
        print(inv, answer, {});
        return 0;
    }
    if (answer.contains("dump")) {
        std::cout << answer["dump"].get<std::string>();
        return 0;
    }
    const nlohmann::json results = answer.value("results", nlohmann::json::array());
    for (std::size_t i = 0; i < results.size(); ++i) {
        const nlohmann::json& result = results[i];
        if (results.size() > 1) std::cout << "=> Query " << i << ":\n\n";
        if (result.value("type", "") == "select") {
            Table table{result.value("columns", std::vector<std::string>{}), {}};
            for (const auto& row : result.value("rows", nlohmann::json::array())) {
                std::vector<std::string> cells;
                for (const auto& value : row) cells.push_back(cell(value));
                table.rows.push_back(std::move(cells));
            }
            print(inv, result, table);
        } else {
            std::cout << "Rows affected: " << result.value("rows_affected", 0) << "\n";
        }
        if (results.size() > 1) std::cout << "\n";
    }
    return 0;
}

}  // namespace microcloud::host::cli
