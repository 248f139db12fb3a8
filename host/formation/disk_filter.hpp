// host/formation/disk_filter.hpp - the preseed's disk filter language (storage.local[].find,
// storage.ceph[].find): upstream's LXD filter grammar, parsed once and matched against one disk's
// facts (the JSON objects of host/system/disks.cpp).
//
// Grammar (upstream's shared/filter with MicroCloud's DiskOperatorSet):
//   expression := clause { ("&&" | "||") clause }
//   clause     := ["!"] field operator value
//   operator   := "==" | "!=" | "<" | ">" | "<=" | ">="
//   value      := word | quoted            (quoted: '...' or "..." spanning words)
// Every part is a whitespace-separated word ("size>1GiB" is one word, a field name). Clauses are
// folded left to right with no precedence and no parentheses: "a || b && c" is "(a || b) && c".
// "!" negates the one clause it precedes. Text fields compare as a case-insensitive regular
// expression anchored at both ends unless the value holds "^" or "$" (the wildcard: "Samsung.*");
// a value that is not a valid expression compares as case-insensitive text. `size` takes byte
// suffixes (parse_byte_size); other number fields take plain decimals; flags take Go's booleans.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace microcloud::host::formation {

// Parses a byte size as upstream (LXD units.ParseByteSizeString) does: decimal digits then an
// optional suffix, one of B, kB, MB, GB, TB, PB, EB (powers of 1000), KiB, MiB, GiB, TiB, PiB, EiB
// (powers of 1024) or " bytes"; no suffix means bytes and "" is 0. Throws Error("invalid_size")
// with upstream's message: "Invalid value: <text>", "Invalid integer: <text>" or "Overflow ...".
std::int64_t parse_byte_size(const std::string& text);

// `text` in double quotes with `"` and `\` escaped: Go's %q for the plain text upstream's
// messages carry.
std::string go_quoted(const std::string& text);

// The disk fields an expression may name, in the order error messages list them.
const std::vector<std::string>& disk_filter_fields();

// One comparison of an expression: ["!"] field operator value. `joiner` combines it with the result
// of the clauses before it ("&&" or "||"; the first clause's is "&&", as upstream). The typed value
// is resolved when the expression is parsed.
struct DiskFilterClause {
    std::string joiner{};
    bool negate = false;
    std::string field{};
    std::string op{};
    std::string value{};
    std::size_t column = 0;                       // 1-based column of the clause's first word in the expression
    std::uint64_t number = 0;                     // number fields: the value (bytes for size)
    bool flag = false;                            // flag fields: the value
    std::shared_ptr<const std::regex> pattern{};  // text fields: the compiled value, if it compiles
};

// A parsed `find` expression.
class DiskFilterExpression {
public:
    // Parses `find`. Throws Error("invalid_disk_filter") whose message names the expression, the
    // 1-based column and what was expected, and starts with upstream's text ("clause has no value",
    // "unterminated quote", "Invalid operator ...", "Failed parsing value: ..."); an unknown field
    // lists the accepted ones. details: filter, column, expected (and field/found when known).
    // An expression of only whitespace has no clauses and matches every disk, as upstream.
    static DiskFilterExpression parse(const std::string& find);

    // Whether `disk` (one object of the facts' disks array) satisfies the expression. A facts key
    // of the wrong JSON type is Error("invalid_disk_facts"); a missing key counts as upstream's
    // zero value ("", 0, false).
    bool matches(const nlohmann::json& disk) const;

    // The expression as written.
    const std::string& text() const noexcept { return text_; }

    // The clauses in order.
    const std::vector<DiskFilterClause>& clauses() const noexcept { return clauses_; }

private:
    std::string text_{};
    std::vector<DiskFilterClause> clauses_{};
};

}  // namespace microcloud::host::formation
