// tests/unit/plugins/lxd/test_data.cpp - reads files from the data directory given at build time.
#include "test_data.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace microcloud::plugins::lxd::test {

std::string read_data(const std::string& name) {
    const std::string path = std::string(LXD_TEST_DATA_DIR) + "/" + name;
    std::ifstream in(path);
    if (!in) throw std::runtime_error("test data file missing: " + path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

sdk::Json load_data(const std::string& name) { return sdk::Json::parse(read_data(name)); }

}  // namespace microcloud::plugins::lxd::test
