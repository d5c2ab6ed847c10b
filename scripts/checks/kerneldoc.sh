#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Design rule 4: every op and public function has a kernel-doc comment.
# Runs the kernel's own kernel-doc (from Debian's kernel headers) over the
# public headers; any warning fails.
set -e
cd "$(dirname "$0")/../.."
scripts/deps.sh linux-headers-amd64 perl >&2
KD=$(ls -d /usr/src/linux-headers-*-common/scripts/kernel-doc 2>/dev/null | sort -V | tail -n 1)
if [ -z "$KD" ]; then
	echo "1..0 # SKIP kernel-doc not found in linux-headers"
	exit 0
fi
n=0
fail=0
for h in include/mpt/*.h mpt/*.h; do
	n=$((n + 1))
	out=$(perl "$KD" -none -v "$h" 2>&1 | grep -v ': info: ' || true)
	docs=$(perl "$KD" -none -v "$h" 2>&1 | grep -c ': info: Scanning doc' || true)
	if [ -z "$out" ]; then
		echo "ok $n - kernel-doc clean: $h ($docs documented items)"
	else
		echo "not ok $n - kernel-doc warnings in $h"
		echo "$out" | sed 's/^/#   /'
		fail=1
	fi
done
# Every function declared with MPT_API must have a kernel-doc block.
n=$((n + 1))
missing=$(for h in include/mpt/*.h; do
	grep -oE 'MPT_API [^(]*\b(mpt_[a-z0-9_]+)\(' "$h" |
		sed -E 's/.*\b(mpt_[a-z0-9_]+)\($/\1/' |
		while read -r f; do
			grep -q "^ \* $f() - " "$h" || echo "$h:$f"
		done
done)
if [ -z "$missing" ]; then
	echo "ok $n - every MPT_API function has a kernel-doc comment"
else
	echo "not ok $n - MPT_API functions without kernel-doc"
	echo "$missing" | sed 's/^/#   /'
	fail=1
fi
echo "1..$n"
exit $fail
