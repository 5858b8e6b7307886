#!/usr/bin/env python3
"""HA failover: time without service when the active node fails, Portico's HA pair against keepalived VRRP.

The same lab for both: a bridge and three network namespaces (client 10.97.0.10, n1 10.97.0.1, n2 10.97.0.2);
the VIP 10.97.0.100 moves between n1 and n2. Each node has its own small HTTP backend (Python, one answer per
connection, naming the node): with keepalived it listens on 0.0.0.0:80 of the node and so serves the VIP while the
node holds it; with Portico it listens on 127.0.0.1:8080 of the node and Portico's lb vserver on VIP:80 balances
to it. The client requests the VIP every 20 ms (one connection per request, 250 ms bound on each) and the
longest stretch from the last answered request to the next answered one is the time without service.

Each round starts both nodes afresh (n1 first, so it is the active one), runs the client for 2 s plus a random
part of a second (so the failure falls at any phase of the adverts and heartbeats), makes n1 fail, and lets the
client run on. Failures:
  kill      kill -9 of what serves on n1: Portico's process; keepalived's processes and n1's backend together
  kill-vrrp kill -9 of keepalived alone (its backend keeps serving on the VIP keepalived left behind: the
            literal "kill the MASTER's keepalived"; reported apart, since nothing stops serving)
  link      n1's link cut (its veth's bridge end set down)
  force     `force HA failover` on n1 (Portico only)
keepalived: `advert_int 1`, default priority (100) on both, state BACKUP and `nopreempt` on both (Portico's pair
does not preempt either). Portico: the defaults (hello 200 ms, dead 3 s), the same given explicitly
(`set HA node -helloInterval 200 -deadInterval 3`), a longer dead interval (5 s) to show the trade-off;
`-deadInterval 1` is tried and is refused (NetScaler's range is 3-60 s), which the table says.

Needs root, iproute2, keepalived, arping, python3 and a built Portico (the script builds src/Portico).
Cleans up namespaces, bridge and processes on exit, Ctrl-C included; `--clean-stale` removes what a killed
run left (namespaces and bridges named hab????-*).
Usage: bench/ha/run.py [--rounds 5] [--cases k-kill,k-link,...] [--seconds 9] [--before OLD/portico.dll]
"""
import argparse
import calendar
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DLL = os.path.join(ROOT, "src/Portico/bin/Release/net10.0/portico.dll")
NET = "10.97.0"
VIP = NET + ".100"
ADDR = {"client": NET + ".10", "n1": NET + ".1", "n2": NET + ".2"}
PEER = {"n1": "n2", "n2": "n1"}

CLIENT = r"""
import socket, sys, time
vip, port, seconds, every, bound = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]) / 1000, float(sys.argv[5]) / 1000
start = time.monotonic()
print("# start %.6f" % time.time(), flush=True)
n = 0
while time.monotonic() - start < seconds and n < 100000:
    n += 1
    t = time.monotonic()
    ok = False
    try:
        s = socket.create_connection((vip, port), timeout=bound)
        s.settimeout(max(0.01, bound - (time.monotonic() - t)))
        s.sendall(b"GET / HTTP/1.0\r\nHost: vip\r\n\r\n")
        data = b""
        while len(data) < 4096:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        ok = b"served by n" in data
        s.close()
    except OSError:
        pass
    print("%.1f %s" % ((t - start) * 1000, "ok" if ok else "fail"), flush=True)
    left = every - (time.monotonic() - t)
    if left > 0:
        time.sleep(left)
"""

BACKEND = r"""
import http.server, socketserver, sys
name, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("served by %s\n" % name).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
S((host, port), H).serve_forever()
"""

KEEPALIVED = """global_defs {{
    router_id {node}
    enable_script_security
}}
vrrp_instance {prefix} {{
    state BACKUP
    nopreempt
    interface eth0
    virtual_router_id {vrid}
    priority 100
    advert_int 1
    virtual_ipaddress {{
        {vip}/32 dev eth0
    }}
}}
"""

# case name -> (system, failure, extra Portico lines)
CASES = {
    "k-kill": ("keepalived", "kill", None),
    "k-link": ("keepalived", "link", None),
    "k-kill-vrrp": ("keepalived", "kill-vrrp", None),
    "p-kill": ("portico", "kill", ""),
    "p-link": ("portico", "link", ""),
    "p-force": ("portico", "force", ""),
    "p200/3-kill": ("portico", "kill", "set HA node -helloInterval 200 -deadInterval 3"),
    "p200/3-link": ("portico", "link", "set HA node -helloInterval 200 -deadInterval 3"),
    "p200/3-force": ("portico", "force", "set HA node -helloInterval 200 -deadInterval 3"),
    "p-dead5-kill": ("portico", "kill", "set HA node -deadInterval 5"),
    # With --before DLL: an older Portico build on the same lab, defaults.
    "b-kill": ("before", "kill", ""),
    "b-link": ("before", "link", ""),
    "b-force": ("before", "force", ""),
}
DEFAULT_CASES = "k-kill,k-link,k-kill-vrrp,p-kill,p-link,p-force,p200/3-kill,p200/3-link,p200/3-force,p-dead5-kill"
LABELS = {
    "k-kill": "keepalived, kill -9 keepalived + backend",
    "k-link": "keepalived, link cut",
    "k-kill-vrrp": "keepalived, kill -9 keepalived only (backend alive)",
    "p-kill": "Portico defaults, kill -9",
    "p-link": "Portico defaults, link cut",
    "p-force": "Portico defaults, force HA failover",
    "p200/3-kill": "Portico -helloInterval 200 -deadInterval 3, kill -9",
    "p200/3-link": "Portico -helloInterval 200 -deadInterval 3, link cut",
    "p200/3-force": "Portico -helloInterval 200 -deadInterval 3, force HA failover",
    "p-dead5-kill": "Portico -deadInterval 5, kill -9",
    "b-kill": "Portico before (--before), defaults, kill -9",
    "b-link": "Portico before (--before), defaults, link cut",
    "b-force": "Portico before (--before), defaults, force HA failover",
}


def run(*cmd, check=True, timeout=60):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {p.returncode} {p.stdout}{p.stderr}")
    return p.returncode, p.stdout + p.stderr


class Lab:
    def __init__(self, out):
        self.prefix = "hab" + os.urandom(2).hex()
        self.out = out
        self.procs = []
        self.made = []

    def ns(self, role):
        return f"{self.prefix}-{role}"

    def create(self):
        run("ip", "link", "add", self.ns("br"), "type", "bridge")
        self.made.append(("link", self.ns("br")))
        run("ip", "link", "set", self.ns("br"), "up")
        for role, addr in ADDR.items():
            ns = self.ns(role)
            run("ip", "netns", "add", ns)
            self.made.append(("netns", ns))
            run("ip", "link", "add", ns, "type", "veth", "peer", "name", "eth0", "netns", ns)
            run("ip", "link", "set", ns, "master", self.ns("br"), "up")
            run("ip", "-n", ns, "link", "set", "lo", "up")
            run("ip", "-n", ns, "link", "set", "eth0", "up")
            run("ip", "-n", ns, "addr", "add", addr + "/24", "dev", "eth0")

    def start(self, role, args, log):
        f = open(os.path.join(self.out, log), "a")
        p = subprocess.Popen(["ip", "netns", "exec", self.ns(role), *args], stdout=f, stderr=subprocess.STDOUT,
                             start_new_session=True)
        f.close()
        self.procs.append(p)
        return p

    def stop(self, p, sig=signal.SIGTERM):
        if p.poll() is None:
            try:
                os.killpg(p.pid, sig)
            except ProcessLookupError:
                pass
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=10)

    def stop_all(self):
        for p in self.procs:
            self.stop(p)
        self.procs = []

    def holds_vip(self, role):
        return f"inet {VIP}/32" in run("ip", "-n", self.ns(role), "-4", "addr", "show", "dev", "eth0", check=False)[1]

    def reset(self):
        """Between rounds: no process, the links up, the VIP on no node."""
        self.stop_all()
        for role in ("n1", "n2"):
            run("ip", "link", "set", self.ns(role), "up", check=False)
            run("ip", "-n", self.ns(role), "link", "set", "eth0", "up", check=False)
            run("ip", "-n", self.ns(role), "addr", "del", VIP + "/32", "dev", "eth0", check=False)
        run("ip", "-n", self.ns("client"), "neigh", "flush", "all", check=False)

    def destroy(self):
        self.stop_all()
        for kind, name in reversed(self.made):
            if kind == "netns":
                run("ip", "netns", "del", name, check=False)
            else:
                run("ip", "link", "del", name, check=False)
        self.made = []


def wait_for(what, check, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError("timed out waiting for " + what)


def outage(lines):
    """Longest stretch from the last answered request before a failure to the next answered one (ms); failed count."""
    results = []
    for line in lines:
        parts = line.split()
        if len(parts) == 2 and parts[1] in ("ok", "fail"):
            results.append((float(parts[0]), parts[1] == "ok"))
    longest, last_ok, in_outage, failed = 0.0, 0.0, False, 0
    for at, ok in results:
        if ok:
            if in_outage:
                longest = max(longest, at - last_ok)
            in_outage, last_ok = False, at
        else:
            failed += 1
            in_outage = True
    if in_outage:
        longest = float("inf")
    return longest, failed, len(results)


class Keepalived:
    def __init__(self, lab, out):
        self.lab, self.out = lab, out
        self.vrid = 1 + int(lab.prefix[-2:], 16) % 250

    def up(self):
        self.backend = {}
        self.vrrp = {}
        for node in ("n1", "n2"):
            self.backend[node] = self.lab.start(node, ["python3", "-c", BACKEND, node, "0.0.0.0", "80"], f"backend-{node}.log")
        for node in ("n1", "n2"):
            conf = os.path.join(self.out, f"keepalived-{node}.conf")
            with open(conf, "w") as f:
                f.write(KEEPALIVED.format(node=node, prefix=self.lab.prefix, vrid=self.vrid, vip=VIP))
            self.vrrp[node] = self.lab.start(node, ["keepalived", "--dont-fork", "--log-console", "--log-detail", "--vrrp",
                                                   "-f", conf, "-p", os.path.join(self.out, f"ka-{node}.pid"),
                                                   "-r", os.path.join(self.out, f"ka-vrrp-{node}.pid")], f"keepalived-{node}.log")
            if node == "n1":
                # Alone, n1 becomes MASTER after its own master-down interval; then n2 joins as BACKUP.
                wait_for("n1 MASTER", lambda: self.lab.holds_vip("n1"), 20)
        wait_for("n2 BACKUP", lambda: "Entering BACKUP STATE" in open(os.path.join(self.out, "keepalived-n2.log")).read().split("=== round")[-1], 20)
        time.sleep(1.5)
        if self.lab.holds_vip("n2"):
            raise RuntimeError("n2 took the VIP while n1 was MASTER")

    def fail(self, how):
        if how == "kill":
            os.killpg(self.vrrp["n1"].pid, signal.SIGKILL)
            os.killpg(self.backend["n1"].pid, signal.SIGKILL)
        elif how == "kill-vrrp":
            os.killpg(self.vrrp["n1"].pid, signal.SIGKILL)
        else:
            run("ip", "link", "set", self.lab.ns("n1"), "down")

    def served_by_n2(self):
        return self.lab.holds_vip("n2")

    def timeline(self, failed_at, lines):
        # keepalived logs its transitions to the second only: no split.
        return None, None


class Portico:
    def __init__(self, lab, out, extra, dll=None):
        self.lab, self.out, self.extra, self.dll = lab, out, extra, dll or DLL

    def sock(self, node):
        return os.path.join(self.out, f"{node}.sock")

    def cli(self, node, command):
        code, text = run("dotnet", self.dll, "cli", "--admin-socket", self.sock(node), "-c", command, check=False)
        return text if code == 0 else f"(exit {code}) {text}"

    def config(self, node):
        lines = [f"add ns ip {ADDR[node]} 255.255.255.0 -type NSIP", f"add HA node 1 {ADDR[PEER[node]]}", self.extra]
        if node == "n1":
            lines += ["add server local 127.0.0.1", "add service web local TCP 8080",
                      f"add lb vserver vip TCP {VIP} 80", "bind lb vserver vip web"]
        return "\n".join(lines) + "\n"

    def up(self):
        self.proc = {}
        for node in ("n1", "n2"):
            self.lab.start(node, ["python3", "-c", BACKEND, node, "127.0.0.1", "8080"], f"backend-{node}.log")
        for node in ("n1", "n2"):
            conf = os.path.join(self.out, f"{node}.conf")
            with open(conf, "w") as f:
                f.write(self.config(node))
            if os.path.exists(self.sock(node)):
                os.unlink(self.sock(node))
            self.proc[node] = self.lab.start(node, ["dotnet", self.dll, "run", "--config", conf, "--admin-socket", self.sock(node),
                                                   "--log-level", "Warning"], f"portico-{node}.log")
            wait_for(f"{node} running", lambda: "Portico is running" in open(os.path.join(self.out, f"portico-{node}.log")).read().split("=== round")[-1], 60)
            if node == "n1":
                wait_for("n1 primary", lambda: "Master State: Primary" in self.cli("n1", "show HA node 0") and self.lab.holds_vip("n1"), 30)
        wait_for("n2 secondary and synced", lambda: "Master State: Secondary" in (s := self.cli("n2", "show HA node 0")) and "(SUCCESS)" in s, 30)
        time.sleep(1.5)
        if self.lab.holds_vip("n2"):
            raise RuntimeError("n2 holds the VIP while n1 is primary")

    def fail(self, how):
        if how == "kill":
            os.kill(self.proc["n1"].pid, signal.SIGKILL)
        elif how == "link":
            run("ip", "link", "set", self.lab.ns("n1"), "down")
        else:
            text = self.cli("n1", "force HA failover")
            if "Done" not in text:
                raise RuntimeError("force HA failover: " + text)

    def served_by_n2(self):
        return self.lab.holds_vip("n2") and "Master State: Primary" in self.cli("n2", "show HA node 0")

    def timeline(self, failed_at, lines):
        """From n2's last transition (show HA node, to the millisecond): (failure -> n2 primary, n2 primary -> first answer)."""
        m = re.search(r"Last transition: (\S+ \S+) UTC", self.cli("n2", "show HA node 0"))
        start = next((float(l.split()[2]) for l in lines if l.startswith("# start ")), None)
        if not m or start is None:
            return None, None
        primary = calendar.timegm(time.strptime(m.group(1)[:19], "%Y-%m-%d %H:%M:%S")) + float("0" + m.group(1)[19:])
        after = [float(l.split()[0]) for l in lines if l.endswith(" ok") and start + float(l.split()[0]) / 1000 >= primary]
        return (primary - failed_at) * 1000, (after[0] / 1000 + start - primary) * 1000 if after else None


def refused_dead_interval(out):
    """What Portico says of -deadInterval 1 (`portico config check`: NetScaler's range is 3-60 s)."""
    conf = os.path.join(out, "dead1.conf")
    with open(conf, "w") as f:
        f.write(f"add ns ip {ADDR['n1']} 255.255.255.0 -type NSIP\nadd HA node 1 {ADDR['n2']}\nset HA node -deadInterval 1\n")
    code, text = run("dotnet", DLL, "config", "check", conf, check=False)
    refused = [l.strip() for l in text.splitlines() if "-deadInterval" in l and "expected" in l]
    return ("refused: " + refused[-1]) if code != 0 and refused else f"accepted (exit {code})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cases", default=DEFAULT_CASES)
    ap.add_argument("--seconds", type=float, default=9.0, help="client loop per round (the failure at 2 s)")
    ap.add_argument("--every", type=float, default=20.0, help="ms between requests")
    ap.add_argument("--bound", type=float, default=100.0, help="ms bound on each request")
    ap.add_argument("--clean-stale", action="store_true")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--before", help="an older portico.dll (a copy of its build folder) for the b-* cases, run on the same lab")
    ap.add_argument("--dll", help="a portico.dll to run instead of the tree's build (e.g. a copy of an older build)")
    args = ap.parse_args()
    global DLL
    if args.dll:
        DLL, args.no_build = os.path.abspath(args.dll), True
    if os.geteuid() != 0:
        sys.exit("needs root (network namespaces)")
    if args.clean_stale:
        _, names = run("ip", "netns", "list", check=False)
        for name in re.findall(r"^(hab[0-9a-f]{4}-\w+)", names, re.M):
            run("ip", "netns", "del", name, check=False)
        _, links = run("ip", "-o", "link", "show", check=False)
        for name in re.findall(r"^\d+: (hab[0-9a-f]{4}-\w+)[@:]", links, re.M):
            run("ip", "link", "del", name, check=False)
        return
    cases = args.cases.split(",") + (["b-kill", "b-link", "b-force"] if args.before and args.cases == DEFAULT_CASES else [])
    for c in cases:
        if c not in CASES:
            sys.exit(f"unknown case {c!r}; known: {', '.join(CASES)}")
    if not args.no_build:
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "src/Portico"), "-c", "Release", "-v", "q", "-nologo"], check=True,
                       stdout=subprocess.DEVNULL)
    out = os.path.join(ROOT, "bench/out", "ha-" + time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))
    os.makedirs(out, exist_ok=True)
    lab = Lab(out)

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    results = {c: [] for c in cases}
    try:
        lab.create()
        client_py = os.path.join(out, "client.py")
        with open(client_py, "w") as f:
            f.write(CLIENT)
        header = f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} rounds={args.rounds} every={args.every:g}ms bound={args.bound:g}ms nproc={os.cpu_count()} load={open('/proc/loadavg').read().split()[0]}"
        print(header, flush=True)
        # Rounds interleave the cases, so a burst of load from other work hits them alike.
        for r in range(1, args.rounds + 1):
            for c in cases:
                system, how, extra = CASES[c]
                for f in os.listdir(out):
                    if f.endswith(".log"):
                        with open(os.path.join(out, f), "a") as fh:
                            fh.write(f"\n=== round {r} {c}\n")
                side = Keepalived(lab, out) if system == "keepalived" else Portico(lab, out, extra, os.path.abspath(args.before) if system == "before" else None)
                try:
                    side.up()
                    client = lab.start("client", ["python3", client_py, VIP, "80", str(args.seconds), str(args.every), str(args.bound)],
                                       f"client-{c.replace('/', '_')}-r{r}.txt")
                    # At a random phase of the heartbeats and adverts: a fixed delay would always hit the same point
                    # of keepalived's 1 s advert cycle (and Portico's 200 ms hello), hiding the spread of both.
                    time.sleep(2 + random.uniform(0, 1))
                    failed_at = time.time()
                    side.fail(how)
                    client.wait(timeout=args.seconds + 30)
                    served = side.served_by_n2()
                    with open(os.path.join(out, f"client-{c.replace('/', '_')}-r{r}.txt")) as f:
                        lines = f.read().splitlines()
                    longest, failed, total = outage(lines)
                    both = lab.holds_vip("n1") and lab.holds_vip("n2")
                    took, answered = side.timeline(failed_at, lines)
                    results[c].append((longest, failed, total, took, answered))
                    split = f", n2 primary {took:.0f} ms after the failure, first answer {answered:.0f} ms after that" if took is not None else ""
                    print(f"round {r} {c}: longest without service {longest:.0f} ms, {failed}/{total} failed{split}, n2 serving: {served}, VIP on both: {both}", flush=True)
                except RuntimeError as e:
                    results[c].append((float("inf"), -1, 0, None, None))
                    print(f"round {r} {c}: FAILED: {e}", flush=True)
                finally:
                    lab.reset()
        print(f"\n-deadInterval 1: {refused_dead_interval(out)}")
        table = ["", "| case | rounds | median ms | worst ms | failed requests (median, worst) | n2 primary after the failure (median ms) | first answer after that (median ms) |", "|---|---|---|---|---|---|---|"]
        for c in cases:
            rows = [x for x in results[c] if x[1] >= 0]
            if not rows:
                table.append(f"| {LABELS[c]} | 0 | - | - | - | - | - |")
                continue
            t = [x[0] for x in rows]
            fails = [x[1] for x in rows]
            took = [x[3] for x in rows if x[3] is not None]
            answered = [x[4] for x in rows if x[4] is not None]
            med_or_dash = lambda v: f"{statistics.median(v):.0f}" if v else "-"
            table.append(f"| {LABELS[c]} | {len(rows)} | {statistics.median(t):.0f} | {max(t):.0f} | {statistics.median(fails):.0f}, {max(fails)} | {med_or_dash(took)} | {med_or_dash(answered)} |")
        print("\n".join(table))
        med = lambda c: statistics.median(x[0] for x in results[c]) if results.get(c) else None
        worst = lambda c: max(x[0] for x in results[c]) if results.get(c) else None
        for p, k in (("p-kill", "k-kill"), ("p-link", "k-link")):
            if results.get(p) and results.get(k):
                print(f"target {p}: worst {worst(p):.0f} ms < keepalived {k} median {med(k):.0f} ms: {'met' if worst(p) < med(k) else 'MISSED'}")
        with open(os.path.join(out, "results.txt"), "w") as f:
            f.write(header + "\n" + "\n".join(table) + "\n")
        print(f"\nraw client logs and node logs: {out}")
    except KeyboardInterrupt as e:
        print(f"interrupted ({e}); cleaning up", file=sys.stderr)
        return 130
    finally:
        lab.destroy()


if __name__ == "__main__":
    sys.exit(main())
