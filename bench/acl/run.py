#!/usr/bin/env python3
"""ACL benchmark: accept rate and L4 throughput through Portico with no ACL against Portico with 100,000
simple ACLs and 10,000 applied extended ACLs (plus a GeoIP database and country rules) on 127.0.0.1; then
memory per 100,000 simple ACLs and the time to apply 10,000 extended ACLs, measured in process. Prints a
markdown section for bench/RESULTS.md and writes raw results as JSON.

Method: both Porticos run side by side, idle when not measured. A round is two short windows, one on each
(the order flips every round), a few seconds apart, so the slow swings of a shared machine hit both alike;
the ratio of a round is ACL/no-ACL. Many rounds (accept, then stream), reported as median, quartiles and
range; each Portico's CPU (utime+stime) over its window also gives connections (or MiB) per CPU-second.

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


def measure(kind, pids, duration, loops):
    """One window: both targets loaded at once; returns per-target value, CPU and value per CPU-second."""
    c0 = {t: cpu(pid) for t, pid in pids.items()}
    targets = ",".join(f"127.0.0.1:{PORT[t]}" for t in pids)
    if kind == "accept":
        r = load(["connect", targets, str(duration), str(loops)], duration + 60)
        values = [int(v) / float(r["seconds"]) for v in r["connections"].split(",")]
        errors = [int(v) for v in r["errors"].split(",")]
    else:
        r = load(["stream", targets, str(duration), str(loops)], duration + 60)
        values = [int(v) / float(r["seconds"]) / 2**20 for v in r["bytes"].split(",")]
        errors = [int(v) for v in r["stuck"].split(",")]
    out = {}
    for i, (t, pid) in enumerate(pids.items()):
        used = cpu(pid) - c0[t]
        out[t] = {"value": values[i], "cpu": used, "per_cpu_s": values[i] * duration / used if used > 0 else 0, "errors": errors[i]}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--duration", type=float, default=2, help="seconds of one window")
    ap.add_argument("--warmup", type=float, default=15)
    ap.add_argument("--accept-loops", type=int, default=8, help="connection loops per target")
    ap.add_argument("--streams", type=int, default=2, help="long connections per target")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "acl.json"))
    ap.add_argument("--clear-before-rounds", action="store_true",
                    help="control run: remove every rule from the ACL Portico after warm-up (same process, same history, no rules)")
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

        pids = {"bare": procs["bare"].pid, "acl": procs["acl"].pid}
        measure("accept", pids, a.warmup, a.accept_loops)   # untimed warm-up: JIT tiering, pools
        measure("stream", pids, a.warmup / 3, a.streams)

        if a.clear_before_rounds:
            subprocess.run(["dotnet", PORTICO, "cli", "--admin-socket", os.path.join(tmp, "acl.sock"), "-c",
                            "clear ns simpleacl\nclear ns simpleacl6\nclear ns acls\nunset ns geoip -database"], check=True,
                           stdout=subprocess.DEVNULL, timeout=120)
            results["cleared_before_rounds"] = True

        rounds = []
        for kind, loops in (("accept", a.accept_loops), ("stream", a.streams)):
            out = subprocess.run(["dotnet", LOAD, "alternate", kind, f"127.0.0.1:{PORT['bare']},127.0.0.1:{PORT['acl']}",
                                  f"{pids['bare']},{pids['acl']}", str(a.duration), str(a.rounds), str(loops)],
                                 capture_output=True, text=True, timeout=a.rounds * (2 * a.duration + 30) + 60, check=True).stdout
            for i, line in enumerate(out.splitlines()):
                f = dict(re.findall(r"(\w+)=(\S+)", line))
                values = [float(x) for x in f["values"].split(",")]
                cpus = [float(x) for x in f["cpu"].split(",")]
                errs = [int(x) for x in f["errors"].split(",")]
                if len(rounds) <= i:
                    rounds.append({"load": os.getloadavg()[0]})
                for j, target in enumerate(("bare", "acl")):
                    rounds[i][f"{kind}_{target}"] = {"value": values[j], "cpu": cpus[j], "errors": errs[j],
                                                     "per_cpu_s": values[j] * a.duration / cpus[j] if cpus[j] > 0 else 0}
            print(f"{kind}: {len(out.splitlines())} rounds", file=sys.stderr)
        results["rounds"] = rounds

        # apply ns acls on the running Portico with 10,000 rules, through portico cli, against a no-op command.
        def cli(command):
            t0 = time.time()
            out = subprocess.run(["dotnet", PORTICO, "cli", "--admin-socket", os.path.join(tmp, "acl.sock"), "-c", command],
                                 capture_output=True, text=True, timeout=120, check=True).stdout
            return time.time() - t0, out
        try:
            noop = sorted(cli("show ns mode")[0] for _ in range(3))[1]
            applies = sorted(cli("add ns acl bench_extra DENY -srcIP 192.0.2.99 -priority 5\napply ns acls\nrm ns acl bench_extra\napply ns acls")[0]
                             for _ in range(3))
            results["cli_noop_s"] = round(noop, 3)
            results["cli_two_applies_s"] = [round(x, 3) for x in applies]
            results["acl_count_after"] = re.search(r"ACL count \(ACLCount\)\s+(\d+)", cli("stat ns acl")[1]).group(1)
        except (subprocess.CalledProcessError, AttributeError) as e:
            results["cli_error"] = str(e)
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
        rs = sorted(r[f"{kind}_acl"][field] / r[f"{kind}_bare"][field] for r in rounds if r[f"{kind}_bare"][field] > 0)
        q = statistics.quantiles(rs, n=4)
        return f"{statistics.median(rs):.3f} (quartiles {q[0]:.3f}-{q[2]:.3f}; range {rs[0]:.3f}-{rs[-1]:.3f})"

    print(f"| measure ({len(rounds)} rounds of two windows) | no ACL | 100k simple + 10k extended ACLs | ratio ACL/no ACL per round: median (quartiles; range) |")
    print("|---|---:|---:|---:|")
    print(f"| new connections/s (1 byte each way) | {fmt(col('accept_bare'))} | {fmt(col('accept_acl'))} | {ratios('accept')} |")
    print(f"| connections per Portico CPU-second | {fmt(col('accept_bare', 'per_cpu_s'))} | {fmt(col('accept_acl', 'per_cpu_s'))} | {ratios('accept', 'per_cpu_s')} |")
    print(f"| L4 throughput, MiB/s echoed | {fmt(col('stream_bare'))} | {fmt(col('stream_acl'))} | {ratios('stream')} |")
    print(f"| MiB per Portico CPU-second | {fmt(col('stream_bare', 'per_cpu_s'))} | {fmt(col('stream_acl', 'per_cpu_s'))} | {ratios('stream', 'per_cpu_s')} |")
    errors = {k: sum(r[k]["errors"] for r in rounds) for k in rounds[0] if isinstance(rounds[0][k], dict)}
    loads = [r["load"] for r in rounds]
    print(f"\nconnection errors (accept: failed; stream: not finished 10 s after the window): {errors}; load average before {res['load_before'][0]:.1f}, during rounds "
          + f"{min(loads):.1f}-{max(loads):.1f}")
    print(f"startup: no ACL {res['bare_startup_s']} s, with ACLs {res['acl_startup_s']} s ({res['config_lines']:,} config lines); "
          f"RSS idle {res['bare_rss_mib_idle']} / {res['acl_rss_mib_idle']} MiB, after {res['bare_rss_mib_after']} / {res['acl_rss_mib_after']} MiB")
    print(f"in process: {json.dumps(res['inproc'])}")
    if "cli_noop_s" in res:
        print(f"portico cli on the running Portico with {res['acl_count_after']} extended ACLs: a no-op command {res['cli_noop_s']} s; "
              f"a batch with two apply ns acls {res['cli_two_applies_s']} s")
    else:
        print(f"portico cli measurement failed: {res.get('cli_error')}")


if __name__ == "__main__":
    main()
