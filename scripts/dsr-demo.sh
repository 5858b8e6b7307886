#!/usr/bin/env bash
# Direct server return on one machine: four network namespaces on a bridge (a client, Portico, two real
# servers), Portico's DSR vserver in the "lb" namespace, real servers configured by
# 'portico realserver setup --apply' and serving HTTP on the VIP. Needs root (namespaces).
#
#   scripts/dsr-demo.sh up      build everything, start Portico and the servers, curl the VIP
#   scripts/dsr-demo.sh curl    ten requests from the client namespace
#   scripts/dsr-demo.sh cli ... a portico cli command against the demo's Portico (e.g. cli -c "show dsr")
#   scripts/dsr-demo.sh down    stop the processes, delete the namespaces and the bridge
#
# PREFIX (default ptdemo) names the namespaces and interfaces, so two runs never clash;
# PORTICO_DLL points at a built portico.dll (default: the Release build of this tree).
set -euo pipefail
cd "$(dirname "$0")/.."
P=${PREFIX:-ptdemo}
DLL=${PORTICO_DLL:-$PWD/src/Portico/bin/Release/net10.0/portico.dll}
RUN=/tmp/portico-$P
VIP=10.99.0.100
NET=10.99.0

ns_addr() { case $1 in client) echo 10;; lb) echo 2;; rs1) echo 11;; rs2) echo 12;; esac; }

up() {
  [ -f "$DLL" ] || { echo "build first: dotnet build src/Portico -c Release" >&2; exit 2; }
  mkdir -p "$RUN"
  ip link add "$P-br" type bridge
  ip link set "$P-br" up
  for ns in client lb rs1 rs2; do
    ip netns add "$P-$ns"
    ip link add "$P-$ns" type veth peer name eth0 netns "$P-$ns"
    ip link set "$P-$ns" master "$P-br" up
    ip -n "$P-$ns" link set lo up
    ip -n "$P-$ns" link set eth0 up
    ip -n "$P-$ns" addr add "$NET.$(ns_addr $ns)/24" dev eth0
  done

  cat > "$RUN/portico.conf" <<CONF
add server rs1 $NET.11
add server rs2 $NET.12
add service web_rs1 rs1 TCP 80
add service web_rs2 rs2 TCP 80
add lb vserver web_dsr TCP $VIP 80 -m MAC -dsrInterface eth0
bind lb vserver web_dsr web_rs1
bind lb vserver web_dsr web_rs2
CONF
  ip netns exec "$P-lb" dotnet "$DLL" run --config "$RUN/portico.conf" --admin-socket "$RUN/admin.sock" >"$RUN/portico.log" 2>&1 &
  echo $! >"$RUN/portico.pid"

  for rs in rs1 rs2; do
    echo "== $rs: portico realserver setup --vip $VIP --apply"
    ip netns exec "$P-$rs" dotnet "$DLL" realserver setup --vip "$VIP" --apply
    ip netns exec "$P-$rs" python3 scripts/dsr-rs-http.py "$rs" "$VIP" 80 >"$RUN/$rs.log" 2>&1 &
    echo $! >"$RUN/$rs.pid"
  done

  for _ in $(seq 1 100); do
    [ -S "$RUN/admin.sock" ] && break
    sleep 0.2
  done
  sleep 2   # Portico resolves the real servers by ARP
  cli -c "show dsr"
  requests
}

requests() {
  for i in $(seq 1 10); do
    ip netns exec "$P-client" curl -sS --max-time 5 --local-port "$((40000 + i))" "http://$VIP/"
  done
}

cli() { dotnet "$DLL" cli --admin-socket "$RUN/admin.sock" "$@"; }

down() {
  for f in "$RUN"/*.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  sleep 0.5
  for ns in client lb rs1 rs2; do ip netns del "$P-$ns" 2>/dev/null || true; done
  ip link del "$P-br" 2>/dev/null || true
  echo "removed namespaces $P-{client,lb,rs1,rs2} and bridge $P-br; logs in $RUN"
}

case "${1:-}" in
  up) up ;;
  curl) requests ;;
  cli) shift; cli "$@" ;;
  down) down ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
