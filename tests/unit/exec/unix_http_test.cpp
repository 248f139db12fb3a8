// tests/unit/exec/unix_http_test.cpp - unix_http against an httplib server on a temp unix socket.
#include "exec/unix_http.hpp"
#include "common/error.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace microcloud::host::exec {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// A server on <temp dir>/test.socket answering /echo (what arrived), /1.0, /missing and /slow.
class UnixHttpTest : public ::testing::Test {
protected:
    void SetUp() override {
        char dir_template[] = "/tmp/mc-http-XXXXXX";
        ASSERT_NE(::mkdtemp(dir_template), nullptr);
        dir_ = dir_template;
        socket_ = (dir_ / "test.socket").string();

        const auto echo = [](const httplib::Request& request, httplib::Response& response) {
            json headers = json::object();
            for (const auto& [name, value] : request.headers) {
                headers[name] = value;
            }
            response.set_header("X-Echo", "yes");
            response.set_content(json{{"method", request.method},
                                      {"path", request.path},
                                      {"query", request.get_param_value("q")},
                                      {"body", request.body},
                                      {"headers", headers}}
                                     .dump(),
                                 "application/json");
        };
        server_.Get("/echo", echo);
        server_.Post("/echo", echo);
        server_.Put("/echo", echo);
        server_.Patch("/echo", echo);
        server_.Delete("/echo", echo);
        server_.Get("/1.0", [](const httplib::Request&, httplib::Response& response) {
            response.set_content(R"({"type":"sync","status_code":200,"metadata":{"api_version":"1.0"}})",
                                 "application/json");
        });
        server_.Get("/missing", [](const httplib::Request&, httplib::Response& response) {
            response.status = 404;
            response.set_content(R"({"error":"not found"})", "application/json");
        });
        server_.Get("/slow", [](const httplib::Request&, httplib::Response& response) {
            std::this_thread::sleep_for(600ms);
            response.set_content("late", "text/plain");
        });
        server_.set_address_family(AF_UNIX);
        thread_ = std::thread([this] { server_.listen(socket_, 80); });
        for (int i = 0; i < 200 && !server_.is_running(); ++i) {
            std::this_thread::sleep_for(5ms);
        }
        ASSERT_TRUE(server_.is_running());
    }

    void TearDown() override {
        server_.stop();
        if (thread_.joinable()) {
            thread_.join();
        }
        std::filesystem::remove_all(dir_);
    }

    HttpRequest request(std::string method, std::string path) const {
        HttpRequest request;
        request.socket = socket_;
        request.method = std::move(method);
        request.path = std::move(path);
        return request;
    }

    std::filesystem::path dir_;
    std::string socket_;
    httplib::Server server_;
    std::thread thread_;
};

TEST_F(UnixHttpTest, GetsAnAnswer) {
    const HttpReply reply = unix_http(request("GET", "/1.0"));
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(json::parse(reply.body).at("metadata").at("api_version"), "1.0");
    EXPECT_EQ(reply.headers.at("Content-Type"), "application/json");
}

TEST_F(UnixHttpTest, SendsEveryAcceptedMethod) {
    for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
        const HttpReply reply = unix_http(request(method, "/echo"));
        EXPECT_EQ(reply.status, 200) << method;
        EXPECT_EQ(json::parse(reply.body).at("method"), method);
        EXPECT_EQ(reply.headers.at("X-Echo"), "yes");
    }
}

TEST_F(UnixHttpTest, SendsTheBodyAsJsonByDefault) {
    HttpRequest post = request("POST", "/echo");
    post.body = R"({"name":"micro01"})";
    const json echoed = json::parse(unix_http(post).body);
    EXPECT_EQ(echoed.at("body"), post.body);
    EXPECT_EQ(echoed.at("headers").at("Content-Type"), "application/json");
}

TEST_F(UnixHttpTest, HonoursTheCallersContentTypeAndHeaders) {
    HttpRequest put = request("PUT", "/echo");
    put.body = "plain words";
    put.headers = {{"Content-Type", "text/plain"}, {"X-Request-Id", "42"}};
    const json echoed = json::parse(unix_http(put).body);
    EXPECT_EQ(echoed.at("body"), "plain words");
    EXPECT_EQ(echoed.at("headers").at("Content-Type"), "text/plain");
    EXPECT_EQ(echoed.at("headers").at("X-Request-Id"), "42");
}

TEST_F(UnixHttpTest, NamesAHostAGoServerAccepts) {
    const json echoed = json::parse(unix_http(request("GET", "/echo")).body);
    EXPECT_EQ(echoed.at("headers").at("Host"), "unix.socket");
}

TEST_F(UnixHttpTest, KeepsTheQueryString) {
    const json echoed = json::parse(unix_http(request("GET", "/echo?q=all&recursion=1")).body);
    EXPECT_EQ(echoed.at("path"), "/echo");
    EXPECT_EQ(echoed.at("query"), "all");
}

TEST_F(UnixHttpTest, ReturnsErrorStatusesInsteadOfThrowing) {
    const HttpReply reply = unix_http(request("GET", "/missing"));
    EXPECT_EQ(reply.status, 404);
    EXPECT_EQ(json::parse(reply.body).at("error"), "not found");
}

TEST_F(UnixHttpTest, GivesUpAfterTheTimeout) {
    HttpRequest slow = request("GET", "/slow");
    slow.timeout = 150ms;
    const auto start = std::chrono::steady_clock::now();
    try {
        unix_http(slow);
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "socket_unreachable");
        EXPECT_EQ(std::string(error.what()).rfind("cannot reach " + socket_ + ": no answer", 0), 0u) << error.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 550ms);
}

TEST_F(UnixHttpTest, ReportsAMissingSocket) {
    const std::string missing = (dir_ / "absent.socket").string();
    HttpRequest get = request("GET", "/1.0");
    get.socket = missing;
    try {
        unix_http(get);
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "socket_unreachable");
        EXPECT_EQ(std::string(error.what()), "cannot reach " + missing + ": No such file or directory");
        EXPECT_EQ(error.details().at("socket"), missing);
    }
}

TEST_F(UnixHttpTest, ReportsASocketNobodyListensOn) {
    const std::string stale = (dir_ / "stale.socket").string();
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    stale.copy(address.sun_path, sizeof address.sun_path - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    ::close(fd);  // the file stays, nobody listens
    HttpRequest get = request("GET", "/1.0");
    get.socket = stale;
    try {
        unix_http(get);
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "socket_unreachable");
        EXPECT_EQ(std::string(error.what()), "cannot reach " + stale + ": Connection refused");
    }
}

TEST_F(UnixHttpTest, RefusesOtherMethods) {
    try {
        unix_http(request("OPTIONS", "/1.0"));
        FAIL() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "invalid_method");
        EXPECT_EQ(std::string(error.what()),
                  "Unsupported HTTP method \"OPTIONS\" for " + socket_ + " (accepted: GET, POST, PUT, PATCH, DELETE)");
    }
    EXPECT_THROW(unix_http(request("get", "/1.0")), Error);
}

TEST_F(UnixHttpTest, RefusesMalformedRequests) {
    for (HttpRequest bad : {request("GET", "1.0"), request("GET", "")}) {
        try {
            unix_http(bad);
            ADD_FAILURE() << "no error for path \"" << bad.path << "\"";
        } catch (const Error& error) {
            EXPECT_EQ(error.code(), "invalid_request");
        }
    }
    HttpRequest long_path = request("GET", "/1.0");
    long_path.socket = "/tmp/" + std::string(200, 'x');
    EXPECT_THROW(unix_http(long_path), Error);
    HttpRequest no_socket = request("GET", "/1.0");
    no_socket.socket.clear();
    EXPECT_THROW(unix_http(no_socket), Error);
}

TEST_F(UnixHttpTest, ServesMoreThreadsThanTheListenQueueHolds) {
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int i = 0; i < 16; ++i) {
        threads.emplace_back([this, &failures] {
            for (int run = 0; run < 8; ++run) {
                try {
                    failures += unix_http(request("GET", "/1.0")).status == 200 ? 0 : 1;
                } catch (const Error& error) {
                    ++failures;
                    ADD_FAILURE() << error.what();
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failures, 0);
}

TEST_F(UnixHttpTest, ReportsAListenQueueThatStaysFull) {
    const std::string busy = (dir_ / "busy.socket").string();
    const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    busy.copy(address.sun_path, sizeof address.sun_path - 1);
    ASSERT_EQ(::bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(listener, 0), 0);  // never accepts
    std::vector<int> waiting;
    for (int i = 0; i < 8; ++i) {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        waiting.push_back(fd);
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
            break;  // the queue is full now
        }
    }
    HttpRequest get = request("GET", "/1.0");
    get.socket = busy;
    get.timeout = 200ms;
    const auto start = std::chrono::steady_clock::now();
    try {
        unix_http(get);
        ADD_FAILURE() << "no error";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "socket_unreachable");
        EXPECT_EQ(std::string(error.what()),
                  "cannot reach " + busy + ": the server accepted no connection within 200 ms (its queue stayed full)");
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_GE(elapsed, 100ms);
    EXPECT_LT(elapsed, 1500ms);
    for (const int fd : waiting) {
        ::close(fd);
    }
    ::close(listener);
}

}  // namespace
}  // namespace microcloud::host::exec
