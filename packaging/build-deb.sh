#!/usr/bin/env bash
# Builds portico_<version>_amd64.deb from this repository: a self-contained linux-x64 publish (no .NET runtime
# needed on the target) in /usr/lib/portico, /usr/bin/portico linking to it, the systemd unit, the conffile
# /etc/portico/portico.conf, the man page and the command reference.
#   packaging/build-deb.sh [-o OUTPUT_DIR]      (default: packaging/out)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
out="$here/out"
while [ $# -gt 0 ]; do
  case "$1" in
    -o|--output) out="$2"; shift 2 ;;
    *) echo "usage: $0 [-o OUTPUT_DIR]" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# Debian version: the product version and the commit, so two builds of different trees never share a version.
commit="$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
version="1.0.0~git$(git -C "$repo" log -1 --format=%cd --date=format:%Y%m%d 2>/dev/null || date +%Y%m%d).$commit"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
lib="$stage/usr/lib/portico"

# Self-contained: the runtime packs restore from the NuGet feed like any package (checked on the CI machine).
dotnet publish "$repo/src/Portico/Portico.csproj" -c Release -r linux-x64 --self-contained -o "$lib" \
  -p:PublishDocumentationFiles=false -p:DebugType=none -nologo -v:q

mkdir -p "$stage/usr/bin" "$stage/lib/systemd/system" "$stage/etc/portico" "$stage/usr/share/man/man1" \
  "$stage/usr/share/doc/portico" "$stage/DEBIAN"
ln -s ../lib/portico/portico "$stage/usr/bin/portico"
install -m 0644 "$here/portico.service" "$stage/lib/systemd/system/portico.service"
install -m 0640 "$here/portico.conf" "$stage/etc/portico/portico.conf"
gzip -9n < "$here/portico.1" > "$stage/usr/share/man/man1/portico.1.gz"
install -m 0644 "$repo/docs/reference/commands.md" "$stage/usr/share/doc/portico/commands.md"
install -m 0644 "$repo/README.md" "$stage/usr/share/doc/portico/README.md"

size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" "$here/debian/control" > "$stage/DEBIAN/control"
install -m 0644 "$here/debian/conffiles" "$stage/DEBIAN/conffiles"
for script in postinst prerm postrm; do install -m 0755 "$here/debian/$script" "$stage/DEBIAN/$script"; done

deb="$out/portico_${version}_amd64.deb"
# zstd at a low level: a 40 MB package in seconds where xz takes a minute, and dpkg >= 1.21.18 reads it.
dpkg-deb --root-owner-group -Zzstd -z3 --build "$stage" "$deb" >/dev/null
echo "$deb"
