#!/usr/bin/env python3
# tests/integration/lab/multicast.py - sends or receives one UDP multicast datagram on a named
# interface, the way MicroCloud discovery uses the lab's intra-cluster network.
#   multicast.py send IFACE_ADDRESS GROUP PORT MESSAGE
#   multicast.py recv IFACE_ADDRESS GROUP PORT TIMEOUT_SECONDS   (prints the message; "ready" on stderr once joined)
import socket
import struct
import sys


def send(iface: str, group: str, port: int, message: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP) as sock:
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(iface))
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        sock.sendto(message.encode(), (group, port))
    return 0


def recv(iface: str, group: str, port: int, timeout: float) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((group, port))
        membership = struct.pack("4s4s", socket.inet_aton(group), socket.inet_aton(iface))
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
        sock.settimeout(timeout)
        print("ready", file=sys.stderr, flush=True)
        try:
            data, source = sock.recvfrom(65535)
        except socket.timeout:
            print(f"no datagram for {group}:{port} on {iface} within {timeout} s", file=sys.stderr)
            return 1
        print(f"{source[0]} {data.decode()}", flush=True)
    return 0


def main() -> int:
    usage = "usage: multicast.py send IFACE_ADDRESS GROUP PORT MESSAGE | recv IFACE_ADDRESS GROUP PORT TIMEOUT"
    if len(sys.argv) != 6 or sys.argv[1] not in ("send", "recv"):
        print(usage, file=sys.stderr)
        return 2
    _, mode, iface, group, port, last = sys.argv
    if mode == "send":
        return send(iface, group, int(port), last)
    return recv(iface, group, int(port), float(last))


if __name__ == "__main__":
    sys.exit(main())
