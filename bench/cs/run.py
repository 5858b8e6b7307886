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

Run by hand from the repository root, as root: python3 bench/cs/run.py [--rounds 3] [--duration 7] [--warmup 15]
Needs apt nginx haproxy wrk and a Release build (dotnet build Portico.slnx -c Release). Every process listens on an
explicit 127.0.0.1 port, is stopped by its PID even on failure, and every wrk run is bounded in time.
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

POLICIES = 100
PORT = {"haproxy-plain": 18301, "haproxy-acl": 18302, "portico-plain": 18303, "portico-cs": 18304}
TARGETS = list(PORT)
HOST = f"host{POLICIES}.example"


def write_configs(d):
    l7.write_configs(d)  # the backends' config and files (b1, b2 serving /1k)
    b = f"  server b1 127.0.0.1:{l7.PORT['b1']}\n  server b2 127.0.0.1:{l7.PORT['b2']}\n"
    common = "global\n  nbthread 2\n  maxconn 9000\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n  option forwardfor\n  http-reuse always\n"
    with open(f"{d}/haproxy-plain.cfg", "w") as f:
        f.write(common + f"frontend fe\n  bind 127.0.0.1:{PORT['haproxy-plain']}\n  default_backend pool\nbackend pool\n  balance roundrobin\n{b}")
    acls = "".join(f"  acl h{i} hdr(host) -i host{i}.example\n" for i in range(1, POLICIES + 1))
    uses = "".join(f"  use_backend be{i} if h{i}\n" for i in range(1, POLICIES + 1))
    backends = "".join(f"backend be{i}\n  balance roundrobin\n{b}" for i in range(1, POLICIES + 1))
    with open(f"{d}/haproxy-acl.cfg", "w") as f:
        f.write(common + f"frontend fe\n  bind 127.0.0.1:{PORT['haproxy-acl']}\n{acls}{uses}  default_backend be1\n{backends}")
    services = f"add service nb1 127.0.0.1 HTTP {l7.PORT['b1']}\nadd service nb2 127.0.0.1 HTTP {l7.PORT['b2']}\n"
    with open(f"{d}/portico-plain.conf", "w") as f:
        f.write(services + f"add lb vserver bench HTTP 127.0.0.1 {PORT['portico-plain']} -lbMethod ROUNDROBIN\nbind lb vserver bench nb1\nbind lb vserver bench nb2\n")
    lines = [services, f"add cs vserver front HTTP 127.0.0.1 {PORT['portico-cs']}\n"]
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=15)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/out/cs.json"))
    a = ap.parse_args()
    d = tempfile.mkdtemp(prefix="portico-bench-cs-")
    write_configs(d)
    results = {t: [] for t in TARGETS}
    print(f"about {(len(TARGETS) * (a.rounds * a.duration + a.warmup)) // 60 + 1} minutes", flush=True)
    try:
        l7.start(["nginx", "-p", d, "-e", f"{d}/backends-error.log", "-c", f"{d}/backends.conf"])
        l7.wait_port(l7.PORT["b1"])
        procs = {}
        for t in TARGETS:
            procs[t] = launch(t, d)
            l7.wait_port(PORT[t], seconds=60)
            l7.wrk(f"http://127.0.0.1:{PORT[t]}/1k", a.warmup, [procs[t].pid], headers=[f"Host: {HOST}"])
        for r in range(a.rounds):
            for t in TARGETS:
                res = l7.wrk(f"http://127.0.0.1:{PORT[t]}/1k", a.duration, [procs[t].pid], headers=[f"Host: {HOST}"])
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


if __name__ == "__main__":
    main()
