// bench/cluster_store_bench.cpp - reads and writes per second and p50/p99 latency of MicroCloud's
// store on a 3-voter dqlite cluster (three real nodes in this process, reached through the
// member TLS listener and tunnels exactly as microcloudd does, over loopback), beside the same
// statements on a local SQLite file in the same run; prints the ratios.
// Usage: bench_cluster_store [--writes N] [--reads N]   (defaults 300 and 2000; bounded)
#include "cluster/dqlite_client.hpp"
#include "cluster/dqlite_leader.hpp"
#include "cluster/dqlite_node.hpp"
#include "store/store.hpp"
#include "transport/peer_client.hpp"
#include "transport/peer_server.hpp"
#include "trust/certificate.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace microcloud::host;
using Clock = std::chrono::steady_clock;

namespace {

struct Figures {
    double per_second = 0;
    double p50_us = 0;
    double p99_us = 0;
};

Figures measure(std::size_t count, const std::function<void(std::size_t)>& operation) {
    std::vector<double> latencies;
    latencies.reserve(count);
    const auto begin = Clock::now();
    for (std::size_t i = 0; i < count; ++i) {
        const auto t0 = Clock::now();
        operation(i);
        latencies.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    std::sort(latencies.begin(), latencies.end());
    const auto at = [&](double q) {
        return latencies[std::min(latencies.size() - 1, static_cast<std::size_t>(q * latencies.size()))];
    };
    return {static_cast<double>(count) / seconds, at(0.50), at(0.99)};
}

// A free loopback port (the listener needs its address before the node is created).
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    ::close(fd);
    return ntohs(address.sin_port);
}

// One member as microcloudd runs it: a dqlite node on an abstract socket behind a TLS listener.
struct BenchMember {
    std::string address;
    std::unique_ptr<transport::Tunnels> tunnels = std::make_unique<transport::Tunnels>();
    std::unique_ptr<cluster::DqliteNode> node;
    std::unique_ptr<transport::PeerServer> server;
    cluster::Dialer dial;
};

void check_sqlite(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "sqlite: %s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t writes = 300, reads = 2000;
    for (int i = 1; i < argc; i += 2) {
        const std::string flag = argv[i];
        const char* text = i + 1 < argc ? argv[i + 1] : "";
        char* end = nullptr;
        const auto value = static_cast<std::size_t>(std::strtoul(text, &end, 10));
        if ((flag != "--writes" && flag != "--reads") || *text == '\0' || *end != '\0') {
            std::fprintf(stderr, "bench_cluster_store: \"%s %s\" is not accepted (accepted: --writes N (10-5000), "
                                 "--reads N (10-50000))\n", flag.c_str(), text);
            return 2;
        }
        if (flag == "--writes")
            writes = std::clamp<std::size_t>(value, 10, 5000);
        else
            reads = std::clamp<std::size_t>(value, 10, 50000);
    }
    char pattern[] = "/tmp/mc-bench-XXXXXX";
    const std::filesystem::path dir = ::mkdtemp(pattern);

    // Cluster credentials: one cluster certificate (what listeners present), one member cert.
    const auto cluster_cert = trust::generate_self_signed("microcloud", {});
    const auto member_cert = trust::generate_self_signed("bench", {});
    const std::string member_fp = trust::fingerprint(member_cert.certificate_pem);
    transport::PeerClientOptions client_options;
    client_options.credentials = {member_cert.certificate_pem, member_cert.key_pem};
    client_options.server_fingerprints = {trust::fingerprint(cluster_cert.certificate_pem)};

    std::vector<BenchMember> members(3);
    for (std::size_t i = 0; i < members.size(); ++i) {
        BenchMember& m = members[i];
        m.address = "127.0.0.1:" + std::to_string(free_port());
        BenchMember* self = &m;
        m.dial = [self, tunnel = transport::tunnel_dialer(*m.tunnels, [client_options] { return client_options; })](
                     const std::string& address) -> int {
            if (address == self->address) return cluster::dial_address(self->node->bind_address()).release();
            return tunnel(address);
        };
        cluster::NodeConfig config;
        config.id = i == 0 ? cluster::kBootstrapNodeId : cluster::generate_node_id(m.address);
        config.address = m.address;
        config.data_dir = dir / ("node" + std::to_string(i));
        config.bind_address = "@";
        config.dial = m.dial;
        config.network_latency = std::chrono::milliseconds(20);
        m.node = std::make_unique<cluster::DqliteNode>(std::move(config));
        m.node->start();
        transport::PeerServerOptions options;
        options.listen_address = m.address;
        options.credentials = {cluster_cert.certificate_pem, cluster_cert.key_pem};
        options.trusted = [member_fp](const std::string& fp) { return fp == member_fp; };
        m.server = std::make_unique<transport::PeerServer>(std::move(options));
        m.server->upgrade_route("/1.0/dqlite", "dqlite",
                                [self](const transport::PeerRequest&, transport::TlsStream& s) {
                                    transport::bridge(s, cluster::dial_address(self->node->bind_address()));
                                });
        m.server->start();
    }
    cluster::LeaderSearch search;
    for (const auto& m : members) search.addresses.push_back(m.address);
    search.client.dial = members[0].dial;
    {
        cluster::Client leader = cluster::connect_to_leader(search);
        for (std::size_t i = 1; i < members.size(); ++i) {
            leader.add(members[i].node->id(), members[i].address);
            leader.assign(members[i].node->id(), cluster::Role::voter);
        }
    }
    store::Store cluster_store([search] { return cluster::connect_to_leader(search); });
    cluster_store.migrate();

    sqlite3* local = nullptr;
    check_sqlite(sqlite3_open((dir / "local.db").c_str(), &local), local, "open");
    check_sqlite(sqlite3_exec(local, "PRAGMA journal_mode=WAL; CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT)",
                              nullptr, nullptr, nullptr),
                 local, "schema");
    sqlite3_stmt* put = nullptr;
    sqlite3_stmt* get = nullptr;
    check_sqlite(
        sqlite3_prepare_v2(local, "INSERT OR REPLACE INTO config (key, value) VALUES (?, ?)", -1, &put, nullptr), local,
        "prepare");
    check_sqlite(sqlite3_prepare_v2(local, "SELECT value FROM config WHERE key = ?", -1, &get, nullptr), local,
                 "prepare");
    const auto key = [](std::size_t i) { return "bench.key." + std::to_string(i % 100); };

    const Figures local_write = measure(writes, [&](std::size_t i) {
        const std::string k = key(i), v = std::to_string(i);
        sqlite3_bind_text(put, 1, k.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(put, 2, v.c_str(), -1, SQLITE_TRANSIENT);
        check_sqlite(sqlite3_step(put), local, "insert");
        sqlite3_reset(put);
    });
    const Figures local_read = measure(reads, [&](std::size_t i) {
        const std::string k = key(i);
        sqlite3_bind_text(get, 1, k.c_str(), -1, SQLITE_TRANSIENT);
        check_sqlite(sqlite3_step(get), local, "select");
        sqlite3_reset(get);
    });
    const Figures dq_write =
        measure(writes, [&](std::size_t i) { cluster_store.set_config(key(i), std::to_string(i)); });
    const Figures dq_read = measure(reads, [&](std::size_t i) { (void)cluster_store.get_config(key(i)); });

    sqlite3_finalize(put);
    sqlite3_finalize(get);
    sqlite3_close(local);

    std::printf("store benchmark: %zu writes, %zu reads (config rows)\n", writes, reads);
    std::printf("%-34s %12s %10s %10s\n", "", "ops/s", "p50 us", "p99 us");
    const auto row = [](const char* name, const Figures& f) {
        std::printf("%-34s %12.0f %10.1f %10.1f\n", name, f.per_second, f.p50_us, f.p99_us);
    };
    row("local SQLite file: write", local_write);
    row("dqlite 3 voters over TLS: write", dq_write);
    row("local SQLite file: read", local_read);
    row("dqlite 3 voters over TLS: read", dq_read);
    std::printf("ratio dqlite/local (throughput): writes %.4f, reads %.4f\n",
                dq_write.per_second / local_write.per_second, dq_read.per_second / local_read.per_second);
    std::printf("ratio dqlite/local (p50 latency): writes %.1fx, reads %.1fx\n", dq_write.p50_us / local_write.p50_us,
                dq_read.p50_us / local_read.p50_us);

    cluster_store.disconnect();
    for (auto& m : members) m.server->stop();
    for (auto it = members.rbegin(); it != members.rend(); ++it) it->node->stop();
    for (auto& m : members) m.tunnels->stop();
    std::filesystem::remove_all(dir);
    return 0;
}
