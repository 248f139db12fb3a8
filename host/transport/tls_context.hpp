// host/transport/tls_context.hpp - checks a member's TLS credentials before a server relies on them.
#pragma once

#include "transport/tls_stream.hpp"

namespace microcloud::host::transport {

// Builds the server-side TLS context TlsStream::accept would build; throws Error("tls_setup") when OpenSSL
// refuses the certificate or the key (or they do not belong together).
void check_server_credentials(const TlsCredentials& credentials);

}  // namespace microcloud::host::transport
