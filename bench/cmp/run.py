#!/usr/bin/env python3
"""Compression benchmark: a 100 KiB html page compressed with gzip at each proxy's default level, wrk (8 keep-alive
connections: compression is CPU-bound, 2-4 ms a page at level 6 here, so more connections only queue past wrk's 2 s
timeout; `Accept-Encoding: gzip`) against, in interleaved rounds on 127.0.0.1, each in front of the same Debian
nginx backend (which does not compress):
    portico     Portico, `enable ns feature CMP`, default `-cmpLevel optimal` (zlib level 6; the built-in
                ns_cmp_content_type policy compresses text/html)
    nginx       nginx `gzip on; gzip_comp_level 6` (equal level), proxy_pass with keep-alive upstreams
    haproxy     HAProxy `compression algo gzip` (Debian's HAProxy uses libslz, which has one level, about zlib's 1)
    portico-fast   Portico with `-cmpLevel bestspeed` (zlib level 1): the comparison with HAProxy's one libslz level
    portico-plain  Portico with compression off, the same page: what compression costs
The issue's targets: portico >= 1.0x the peers' req/s, and its compressed size within 5% of nginx's at equal level.
CPU is the proxy's own (nginx: master and workers), from /proc.
Prints a markdown table (medians, min-max), the compressed sizes, and the ratios per round.

Run by hand from the repository root, as root: python3 bench/cmp/run.py [--rounds 3] [--duration 7] [--warmup 5]
Needs apt nginx haproxy wrk curl and a Release build (dotnet build Portico.slnx -c Release). Every process listens on
an explicit 127.0.0.1 port, is stopped by its PID even on failure, and every wrk run is bounded in time.
"""
import argparse
import gzip
import importlib.util
import json
import os
import random
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

BACKEND = 18701
PORT = {"portico": 18711, "nginx": 18712, "haproxy": 18713, "portico-fast": 18715, "portico-plain": 18714}
TARGETS = list(PORT)
PAGE = "/page.html"
CONNS = 8
LEVEL = 6  # Portico's "optimal" (CmpLevels.Zlib), given to nginx as gzip_comp_level


def page():
    """100 KiB of html-like text with the repetition of a real page (markup, class names, words)."""
    rnd = random.Random(18)
    words = ("the farm serves the same file from every member behind the load balancer with headers etag vary cache "
             "compression request response client server html style script table row column value").split()
    parts = ["<!doctype html><html><head><title>Bench</title><link rel=\"stylesheet\" href=\"/s.css\"></head><body>\n"]
    size = len(parts[0])
    i = 0
    while size < 100 * 1024:
        line = f"<div class=\"item item-{i % 13}\"><a href=\"/p/{i}\">{' '.join(rnd.choice(words) for _ in range(rnd.randint(6, 14)))}</a></div>\n"
        parts.append(line)
        size += len(line)
        i += 1
    return "".join(parts).encode()[:100 * 1024]


def write_configs(d):
    with open(os.path.join(d, "page.html"), "wb") as f:
        f.write(page())
    common = f"""daemon off; master_process on; user root; worker_processes 2; pid {{pid}};
error_log {d}/{{name}}-error.log warn; worker_rlimit_nofile 8000;
events {{{{ worker_connections 4000; }}}}
"""
    with open(os.path.join(d, "backend.conf"), "w") as f:
        f.write(common.format(pid=f"{d}/backend.pid", name="backend") + f"""http {{
  access_log off; keepalive_requests 1000000; keepalive_timeout 300s; sendfile on; tcp_nopush on;
  types {{ text/html html; }} default_type application/octet-stream; gzip off;
  server {{ listen 127.0.0.1:{BACKEND} reuseport backlog=4096; root {d}; }}
}}
""")
    with open(os.path.join(d, "nginx.conf"), "w") as f:
        f.write(common.format(pid=f"{d}/nginx.pid", name="nginx") + f"""http {{
  access_log off; keepalive_requests 1000000; keepalive_timeout 300s;
  gzip on; gzip_comp_level {LEVEL}; gzip_types text/html; gzip_proxied any; gzip_min_length 0; gzip_vary on;
  upstream pool {{ server 127.0.0.1:{BACKEND}; keepalive 128; keepalive_requests 1000000; }}
  server {{
    listen 127.0.0.1:{PORT['nginx']} backlog=4096;
    location / {{ proxy_pass http://pool; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_max_temp_file_size 0; }}
  }}
}}
""")
    with open(os.path.join(d, "haproxy.cfg"), "w") as f:
        f.write(f"""global
  nbthread 2
  maxconn 9000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  http-reuse always
frontend fe
  bind 127.0.0.1:{PORT['haproxy']}
  default_backend pool
backend pool
  compression algo gzip
  compression type text/html
  server b1 127.0.0.1:{BACKEND}
""")
    service = f"add service b1 127.0.0.1 HTTP {BACKEND}\n"
    with open(os.path.join(d, "portico.conf"), "w") as f:
        f.write(service + f"add lb vserver bench HTTP 127.0.0.1 {PORT['portico']}\nbind lb vserver bench b1\nenable ns feature CMP\n")
    with open(os.path.join(d, "portico-fast.conf"), "w") as f:
        f.write(service + f"add lb vserver bench HTTP 127.0.0.1 {PORT['portico-fast']}\nbind lb vserver bench b1\nenable ns feature CMP\n"
                "set cmp parameter -cmpLevel bestspeed\n")
    with open(os.path.join(d, "portico-plain.conf"), "w") as f:
        f.write(service + f"add lb vserver bench HTTP 127.0.0.1 {PORT['portico-plain']}\nbind lb vserver bench b1\n")


def launch(t, d):
    if t == "haproxy":
        return l7.start(["haproxy", "-db", "-f", f"{d}/haproxy.cfg"], stderr=open(f"{d}/haproxy.log", "ab"))
    if t == "nginx":
        return l7.start(["nginx", "-p", d, "-e", f"{d}/nginx-error.log", "-c", f"{d}/nginx.conf"])
    return l7.start([os.path.join(ROOT, "src/Portico/bin/Release/net10.0/portico"), "run", "--config", f"{d}/{t}.conf",
                     "--admin-socket", f"{d}/{t}.sock", "--log-level", "Warning", "--log-dir", f"{d}/{t}-log", "--admin-http", "none"],
                    env=dict(os.environ, DOTNET_PerfMapEnabled="0"), stdout=open(f"{d}/{t}.out", "ab"), stderr=open(f"{d}/{t}.err", "ab"))


def family(pid):
    """The process and its children (nginx's workers), whose CPU is the proxy's."""
    pids = [pid]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


def fetch(port, accept):
    """One response through curl: the body bytes as sent (not decoded) and the Content-Encoding."""
    out = subprocess.run(["curl", "-s", "--max-time", "10", "-D", "-", "-H", f"Accept-Encoding: {accept}", f"http://127.0.0.1:{port}{PAGE}"],
                         capture_output=True, timeout=20, check=True).stdout
    head, _, body = out.partition(b"\r\n\r\n")
    encoding = next((l.split(b":", 1)[1].strip().decode() for l in head.split(b"\r\n") if l.lower().startswith(b"content-encoding:")), None)
    return body, encoding


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/out/cmp.json"))
    a = ap.parse_args()
    d = tempfile.mkdtemp(prefix="portico-bench-cmp-")
    write_configs(d)
    original = page()
    results = {t: [] for t in TARGETS}
    sizes = {}
    print(f"about {(len(TARGETS) * (a.rounds * a.duration + a.warmup)) // 60 + 1} minutes", flush=True)
    try:
        l7.start(["nginx", "-p", d, "-e", f"{d}/backend-error.log", "-c", f"{d}/backend.conf"])
        l7.wait_port(BACKEND)
        procs = {}
        for t in TARGETS:
            procs[t] = launch(t, d)
            l7.wait_port(PORT[t], seconds=60)
            deadline = time.time() + 30
            while True:
                # A proxy may listen before its member is marked UP: wait for the page itself.
                body, encoding = fetch(PORT[t], "gzip")
                if len(body) > 1000 or time.time() > deadline:
                    break
                time.sleep(0.5)
            if t == "portico-plain":
                if encoding is not None or body != original:
                    raise RuntimeError(f"{t}: expected the page as sent, got {encoding} {len(body)} bytes")
            else:
                if encoding != "gzip" or gzip.decompress(body) != original:
                    raise RuntimeError(f"{t}: expected a gzip body that decodes to the page, got {encoding} {len(body)} bytes")
            sizes[t] = len(body)
            l7.wrk(f"http://127.0.0.1:{PORT[t]}{PAGE}", a.warmup, family(procs[t].pid), conns=CONNS, headers=["Accept-Encoding: gzip"])
        for r in range(a.rounds):
            for t in TARGETS:
                res = l7.wrk(f"http://127.0.0.1:{PORT[t]}{PAGE}", a.duration, family(procs[t].pid), conns=CONNS, headers=["Accept-Encoding: gzip"])
                if res["non2xx"] or res["socket_error_count"]:
                    raise RuntimeError(f"{t}: {res['non2xx']} non-2xx, socket errors {res['socket_errors']}")
                res["cpu_per_10k_s"] = res["proxy_cpu_s"] / res["requests"] * 1e4
                results[t].append(res)
                print(f"round {r + 1} {t}: {res['rps']:.0f} req/s, {res['cpu_per_10k_s']:.2f} CPU s per 10k", flush=True)
    finally:
        l7.stop_all()
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"when": time.strftime("%Y-%m-%d %H:%M"), "sizes": sizes, "original": len(original), "results": results}, f, indent=1)
    print(f"\npage: {len(original)} bytes\n\n| target | req/s (median, min-max) | CPU s per 10k requests | gzip body bytes (ratio to the page) |\n|---|---|---|---|")
    for t in TARGETS:
        rps = [x["rps"] for x in results[t]]
        cpu = [x["cpu_per_10k_s"] for x in results[t]]
        print(f"| {t} | {statistics.median(rps):,.0f} ({min(rps):,.0f}-{max(rps):,.0f}) | {statistics.median(cpu):.2f} | {sizes[t]:,} ({sizes[t] / len(original):.3f}) |")
    per_round = lambda x, y: [p["rps"] / q["rps"] for p, q in zip(results[x], results[y])]
    for name, (x, y, goal) in {"portico / nginx (both zlib level 6)": ("portico", "nginx", 1.0), "portico / haproxy": ("portico", "haproxy", 1.0),
                               "portico-fast / haproxy (zlib level 1 against libslz)": ("portico-fast", "haproxy", 1.0),
                               "portico / portico-plain (cost of compression)": ("portico", "portico-plain", None)}.items():
        rs = per_round(x, y)
        print(f"\n{name}: median {statistics.median(rs):.2f} (rounds {', '.join(f'{v:.2f}' for v in rs)})" + (f", target >= {goal}" if goal else ""))
    print(f"\ncompressed size portico / nginx (equal level {LEVEL}): {sizes['portico'] / sizes['nginx']:.3f} (target within 5%: 0.95-1.05)")


if __name__ == "__main__":
    main()
