#!/usr/bin/env python3
"""Bounded client load for the detection benchmark: one new connection every --every ms to the demo
vserver, an HTTP/1.0 request, the backend's name from the answer. Writes one line per connection
(epoch seconds, backend or FAIL:<error>) to OUT until SIGTERM or --seconds."""
import argparse, signal, socket, time

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--host", default="127.0.0.1")
p.add_argument("--port", type=int, default=8080)
p.add_argument("--every", type=float, default=10)
p.add_argument("--seconds", type=float, default=300)
a = p.parse_args()
stop = False
def on_term(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
deadline = time.time() + a.seconds
with open(a.out, "w") as f:
    while not stop and time.time() < deadline:
        t = time.time()
        try:
            with socket.create_connection((a.host, a.port), timeout=2) as s:
                s.sendall(b"GET / HTTP/1.0\r\nHost: demo\r\n\r\n")
                data = b""
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            text = data.decode("latin-1")
            who = "backend1" if "demo backend 1" in text else "backend2" if "demo backend 2" in text else "FAIL:bad-answer"
        except OSError as e:
            who = f"FAIL:{type(e).__name__}"
        f.write(f"{t:.6f} {who}\n")
        f.flush()
        time.sleep(max(0, a.every / 1000 - (time.time() - t)))
