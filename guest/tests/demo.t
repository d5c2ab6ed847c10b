#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The demo draws its picture with the mgpu, checks it against the CPU's
# reference and shows it; mptrun snapshots the plane to a PNG.
. "$(dirname "$0")/lib.sh"
guest_require demo.elf
guest_run --device mgpu --snapshot "$TMP/demo.png" "$GUESTS/demo.elf"
echo "1..3"
[ $status = 0 ] && echo "ok 1 - the demo exits 0" ||
	echo "not ok 1 - the demo exits 0 (got $status)"
grep -q "^demo: 640x480 .* matches the CPU reference" "$TMP/out" &&
	echo "ok 2 - its frame matches the CPU reference" ||
	echo "not ok 2 - its frame matches the CPU reference"
# A PNG whose IHDR says 640 x 480.
ihdr=$(od -An -tx1 -j12 -N12 "$TMP/demo.png" 2>/dev/null | tr -d ' \n')
[ "$ihdr" = "49484452000002800000""01e0" ] &&
	echo "ok 3 - the snapshot is a 640x480 PNG" ||
	echo "not ok 3 - the snapshot is a 640x480 PNG (IHDR '$ihdr')"
sed 's/^/# /' "$TMP/out"
[ $status = 0 ] || sed 's/^/# mptrun: /' "$TMP/err"
