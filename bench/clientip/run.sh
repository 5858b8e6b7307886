#!/usr/bin/env bash
# bench/clientip/run.sh: scale of the server side through two SNIPs, against HAProxy, in one run.
#
# Per round, in alternating order (Portico, HAProxy, then HAProxy, Portico...), each proxy a fresh process:
#   - N idle proxied connections (bench/tools/L4Load `idle`: connect, read one byte, send one byte, stay idle)
#     through one vserver to ONE backend ip:port (127.0.0.1:HOLD), the server side leaving from two source
#     addresses, 127.0.0.2 and 127.0.0.3 (Portico: two SNIPs; HAProxy: two servers with `source`);
#   - the proxy's VmRSS before and after (KiB per idle connection pair) and the time to open them all;
#   - how the server connections spread over the two sources (ss, while they are held).
# Writes raw logs to bench/out/clientip-<stamp>/ and appends a dated section to bench/RESULTS.md.
#
# Environment: N=9000 (pairs; a proxy holds 2N fds under the 20,000 limit) ROUNDS=3 WARM=200 SETTLE=10
#   BASE_PORT=15400 SKIP_BUILD=1 RESULTS=bench/RESULTS.md NOTE='...' (a line added under the table)
# Everything listens on 127.0.0.1 only; every client run is bounded by `timeout`; every PID this script
# starts is killed by the EXIT trap, failure or not.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
N=${N:-9000}
ROUNDS=${ROUNDS:-3}
WARM=${WARM:-200}
SETTLE=${SETTLE:-10}
BASE=${BASE_PORT:-15400}
RESULTS=${RESULTS:-$ROOT/bench/RESULTS.md}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/bench/out/clientip-$STAMP
mkdir -p "$OUT"
RAW=$OUT/raw.tsv # round target connections failed kib_per_pair open_seconds from_2 from_3
: >"$RAW"

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }

command -v haproxy >/dev/null || { log "haproxy is needed (apt-get install haproxy)"; exit 1; }
command -v jq >/dev/null || { log "jq is needed (apt-get install jq)"; exit 1; }
if [[ -z ${SKIP_BUILD:-} ]]; then
  log "building Portico and bench/tools/L4Load (Release)"
  timeout 600 dotnet build "$ROOT/src/Portico" -c Release >"$OUT/build.log" 2>&1
  timeout 300 dotnet build "$ROOT/bench/tools/L4Load" -c Release >>"$OUT/build.log" 2>&1
fi
BUILT_FROM="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src || echo '+dirty')"
PORTICO=$ROOT/src/Portico/bin/Release/net10.0/portico
L4LOAD=$ROOT/bench/tools/L4Load/bin/Release/net10.0/l4load
HOLD=$((BASE + 1)) VIP=$((BASE + 2))

wait_port() {
  local t
  for t in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  log "nothing listens on 127.0.0.1:$1"
  return 1
}

"$L4LOAD" hold-server --port "$HOLD" >"$OUT/hold-server.log" 2>&1 &
PIDS+=($!)
wait_port "$HOLD"

printf '%s\n' "add ns ip 127.0.0.2 255.0.0.0 -type SNIP" "add ns ip 127.0.0.3 255.0.0.0 -type SNIP" \
  "add service hold 127.0.0.1 TCP $HOLD" "add lb vserver v TCP 127.0.0.1 $VIP -lbMethod ROUNDROBIN" "bind lb vserver v hold" >"$OUT/portico.conf"
printf '%s\n' "global" "    maxconn $((N + WARM + 100))" "defaults" "    mode tcp" "    timeout connect 5s" \
  "    timeout client 600s" "    timeout server 600s" "listen idle" "    bind 127.0.0.1:$VIP" "    balance roundrobin" \
  "    server a 127.0.0.1:$HOLD source 127.0.0.2" "    server b 127.0.0.1:$HOLD source 127.0.0.3" >"$OUT/haproxy.cfg"

start() { # target round: starts a fresh proxy on $VIP, sets PID
  case $1 in
    portico) "$PORTICO" run --config "$OUT/portico.conf" --admin-socket "$OUT/admin.sock" --log-level Warning >"$OUT/portico-$2.log" 2>&1 & ;;
    haproxy) haproxy -db -f "$OUT/haproxy.cfg" >"$OUT/haproxy-$2.log" 2>&1 & ;;
  esac
  PID=$!
  PIDS+=("$PID")
  wait_port "$VIP"
}

spread() { # server-side connections to the backend, by source address
  ss -Htn state established "( dport = :$HOLD )" | awk '{split($3, a, ":"); n[a[1]]++} END {printf "%d\t%d", n["127.0.0.2"], n["127.0.0.3"]}'
}

for round in $(seq "$ROUNDS"); do
  order=(portico haproxy)
  ((round % 2 == 0)) && order=(haproxy portico)
  for t in "${order[@]}"; do
    start "$t" "$round"
    # Untimed warm-up (JIT, pools), then the measured run on the same fresh process.
    timeout 60 "$L4LOAD" idle --port "$VIP" --count "$WARM" --pid "$PID" --settle 1 >"$OUT/warm-$t-$round.json" 2>&1 || true
    sleep 1
    f=$OUT/idle-$t-$round.json
    timeout 300 "$L4LOAD" idle --port "$VIP" --count "$N" --pid "$PID" --settle "$SETTLE" >"$f" 2>&1 &
    idle=$!
    # Sample the spread while the connections are held (during the settle time).
    held=""
    for _ in $(seq 600); do
      sleep 0.5
      kill -0 "$idle" 2>/dev/null || break
      s=$(spread)
      if (($(cut -f1 <<<"$s") + $(cut -f2 <<<"$s") >= N - 10)); then held=$s; break; fi
    done
    wait "$idle" || log "idle run via $t reported failures (see $f)"
    held=${held:-$(printf '0\t0')}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$t" "$(jq '.connections' "$f")" "$(jq '.failed' "$f")" \
      "$(jq '.kib_per_connection' "$f")" "$(jq '.open_seconds' "$f")" "$held" >>"$RAW"
    log "round $round $t: $(cat "$f"), spread .2/.3: $held"
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    sleep 2
  done
done

table=$(awk -F'\t' '
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                     return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { k = $2; c[k]++; kib[k, c[k]] = $5; sec[k, c[k]] = $6; conn[k] = conn[k] " " $3; fail[k] += $4; s2[k] = s2[k] " " $7; s3[k] = s3[k] " " $8 }
  END {
    printf "| proxy | pairs held (per round) | failed | KiB RSS per idle pair, median (min–max) | seconds to open, median (min–max) | server side from .2 / .3 (per round) |\n|---|---|---:|---|---|---|\n"
    for (k in c) {
      n = c[k]; lo = 1e9; hi = -1e9; slo = 1e9; shi = -1e9
      for (i = 1; i <= n; i++) { x[i] = kib[k, i]; y[i] = sec[k, i]; if (x[i] < lo) lo = x[i]; if (x[i] > hi) hi = x[i]; if (y[i] < slo) slo = y[i]; if (y[i] > shi) shi = y[i] }
      printf "| %s |%s | %d | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) |", k, conn[k], fail[k], median(x, n), lo, hi, median(y, n), slo, shi
      split(s2[k], a2, " "); split(s3[k], a3, " ")
      for (i = 1; i <= n; i++) printf " %s/%s", a2[i], a3[i]
      printf " |\n"
    }
  }' "$RAW")

{
  printf '\n## %s — client IP: %s idle pairs to one server ip:port through two source addresses (bench/clientip/run.sh)\n\n' "$(date -u +%Y-%m-%d)" "$N"
  printf 'Settings: N=%s ROUNDS=%s (alternating order, a fresh proxy process per measurement, %s untimed warm-up connections first) SETTLE=%ss; Portico at %s with two SNIPs (127.0.0.2, 127.0.0.3), HAProxy %s with two `server ... source` lines; backend `l4load hold-server` on 127.0.0.1:%s; load average at the end: %s.\n\n' \
    "$N" "$ROUNDS" "$WARM" "$SETTLE" "$BUILT_FROM" "$(haproxy -v | head -1 | awk '{print $3}')" "$HOLD" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%s\n' "$table"
  if [[ -n ${NOTE:-} ]]; then printf '\nNote: %s\n' "$NOTE"; fi
  printf '\nTarget: ≤ 8 KiB RSS per idle pair (100,000 pairs in < 1 GiB). Raw data: bench/out/clientip-%s/.\n' "$STAMP"
} | tee -a "$RESULTS"
