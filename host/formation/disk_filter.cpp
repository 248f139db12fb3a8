// host/formation/disk_filter.cpp - parsing and matching the preseed's disk filter expressions with
// upstream's grammar (LXD shared/filter, MicroCloud's DiskOperatorSet) and upstream's messages.
#include "formation/disk_filter.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <utility>

namespace microcloud::host::formation {
namespace {

enum class Kind { text, number, flag };

// A field of LXD's ResourcesStorageDisk and where our disk facts (host/system/disks.cpp) hold it.
struct Field {
    const char* name;  // LXD's YAML name, the one expressions use
    Kind kind;
    const char* fact;  // key in our facts
};

// LXD field          our facts
// id                 name         (LXD's id is the kernel name, e.g. nvme0n1; our "id" is a /dev path)
// device_id          device_id    when present, else the entry name of a /dev/disk/by-id/ "id"
// device_path        device_path  (by-path entry name; "" when the facts do not carry it)
// model, type, serial, wwn, size, read_only, removable, block_size: same key ("" / 0 when absent).
//   type: ours is hdd|ssd|nvme|loop|cdrom where LXD reports the bus (nvme, scsi, sata, virtio, ...).
// mounted            in_use       (ours also counts other holders: LVM, RAID, swap, ...)
constexpr std::array<Field, 12> kFields{{
    {"id", Kind::text, "name"},
    {"device_id", Kind::text, "device_id"},
    {"device_path", Kind::text, "device_path"},
    {"model", Kind::text, "model"},
    {"type", Kind::text, "type"},
    {"serial", Kind::text, "serial"},
    {"wwn", Kind::text, "wwn"},
    {"size", Kind::number, "size"},
    {"block_size", Kind::number, "block_size"},
    {"read_only", Kind::flag, "read_only"},
    {"removable", Kind::flag, "removable"},
    {"mounted", Kind::flag, "in_use"},
}};

// LXD fields that our facts have no source for.
constexpr std::array<const char*, 9> kUnsupportedFields{"device",      "numa_node",   "firmware_version", "rpm",
                                                        "pci_address", "usb_address", "device_fs_uuid",   "used_by",
                                                        "partitions"};

constexpr std::array<const char*, 6> kOperators{"==", "!=", "<", ">", "<=", ">="};
constexpr const char* kOperatorList = "one of ==, !=, <, >, <=, >=";
constexpr const char* kByIdPrefix = "/dev/disk/by-id/";

const Field* find_field(const std::string& name) {
    for (const auto& field : kFields)
        if (name == field.name) return &field;
    return nullptr;
}

bool iequals(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// ---- parsing --------------------------------------------------------------------------------------

struct Word {
    std::string text;
    std::size_t column;  // 1-based
};

// Splits on whitespace as Go's strings.Fields does (ASCII spaces).
std::vector<Word> split_words(const std::string& text) {
    std::vector<Word> words;
    std::size_t i = 0;
    while (i < text.size()) {
        if (std::isspace(static_cast<unsigned char>(text[i]))) {
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        words.push_back({text.substr(start, i - start), start + 1});
    }
    return words;
}

[[noreturn]] void reject(const std::string& filter, std::size_t column, const std::string& problem,
                         const std::string& expected, nlohmann::json extra = nlohmann::json::object()) {
    extra["filter"] = filter;
    extra["column"] = column;
    extra["expected"] = expected;
    throw Error("invalid_disk_filter",
                "Invalid disk filter " + go_quoted(filter) + " at column " + std::to_string(column) + ": " + problem +
                    " (expected " + expected + ")",
                std::move(extra));
}

// Reads the value starting at words[index]; leaves `index` on its last word. A value opening with
// a quote runs to the word that closes it, its words joined by single spaces.
std::string read_value(const std::string& filter, const std::vector<Word>& words, std::size_t& index) {
    const Word& first = words[index];
    for (const char quote_char : {'"', '\''}) {
        if (first.text.front() != quote_char) continue;
        // A one-word quoted value ('abc'); upstream needs the quote to span two words here.
        if (first.text.size() >= 2 && first.text.back() == quote_char)
            return first.text.substr(1, first.text.size() - 2);
        std::string value = first.text.substr(1);
        while (true) {
            if (++index == words.size())
                reject(filter, first.column, "unterminated quote",
                       std::string("a closing ") + quote_char + " for the value opened at column " +
                           std::to_string(first.column));
            if (words[index].text.back() == quote_char) break;
            value += " " + words[index].text;
        }
        const std::string& last = words[index].text;
        return value + " " + last.substr(0, last.size() - 1);
    }
    return first.text;
}

std::vector<DiskFilterClause> read_clauses(const std::string& filter) {
    const std::vector<Word> words = split_words(filter);
    const std::size_t end_column = filter.size() + 1;
    std::vector<DiskFilterClause> clauses;
    std::string joiner = "&&";
    std::size_t index = 0;
    while (index < words.size()) {
        DiskFilterClause clause;
        clause.column = words[index].column;
        if (words[index].text == "!") {
            clause.negate = true;
            if (++index == words.size())
                reject(filter, end_column, "incomplete not clause", "a field name after \"!\"");
        }
        clause.field = words[index].text;
        if (++index == words.size())
            reject(filter, end_column, "clause has no operator",
                   std::string(kOperatorList) + " after " + go_quoted(clause.field));
        clause.op = words[index].text;
        if (++index == words.size())
            reject(filter, end_column, "clause has no value", "a value after " + go_quoted(clause.op));
        clause.value = read_value(filter, words, index);
        clause.joiner = joiner;
        if (++index < words.size()) {
            joiner = words[index].text;
            if (joiner != "&&" && joiner != "||")
                reject(filter, words[index].column, "invalid clause composition",
                       "\"&&\" or \"||\" between clauses, found " + go_quoted(joiner), {{"found", joiner}});
            if (++index == words.size())
                reject(filter, end_column, "unterminated compound clause", "a clause after " + go_quoted(joiner));
        }
        clauses.push_back(std::move(clause));
    }
    return clauses;
}

std::string field_hint(const std::string& name) {
    if (std::find_if(kUnsupportedFields.begin(), kUnsupportedFields.end(), [&](const char* f) { return name == f; }) !=
        kUnsupportedFields.end())
        return " (LXD knows it, but this host's disk facts do not carry it)";
    if (name.front() == '(' || name.back() == ')')
        return " (parentheses are not supported: clauses are combined left to right)";
    if (name.size() > 1 && name.front() == '!') return " (write \"!\" as a word of its own: \"! field == value\")";
    for (const char* op : kOperators)
        if (name.find(op) != std::string::npos) return " (separate field, operator and value with spaces)";
    return "";
}

std::string field_list() {
    std::string out;
    for (const auto& field : kFields) out += std::string(out.empty() ? "" : ", ") + field.name;
    return out;
}

// Go's strconv.ParseUint(value, 10, 0).
std::uint64_t parse_decimal(const std::string& value) {
    std::uint64_t out = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    const bool digits_only = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
    if (!digits_only) throw std::invalid_argument("strconv.ParseUint: parsing " + go_quoted(value) + ": invalid syntax");
    if (ec != std::errc())
        throw std::invalid_argument("strconv.ParseUint: parsing " + go_quoted(value) + ": value out of range");
    return out;
}

// Go's strconv.ParseBool.
bool parse_flag(const std::string& value) {
    for (const char* yes : {"1", "t", "T", "TRUE", "true", "True"})
        if (value == yes) return true;
    for (const char* no : {"0", "f", "F", "FALSE", "false", "False"})
        if (value == no) return false;
    throw std::invalid_argument("strconv.ParseBool: parsing " + go_quoted(value) + ": invalid syntax");
}

std::string value_expectation(const DiskFilterClause& clause, Kind kind) {
    if (clause.field == "size")
        return "a size in bytes: digits with an optional suffix B, kB, MB, GB, TB, PB, EB, KiB, MiB, GiB, TiB, PiB, "
               "EiB";
    if (kind == Kind::number) return "a whole number";
    return "true or false";
}

// Whether `value` holds "\<digit>": std::regex reads it as a back-reference, which upstream's Go syntax does
// not have (and libstdc++ overflows computing a long one's number), so such a value compares as text.
bool has_back_reference(const std::string& value) {
    for (std::size_t i = 0; i + 1 < value.size(); ++i) {
        if (value[i] != '\\') continue;
        if (std::isdigit(static_cast<unsigned char>(value[i + 1]))) return true;
        ++i;  // the escaped character
    }
    return false;
}

// Sets the clause's typed value, as upstream's ParseUint/ParseBool/ParseRegexp would at match time.
void resolve_value(const std::string& filter, DiskFilterClause& clause, Kind kind) {
    try {
        if (kind == Kind::number)
            clause.number = clause.field == "size" ? static_cast<std::uint64_t>(parse_byte_size(clause.value))
                                                   : parse_decimal(clause.value);
        else if (kind == Kind::flag)
            clause.flag = parse_flag(clause.value);
    } catch (const std::exception& error) {
        reject(filter, clause.column, std::string("Failed parsing value: ") + error.what(),
               value_expectation(clause, kind), {{"field", clause.field}, {"found", clause.value}});
    }
    if (kind != Kind::text || has_back_reference(clause.value)) return;
    const bool anchored = clause.value.find_first_of("^$") != std::string::npos;
    try {
        clause.pattern = std::make_shared<const std::regex>(anchored ? clause.value : "^" + clause.value + "$",
                                                            std::regex::ECMAScript | std::regex::icase);
    } catch (const std::regex_error&) {
        clause.pattern = nullptr;  // compared as text, as upstream does when the value does not compile
    }
}

// Checks the field, the value and the operator, in upstream's order.
void resolve_clause(const std::string& filter, DiskFilterClause& clause) {
    const Field* field = find_field(clause.field);
    if (field == nullptr)
        reject(filter, clause.column, "unknown disk field " + go_quoted(clause.field) + field_hint(clause.field),
               "one of the disk fields " + field_list(), {{"field", clause.field}});
    resolve_value(filter, clause, field->kind);
    const bool known = std::find_if(kOperators.begin(), kOperators.end(),
                                    [&](const char* op) { return clause.op == op; }) != kOperators.end();
    if (!known)
        reject(filter, clause.column, "Unsupported operation " + go_quoted(clause.op), kOperatorList,
               {{"field", clause.field}, {"found", clause.op}});
    const bool ordering = clause.op != "==" && clause.op != "!=";
    if (ordering && field->kind != Kind::number)
        reject(filter, clause.column, "Invalid operator " + go_quoted(clause.op) + " for field " + go_quoted(clause.field),
               "== or != for a text or true/false field", {{"field", clause.field}, {"found", clause.op}});
}

// ---- matching -------------------------------------------------------------------------------------

[[noreturn]] void bad_fact(const nlohmann::json& disk, const std::string& key, const std::string& wanted) {
    const std::string name = disk.contains("path") ? disk["path"].dump() : disk.dump();
    throw Error("invalid_disk_facts", "Disk facts of " + name + ": key " + go_quoted(key) + " is not " + wanted,
                {{"disk", disk}, {"key", key}});
}

const nlohmann::json* fact(const nlohmann::json& disk, const std::string& key) {
    if (!disk.is_object()) bad_fact(disk, key, "readable: the disk is not a JSON object");
    const auto it = disk.find(key);
    return it == disk.end() || it->is_null() ? nullptr : &*it;
}

std::string text_fact(const nlohmann::json& disk, const Field& field) {
    const nlohmann::json* value = fact(disk, field.fact);
    if (value == nullptr && std::string(field.name) == "device_id") {
        const nlohmann::json* id = fact(disk, "id");
        const std::string path = id != nullptr && id->is_string() ? id->get<std::string>() : "";
        return path.starts_with(kByIdPrefix) ? path.substr(std::string(kByIdPrefix).size()) : "";
    }
    if (value == nullptr) return "";
    if (!value->is_string()) bad_fact(disk, field.fact, "text");
    return value->get<std::string>();
}

std::uint64_t number_fact(const nlohmann::json& disk, const Field& field) {
    const nlohmann::json* value = fact(disk, field.fact);
    if (value == nullptr) return 0;
    if (value->is_number_unsigned()) return value->get<std::uint64_t>();
    if (value->is_number_integer() && value->get<std::int64_t>() >= 0)
        return static_cast<std::uint64_t>(value->get<std::int64_t>());
    bad_fact(disk, field.fact, "a whole number of at least 0");
}

bool flag_fact(const nlohmann::json& disk, const Field& field) {
    const nlohmann::json* value = fact(disk, field.fact);
    if (value == nullptr) return false;
    if (!value->is_boolean()) bad_fact(disk, field.fact, "true or false");
    return value->get<bool>();
}

bool compare_number(const std::string& op, std::uint64_t actual, std::uint64_t wanted) {
    if (op == "==") return actual == wanted;
    if (op == "!=") return actual != wanted;
    if (op == "<") return actual < wanted;
    if (op == ">") return actual > wanted;
    if (op == "<=") return actual <= wanted;
    return actual >= wanted;
}

bool clause_matches(const DiskFilterClause& clause, const nlohmann::json& disk) {
    const Field& field = *find_field(clause.field);
    bool equal = false;
    switch (field.kind) {
        case Kind::number:
            return compare_number(clause.op, number_fact(disk, field), clause.number);
        case Kind::flag:
            equal = flag_fact(disk, field) == clause.flag;
            break;
        case Kind::text: {
            const std::string actual = text_fact(disk, field);
            equal = clause.pattern ? std::regex_search(actual, *clause.pattern) : iequals(actual, clause.value);
            break;
        }
    }
    return clause.op == "==" ? equal : !equal;
}

[[noreturn]] void invalid_size(const std::string& message, const std::string& input) {
    throw Error("invalid_size", message, {{"value", input}});
}

}  // namespace

std::string go_quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::int64_t parse_byte_size(const std::string& input) {
    static const std::array<std::pair<const char*, std::int64_t>, 15> kSuffixes{{
        {"", 1},
        {"B", 1},
        {" bytes", 1},
        {"kB", 1000LL},
        {"MB", 1000LL * 1000},
        {"GB", 1000LL * 1000 * 1000},
        {"TB", 1000LL * 1000 * 1000 * 1000},
        {"PB", 1000LL * 1000 * 1000 * 1000 * 1000},
        {"EB", 1000LL * 1000 * 1000 * 1000 * 1000 * 1000},
        {"KiB", 1LL << 10},
        {"MiB", 1LL << 20},
        {"GiB", 1LL << 30},
        {"TiB", 1LL << 40},
        {"PiB", 1LL << 50},
        {"EiB", 1LL << 60},
    }};
    if (input.empty()) return 0;
    const auto first_other =
        std::find_if(input.begin(), input.end(), [](char c) { return !std::isdigit(static_cast<unsigned char>(c)); });
    const std::string digits(input.begin(), first_other);
    const std::string suffix(first_other, input.end());
    if (digits.empty()) invalid_size("Invalid value: " + input, input);
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc()) invalid_size("Invalid integer: " + input, input);
    const auto it = std::find_if(kSuffixes.begin(), kSuffixes.end(), [&](const auto& s) { return suffix == s.first; });
    if (it == kSuffixes.end()) invalid_size("Invalid value: " + input, input);
    std::int64_t bytes = 0;
    if (__builtin_mul_overflow(value, it->second, &bytes))
        invalid_size("Overflow multiplying " + std::to_string(value) + " with " + std::to_string(it->second), input);
    return bytes;
}

const std::vector<std::string>& disk_filter_fields() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& field : kFields) out.emplace_back(field.name);
        return out;
    }();
    return names;
}

DiskFilterExpression DiskFilterExpression::parse(const std::string& find) {
    DiskFilterExpression expression;
    expression.text_ = find;
    expression.clauses_ = read_clauses(find);
    for (auto& clause : expression.clauses_) resolve_clause(find, clause);
    return expression;
}

bool DiskFilterExpression::matches(const nlohmann::json& disk) const {
    bool result = true;
    for (const auto& clause : clauses_) {
        const bool match = clause_matches(clause, disk) != clause.negate;
        result = clause.joiner == "&&" ? result && match : result || match;
    }
    return result;
}

}  // namespace microcloud::host::formation
