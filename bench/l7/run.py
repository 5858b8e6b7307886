#!/usr/bin/env python3
"""L7 benchmark: wrk at 64 connections against two Debian nginx backends, directly and through
HAProxy (mode http), nginx (reverse proxy), a minimal YARP proxy and Portico, in interleaved rounds
on 127.0.0.1. Prints a markdown table (medians, min-max, ratios) and writes the raw results as JSON.

Run by hand from the repository root, as root (nginx backends run as root in a temp prefix):
    python3 bench/l7/run.py [--rounds 3] [--duration 10] [--warmup 25] [--out bench/out/l7.json]
Needs: apt nginx haproxy wrk; a Release build (the script builds Portico and yarp-minimal).
Every process it starts listens on an explicit 127.0.0.1 port and is stopped by its PID, even on failure.
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
PORT = {"b1": 18001, "b2": 18002, "haproxy": 18101, "nginx": 18102, "yarp": 18103, "portico": 18104, "portico-b": 18105}
SIZES = [("2 B", "/2b"), ("1 KiB", "/1k"), ("1 MiB", "/1m")]
TARGETS = ["direct", "haproxy", "nginx", "yarp", "portico"]
TICK = os.sysconf("SC_CLK_TCK")
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
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def wait_port(port, seconds=30):
    import socket
    deadline = time.time() + seconds
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def tree(pid):
    """The pid and all its descendants (nginx workers are children of the master)."""
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(d))
            except OSError:
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / TICK


def machine_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v) - v[3] - v[4]) / TICK


def unit(value, u):
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[u]


def wrk(url, duration, watch_pids):
    before_cpu, before_busy = cpu(watch_pids), machine_busy()
    cmd = ["wrk", "-t2", "-c64", f"-d{duration}s", "--latency", url]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, start_new_session=True)
    started.append(p)
    out, _ = p.communicate(timeout=duration + 60)
    wrk_cpu = cpu([p.pid]) if False else None
    after_cpu, after_busy = cpu(watch_pids), machine_busy()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    lat = {m.group(1): unit(m.group(2), m.group(3)) for m in re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)", out, re.M)}
    tr = re.search(r"Transfer/sec:\s+([\d.]+)([KMG]?B)", out)
    mib = float(tr.group(1)) * {"B": 1 / 2**20, "KB": 1 / 1024, "MB": 1, "GB": 1024}[tr.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps, "requests": requests, "p50_ms": lat.get("50"), "p99_ms": lat.get("99"), "mib_s": mib,
        "proxy_cpu_s": after_cpu - before_cpu, "machine_busy_s": after_busy - before_busy,
        "non2xx": int(errors.group(1)) if errors else 0, "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def write_configs(d):
    with open(os.path.join(d, "2b"), "w") as f:
        f.write("ok")
    with open(os.path.join(d, "1k"), "wb") as f:
        f.write(b"x" * 1024)
    with open(os.path.join(d, "1m"), "wb") as f:
        f.write(b"x" * 2**20)
    common = f"""daemon off; master_process on; user root; worker_processes 2; pid {{pid}};
error_log {d}/{{name}}-error.log warn; worker_rlimit_nofile 8000;
events {{{{ worker_connections 4000; }}}}
"""
    with open(os.path.join(d, "backends.conf"), "w") as f:
        f.write(common.format(pid=f"{d}/backends.pid", name="backends") + f"""http {{
  access_log off; keepalive_requests 1000000; keepalive_timeout 300s; sendfile on; tcp_nopush on;
  default_type application/octet-stream;
  server {{ listen 127.0.0.1:{PORT['b1']} reuseport backlog=4096; root {d}; }}
  server {{ listen 127.0.0.1:{PORT['b2']} reuseport backlog=4096; root {d}; }}
}}
""")
    with open(os.path.join(d, "nginx-proxy.conf"), "w") as f:
        f.write(common.format(pid=f"{d}/proxy.pid", name="proxy") + f"""http {{
  access_log off; keepalive_requests 1000000; keepalive_timeout 300s;
  upstream pool {{ server 127.0.0.1:{PORT['b1']}; server 127.0.0.1:{PORT['b2']}; keepalive 128; keepalive_requests 1000000; }}
  server {{
    listen 127.0.0.1:{PORT['nginx']} backlog=4096;
    location / {{
      proxy_pass http://pool; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host; proxy_set_header X-Forwarded-For $remote_addr; proxy_set_header X-Forwarded-Proto $scheme;
      proxy_max_temp_file_size 0;
    }}
  }}
}}
""")
    with open(os.path.join(d, "haproxy.cfg"), "w") as f:
        f.write(f"""global
  nbthread 2
  maxconn 8000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option forwardfor
  http-reuse always
frontend fe
  bind 127.0.0.1:{PORT['haproxy']}
  http-request set-header X-Forwarded-Proto http
  default_backend pool
backend pool
  balance roundrobin
  server b1 127.0.0.1:{PORT['b1']}
  server b2 127.0.0.1:{PORT['b2']}
""")
    with open(os.path.join(d, "portico.conf"), "w") as f:
        f.write(f"""add service nb1 127.0.0.1 HTTP {PORT['b1']}
add service nb2 127.0.0.1 HTTP {PORT['b2']}
add lb vserver bench HTTP 127.0.0.1 {PORT['portico']} -lbMethod ROUNDROBIN
bind lb vserver bench nb1
bind lb vserver bench nb2
""")
    with open(os.path.join(d, "portico.conf")) as f, open(os.path.join(d, "portico-b.conf"), "w") as g:
        g.write(f.read().replace(str(PORT["portico"]), str(PORT["portico-b"])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=25)
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("--portico-env", default="", help="extra environment for Portico, e.g. DOTNET_gcServer=1")
    ap.add_argument("--variant-env", default="", help="adds target portico-b: a second Portico with this extra environment, to compare settings in one run")
    ap.add_argument("--variant-bin", default="", help="adds target portico-b run from another build (a worktree's src/Portico/bin/Release/net10.0/portico), to compare before and after a change in one run")
    ap.add_argument("--yarp-env", default="", help="extra environment for the minimal YARP proxy, e.g. DOTNET_gcServer=0")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "l7.json"))
    ap.add_argument("--profile", default="", help="a body path (/1m): instead of rounds, perf-record each .NET proxy under wrk")
    a = ap.parse_args()
    targets = a.targets.split(",")
    if (a.variant_env or a.variant_bin) and "portico-b" not in targets:
        targets.append("portico-b")
    subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", os.path.join(ROOT, "src", "Portico")], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", os.path.join(ROOT, "bench", "l7", "yarp-minimal")], check=True, stdout=subprocess.DEVNULL)
    d = tempfile.mkdtemp(prefix="portico-bench-l7-")
    write_configs(d)
    results = []
    try:
        backends = start(["nginx", "-p", d, "-e", f"{d}/backends-error.log", "-c", f"{d}/backends.conf"])
        wait_port(PORT["b1"]); wait_port(PORT["b2"])
        procs = {"direct": backends}
        if "haproxy" in targets:
            procs["haproxy"] = start(["haproxy", "-db", "-f", f"{d}/haproxy.cfg"])
        if "nginx" in targets:
            procs["nginx"] = start(["nginx", "-p", d, "-e", f"{d}/proxy-error.log", "-c", f"{d}/nginx-proxy.conf"])
        if "yarp" in targets:
            procs["yarp"] = start([os.path.join(ROOT, "bench/l7/yarp-minimal/bin/Release/net10.0/yarp-minimal"), str(PORT["yarp"]),
                                   f"http://127.0.0.1:{PORT['b1']}", f"http://127.0.0.1:{PORT['b2']}"],
                                  env=dict(os.environ, DOTNET_PerfMapEnabled="1" if a.profile else "0", DOTNET_EnableWriteXorExecute="0" if a.profile else "1",
                                           **dict(kv.split("=", 1) for kv in a.yarp_env.split() if kv)))
        if "portico" in targets:
            env = dict(os.environ)
            env.update(kv.split("=", 1) for kv in a.portico_env.split() if kv)
            env["DOTNET_PerfMapEnabled"] = "1" if a.profile else "0"
            env["DOTNET_EnableWriteXorExecute"] = "0" if a.profile else "1"
            procs["portico"] = start([os.path.join(ROOT, "src/Portico/bin/Release/net10.0/portico"), "run", "--config", f"{d}/portico.conf",
                                      "--admin-socket", f"{d}/admin.sock", "--log-level", "Warning",
                                      "--log-dir", f"{d}/log"], env=env)
        if "portico-b" in targets:
            env = dict(os.environ)
            env.update(kv.split("=", 1) for kv in (a.portico_env + " " + a.variant_env).split() if kv)
            env["DOTNET_PerfMapEnabled"] = "0"
            procs["portico-b"] = start([a.variant_bin or os.path.join(ROOT, "src/Portico/bin/Release/net10.0/portico"), "run", "--config", f"{d}/portico-b.conf",
                                        "--admin-socket", f"{d}/admin-b.sock", "--log-level", "Warning",
                                        "--log-dir", f"{d}/log-b", "--admin-http", "none"], env=env)
        for t in targets:
            wait_port(PORT["b1"] if t == "direct" else PORT[t])
        for t in ("yarp", "portico", "portico-b"):
            if t in targets and a.warmup > 0:
                print(f"warming {t} up for {a.warmup} s", file=sys.stderr)
                wrk(f"http://127.0.0.1:{PORT[t]}/1k", a.warmup, [])
        if a.profile:
            for t in [t for t in targets if t in ("yarp", "portico")]:
                profile(t, procs[t].pid, f"http://127.0.0.1:{PORT[t]}{a.profile}", a.duration, os.path.dirname(a.out))
            return
        for r in range(a.rounds):
            order = targets[r % len(targets):] + targets[:r % len(targets)]
            for size, path in SIZES:
                for t in order:
                    port = PORT["b1"] if t == "direct" else PORT[t]
                    watch = tree(procs[t].pid) if t != "direct" else []
                    res = wrk(f"http://127.0.0.1:{port}{path}", a.duration, watch)
                    res.update(round=r + 1, size=size, target=t)
                    results.append(res)
                    print(f"round {r + 1} {size:>6} {t:>8}: {res['rps']:>9.0f} req/s  p50 {res['p50_ms']:.2f} ms  p99 {res['p99_ms']:.2f} ms"
                          f"  {res['mib_s']:.0f} MiB/s  proxy cpu {res['proxy_cpu_s']:.1f} s  machine {res['machine_busy_s']:.1f} s"
                          f"  non-2xx {res['non2xx']} {res['socket_errors']}", file=sys.stderr)
    finally:
        stop_all()
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"when": datetime.datetime.now(datetime.timezone.utc).isoformat(), "args": vars(a), "results": results}, f, indent=1)
    print(table(results, targets))


def profile(target, pid, url, duration, out_dir):
    """perf samples of one proxy under load (JIT frames named through the perf map), hottest first."""
    os.makedirs(out_dir, exist_ok=True)
    data = os.path.join(out_dir, f"perf-{target}.data")
    rec = start(["perf", "record", "-F", "997", "-g", "-p", str(pid), "-o", data, "--", "sleep", str(duration)])
    res = wrk(url, duration, tree(pid))
    rec.wait()
    with open(os.path.join(out_dir, f"perf-{target}.txt"), "w") as f:
        subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso,symbol", "--stdio", "-g", "none", "--percent-limit", "0.4"],
                       stdout=f, stderr=subprocess.DEVNULL)
    print(f"{target}: {res['rps']:.0f} req/s, cpu {res['proxy_cpu_s']:.1f} s; profile in {out_dir}/perf-{target}.txt", file=sys.stderr)


def table(results, targets):
    def med(size, t, key):
        v = [r[key] for r in results if r["size"] == size and r["target"] == t]
        return statistics.median(v), min(v), max(v)

    lines = ["| body | measure | " + " | ".join(targets) + " |", "|---|---|" + "---:|" * len(targets)]
    for size, _ in SIZES:
        rows = {"req/s (median, min-max)": [], "p50 / p99 ms": [], "MiB/s": [], "proxy CPU s per 100k req": []}
        for t in targets:
            m, lo, hi = med(size, t, "rps")
            rows["req/s (median, min-max)"].append(f"{m / 1000:.1f}k ({lo / 1000:.1f}-{hi / 1000:.1f})")
            rows["p50 / p99 ms"].append(f"{med(size, t, 'p50_ms')[0]:.2f} / {med(size, t, 'p99_ms')[0]:.2f}")
            rows["MiB/s"].append(f"{med(size, t, 'mib_s')[0]:.0f}")
            per = [r["proxy_cpu_s"] / r["requests"] * 1e5 for r in results if r["size"] == size and r["target"] == t]
            rows["proxy CPU s per 100k req"].append("-" if t == "direct" else f"{statistics.median(per):.2f}")
        for k, v in rows.items():
            lines.append(f"| {size} | {k} | " + " | ".join(v) + " |")
    if "portico" in targets:
        lines.append("")
        for size, _ in SIZES:
            by = {t: [r["rps"] for r in results if r["size"] == size and r["target"] == t] for t in targets}
            parts = []
            for peer in ("yarp", "haproxy", "nginx", "portico-b"):
                if peer in by:
                    # Ratios per round (same round = same conditions), then the median of the ratios.
                    ratios = [p / q for p, q in zip(by["portico"], by[peer])]
                    parts.append(f"Portico/{peer} {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})")
            lines.append(f"- {size}: " + ", ".join(parts))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
