#!/usr/bin/env bash
# Detection and failback times on the embedded demo (`portico run`, 100 ms HTTP monitor demo_health:
# -interval 100 MSEC -resptimeout 80 MSEC -retries 3 -downTime 100 MSEC). The demo backends run inside
# Portico, so a backend is "killed" from outside with a firewall rule on loopback port 9001:
#   refused: new connections to 9001 get a TCP reset (a crashed backend process, L4CON)
#   dropped: SYNs to 9001 are dropped (a hung or unplugged host, L4TOUT)
# Times come from Portico's own event log (SERVICE_DOWN / SERVICE_UP) against the moment the rule went
# in or out. A bounded client load (one connection every 10 ms through 127.0.0.1:8080) runs throughout
# and counts failed connections, before and after detection. Needs root and iptables.
# Usage: bench/health/detection.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-5}
command -v iptables >/dev/null || { echo "needs iptables: apt-get install -y iptables" >&2; exit 2; }
for port in 8080 9001 9002; do
  if ss -ltn "sport = :$port" | grep -q LISTEN; then echo "port $port is in use (another demo running?)" >&2; exit 2; fi
done
OUT=bench/out/health-detection-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"
dotnet build src/Portico -c Release -v q -nologo >/dev/null
DLL=src/Portico/bin/Release/net10.0/portico.dll
SOCK="$OUT/admin.sock"
RULE=()
pids=()
cleanup() {
  if [ ${#RULE[@]} -gt 0 ]; then iptables -D INPUT "${RULE[@]}" 2>/dev/null || true; fi
  for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

dotnet "$DLL" run --admin-socket "$SOCK" --log-level Warning > "$OUT/portico.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do grep -q "Portico is running" "$OUT/portico.log" && break; sleep 0.1; done
sleep 3
python3 bench/health/load.py "$OUT/load.txt" --seconds $((ROUNDS * 2 * 8 + 60)) &
LOAD=$!; pids+=("$LOAD")
sleep 2

cli() { dotnet "$DLL" cli --admin-socket "$SOCK" -c "$1"; }
last_event() { cli "show ns events" | awk 'NR>1 {n=$1} END {print n+0}'; }
# wait_event KIND AFTER_NO -> prints the event's epoch time
wait_event() {
  for _ in $(seq 100); do
    line=$(cli "show ns events -eventNo $2" | awk -v k="$1" '$4==k && $5=="demo_tcp_1:" {print $2" "$3; exit}')
    if [ -n "$line" ]; then date -u -d "$line" +%s.%N; return; fi
    sleep 0.2
  done
  echo "timeout"
}

echo "mode round detect_ms failback_ms t_in t_down t_out t_up down_reason" > "$OUT/times.txt"
for mode in refused dropped; do
  for r in $(seq "$ROUNDS"); do
    if [ "$mode" = refused ]; then
      RULE=(-i lo -p tcp --dport 9001 --syn -j REJECT --reject-with tcp-reset)
    else
      RULE=(-i lo -p tcp --dport 9001 --syn -j DROP)
    fi
    n=$(last_event)
    t0=$(date +%s.%N); iptables -I INPUT "${RULE[@]}"
    down=$(wait_event SERVICE_DOWN "$n")
    reason=$(cli "show service demo_tcp_1" | awk -F'Reason: ' '/Reason:/ {print $2}')
    sleep 2
    n=$(last_event)
    t1=$(date +%s.%N); iptables -D INPUT "${RULE[@]}"; RULE=()
    up=$(wait_event SERVICE_UP "$n")
    sleep 2
    python3 -c "import sys; t0,d,t1,u=map(float,sys.argv[1:5]); print(f'$mode $r {(d-t0)*1000:.0f} {(u-t1)*1000:.0f} {t0:.6f} {d:.6f} {t1:.6f} {u:.6f} ' + sys.argv[5])" "$t0" "$down" "$t1" "$up" "$reason" | tee -a "$OUT/times.txt"
  done
done
kill "$LOAD"; wait "$LOAD" 2>/dev/null || true
cli "show ns events" > "$OUT/events.txt"
python3 - "$OUT" <<'PY'
import sys, statistics
out = sys.argv[1]
rows = [l.split(None, 8) for l in open(f"{out}/times.txt").read().splitlines()[1:]]
for mode in ("refused", "dropped"):
    d = [int(r[2]) for r in rows if r[0] == mode]
    u = [int(r[3]) for r in rows if r[0] == mode]
    if d:
        print(f"{mode}: detection median {statistics.median(d):.0f} ms (min {min(d)}, max {max(d)}); failback median {statistics.median(u):.0f} ms (min {min(u)}, max {max(u)}); n={len(d)}")
load = [l.split() for l in open(f"{out}/load.txt")]
fails = [l for l in load if l[1].startswith("FAIL")]
# A connection started while a backend was broken but before Portico knew may fail (it went to the dead
# backend); one started after detection must not.
windows = [(float(r[4]), float(r[5])) for r in rows]
before = [f for f in fails if any(a <= float(f[0]) <= b for a, b in windows)]
print(f"load: {len(load)} connections through 127.0.0.1:8080 (one every 10 ms), {len(fails)} failed: "
      f"{len(before)} started between the fault and its detection, {len(fails) - len(before)} at other times"
      + (f" {sorted(set(f[1] for f in fails))}" if fails else ""))
PY
echo "raw: $OUT"
