// host/trust/openssl_ptr.cpp - reads OpenSSL's error queue into one line for error messages.
#include "trust/openssl_ptr.hpp"

#include <openssl/err.h>

namespace microcloud::host::trust {

std::string openssl_errors() {
    std::string out;
    while (unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        if (!out.empty()) out += "; ";
        out += buffer;
    }
    return out;
}

}  // namespace microcloud::host::trust
