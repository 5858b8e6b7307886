#!/usr/bin/env python3
"""What compression costs responses it does not compress: wrk (64 keep-alive connections, 1 KiB bodies from a Debian
nginx backend, no Accept-Encoding) against, in interleaved rounds on 127.0.0.1:
    base        Portico built from the tree before compression (--baseline: its portico binary)
    cmp-off     this tree, CMP off (the engine's one check per request)
    cmp-on      this tree, `enable ns feature CMP`: the request's Accept-Encoding is looked for, none is found
Prints a markdown table (medians, min-max) and the ratios per round.

Run by hand from the repository root, as root: python3 bench/cmp/plain.py --baseline /path/to/old/portico [--rounds 3]
Needs apt nginx wrk and a Release build of both trees. Every process is stopped by its PID even on failure.
"""
import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
_spec = importlib.util.spec_from_file_location("l7run", os.path.join(ROOT, "bench/l7/run.py"))
l7 = importlib.util.module_from_spec(_spec)
sys.path.insert(0, os.path.join(ROOT, "bench/l7"))
_spec.loader.exec_module(l7)

BACKEND = 18721
PORT = {"base": 18731, "cmp-off": 18732, "cmp-on": 18733}
TARGETS = list(PORT)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", required=True, help="the portico binary of the tree before compression")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/out/cmp-plain.json"))
    a = ap.parse_args()
    d = tempfile.mkdtemp(prefix="portico-bench-cmp-plain-")
    with open(f"{d}/1k", "wb") as f:
        f.write(b"x" * 1024)
    with open(f"{d}/backend.conf", "w") as f:
        f.write(f"""daemon off; master_process on; user root; worker_processes 2; pid {d}/backend.pid; error_log {d}/backend-error.log warn;
events {{ worker_connections 4000; }}
http {{ access_log off; keepalive_requests 1000000; keepalive_timeout 300s; default_type text/html;
  server {{ listen 127.0.0.1:{BACKEND} reuseport backlog=4096; root {d}; }} }}
""")
    for t in TARGETS:
        with open(f"{d}/{t}.conf", "w") as f:
            f.write(f"add service b1 127.0.0.1 HTTP {BACKEND}\nadd lb vserver bench HTTP 127.0.0.1 {PORT[t]}\nbind lb vserver bench b1\n"
                    + ("enable ns feature CMP\n" if t == "cmp-on" else ""))
    results = {t: [] for t in TARGETS}
    try:
        l7.start(["nginx", "-p", d, "-e", f"{d}/backend-error.log", "-c", f"{d}/backend.conf"])
        l7.wait_port(BACKEND)
        procs = {}
        for t in TARGETS:
            binary = a.baseline if t == "base" else os.path.join(ROOT, "src/Portico/bin/Release/net10.0/portico")
            procs[t] = l7.start([binary, "run", "--config", f"{d}/{t}.conf", "--admin-socket", f"{d}/{t}.sock", "--log-level", "Warning",
                                 "--log-dir", f"{d}/{t}-log", "--admin-http", "none"], env=dict(os.environ, DOTNET_PerfMapEnabled="0"))
            l7.wait_port(PORT[t], seconds=60)
            time.sleep(1)
            l7.wrk(f"http://127.0.0.1:{PORT[t]}/1k", a.warmup, [procs[t].pid])
        for r in range(a.rounds):
            for t in TARGETS:
                res = l7.wrk(f"http://127.0.0.1:{PORT[t]}/1k", a.duration, [procs[t].pid])
                if res["non2xx"] or res["socket_error_count"]:
                    raise RuntimeError(f"{t}: {res['non2xx']} non-2xx, socket errors {res['socket_errors']}")
                res["cpu_per_100k_s"] = res["proxy_cpu_s"] / res["requests"] * 1e5
                results[t].append(res)
                print(f"round {r + 1} {t}: {res['rps']:.0f} req/s, {res['cpu_per_100k_s']:.2f} CPU s per 100k", flush=True)
    finally:
        l7.stop_all()
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"when": time.strftime("%Y-%m-%d %H:%M"), "results": results}, f, indent=1)
    print("\n| target | req/s (median, min-max) | CPU s per 100k requests |\n|---|---|---|")
    for t in TARGETS:
        rps = [x["rps"] for x in results[t]]
        cpu = [x["cpu_per_100k_s"] for x in results[t]]
        print(f"| {t} | {statistics.median(rps):,.0f} ({min(rps):,.0f}-{max(rps):,.0f}) | {statistics.median(cpu):.2f} |")
    for x in ("cmp-off", "cmp-on"):
        rs = [p["rps"] / q["rps"] for p, q in zip(results[x], results["base"])]
        cs = [p["cpu_per_100k_s"] / q["cpu_per_100k_s"] for p, q in zip(results[x], results["base"])]
        print(f"\n{x} / base: req/s median {statistics.median(rs):.2f} (rounds {', '.join(f'{v:.2f}' for v in rs)}), "
              f"CPU per request median {statistics.median(cs):.2f}")


if __name__ == "__main__":
    main()
