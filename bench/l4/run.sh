#!/usr/bin/env bash
# bench/l4/run.sh: Portico's L4 benchmark against HAProxy, on this machine, in one run.
#
# Measures, in interleaved rounds (direct, HAProxy, Portico, then the next round in another order):
#   - iperf3 throughput at -P 1 and -P 8: direct, through HAProxy `mode tcp` with splice, through Portico
#   - new TCP connections per second through each proxy (bench/tools/L4Load: connect, read 1 byte + FIN, close)
#   - each proxy's CPU seconds (utime+stime from /proc/PID/stat) over every measured window
# then, once per proxy, memory per idle proxied connection (N idle connections, VmRSS before/after).
# Writes raw logs to bench/out/<stamp>/ and appends a dated section to bench/RESULTS.md.
#
# Environment:
#   ROUNDS=3 DURATION=10 (s per iperf3/connection-rate window) WARMUP=25 (s of untimed load per Portico)
#   IDLE_N=8000 (idle connections; the process fd limit is 20,000 and a proxied pair costs 2) IDLE_REPS=3
#   CONC=32 (connection-rate client loops)  BASE_PORT=15200  SKIP_INSTALL=1  RESULTS=bench/RESULTS.md
#   PORTICO_VARIANTS='portico'  several Portico processes compared in the same run, ';'-separated,
#       each 'name[:WORD ...]': WORDs with '=' are environment for that process, the rest are
#       arguments to `portico run`, e.g.
#       PORTICO_VARIANTS='managed:--relay-buffer-kib 64;inline:DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1'
#       PORTICO_BIN=PATH as a word runs another build (a worktree's src/Portico/bin/Release/net10.0/portico),
#       to compare before and after a change in one run: 'before:PORTICO_BIN=/tmp/base/...;after'
# Every server listens on 127.0.0.1 only, every client run is bounded by `timeout`, every PID this
# script starts is killed by the EXIT trap, failure or not.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-25}
IDLE_N=${IDLE_N:-8000}
IDLE_REPS=${IDLE_REPS:-3}
CONC=${CONC:-32}
BASE=${BASE_PORT:-15200}
RESULTS=${RESULTS:-$ROOT/bench/RESULTS.md}
PORTICO_VARIANTS=${PORTICO_VARIANTS:-portico}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/bench/out/$STAMP
mkdir -p "$OUT"
RAW=$OUT/raw.tsv # round  test  target  value  proxy_cpu_seconds
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

# ---------------------------------------------------------------- install and build
if [[ -z ${SKIP_INSTALL:-} ]]; then
  need=()
  command -v haproxy >/dev/null || need+=(haproxy)
  command -v iperf3 >/dev/null || need+=(iperf3)
  command -v jq >/dev/null || need+=(jq)
  if ((${#need[@]})); then
    log "installing ${need[*]}"
    apt-get -o DPkg::Lock::Timeout=300 update -q >"$OUT/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q "${need[@]}" >>"$OUT/apt.log" 2>&1
  fi
fi
log "building Portico and bench/tools/L4Load (Release)"
timeout 600 dotnet build "$ROOT/Portico.slnx" -c Release >"$OUT/build.log" 2>&1
timeout 300 dotnet build "$ROOT/bench/tools/L4Load" -c Release >>"$OUT/build.log" 2>&1
# The commit the binaries were built from (the tree may move on while the run goes).
BUILT_FROM="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src || echo '+dirty')"
PORTICO=$ROOT/src/Portico/bin/Release/net10.0/portico
L4LOAD=$ROOT/bench/tools/L4Load/bin/Release/net10.0/l4load

# ---------------------------------------------------------------- ports
IPERF_PORT=$((BASE + 1)) CLOSE_PORT=$((BASE + 2)) HOLD_PORT=$((BASE + 3))
declare -A IPERF CONN IDLE PID
TARGETS=(direct haproxy)
IPERF[direct]=$IPERF_PORT CONN[direct]=$CLOSE_PORT
IPERF[haproxy]=$((BASE + 11)) CONN[haproxy]=$((BASE + 12)) IDLE[haproxy]=$((BASE + 13))

declare -A V_ENV V_ARGS V_BIN
VARIANTS=()
IFS=';' read -r -a specs <<<"$PORTICO_VARIANTS"
i=0
for spec in "${specs[@]}"; do
  name=${spec%%:*}
  words=""
  [[ $spec == *:* ]] && words=${spec#*:}
  env_words=() arg_words=()
  for w in $words; do
    if [[ $w == PORTICO_BIN=* ]]; then V_BIN[$name]=${w#PORTICO_BIN=}
    elif [[ $w == *=* && $w != --* ]]; then env_words+=("$w"); else arg_words+=("$w"); fi
  done
  V_ENV[$name]="${env_words[*]:-}"
  V_ARGS[$name]="${arg_words[*]:-}"
  VARIANTS+=("$name")
  TARGETS+=("$name")
  IPERF[$name]=$((BASE + 21 + 10 * i)) CONN[$name]=$((BASE + 22 + 10 * i)) IDLE[$name]=$((BASE + 23 + 10 * i))
  i=$((i + 1))
done

wait_port() { # port: until something listens on 127.0.0.1:port (10 s at most)
  local t
  for t in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  log "nothing listens on 127.0.0.1:$1"
  return 1
}

# ---------------------------------------------------------------- servers
log "starting backends: iperf3 :$IPERF_PORT, close :$CLOSE_PORT, hold :$HOLD_PORT"
iperf3 -s -B 127.0.0.1 -p "$IPERF_PORT" >"$OUT/iperf3-server.log" 2>&1 &
PIDS+=($!)
"$L4LOAD" close-server --port "$CLOSE_PORT" >"$OUT/close-server.log" 2>&1 &
PIDS+=($!)
"$L4LOAD" hold-server --port "$HOLD_PORT" >"$OUT/hold-server.log" 2>&1 &
PIDS+=($!)

# maxconn 9000 pairs = 18,000 fds; 400 pipes (2 fds each) keeps HAProxy under the 20,000-fd limit.
cat >"$OUT/haproxy.cfg" <<EOF
global
    maxconn 9000
    maxpipes 400
defaults
    mode tcp
    timeout connect 5s
    timeout client 300s
    timeout server 300s
    option splice-request
    option splice-response
listen iperf
    bind 127.0.0.1:${IPERF[haproxy]}
    server s1 127.0.0.1:$IPERF_PORT
listen conn
    bind 127.0.0.1:${CONN[haproxy]}
    server s1 127.0.0.1:$CLOSE_PORT
listen idle
    bind 127.0.0.1:${IDLE[haproxy]}
    server s1 127.0.0.1:$HOLD_PORT
EOF
start_haproxy() {
  haproxy -db -f "$OUT/haproxy.cfg" >>"$OUT/haproxy.log" 2>&1 &
  PID[haproxy]=$!
  PIDS+=($!)
}
log "starting haproxy (mode tcp, splice) on :${IPERF[haproxy]} :${CONN[haproxy]} :${IDLE[haproxy]}"
start_haproxy

for v in "${VARIANTS[@]}"; do
  cat >"$OUT/portico-$v.conf" <<EOF
add service s_iperf 127.0.0.1 TCP $IPERF_PORT
add service s_close 127.0.0.1 TCP $CLOSE_PORT
add service s_hold 127.0.0.1 TCP $HOLD_PORT
add lb vserver v_iperf TCP 127.0.0.1 ${IPERF[$v]} -lbMethod ROUNDROBIN
add lb vserver v_close TCP 127.0.0.1 ${CONN[$v]} -lbMethod ROUNDROBIN
add lb vserver v_hold TCP 127.0.0.1 ${IDLE[$v]} -lbMethod ROUNDROBIN
bind lb vserver v_iperf s_iperf
bind lb vserver v_close s_close
bind lb vserver v_hold s_hold
EOF
done
start_portico() { # variant
  # shellcheck disable=SC2086 # the variant's words are meant to split
  env ${V_ENV[$1]} "${V_BIN[$1]:-$PORTICO}" run --config "$OUT/portico-$1.conf" --admin-socket "$OUT/admin-$1.sock" \
    --log-level Warning ${V_ARGS[$1]} >>"$OUT/portico-$1.log" 2>&1 &
  PID[$1]=$!
  PIDS+=($!)
}
stop() { # target: stop its proxy and wait until it is gone (Portico drains for up to 10 s)
  kill "${PID[$1]}" 2>/dev/null || true
  timeout 20 tail --pid="${PID[$1]}" -f /dev/null || kill -9 "${PID[$1]}" 2>/dev/null || true
}
for v in "${VARIANTS[@]}"; do
  log "starting Portico '$v' (env: ${V_ENV[$v]:-none}; args: ${V_ARGS[$v]:-none}) on :${IPERF[$v]} :${CONN[$v]} :${IDLE[$v]}"
  start_portico "$v"
done

for t in "${TARGETS[@]}"; do wait_port "${IPERF[$t]}"; wait_port "${CONN[$t]}"; done

# ---------------------------------------------------------------- measuring
cpu_ticks() { # pid -> utime+stime in clock ticks (fields 14 and 15; the name field has no spaces here)
  [[ -n ${1:-} ]] || { echo 0; return; }
  awk '{print $14 + $15}' "/proc/$1/stat"
}
HZ=$(getconf CLK_TCK)

# run_iperf round target streams: one iperf3 window, recorded as Gbit/s
run_iperf() {
  local round=$1 t=$2 p=$3 f c0 c1 v
  f=$OUT/iperf-r$round-$t-P$p.json
  c0=$(cpu_ticks "${PID[$t]:-}")
  if timeout $((DURATION + 30)) iperf3 -c 127.0.0.1 -p "${IPERF[$t]}" -t "$DURATION" -P "$p" -J >"$f" 2>&1; then
    v=$(jq '.end.sum_received.bits_per_second / 1e9' "$f")
  else
    v=NaN
    log "iperf3 -P $p via $t failed (see $f)"
  fi
  c1=$(cpu_ticks "${PID[$t]:-}")
  printf '%s\tiperf_P%s\t%s\t%s\t%s\n' "$round" "$p" "$t" "$v" "$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz }')" >>"$RAW"
  log "round $round iperf3 -P $p $t: $v Gbit/s"
}

# run_conn round target: one connection-rate window, recorded as connections/s
run_conn() {
  local round=$1 t=$2 f c0 c1 v
  f=$OUT/conn-r$round-$t.json
  c0=$(cpu_ticks "${PID[$t]:-}")
  if timeout $((DURATION + 30)) "$L4LOAD" connrate --port "${CONN[$t]}" --seconds "$DURATION" --concurrency "$CONC" >"$f" 2>&1; then
    v=$(jq '.rate' "$f")
  else
    v=NaN
    log "connrate via $t failed (see $f)"
  fi
  c1=$(cpu_ticks "${PID[$t]:-}")
  printf '%s\tconn\t%s\t%s\t%s\n' "$round" "$t" "$v" "$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz }')" >>"$RAW"
  log "round $round conn/s $t: $v (errors: $(jq '.errors' "$f" 2>/dev/null || echo ?))"
}

for v in "${VARIANTS[@]}"; do
  ((WARMUP > 0)) || break
  log "warming up Portico '$v' for ${WARMUP}s (untimed)"
  timeout $((WARMUP + 30)) iperf3 -c 127.0.0.1 -p "${IPERF[$v]}" -t $((WARMUP * 3 / 5)) -P 8 >"$OUT/warmup-$v-iperf.log" 2>&1 || true
  timeout $((WARMUP + 30)) "$L4LOAD" connrate --port "${CONN[$v]}" --seconds $((WARMUP * 2 / 5)) >"$OUT/warmup-$v-conn.log" 2>&1 || true
done

for round in $(seq "$ROUNDS"); do
  # Rotate the order every round so no target always runs first (or right after the heaviest).
  order=("${TARGETS[@]:round % ${#TARGETS[@]}}" "${TARGETS[@]:0:round % ${#TARGETS[@]}}")
  log "round $round/$ROUNDS: ${order[*]}"
  for p in 1 8; do
    for t in "${order[@]}"; do run_iperf "$round" "$t" "$p"; done
  done
  for t in "${order[@]}"; do run_conn "$round" "$t"; done
done

# Idle memory, on fresh proxy processes: one that already carried the rounds would reuse memory it
# freed, and .NET RSS moves with GC timing, so each of IDLE_REPS samples restarts the proxy, opens and
# closes 200 connections (JIT, first-use allocations), then measures IDLE_N held connections.
for t in haproxy "${VARIANTS[@]}"; do stop "$t"; done
for rep in $(seq "$IDLE_REPS"); do
  for t in haproxy "${VARIANTS[@]}"; do
    if [[ $t == haproxy ]]; then start_haproxy; else start_portico "$t"; fi
    wait_port "${IDLE[$t]}"
    timeout 60 "$L4LOAD" idle --port "${IDLE[$t]}" --count 200 --pid "${PID[$t]}" --settle 1 >"$OUT/idle-$t-$rep-warm.json" 2>&1 || true
    sleep 2
    f=$OUT/idle-$t-$rep.json
    if timeout 180 "$L4LOAD" idle --port "${IDLE[$t]}" --count "$IDLE_N" --pid "${PID[$t]}" --settle 10 >"$f" 2>&1; then
      printf '%s\tidle\t%s\t%s\t\n' "$rep" "$t" "$(jq '.kib_per_connection' "$f")" >>"$RAW"
    else
      printf '%s\tidle\t%s\tNaN\t\n' "$rep" "$t" >>"$RAW"
      log "idle run via $t failed (see $f)"
    fi
    log "idle $rep/$IDLE_REPS $t ($IDLE_N connections): $(cat "$f")"
    stop "$t"
  done
done

# ---------------------------------------------------------------- report
facts="$(date -u '+%Y-%m-%d %H:%M UTC') · nproc $(nproc) · kernel $(uname -r) · .NET $(dotnet --version) · $(haproxy -v | head -1 | awk '{print "HAProxy", $3}') · $(iperf3 --version | head -1 | awk '{print "iperf3", $2}') · built from $BUILT_FROM"
table=$(awk -F'\t' -v targets="${TARGETS[*]}" -v variants="${VARIANTS[*]}" -v rounds="$ROUNDS" -v duration="$DURATION" -v idle_n="$IDLE_N" \
  -f "$ROOT/bench/l4/summarize.awk" "$RAW")
{
  if [[ ! -s $RESULTS ]]; then cat "$ROOT/bench/l4/results-header.md"; fi
  printf '\n## %s\n\n%s\n\n' "$STAMP" "$facts"
  printf 'Settings: ROUNDS=%s DURATION=%ss WARMUP=%ss IDLE_N=%s×%s CONC=%s; Portico variants: ' "$ROUNDS" "$DURATION" "$WARMUP" "$IDLE_N" "$IDLE_REPS" "$CONC"
  for v in "${VARIANTS[@]}"; do
    desc=$(echo "${V_BIN[$v]:+build ${V_BIN[$v]}} ${V_ENV[$v]:-} ${V_ARGS[$v]:-}" | xargs)
    printf '`%s` (%s) ' "$v" "${desc:-defaults}"
  done
  printf '\n\n%s\n' "$table"
} >>"$RESULTS"
printf '%s\n' "$table" | tee "$OUT/table.md"
log "results appended to $RESULTS; raw logs in $OUT"
