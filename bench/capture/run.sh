#!/usr/bin/env bash
# bench/capture/run.sh: what a running capture costs a vserver's throughput, and what it drops instead.
#
# One Portico process relays iperf3 (-P 1 and -P 4) through an L4 TCP vserver on 127.0.0.1. Windows are
# interleaved in each round, in an order that rotates per round:
#   none  no capture
#   copy  no capture, through a second Portico run with --relay-mode Managed: the copy path a tapped relay
#         must take (splice hides bytes from user space), so tap/copy is what the tap itself costs
#   wire  start nstrace -filter "vserver v" -link ENABLED -size 0 (libpcap on lo, both sides, whole packets)
#   tap   start nstrace -mode SSLPLAIN -filter "vserver v" -link ENABLED -size 0 (the decrypted tap: the relay
#         stays on the copy path and queues every chunk to the writer)
# Each capture is started just before its window and stopped after it; its "N packet(s) written, M dropped"
# is recorded. Files rotate (-nf 2 -fileSize 200) so the size cap never ends a window early; they go to a
# temporary trace directory (TRACE_DIR, default under bench/out) deleted at the end.
# Ratios (wire/none, tap/none) are computed per round, from windows of the same round.
#
# Environment: ROUNDS=4 DURATION=8 BASE_PORT=15600 RESULTS=bench/RESULTS.md TRACE_DIR=... SKIP_BUILD=1
#   PORTICO_ARGS='--trace-rate-limit 64' extra arguments for the Portico that captures
# Every server listens on 127.0.0.1 only, every client run is bounded by `timeout`, every PID this script
# starts is killed by the EXIT trap.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROUNDS=${ROUNDS:-4}
DURATION=${DURATION:-8}
BASE=${BASE_PORT:-15600}
RESULTS=${RESULTS:-$ROOT/bench/RESULTS.md}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/bench/out/capture-$STAMP
TRACE_DIR=${TRACE_DIR:-$OUT/traces}
mkdir -p "$OUT" "$TRACE_DIR"
RAW=$OUT/raw.tsv # round  mode  streams  gbit_s  written  dropped
: >"$RAW"

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TRACE_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }

for tool in iperf3 jq tshark; do command -v "$tool" >/dev/null || { echo "bench/capture needs $tool (apt-get install $tool)"; exit 2; }; done
if [[ -z ${SKIP_BUILD:-} ]]; then
  log "building Portico (Release)"
  timeout 600 dotnet build "$ROOT/Portico.slnx" -c Release >"$OUT/build.log" 2>&1
fi
BUILT_FROM="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src || echo '+dirty')"
PORTICO=$ROOT/src/Portico/bin/Release/net10.0/portico
SOCK=$OUT/admin.sock
IPERF_PORT=$((BASE + 1)) VIP_PORT=$((BASE + 2)) COPY_PORT=$((BASE + 3))

iperf3 -s -B 127.0.0.1 -p "$IPERF_PORT" >"$OUT/iperf3-server.log" 2>&1 &
PIDS+=($!)
cat >"$OUT/portico.conf" <<CONF
add service s_iperf 127.0.0.1 TCP $IPERF_PORT
add lb vserver v TCP 127.0.0.1 $VIP_PORT
bind lb vserver v s_iperf
CONF
"$PORTICO" run --config "$OUT/portico.conf" --admin-socket "$SOCK" --trace-dir "$TRACE_DIR" --log-level Warning ${PORTICO_ARGS:-} >"$OUT/portico.log" 2>&1 &
PORTICO_PID=$!
PIDS+=($PORTICO_PID)
sed "s/ $VIP_PORT\$/ $COPY_PORT/" "$OUT/portico.conf" >"$OUT/portico-copy.conf"
"$PORTICO" run --config "$OUT/portico-copy.conf" --admin-socket "$OUT/admin-copy.sock" --relay-mode Managed --log-level Warning >"$OUT/portico-copy.log" 2>&1 &
PIDS+=($!)
for port in $VIP_PORT $COPY_PORT; do
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
done

cli() { timeout 30 "$PORTICO" cli --admin-socket "$SOCK" -c "$1"; }

start_capture() { # mode
  case $1 in
    wire) cli "start nstrace -fileName bench -filter \"vserver v\" -link ENABLED -size 0 -nf 2 -fileSize 200" >>"$OUT/cli.log" ;;
    tap) cli "start nstrace -fileName bench -mode SSLPLAIN -filter \"vserver v\" -link ENABLED -size 0 -nf 2 -fileSize 200" >>"$OUT/cli.log" ;;
  esac
}
stop_capture() { # mode -> "written dropped"
  [[ $1 == none || $1 == copy ]] && { echo "- -"; return; }
  local out
  out=$(cli "stop nstrace -fileName bench")
  echo "$out" >>"$OUT/cli.log"
  sed -n 's/.* \([0-9]*\) packet(s) written, \([0-9]*\) dropped.*/\1 \2/p' <<<"$out" | head -1
}

window() { # round mode streams
  local round=$1 mode=$2 p=$3 f v counts port=$VIP_PORT
  [[ $mode == copy ]] && port=$COPY_PORT
  f=$OUT/iperf-r$round-$mode-P$p.json
  start_capture "$mode"
  if timeout $((DURATION + 30)) iperf3 -c 127.0.0.1 -p "$port" -t "$DURATION" -P "$p" -J >"$f" 2>&1; then
    v=$(jq '.end.sum_received.bits_per_second / 1e9' "$f")
  else
    v=NaN
    log "iperf3 -P $p ($mode) failed (see $f)"
  fi
  counts=$(stop_capture "$mode")
  rm -f "$TRACE_DIR"/*
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$mode" "$p" "$v" ${counts:-? ?} >>"$RAW"
  log "round $round -P $p $mode: $v Gbit/s (written/dropped: ${counts:-?})"
}

log "warm-up (untimed)"
timeout 60 iperf3 -c 127.0.0.1 -p "$VIP_PORT" -t 5 -P 2 >/dev/null 2>&1 || true
timeout 60 iperf3 -c 127.0.0.1 -p "$COPY_PORT" -t 5 -P 2 >/dev/null 2>&1 || true
LOAD0=$(cut -d' ' -f1 /proc/loadavg)
MODES=(none copy wire tap)
for round in $(seq "$ROUNDS"); do
  for p in 1 4; do
    for k in 0 1 2 3; do window "$round" "${MODES[$(((round + k) % 4))]}" "$p"; done
  done
done
LOAD1=$(cut -d' ' -f1 /proc/loadavg)

SUMMARY=$(awk -F'\t' -v load0="$LOAD0" -v load1="$LOAD1" '
  { g[$1 FS $2 FS $3] = $4; w[$1 FS $2 FS $3] = $5; d[$1 FS $2 FS $3] = $6; rounds[$1] = 1; streams[$3] = 1 }
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                     return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  END {
    printf "| streams | mode | Gbit/s per round | ratio to none per round | median ratio | packets written | dropped (share) |\n|---|---|---|---|---:|---|---|\n"
    for (p = 1; p <= 4; p += 3) for (mi = 0; mi < 4; mi++) {
      m = mi == 0 ? "none" : mi == 1 ? "copy" : mi == 2 ? "wire" : "tap"; gs = ""; rs = ""; ws = ""; ds = ""; n = 0
      for (r in rounds) {
        k = r FS m FS p; gs = gs sprintf("%s%.2f", gs == "" ? "" : ", ", g[k])
        if (m != "none") { n++; ratio[n] = g[k] / g[r FS "none" FS p]; rs = rs sprintf("%s%.2f", rs == "" ? "" : ", ", ratio[n])
          if (m == "tap") { nc++; tc[nc] = g[k] / g[r FS "copy" FS p] }
          ws = ws sprintf("%s%s", ws == "" ? "" : ", ", w[k]); tot = w[k] + d[k]
          ds = ds sprintf("%s%s (%.0f%%)", ds == "" ? "" : ", ", d[k], tot > 0 ? 100 * d[k] / tot : 0) }
      }
      c = m == "copy"
      printf "| %d | %s | %s | %s | %s | %s | %s |\n", p, m, gs, m == "none" ? "-" : rs, m == "none" ? "-" : sprintf("%.2f", median(ratio, n)), m == "none" || c ? "-" : ws, m == "none" || c ? "-" : ds
      if (m == "tap") { tapcopy = tapcopy sprintf("%s-P %d: %.2f", tapcopy == "" ? "" : "; ", p, median(tc, nc)); nc = 0 }
    }
    printf "\nMedian tap / copy (the tap against the copy path it forces, same round): %s.\n", tapcopy
    printf "\nLoad average at start / end: %s / %s (2 cores).\n", load0, load1
  }' "$RAW")

{
  printf '\n## capture: throughput with a capture running (%s, %s)\n\n' "$(date -u +%Y-%m-%d)" "$BUILT_FROM"
  printf 'bench/capture/run.sh, ROUNDS=%s DURATION=%s s, PORTICO_ARGS=%s: iperf3 through one L4 vserver on 127.0.0.1, windows interleaved per round\n' "$ROUNDS" "$DURATION" "'${PORTICO_ARGS:-}'"
  printf '(order rotating): no capture; no capture on the copy path (a second Portico, `--relay-mode Managed`); wire capture (`-filter "vserver v" -link ENABLED -size 0`, libpcap on lo); decrypted tap\n'
  printf '(`-mode SSLPLAIN`, same filter). Ratios are within a round. Dropped = packets the kernel ring dropped (wire) or tap records\n'
  printf 'dropped by the bounded queue (tap); share = dropped / (written + dropped).\n\n'
  echo "$SUMMARY"
} | tee -a "$OUT/summary.md" >>"$RESULTS"
log "appended to $RESULTS; raw data in $OUT"
cat "$OUT/summary.md"
