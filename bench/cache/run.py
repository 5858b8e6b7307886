#!/usr/bin/env python3
"""Integrated cache benchmark: cached 1 KiB and 100 KiB objects, wrk (-t2 -c64, HTTP/1.1 keep-alive) against, in
interleaved rounds on 127.0.0.1, three caches in front of the same two Debian nginx backends:
    nginx     proxy_cache (keys_zone in memory, objects in a temp directory: nginx serves them from the page cache)
    haproxy   `cache` (total-max-size 64 MB, max-object-size 1 MiB, http-request cache-use / http-response cache-store)
    portico   the integrated cache (a CACHE policy bound globally, DEFAULT group -maxResSize 1024)
The backends send `Cache-Control: max-age=3600`, so every request after the first is a hit (each round prints how many
requests reached the backends: 0 when the cache answered all). CPU is the proxy's whole process tree. The issue's target:
Portico >= 1.0x the faster peer. Prints a markdown table (medians, min-max) and the ratios per round.

Run by hand from the repository root, as root: python3 bench/cache/run.py [--rounds 3] [--duration 6] [--warmup 12]
Needs apt nginx haproxy wrk and a Release build (dotnet build Portico.slnx -c Release). Every process listens on an
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
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
_spec = importlib.util.spec_from_file_location("l7run", os.path.join(ROOT, "bench/l7/run.py"))
l7 = importlib.util.module_from_spec(_spec)
sys.path.insert(0, os.path.join(ROOT, "bench/l7"))
_spec.loader.exec_module(l7)

PORT = {"b1": 18401, "b2": 18402, "nginx": 18411, "haproxy": 18412, "portico": 18413}
TARGETS = ["nginx", "haproxy", "portico"]
SIZES = [("1 KiB", "/1k"), ("100 KiB", "/100k")]


def write_configs(d):
    with open(f"{d}/1k", "wb") as f:
        f.write(b"x" * 1024)
    with open(f"{d}/100k", "wb") as f:
        f.write(os.urandom(100 * 1024))
    common = f"daemon off; master_process on; user root; worker_processes 2; worker_rlimit_nofile 8000;\nevents {{ worker_connections 4000; }}\n"
    with open(f"{d}/backends.conf", "w") as f:
        f.write(common + f"""pid {d}/backends.pid; error_log {d}/backends-error.log warn;
http {{ access_log {d}/access.log; keepalive_requests 1000000; keepalive_timeout 300s; default_type application/octet-stream;
  server {{ listen 127.0.0.1:{PORT['b1']} reuseport; root {d}; add_header Cache-Control "max-age=3600"; }}
  server {{ listen 127.0.0.1:{PORT['b2']} reuseport; root {d}; add_header Cache-Control "max-age=3600"; }}
}}
""")
    os.makedirs(f"{d}/nginx-cache", exist_ok=True)
    with open(f"{d}/nginx-proxy.conf", "w") as f:
        f.write(common + f"""pid {d}/proxy.pid; error_log {d}/proxy-error.log warn;
http {{ access_log off; keepalive_requests 1000000; keepalive_timeout 300s;
  proxy_cache_path {d}/nginx-cache levels=1:2 keys_zone=c:16m max_size=256m inactive=60m use_temp_path=off;
  upstream pool {{ server 127.0.0.1:{PORT['b1']}; server 127.0.0.1:{PORT['b2']}; keepalive 64; }}
  server {{ listen 127.0.0.1:{PORT['nginx']} backlog=4096;
    location / {{ proxy_pass http://pool; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_cache c;
      proxy_set_header X-Forwarded-For $remote_addr; proxy_max_temp_file_size 0; }}
  }}
}}
""")
    with open(f"{d}/haproxy.cfg", "w") as f:
        f.write(f"""global
  nbthread 2
  maxconn 9000
  tune.bufsize 131072
cache c
  total-max-size 64
  max-object-size 1048576
  max-age 3600
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option forwardfor
  http-reuse always
frontend fe
  bind 127.0.0.1:{PORT['haproxy']}
  default_backend pool
backend pool
  balance roundrobin
  http-request cache-use c
  http-response cache-store c
  server b1 127.0.0.1:{PORT['b1']}
  server b2 127.0.0.1:{PORT['b2']}
""")
    with open(f"{d}/portico.conf", "w") as f:
        f.write(f"""add service nb1 127.0.0.1 HTTP {PORT['b1']}
add service nb2 127.0.0.1 HTTP {PORT['b2']}
add lb vserver bench HTTP 127.0.0.1 {PORT['portico']} -lbMethod ROUNDROBIN
bind lb vserver bench nb1
bind lb vserver bench nb2
set cache contentGroup DEFAULT -maxResSize 1024
add cache policy everything -rule TRUE -action CACHE
bind cache global everything -priority 10
""")


def launch(t, d, env):
    if t == "haproxy":
        return l7.start(["haproxy", "-db", "-f", f"{d}/haproxy.cfg"], stderr=open(f"{d}/haproxy.log", "ab"))
    if t == "nginx":
        return l7.start(["nginx", "-p", d, "-e", f"{d}/proxy-error.log", "-c", f"{d}/nginx-proxy.conf"])
    return l7.start([os.path.join(ROOT, "src/Portico/bin/Release/net10.0/portico"), "run", "--config", f"{d}/portico.conf",
                     "--admin-socket", f"{d}/portico.sock", "--log-level", "Warning", "--log-dir", f"{d}/portico-log", "--admin-http", "none"],
                    env=dict(os.environ, DOTNET_PerfMapEnabled="0", **env), stdout=open(f"{d}/portico.out", "ab"), stderr=subprocess.STDOUT)


def backend_requests(d):
    """How many requests reached the backends: each proxy should have asked once or twice per object."""
    return sum(1 for _ in open(f"{d}/access.log")) if os.path.exists(f"{d}/access.log") else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=6)
    ap.add_argument("--warmup", type=int, default=12)
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("--portico-env", default="", help="extra environment for Portico, e.g. DOTNET_gcServer=1")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/out/cache.json"))
    a = ap.parse_args()
    targets = a.targets.split(",")
    env = dict(kv.split("=", 1) for kv in a.portico_env.split() if kv)
    d = tempfile.mkdtemp(prefix="portico-bench-cache-")
    write_configs(d)
    results = {t: {s: [] for _, s in SIZES} for t in targets}
    print(f"about {(len(targets) * (a.rounds * a.duration * len(SIZES) + a.warmup)) // 60 + 1} minutes", flush=True)
    try:
        l7.start(["nginx", "-p", d, "-e", f"{d}/backends-error.log", "-c", f"{d}/backends.conf"])
        l7.wait_port(PORT["b1"])
        procs = {}
        for t in targets:
            procs[t] = launch(t, d, env)
            l7.wait_port(PORT[t], seconds=60)
            for _, path in SIZES:
                body = urllib.request.urlopen(f"http://127.0.0.1:{PORT[t]}{path}", timeout=10).read()
                assert body == open(f"{d}{path}", "rb").read(), f"{t}{path}: the body differs from the file"
            for _, path in SIZES:
                l7.wrk(f"http://127.0.0.1:{PORT[t]}{path}", a.warmup // len(SIZES), [procs[t].pid])
        for r in range(a.rounds):
            for label, path in SIZES:
                for t in targets:
                    before = backend_requests(d)
                    res = l7.wrk(f"http://127.0.0.1:{PORT[t]}{path}", a.duration, l7.tree(procs[t].pid))
                    res["backend_requests"] = backend_requests(d) - before
                    if res["non2xx"] or res["socket_error_count"]:
                        raise RuntimeError(f"{t}{path}: {res['non2xx']} non-2xx, socket errors {res['socket_errors']}")
                    res["cpu_per_100k_s"] = res["proxy_cpu_s"] / res["requests"] * 1e5
                    results[t][path].append(res)
                    print(f"round {r + 1} {label} {t}: {res['rps']:.0f} req/s, {res['mib_s']:.0f} MiB/s, {res['cpu_per_100k_s']:.2f} CPU s per 100k, {res['backend_requests']} backend requests", flush=True)
    finally:
        l7.stop_all()
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"when": time.strftime("%Y-%m-%d %H:%M"), "results": results}, f, indent=1)
    print("\n| object | target | req/s (median, min-max) | CPU s per 100k requests |\n|---|---|---|---|")
    for label, path in SIZES:
        for t in targets:
            rps = [x["rps"] for x in results[t][path]]
            cpu = [x["cpu_per_100k_s"] for x in results[t][path]]
            print(f"| {label} | {t} | {statistics.median(rps):,.0f} ({min(rps):,.0f}-{max(rps):,.0f}) | {statistics.median(cpu):.2f} |")
    if "portico" in targets:
        for label, path in SIZES:
            for peer in [t for t in targets if t != "portico"]:
                rs = [x["rps"] / y["rps"] for x, y in zip(results["portico"][path], results[peer][path])]
                print(f"{label}: portico / {peer}: median {statistics.median(rs):.2f} (rounds {', '.join(f'{v:.2f}' for v in rs)})")


if __name__ == "__main__":
    main()
