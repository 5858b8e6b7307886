#!/usr/bin/env python3
"""L7 benchmark: wrk against two Debian nginx backends, directly and through HAProxy (mode http), nginx
(reverse proxy), a minimal YARP proxy and Portico, in interleaved rounds on 127.0.0.1. Prints a markdown
table (medians, min-max, ratios per round) and writes the raw results as JSON.

Run by hand from the repository root, as root (nginx backends run as root in a temp prefix):
    python3 bench/l7/run.py [--scenarios ka,mib,c1000,close,tls,tlsnew,tlsfull,idle] [--rounds 3]
                            [--duration 7] [--warmup 25] [--out bench/out/l7.json]
Scenarios (all by default; about 18 minutes on 2 cores with the five default targets, 22 with portico-b;
the script prints its estimate first):
    ka       2 B and 1 KiB bodies, 64 keep-alive connections (wrk -t2 -c64): req/s, CPU per request
    mib      1 MiB bodies, 64 connections: MiB/s
    c1000    1 KiB, 1,000 keep-alive connections (wrk -c1000)
    close    1 KiB, a new connection per request (wrk -H 'Connection: close')
    tls      1 KiB over https, 64 keep-alive connections
    tlsnew   1 KiB over https with 'Connection: close': a new TLS connection per request. wrk keeps the
             session of a connection it reopens, and every server here resumes it as it ships (TLS 1.2
             session ticket or cache), so these are resumed handshakes
    tlsfull  1 KiB over https, full handshakes: `openssl s_time -new -www /1k` (HTTP/1.0, one request per
             connection, no resumption), --tls-clients processes in parallel
    idle     KiB of RSS per idle keep-alive client connection: --idle-conns connections (one request each,
             then idle) to each proxy, measured on fresh processes before any load (bench/l7/idle_clients.py)
Needs: apt nginx haproxy wrk openssl; a Release build (the script builds Portico and yarp-minimal).
`--variant-bin PATH` adds `portico-b` (another build) to every scenario.
Instead of rounds: `--profile /1k` records perf samples of each .NET proxy under wrk; `--syscalls /1k` counts every
proxy's system calls per request with strace (slow under strace: only the counts mean anything); both take
`--profile-close` for a new connection per request.
Every process it starts listens on an explicit 127.0.0.1 port and is stopped by its PID, even on failure;
each wrk / s_time run and each idle measurement is bounded in time.
"""
import argparse
import datetime
import json
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # idle_clients.py sits next to this script, also when bench/counters loads it
from idle_clients import tree  # noqa: E402  the process tree of a proxy (nginx workers are children of the master)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PORT = {"b1": 18001, "b2": 18002, "haproxy": 18101, "nginx": 18102, "yarp": 18103, "portico": 18104, "portico-b": 18105}
# The https listener of each target ("direct" is backend b1's https server).
TLS_PORT = {"direct": 18011, "haproxy": 18201, "nginx": 18202, "yarp": 18203, "portico": 18204, "portico-b": 18205}
SIZES = [("2 B", "/2b"), ("1 KiB", "/1k"), ("1 MiB", "/1m")]
TARGETS = ["direct", "haproxy", "nginx", "yarp", "portico"]
# One measured case per row: scenario key, row label, path, wrk connections, a new connection per request,
# https, the tool (wrk or s_time), the throughput the row reports.
CASES = [
    dict(scenario="ka", label="2 B", path="/2b", conns=64, close=False, tls=False, tool="wrk", unit="req/s"),
    dict(scenario="ka", label="1 KiB", path="/1k", conns=64, close=False, tls=False, tool="wrk", unit="req/s"),
    dict(scenario="mib", label="1 MiB", path="/1m", conns=64, close=False, tls=False, tool="wrk", unit="MiB/s"),
    dict(scenario="c1000", label="1 KiB, 1000 conns", path="/1k", conns=1000, close=False, tls=False, tool="wrk", unit="req/s"),
    dict(scenario="close", label="1 KiB, Connection: close", path="/1k", conns=64, close=True, tls=False, tool="wrk", unit="req/s"),
    dict(scenario="tls", label="1 KiB, https", path="/1k", conns=64, close=False, tls=True, tool="wrk", unit="req/s"),
    dict(scenario="tlsnew", label="1 KiB, https, Connection: close (resumed)", path="/1k", conns=64, close=True, tls=True, tool="wrk", unit="req/s"),
    dict(scenario="tlsfull", label="1 KiB, https, full handshakes (s_time -new)", path="/1k", conns=None, close=True, tls=True, tool="s_time", unit="conn/s"),
]
SCENARIOS = ["ka", "mib", "c1000", "close", "tls", "tlsnew", "tlsfull", "idle"]
# What the issue asks of Portico, per scenario: (peer, at least this ratio of the peer's throughput).
GOALS = {"c1000": ("haproxy", 0.9), "close": ("haproxy", 0.9)}
IDLE_GOAL_KIB = 8.0
TICK = os.sysconf("SC_CLK_TCK")
started = []


def start(args, **kw):
    kw.setdefault("stdout", subprocess.DEVNULL)
    kw.setdefault("stderr", subprocess.DEVNULL)
    p = subprocess.Popen(args, start_new_session=True, **kw)
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


def wrk(url, duration, watch_pids, conns=64, headers=()):
    before_cpu, before_busy = cpu(watch_pids), machine_busy()
    cmd = ["wrk", "-t2", f"-c{conns}", f"-d{duration}s", "--latency"] + [x for h in headers for x in ("-H", h)] + [url]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, start_new_session=True)
    started.append(p)
    out, _ = p.communicate(timeout=duration + 60)
    after_cpu, after_busy = cpu(watch_pids), machine_busy()
    if p.returncode != 0 or not re.search(r"Requests/sec:", out):
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}, output:\n{out}")
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
        "socket_error_count": sum(int(x) for x in re.findall(r"\d+", socket_errors.group(1))) if socket_errors else 0,
    }


def s_time(port, duration, watch_pids, clients, path="/1k"):
    """Full TLS handshakes: `clients` parallel `openssl s_time -new` loops, each connection one HTTP/1.0 GET."""
    before_cpu, before_busy = cpu(watch_pids), machine_busy()
    cmd = ["openssl", "s_time", "-connect", f"127.0.0.1:{port}", "-new", "-time", str(duration), "-www", path]
    t0 = time.monotonic()
    procs = [start(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(clients)]
    outs = [p.communicate(timeout=duration + 60)[0] for p in procs]
    elapsed = time.monotonic() - t0
    after_cpu, after_busy = cpu(watch_pids), machine_busy()
    conns, bytes_read = 0, 0
    for p, out in zip(procs, outs):
        m = re.search(r"(\d+) connections in [\d.]+s; [\d.]+ connections/user sec, bytes read (\d+)", out)
        if p.returncode != 0 or not m:
            raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}, output:\n{out}")
        conns, bytes_read = conns + int(m.group(1)), bytes_read + int(m.group(2))
    per_conn = bytes_read / conns if conns else 0
    return {
        "rps": conns / elapsed, "requests": conns, "p50_ms": None, "p99_ms": None, "mib_s": bytes_read / elapsed / 2**20,
        "proxy_cpu_s": after_cpu - before_cpu, "machine_busy_s": after_busy - before_busy,
        # s_time counts a connection whatever came back: an answer shorter than the 1 KiB body is not a 200.
        "non2xx": 0 if per_conn >= 1024 else conns, "socket_errors": f"{per_conn:.0f} bytes per connection",
    }


def make_cert(d, key_type):
    """A self-signed certificate for 127.0.0.1 / localhost, generated into the run's temp dir."""
    key = ["-newkey", "rsa:2048"] if key_type == "rsa" else ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
    subprocess.run(["openssl", "req", "-x509", *key, "-nodes", "-keyout", f"{d}/key.pem", "-out", f"{d}/cert.pem", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(f"{d}/cert.pem") as c, open(f"{d}/key.pem") as k, open(f"{d}/haproxy.pem", "w") as f:
        f.write(c.read() + k.read())


def write_configs(d, tls=False):
    """Configs for the backends and every proxy; with tls, each also gets an https listener (TLS_PORT) with
    d/cert.pem (make_cert first). Session resumption stays as each server ships it (on in all of them)."""
    with open(os.path.join(d, "2b"), "w") as f:
        f.write("ok")
    with open(os.path.join(d, "1k"), "wb") as f:
        f.write(b"x" * 1024)
    with open(os.path.join(d, "1m"), "wb") as f:
        f.write(b"x" * 2**20)
    # The open-file limit here is 20,000 per process: the proxy's workers may each hold the idle scenario's
    # 8,000 client connections (nginx does not spread accepts evenly) plus their backend connections.
    common = f"""daemon off; master_process on; user root; worker_processes 2; pid {{pid}};
error_log {d}/{{name}}-error.log warn; worker_rlimit_nofile {{nofile}};
events {{{{ worker_connections {{conns}}; }}}}
"""
    backend_tls = f"""
  server {{ listen 127.0.0.1:{TLS_PORT['direct']} ssl reuseport backlog=4096; root {d};
           ssl_certificate {d}/cert.pem; ssl_certificate_key {d}/key.pem; }}""" if tls else ""
    with open(os.path.join(d, "backends.conf"), "w") as f:
        f.write(common.format(pid=f"{d}/backends.pid", name="backends", nofile=8000, conns=4000) + f"""http {{
  access_log off; keepalive_requests 1000000; keepalive_timeout 300s; sendfile on; tcp_nopush on;
  default_type application/octet-stream;
  server {{ listen 127.0.0.1:{PORT['b1']} reuseport backlog=4096; root {d}; }}
  server {{ listen 127.0.0.1:{PORT['b2']} reuseport backlog=4096; root {d}; }}{backend_tls}
}}
""")
    # server_name: a request without Host (s_time's HTTP/1.0) gets $host = 127.0.0.1, not an empty Host.
    location = """location / {
      proxy_pass http://pool; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host; proxy_set_header X-Forwarded-For $remote_addr; proxy_set_header X-Forwarded-Proto $scheme;
      proxy_max_temp_file_size 0;
    }"""
    nginx_tls = f"""
  server {{
    listen 127.0.0.1:{TLS_PORT['nginx']} ssl backlog=4096; server_name 127.0.0.1;
    ssl_certificate {d}/cert.pem; ssl_certificate_key {d}/key.pem;
    {location}
  }}""" if tls else ""
    with open(os.path.join(d, "nginx-proxy.conf"), "w") as f:
        f.write(common.format(pid=f"{d}/proxy.pid", name="proxy", nofile=19500, conns=9500) + f"""http {{
  access_log off; keepalive_requests 1000000; keepalive_timeout 300s;
  upstream pool {{ server 127.0.0.1:{PORT['b1']}; server 127.0.0.1:{PORT['b2']}; keepalive 128; keepalive_requests 1000000; }}
  server {{
    listen 127.0.0.1:{PORT['nginx']} backlog=4096; server_name 127.0.0.1;
    {location}
  }}{nginx_tls}
}}
""")
    haproxy_tls = f"""frontend fe_tls
  bind 127.0.0.1:{TLS_PORT['haproxy']} ssl crt {d}/haproxy.pem
  http-request set-header X-Forwarded-Proto https
  default_backend pool
""" if tls else ""
    with open(os.path.join(d, "haproxy.cfg"), "w") as f:
        f.write(f"""global
  nbthread 2
  maxconn 9000
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
{haproxy_tls}backend pool
  balance roundrobin
  server b1 127.0.0.1:{PORT['b1']}
  server b2 127.0.0.1:{PORT['b2']}
""")
    portico_tls = f"""add lb vserver bench_tls SSL 127.0.0.1 {TLS_PORT['portico']} -lbMethod ROUNDROBIN
bind lb vserver bench_tls nb1
bind lb vserver bench_tls nb2
add ssl certKey bench_cert -cert {d}/cert.pem -key {d}/key.pem
bind ssl vserver bench_tls -certkeyName bench_cert
""" if tls else ""
    with open(os.path.join(d, "portico.conf"), "w") as f:
        f.write(f"""add service nb1 127.0.0.1 HTTP {PORT['b1']}
add service nb2 127.0.0.1 HTTP {PORT['b2']}
add lb vserver bench HTTP 127.0.0.1 {PORT['portico']} -lbMethod ROUNDROBIN
bind lb vserver bench nb1
bind lb vserver bench nb2
{portico_tls}""")
    with open(os.path.join(d, "portico.conf")) as f, open(os.path.join(d, "portico-b.conf"), "w") as g:
        g.write(f.read().replace(str(PORT["portico"]), str(PORT["portico-b"])).replace(str(TLS_PORT["portico"]), str(TLS_PORT["portico-b"])))


def launch(t, d, a, tls):
    """Starts target t (not "direct") on its ports; returns its process."""
    if t == "haproxy":
        return start(["haproxy", "-db", "-f", f"{d}/haproxy.cfg"], stderr=open(f"{d}/haproxy.log", "ab"))
    if t == "nginx":
        return start(["nginx", "-p", d, "-e", f"{d}/proxy-error.log", "-c", f"{d}/nginx-proxy.conf"])
    if t == "yarp":
        tls_args = [str(TLS_PORT["yarp"]), f"{d}/cert.pem", f"{d}/key.pem"] if tls else []
        return start([os.path.join(ROOT, "bench/l7/yarp-minimal/bin/Release/net10.0/yarp-minimal"), str(PORT["yarp"]),
                      f"http://127.0.0.1:{PORT['b1']}", f"http://127.0.0.1:{PORT['b2']}", *tls_args],
                     env=dict(os.environ, DOTNET_PerfMapEnabled="1" if a.profile else "0", DOTNET_EnableWriteXorExecute="0" if a.profile else "1",
                              **dict(kv.split("=", 1) for kv in a.yarp_env.split() if kv)), stderr=open(f"{d}/yarp.log", "ab"))
    if t == "portico":
        env = dict(os.environ)
        env.update(kv.split("=", 1) for kv in a.portico_env.split() if kv)
        env["DOTNET_PerfMapEnabled"] = "1" if a.profile else "0"
        env["DOTNET_EnableWriteXorExecute"] = "0" if a.profile else "1"
        return start([os.path.join(ROOT, "src/Portico/bin/Release/net10.0/portico"), "run", "--config", f"{d}/portico.conf",
                      "--admin-socket", f"{d}/admin.sock", "--log-level", "Warning",
                      "--log-dir", f"{d}/log"], env=env, stdout=open(f"{d}/portico.out", "ab"), stderr=subprocess.STDOUT)
    if t == "portico-b":
        env = dict(os.environ)
        env.update(kv.split("=", 1) for kv in (a.portico_env + " " + a.variant_env).split() if kv)
        env["DOTNET_PerfMapEnabled"] = "0"
        return start([a.variant_bin or os.path.join(ROOT, "src/Portico/bin/Release/net10.0/portico"), "run", "--config", f"{d}/portico-b.conf",
                      "--admin-socket", f"{d}/admin-b.sock", "--log-level", "Warning",
                      "--log-dir", f"{d}/log-b", "--admin-http", "none"], env=env, stdout=open(f"{d}/portico-b.out", "ab"), stderr=subprocess.STDOUT)
    raise ValueError(f"unknown target {t}")


def estimate_s(a, targets, scenarios):
    cases = [c for c in CASES if c["scenario"] in scenarios]
    net = [t for t in targets if t in ("yarp", "portico", "portico-b")]
    s = a.rounds * len(cases) * len(targets) * (a.duration + 0.5)
    s += len(net) * (a.warmup + (max(3, a.warmup // 5) if any(c["tls"] for c in cases) else 0))
    if "idle" in scenarios:
        s += len([t for t in targets if t != "direct"]) * (a.idle_settle + 4 + a.idle_conns / 2000)
    return s + 60  # builds, starts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", default=",".join(SCENARIOS), help="a subset of " + ",".join(SCENARIOS))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=7, help="seconds per measured run")
    ap.add_argument("--warmup", type=int, default=25)
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("--idle-conns", type=int, default=8000, help="idle keep-alive connections per proxy (scenario idle)")
    ap.add_argument("--idle-settle", type=float, default=5.0, help="seconds the idle connections stay idle before RSS is read")
    ap.add_argument("--tls-clients", type=int, default=8, help="parallel openssl s_time processes (scenario tlsfull)")
    ap.add_argument("--tls-key", choices=["rsa", "ec"], default="rsa", help="the certificate's key: RSA 2048 or ECDSA P-256")
    ap.add_argument("--portico-env", default="", help="extra environment for Portico, e.g. DOTNET_gcServer=1")
    ap.add_argument("--variant-env", default="", help="adds target portico-b: a second Portico with this extra environment, to compare settings in one run")
    ap.add_argument("--variant-bin", default="", help="adds target portico-b run from another build (a worktree's src/Portico/bin/Release/net10.0/portico), to compare before and after a change in one run")
    ap.add_argument("--yarp-env", default="", help="extra environment for the minimal YARP proxy, e.g. DOTNET_gcServer=0")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "l7.json"))
    ap.add_argument("--profile", default="", help="a body path (/1m): instead of rounds, perf-record each .NET proxy under wrk")
    ap.add_argument("--syscalls", default="", help="a body path (/1k): instead of rounds, count each proxy's system calls per request under wrk (strace -c -f; slow, so only the counts mean anything)")
    ap.add_argument("--profile-close", action="store_true", help="with --profile: wrk sends 'Connection: close' (a new connection per request)")
    a = ap.parse_args()
    targets = a.targets.split(",")
    if (a.variant_env or a.variant_bin) and "portico-b" not in targets:
        targets.append("portico-b")
    scenarios = [x for x in a.scenarios.split(",") if x]
    unknown = [x for x in scenarios + targets if x not in SCENARIOS + TARGETS + ["portico-b"]]
    if unknown:
        ap.error(f"unknown scenario or target: {', '.join(unknown)} (scenarios: {', '.join(SCENARIOS)}; targets: {', '.join(TARGETS)}, portico-b)")
    cases = [c for c in CASES if c["scenario"] in scenarios]
    tls = any(c["tls"] for c in cases)
    # Every process started here inherits the highest open-file limit allowed (20,000 on this machine);
    # the idle client holds its connections in this process.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if "idle" in scenarios and a.idle_conns + 100 > hard:
        ap.error(f"--idle-conns {a.idle_conns} needs an open-file limit above {a.idle_conns + 100} (hard limit {hard})")
    print(f"scenarios {','.join(scenarios)}, targets {','.join(targets)}: about {estimate_s(a, targets, scenarios) / 60:.0f} min", file=sys.stderr)
    subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", os.path.join(ROOT, "src", "Portico")], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", os.path.join(ROOT, "bench", "l7", "yarp-minimal")], check=True, stdout=subprocess.DEVNULL)
    d = tempfile.mkdtemp(prefix="portico-bench-l7-")
    if tls:
        make_cert(d, a.tls_key)
    write_configs(d, tls)
    results, idle = [], []
    try:
        backends = start(["nginx", "-p", d, "-e", f"{d}/backends-error.log", "-c", f"{d}/backends.conf"])
        wait_port(PORT["b1"]); wait_port(PORT["b2"])
        if tls:
            wait_port(TLS_PORT["direct"])
        procs = {"direct": backends}
        for t in targets:
            if t != "direct":
                procs[t] = launch(t, d, a, tls)
        for t in targets:
            wait_port(PORT["b1"] if t == "direct" else PORT[t])
            if tls:
                wait_port(TLS_PORT[t])
        if "idle" in scenarios and not a.profile:
            # On fresh processes, before any load: memory a load run leaves behind would be reused by the
            # idle connections and hide their cost.
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            import idle_clients
            for t in [t for t in targets if t != "direct"]:
                res = idle_clients.measure(PORT[t], procs[t].pid, a.idle_conns, a.idle_settle)
                res.update(target=t)
                idle.append(res)
                print(f"idle {t:>9}: {res['kib_per_conn']:.2f} KiB per connection ({res['conns']} connections, RSS {res['rss_before_kib']}"
                      f" -> {res['rss_after_kib']} KiB, opened in {res['open_s']:.1f} s, {res['closed_by_proxy']} closed by the proxy)", file=sys.stderr)
        for t in ("yarp", "portico", "portico-b"):
            if t in targets and a.warmup > 0 and (cases or a.profile):
                print(f"warming {t} up for {a.warmup} s", file=sys.stderr)
                wrk(f"http://127.0.0.1:{PORT[t]}/1k", a.warmup, [])
                if tls:
                    wrk(f"https://127.0.0.1:{TLS_PORT[t]}/1k", max(3, a.warmup // 5), [])
        if a.syscalls:
            for t in [t for t in targets if t != "direct"]:
                syscalls(t, procs[t].pid, f"http://127.0.0.1:{PORT[t]}{a.syscalls}", a.duration, ("Connection: close",) if a.profile_close else ())
            return
        if a.profile:
            for t in [t for t in targets if t in ("yarp", "portico")]:
                profile(t, procs[t].pid, f"http://127.0.0.1:{PORT[t]}{a.profile}", a.duration, os.path.dirname(a.out),
                        ("Connection: close",) if a.profile_close else ())
            return
        for r in range(a.rounds if cases else 0):
            order = targets[r % len(targets):] + targets[:r % len(targets)]
            for c in cases:
                for t in order:
                    port = (TLS_PORT[t] if c["tls"] else PORT["b1"] if t == "direct" else PORT[t])
                    watch = tree(procs[t].pid) if t != "direct" else []
                    if c["tool"] == "s_time":
                        res = s_time(port, a.duration, watch, a.tls_clients, c["path"])
                    else:
                        res = wrk(f"{'https' if c['tls'] else 'http'}://127.0.0.1:{port}{c['path']}", a.duration, watch,
                                  c["conns"], ["Connection: close"] if c["close"] else [])
                    res.update(round=r + 1, size=c["label"], case=c["label"], scenario=c["scenario"], target=t)
                    results.append(res)
                    lat = f"p50 {res['p50_ms']:.2f} ms  p99 {res['p99_ms']:.2f} ms" if res["p50_ms"] is not None else ""
                    print(f"round {r + 1} {c['label']:>44} {t:>9}: {res['rps']:>9.0f} {'conn' if c['close'] else 'req'}/s  {lat}"
                          f"  {res['mib_s']:.0f} MiB/s  proxy cpu {res['proxy_cpu_s']:.1f} s  machine {res['machine_busy_s']:.1f} s"
                          f"  non-2xx {res['non2xx']} {res['socket_errors']}", file=sys.stderr)
    finally:
        stop_all()
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"when": datetime.datetime.now(datetime.timezone.utc).isoformat(), "args": vars(a), "results": results, "idle": idle}, f, indent=1)
    print(table(results, targets, cases, idle))


def profile(target, pid, url, duration, out_dir, headers=()):
    """perf samples of one proxy under load (JIT frames named through the perf map), hottest first."""
    os.makedirs(out_dir, exist_ok=True)
    data = os.path.join(out_dir, f"perf-{target}.data")
    rec = start(["perf", "record", "-F", "997", "-g", "-p", str(pid), "-o", data, "--", "sleep", str(duration)])
    res = wrk(url, duration, tree(pid), headers=headers)
    rec.wait()
    with open(os.path.join(out_dir, f"perf-{target}.txt"), "w") as f:
        subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso,symbol", "--stdio", "-g", "none", "--percent-limit", "0.4"],
                       stdout=f, stderr=subprocess.DEVNULL)
    print(f"{target}: {res['rps']:.0f} req/s, cpu {res['proxy_cpu_s']:.1f} s; profile in {out_dir}/perf-{target}.txt", file=sys.stderr)


def syscalls(target, pid, url, duration, headers=()):
    """System calls per request of one proxy (all its processes and threads) under wrk, by strace -c."""
    pids = tree(pid)
    rec = start(["strace", "-c", "-f", "-o", f"/tmp/strace-{target}.txt"] + [x for p in pids for x in ("-p", str(p))])
    time.sleep(1)
    res = wrk(url, duration, pids, headers=headers)
    rec.send_signal(signal.SIGINT)
    rec.wait(timeout=30)
    with open(f"/tmp/strace-{target}.txt") as f:
        rows = [l.split() for l in f if re.match(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+\d+", l)]
    counts = {r[-1]: (int(r[3]), int(r[4]) if len(r) == 6 else 0) for r in rows if r[-1] != "total"}
    n = max(1, res["requests"])
    top = sorted(counts.items(), key=lambda kv: -kv[1][0])[:8]
    print(f"{target}: {res['requests']} requests; per request: " + ", ".join(f"{k} {c / n:.2f}" + (f" ({e / n:.2f} failed)" if e else "") for k, (c, e) in top)
          + f"; all {sum(c for c, _ in counts.values()) / n:.2f}", file=sys.stderr)


def fmt(v):
    return f"{v / 1000:.1f}k" if v >= 10000 else f"{v:.0f}"


def table(results, targets, cases=None, idle=()):
    """Markdown: per case the throughput (median, min-max), latency and proxy CPU per 100k requests, then
    Portico's ratios to each peer (per round, then the median), and the idle memory."""
    cases = [c for c in (cases or CASES) if any(r["case"] == c["label"] for r in results)]

    def vals(c, t, key):
        return [r[key] for r in results if r["case"] == c["label"] and r["target"] == t]

    def metric(c):
        return "mib_s" if c["unit"] == "MiB/s" else "rps"

    lines = []
    if cases:
        lines += ["| case | measure | " + " | ".join(targets) + " |", "|---|---|" + "---:|" * len(targets)]
        for c in cases:
            name = {"req/s": "conn/s" if c["close"] else "req/s", "MiB/s": "MiB/s", "conn/s": "conn/s"}[c["unit"]]
            rows = {f"{name} (median, min-max)": [], "p50 / p99 ms": [], "proxy CPU s per 100k req": []}
            if c["unit"] == "MiB/s":
                rows["req/s"] = []
            for t in targets:
                v = vals(c, t, metric(c))
                rows[f"{name} (median, min-max)"].append(f"{fmt(statistics.median(v))} ({fmt(min(v))}-{fmt(max(v))})")
                p50, p99 = [x for x in vals(c, t, "p50_ms") if x is not None], [x for x in vals(c, t, "p99_ms") if x is not None]
                rows["p50 / p99 ms"].append(f"{statistics.median(p50):.2f} / {statistics.median(p99):.2f}" if p50 and p99 else "-")
                per = [r["proxy_cpu_s"] / r["requests"] * 1e5 for r in results if r["case"] == c["label"] and r["target"] == t and r["requests"]]
                rows["proxy CPU s per 100k req"].append("-" if t == "direct" or not per else f"{statistics.median(per):.2f}")
                if "req/s" in rows and c["unit"] == "MiB/s":
                    rows["req/s"].append(fmt(statistics.median(vals(c, t, "rps"))))
            if all(x == "-" for x in rows["p50 / p99 ms"]):
                del rows["p50 / p99 ms"]
            errs = [sum(1 for r in results if r["case"] == c["label"] and r["target"] == t and (r["non2xx"] or r.get("socket_error_count")))
                    for t in targets]
            if any(errs):
                rows["runs with non-2xx or socket errors (see the log)"] = [str(e) for e in errs]
            for k, v in rows.items():
                lines.append(f"| {c['label']} | {k} | " + " | ".join(v) + " |")
    peers = [p for p in ("haproxy", "nginx", "yarp", "portico-b") if p in targets]
    if "portico" in targets and peers and cases:
        lines += ["", "Portico / peer, per round then the median (min-max): throughput (above 1 is Portico ahead), and proxy CPU"
                  " per request (below 1 is Portico cheaper)", "",
                  "| case | " + " | ".join(f"Portico/{p}" for p in peers) + " | CPU per req, Portico/" + " / ".join(peers) + " | goal |",
                  "|---|" + "---:|" * len(peers) + "---:|---|"]
        for c in cases:
            by = {t: {r["round"]: r for r in results if r["case"] == c["label"] and r["target"] == t} for t in targets}
            cells, cpu_cells, ratio_of = [], [], {}
            for peer in peers:
                rounds = [k for k in by["portico"] if k in by[peer]]
                ratios = [by["portico"][k][metric(c)] / by[peer][k][metric(c)] for k in rounds if by[peer][k][metric(c)]]
                ratio_of[peer] = statistics.median(ratios) if ratios else None
                cells.append(f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})" if ratios else "-")
                cpr = [(by["portico"][k]["proxy_cpu_s"] / by["portico"][k]["requests"]) / (by[peer][k]["proxy_cpu_s"] / by[peer][k]["requests"])
                       for k in rounds if by["portico"][k]["requests"] and by[peer][k]["requests"] and by[peer][k]["proxy_cpu_s"]]
                cpu_cells.append(f"{statistics.median(cpr):.2f}" if cpr else "-")
            goal = ""
            if c["scenario"] in GOALS:
                peer, at_least = GOALS[c["scenario"]]
                got = ratio_of.get(peer)
                goal = f">= {at_least}x {peer}: " + ("not measured" if got is None else "met" if got >= at_least else "missed")
            lines.append(f"| {c['label']} | " + " | ".join(cells) + " | " + " / ".join(cpu_cells) + f" | {goal} |")
    if idle:
        n = idle[0]["conns"]
        names = [r["target"] for r in idle]
        lines += ["", f"| idle keep-alive client connections ({n}) | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names),
                  "| KiB of proxy RSS per connection | " + " | ".join(f"{r['kib_per_conn']:.2f}" for r in idle) + " |",
                  "| closed by the proxy before the reading | " + " | ".join(str(r["closed_by_proxy"]) for r in idle) + " |"]
        by = {r["target"]: r["kib_per_conn"] for r in idle}
        if "portico" in by:
            parts = [f"Portico {by['portico']:.2f} KiB per idle connection (goal <= {IDLE_GOAL_KIB:.0f} KiB: "
                     f"{'met' if by['portico'] <= IDLE_GOAL_KIB else 'missed'})"]
            parts += [f"{p} {by[p]:.2f}" for p in ("haproxy", "nginx", "yarp", "portico-b") if p in by]
            lines += ["", "- " + ", ".join(parts)]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
