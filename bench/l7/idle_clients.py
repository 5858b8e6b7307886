#!/usr/bin/env python3
"""Memory per idle keep-alive client connection of a proxy on 127.0.0.1.

Opens N keep-alive connections to the proxy one after another, sends one GET on each and reads the whole
answer, then leaves them idle; the proxy's RSS (VmRSS summed over its process tree) before and after,
divided by N, is the memory one idle client connection costs. One request at a time, so the proxy's
backend side needs one pooled connection, not N: what is measured is the client side.

Bounded: every socket has a timeout, the whole opening has a deadline, and every socket is closed on the
way out (also on failure). Used by bench/l7/run.py (scenario `idle`); also runs alone:
    python3 bench/l7/idle_clients.py --port 18101 --pid $(pidof haproxy) [--conns 8000] [--settle 5]
"""
import argparse
import os
import resource
import socket
import time


def tree(pid):
    """The pid and all its descendants (nginx workers are children of the master)."""
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(d))
            except OSError:
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def rss_kib(pid):
    """VmRSS of the process tree of pid, in KiB."""
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def one_request(port, path, timeout):
    """A connected socket after one complete keep-alive GET (the answer read to its last body byte)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(4096)
            if not chunk or len(buf) > 65536:
                raise RuntimeError(f"127.0.0.1:{port}: no complete answer head ({len(buf)} bytes)")
            buf += chunk
        head, body = buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        if not lines[0].startswith("HTTP/1.1 200"):
            raise RuntimeError(f"127.0.0.1:{port}: answer '{lines[0]}'")
        length = next((int(v) for k, _, v in (h.partition(":") for h in lines[1:]) if k.strip().lower() == "content-length"), None)
        if length is None or length > 65536:
            raise RuntimeError(f"127.0.0.1:{port}: answer without a small Content-Length ({length})")
        while len(body) < length:
            chunk = s.recv(length - len(body))
            if not chunk:
                raise RuntimeError(f"127.0.0.1:{port}: closed within the body")
            body += chunk
        if any(h.lower().replace(" ", "") == "connection:close" for h in lines[1:]):
            raise RuntimeError(f"127.0.0.1:{port}: the proxy closes after one request (no keep-alive)")
        return s
    except BaseException:
        s.close()
        raise


def measure(port, pid, conns=8000, settle=5.0, path="/2b", prime=50, timeout=5.0, deadline_s=180.0):
    """Opens `conns` idle keep-alive connections, returns the RSS delta of pid's tree per connection and the
    figures behind it. Every connection is closed before it returns."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if conns + 64 > soft:
        raise RuntimeError(f"{conns} idle connections need an open-file limit above {conns + 64} (soft {soft}, hard {hard})")
    # Priming: the first requests through a fresh .NET process compile its code path and fill its pools;
    # that is not the cost of a connection.
    for _ in range(prime):
        one_request(port, path, timeout).close()
    time.sleep(1.0)
    before = rss_kib(pid)
    held = []
    started = time.monotonic()
    try:
        for i in range(conns):
            if time.monotonic() - started > deadline_s:
                raise RuntimeError(f"127.0.0.1:{port}: only {i} of {conns} connections opened in {deadline_s:.0f} s")
            held.append(one_request(port, path, timeout))
        opened_s = time.monotonic() - started
        time.sleep(settle)
        after = rss_kib(pid)
        # A connection the proxy closed meanwhile would lower the figure: count them (readable with EOF).
        closed = 0
        for s in held:
            s.setblocking(False)
            try:
                if s.recv(1) == b"":
                    closed += 1
            except BlockingIOError:
                pass
            except OSError:
                closed += 1
    finally:
        for s in held:
            s.close()
    return {
        "conns": conns, "rss_before_kib": before, "rss_after_kib": after, "kib_per_conn": (after - before) / conns,
        "closed_by_proxy": closed, "open_s": opened_s, "settle_s": settle,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True, help="the proxy's port on 127.0.0.1")
    ap.add_argument("--pid", type=int, required=True, help="the proxy's (main) process; its descendants are counted too")
    ap.add_argument("--conns", type=int, default=8000)
    ap.add_argument("--settle", type=float, default=5.0, help="seconds idle before RSS is read again")
    ap.add_argument("--path", default="/2b")
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    r = measure(a.port, a.pid, a.conns, a.settle, a.path)
    print(f"{r['kib_per_conn']:.2f} KiB per idle connection ({r['conns']} connections, RSS {r['rss_before_kib']} -> "
          f"{r['rss_after_kib']} KiB, opened in {r['open_s']:.1f} s, {r['closed_by_proxy']} closed by the proxy)")


if __name__ == "__main__":
    main()
