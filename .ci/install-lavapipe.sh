#!/usr/bin/env bash
# Mesa's software Vulkan driver (lavapipe) for the webgpu tests: Debian 12's
# Mesa 22.3 does not start Dawn, bookworm-backports' 25.x does. The suite is
# added on the mirror the machine's own apt sources use. Needs root and apt;
# prints why and exits non-zero otherwise (the caller decides to go on).
set -euo pipefail
installed=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || echo 0)
if dpkg --compare-versions "$installed" ge 25; then exit 0; fi
[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || { echo "lavapipe: needs root and apt-get to install backports' mesa-vulkan-drivers" >&2; exit 1; }
. /etc/os-release
[ "${VERSION_CODENAME:-}" = bookworm ] || { echo "lavapipe: not Debian 12 (bookworm); install mesa-vulkan-drivers >= 25 by hand" >&2; exit 1; }
mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\/\?\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb[[:space:]]\+\([^[:space:]]*\/debian\/\?\)[[:space:]]\+bookworm[[:space:]].*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n1)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
list=/etc/apt/sources.list.d/bookworm-backports.sources
[ -e "$list" ] || printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" > "$list"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y -t bookworm-backports mesa-vulkan-drivers
