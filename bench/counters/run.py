#!/usr/bin/env python3
"""Does sampling cost the data path? L4 and L7 throughput through two Portico processes on the same
config, one with the counters history log at 1 s sampling and /metrics scraped every second, one with
the history log off (-interval 0) and no admin HTTP listener, in interleaved rounds on 127.0.0.1.
Target: on/off ratio >= 0.98 for both.

Run by hand from the repository root (reuses bench/l7/run.py's nginx backends and wrk runner):
    python3 bench/counters/run.py [--rounds 5] [--duration 10] [--warmup 20]
Needs: apt nginx wrk iperf3. Every process it starts listens on 127.0.0.1 and is stopped by its PID,
every load run is bounded in time, the scraper stops with the script.
"""
import argparse
import datetime
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
spec = importlib.util.spec_from_file_location("l7bench", os.path.join(ROOT, "bench", "l7", "run.py"))
l7 = importlib.util.module_from_spec(spec)
spec.loader.exec_module(l7)

IPERF_PORT = 18201
VARIANTS = {
    # name: (L7 port, L4 port, iperf vserver port, admin http, counters lines)
    "off": (18211, 18212, 18213, "none", "set ns counters -interval 0"),
    "on": (18221, 18222, 18223, "127.0.0.1:18229", "set ns counters -interval 1 -directory {d}/history-on"),
}


def config(d, name):
    l7p, l4p, ip, _, counters = VARIANTS[name]
    return f"""{counters.format(d=d)}
add service nb1 127.0.0.1 HTTP {l7.PORT['b1']}
add service nb2 127.0.0.1 HTTP {l7.PORT['b2']}
add service tb1 127.0.0.1 TCP {l7.PORT['b1']}
add service tb2 127.0.0.1 TCP {l7.PORT['b2']}
add service ti 127.0.0.1 TCP {IPERF_PORT}
add lb vserver http HTTP 127.0.0.1 {l7p} -lbMethod ROUNDROBIN
add lb vserver tcp TCP 127.0.0.1 {l4p} -lbMethod ROUNDROBIN
add lb vserver iperf TCP 127.0.0.1 {ip}
bind lb vserver http nb1
bind lb vserver http nb2
bind lb vserver tcp tb1
bind lb vserver tcp tb2
bind lb vserver iperf ti
"""


def scrape(url, stop):
    """Prometheus at a 1 s scrape interval, bounded by the script's lifetime."""
    n = 0
    while not stop.is_set():
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                r.read()
            n += 1
        except OSError:
            pass
        stop.wait(1)
    return n


def iperf(port, duration, pid):
    before = l7.cpu(l7.tree(pid))
    out = subprocess.run(["timeout", str(duration + 30), "iperf3", "-c", "127.0.0.1", "-p", str(port), "-t", str(duration), "-P", "4", "-J"],
                         capture_output=True, text=True, check=True).stdout
    import json
    gbps = json.loads(out)["end"]["sum_received"]["bits_per_second"] / 1e9
    return {"gbps": gbps, "proxy_cpu_s": l7.cpu(l7.tree(pid)) - before}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--results", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    a = ap.parse_args()
    subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", os.path.join(ROOT, "src", "Portico")], check=True, stdout=subprocess.DEVNULL)
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    d = tempfile.mkdtemp(prefix="portico-bench-counters-")
    l7.write_configs(d)
    stop = threading.Event()
    rows = []
    scraper = None
    try:
        l7.start(["nginx", "-p", d, "-e", f"{d}/backends-error.log", "-c", f"{d}/backends.conf"])
        l7.start(["iperf3", "-s", "-B", "127.0.0.1", "-p", str(IPERF_PORT)])
        l7.wait_port(l7.PORT["b1"]); l7.wait_port(IPERF_PORT)
        procs = {}
        for name, (l7p, l4p, ip, admin, _) in VARIANTS.items():
            with open(f"{d}/portico-{name}.conf", "w") as f:
                f.write(config(d, name))
            procs[name] = l7.start([os.path.join(ROOT, "src/Portico/bin/Release/net10.0/portico"), "run", "--config", f"{d}/portico-{name}.conf",
                                    "--admin-socket", f"{d}/admin-{name}.sock", "--log-level", "Warning", "--log-dir", f"{d}/default-{name}",
                                    "--admin-http", admin])
            l7.wait_port(l7p); l7.wait_port(l4p); l7.wait_port(ip)
        results = {}
        scraper = threading.Thread(target=lambda: results.setdefault("scrapes", scrape("http://127.0.0.1:18229/metrics", stop)), daemon=True)
        scraper.start()
        for name in VARIANTS:
            print(f"warming {name} up for {a.warmup} s", file=sys.stderr)
            l7.wrk(f"http://127.0.0.1:{VARIANTS[name][0]}/1k", a.warmup // 2, [])
            l7.wrk(f"http://127.0.0.1:{VARIANTS[name][1]}/1k", a.warmup // 2, [])
        for r in range(a.rounds):
            order = list(VARIANTS) if r % 2 == 0 else list(reversed(VARIANTS))
            for test in ("L7 HTTP 1 KiB", "L4 HTTP 1 KiB", "L4 iperf3 -P 4"):
                for name in order:
                    pid = procs[name].pid
                    if test.startswith("L4 iperf3"):
                        res = iperf(VARIANTS[name][2], a.duration, pid)
                        value = res["gbps"]
                    else:
                        port = VARIANTS[name][0] if test.startswith("L7") else VARIANTS[name][1]
                        res = l7.wrk(f"http://127.0.0.1:{port}/1k", a.duration, l7.tree(pid))
                        value = res["rps"]
                    rows.append({"round": r + 1, "test": test, "variant": name, "value": value, "cpu": res["proxy_cpu_s"]})
                    print(f"round {r + 1} {test:>15} {name:>3}: {value:,.2f}  proxy cpu {res['proxy_cpu_s']:.1f} s", file=sys.stderr)
        stop.set()
        scraper.join(timeout=10)
        history = os.path.join(d, "history-on", "portico.newnslog")
        size = os.path.getsize(history) if os.path.exists(history) else 0
    finally:
        stop.set()
        l7.stop_all()
    section = report(rows, a, commit, results.get("scrapes", 0), size)
    print(section)
    with open(a.results, "a") as f:
        f.write(section)


def report(rows, a, commit, scrapes, size):
    out = [f"\n## {datetime.date.today().isoformat()} counters: history log at 1 s + /metrics scraped at 1 s vs off (bench/counters/run.py)\n",
           f"Commit {commit}; {a.rounds} interleaved rounds of {a.duration} s (order alternates), warm-up {a.warmup} s per process; "
           f"wrk -t2 -c64 (1 KiB body from nginx), iperf3 -P 4; both Portico processes up for the whole run on the same 2 cores. "
           f"{scrapes} scrapes of /metrics; history file {size} bytes.\n",
           "| test | off (median, min-max) | on (median, min-max) | on/off per round (median, min-max) | proxy CPU s per unit, on/off |",
           "|---|---:|---:|---:|---:|"]
    for test in dict.fromkeys(r["test"] for r in rows):
        by = {v: [r for r in rows if r["test"] == test and r["variant"] == v] for v in VARIANTS}
        ratios = [on["value"] / off["value"] for on, off in zip(by["on"], by["off"])]
        eff = [(on["cpu"] / on["value"]) / (off["cpu"] / off["value"]) for on, off in zip(by["on"], by["off"]) if off["cpu"] > 0 and on["value"] > 0]
        fmt = (lambda x: f"{x:,.0f} req/s") if "wrk" in test or "HTTP" in test else (lambda x: f"{x:.2f} Gbit/s")
        cell = lambda vs: f"{fmt(statistics.median(vs))} ({fmt(min(vs))}-{fmt(max(vs))})"
        out.append(f"| {test} | {cell([r['value'] for r in by['off']])} | {cell([r['value'] for r in by['on']])} | "
                   f"{statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f}) | {statistics.median(eff):.3f} |" if eff else "")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
