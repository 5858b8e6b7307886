#!/usr/bin/env python3
"""Content switching benchmark: what 100 policies cost. wrk (64 keep-alive connections, 1 KiB bodies from two Debian
nginx backends) against, in interleaved rounds on 127.0.0.1:
    haproxy-plain   HAProxy, one backend (default_backend)
    haproxy-acl     HAProxy, 100 `acl hN hdr(host) -i hostN.example` + `use_backend beN if hN`; the request matches the 100th
    portico-plain   Portico, one HTTP lb vserver
    portico-cs      Portico, a cs vserver with 100 cs policies HTTP.REQ.HOSTNAME.EQ("hostN.example") to 100
                    non-addressable lb vservers; the request matches the 100th (priority 100)
The issue's targets: portico-cs >= 0.95 x portico-plain (the cost of 100 policies at most 5%), and
portico-cs >= 1.0 x haproxy-acl. Prints a markdown table (medians, min-max) with the ratios per round.

--mode h2: the same four over HTTP/2 and TLS (ALPN h2, a fresh P-256 certificate): HAProxy binds with `ssl alpn h2`,
Portico's lb vserver and cs vserver are SSL; h2load (16 connections, 10 streams each, 2 threads) asks for
https://host100.example/1k, connecting to 127.0.0.1:port (--connect-to), so :authority is host100.example.

Run by hand from the repository root, as root: python3 bench/cs/run.py [--mode h1|h2] [--rounds 3] [--duration 7] [--warmup 15]
Needs apt nginx haproxy wrk nghttp2-client (h2load) and a Release build (dotnet build Portico.slnx -c Release). Every
process listens on an explicit 127.0.0.1 port, is stopped by its PID even on failure, and every load run is bounded in time.
"""
import argparse
import importlib.util
import json
import os
import re
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

POLICIES = 100
PORT = {"haproxy-plain": 18301, "haproxy-acl": 18302, "portico-plain": 18303, "portico-cs": 18304}
TARGETS = list(PORT)
HOST = f"host{POLICIES}.example"


def write_configs(d, h2=False):
    l7.write_configs(d)  # the backends' config and files (b1, b2 serving /1k)
    if h2:
        l7.make_cert(d, "ec")  # d/cert.pem, d/key.pem and d/haproxy.pem (both in one file)
    tls = f" ssl crt {d}/haproxy.pem alpn h2,http/1.1" if h2 else ""
    kind = "SSL" if h2 else "HTTP"
    cert = lambda v: f"add ssl certKey site -cert {d}/cert.pem -key {d}/key.pem\nbind ssl vserver {v} -certkeyName site\n" if h2 else ""
    b = f"  server b1 127.0.0.1:{l7.PORT['b1']}\n  server b2 127.0.0.1:{l7.PORT['b2']}\n"
    common = "global\n  nbthread 2\n  maxconn 9000\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n  option forwardfor\n  http-reuse always\n"
    with open(f"{d}/haproxy-plain.cfg", "w") as f:
        f.write(common + f"frontend fe\n  bind 127.0.0.1:{PORT['haproxy-plain']}{tls}\n  default_backend pool\nbackend pool\n  balance roundrobin\n{b}")
    acls = "".join(f"  acl h{i} hdr(host) -i host{i}.example\n" for i in range(1, POLICIES + 1))
    uses = "".join(f"  use_backend be{i} if h{i}\n" for i in range(1, POLICIES + 1))
    backends = "".join(f"backend be{i}\n  balance roundrobin\n{b}" for i in range(1, POLICIES + 1))
    with open(f"{d}/haproxy-acl.cfg", "w") as f:
        f.write(common + f"frontend fe\n  bind 127.0.0.1:{PORT['haproxy-acl']}{tls}\n{acls}{uses}  default_backend be1\n{backends}")
    services = f"add service nb1 127.0.0.1 HTTP {l7.PORT['b1']}\nadd service nb2 127.0.0.1 HTTP {l7.PORT['b2']}\n"
    with open(f"{d}/portico-plain.conf", "w") as f:
        f.write(services + f"add lb vserver bench {kind} 127.0.0.1 {PORT['portico-plain']} -lbMethod ROUNDROBIN\nbind lb vserver bench nb1\nbind lb vserver bench nb2\n"
                + cert("bench"))
    lines = [services, f"add cs vserver front {kind} 127.0.0.1 {PORT['portico-cs']}\n", cert("front")]
    for i in range(1, POLICIES + 1):
        lines.append(f"add lb vserver lb{i} HTTP 0.0.0.0 0 -lbMethod ROUNDROBIN\nbind lb vserver lb{i} nb1\nbind lb vserver lb{i} nb2\n"
                     f"add cs action a{i} -targetLBVserver lb{i}\n"
                     f"add cs policy p{i} -rule \"HTTP.REQ.HOSTNAME.EQ(\\\"host{i}.example\\\")\" -action a{i}\n"
                     f"bind cs vserver front -policyName p{i} -priority {i}\n")
    with open(f"{d}/portico-cs.conf", "w") as f:
        f.write("".join(lines))


def launch(t, d):
    if t.startswith("haproxy"):
        return l7.start(["haproxy", "-db", "-f", f"{d}/{t}.cfg"], stderr=open(f"{d}/{t}.log", "ab"))
    return l7.start([os.path.join(ROOT, "src/Portico/bin/Release/net10.0/portico"), "run", "--config", f"{d}/{t}.conf",
                     "--admin-socket", f"{d}/{t}.sock", "--log-level", "Warning", "--log-dir", f"{d}/{t}-log", "--admin-http", "none"],
                    env=dict(os.environ, DOTNET_PerfMapEnabled="0"), stdout=open(f"{d}/{t}.out", "ab"), stderr=open(f"{d}/{t}.err", "ab"))


def h2load(port, duration, watch_pids):
    """HTTP/2 over TLS: 16 connections of 10 concurrent streams for `duration` seconds, :authority HOST."""
    before_cpu, before_busy = l7.cpu(watch_pids), l7.machine_busy()
    cmd = ["h2load", "-t2", "-c16", "-m10", "-D", str(duration), f"--connect-to=127.0.0.1:{port}", f"https://{HOST}/1k"]
    p = l7.start(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out, _ = p.communicate(timeout=duration + 60)
    after_cpu, after_busy = l7.cpu(watch_pids), l7.machine_busy()
    m = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", out)
    done = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored", out)
    codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    if p.returncode != 0 or not m or not done or not codes or "h2" not in out:
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}, output:\n{out}")
    requests = int(done.group(1))
    return {
        "rps": float(m.group(1)), "requests": requests, "proxy_cpu_s": after_cpu - before_cpu, "machine_busy_s": after_busy - before_busy,
        # Streams still open when the duration ends are counted failed by h2load: only answers that were not 2xx count.
        "non2xx": sum(int(codes.group(i)) for i in (2, 3, 4)), "socket_error_count": 0,
        "cut_at_end": int(done.group(3)) + int(done.group(4)),
    }


def load(t, a, pid, seconds):
    if a.mode == "h2":
        return h2load(PORT[t], seconds, [pid])
    return l7.wrk(f"http://127.0.0.1:{PORT[t]}/1k", seconds, [pid], headers=[f"Host: {HOST}"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=15)
    ap.add_argument("--mode", choices=["h1", "h2"], default="h1", help="h2: HTTP/2 over TLS with h2load")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    a.out = a.out or os.path.join(ROOT, f"bench/out/cs{'-h2' if a.mode == 'h2' else ''}.json")
    d = tempfile.mkdtemp(prefix="portico-bench-cs-")
    write_configs(d, h2=a.mode == "h2")
    results = {t: [] for t in TARGETS}
    print(f"about {(len(TARGETS) * (a.rounds * a.duration + a.warmup)) // 60 + 1} minutes", flush=True)
    try:
        l7.start(["nginx", "-p", d, "-e", f"{d}/backends-error.log", "-c", f"{d}/backends.conf"])
        l7.wait_port(l7.PORT["b1"])
        procs = {}
        for t in TARGETS:
            procs[t] = launch(t, d)
            l7.wait_port(PORT[t], seconds=60)
            load(t, a, procs[t].pid, a.warmup)
        for r in range(a.rounds):
            for t in TARGETS:
                res = load(t, a, procs[t].pid, a.duration)
                if res["non2xx"] or res["socket_error_count"]:
                    raise RuntimeError(f"{t}: {res['non2xx']} non-2xx, socket errors {res['socket_errors']}")
                res["cpu_per_100k_s"] = res["proxy_cpu_s"] / res["requests"] * 1e5
                results[t].append(res)
                print(f"round {r + 1} {t}: {res['rps']:.0f} req/s, {res['cpu_per_100k_s']:.2f} CPU s per 100k", flush=True)
    finally:
        l7.stop_all()
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"when": time.strftime("%Y-%m-%d %H:%M"), "mode": a.mode, "results": results}, f, indent=1)
    print(f"\n| target | req/s (median, min-max) | CPU s per 100k requests |\n|---|---|---|")
    for t in TARGETS:
        rps = [x["rps"] for x in results[t]]
        cpu = [x["cpu_per_100k_s"] for x in results[t]]
        print(f"| {t} | {statistics.median(rps):,.0f} ({min(rps):,.0f}-{max(rps):,.0f}) | {statistics.median(cpu):.2f} |")
    per_round = lambda a_, b_: [x["rps"] / y["rps"] for x, y in zip(results[a_], results[b_])]
    for name, (x, y, goal) in {"cs cost (portico-cs / portico-plain)": ("portico-cs", "portico-plain", 0.95),
                               "portico-cs / haproxy-acl": ("portico-cs", "haproxy-acl", 1.0),
                               "haproxy-acl / haproxy-plain": ("haproxy-acl", "haproxy-plain", None)}.items():
        rs = per_round(x, y)
        print(f"\n{name}: median {statistics.median(rs):.2f} (rounds {', '.join(f'{v:.2f}' for v in rs)})" + (f", target >= {goal}" if goal else ""))
        cpu = [p["cpu_per_100k_s"] / q["cpu_per_100k_s"] for p, q in zip(results[x], results[y])]
        print(f"  CPU per request {x} / {y}: median {statistics.median(cpu):.2f} (rounds {', '.join(f'{v:.2f}' for v in cpu)})")


if __name__ == "__main__":
    main()
