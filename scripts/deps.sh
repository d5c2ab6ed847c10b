#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Install the Debian packages named on the command line that are missing.
# Used by the build and the test tiers so that a fresh Debian 12 machine
# needs nothing but make.
set -e
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "mpt: installing Debian packages:$missing" >&2
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -q --no-install-recommends $missing >&2; then
	$SUDO apt-get update -q >&2
	$SUDO apt-get install -y -q --no-install-recommends $missing >&2
fi
