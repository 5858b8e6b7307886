#!/usr/bin/env bash
# Health-monitor CPU cost: Portico probing N real listeners on loopback with TCP monitors, CPU of the
# Portico process measured from /proc/PID/stat (utime+stime) over a window, as % of one core.
# Scenarios (issue #4): 1000 services at a 1 s interval, 100 services at 100 ms. Each is also run with
# the monitor disabled (same config, no probes) as the baseline. Rounds interleave the scenarios.
# Usage: bench/health/cpu.sh [ROUNDS] [WINDOW_SECONDS] [WARMUP_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}; WINDOW=${2:-60}; WARMUP=${3:-15}
OUT=bench/out/health-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"
dotnet build src/Portico -c Release -v q -nologo >/dev/null
DLL=src/Portico/bin/Release/net10.0/portico.dll
TCK=$(getconf CLK_TCK)
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

# run NAME COUNT INTERVAL RESPTIMEOUT ENABLED -> prints "name cpu% probes/s"
run() {
  local name=$1 n=$2 interval=$3 resp=$4 state=$5 dir="$OUT/$1-r$6"
  mkdir -p "$dir"
  python3 bench/health/listeners.py "$n" "$dir/ports" "$dir/accepted" --seconds $((WINDOW + WARMUP + 120)) &
  local lpid=$!; pids+=("$lpid")
  for _ in $(seq 100); do [ -s "$dir/ports" ] && break; sleep 0.1; done
  {
    echo "add lb monitor m TCP -interval $interval -resptimeout $resp -state $state"
    i=0; while read -r port; do i=$((i+1)); echo "add service s$i 127.0.0.1 TCP $port"; echo "bind service s$i -monitorName m"; done < "$dir/ports"
  } > "$dir/portico.conf"
  dotnet "$DLL" run --config "$dir/portico.conf" --admin-socket "$dir/admin.sock" --log-level Warning > "$dir/portico.log" 2>&1 &
  local ppid=$!; pids+=("$ppid")
  for _ in $(seq 300); do grep -q "Portico is running" "$dir/portico.log" && break; sleep 0.1; done
  sleep "$WARMUP"
  local t0 c0 t1 c1 a0 a1
  c0=$(cpu_ticks "$ppid"); t0=$(date +%s.%N)
  a0=$(dotnet "$DLL" cli --admin-socket "$dir/admin.sock" -c "show lb monbindings m" | awk 'NR>3 {s+=$5} END {print s+0}')
  sleep "$WINDOW"
  c1=$(cpu_ticks "$ppid"); t1=$(date +%s.%N)
  a1=$(dotnet "$DLL" cli --admin-socket "$dir/admin.sock" -c "show lb monbindings m" | awk 'NR>3 {s+=$5} END {print s+0}')
  dotnet "$DLL" cli --admin-socket "$dir/admin.sock" -c "show service" > "$dir/show-service.txt" || true
  kill "$ppid"; wait "$ppid" 2>/dev/null || true
  kill "$lpid"; wait "$lpid" 2>/dev/null || true
  python3 - "$name" "$c0" "$c1" "$t0" "$t1" "$a0" "$a1" "$TCK" "$(grep -c ' DOWN ' "$dir/show-service.txt" || true)" "$(cut -d' ' -f1 /proc/loadavg)" <<'PY'
import sys
name, c0, c1, t0, t1, a0, a1, tck, down, load = sys.argv[1:]
secs = float(t1) - float(t0)
cpu = (int(c1) - int(c0)) / int(tck) / secs * 100
# scenario, Portico CPU (% of one core), probes/s, members DOWN at the end, machine load average (1 min)
print(f"{name} {cpu:.2f} {(int(a1) - int(a0)) / secs:.0f} {down} {load}")
PY
}

echo "# rounds=$ROUNDS window=${WINDOW}s warmup=${WARMUP}s nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) commit=$(git rev-parse --short HEAD)" | tee "$OUT/results.txt"
for r in $(seq "$ROUNDS"); do
  for s in ${SCENARIOS:-1000x1s 100x100ms 1000x1s-off 100x100ms-off}; do
    case $s in
      1000x1s) run "$s" 1000 1 "500 MSEC" ENABLED "$r" ;;
      100x100ms) run "$s" 100 "100 MSEC" "50 MSEC" ENABLED "$r" ;;
      1000x1s-off) run "$s" 1000 1 "500 MSEC" DISABLED "$r" ;;
      100x100ms-off) run "$s" 100 "100 MSEC" "50 MSEC" DISABLED "$r" ;;
    esac | tee -a "$OUT/results.txt"
  done
done
echo "raw: $OUT"
