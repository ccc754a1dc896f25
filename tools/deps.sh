#!/bin/sh
# deps.sh: install the Debian 12 packages ecms needs, if any are missing.
# Idempotent and quiet when everything is present.
# Usage: tools/deps.sh [build|check|bench|e2e]
# check and e2e add the browser tests' needs: Debian's chromium, and Node.js
# with npm (any install of them will do: nodejs and npm from apt if absent).
set -eu
what=${1:-build}

pkgs="build-essential pkg-config libsqlite3-dev libpq-dev libjansson-dev
libmicrohttpd-dev libsodium-dev libcairo2-dev libzint-dev libqpid-proton11-dev
zlib1g-dev sqlite3 fonts-dejavu-core libfontconfig-dev"
case $what in
check) pkgs="$pkgs libcmocka-dev clang dmtx-utils poppler-utils unzip curl jq chromium" ;;
bench) pkgs="$pkgs" ;;
e2e) pkgs="chromium" ;;
esac

missing=""
for p in $pkgs; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case $s in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
case $what in
check | e2e)
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
		missing="$missing nodejs npm"
	;;
esac
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "deps: need root to install:$missing" >&2; exit 1
	fi
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
