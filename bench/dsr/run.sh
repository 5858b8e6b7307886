#!/usr/bin/env bash
# DSR forwarding rate: small UDP frames from trafgen (netsniff-ng) in a client namespace, through Portico's
# user-space DSR forwarder in an "lb" namespace, to real-server namespaces on the same bridge; beside it,
# what the same veth/bridge path allows without Portico:
#   bridge   trafgen straight to one real server's MAC (the bridge and veths alone: the ceiling here)
#   kernel2  the lb namespace's kernel forwarding the VIP (ECMP route over 2 servers, L4 hash): the peer
#   kernel8  the same over 8 servers
#   ring2    Portico's DSR vserver over 2 real servers, frames received on a TPACKET_V3 ring (the default)
#   ring8    the same over 8 real servers
#   mmsg2    Portico with --dsr-io Mmsg (recvmmsg batches), over 2 real servers, in a second lb namespace
#   mmsg8    the same over 8 real servers
# Rounds interleave the targets (A B C D E, A B C D E, ...). The generator is pinned to CPU 0 and Portico
# (every thread) to CPU 1: "one core" is CPU 1, which also runs the kernel's delivery of the frames Portico
# sends (softirq on the sending CPU). Delivered pps = frames counted on the real servers' interfaces.
# Needs root, trafgen (apt netsniff-ng), a Release build. Usage: bench/dsr/run.sh  (ROUNDS=3 SECONDS_PER=8)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
SECS=${SECONDS_PER:-8}
P=${PREFIX:-ptbench}
DLL=${PORTICO_DLL:-$PWD/src/Portico/bin/Release/net10.0/portico.dll}
OUT=bench/out/dsr-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
VIP2=10.99.0.100
VIP8=10.99.0.108
command -v trafgen >/dev/null || { echo "trafgen missing: apt-get install netsniff-ng" >&2; exit 2; }
[ -f "$DLL" ] || { echo "build first: dotnet build src/Portico -c Release" >&2; exit 2; }

PORTICO_PID=
MMSG_PID=
cleanup() {
  [ -n "$PORTICO_PID" ] && kill "$PORTICO_PID" 2>/dev/null || true
  [ -n "$MMSG_PID" ] && kill "$MMSG_PID" 2>/dev/null || true
  sleep 0.3
  for ns in client lb lbm $(seq -f 'rs%g' 1 8) sw; do ip netns del "$P-$ns" 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup

# The bridge lives in a namespace of its own ("sw"), where bridged frames skip iptables
# (bridge-nf-call-iptables is per namespace): nothing of the host's network is touched.
ip netns add "$P-sw"
ip -n "$P-sw" link add br0 type bridge
ip -n "$P-sw" link set br0 up
ip netns exec "$P-sw" sysctl -qw net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-arptables=0 2>/dev/null || true
add_ns() {
  ip netns add "$P-$1"
  ip link add "$P-$1" type veth peer name eth0 netns "$P-$1"
  ip link set "$P-$1" netns "$P-sw"
  ip -n "$P-sw" link set "$P-$1" master br0 up
  ip -n "$P-$1" link set lo up
  ip -n "$P-$1" link set eth0 up
  ip -n "$P-$1" addr add "10.99.0.$2/24" dev eth0
}
add_ns client 10
add_ns lb 2
add_ns lbm 3
for i in $(seq 1 8); do add_ns "rs$i" $((10 + i)); done

# Portico: a UDP DSR vserver per VIP (rs1-rs2, rs1-rs8). The real servers need no VIP: their interface
# counts every frame that reaches it, which is what is measured.
{
  for i in $(seq 1 8); do echo "add server rs$i 10.99.0.$((10 + i))"; echo "add service u$i rs$i UDP 9"; done
  echo "add lb vserver dsr2 UDP $VIP2 9 -m MAC -dsrInterface eth0"
  echo "add lb vserver dsr8 UDP $VIP8 9 -m MAC -dsrInterface eth0"
  for i in 1 2; do echo "bind lb vserver dsr2 u$i"; done
  for i in $(seq 1 8); do echo "bind lb vserver dsr8 u$i"; done
} >"$OUT/portico.conf"
ip netns exec "$P-lb" taskset -c 1 dotnet "$DLL" run --config "$OUT/portico.conf" --admin-socket "$OUT/admin.sock" --log-level Warning >"$OUT/portico.log" 2>&1 &
PORTICO_PID=$!
ip netns exec "$P-lbm" taskset -c 1 dotnet "$DLL" run --dsr-io Mmsg --config "$OUT/portico.conf" --admin-socket "$OUT/admin-mmsg.sock" --log-level Warning >"$OUT/portico-mmsg.log" 2>&1 &
MMSG_PID=$!
for _ in $(seq 1 150); do [ -S "$OUT/admin.sock" ] && [ -S "$OUT/admin-mmsg.sock" ] && break; sleep 0.2; done
cli() {
  dotnet "$DLL" cli --admin-socket "$OUT/admin.sock" -c "$1" >/dev/null
  dotnet "$DLL" cli --admin-socket "$OUT/admin-mmsg.sock" -c "$1" >/dev/null
}

# The kernel's route for the peer rounds: ECMP over the servers, hashed on the 5-tuple.
ip netns exec "$P-lb" sysctl -qw net.ipv4.fib_multipath_hash_policy=1
ip -n "$P-lb" route add "$VIP2/32" nexthop via 10.99.0.11 nexthop via 10.99.0.12
ip -n "$P-lb" route add "$VIP8/32" $(for i in $(seq 1 8); do echo "nexthop via 10.99.0.$((10 + i))"; done)
for i in $(seq 1 8); do ip netns exec "$P-client" ping -c1 -W1 "10.99.0.$((10 + i))" >/dev/null 2>&1 || true; done

mac_of() { ip netns exec "$P-$1" cat /sys/class/net/eth0/address; }
LB_MAC=$(mac_of lb)
LBM_MAC=$(mac_of lbm)
RS1_MAC=$(mac_of rs1)
CLIENT_MAC=$(mac_of client)
rx() { ip netns exec "$P-$1" cat /sys/class/net/eth0/statistics/rx_packets; }
rx_servers() { local n=0; for i in $(seq 1 8); do n=$((n + $(rx "rs$i"))); done; echo $n; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
sys_ticks() { awk '{print $15}' "/proc/$PID/stat"; }

# 60-byte frames (64 on a wire with FCS), 256 flows (source ports 1024-1279).
trafgen_conf() {
  cat <<CFG
{ eth(da=$1, sa=$CLIENT_MAC, type=0x0800), ipv4(sa=10.99.0.10, da=$2, ttl=64), udp(sp=dinc(1024, 1279), dp=9), fill(0x00, 18) }
CFG
}

# Which mode is active: Portico's vservers enabled (kernel forwarding off) or the reverse.
WAS=
mode() {
  local now=$WAS
  WAS=$1
  [ "$now" = "$1" ] && return
  if [ "$1" = portico ]; then
    ip netns exec "$P-lb" sysctl -qw net.ipv4.ip_forward=0
    cli "enable lb vserver dsr2"; cli "enable lb vserver dsr8"
    sleep 2.5   # the ports open, resolve the servers, announce the VIPs
  else
    cli "disable lb vserver dsr2"; cli "disable lb vserver dsr8"
    ip netns exec "$P-lb" sysctl -qw net.ipv4.ip_forward="$([ "$1" = kernel ] && echo 1 || echo 0)"
    sleep 0.5
  fi
}

run_one() { # name dst_mac dst_ip
  trafgen_conf "$2" "$3" >"$OUT/$1.cfg"
  local before_rx before_lb before_cpu before_sys after_rx after_lb after_cpu after_sys
  before_rx=$(rx_servers); before_lb=$(rx "$LBNS"); before_cpu=$(cpu_ticks); before_sys=$(sys_ticks)
  if [ -n "${PERF:-}" ] && [ "$1" = ring2 ] && [ ! -f "$OUT/perf.data" ]; then
    perf record -C 1 -g -o "$OUT/perf.data" -- sleep "$SECS" >/dev/null 2>&1 &
  fi
  ip netns exec "$P-client" taskset -c 0 timeout -s INT "$SECS" trafgen --dev eth0 --conf "$OUT/$1.cfg" --cpus 1 -q >"$OUT/$1.trafgen.log" 2>&1 || true
  sleep 0.3
  after_rx=$(rx_servers); after_lb=$(rx "$LBNS"); after_cpu=$(cpu_ticks); after_sys=$(sys_ticks)
  local hz; hz=$(getconf CLK_TCK)
  echo "$1 $(( (after_rx - before_rx) / SECS )) $(( (after_lb - before_lb) / SECS )) $(awk -v a="$before_cpu" -v b="$after_cpu" -v hz="$hz" -v s="$SECS" 'BEGIN{printf "%.2f", (b-a)/hz/s}') $(awk -v a="$before_sys" -v b="$after_sys" -v hz="$hz" -v s="$SECS" 'BEGIN{printf "%.2f", (b-a)/hz/s}')"
}

echo "# round name delivered_pps lb_rx_pps portico_cpu_per_s portico_sys_cpu_per_s" | tee "$OUT/raw.txt"
targets=(bridge kernel2 kernel8 ring2 ring8 mmsg2 mmsg8)
PID=$PORTICO_PID
LBNS=lb
for r in $(seq 1 "$ROUNDS"); do
  for t in "${targets[@]}"; do
    case $t in
      bridge) mode none; LBNS=lb; run_one bridge "$RS1_MAC" "$VIP2" ;;
      kernel2) mode kernel; LBNS=lb; run_one kernel2 "$LB_MAC" "$VIP2" ;;
      kernel8) mode kernel; LBNS=lb; run_one kernel8 "$LB_MAC" "$VIP8" ;;
      ring2) mode portico; PID=$PORTICO_PID; LBNS=lb; run_one ring2 "$LB_MAC" "$VIP2" ;;
      ring8) mode portico; PID=$PORTICO_PID; LBNS=lb; run_one ring8 "$LB_MAC" "$VIP8" ;;
      mmsg2) mode portico; PID=$MMSG_PID; LBNS=lbm; run_one mmsg2 "$LBM_MAC" "$VIP2" ;;
      mmsg8) mode portico; PID=$MMSG_PID; LBNS=lbm; run_one mmsg8 "$LBM_MAC" "$VIP8" ;;
    esac | sed "s/^/$r /" | tee -a "$OUT/raw.txt"
  done
  targets=("${targets[@]:1}" "${targets[0]}")
done
dotnet "$DLL" cli --admin-socket "$OUT/admin.sock" -c "show dsr" >"$OUT/show-dsr.txt" || true

# Medians (min-max) per target.
echo "| target | delivered pps | frames at the LB pps | Portico CPU-s per s | of which system | delivered per Portico CPU-second |" | tee "$OUT/summary.md"
echo "|---|---:|---:|---:|---:|---:|" | tee -a "$OUT/summary.md"
awk '!/^#/ {k=$2; v[k]=v[k] " " $3; l[k]=l[k] " " $4; c[k]=c[k] " " $5; y[k]=y[k] " " $6; e[k]=e[k] " " ($5 > 0.05 ? int($3 / $5) : "-")}
  function med(s,  a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return sprintf("%s (%s-%s)", a[int((n + 1) / 2)], a[1], a[n]) }
  END { for (k in v) printf "| %s | %s | %s | %s | %s | %s |\n", k, med(v[k]), med(l[k]), med(c[k]), med(y[k]), med(e[k]) }' "$OUT/raw.txt" | sort | tee -a "$OUT/summary.md"
echo "raw: $OUT"
