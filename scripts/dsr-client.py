#!/usr/bin/env python3
"""HTTP client for DSR tests and demos: one connection per given local port, so a flow's 5-tuple is chosen.

usage: dsr-client.py VIP PORT once LPORT...   one request per connection; prints "LPORT NAME" per connection
       dsr-client.py VIP PORT hold LPORT...   one request on each, prints "LPORT NAME", then waits for a line on
                                              stdin and sends a second request on each still-open connection,
                                              printing "LPORT NAME" again ("LPORT reset" when it was cut)
Connections close with RST (SO_LINGER 0): no TIME_WAIT, so the same local ports can be used again at once.
"""
import socket
import struct
import sys

vip, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lports = [int(p) for p in sys.argv[4:]]


def request(s):
    s.sendall(f"GET / HTTP/1.1\r\nHost: {vip}\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            raise ConnectionResetError("closed")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = int([l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0])
    while len(body) < length:
        chunk = s.recv(4096)
        if not chunk:
            raise ConnectionResetError("closed")
        body += chunk
    return body.decode().strip().removeprefix("served by ")


def connect(lport):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.settimeout(5)
    s.bind(("", lport))
    s.connect((vip, port))
    return s


def ask(lport, s):
    try:
        return request(s)
    except OSError:
        return "reset"


held = {}
for lport in lports:
    try:
        s = connect(lport)
    except OSError:
        print(lport, "unreachable", flush=True)
        continue
    print(lport, ask(lport, s), flush=True)
    if mode == "hold":
        held[lport] = s
    else:
        s.close()

if mode == "hold":
    print("held", flush=True)
    sys.stdin.readline()
    for lport, s in held.items():
        print(lport, ask(lport, s), flush=True)
        s.close()
