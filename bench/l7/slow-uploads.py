#!/usr/bin/env python3
"""Slow uploads against the demo's HTTP vserver: server connections and Portico's memory while N clients
each hold a POST whose body trickles in, and after they finish.

    dotnet build src/Portico -c Release && python3 bench/l7/slow-uploads.py [--clients 2000]

Starts `portico run` (the embedded demo: HTTP vserver 127.0.0.1:8081 over backends on :9001 and :9002),
opens the clients on loopback, and prints: established connections from Portico to the backends (ss),
Portico's RSS idle, with every upload open, and 5 s / 30 s after they ended. Bounded: N clients, one body each.
"""
import argparse, os, socket, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DLL = os.path.join(ROOT, "src/Portico/bin/Release/net10.0/portico.dll")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def server_connections():
    out = subprocess.run(["ss", "-Htn", "state", "established", "( dport = :9001 or dport = :9002 )"],
                         capture_output=True, text=True).stdout
    return len([l for l in out.splitlines() if l.strip()])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=2000)
    ap.add_argument("--body", type=int, default=1000)
    a = ap.parse_args()
    p = subprocess.Popen(["dotnet", DLL, "run", "--admin-socket", f"/tmp/slow-uploads-{os.getpid()}.sock"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", 8081), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(2)
        idle = rss_kib(p.pid)
        head = f"POST / HTTP/1.1\r\nHost: demo\r\nContent-Length: {a.body}\r\n\r\n".encode()
        clients = []
        for _ in range(a.clients):
            s = socket.create_connection(("127.0.0.1", 8081), timeout=10)
            s.sendall(head + b"x" * 10)
            clients.append(s)
        time.sleep(2)
        # Trickle: one more byte each, as a slow uploader would, still within Kestrel's minimum data rate.
        for s in clients:
            s.sendall(b"x")
        time.sleep(1)
        during_conns, during_rss = server_connections(), rss_kib(p.pid)
        ok = 0
        for s in clients:
            s.sendall(b"x" * (a.body - 11))
        for s in clients:
            if s.recv(64).startswith(b"HTTP/1.1 200"):
                ok += 1
            s.close()
        time.sleep(5)
        after5 = rss_kib(p.pid)
        time.sleep(25)
        after30 = rss_kib(p.pid)
        print(f"clients {a.clients}: server connections while uploads were open: {during_conns} "
              f"(health probes included); answered 200: {ok}")
        print(f"Portico RSS: idle {idle // 1024} MiB, uploads open {during_rss // 1024} MiB "
              f"({(during_rss - idle) / a.clients:.1f} KiB per slow connection), "
              f"5 s after {after5 // 1024} MiB, 30 s after {after30 // 1024} MiB")
    finally:
        p.terminate()
        p.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
