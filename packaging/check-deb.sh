#!/usr/bin/env bash
# CI check of the package (run as root by .ci/run): build the .deb, dpkg -i it, verify the unit with
# systemd-analyze, start the installed binary exactly as the unit's ExecStart does (no systemd runs as PID 1 on
# these machines: the portico user, the unit's ambient capabilities and environment, through setpriv), serve a
# request through it on a port below 1024, drive it with root's portico cli, reload it as ExecReload does,
# check that `portico run` without --config reads /etc/portico/portico.conf, then dpkg --purge.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ "$(id -u)" = 0 ] || { echo "check-deb: needs root (dpkg -i)" >&2; exit 2; }
if dpkg -s portico >/dev/null 2>&1; then
  echo "check-deb: a portico package is already installed here; not touching it" >&2
  exit 2
fi

work="$(mktemp -d)"
portico_pid=""
backend_pid=""
cleanup() {
  status=$?
  [ -n "$portico_pid" ] && kill -TERM "$portico_pid" 2>/dev/null && wait "$portico_pid" 2>/dev/null || true
  [ -n "$backend_pid" ] && kill "$backend_pid" 2>/dev/null && wait "$backend_pid" 2>/dev/null || true
  if [ $status -ne 0 ]; then
    echo "check-deb: FAILED; Portico's output:" >&2
    cat "$work"/run*.log >&2 2>/dev/null || true
  fi
  dpkg -s portico >/dev/null 2>&1 && dpkg --purge portico >/dev/null || true
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

step() { echo "check-deb: $*"; }
fail() { echo "check-deb: FAIL: $*" >&2; exit 1; }

step "building the package"
deb="$("$here/build-deb.sh" -o "$work" | tail -n 1)"
step "installing $(basename "$deb") ($(du -h "$deb" | cut -f1))"
dpkg -i "$deb" >/dev/null
[ "$(readlink -f /usr/bin/portico)" = /usr/lib/portico/portico ] || fail "/usr/bin/portico does not link to /usr/lib/portico/portico"
getent passwd portico >/dev/null || fail "postinst did not create the portico user"
[ "$(stat -c %U /etc/portico)" = portico ] || fail "/etc/portico is not the service's"
dpkg-query -W -f='${Conffiles}\n' portico | grep -q /etc/portico/portico.conf || fail "portico.conf is not a conffile"
man -w portico >/dev/null 2>&1 || [ -f /usr/share/man/man1/portico.1.gz ] || fail "no man page"

unit=/lib/systemd/system/portico.service
step "systemd-analyze verify $unit"
systemd-analyze verify "$unit"

value() { sed -n "s/^$1=//p" "$unit"; }
exec_start="$(value ExecStart)"
exec_reload="$(value ExecReload)"
# CAP_NET_BIND_SERVICE CAP_NET_RAW → +net_bind_service,+net_raw (setpriv's spelling).
caps="$(value AmbientCapabilities | tr 'A-Z' 'a-z' | sed -e 's/cap_/+/g' -e 's/ /,/g')"
[ "$(value User)" = portico ] || fail "the unit does not run as portico"

# What systemd does before ExecStart: RuntimeDirectory=portico (mode 0750), StateDirectory, LogsDirectory.
install -d -o portico -g portico -m 0750 /run/portico /var/lib/portico /var/log/portico
# The unit's User=, NoNewPrivileges=, AmbientCapabilities= and CapabilityBoundingSet=, and the environment systemd
# gives a service (its own, not the caller's). setpriv and env exec: the pid of a background start is Portico's.
as_service=(setpriv --reuid=portico --regid=portico --init-groups --no-new-privs --inh-caps="$caps" --ambient-caps="$caps"
  --bounding-set=-all,"$caps"
  env -i PATH=/usr/bin:/bin HOME=/nonexistent USER=portico LOGNAME=portico
  RUNTIME_DIRECTORY=/run/portico STATE_DIRECTORY=/var/lib/portico LOGS_DIRECTORY=/var/log/portico)
free_port() { # the first port from $1 that nothing listens on
  local p=$1
  while ss -Htln "sport = :$p" | grep -q .; do p=$((p + 1)); done
  echo "$p"
}

mkdir -p "$work/www"
echo "hello from the backend" > "$work/www/hello.txt"
backend_port="$(free_port 19480)"
python3 -m http.server --bind 127.0.0.1 --directory "$work/www" "$backend_port" >/dev/null 2>&1 &
backend_pid=$!
# A port below 1024: only CAP_NET_BIND_SERVICE lets the portico user listen there.
vip_port="$(free_port 880)"
cat > /etc/portico/portico.conf <<CONF
add service web1 127.0.0.1 HTTP $backend_port
add lb vserver www HTTP 127.0.0.1 $vip_port
bind lb vserver www web1
CONF

wait_for_socket() {
  for _ in $(seq 1 150); do
    [ -S /run/portico/admin.sock ] && portico cli -c "show ns version" >/dev/null 2>&1 && return 0
    [ -n "$portico_pid" ] && ! kill -0 "$portico_pid" 2>/dev/null && fail "portico exited"
    sleep 0.2
  done
  fail "the admin socket did not come up in 30 s"
}

step "starting as ExecStart: $exec_start"
# shellcheck disable=SC2086 # ExecStart is split into words as systemd does (no quotes in it).
"${as_service[@]}" $exec_start > "$work/run1.log" 2>&1 &
portico_pid=$!
wait_for_socket
[ "$(ps -o user= -p "$portico_pid" | tr -d " ")" = portico ] || fail "portico does not run as the portico user"
for _ in $(seq 1 50); do curl -fsS --max-time 2 "http://127.0.0.1:$vip_port/hello.txt" >/dev/null 2>&1 && break; sleep 0.2; done
answer="$(curl -fsS --max-time 5 "http://127.0.0.1:$vip_port/hello.txt")"
[ "$answer" = "hello from the backend" ] || fail "request through Portico answered: $answer"
step "served a request on 127.0.0.1:$vip_port as user portico: $answer"

portico cli -c "show lb vserver www" | grep -q "UP" || fail "show lb vserver www is not UP"
portico cli -c "show ns config" | grep -q "Config changed since last save: NO" || fail "a fresh start is not saved"
portico cli -c "add server extra 127.0.0.2" >/dev/null
portico cli -c "show ns config" | grep -q "Config changed since last save: YES" || fail "the change is not flagged"
step "reload with unsaved changes, as ExecReload: $exec_reload"
# shellcheck disable=SC2086
if "${as_service[@]}" $exec_reload > "$work/reload.out" 2>&1; then fail "reload discarded unsaved changes"; fi
grep -q "not reloaded" "$work/reload.out" || fail "reload did not say why: $(cat "$work/reload.out")"
portico cli -c "save ns config" >/dev/null
grep -q "add server extra 127.0.0.2" /etc/portico/portico.conf || fail "save ns config did not write /etc/portico/portico.conf"
# shellcheck disable=SC2086
"${as_service[@]}" $exec_reload > "$work/reload.out" 2>&1 || fail "reload after save failed: $(cat "$work/reload.out")"
grep -q "^Reloaded /etc/portico/portico.conf" "$work/reload.out" || fail "reload said: $(cat "$work/reload.out")"
ls /var/log/portico >/dev/null
kill -TERM "$portico_pid"
wait "$portico_pid" || true
portico_pid=""

step "portico run without --config on the installed system"
"${as_service[@]}" /usr/bin/portico run --admin-socket /run/portico/admin.sock --admin-http none > "$work/run2.log" 2>&1 &
portico_pid=$!
wait_for_socket
portico cli -c "show ns config" | grep -q "Config file: /etc/portico/portico.conf" || fail "run without --config did not read /etc/portico/portico.conf"
[ "$(curl -fsS --max-time 5 "http://127.0.0.1:$vip_port/hello.txt")" = "hello from the backend" ] || fail "second start does not serve"
kill -TERM "$portico_pid"
wait "$portico_pid" || true
portico_pid=""

step "purging"
dpkg --purge portico >/dev/null
[ ! -e /usr/bin/portico ] && [ ! -e /etc/portico ] && [ ! -e /var/lib/portico ] || fail "purge left files behind"
! getent passwd portico >/dev/null || fail "purge left the portico user"
step "OK"
