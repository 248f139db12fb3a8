#!/usr/bin/env python3
# tests/integration/lab/icmp_ping.py - one ICMP echo to an IPv4 address (raw socket, needs root),
# for machines without iputils-ping. Exit 0 on a reply, 1 with a reason otherwise.
import os
import select
import socket
import struct
import sys
import time


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def ping(address: str, timeout: float) -> str | None:
    ident = os.getpid() & 0xFFFF
    payload = b"microcloud-lab"
    header = struct.pack("!BBHHH", 8, 0, 0, ident, 1)
    packet = struct.pack("!BBHHH", 8, 0, checksum(header + payload), ident, 1) + payload
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP) as sock:
        sock.sendto(packet, (address, 0))
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            if not select.select([sock], [], [], left)[0]:
                break
            data, (source, _) = sock.recvfrom(2048)
            ihl = (data[0] & 0x0F) * 4
            kind, _, _, reply_id, _ = struct.unpack("!BBHHH", data[ihl:ihl + 8])
            if source == address and kind == 0 and reply_id == ident:
                return None
            if kind == 3:
                return f"destination unreachable (from {source})"
    return f"no echo reply within {timeout} s"


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print("usage: icmp_ping.py IPV4_ADDRESS [TIMEOUT_SECONDS]", file=sys.stderr)
        return 2
    problem = ping(sys.argv[1], float(sys.argv[2]) if len(sys.argv) == 3 else 3.0)
    if problem:
        print(f"ping {sys.argv[1]}: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
