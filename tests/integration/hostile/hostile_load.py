#!/usr/bin/env python3
# tests/integration/hostile/hostile_load.py - hostile load against one member's TLS port (9443) or the
# discovery multicast port, bounded in count and time, run inside a lab member (`lab exec mN --`);
# and a sampler of one process's peak threads, descriptors and RSS (run outside, reads /proc only).
#   hostile_load.py idle       TARGET_IP --subnet CIDR --count N --seconds S   N plain TCP connections held
#                              [--from IP,IP,...]                               ... spread over these source addresses
#   hostile_load.py half-tls   TARGET_IP --subnet CIDR --count N --seconds S   each sent a partial ClientHello
#   hostile_load.py slow-head  TARGET_IP --subnet CIDR --count N --seconds S   TLS, then one header line a second
#   hostile_load.py big-head   TARGET_IP --subnet CIDR --count N               a 1 MiB header / 20000 headers, 16 at once
#   hostile_load.py big-body   TARGET_IP --subnet CIDR --count N               64 MiB declared, 2 MiB sent; chunked; 16 at once
#   hostile_load.py garbage-udp OWN_IP   --subnet CIDR --count N --seconds S   random datagrams to the group
#   hostile_load.py tunnel     TARGET_IP --subnet CIDR --cert C --key K --seconds S
#                              a dqlite tunnel (GET /1.0/dqlite upgrade) with a member's certificate, held
#                              until the server closes it; prints "upgraded" once open
#   hostile_load.py sample PID --seconds S                                     peak threads, fds, RSS (KiB)
# Each prints one JSON line. Connections are re-opened when the server closes them (an attacker that
# keeps trying), at most --rate a second. Targets outside --subnet are refused.
import argparse
import ipaddress
import json
import os
import random
import resource
import selectors
import socket
import ssl
import statistics
import sys
import threading
import time

PORT = 9443
WORKERS = 16  # oversized requests at once: as many as the member lets one address open
GROUP = "239.100.100.100"
DISCOVERY_PORT = 9444
# A TLS record header announcing a 512-byte ClientHello, and the first bytes of it: the server waits for the rest.
PARTIAL_CLIENT_HELLO = bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]) + os.urandom(16)


def tls_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def hold_connections(target: str, count: int, seconds: float, rate: int, payload: bytes, sources: list) -> dict:
    """Keeps up to `count` connections open for `seconds`, re-opening those the server closes; new
    connections take their source address from `sources` in turn (none: the kernel's choice)."""
    resource.setrlimit(resource.RLIMIT_NOFILE, (count + 256, count + 256))
    selector = selectors.DefaultSelector()
    opened = {}  # socket -> time connected (or started connecting)
    lifetimes = []  # seconds between connect and the server closing, for connections that got connected
    stats = {"connects": 0, "connected": 0, "closed_by_server": 0, "failed": 0, "max_open": 0}
    if sources:
        stats["sources"] = len(sources)
    end = time.monotonic() + seconds
    budget, budget_at = float(rate), time.monotonic()

    def open_one() -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        if sources:
            try:
                sock.bind((sources[stats["connects"] % len(sources)], 0))
            except OSError:
                sock.close()
                raise
        sock.connect_ex((target, PORT))
        selector.register(sock, selectors.EVENT_WRITE, "connecting")
        opened[sock] = time.monotonic()
        stats["connects"] += 1

    def drop(sock: socket.socket) -> None:
        selector.unregister(sock)
        del opened[sock]
        sock.close()

    while (now := time.monotonic()) < end:
        budget = min(float(rate), budget + (now - budget_at) * rate)
        budget_at = now
        while len(opened) < count and budget >= 1:
            try:
                open_one()
            except OSError:
                stats["failed"] += 1
                break
            budget -= 1
        stats["max_open"] = max(stats["max_open"], len(opened))
        for key, events in selector.select(timeout=0.05):
            sock = key.fileobj
            if key.data == "connecting":
                error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if error:
                    stats["failed"] += 1
                    drop(sock)
                    continue
                stats["connected"] += 1
                opened[sock] = time.monotonic()
                try:
                    if payload:
                        sock.send(payload)
                except OSError:
                    pass
                selector.modify(sock, selectors.EVENT_READ, "open")
                continue
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            if not data:  # the server closed it (or reset it)
                stats["closed_by_server"] += 1
                lifetimes.append(time.monotonic() - opened[sock])
                drop(sock)
    for sock in list(opened):
        drop(sock)
    stats["lifetime_max_s"] = round(max(lifetimes), 2) if lifetimes else None
    stats["lifetime_median_s"] = round(statistics.median(lifetimes), 3) if lifetimes else None
    # How long the connections the server held longest were held: the handshake deadline at work.
    lifetimes.sort()
    stats["lifetime_p99_s"] = round(lifetimes[int(len(lifetimes) * 0.99)], 2) if lifetimes else None
    return stats


def slow_head(target: str, count: int, seconds: float) -> dict:
    """TLS connections that send a request head one short line a second (slowloris)."""
    results = []
    lock = threading.Lock()

    def one() -> None:
        started = time.monotonic()
        outcome = "held_to_end"
        try:
            raw = socket.create_connection((target, PORT), timeout=5)
            conn = tls_context().wrap_socket(raw)
            conn.settimeout(1.0)
            conn.sendall(b"POST /1.0/cluster/join HTTP/1.1\r\nHost: member\r\n")
            n = 0
            while time.monotonic() - started < seconds:
                try:
                    data = conn.recv(4096)
                    outcome = "closed_by_server" if not data else "answered:" + data.split(b" ", 2)[1].decode()
                    break
                except (socket.timeout, TimeoutError):
                    pass
                n += 1
                conn.sendall(b"X-Slow-%d: a\r\n" % n)
            conn.close()
        except (OSError, ssl.SSLError) as error:
            outcome = "closed_by_server" if time.monotonic() - started > 0.5 else "refused:" + type(error).__name__
        with lock:
            results.append((outcome, time.monotonic() - started))

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
        time.sleep(0.01)
    for thread in threads:
        thread.join(seconds + 15)
    outcomes = {}
    for outcome, _ in results:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    held = [t for o, t in results if o != "held_to_end" and not o.startswith("refused")]
    return {"connections": count, "outcomes": outcomes, "held_max_s": round(max(held), 2) if held else None}


def oversized(target: str, count: int, kind: str) -> dict:
    """Requests whose head or body is far over any sane size; counts the answers by status."""
    statuses = {}
    lock = threading.Lock()
    junk = b"a" * 65536

    def request(which: int) -> str:
        raw = socket.create_connection((target, PORT), timeout=10)
        conn = tls_context().wrap_socket(raw)
        conn.settimeout(10)
        try:
            if kind == "big-head" and which % 2 == 0:  # one header of 1 MiB
                conn.sendall(b"GET /1.0 HTTP/1.1\r\nHost: member\r\nX-Big: ")
                for _ in range(16):
                    conn.sendall(junk)
                conn.sendall(b"\r\n\r\n")
            elif kind == "big-head":  # 20000 small headers
                conn.sendall(b"GET /1.0 HTTP/1.1\r\nHost: member\r\n" + b"".join(b"X-%d: b\r\n" % i for i in range(20000)) + b"\r\n")
            elif which % 2 == 0:  # declares 64 MiB, sends 2 MiB
                conn.sendall(b"POST /1.0/cluster/join HTTP/1.1\r\nHost: member\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 67108864\r\n\r\n")
                for _ in range(32):
                    conn.sendall(junk)
            else:  # chunked, 2 MiB in 64 KiB chunks
                conn.sendall(b"POST /1.0/cluster/join HTTP/1.1\r\nHost: member\r\nTransfer-Encoding: chunked\r\n\r\n")
                for _ in range(32):
                    conn.sendall(b"10000\r\n" + junk + b"\r\n")
                conn.sendall(b"0\r\n\r\n")
        except (OSError, ssl.SSLError):
            pass  # the server stopped reading and closed: its answer may still be there
        try:
            head = conn.recv(4096)
            return head.split(b" ", 2)[1].decode() if head.startswith(b"HTTP/1.1 ") else "closed"
        except (OSError, ssl.SSLError):
            return "closed"
        finally:
            conn.close()

    def worker(first: int) -> None:
        for which in range(first, count, WORKERS):
            try:
                status = request(which)
            except (OSError, ssl.SSLError) as error:
                status = "refused:" + type(error).__name__
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return {"requests": count, "statuses": statuses}


def tunnel(target: str, cert: str, key: str, seconds: float) -> dict:
    """Opens a dqlite tunnel as a member would (upgrade, then dqlite's protocol version) and holds it
    idle until the server closes it or `seconds` pass."""
    context = tls_context()
    context.load_cert_chain(cert, key)
    raw = socket.create_connection((target, PORT), timeout=5)
    conn = context.wrap_socket(raw)
    conn.sendall(b"GET /1.0/dqlite HTTP/1.1\r\nHost: member\r\nConnection: Upgrade\r\nUpgrade: dqlite\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        data = conn.recv(1)
        if not data:
            break
        head += data
    status = head.split(b" ", 2)[1].decode() if head.startswith(b"HTTP/1.1 ") else "none"
    if status != "101":
        conn.close()
        return {"upgraded": False, "status": status}
    conn.sendall((1).to_bytes(8, "little"))  # dqlite's protocol version: the server now waits for requests
    print("upgraded", flush=True)
    opened = time.monotonic()
    conn.settimeout(0.5)
    outcome = "held_to_end"
    while time.monotonic() - opened < seconds:
        try:
            data = conn.recv(4096)
        except (socket.timeout, TimeoutError):
            continue
        except (OSError, ssl.SSLError):
            data = b""
        if not data:
            outcome = "closed_by_server"
            break
    conn.close()
    return {"upgraded": True, "outcome": outcome, "held_s": round(time.monotonic() - opened, 2),
            "closed_at_ms": int(time.time() * 1000)}


def garbage_udp(own: str, count: int, seconds: float) -> dict:
    """Random datagrams (some near-valid JSON, some 8 KiB) to the discovery group, within `seconds`."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(own))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    shapes = [
        lambda: os.urandom(random.randint(0, 1400)),
        lambda: os.urandom(8192),
        lambda: b'{"version":' + os.urandom(random.randint(1, 64)),
        lambda: b'{"version": "' + b"9" * random.randint(1, 1200) + b'"}',
        lambda: b"[" * random.randint(1, 1400),
    ]
    sent = errors = 0
    end = time.monotonic() + seconds
    while sent < count and time.monotonic() < end:
        try:
            sock.sendto(random.choice(shapes)(), (GROUP, DISCOVERY_PORT))
            sent += 1
        except OSError:
            errors += 1
            time.sleep(0.001)
    return {"datagrams": sent, "send_errors": errors}


def sample(pid: int, seconds: float) -> dict:
    """Peak threads, open descriptors and RSS of process `pid`, every 50 ms for `seconds`."""
    peak = {"threads": 0, "fds": 0, "rss_kib": 0}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("Threads:"):
                        peak["threads"] = max(peak["threads"], int(line.split()[1]))
                    elif line.startswith("VmRSS:"):
                        peak["rss_kib"] = max(peak["rss_kib"], int(line.split()[1]))
            peak["fds"] = max(peak["fds"], len(os.listdir(f"/proc/{pid}/fd")))
        except (FileNotFoundError, ProcessLookupError):
            peak["gone"] = True
            break
        time.sleep(0.05)
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["idle", "half-tls", "slow-head", "big-head", "big-body", "garbage-udp", "tunnel",
                                         "sample"])
    parser.add_argument("target", help="the member's address (garbage-udp: this member's own address; sample: a pid)")
    parser.add_argument("--subnet", help="the lab's cluster subnet: targets outside it are refused")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=int, default=1500, help="new connections a second at most")
    parser.add_argument("--from", dest="sources", default="", help="idle: source addresses to spread over, comma-separated")
    parser.add_argument("--cert", help="tunnel: the member certificate to present")
    parser.add_argument("--key", help="tunnel: its key")
    args = parser.parse_args()
    if args.mode == "sample":
        print(json.dumps(sample(int(args.target), min(args.seconds, 120))), flush=True)
        return 0
    if not args.subnet or ipaddress.ip_address(args.target) not in ipaddress.ip_network(args.subnet, strict=False):
        print(f"refusing target {args.target}: not inside the lab subnet {args.subnet}", file=sys.stderr)
        return 2
    count = min(args.count, 1000000 if args.mode == "garbage-udp" else 10000)
    seconds = min(args.seconds, 60)
    sources = [source for source in args.sources.split(",") if source]
    if args.mode == "idle":
        result = hold_connections(args.target, count, seconds, args.rate, b"", sources)
    elif args.mode == "half-tls":
        result = hold_connections(args.target, count, seconds, args.rate, PARTIAL_CLIENT_HELLO, [])
    elif args.mode == "tunnel":
        result = tunnel(args.target, args.cert, args.key, seconds)
    elif args.mode == "slow-head":
        result = slow_head(args.target, min(count, 500), seconds)
    elif args.mode in ("big-head", "big-body"):
        result = oversized(args.target, count, args.mode)
    else:
        result = garbage_udp(args.target, count, seconds)
    result["mode"] = args.mode
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
