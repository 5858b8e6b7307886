#!/usr/bin/env python3
"""Idle cost of L7 listeners: Portico's memory and threads with 1 and with 101 HTTP vservers (one
Kestrel server each), and how long the batch that adds 100 vservers takes to apply.
Run by hand from the repository root after a Release build: python3 bench/l7/listeners.py
Listens on 127.0.0.1:19000-19100 only; every process is stopped by its PID."""
import os
import signal
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PORTICO = os.path.join(ROOT, "src/Portico/bin/Release/net10.0/portico")


def status(pid):
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["Threads"])


def vservers(first, count):
    lines = []
    for i in range(first, first + count):
        lines += [f"add lb vserver v{i} HTTP 127.0.0.1 {19000 + i}", f"bind lb vserver v{i} s1"]
    return "\n".join(lines) + "\n"


def main():
    d = tempfile.mkdtemp(prefix="portico-listeners-")
    conf = os.path.join(d, "p.conf")
    with open(conf, "w") as f:
        f.write("add service s1 127.0.0.1 HTTP 18001\n" + vservers(0, 1))
    sock = os.path.join(d, "a.sock")
    p = subprocess.Popen([PORTICO, "run", "--config", conf, "--admin-socket", sock, "--log-level", "Warning"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while not os.path.exists(sock):
            time.sleep(0.1)
        time.sleep(3)
        rss1, threads1 = status(p.pid)
        batch = os.path.join(d, "more.conf")
        with open(batch, "w") as f:
            f.write(vservers(1, 100))
        t = time.monotonic()
        subprocess.run([PORTICO, "cli", "--admin-socket", sock, "-f", batch], check=True, stdout=subprocess.DEVNULL)
        apply_s = time.monotonic() - t
        time.sleep(3)
        rss101, threads101 = status(p.pid)
        print(f"1 HTTP vserver: RSS {rss1:.0f} MiB, {threads1} threads")
        print(f"101 HTTP vservers: RSS {rss101:.0f} MiB, {threads101} threads; the batch adding 100 applied in {apply_s:.2f} s")
        print(f"per listener: {(rss101 - rss1) / 100 * 1024:.0f} KiB, {(threads101 - threads1) / 100:.2f} threads, {apply_s * 10:.1f} ms to start")
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)


if __name__ == "__main__":
    main()
