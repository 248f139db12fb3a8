// host/trust/wordlist.hpp - the project's own list of short, common English words for passphrases.
#pragma once

#include <span>
#include <string_view>

namespace microcloud::host::trust {

// At least 1024 distinct lowercase words of 3-7 letters (a-z only), in a fixed order.
std::span<const std::string_view> passphrase_words();

}  // namespace microcloud::host::trust
