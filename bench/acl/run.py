#!/usr/bin/env python3
"""ACL benchmark: accept rate and L4 throughput through Portico with no ACL against Portico with 100,000
simple ACLs and 10,000 applied extended ACLs (plus a GeoIP database and country rules), in interleaved
rounds on 127.0.0.1; then memory per 100,000 simple ACLs and the time to apply 10,000 extended ACLs,
measured in process. Prints a markdown section for bench/RESULTS.md and writes raw results as JSON.

Run by hand from the repository root:
    python3 bench/acl/run.py [--rounds 3] [--duration 10] [--warmup 15] [--out bench/out/acl.json]
Needs only the .NET SDK (it builds Portico and bench/acl/AclLoad in Release). Every process it starts
listens on an explicit 127.0.0.1 port and is stopped by its PID, even on failure.
"""
import argparse
import datetime
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PORT = {"backend": 18201, "bare": 18211, "acl": 18212}
TICK = os.sysconf("SC_CLK_TCK")
GEO = os.path.join(ROOT, "tests", "testdata", "geoip", "GeoIP2-City-Test.mmdb")
LOAD = os.path.join(ROOT, "bench", "acl", "AclLoad", "bin", "Release", "net10.0", "AclLoad.dll")
PORTICO = os.path.join(ROOT, "src", "Portico", "bin", "Release", "net10.0", "portico.dll")
started = []


def start(args, **kw):
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, **kw)
    started.append(p)
    return p


def stop_all():
    for p in reversed(started):
        if p.poll() is None:
            try:
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def wait_port(port, seconds=120):
    import socket
    deadline = time.time() + seconds
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def load(args, timeout):
    out = subprocess.run(["dotnet", LOAD, *args], capture_output=True, text=True, timeout=timeout, check=True).stdout
    return {k: v.strip('"') for k, v in re.findall(r'(\w+)=("[^"]*"|\S+)', out)}


def measure(kind, target, pid, duration, loops):
    c0 = cpu(pid)
    if kind == "accept":
        r = load(["connect", f"127.0.0.1:{PORT[target]}", str(duration), str(loops)], duration + 60)
        value = int(r["connections"]) / float(r["seconds"])
        extra = {"errors": int(r["errors"])}
    else:
        r = load(["stream", f"127.0.0.1:{PORT[target]}", str(duration), str(loops)], duration + 60)
        value = int(r["bytes"]) / float(r["seconds"]) / 2**20
        extra = {"errors": int(r["stuck"])}
    used = cpu(pid) - c0
    return {"value": value, "cpu": used, "per_cpu_s": value * duration / used if used > 0 else 0, **extra}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=15)
    ap.add_argument("--accept-loops", type=int, default=16)
    ap.add_argument("--streams", type=int, default=4)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "acl.json"))
    a = ap.parse_args()

    for proj in ["src/Portico", "bench/acl/AclLoad"]:
        subprocess.run(["dotnet", "build", os.path.join(ROOT, proj), "-c", "Release", "-v", "q", "-nologo"], check=True,
                       stdout=subprocess.DEVNULL)
    tmp = tempfile.mkdtemp(prefix="portico-acl-bench-")
    results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "load_before": os.getloadavg()}
    try:
        start(["dotnet", LOAD, "serve", str(PORT["backend"])])
        wait_port(PORT["backend"])
        procs = {}
        for target, rules in (("bare", "no"), ("acl", "yes")):
            conf = os.path.join(tmp, f"{target}.conf")
            subprocess.run(["dotnet", LOAD, "config", conf, str(PORT[target]), str(PORT["backend"]), rules, GEO], check=True)
            t0 = time.time()
            procs[target] = start(["dotnet", PORTICO, "run", "--config", conf, "--admin-socket", os.path.join(tmp, f"{target}.sock"),
                                   "--log-level", "Warning"], env={**os.environ, "DOTNET_gcServer": "0"})
            wait_port(PORT[target])
            results[f"{target}_startup_s"] = round(time.time() - t0, 2)
            results[f"{target}_rss_mib_idle"] = round(rss_mib(procs[target].pid), 1)
        results["config_lines"] = sum(1 for _ in open(os.path.join(tmp, "acl.conf")))

        for target in ("bare", "acl"):   # untimed warm-up: JIT tiering, pools
            load(["connect", f"127.0.0.1:{PORT[target]}", str(a.warmup), str(a.accept_loops)], a.warmup + 60)
            load(["stream", f"127.0.0.1:{PORT[target]}", str(a.warmup / 3), str(a.streams)], a.warmup + 60)

        rounds = []
        for r in range(a.rounds):
            order = ["bare", "acl"] if r % 2 == 0 else ["acl", "bare"]
            row = {}
            for kind, loops in (("accept", a.accept_loops), ("stream", a.streams)):
                for target in order:
                    row[f"{kind}_{target}"] = measure(kind, target, procs[target].pid, a.duration, loops)
            row["load"] = os.getloadavg()[0]
            rounds.append(row)
            print(f"round {r + 1}: " + ", ".join(f"{k} {v['value']:.0f}" for k, v in row.items() if isinstance(v, dict)), file=sys.stderr)
        results["rounds"] = rounds
        for target in ("bare", "acl"):
            results[f"{target}_rss_mib_after"] = round(rss_mib(procs[target].pid), 1)
        results["inproc"] = load(["inproc", GEO], 600)
    finally:
        stop_all()

    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(results, f, indent=2)
    report(results)


def report(res):
    rounds = res["rounds"]

    def col(key, field="value"):
        return [r[key][field] for r in rounds]

    def fmt(values, unit=""):
        return f"{statistics.median(values):,.0f}{unit} ({min(values):,.0f}-{max(values):,.0f})"

    def ratios(kind, field="value"):
        rs = [r[f"{kind}_acl"][field] / r[f"{kind}_bare"][field] for r in rounds]
        return f"{statistics.median(rs):.3f} ({min(rs):.3f}-{max(rs):.3f})"

    print(f"| measure | no ACL | 100k simple + 10k extended ACLs | ratio (per round, median, min-max) |")
    print("|---|---:|---:|---:|")
    print(f"| new connections/s (1 byte each way, {len(rounds)} rounds) | {fmt(col('accept_bare'))} | {fmt(col('accept_acl'))} | {ratios('accept')} |")
    print(f"| connections per Portico CPU-second | {fmt(col('accept_bare', 'per_cpu_s'))} | {fmt(col('accept_acl', 'per_cpu_s'))} | {ratios('accept', 'per_cpu_s')} |")
    print(f"| L4 throughput, MiB/s echoed | {fmt(col('stream_bare'))} | {fmt(col('stream_acl'))} | {ratios('stream')} |")
    print(f"| MiB per Portico CPU-second | {fmt(col('stream_bare', 'per_cpu_s'))} | {fmt(col('stream_acl', 'per_cpu_s'))} | {ratios('stream', 'per_cpu_s')} |")
    errors = sum(r[k].get("errors", 0) for r in rounds for k in r if isinstance(r[k], dict))
    print(f"\nconnection errors: {errors}; load average before {res['load_before'][0]:.1f}, during rounds "
          + ", ".join(f"{r['load']:.1f}" for r in rounds))
    print(f"startup: no ACL {res['bare_startup_s']} s, with ACLs {res['acl_startup_s']} s ({res['config_lines']:,} config lines); "
          f"RSS idle {res['bare_rss_mib_idle']} / {res['acl_rss_mib_idle']} MiB, after {res['bare_rss_mib_after']} / {res['acl_rss_mib_after']} MiB")
    print(f"in process: {json.dumps(res['inproc'])}")


if __name__ == "__main__":
    main()
