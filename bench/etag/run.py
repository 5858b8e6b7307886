#!/usr/bin/env python3
"""ETag NORMALIZE and Portico's 304s: what they cost. wrk (64 keep-alive connections, the 1 KiB file of two Debian nginx
backends) in interleaved rounds on 127.0.0.1:
    portico-plain    Portico, an HTTP lb vserver with the default profile (today's path)
    portico-norm     Portico, the same with an HTTP profile -eTag NORMALIZE -expires "*/*=1h" (every response's ETag
                     normalised, Cache-Control and Expires added)
    portico-304      the NORMALIZE vserver, every request with If-None-Match: the member's 200 (1 KiB, drained) becomes
                     Portico's 304
    haproxy-304      HAProxy 2.6 (bench/l7's config) in front of the same backends, the same If-None-Match: it passes the
                     field and nginx's 304 (a peer proxy's 304s, where the member does the work)
    nginx-304        straight from the nginx backend, the same If-None-Match: nginx's own 304s (no proxy)
Prints a markdown table (medians, min-max) and the ratios per round.

Run by hand from the repository root, as root: python3 bench/etag/run.py [--rounds 3] [--duration 7] [--warmup 15]
Needs apt nginx wrk curl and a Release build (dotnet build Portico.slnx -c Release). Every process listens on an
explicit 127.0.0.1 port, is stopped by its PID even on failure, and every wrk run is bounded in time.
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
_spec = importlib.util.spec_from_file_location("l7run", os.path.join(ROOT, "bench/l7/run.py"))
l7 = importlib.util.module_from_spec(_spec)
sys.path.insert(0, os.path.join(ROOT, "bench/l7"))
_spec.loader.exec_module(l7)

PORT = {"portico-plain": 18401, "portico-norm": 18402}
TARGETS = ["portico-plain", "portico-norm", "portico-304", "haproxy-304", "nginx-304"]


def write_configs(d):
    l7.write_configs(d)  # the backends' config and files (b1, b2 serving /1k)
    services = f"add service nb1 127.0.0.1 HTTP {l7.PORT['b1']}\nadd service nb2 127.0.0.1 HTTP {l7.PORT['b2']}\n"
    with open(f"{d}/portico.conf", "w") as f:
        f.write(services + "add ns httpProfile farm -eTag NORMALIZE -expires \"*/*=1h\"\n"
                f"add lb vserver plain HTTP 127.0.0.1 {PORT['portico-plain']} -lbMethod ROUNDROBIN\n"
                f"add lb vserver norm HTTP 127.0.0.1 {PORT['portico-norm']} -lbMethod ROUNDROBIN -httpProfileName farm\n"
                "bind lb vserver plain nb1\nbind lb vserver plain nb2\nbind lb vserver norm nb1\nbind lb vserver norm nb2\n")


def etag_of(url):
    out = subprocess.run(["curl", "-sI", "--max-time", "5", url], capture_output=True, text=True, timeout=10).stdout
    return next(line.split(":", 1)[1].strip() for line in out.splitlines() if line.lower().startswith("etag:"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=15)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/out/etag.json"))
    a = ap.parse_args()
    d = tempfile.mkdtemp(prefix="portico-bench-etag-")
    write_configs(d)
    results = {t: [] for t in TARGETS}
    print(f"about {(len(TARGETS) * a.rounds * a.duration + 2 * a.warmup) // 60 + 1} minutes", flush=True)
    try:
        nginx = l7.start(["nginx", "-p", d, "-e", f"{d}/backends-error.log", "-c", f"{d}/backends.conf"])
        l7.wait_port(l7.PORT["b1"])
        portico = l7.start([os.path.join(ROOT, "src/Portico/bin/Release/net10.0/portico"), "run", "--config", f"{d}/portico.conf",
                            "--admin-socket", f"{d}/portico.sock", "--log-level", "Warning", "--log-dir", f"{d}/portico-log", "--admin-http", "none"],
                           env=dict(os.environ, DOTNET_PerfMapEnabled="0"), stdout=open(f"{d}/portico.out", "ab"), stderr=open(f"{d}/portico.err", "ab"))
        haproxy = l7.start(["haproxy", "-db", "-f", f"{d}/haproxy.cfg"], stderr=open(f"{d}/haproxy.log", "ab"))
        for p in [*PORT.values(), l7.PORT["haproxy"]]:
            l7.wait_port(p, seconds=60)
        # nginx's master does no work: its workers' CPU is what the 304s cost.
        with open(f"/proc/{nginx.pid}/task/{nginx.pid}/children") as f:
            nginx_workers = [int(x) for x in f.read().split()]
        tag = etag_of(f"http://127.0.0.1:{PORT['portico-norm']}/1k")
        assert tag == etag_of(f"http://127.0.0.1:{l7.PORT['b1']}/1k"), "nginx's two-part tag is kept by NORMALIZE"
        cases = {
            "portico-plain": (f"http://127.0.0.1:{PORT['portico-plain']}/1k", [], [portico.pid]),
            "portico-norm": (f"http://127.0.0.1:{PORT['portico-norm']}/1k", [], [portico.pid]),
            # Portico's If-None-Match never reaches nginx: nginx sends 200s that Portico turns into 304s.
            "portico-304": (f"http://127.0.0.1:{PORT['portico-norm']}/1k", [f"If-None-Match: {tag}"], [portico.pid]),
            "haproxy-304": (f"http://127.0.0.1:{l7.PORT['haproxy']}/1k", [f"If-None-Match: {tag}"], [haproxy.pid]),
            "nginx-304": (f"http://127.0.0.1:{l7.PORT['b1']}/1k", [f"If-None-Match: {tag}"], nginx_workers),
        }
        for t in ("portico-plain", "portico-norm", "portico-304"):
            l7.wrk(cases[t][0], a.warmup, [portico.pid], headers=cases[t][1])
        for r in range(a.rounds):
            for t in TARGETS:
                url, headers, pids = cases[t]
                res = l7.wrk(url, a.duration, pids, headers=headers)
                if res["non2xx"] or res["socket_error_count"]:
                    raise RuntimeError(f"{t}: {res['non2xx']} non-2xx, socket errors {res['socket_errors']}")
                res["cpu_per_100k_s"] = res["proxy_cpu_s"] / res["requests"] * 1e5
                results[t].append(res)
                print(f"round {r + 1} {t}: {res['rps']:.0f} req/s, {res['cpu_per_100k_s']:.2f} CPU s per 100k, {res['mib_s']:.1f} MiB/s", flush=True)
    finally:
        l7.stop_all()
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"when": time.strftime("%Y-%m-%d %H:%M"), "results": results}, f, indent=1)
    print("\n| target | req/s (median, min-max) | CPU s per 100k requests (the process measured) |\n|---|---|---|")
    for t in TARGETS:
        rps = [x["rps"] for x in results[t]]
        cpu = [x["cpu_per_100k_s"] for x in results[t]]
        print(f"| {t} | {statistics.median(rps):,.0f} ({min(rps):,.0f}-{max(rps):,.0f}) | {statistics.median(cpu):.2f} |")
    per_round = lambda a_, b_, k="rps": [x[k] / y[k] for x, y in zip(results[a_], results[b_])]
    for name, (x, y) in {"NORMALIZE cost (portico-norm / portico-plain)": ("portico-norm", "portico-plain"),
                         "Portico's 304s / HAProxy passing nginx's 304s": ("portico-304", "haproxy-304"),
                         "Portico's 304s / nginx's own 304s": ("portico-304", "nginx-304"),
                         "Portico's 304s / Portico's 200s (portico-304 / portico-norm)": ("portico-304", "portico-norm")}.items():
        rs = per_round(x, y)
        print(f"\n{name}: median {statistics.median(rs):.2f} (rounds {', '.join(f'{v:.2f}' for v in rs)})")
    cpu = per_round("portico-norm", "portico-plain", "cpu_per_100k_s")
    print(f"\nNORMALIZE CPU per request / plain: median {statistics.median(cpu):.2f} (rounds {', '.join(f'{v:.2f}' for v in cpu)})")


if __name__ == "__main__":
    main()
