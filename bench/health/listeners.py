#!/usr/bin/env python3
"""Real TCP listeners on 127.0.0.1 for the health-monitor benchmark.

Opens N listening sockets on kernel-chosen ports, writes the ports (one a line) to PORTS_FILE,
then accepts and closes every connection until SIGTERM, when it writes the number accepted
to COUNT_FILE. Bounded by --seconds as well, so it never outlives a broken run.
"""
import argparse, selectors, signal, socket, sys, time

p = argparse.ArgumentParser()
p.add_argument("count", type=int)
p.add_argument("ports_file")
p.add_argument("count_file")
p.add_argument("--seconds", type=int, default=900)
a = p.parse_args()

sel = selectors.DefaultSelector()
ports = []
for _ in range(a.count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(128)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
    ports.append(s.getsockname()[1])
with open(a.ports_file, "w") as f:
    f.write("\n".join(map(str, ports)) + "\n")

accepted = 0
stop = False
def on_term(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
deadline = time.monotonic() + a.seconds
while not stop and time.monotonic() < deadline:
    for key, _ in sel.select(timeout=0.5):
        try:
            c, _ = key.fileobj.accept()
            c.close()
            accepted += 1
        except OSError:
            pass
with open(a.count_file, "w") as f:
    f.write(f"{accepted}\n")
