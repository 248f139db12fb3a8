// host/transport/http_wire.cpp - HTTP/1.1 messages on a TlsStream via Boost.Beast, reads bounded by a deadline.
#include "transport/http_wire.hpp"

#include "common/error.hpp"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <sstream>

namespace microcloud::host::transport::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

using Clock = net::Clock;

// A message already in memory, read through the same code as a TlsStream (parse_request, parse_response).
class TextStream {
public:
    explicit TextStream(std::string_view text) : text_(text) {}
    const std::string& remote_address() const noexcept { return address_; }
    void set_timeout(std::chrono::milliseconds) {}
    std::size_t read_some(void* data, std::size_t size) {
        const std::size_t count = std::min(size, text_.size());
        if (count == 0) return 0;
        std::memcpy(data, text_.data(), count);
        text_.remove_prefix(count);
        return count;
    }

private:
    std::string_view text_;
    std::string address_ = "the message text";
};

// Applies what is left of `deadline` to the stream's next read or write.
template <class Stream>
void arm(Stream& stream, Clock::time_point deadline) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
        throw Error("tls_timeout", "the exchange with " + stream.remote_address() + " ran out of time",
                    {{"address", stream.remote_address()}});
    }
    stream.set_timeout(left);
}

// Reads up to and including the empty line that ends a head, one byte at a time: OpenSSL hands these out
// from the record it already decrypted, and nothing after the head leaves the stream.
template <class Stream>
std::string read_head(Stream& stream, Clock::time_point deadline) {
    std::string head;
    while (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) {
        if (head.size() >= kMaxHeadBytes) {
            throw Error("http_head_too_large",
                        "the message head from " + stream.remote_address() + " is longer than " +
                            std::to_string(kMaxHeadBytes) + " bytes",
                        {{"address", stream.remote_address()}});
        }
        char byte = 0;
        arm(stream, deadline);
        if (stream.read_some(&byte, 1) == 0) {
            if (head.empty()) {
                throw Error("http_closed", stream.remote_address() + " closed the connection without a message",
                            {{"address", stream.remote_address()}});
            }
            throw Error("http_invalid", "the connection from " + stream.remote_address() + " ended inside a head",
                        {{"address", stream.remote_address()}});
        }
        head += byte;
    }
    return head;
}

template <class Stream>
[[noreturn]] void parse_failed(const Stream& stream, const beast::error_code& error) {
    if (error == bhttp::error::body_limit) {
        throw Error("http_body_too_large", "the message body from " + stream.remote_address() + " is too large",
                    {{"address", stream.remote_address()}});
    }
    if (error == bhttp::error::header_limit) {
        throw Error("http_head_too_large", "the message head from " + stream.remote_address() + " is too large",
                    {{"address", stream.remote_address()}});
    }
    throw Error("http_invalid", "malformed HTTP message from " + stream.remote_address() + ": " + error.message(),
                {{"address", stream.remote_address()}});
}

template <class Stream, bool isRequest>
void read_message(Stream& stream, bhttp::parser<isRequest, bhttp::string_body>& parser, Clock::time_point deadline) {
    parser.eager(true);
    parser.header_limit(static_cast<std::uint32_t>(kMaxHeadBytes));
    const std::string head = read_head(stream, deadline);
    beast::error_code error;
    parser.put(boost::asio::buffer(head), error);
    if (error) {
        parse_failed(stream, error);
    }
    // The body: exactly Content-Length bytes when given, otherwise whatever the framing says.
    std::string unparsed;
    std::array<char, 16 * 1024> buffer{};
    while (!parser.is_done()) {
        std::size_t want = buffer.size();
        if (const auto remaining = parser.content_length_remaining()) {
            want = static_cast<std::size_t>(std::min<std::uint64_t>(want, std::max<std::uint64_t>(*remaining, 1)));
        }
        arm(stream, deadline);
        const std::size_t got = stream.read_some(buffer.data(), want);
        if (got == 0) {
            parser.put_eof(error);
            if (error) {
                parse_failed(stream, error);
            }
            break;
        }
        unparsed.append(buffer.data(), got);
        const std::size_t used = parser.put(boost::asio::buffer(unparsed), error);
        if (error == bhttp::error::need_more) {
            error = {};
        } else if (error) {
            parse_failed(stream, error);
        }
        unparsed.erase(0, used);
    }
}

template <class Fields>
std::map<std::string, std::string> lowered_headers(const Fields& fields) {
    std::map<std::string, std::string> out;
    for (const auto& field : fields) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        auto [entry, inserted] = out.emplace(name, std::string(field.value()));
        if (!inserted) {
            entry->second += ", " + std::string(field.value());
        }
    }
    return out;
}

template <class Body>
std::string serialise(const Body& message) {
    std::ostringstream out;
    out << message;
    return out.str();
}

template <class Stream>
Message request_from(Stream& stream, Clock::time_point deadline, std::size_t max_body) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(max_body);
    read_message(stream, parser, deadline);
    const auto& request = parser.get();
    Message out;
    out.method = std::string(request.method_string());
    out.target = std::string(request.target());
    out.headers = lowered_headers(request);
    out.body = request.body();
    return out;
}

template <class Stream>
Message response_from(Stream& stream, const std::string& method, Clock::time_point deadline, std::size_t max_body) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(max_body);
    parser.skip(iequals(method, "HEAD"));
    read_message(stream, parser, deadline);
    const auto& response = parser.get();
    Message out;
    out.status = static_cast<int>(response.result_int());
    out.headers = lowered_headers(response);
    out.body = response.body();
    return out;
}

}  // namespace

Message read_request(TlsStream& stream, Clock::time_point deadline, std::size_t max_body) {
    return request_from(stream, deadline, max_body);
}

Message read_response(TlsStream& stream, const std::string& method, Clock::time_point deadline, std::size_t max_body) {
    return response_from(stream, method, deadline, max_body);
}

Message parse_request(std::string_view wire, std::size_t max_body) {
    TextStream stream(wire);
    return request_from(stream, Clock::time_point::max(), max_body);
}

Message parse_response(std::string_view wire, const std::string& method, std::size_t max_body) {
    TextStream stream(wire);
    return response_from(stream, method, Clock::time_point::max(), max_body);
}

std::string request_text(const std::string& method, const std::string& target, const Headers& headers,
                         const std::string& body) {
    bhttp::request<bhttp::string_body> request;
    request.method_string(method);
    request.target(target);
    request.version(11);
    for (const auto& [name, value] : headers) {
        request.set(name, value);
    }
    request.body() = body;
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        request.content_length(body.size());
    }
    return serialise(request);
}

std::string response_text(int status, const Headers& headers, const std::string& body) {
    bhttp::response<bhttp::string_body> response;
    response.result(static_cast<unsigned>(status));
    response.version(11);
    for (const auto& [name, value] : headers) {
        response.set(name, value);
    }
    response.body() = body;
    if (status >= 200 && status != 204 && status != 304) {
        response.content_length(body.size());
    }
    return serialise(response);
}

bool iequals(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

bool has_token(const std::string& value, const std::string& token) {
    std::size_t start = 0;
    while (start <= value.size()) {
        const std::size_t comma = std::min(value.find(',', start), value.size());
        std::string item = value.substr(start, comma - start);
        const auto first = item.find_first_not_of(" \t");
        const auto last = item.find_last_not_of(" \t");
        item = first == std::string::npos ? std::string() : item.substr(first, last - first + 1);
        if (iequals(item, token)) {
            return true;
        }
        start = comma + 1;
    }
    return false;
}

}  // namespace microcloud::host::transport::http
